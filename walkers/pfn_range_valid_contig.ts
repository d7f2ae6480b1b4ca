/**
mm/page_alloc.c:pfn_range_valid_contig() under alloc_contig_pages() (v5.7+ [U]; before that
mm/hugetlb.c:pfn_range_valid_gigantic() under alloc_gigantic_page(), same loop): runtime
allocation of gigantic (1 GiB on x86-64) hugetlb pages, e.g. root writing
/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages.

Shape: for each zone of the node's zonelist up to gfp_zone(GFP_HIGHUSER) — gigantic pages are
never movable (hugepage_movable_supported() is false for them [V 6.12
include/linux/hugetlb.h]), so ZONE_MOVABLE is not scanned — windows of nr_pages =
1 GiB / PAGE_SIZE start at ALIGN(zone_start_pfn, nr_pages) and are checked while the window's
last pfn lies in the zone (zone_spans_last_pfn()). Each window is checked pfn by pfn and given up
at the first pfn that fails; the next window starts nr_pages further. A writer asking for more
pages than fit makes every window be checked: all windows are modelled. pfnaudit walks one pass
per zone whose ranges are the checked part of each window (up to and including its first failing
pfn, found from the model at plan time with the step's own decision), so steps stay stateless and
a 64 TiB zone of 2^16 windows costs one range, not 2^16 passes.

Per pfn: the guard, then page_zone() != zone (one touch), then PageReserved(), page_count() > 0
(up to the 5.10 tree read; gone in the 6.1 tree, commit not identified), PageHuge() (a second
touch, for a page of the zone). The model holds neither
refcounts nor hugetlb state: page_count() is taken as 0 and PageHuge() as false, so a window runs
as far as the guard, the zone and PageReserved() let it — the worst case for this audit.

Guards: ≤v5.3 pfn_valid(); v5.4+ pfn_to_online_page() (f231fe4235e2, "hugetlbfs: don't access
uninitialized memmaps in pfn_range_valid_gigantic()"). Verified in 5.10.262, 6.1.176 and
6.12.117 (pfn_range_valid_contig, alloc_contig_pages[_noprof]).
*/
import {pageView} from '../source/engine/context.js';
import {before} from '../source/kernel/version.js';
import {ALIGN, hex} from '../source/model/geometry.js';
import type {Model, Zone} from '../source/model/types.js';
import type {Pass, PageView} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {type PfnSpan, populatedZones, zoneLabel} from '../source/walker/ranges.js';

const GIGANTIC_BYTES = 2 ** 30;

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const FLAGS_HEAD = ['flags', 'compound_head'] as const;
const FLAGS_HEAD_REFCOUNT = ['flags', 'compound_head', '_refcount'] as const;

export default defineWalker({
	name: 'pfn_range_valid_contig',
	models: 'mm/page_alloc.c:pfn_range_valid_contig()',
	trigger: 'echo N > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages (runtime gigantic page allocation)',
	reachability: 'root',
	shape: 'per zone up to ZONE_NORMAL, 1 GiB-aligned windows of 1 GiB, every pfn until the first that fails',
	fields: ['flags', 'compound_head', '_refcount'],
	history: [
		{since: '4.13', guard: 'pfn_valid() (mm/hugetlb.c:pfn_range_valid_gigantic)', confidence: 'P'},
		{
			since: '5.4',
			guard: 'pfn_to_online_page()',
			commits: [{id: 'f231fe4235e2', subject: "hugetlbfs: don't access uninitialized memmaps in pfn_range_valid_gigantic()"}],
			confidence: 'P',
		},
		{
			since: '5.7',
			guard: 'pfn_to_online_page() (now mm/page_alloc.c:pfn_range_valid_contig under alloc_contig_pages)',
			commits: [{subject: 'mm/page_alloc: add alloc_contig_pages()'}],
			confidence: 'U',
			note: 'release of the move not verified; verified in 5.10.262, 6.1.176, 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		const validOnly = before(k, '5.4');
		const name = before(k, '5.7') ? 'pfn_range_valid_gigantic' : 'pfn_range_valid_contig';
		const countTest = before(k, '6.1');
		const nr_pages = GIGANTIC_BYTES / model.geometry.PAGE_SIZE;
		const passes: Pass[] = [];
		for (const zone of populatedZones(model).filter(z => z.name !== 'Movable')) {
			const pass = zonePass(model, zone, nr_pages, validOnly, name, countTest);
			if (pass.ranges.length > 0) {
				passes.push(pass);
			}
		}

		return {
			label: validOnly
				? '≤v5.3: pfn_range_valid_gigantic(): pfn_valid()'
				: before(k, '5.7')
					? 'v5.4–v5.6: pfn_range_valid_gigantic(): pfn_to_online_page()'
					: 'v5.7+: pfn_range_valid_contig(): pfn_to_online_page()',
			guard: validOnly ? 'guards with pfn_valid()' : 'guards with pfn_to_online_page()',
			...(validOnly
				? {fixed_by: {id: 'f231fe4235e2', subject: "hugetlbfs: don't access uninitialized memmaps in pfn_range_valid_gigantic()", version: '5.4'}}
				: collisionFixedBy(k)), // 1f90a3477df3 (v5.12) at v5.4–v5.11, source/walker/fixes.ts
			passes: orNothingToWalk(passes, 'no zone but ZONE_MOVABLE holds a gigantic page range in this model'),
		};
	},
});

/** Whether the check of one pfn fails (the window is given up there): the guard, page_zone() != z, PageReserved(). */
function fails(guardPasses: boolean, view: PageView | undefined, zone: Zone): boolean {
	return !guardPasses || view === undefined || view.zone !== zone.name || view.nid !== zone.nid || view.reserved;
}

/**
The pfns the windows of one zone check, as ranges: window [s, s + nr_pages) is checked from s up
to and including its first failing pfn (the whole window when none fails). The failing pfn is
found from the model state of the runs the window crosses, with the same decision (`fails`) the
step takes through the StepContext; adjacent fully checked windows make one range.
*/
function checkedRanges(model: Model, zone: Zone, nr_pages: number, validOnly: boolean): PfnSpan[] {
	const ranges: Array<{start: number; end: number}> = [];
	for (let start = ALIGN(zone.zone_start_pfn, nr_pages); start + nr_pages - 1 < zone.zone_end_pfn; start += nr_pages) {
		const end = start + nr_pages;
		let checkedEnd = end;
		for (let run = model.runAt(start); ; run = model.runs[run.index + 1]!) {
			const {predicates} = run.state;
			const guard = validOnly ? predicates.pfn_valid : predicates.pfn_to_online_page;
			if (fails(guard, guard ? pageView(run.state) : undefined, zone)) {
				checkedEnd = Math.max(run.start, start) + 1;
				break;
			}

			if (run.end >= end) {
				break;
			}
		}

		const last = ranges.at(-1);
		if (last !== undefined && last.end === start) {
			last.end = checkedEnd;
		} else {
			ranges.push({start, end: checkedEnd});
		}
	}

	return ranges;
}

/**
One pass per zone over the pfns its windows check (checkedRanges): the kernel's window loop,
stateless. The step never needs ctx.stop(): a window's first failing pfn is the last pfn of
its range.
*/
function zonePass(model: Model, zone: Zone, nr_pages: number, validOnly: boolean, name: string, countTest: boolean): Pass {
	const checks = countTest ? FLAGS_HEAD_REFCOUNT : FLAGS_HEAD;
	return {
		label: `${name}: ${zoneLabel(zone)}, ${nr_pages}-page windows from ${hex(ALIGN(zone.zone_start_pfn, nr_pages))}`,
		ranges: checkedRanges(model, zone, nr_pages, validOnly),
		direction: 'up',
		stride: 1,
		step(ctx, pfn) {
			if (validOnly ? !ctx.pfn_valid(pfn) : !ctx.pfn_to_online_page(pfn)) {
				return;
			}

			// page_zone() != z; then, for a page of the zone, PageReserved(), [page_count() > 0],
			// PageHuge(): two touches. Where either fails, the range ends.
			const view = ctx.page(pfn, FLAGS, 'page_zone');
			if (view.zone === zone.name && view.nid === zone.nid) {
				ctx.page(pfn, checks, name);
			}
		},
	};
}

/**
mm/mm_init.c:set_zone_contiguous() (mm/page_alloc.c up to v6.4 [V 5.10, 6.1]; moved by Kefeng Wang's
"mm: page_alloc: move set_zone_contiguous() into mm_init.c", MM pull for 6.5-rc1 [P]) and the
pageblock guard it shares with the compaction scanners: mm/page_alloc.c:__pageblock_pfn_to_page()
and the mm/internal.h:pageblock_pfn_to_page() wrapper.

set_zone_contiguous() walks one zone pageblock by pageblock (the first and last block clipped to
the zone) and calls __pageblock_pfn_to_page() on each; it stops at the first block that fails and
otherwise sets zone->contiguous. It runs at boot (page_alloc_init_late(), every populated zone)
and from move_pfn_range_to_zone() (online_pages() and memremap_pages(), so the ZONE_DEVICE zone
too) and remove_pfn_range_from_zone() (not for ZONE_DEVICE) [V 6.12 mm/memory_hotplug.c].

__pageblock_pfn_to_page(start, end, zone), by version:
- v4.13-v6.4: pfn_valid(start) && pfn_valid(end - 1), then pfn_to_online_page(start), then
  page_zone(start) == zone and page_zone_id(end - 1) == page_zone_id(start) [V 5.10, 6.1;
  pfn_to_online_page() since 2d070eab2e82, v4.13, P].
- v6.5+: the pfn_valid(start) test is dropped as redundant with pfn_to_online_page() ("mm/page_alloc:
  drop the unnecessary pfn_valid() for start pfn", Baolin Wang, in the MM pull for 6.5-rc1 [P];
  mainline id not found) [V 6.12].
Both page_zone() reads are struct page `flags` reads; page_zone() goes through page_to_nid() and
its PF_POISONED_CHECK, page_zone_id() does not.

pageblock_pfn_to_page() returns pfn_to_page(start) with no check at all when zone->contiguous is
set [V 6.12 mm/internal.h]: the compaction scanners then read every pfn of the block unguarded
([A]). set_zone_contiguous() itself always calls __pageblock_pfn_to_page()
because its callers clear zone->contiguous first.

The pfn_valid(start) test is decided by source/model/contiguous.ts pageblockChecksStartPfnValid(),
the helper the model's own zone->contiguous replay (and so `explain`) uses: both agree at every
version.

Modelling note: a decision taken on an uninitialized struct page (garbage or poison zone bits) is
modelled as "does not match", the outcome that stops the walk soonest; the touch itself is what
the audit counts.
*/
import {before, type KernelVersion} from '../source/kernel/version.js';
import {pageblockChecksStartPfnValid} from '../source/model/contiguous.js';
import {ALIGN, ALIGN_DOWN} from '../source/model/geometry.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import type {Geometry} from '../source/model/geometry.js';
import type {MemmapState, Model, PfnState, Zone} from '../source/model/types.js';
import {type Anchor, defineWalker, orNothingToWalk, PageBuddy_field, type Pass, type StepContext, type WalkerForm} from '../source/walker/contract.js';
import {zoneLabel} from '../source/walker/ranges.js';

/** The field list of the page_zone() reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;

/** Zones set_zone_contiguous() runs on: every populated zone, and the ZONE_DEVICE zone (memremap_pages()). */
function contiguityZones(model: Model): readonly Zone[] {
	return model.zones.filter(zone => (zone.populated || zone.name === 'Device') && zone.zone_end_pfn > zone.zone_start_pfn);
}

/** pageblock_start_pfn(pfn) clamped to the zone start (the first block of a zone may be partial). */
export function blockStartInZone(g: Geometry, zone: Zone): Anchor {
	return pfn => Math.max(ALIGN_DOWN(pfn, g.pageblock_nr_pages), zone.zone_start_pfn);
}

/** pageblock_end_pfn(pfn) - 1 clamped to the zone end (the last block of a zone may be partial). */
export function blockLastInZone(g: Geometry, zone: Zone): Anchor {
	return pfn => Math.min(ALIGN_DOWN(pfn, g.pageblock_nr_pages) + g.pageblock_nr_pages, zone.zone_end_pfn) - 1;
}

/**
The iteration points of a per-pageblock walk of [start, end) that starts at `start`: `start`
itself, then every pageblock-aligned pfn after it. Both ranges use stride pageblock_nr_pages; the
first one is shorter than a pageblock, so it yields `start` only.
*/
export function pageblockRanges(g: Geometry, start: number, end: number): Array<{start: number; end: number}> {
	if (start >= end) {
		return [];
	}

	const firstAligned = Math.min(ALIGN(start + 1, g.pageblock_nr_pages), end);
	const ranges = [{start, end: firstAligned}];
	if (firstAligned < end) {
		ranges.push({start: firstAligned, end});
	}

	return ranges;
}

function sameZone(zone: Zone, view: {readonly zone?: string | undefined; readonly nid?: number | undefined}): boolean {
	return view.zone === zone.name && view.nid === zone.nid;
}

/**
__pageblock_pfn_to_page(start, last + 1, zone) at ctx.kernel, touching what the kernel touches:
true when it returns a page.
*/
export function __pageblock_pfn_to_page(ctx: StepContext, start: number, last: number, zone: Zone): boolean {
	if (pageblockChecksStartPfnValid(ctx.kernel) && !ctx.pfn_valid(start)) {
		return false;
	}

	if (!ctx.pfn_valid(last)) {
		return false;
	}

	if (!ctx.pfn_to_online_page(start)) {
		return false;
	}

	const startPage = ctx.page(start, FLAGS, '__pageblock_pfn_to_page');
	if (!sameZone(zone, startPage)) {
		return false;
	}

	const endPage = ctx.page(last, FLAGS, '__pageblock_pfn_to_page');
	return endPage.zone === startPage.zone && endPage.nid === startPage.nid;
}

/**
The same decision re-derived without counting touches, for the per-pfn passes of the compaction
scanners: the kernel takes it once per pageblock (and its touches are counted by the scanner's
per-pageblock pass), then reads the block pfn by pfn. `start` and `last` must be anchors of the
calling pass; the struct pages behind them are looked at through the model state, not touched.
*/
export function pageblockPassesQuietly(ctx: StepContext, start: number, last: number, zone: Zone): boolean {
	if (zone.contiguous) {
		return true;
	}

	if ((pageblockChecksStartPfnValid(ctx.kernel) && !ctx.pfn_valid(start)) || !ctx.pfn_valid(last) || !ctx.pfn_to_online_page(start)) {
		return false;
	}

	const startPage = readableMemmap(ctx.model.runAt(start).state);
	const endPage = readableMemmap(ctx.model.runAt(last).state);
	return (
		startPage !== undefined &&
		endPage !== undefined &&
		sameZone(zone, startPage) &&
		endPage.zone === startPage.zone &&
		endPage.nid === startPage.nid
	);
}

/**
The memmap of a run when page_zone()/page_to_nid() read something (init or stale content, as
source/engine/page-view.ts pageView() answers them), else undefined; no PageView is built, since
pageblockPassesQuietly() runs per pfn.
*/
function readableMemmap(state: PfnState): MemmapState | undefined {
	const {memmap} = state;
	return memmap.content === 'init' || memmap.content === 'stale' ? memmap : undefined;
}

/** mm/internal.h:pageblock_pfn_to_page(): no check at all when zone->contiguous. */
export function pageblock_pfn_to_page(ctx: StepContext, start: number, last: number, zone: Zone): boolean {
	return zone.contiguous || __pageblock_pfn_to_page(ctx, start, last, zone);
}

/**
The pfn-by-pfn pass of a compaction scanner (isolate_migratepages_block, isolate_freepages_block)
over `range` of `zone`: for the pfns of blocks that pass pageblock_pfn_to_page() (the decision
re-derived quietly from the `blockStart`/`blockLast` anchors), pfn_valid_within() up to v5.14
(859a85ddf90e removed it in v5.15; decided here, not per pfn), then the reads `via` takes for
every pfn: PageHuge()/PageCompound() (flags, compound_head) and PageBuddy() (PageBuddy_field()).
*/
export function scannerPfnPass(
	kernel: KernelVersion,
	zone: Zone,
	range: {readonly start: number; readonly end: number},
	direction: Pass['direction'],
	blockStart: Anchor,
	blockLast: Anchor,
	via: string,
): Pass {
	const fields = ['flags', 'compound_head', PageBuddy_field(kernel)] as const;
	const withinCheck = before(kernel, '5.15');
	return {
		label: `${zoneLabel(zone)}: pfn by pfn`,
		ranges: [range],
		direction,
		stride: 1,
		anchors: [blockStart, blockLast],
		step(ctx, pfn) {
			if (!pageblockPassesQuietly(ctx, blockStart(pfn), blockLast(pfn), zone)) {
				return;
			}

			if (withinCheck && !ctx.pfn_valid_within(pfn)) {
				return;
			}

			ctx.page(pfn, fields, via);
		},
	};
}

/**
The form of the compaction scanners (isolate_migratepages_block, isolate_freepages_block). At
v5.3–v5.11 pfn_to_online_page() still returns ZONE_DEVICE pfns of online sections: the forms
name 1f90a3477df3 (source/walker/fixes.ts).
*/
export function scannerForm(kernel: KernelVersion): {label: string; guard: string; fixed_by?: WalkerForm['fixed_by']} {
	const guard = 'guards each pageblock with pageblock_pfn_to_page(), which checks nothing when zone->contiguous is set';
	if (before(kernel, '5.15')) {
		return {
			label: 'v4.13-v5.14: pageblock_pfn_to_page() per block (none if zone->contiguous), pfn_valid_within() per pfn',
			guard,
			...collisionFixedBy(kernel),
		};
	}

	if (pageblockChecksStartPfnValid(kernel)) {
		return {label: 'v5.15-v6.4: pageblock_pfn_to_page() per block (none if zone->contiguous)', guard};
	}

	return {label: 'v6.5+: pageblock_pfn_to_page() without pfn_valid(start) (none if zone->contiguous)', guard};
}

function guardLabel(model: Model): {label: string; guard: string; fixed_by?: WalkerForm['fixed_by']} {
	return pageblockChecksStartPfnValid(model.kernel)
		? {
				label: 'v4.13-v6.4: pfn_valid(start) && pfn_valid(end) && pfn_to_online_page(start)',
				guard: 'guards each pageblock with pfn_valid() on both ends and pfn_to_online_page() on its first pfn',
				...collisionFixedBy(model.kernel),
			}
		: {
				label: 'v6.5+: pfn_valid(end) && pfn_to_online_page(start)',
				guard: 'guards each pageblock with pfn_valid() on its last pfn and pfn_to_online_page() on its first',
			};
}

export default defineWalker({
	name: 'set_zone_contiguous',
	models: 'mm/mm_init.c:set_zone_contiguous()',
	trigger:
		'boot (page_alloc_init_late), and every online_pages()/offline_pages() and memremap_pages() through move_pfn_range_to_zone()/remove_pfn_range_from_zone()',
	reachability: 'indirect',
	shape: 'one zone, pageblock by pageblock (first and last block clipped); first and last pfn of each block; stops at the first failing block',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(start) && pfn_valid(end - 1) && pfn_to_online_page(start); page_zone(start), page_zone_id(end - 1)',
			commits: [{id: '2d070eab2e82', subject: 'mm: consider zone which is not fully populated to have holes'}],
			confidence: 'P',
			note: 'Before v4.13 (not modelled) the start page came from pfn_to_page() after pfn_valid() only. Read in 5.10.223 and 6.1.192 [V].',
		},
		{
			since: '6.5',
			guard: 'pfn_valid(end - 1) && pfn_to_online_page(start); page_zone(start), page_zone_id(end - 1)',
			commits: [{subject: 'mm/page_alloc: drop the unnecessary pfn_valid() for start pfn'}],
			confidence: 'P',
			note: 'Baolin Wang, Apr 2023, listed in the MM updates pull for 6.5-rc1; mainline id not found. 6.12.117 read [V]. The end pfn is still only pfn_valid(): a pageblock that spans two subsections can end in a hole (comment added by Baolin Wang, same cycle).',
		},
	],
	plan(model) {
		const g = model.geometry;
		const passes: Pass[] = contiguityZones(model).map(zone => {
			const last = blockLastInZone(g, zone);
			return {
				label: zoneLabel(zone),
				ranges: pageblockRanges(g, zone.zone_start_pfn, zone.zone_end_pfn),
				direction: 'up',
				stride: g.pageblock_nr_pages,
				anchors: [last],
				step(ctx, pfn) {
					if (!__pageblock_pfn_to_page(ctx, pfn, last(pfn), zone)) {
						// "return" before zone->contiguous = true: the walk of this zone ends here.
						ctx.stop();
					}
				},
			};
		});
		return {...guardLabel(model), passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

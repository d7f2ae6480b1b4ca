/**
mm/page_alloc.c:alloc_contig_range_noprof() (alloc_contig_range() before the allocation-profiling
rename [U: v6.10]): allocates a physically contiguous range by isolating its pageblocks
(start_isolate_page_range()), migrating what is in use (__alloc_contig_migrate_range():
isolate_migratepages_range()), test_pages_isolated() and isolate_freepages_range().

It checks no pfn itself [V 6.12 mm/page_alloc.c lines 6685-6819; 6.1 alloc_contig_range() lines
9273-9396]: its callers choose ranges whose memmap is
initialized — alloc_contig_pages() only after pfn_range_valid_contig() accepted every pfn of the
candidate range (pfn_to_online_page(), page_zone() == zone, !PageReserved(), !PageHuge();
walkers/pfn_range_valid_contig.ts), cma_alloc() within a CMA area activated at boot, virtio-mem
within its online memory blocks.

The model walks two callers. cma_alloc(): every pfn of each CMA area of the topology (a boot
entry's `cma:`), and the pfns the range's start walks down to for a buddy that straddles it —
outer_start in 6.1, find_large_buddy() in 6.12: ALIGN_DOWN(start, 1 << order) for every order up
to MAX_ORDER_NR_PAGES, unchecked [V 6.1 lines 9351-9360, 6.12 1785-1806]; for an allocation at the
area's base those lie below the area when the base is only pageblock aligned (CMA_MIN_ALIGNMENT
from v5.19, source/topology/entries.ts), e.g. a hole before the boot range. alloc_contig_pages()
(from v5.5): every populated zone span, pfn by pfn; a pfn is read when pfn_range_valid_contig()
would accept it (the candidate range it belongs to must pass as a whole, so the model reads a
superset of what is allocated [A]). Reads: the page's flags, page_type (buddy), _refcount and
compound_head along the isolation, migration and freeing.

Guard: none of its own, at every release modelled. alloc_contig_pages() came with
5e27a2df03b8 "mm/page_alloc: add alloc_contig_pages()" (Anshuman Khandual): a patch posted on
2019-12-12 already has __alloc_contig_pages() in its context (lkml.org/lkml/2019/12/12/685, "mm:
Export alloc_contig_range() / free_contig_range()"), so it was merged by v5.5 or v5.6; the model
puts it at v5.5 [U]. Before it, hugetlb's pfn_range_valid_gigantic() chose the gigantic-page
candidates (pfn_to_online_page() from v5.4) — that caller is not modelled [U].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, PageBuddy_field, type Pass} from '../source/walker/contract.js';
import {ALIGN_DOWN} from '../source/model/geometry.js';
import {cmaAreas, populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'alloc_contig_range_noprof',
	models: 'mm/page_alloc.c:alloc_contig_range_noprof()',
	trigger: 'gigantic hugetlb allocation (echo N > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages) through alloc_contig_pages(); cma_alloc(); virtio-mem',
	reachability: 'root',
	shape: 'every pfn of each CMA area (and the pfns below its base down to a MAX_ORDER_NR_PAGES boundary); from v5.5 the ranges alloc_contig_pages() accepted, in every populated zone, stride 1',
	fields: ['flags', 'page_type', '_refcount', 'compound_head'],
	history: [
		{
			since: '4.13',
			guard: 'none of its own: the CMA areas of cma_alloc()',
			confidence: 'A',
			note: 'alloc_contig_range() and cma_alloc() are older than every modelled release; the walk down from the range start to a MAX_ORDER_NR_PAGES boundary (outer_start) is read in 6.1 and, as find_large_buddy(), 6.12 [V].',
		},
		{
			since: '5.5',
			guard: 'none of its own: CMA areas, and ranges pfn_range_valid_contig() accepted',
			commits: [{id: '5e27a2df03b8', subject: 'mm/page_alloc: add alloc_contig_pages()'}],
			confidence: 'U',
			note: 'alloc_contig_pages() is in the context of a patch posted 2019-12-12 (lkml.org/lkml/2019/12/12/685): v5.5 or v5.6, v5.5 assumed; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const g = model.geometry;
		const range = [PageBuddy_field(model.kernel), '_refcount', 'compound_head'] as const;
		const buddy = [PageBuddy_field(model.kernel)] as const;
		const passes: Pass[] = [];
		for (const area of cmaAreas(model)) {
			passes.push({
				label: `${area.label} (cma_alloc())`,
				ranges: [{start: area.start, end: area.end}],
				direction: 'up',
				stride: 1,
				step(ctx, pfn) {
					ctx.page(pfn, range, 'alloc_contig_range_noprof');
				},
			});
			// The walk down from the area's first pfn to a MAX_ORDER_NR_PAGES boundary for a buddy
			// that straddles it: below the area when its base is only pageblock aligned.
			const below: number[] = [];
			for (let align = 2; align <= g.MAX_ORDER_NR_PAGES; align *= 2) {
				const pfn = ALIGN_DOWN(area.start, align);
				if (pfn < area.start && !below.includes(pfn)) {
					below.push(pfn);
				}
			}

			if (below.length > 0) {
				passes.push({
					label: `${area.label}: PageBuddy() below the area (outer_start)`,
					ranges: below.sort((a, b) => a - b).map(pfn => ({start: pfn, end: pfn + 1})),
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						ctx.page(pfn, buddy, 'alloc_contig_range_noprof');
					},
				});
			}
		}

		const contigPages = !before(model.kernel, '5.5');
		if (contigPages) {
			for (const zone of populatedZones(model)) {
				passes.push({
					label: zoneLabel(zone),
					ranges: [zoneSpan(zone)],
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						// pfn_range_valid_contig(): the caller's check of this pfn.
						if (!ctx.pfn_to_online_page(pfn)) {
							return;
						}

						const view = ctx.page(pfn, FLAGS, 'pfn_range_valid_contig');
						if (view.zone !== zone.name || view.nid !== zone.nid || view.reserved) {
							return;
						}

						ctx.page(pfn, range, 'alloc_contig_range_noprof');
					},
				});
			}
		}

		return {
			label: contigPages ? 'v5.5+: CMA areas (cma_alloc()) and ranges alloc_contig_pages() accepted' : 'v4.13+: CMA areas (cma_alloc())',
			guard: 'has no check of its own (its callers chose the range: a CMA area, or pfn_range_valid_contig())',
			passes: orNothingToWalk(passes, contigPages ? 'no populated zone in this model' : 'no CMA area in this topology, and no alloc_contig_pages() before v5.5'),
		};
	},
});

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

The model walks the alloc_contig_pages() side: every populated zone span, pfn by pfn; a pfn is
read when pfn_range_valid_contig() would accept it (the candidate range it belongs to must pass
as a whole, so the model reads a superset of what is allocated [A]). Reads: the page's flags,
page_type (buddy), _refcount and compound_head along the isolation, migration and freeing.

Guard: none of its own, at every release modelled. alloc_contig_pages() came with
5e27a2df03b8 "mm/page_alloc: add alloc_contig_pages()" (Anshuman Khandual): a patch posted on
2019-12-12 already has __alloc_contig_pages() in its context (lkml.org/lkml/2019/12/12/685, "mm:
Export alloc_contig_range() / free_contig_range()"), so it was merged by v5.5 or v5.6; the model
puts it at v5.5 [U]. Before it, hugetlb's pfn_range_valid_gigantic() chose the gigantic-page
candidates (pfn_to_online_page() from v5.4) — that caller is not modelled [U].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, PageBuddy_field, type Pass} from '../source/walker/contract.js';
import {populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'alloc_contig_range_noprof',
	models: 'mm/page_alloc.c:alloc_contig_range_noprof()',
	trigger: 'gigantic hugetlb allocation (echo N > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages) through alloc_contig_pages(); cma_alloc(); virtio-mem',
	reachability: 'root',
	shape: 'ranges alloc_contig_pages() accepted, in every populated zone, stride 1',
	fields: ['flags', 'page_type', '_refcount', 'compound_head'],
	history: [
		{
			since: '5.5',
			guard: 'none of its own: ranges pfn_range_valid_contig() accepted',
			commits: [{id: '5e27a2df03b8', subject: 'mm/page_alloc: add alloc_contig_pages()'}],
			confidence: 'U',
			note: 'alloc_contig_pages() is in the context of a patch posted 2019-12-12 (lkml.org/lkml/2019/12/12/685): v5.5 or v5.6, v5.5 assumed; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.5')) {
			return null;
		}

		const range = [PageBuddy_field(model.kernel), '_refcount', 'compound_head'] as const;
		const passes: Pass[] = populatedZones(model).map(zone => ({
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
		}));
		return {
			label: 'v5.5+: ranges alloc_contig_pages() accepted',
			guard: 'has no check of its own (pfn_range_valid_contig() checked the range)',
			passes: orNothingToWalk(passes, 'no populated zone in this model'),
		};
	},
});

/**
mm/page_isolation.c:start_isolate_page_range(): marks the pageblocks of a range MIGRATE_ISOLATE
before the range is offlined (offline_pages()) or allocated (alloc_contig_range(): CMA, gigantic
hugetlb pages, virtio-mem). The model walks it for memory offlining, over the memory blocks
offline_pages() accepts; alloc_contig_range_noprof (walkers/alloc_contig_range_noprof.ts) covers
the allocation side.

Shape [V 6.12 lines 504-547; 6.1]: isolate_single_pageblock() for the first and the last
pageblock (which checks the pfns just outside the range with pfn_to_online_page() [V 6.12]), then
for every pageblock in between __first_valid_page(pfn, pageblock_nr_pages) — pfn_to_online_page()
pfn by pfn until one is online — and set_migratetype_isolate() on that page: page_zone(),
has_unmovable_pages() over the pageblock pfn by pfn (flags, page_type, _refcount, compound_head)
and the pageblock's migratetype (ms->usage, no struct page).

The model steps every pfn: a pfn is read when the check at its pageblock's first pfn (the
anchor) passed. pfn_to_online_page() answers per section, and a pageblock lies in one section, so
the first pfn of a pageblock stands for the first online pfn __first_valid_page() finds [A; a
ZONE_DEVICE pfn of an online section is an exception from v5.12, not in an offlinable block].

Guard: pfn_to_online_page() since 2ce13640b3f4 "mm: __first_valid_page skip over offline pages"
(Michal Hocko, v4.13 merge; pfn_valid_within() before) [P: cited by later Fixes: tags].
*/
import {defineWalker, PageBuddy_field} from '../source/walker/contract.js';
import {pageIsolationForm} from '../source/walker/page-isolation.js';

export default defineWalker({
	name: 'start_isolate_page_range',
	models: 'mm/page_isolation.c:start_isolate_page_range()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state (offline_pages()); alloc_contig_range() callers (CMA, gigantic hugetlb pages, virtio-mem)',
	reachability: 'root',
	shape: 'the range being isolated, pageblock by pageblock: the first online pfn, then the pageblock pfn by pfn (has_unmovable_pages())',
	fields: ['flags', 'page_type', '_refcount', 'compound_head'],
	history: [
		{
			since: '4.13',
			guard: '__first_valid_page(): pfn_to_online_page() per pageblock',
			commits: [{id: '2ce13640b3f4', subject: 'mm: __first_valid_page skip over offline pages'}],
			confidence: 'P',
			note: 'In the v4.13 merge (Michal Hocko\'s hotplug rework); pfn_valid_within() before. 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		return pageIsolationForm(model, 'isolate', ['flags', PageBuddy_field(model.kernel), '_refcount', 'compound_head'] as const, 'has_unmovable_pages');
	},
});

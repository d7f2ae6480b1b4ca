/**
mm/page_isolation.c:test_pages_isolated(): after migration, offline_pages() and
alloc_contig_range() check that every page of the range is free or isolated.

Shape [V 6.12 lines 630-676; 6.1]: for every pageblock __first_valid_page() (pfn_to_online_page()
pfn by pfn) and is_migrate_isolate_page() (the pageblock bitmap); then __first_valid_page() of
the whole range and page_zone() of the page found; then __test_page_isolated_in_pageblock() walks
the whole range with pfn_to_page() and no check of its own: PageBuddy() (skipping by buddy_order()),
PageHWPoison(), PageOffline() with page_count().

The model (the offlining side, over the blocks offline_pages() accepts) steps every pfn and reads
it when the check at its pageblock's first pfn passed (the anchor; see
walkers/start_isolate_page_range.ts for why the first pfn stands for the block [A]). A range
with a pageblock __first_valid_page() refuses fails with -EBUSY before the per-pfn walk; offline
pageblocks are never inside an offlinable block.

Guard: __first_valid_page() per pageblock since 2ce13640b3f4 "mm: __first_valid_page skip over
offline pages" (v4.13) [P].
*/
import {defineWalker, PageBuddy_field} from '../source/walker/contract.js';
import {pageIsolationForm} from '../source/walker/page-isolation.js';

export default defineWalker({
	name: 'test_pages_isolated',
	models: 'mm/page_isolation.c:test_pages_isolated()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state (offline_pages()); alloc_contig_range() callers',
	reachability: 'root',
	shape: 'the isolated range: one check per pageblock, then every pfn (__test_page_isolated_in_pageblock())',
	fields: ['flags', 'page_type', 'private', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: '__first_valid_page(): pfn_to_online_page() per pageblock, then pfn_to_page() across the range',
			commits: [{id: '2ce13640b3f4', subject: 'mm: __first_valid_page skip over offline pages'}],
			confidence: 'P',
			note: '6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		return pageIsolationForm(model, 'test', [PageBuddy_field(model.kernel), 'private', 'flags', '_refcount'] as const, '__test_page_isolated_in_pageblock');
	},
});

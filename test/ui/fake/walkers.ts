/**
Scripted walkers of the fake port: names, modelled functions and guard forms follow
the walker catalog closely enough to look right in the dashboard, but the
counts are produced by a script (reach × density over the scenario's regions), not by a model.
The real walkers live in walkers/ and are run by source/engine/.
*/
import type {CategoryId} from '../../../source/model/categories.js';

export type FakeForm = {
	/** First release with this form. */
	readonly since: string;
	/** The guard in kernel terms, shown as the walker's "form". */
	readonly form: string;
	/** Categories of the scenario's regions the guard lets through. */
	readonly reach: readonly CategoryId[];
	/** Touched pfns per walked pfn (1 = stride 1; 1/512 = once per pageblock). */
	readonly density?: number;
};

export type FakeWalker = {
	readonly name: string;
	readonly models: string;
	readonly chain: readonly string[];
	readonly fields: readonly string[];
	readonly history: readonly FakeForm[];
	/** A user walker loaded from a path (not built in). */
	readonly file?: string;
	/** Throws when its progress reaches this fraction. */
	readonly throwsAt?: number;
	/** Witnesses kept per category (default 24). */
	readonly witnessLimit?: number;
	/** Relative duration. */
	readonly weight: number;
};

const ALL_VALID: readonly CategoryId[] = ['ok', 'hole', 'nomap', 'C1', 'C2', 'C3', 'C4', 'C5', 'metadata', 'teardown'];
const ONLINE: readonly CategoryId[] = ['ok', 'hole'];

export const FAKE_WALKERS: readonly FakeWalker[] = [
	{
		name: 'memory_failure',
		models: 'mm/memory-failure.c:memory_failure()',
		chain: ['memory_failure', 'memory_failure_dev_pagemap', 'dax_lock_page'],
		fields: ['flags', 'compound_head', 'mapping'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ALL_VALID},
			{since: '4.19', form: 'pfn_valid() && get_dev_pagemap()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata', 'teardown']},
			{since: '5.4', form: 'pfn_to_online_page(); else pfn_valid() && get_dev_pagemap()', reach: ['ok', 'hole', 'C2', 'C4', 'C5', 'teardown']},
			{since: '5.12', form: 'pfn_to_online_page(); else get_dev_pagemap() && pgmap_pfn_valid()', reach: ['ok', 'hole', 'C2', 'C4']},
		],
		weight: 1.2,
	},
	{
		name: 'soft_offline_page',
		models: 'mm/memory-failure.c:soft_offline_page()',
		chain: ['soft_offline_page_store', 'soft_offline_page'],
		fields: ['flags', '_refcount'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata']},
			{since: '5.4', form: 'pfn_valid() && pfn_to_online_page()', reach: ['ok']},
		],
		weight: 1,
	},
	{
		name: 'unpoison_memory',
		models: 'mm/memory-failure.c:unpoison_memory()',
		chain: ['unpoison_memory', 'page_folio'],
		fields: ['compound_head', 'flags'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata']},
			{since: '5.11', form: 'pfn_to_online_page()', reach: ['ok']},
		],
		weight: 0.8,
	},
	{
		name: 'hwpoison_inject',
		models: 'mm/hwpoison-inject.c:hwpoison_inject()',
		chain: ['hwpoison_inject', 'compound_head'],
		fields: ['compound_head', 'flags', 'mapping'],
		history: [{since: '4.13', form: 'pfn_valid() (unchanged)', reach: ['ok', 'hole', 'nomap', 'C1', 'C2', 'C4', 'C5', 'metadata', 'teardown']}],
		weight: 1,
	},
	{
		name: 'shrink_zone_span',
		models: 'mm/memory_hotplug.c:shrink_zone_span()',
		chain: ['shrink_zone_span', 'find_smallest_section_pfn', 'pfn_to_nid'],
		fields: ['flags'],
		history: [
			{since: '4.13', form: 'pfn_valid() (ZONE_DEVICE zones too)', reach: ['ok', 'hole', 'C2', 'C4', 'C5', 'metadata'], density: 1 / 512},
			{since: '5.4', form: 'pfn_to_online_page(); ZONE_DEVICE never shrunk', reach: ONLINE, density: 1 / 512},
		],
		weight: 0.6,
	},
	{
		name: 'shrink_pgdat_span',
		models: 'mm/memory_hotplug.c:shrink_pgdat_span()',
		chain: ['shrink_pgdat_span', 'pfn_to_nid'],
		fields: ['flags'],
		history: [
			{since: '4.13', form: 'pfn_valid() && pfn_to_nid()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata'], density: 1 / 512},
			{since: '5.4', form: 'update_pgdat_span(): no memmap access', reach: [], density: 1 / 512},
		],
		weight: 0.5,
	},
	{
		name: 'set_zone_contiguous',
		models: 'mm/mm_init.c:set_zone_contiguous()',
		chain: ['set_zone_contiguous', '__pageblock_pfn_to_page'],
		fields: ['flags'],
		history: [{since: '4.13', form: 'pfn_to_online_page(start), pfn_valid(end)', reach: ONLINE, density: 2 / 512}],
		weight: 0.5,
	},
	{
		name: 'isolate_migratepages_block',
		models: 'mm/compaction.c:isolate_migratepages_block()',
		chain: ['compact_zone', 'isolate_migratepages', 'isolate_migratepages_block'],
		fields: ['page_type', 'compound_head', 'lru', '_refcount'],
		history: [
			{since: '4.13', form: 'pageblock_pfn_to_page() + pfn_valid_within()', reach: ONLINE},
			{since: '5.14', form: 'pageblock_pfn_to_page(); no check if zone->contiguous', reach: ONLINE},
		],
		weight: 1.4,
	},
	{
		name: 'isolate_freepages_block',
		models: 'mm/compaction.c:isolate_freepages_block()',
		chain: ['compact_zone', 'isolate_freepages', 'isolate_freepages_block'],
		fields: ['page_type', 'private'],
		history: [
			{since: '4.13', form: 'pageblock_pfn_to_page() + pfn_valid_within()', reach: ONLINE},
			{since: '5.14', form: 'pageblock_pfn_to_page(); no check if zone->contiguous', reach: ONLINE},
		],
		weight: 1.3,
	},
	{
		name: '__reset_isolation_suitable',
		models: 'mm/compaction.c:__reset_isolation_suitable()',
		chain: ['__reset_isolation_suitable', '__reset_isolation_pfn'],
		fields: ['flags', 'page_type'],
		history: [
			{since: '4.13', form: 'pfn_to_online_page()', reach: ONLINE, density: 1 / 64},
			{since: '5.1', form: '__reset_isolation_pfn(): pfn_to_online_page() on pfn, block start and end', reach: ONLINE, density: 1 / 64},
		],
		weight: 0.7,
	},
	{
		name: 'kpageflags_read',
		models: 'fs/proc/page.c:kpageflags_read()',
		chain: ['kpageflags_read', 'stable_page_flags'],
		fields: ['flags', 'compound_head', 'page_type', 'mapping'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'nomap', 'C1', 'C2', 'C4', 'C5', 'metadata', 'teardown']},
			{since: '5.4', form: 'pfn_to_online_page()', reach: ONLINE},
		],
		weight: 1.5,
	},
	{
		name: 'kpagecount_read',
		models: 'fs/proc/page.c:kpagecount_read()',
		chain: ['kpagecount_read', 'page_mapcount'],
		fields: ['_mapcount', 'compound_head'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'nomap', 'C1', 'C2', 'C4', 'C5', 'metadata', 'teardown']},
			{since: '5.4', form: 'pfn_to_online_page()', reach: ONLINE},
		],
		weight: 1.2,
	},
	{
		name: 'kpagecgroup_read',
		models: 'fs/proc/page.c:kpagecgroup_read()',
		chain: ['kpagecgroup_read', 'page_cgroup_ino'],
		fields: ['memcg_data'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'nomap', 'C1', 'C2', 'C4', 'C5', 'metadata', 'teardown']},
			{since: '5.4', form: 'pfn_to_online_page()', reach: ONLINE},
		],
		weight: 1.1,
	},
	{
		name: 'pagetypeinfo_showmixedcount_print',
		models: 'mm/page_owner.c:pagetypeinfo_showmixedcount_print()',
		chain: ['pagetypeinfo_showmixedcount_print', 'page_ext_get'],
		fields: ['flags', 'page_ext'],
		history: [
			{since: '4.13', form: 'pfn_valid() + pfn_valid_within()', reach: ['ok', 'hole', 'C1']},
			{since: '5.4', form: 'pfn_to_online_page() per pageblock', reach: ONLINE},
		],
		weight: 0.9,
	},
	{
		name: 'read_page_owner',
		models: 'mm/page_owner.c:read_page_owner()',
		chain: ['read_page_owner', 'page_ext_get', 'PageBuddy'],
		fields: ['page_type', 'private', 'page_ext'],
		history: [{since: '4.13', form: 'pfn_valid() every MAX_ORDER_NR_PAGES (unchanged)', reach: ALL_VALID}],
		witnessLimit: 4000,
		weight: 1.6,
	},
	{
		name: 'page_idle_bitmap_read',
		models: 'mm/page_idle.c:page_idle_bitmap_read()',
		chain: ['page_idle_bitmap_read', 'page_idle_get_folio'],
		fields: ['compound_head', 'lru', '_refcount'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata']},
			{since: '5.8', form: 'pfn_to_online_page()', reach: ['ok']},
		],
		weight: 1,
	},
	{
		name: 'saveable_page',
		models: 'kernel/power/snapshot.c:saveable_page()',
		chain: ['count_data_pages', 'saveable_page'],
		fields: ['flags', 'page_type'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'C1']},
			{since: '5.0', form: 'pfn_valid() && pfn_to_online_page()', reach: ONLINE},
		],
		weight: 1,
	},
	{
		name: 'mark_free_pages',
		models: 'kernel/power/snapshot.c:mark_free_pages()',
		chain: ['mark_free_pages', 'page_zone'],
		fields: ['flags'],
		history: [{since: '4.13', form: 'pfn_valid() (unchanged)', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata']}],
		weight: 1,
	},
	{
		name: 'kmemleak_scan',
		models: 'mm/kmemleak.c:kmemleak_scan()',
		chain: ['kmemleak_scan', 'scan_block'],
		fields: ['struct page'],
		history: [
			{since: '4.13', form: 'pfn_valid() && page_to_nid()', reach: ['ok', 'hole', 'C1', 'C2', 'C4', 'C5', 'metadata']},
			{since: '4.20', form: 'pfn_to_online_page()', reach: ONLINE},
			{since: '5.16', form: 'pfn_to_online_page() over populated zone spans', reach: ONLINE},
		],
		weight: 1.2,
	},
	{
		name: 'pfn_range_valid_contig',
		models: 'mm/page_alloc.c:pfn_range_valid_contig()',
		chain: ['alloc_contig_pages', 'pfn_range_valid_contig'],
		fields: ['flags', 'compound_head'],
		history: [
			{since: '4.13', form: 'pfn_valid()', reach: ['ok', 'hole', 'C1']},
			{since: '5.4', form: 'pfn_to_online_page() && zone && !PageReserved', reach: ['ok']},
		],
		weight: 0.8,
	},
	{
		name: 'damon_get_folio',
		models: 'mm/damon/ops-common.c:damon_get_folio()',
		chain: ['damon_pa_check_accesses', 'damon_get_folio'],
		fields: ['compound_head', '_refcount'],
		history: [{since: '5.16', form: 'pfn_to_online_page()', reach: ['ok']}],
		weight: 0.7,
	},
	{
		name: 'memunmap_pages',
		models: 'mm/memremap.c:memunmap_pages()',
		chain: ['memunmap_pages', 'page_zone'],
		fields: ['flags'],
		history: [
			{since: '4.13', form: 'page_zone(pfn_to_page(range.start))', reach: ['C5', 'teardown'], density: 1 / 65_536},
			{since: '5.4', form: 'page_zone(pfn_to_page(range.start + vmem_altmap_offset()))', reach: ['C2', 'teardown'], density: 1 / 65_536},
		],
		weight: 0.4,
	},
	{
		name: 'my_pfn_walker',
		models: 'user walker: ./my_pfn_walker.ts',
		chain: ['my_pfn_walker'],
		fields: ['flags'],
		file: './my_pfn_walker.ts',
		history: [{since: '4.13', form: 'pfn_valid()', reach: ALL_VALID}],
		throwsAt: 0.4,
		weight: 0.8,
	},
];

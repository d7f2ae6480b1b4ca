/**
The census of PFN walkers in one kernel tree: every place that takes a pfn not obtained from a
struct page already held and then reads (or writes) that pfn's struct page, with where it is and
what guards it there. It keeps the walker catalog honest (test/walkers/census.test.ts): each
function is modelled by a walker file that names it, or says here why it is not, so a walker the
census found cannot be forgotten silently; and every built-in walker models a function the
census found (or is listed in OUTSIDE_CENSUS with the reason).

Tree: Debian linux-source-6.12 6.12.118 (bookworm), read in mm/, fs/proc/, kernel/,
drivers/{base,virtio,dax,nvdimm,vfio}/, arch/{x86,arm64}/mm/ and virt/kvm/. Line numbers are
that tree's. The census counted 51 places; listed one kernel function per entry they are 53:
page isolation is two entries (start_isolate_page_range() and test_pages_isolated(), each with its
own loop over __first_valid_page()), and the KVM release path kvm_release_pfn_clean() (through
which kvm_release_pfn_dirty() also reads the page) has an entry of its own beside
kvm_set_pfn_dirty() and kvm_set_pfn_accessed().

A function is *modelled* when a built-in walker's `models` names it (file and function), or when
`walker` names the built-in walker whose file models it as part of a family (that file names the
function). `example` names a documented user-walker example that models it instead.
*/

export const CENSUS_TREE = '6.12.118';

export type CensusEntry = {
	/** The kernel function, verbatim. */
	readonly function: string;
	/** Its file in the census tree. */
	readonly file: string;
	/** Its definition's first and last line in the census tree: "2920-2928". */
	readonly lines: string;
	/** What stands between the pfn and the struct page read there, in kernel terms. */
	readonly guard: string;
	/** The built-in walker that models it as part of a family, when its own `models` names another function. */
	readonly walker?: string;
	/** A documented user-walker example (path in this repository) that models it. */
	readonly example?: string;
	/** Why no walker models it. */
	readonly not_modelled?: string;
};

export const CENSUS: readonly CensusEntry[] = [
	// The 21 the catalog modelled before the census.
	{function: 'memory_failure', file: 'mm/memory-failure.c', lines: '2254-2453', guard: 'pfn_to_online_page(), else pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid()'},
	{function: 'soft_offline_page', file: 'mm/memory-failure.c', lines: '2805-2867', guard: 'pfn_valid() && pfn_to_online_page()'},
	{function: 'unpoison_memory', file: 'mm/memory-failure.c', lines: '2584-2686', guard: 'pfn_to_online_page() (the d613f53c83ec backport)'},
	{function: 'hwpoison_inject', file: 'mm/hwpoison-inject.c', lines: '14-54', guard: 'pfn_valid() only'},
	{function: 'shrink_zone_span', file: 'mm/memory_hotplug.c', lines: '478-516', guard: 'pfn_to_online_page() per subsection'},
	{function: 'set_zone_contiguous', file: 'mm/mm_init.c', lines: '2276-2296', guard: '__pageblock_pfn_to_page(): pfn_to_online_page() start, pfn_valid() end'},
	{function: 'isolate_migratepages_block', file: 'mm/compaction.c', lines: '870-1344', guard: 'pageblock_pfn_to_page() (no check when zone->contiguous)'},
	{function: 'isolate_freepages_block', file: 'mm/compaction.c', lines: '589-711', guard: 'pageblock_pfn_to_page() (no check when zone->contiguous)'},
	{function: '__reset_isolation_suitable', file: 'mm/compaction.c', lines: '382-433', guard: 'pfn_to_online_page() on the pfn and the pageblock ends'},
	{function: 'kpageflags_read', file: 'fs/proc/page.c', lines: '225-264', guard: 'pfn_to_online_page()'},
	{function: 'kpagecount_read', file: 'fs/proc/page.c', lines: '45-90', guard: 'pfn_to_online_page()'},
	{function: 'kpagecgroup_read', file: 'fs/proc/page.c', lines: '273-319', guard: 'pfn_to_online_page()'},
	{function: 'pagetypeinfo_showmixedcount_print', file: 'mm/page_owner.c', lines: '413-494', guard: 'pfn_to_online_page() per pageblock'},
	{function: 'read_page_owner', file: 'mm/page_owner.c', lines: '652-747', guard: 'pfn_valid() once per MAX_ORDER_NR_PAGES'},
	{function: 'page_idle_bitmap_read', file: 'mm/page_idle.c', lines: '114-157', guard: 'pfn_to_online_page() (page_idle_get_folio())'},
	{function: 'saveable_page', file: 'kernel/power/snapshot.c', lines: '1380-1407', guard: 'pfn_to_online_page()'},
	{function: 'mark_free_pages', file: 'kernel/power/snapshot.c', lines: '1248-1293', guard: 'pfn_valid() only'},
	{function: 'kmemleak_scan', file: 'mm/kmemleak.c', lines: '1720-1889', guard: 'pfn_to_online_page() + page_zone() + page_count()'},
	{function: 'pfn_range_valid_contig', file: 'mm/page_alloc.c', lines: '6831-6852', guard: 'pfn_to_online_page() + page_zone() + !PageReserved()'},
	{function: 'damon_get_folio', file: 'mm/damon/ops-common.c', lines: '22-38', guard: 'pfn_to_online_page()'},
	{function: 'memunmap_pages', file: 'mm/memremap.c', lines: '137-155', guard: 'pfn_to_page() of the pgmap\'s first data pfn (page_zone()), after percpu_ref_kill()'},

	// Unguarded: pfn_valid() or an iomem test only, then a struct page read or write.
	{function: 'kvm_try_get_pfn', file: 'virt/kvm/kvm_main.c', lines: '2920-2928', guard: 'kvm_pfn_to_refcounted_page() (174-198): pfn_valid() only, PageReserved(), then a _refcount write'},
	{function: 'kvm_set_pfn_dirty', file: 'virt/kvm/kvm_main.c', lines: '3297-3304', guard: 'pfn_valid() only, then kvm_is_ad_tracked_page() (PageReserved()) and SetPageDirty()'},
	{function: 'kvm_set_pfn_accessed', file: 'virt/kvm/kvm_main.c', lines: '3307-3314', guard: 'pfn_valid() only, then kvm_is_ad_tracked_page() and mark_page_accessed()', walker: 'kvm_set_pfn_dirty'},
	{function: 'kvm_release_pfn_clean', file: 'virt/kvm/kvm_main.c', lines: '3253-3265', guard: 'kvm_pfn_to_refcounted_page(): pfn_valid() only, then put_page()'},
	{function: 'is_invalid_reserved_pfn', file: 'drivers/vfio/vfio_iommu_type1.c', lines: '454-460', guard: 'pfn_valid() only, then PageReserved()'},
	{function: 'reserve_ram_pages_type', file: 'arch/x86/mm/pat/memtype.c', lines: '435-477', guard: 'pat_pagerange_is_ram() (an iomem "System RAM" test) only, then page->flags written'},
	{function: 'free_ram_pages_type', file: 'arch/x86/mm/pat/memtype.c', lines: '479-489', guard: 'pat_pagerange_is_ram() only, then page->flags written'},
	{function: 'lookup_memtype', file: 'arch/x86/mm/pat/memtype.c', lines: '654-680', guard: 'pat_pagerange_is_ram() only, then page->flags read'},
	{function: '__ioremap_check_ram', file: 'arch/x86/mm/ioremap.c', lines: '71-89', guard: 'pfn_valid() only, then PageReserved()'},
	{function: 'fast_isolate_freepages', file: 'mm/compaction.c', lines: '1540-1707', guard: 'min_pfn fallback: pfn_valid(min_pfn) + pageblock_pfn_to_page() (no check when zone->contiguous), then fast_isolate_around() (1494-1520)'},

	// Guarded: the census found no way to an uninitialized memmap at 6.12.118.
	{function: 'read_kcore_iter', file: 'fs/proc/kcore.c', lines: '324-633', guard: 'KCORE_RAM: pfn_to_online_page(), then PageOffline() and is_page_hwpoison()'},
	{function: 'page_idle_bitmap_write', file: 'mm/page_idle.c', lines: '159-194', guard: 'pfn_to_online_page() (page_idle_get_folio())'},
	{function: 'generic_access_phys', file: 'mm/memory.c', lines: '6565-6632', guard: 'pfn_to_online_page(), then PageReserved()'},
	{function: 'pagetypeinfo_showblockcount_print', file: 'mm/vmstat.c', lines: '1607-1637', guard: 'pfn_to_online_page() per pageblock, then page_zone()'},
	{function: 'split_huge_pages_all', file: 'mm/huge_memory.c', lines: '3992-4040', guard: 'pfn_to_online_page(), then PageTail() and folio_try_get()'},
	{function: '__shuffle_zone', file: 'mm/shuffle.c', lines: '80-147', guard: 'shuffle_valid_page() (36-66): pfn_to_online_page(), page_zone(), PageBuddy()'},
	{function: 'auto_movable_zone_for_pfn', file: 'mm/memory_hotplug.c', lines: '978-1037', guard: 'pfn_to_online_page() once per section of a dynamic memory group, then is_zone_movable_page()'},
	{function: 'try_offline_memory_block', file: 'mm/memory_hotplug.c', lines: '2351-2378', guard: 'pfn_to_online_page() of the block\'s first pfn, then page_zone()'},
	{function: 'virtio_mem_bbm_bb_is_movable', file: 'drivers/virtio/virtio_mem.c', lines: '2241-2259', guard: 'pfn_to_online_page() per section of a big block (also virtio_mem_bbm_offline_remove_and_unplug_bb(), 2156-2217)'},
	{function: 'scan_movable_pages', file: 'mm/memory_hotplug.c', lines: '1750-1794', guard: 'pfn_valid(), inside offline_pages(), which refused ranges with holes or several zones first', example: 'docs/examples/my_walker.ts'},
	{function: 'do_migrate_range', file: 'mm/memory_hotplug.c', lines: '1796-1892', guard: 'pfn_valid(), inside offline_pages() (as scan_movable_pages())'},
	{function: 'dissolve_free_hugetlb_folios', file: 'mm/hugetlb.c', lines: '2299-2322', guard: 'none of its own: pfn_folio() on a range offline_pages() checked'},
	{function: 'start_isolate_page_range', file: 'mm/page_isolation.c', lines: '504-547', guard: '__first_valid_page() (269-282): pfn_to_online_page() per pageblock; isolate_single_pageblock() the boundary pfns'},
	{function: 'test_pages_isolated', file: 'mm/page_isolation.c', lines: '630-676', guard: '__first_valid_page() per pageblock, then pfn_to_page() across the block'},
	{function: 'alloc_contig_range_noprof', file: 'mm/page_alloc.c', lines: '6685-6819', guard: 'a range its callers checked (pfn_range_valid_contig(), CMA areas), then page isolation'},
	{function: 'page_table_check_clear', file: 'mm/page_table_check.c', lines: '63-96', guard: 'pfn_valid() of a pfn a page table maps (also page_table_check_set(), 103-137)'},
	{function: 'migrate_device_range', file: 'mm/migrate_device.c', lines: '900-926', guard: 'none of its own: a device driver\'s own DEVICE_PRIVATE or DEVICE_COHERENT range, memmap initialized by memremap_pages()'},
	{function: 'dax_set_mapping', file: 'drivers/dax/device.c', lines: '76-101', guard: 'none of its own: a pfn of the device-dax range being faulted, memmap initialized by memremap_pages()'},
	{function: 'init_pages_in_zone', file: 'mm/page_owner.c', lines: '764-832', guard: 'pfn_valid() per pageblock, page_zone(); boot only'},
	{function: 'page_ext_init', file: 'mm/page_ext.c', lines: '459-502', guard: 'pfn_valid() once per section of the node span, then pfn_to_nid(); boot only'},
	{function: 'register_mem_block_under_node_early', file: 'drivers/base/node.c', lines: '784-821', guard: 'pfn_in_present_section(), then early_pfn_to_nid() or pfn_to_nid(); boot only (do_register_memory_block_under_node(), 757-781)'},
	{function: 'cma_activate_area', file: 'mm/cma.c', lines: '92-139', guard: 'WARN_ON_ONCE(!pfn_valid()) then page_zone() per pfn of a boot CMA area; boot only'},
];

/** Built-in walkers that model no function of the census, and why. */
export const OUTSIDE_CENSUS: Readonly<Record<string, string>> = {
	shrink_pgdat_span:
		'mm/memory_hotplug.c:shrink_pgdat_span() read the memmap (pfn_to_nid()) until v5.4; its successor update_pgdat_span() reads zone spans only, so the census of 6.12.118 has no entry for it',
};

/** `path/file.c:function()` → its parts. */
export function splitModels(models: string): {file: string; function: string} {
	const colon = models.lastIndexOf(':');
	return {file: models.slice(0, colon), function: models.slice(colon + 1).replace(/\(\)$/, '')};
}

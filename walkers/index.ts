import type {WalkerDefinition} from '../source/walker/contract.js';
import memory_failure from './memory_failure.js';
import soft_offline_page from './soft_offline_page.js';
import unpoison_memory from './unpoison_memory.js';
import hwpoison_inject from './hwpoison_inject.js';
import shrink_zone_span from './shrink_zone_span.js';
import shrink_pgdat_span from './shrink_pgdat_span.js';
import set_zone_contiguous from './set_zone_contiguous.js';
import isolate_migratepages_block from './isolate_migratepages_block.js';
import isolate_freepages_block from './isolate_freepages_block.js';
import __reset_isolation_suitable from './__reset_isolation_suitable.js';
import kpageflags_read from './kpageflags_read.js';
import kpagecount_read from './kpagecount_read.js';
import kpagecgroup_read from './kpagecgroup_read.js';
import pagetypeinfo_showmixedcount_print from './pagetypeinfo_showmixedcount_print.js';
import read_page_owner from './read_page_owner.js';
import page_idle_bitmap_read from './page_idle_bitmap_read.js';
import saveable_page from './saveable_page.js';
import mark_free_pages from './mark_free_pages.js';
import kmemleak_scan from './kmemleak_scan.js';
import pfn_range_valid_contig from './pfn_range_valid_contig.js';
import damon_get_folio from './damon_get_folio.js';
import memunmap_pages from './memunmap_pages.js';
import fast_isolate_freepages from './fast_isolate_freepages.js';
import kvm_try_get_pfn from './kvm_try_get_pfn.js';
import kvm_release_pfn_clean from './kvm_release_pfn_clean.js';
import kvm_set_pfn_dirty from './kvm_set_pfn_dirty.js';
import is_invalid_reserved_pfn from './is_invalid_reserved_pfn.js';
import reserve_ram_pages_type from './reserve_ram_pages_type.js';
import free_ram_pages_type from './free_ram_pages_type.js';
import lookup_memtype from './lookup_memtype.js';
import __ioremap_check_ram from './__ioremap_check_ram.js';
import read_kcore_iter from './read_kcore_iter.js';
import page_idle_bitmap_write from './page_idle_bitmap_write.js';
import generic_access_phys from './generic_access_phys.js';
import pagetypeinfo_showblockcount_print from './pagetypeinfo_showblockcount_print.js';
import split_huge_pages_all from './split_huge_pages_all.js';
import __shuffle_zone from './__shuffle_zone.js';
import auto_movable_zone_for_pfn from './auto_movable_zone_for_pfn.js';
import try_offline_memory_block from './try_offline_memory_block.js';
import virtio_mem_bbm_bb_is_movable from './virtio_mem_bbm_bb_is_movable.js';
import do_migrate_range from './do_migrate_range.js';
import dissolve_free_hugetlb_folios from './dissolve_free_hugetlb_folios.js';
import start_isolate_page_range from './start_isolate_page_range.js';
import test_pages_isolated from './test_pages_isolated.js';
import migrate_device_range from './migrate_device_range.js';
import dax_set_mapping from './dax_set_mapping.js';
import page_table_check_clear from './page_table_check_clear.js';
import alloc_contig_range_noprof from './alloc_contig_range_noprof.js';
import init_pages_in_zone from './init_pages_in_zone.js';
import page_ext_init from './page_ext_init.js';
import register_mem_block_under_node_early from './register_mem_block_under_node_early.js';
import cma_activate_area from './cma_activate_area.js';

/**
The built-in walker catalog (docs/writing-a-walker.md), in one explicit list, in catalog order. Checked at load by
source/walker/registry.ts (unique names, models, history).
*/
export const BUILTIN_WALKERS: readonly WalkerDefinition[] = [
	memory_failure,
	soft_offline_page,
	unpoison_memory,
	hwpoison_inject,
	shrink_zone_span,
	shrink_pgdat_span,
	set_zone_contiguous,
	isolate_migratepages_block,
	isolate_freepages_block,
	__reset_isolation_suitable,
	kpageflags_read,
	kpagecount_read,
	kpagecgroup_read,
	pagetypeinfo_showmixedcount_print,
	read_page_owner,
	page_idle_bitmap_read,
	saveable_page,
	mark_free_pages,
	kmemleak_scan,
	pfn_range_valid_contig,
	damon_get_folio,
	memunmap_pages,
	fast_isolate_freepages,
	kvm_try_get_pfn,
	kvm_release_pfn_clean,
	kvm_set_pfn_dirty,
	is_invalid_reserved_pfn,
	reserve_ram_pages_type,
	free_ram_pages_type,
	lookup_memtype,
	__ioremap_check_ram,
	read_kcore_iter,
	page_idle_bitmap_write,
	generic_access_phys,
	pagetypeinfo_showblockcount_print,
	split_huge_pages_all,
	__shuffle_zone,
	auto_movable_zone_for_pfn,
	try_offline_memory_block,
	virtio_mem_bbm_bb_is_movable,
	do_migrate_range,
	dissolve_free_hugetlb_folios,
	start_isolate_page_range,
	test_pages_isolated,
	migrate_device_range,
	dax_set_mapping,
	page_table_check_clear,
	alloc_contig_range_noprof,
	init_pages_in_zone,
	page_ext_init,
	register_mem_block_under_node_early,
	cma_activate_area,
];

/**
Walkers adopting the what-if helpers of the five-category thread (source/model/proposals.ts).

A helper such as pfn_zone_device() only changes anything where a walker calls it. pfnaudit models
adoption the way the proposals describe it: the adopting walker asks the helper about the pfn it
is about to look at and skips it — returns from the step — before any read of its struct page.
The form the walker has at the kernel version is otherwise unchanged, and its label and guard
say what was adopted. Anchor pfns (pageblock starts and the like) are not asked: a walker adopts
the helper at the pfn it iterates over.

`planWalker()` is what the engine calls instead of `walker.plan(model)`.
*/
import type {Model} from '../model/types.js';
import type {Pass, StepContext, WalkerDefinition, WalkerForm} from './contract.js';

export type Adoption = {
	/** The what-if patches whose helper is adopted (any of them in effect). */
	readonly patches: readonly string[];
	/** The helper as the walker calls it, for the form label. */
	readonly helper: string;
	/** True: skip the pfn before any read. */
	skip(ctx: StepContext, pfn: number): boolean;
	/** Which walkers adopt it, and why (walker name → reason). */
	readonly adopters: Readonly<Record<string, string>>;
	/** Walkers that deliberately do not, and why. */
	readonly declined: Readonly<Record<string, string>>;
};

const BUDDY_ONLY = 'walks buddy/online memory only; a ZONE_DEVICE pfn is never what it is looking for';

/**
pfn_zone_device() (`pfn-zone-device`, `pfn-zone-device-data`): every built-in walker whose job is
buddy or online memory skips ZONE_DEVICE pfns; the ones that handle ZONE_DEVICE pages on purpose
do not.
*/
export const PFN_ZONE_DEVICE_ADOPTION: Adoption = {
	patches: ['pfn-zone-device', 'pfn-zone-device-data'],
	helper: 'pfn_zone_device()',
	skip: (ctx, pfn) => ctx.pfn_zone_device(pfn),
	adopters: {
		soft_offline_page: 'soft offlining migrates buddy/LRU pages; ZONE_DEVICE pages cannot be soft-offlined',
		unpoison_memory: 'unpoisons pages memory_failure() poisoned through the normal path; memory_failure_dev_pagemap() never sets a poison it could clear',
		shrink_zone_span: 'shrinks the span of a System RAM zone; ZONE_DEVICE pfns never belong to it',
		shrink_pgdat_span: 'shrinks a node span from its System RAM zones; ZONE_DEVICE pfns never decide it',
		set_zone_contiguous: 'checks the pageblocks of a System RAM zone',
		isolate_migratepages_block: 'compaction isolates LRU pages; ZONE_DEVICE pages are never on the LRU',
		isolate_freepages_block: 'compaction isolates buddy pages; ZONE_DEVICE pages are never free in the buddy',
		__reset_isolation_suitable: 'compaction bookkeeping per pageblock of a System RAM zone',
		kpageflags_read: 'the TODO of aad5f69bc161: ZONE_DEVICE is not inspected until its memmap can be known initialized',
		kpagecount_read: 'the TODO of aad5f69bc161: ZONE_DEVICE is not inspected until its memmap can be known initialized',
		kpagecgroup_read: 'the TODO of aad5f69bc161: ZONE_DEVICE is not inspected until its memmap can be known initialized',
		pagetypeinfo_showmixedcount_print: 'counts migratetypes of buddy pageblocks',
		read_page_owner: 'page_owner records buddy allocations; ZONE_DEVICE pages are never allocated from the buddy',
		page_idle_bitmap_read: 'idle tracking of LRU pages',
		saveable_page: 'hibernation saves RAM; ZONE_DEVICE is not saved',
		mark_free_pages: 'marks free buddy pages for hibernation',
		kmemleak_scan: 'scans RAM for pointers; ZONE_DEVICE is not scanned',
		pfn_range_valid_contig: 'looks for free RAM for a gigantic page',
		damon_get_folio: 'monitors LRU folios',
		fast_isolate_freepages: 'compaction isolates buddy pages; ZONE_DEVICE pages are never free in the buddy',
		read_kcore_iter: 'dumps System RAM; ZONE_DEVICE ranges are not KCORE_RAM entries',
		page_idle_bitmap_write: 'idle tracking of LRU pages',
		pagetypeinfo_showblockcount_print: 'counts migratetypes of buddy pageblocks',
		split_huge_pages_all: 'splits LRU THPs; ZONE_DEVICE pages are never on the LRU',
		__shuffle_zone: 'shuffles free buddy pages; ZONE_DEVICE pages are never free in the buddy',
	},
	declined: {
		memory_failure: 'routes ZONE_DEVICE pfns to memory_failure_dev_pagemap() on purpose',
		hwpoison_inject: 'injects into any pfn memory_failure() handles, ZONE_DEVICE included',
		memunmap_pages: 'walks the pfns of its own pgmap',
		kvm_try_get_pfn: 'takes ZONE_DEVICE pages as refcounted on purpose (kvm_is_zone_device_page()): a DAX or device mapping is a legitimate memslot',
		kvm_release_pfn_clean: 'releases what kvm_try_get_pfn() took, ZONE_DEVICE pages included',
		kvm_set_pfn_dirty: 'marks the page a guest mapping held, whatever it is; a ZONE_DEVICE page behind a memslot is legitimate',
		is_invalid_reserved_pfn: 'asks about the pfn a PFNMAP holds, device memory on purpose (a BAR for peer-to-peer DMA)',
		lookup_memtype: 'reads System RAM only (pat_pagerange_is_ram()): a ZONE_DEVICE pfn never reaches the struct page read, the helper would change nothing',
		reserve_ram_pages_type: 'System RAM only (pat_pagerange_is_ram()): a ZONE_DEVICE pfn never reaches it',
		free_ram_pages_type: 'System RAM only (pat_pagerange_is_ram()): a ZONE_DEVICE pfn never reaches it',
		__ioremap_check_ram: 'System RAM resources only (walk_mem_res(), IORESOURCE_SYSTEM_RAM): a ZONE_DEVICE pfn never reaches it',
		generic_access_phys: 'accesses what a VM_IO/VM_PFNMAP mapping holds, device memory on purpose',
		auto_movable_zone_for_pfn: 'walks hot-added System RAM (add_memory()), never a ZONE_DEVICE range: the helper would change nothing',
		try_offline_memory_block: 'walks hot-added System RAM (add_memory()), never a ZONE_DEVICE range: the helper would change nothing',
		virtio_mem_bbm_bb_is_movable: 'walks hot-added System RAM (add_memory()), never a ZONE_DEVICE range: the helper would change nothing',
		do_migrate_range: 'walks the memory blocks offline_pages() accepts (System RAM, no pgmap): a ZONE_DEVICE pfn never reaches it, the helper would change nothing',
		dissolve_free_hugetlb_folios: 'walks the memory blocks offline_pages() accepts (System RAM, no pgmap): a ZONE_DEVICE pfn never reaches it, the helper would change nothing',
		start_isolate_page_range: 'walks the memory blocks offline_pages() accepts (System RAM, no pgmap): a ZONE_DEVICE pfn never reaches it, the helper would change nothing',
		test_pages_isolated: 'walks the memory blocks offline_pages() accepts (System RAM, no pgmap): a ZONE_DEVICE pfn never reaches it, the helper would change nothing',
		migrate_device_range: 'evicts the pages of its own DEVICE_PRIVATE/COHERENT pgmap: ZONE_DEVICE pages on purpose',
		dax_set_mapping: 'sets page->mapping of the device-dax pages a fault maps: ZONE_DEVICE pages on purpose',
		page_table_check_clear: 'checks whatever a user page table maps, device-dax and fsdax pages included',
		alloc_contig_range_noprof: 'allocates ranges pfn_range_valid_contig() accepted (pfn_to_online_page() of every pfn): a ZONE_DEVICE pfn never reaches it, the helper would change nothing',
		init_pages_in_zone: 'runs once at boot, before any memremap_pages(): there is no ZONE_DEVICE pfn yet',
		page_ext_init: 'runs once at boot, before any memremap_pages(): there is no ZONE_DEVICE pfn yet',
		register_mem_block_under_node_early: 'runs once at boot, before any memremap_pages(): there is no ZONE_DEVICE pfn yet',
		cma_activate_area: 'runs once at boot over CMA areas of boot memory, before any memremap_pages(): there is no ZONE_DEVICE pfn yet',
	},
};

/**
pfn_zone_device_reserved() (`pfn-zone-device-reserved`, rev 1 of init-altmap-reserve): only
stable_page_flags() called it, returning KPF_RESERVED before reading the page.
*/
export const PFN_ZONE_DEVICE_RESERVED_ADOPTION: Adoption = {
	patches: ['pfn-zone-device-reserved'],
	helper: 'pfn_zone_device_reserved()',
	skip: (ctx, pfn) => ctx.pfn_zone_device_reserved(pfn),
	adopters: {
		kpageflags_read: 'stable_page_flags() returns KPF_RESERVED for it before reading page->flags (the patch)',
	},
	declined: {},
};

export const ADOPTIONS: readonly Adoption[] = [PFN_ZONE_DEVICE_ADOPTION, PFN_ZONE_DEVICE_RESERVED_ADOPTION];

/** The adoptions in effect for `walker` under `model`'s patches. */
export function adoptionsFor(walker: string, model: Pick<Model, 'patches'>, adoptions: readonly Adoption[] = ADOPTIONS): Adoption[] {
	return adoptions.filter(adoption => adoption.patches.some(name => model.patches.includes(name)) && Object.hasOwn(adoption.adopters, walker));
}

function adoptPass(pass: Pass, skips: ReadonlyArray<Adoption['skip']>): Pass {
	const inner = pass.step.bind(pass);
	const skip = skips.length === 1 ? skips[0]! : (ctx: StepContext, pfn: number) => skips.some(test => test(ctx, pfn));
	return {
		...pass,
		step(ctx, pfn) {
			if (skip(ctx, pfn)) {
				return;
			}

			inner(ctx, pfn);
		},
	};
}

/** `form` with the adoptions applied (the same object when there is none). */
export function adoptForm(form: WalkerForm, adoptions: readonly Adoption[]): WalkerForm {
	if (adoptions.length === 0) {
		return form;
	}

	const helpers = adoptions.map(adoption => adoption.helper).join(', ');
	return {
		...form,
		label: `${form.label} + skips ${helpers} pfns [what-if]`,
		guard: `${form.guard}, after skipping ${helpers} pfns`,
		passes: form.passes.map(pass => adoptPass(pass, adoptions.map(adoption => adoption.skip))),
	};
}

/** The form of `walker` at `model`'s kernel, with the what-if helpers it adopts. */
export function planWalker(walker: WalkerDefinition, model: Model, adoptions: readonly Adoption[] = ADOPTIONS): WalkerForm | null {
	const form = walker.plan(model);
	return form === null ? null : adoptForm(form, adoptionsFor(walker.name, model, adoptions));
}

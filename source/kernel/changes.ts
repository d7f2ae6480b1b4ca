/**
Every behaviour change the model keys by kernel version (for `pfnaudit list kernels` and for
reviewers): the mainline release that first has it, what changed, where in the kernel, the commit,
and the named backport that brings it to older releases as the stable trees did. Confidence marks as in docs/model-facts.md: V read in a kernel tree (Debian 5.10.262, 6.1.176,
6.12.117), P patch mail or shortlog, M mailing-list/commit list, U unverified release tag.
The modelling itself lives in source/model/; this table only describes it.
*/
import {type Arch, ARM64_ARCHES as ARM64} from '../model/geometry.js';
import {atLeast, type KernelVersion, v} from './version.js';

export type KernelChange = {
	/** First mainline release with the change, "MAJOR.MINOR". */
	readonly since: string;
	/** Last release before a later change superseded it, if the model has one. */
	readonly until?: string;
	readonly what: string;
	/** Kernel file:function. */
	readonly source: string;
	readonly commits: ReadonlyArray<{readonly id?: string; readonly subject: string}>;
	readonly confidence: 'V' | 'P' | 'M' | 'U';
	/** Only these arches (all when absent). */
	readonly arches?: readonly Arch[];
	/** The named patch that brings the change to older releases, as stable trees did (source/model/stable-patches.ts). */
	readonly backport?: string;
};

const ROWS: readonly KernelChange[] = [
	{
		since: '4.13',
		what: 'SECTION_IS_ONLINE; pfn_to_online_page() macro: online_section_nr()',
		source: 'include/linux/memory_hotplug.h:pfn_to_online_page()',
		commits: [{id: '2d070eab2e82', subject: 'mm: consider zone which is not fully populated to have holes'}],
		confidence: 'M',
	},
	{
		since: '4.15',
		what: 'boot memmap allocated raw: 0xff with CONFIG_DEBUG_VM (poison), else garbage; before, allocated zeroed (zone 0, node 0, no flags)',
		source: 'mm/memblock.c:memblock_virt_alloc_try_nid_raw(), mm/sparse-vmemmap.c:vmemmap_alloc_block()',
		commits: [
			{id: 'ea1f5f3712af', subject: 'mm: define memblock_virt_alloc_try_nid_raw'},
			{id: 'f7f99100d8d9', subject: 'mm: stop zeroing memory during allocation in vmemmap'},
			{subject: 'mm: debug for raw alloctor'},
		],
		confidence: 'P',
	},
	{
		since: '4.17',
		what: 'PAGE_POISON_PATTERN and PagePoisoned()/PF_POISONED_CHECK sanity checks (the boot memmap content does not change)',
		source: 'include/linux/page-flags.h, mm/memblock.c',
		commits: [{id: 'f165b378bbdf', subject: 'mm: uninitialized struct page poisoning sanity checking'}],
		confidence: 'P',
	},
	{
		since: '4.17',
		what: 'hot-added memmap no longer zeroed with node set and PageReserved (sparse_add_one_section() memset, __add_section() loop): poisoned (DEBUG_VM) or garbage until initialized',
		source: 'mm/sparse.c:sparse_add_one_section(), mm/memory_hotplug.c:__add_section()',
		commits: [{id: 'd0dc12e86b31', subject: 'mm/memory_hotplug: optimize memory hotplug'}],
		confidence: 'P',
	},
	{
		since: '4.18',
		until: '4.19',
		what: 'x86: e820 non-RAM regions put in memblock.reserved, so zero_resv_unavail() zeroes those holes below max_pfn (zone 0 / node 0), before memmap_init_zone()',
		source: 'arch/x86/kernel/e820.c, mm/page_alloc.c:zero_resv_unavail()',
		commits: [
			{id: '124049decbb1', subject: 'x86/e820: put !E820_TYPE_RAM regions into memblock.reserved'},
			{id: 'e181ae0c5db9', subject: 'mm: zero unavailable pages before memmap init'},
		],
		confidence: 'P',
		arches: ['x86_64'],
	},
	{
		since: '4.20',
		until: '5.5',
		what: 'holes below max_pfn zeroed (zone 0 / node 0), before memmap_init_zone(); the last-section tail above max_pfn stays raw',
		source: 'mm/page_alloc.c:zero_resv_unavail()',
		commits: [
			{id: '907ec5fca3dc', subject: 'mm: zero remaining unavailable struct pages'},
			{id: '9fd61bc95130', subject: 'Revert "x86/e820: put !E820_TYPE_RAM regions into memblock.reserved"'},
		],
		confidence: 'P',
	},
	{
		since: '4.20',
		what: 'ZONE_DEVICE data pfns initialized by memmap_init_zone_device() after mem_hotplug_done(); before, memmap_init_zone() under the lock and page->pgmap set after',
		source: 'mm/page_alloc.c:memmap_init_zone_device(), kernel/memremap.c:devm_memremap_pages()',
		commits: [{id: '966cf44f637e', subject: 'mm: defer ZONE_DEVICE page initialization to the point where we init pgmap'}],
		confidence: 'M',
	},
	{
		since: '5.0',
		until: '5.11',
		what: 'pfn_to_online_page() also requires pfn_valid_within()',
		source: 'include/linux/memory_hotplug.h:pfn_to_online_page()',
		commits: [{id: 'b13bc35193d9', subject: 'mm/hotplug: invalid PFNs from pfn_to_online_page()'}],
		confidence: 'V',
	},
	{
		since: '5.3',
		what: 'subsections (2 MiB, SPARSEMEM_VMEMMAP), SECTION_IS_EARLY, pfn_valid() = early || pfn_section_valid(); ZONE_DEVICE hot-added at subsection granularity (collisions with boot sections possible)',
		source: 'include/linux/mmzone.h:pfn_valid(), mm/sparse.c:section_activate(), mm/memremap.c',
		commits: [
			{id: '326e1b8f83a4', subject: 'mm/sparsemem: Introduce a SECTION_IS_EARLY flag'},
			{subject: 'mm/sparsemem: Support sub-section hotplug'},
			{subject: 'mm/devm_memremap_pages: Enable sub-section remap'},
		],
		confidence: 'M',
	},
	{
		since: '5.5',
		what: 'offline_pages()/memunmap_pages() poison the memmap (DEBUG_VM) and shrink the zone at offline time',
		source: 'mm/memory_hotplug.c:remove_pfn_range_from_zone()',
		commits: [{id: 'd33695b16a9f', subject: 'mm/memory_hotplug: poison memmap in remove_pfn_range_from_zone()'}],
		confidence: 'M',
	},
	{
		since: '5.0',
		until: '5.5',
		what: 'arm64\'s 32-bit zone is ZONE_DMA32 (was ZONE_DMA): the 4 GiB above DRAM\'s start rounded down to 4 GiB',
		source: 'arch/arm64/mm/init.c:zone_sizes_init()',
		commits: [{id: 'ad67f5a6545f', subject: 'arm64: replace ZONE_DMA with ZONE_DMA32'}],
		confidence: 'M',
		arches: ARM64,
	},
	{
		since: '5.5',
		what: 'arm64 has ZONE_DMA: zone index 0 (what a zeroed or zone-0 struct page reports) is ZONE_DMA, not ZONE_DMA32',
		source: 'arch/arm64/Kconfig ZONE_DMA, arch/arm64/mm/init.c:zone_sizes_init()',
		commits: [{id: '1a8e1cef7603', subject: 'arm64: use both ZONE_DMA and ZONE_DMA32'}],
		confidence: 'P',
		arches: ARM64,
	},
	{
		since: '5.11',
		what: 'arm64 ZONE_DMA from the firmware: zone_dma_bits = min3(32, dma-ranges, IORT) (30 before, from v5.5), and max_zone_phys() drops the DMA offset: without a firmware limit ZONE_DMA is the whole 32-bit range and ZONE_DMA32 is empty; DRAM above 4 GiB is all ZONE_DMA',
		source: 'arch/arm64/mm/init.c:zone_sizes_init(), max_zone_phys()',
		commits: [
			{id: '8424ecdde7df', subject: 'arm64: mm: Set ZONE_DMA size based on devicetree\'s dma-ranges'},
			{id: '2b865293f5f5', subject: 'arm64: mm: Set ZONE_DMA size based on early IORT scan'},
			{id: '791ab8b2e3db', subject: 'arm64: Ignore any DMA offsets in the max_zone_phys() calculation'},
		],
		confidence: 'M',
		arches: ARM64,
	},
	{
		since: '6.12',
		what: 'arm64 zone_dma_limit is an address, not a bit count: a firmware DMA limit above 4 GiB ends ZONE_DMA there (capped at 4 GiB when DRAM starts below it: "arm64: mm: keep low RAM dma zone"); dma-mapping-6.12 pull',
		source: 'arch/arm64/mm/init.c:zone_sizes_init(), kernel/dma/direct.c',
		commits: [
			{id: 'ba0fb44aed47', subject: 'dma-mapping: replace zone_dma_bits by zone_dma_limit'},
			{id: '3be9b846896d', subject: 'arm64: support DMA zone above 4GB'},
		],
		confidence: 'M',
		arches: ARM64,
	},
	{
		since: '5.6',
		until: '5.11',
		what: 'every hole up to the end of the last section initialized PageReserved, zone 0 / node 0',
		source: 'mm/page_alloc.c:init_unavailable_mem()',
		commits: [
			{id: '4b094b7851bf', subject: 'mm/page_alloc.c: initialize memmap of unavailable memory directly'},
			{id: 'e822969cab48', subject: 'mm/page_alloc.c: fix uninitialized memmaps on a partially populated last section'},
		],
		confidence: 'M',
	},
	{
		since: '5.8',
		what: 'memmap_init() iterates memblock ranges (incl. NOMAP) instead of every pfn of the zone span',
		source: 'mm/page_alloc.c:memmap_init()',
		commits: [{id: '73a6e474cb37', subject: 'mm: memmap_init: iterate over memblock regions rather that check each PFN'}],
		confidence: 'P',
	},
	{
		since: '5.12',
		what: 'pfn_to_online_page() out of line: subsection check without early exemption, HAVE_ARCH_PFN_VALID check, SECTION_TAINT_ZONE_DEVICE slow path',
		source: 'mm/memory_hotplug.c:pfn_to_online_page(), move_pfn_range_to_zone()',
		commits: [
			{id: '9f605f260594', subject: 'mm: move pfn_to_online_page() out of line'},
			{id: '9f9b02e5b346', subject: 'mm: teach pfn_to_online_page() to consider subsection validity'},
			{id: '1f90a3477df3', subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions'},
		],
		confidence: 'V',
	},
	{
		since: '5.12',
		what: 'pgmap_pfn_valid(): altmap reserve and memmap-storage pfns are not data',
		source: 'mm/memremap.c:pgmap_pfn_valid()',
		commits: [{id: '34dc45be4563', subject: 'mm: fix memory_failure() handling of dax-namespace metadata'}],
		confidence: 'V',
		backport: 'backport-34dc45be4563',
	},
	{
		since: '5.12',
		until: '5.13',
		what: 'per-zone memmap init: holes initialized PageReserved with the zone/node being initialized (static hole_pfn; descending nodes overwrite the next node)',
		source: 'mm/page_alloc.c:memmap_init_zone() -> init_unavailable_range()',
		commits: [{id: '0740a50b9baa', subject: 'mm/page_alloc.c: refactor initialization of struct page for holes in memory layout'}],
		confidence: 'P',
		backport: 'backport-0740a50b9baa',
	},
	{
		since: '5.14',
		what: 'one loop over memblock ranges: holes initialized PageReserved with the zone/node of the adjacent range above, the last-section tail with the last node\'s highest zone',
		source: 'mm/page_alloc.c:memmap_init() -> init_unavailable_range() (mm/mm_init.c from v6.4)',
		commits: [{id: '122e093c1734', subject: 'mm/page_alloc: fix memory map initialization for descending nodes'}],
		confidence: 'V',
		backport: 'backport-122e093c1734',
	},
	{
		since: '5.12',
		until: '5.14',
		what: 'SECTION_NID_SHIFT 3 with TAINT as bit 4: boot sections of nodes with nid & 2 tainted (slow path only); v5.15 sets SECTION_NID_SHIFT to 6',
		source: 'include/linux/mmzone.h SECTION_NID_SHIFT',
		commits: [
			{id: '1f90a3477df3', subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions'},
			{id: '01c8d337d195', subject: 'mm/sparse: set SECTION_NID_SHIFT to 6'},
		],
		confidence: 'M',
	},
	{
		since: '5.12',
		what: 'arm64 SECTION_SIZE_BITS 30 → 27 (4K, 16K) / 29 (64K)',
		source: 'arch/arm64/include/asm/sparsemem.h',
		commits: [{id: 'f0b13ee23241', subject: 'arm64/sparsemem: reduce SECTION_SIZE_BITS'}],
		confidence: 'V',
		arches: ARM64,
	},
	{
		since: '5.12',
		what: 'arm64 pfn_valid(): non-early sections answer pfn_section_valid() (ZONE_DEVICE becomes pfn_valid)',
		source: 'arch/arm64/mm/init.c:pfn_valid()',
		commits: [
			{id: 'eeb0753ba27b', subject: 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory'},
			{id: '093bbe211ea5', subject: 'arm64/mm: Reorganize pfn_valid()'},
		],
		confidence: 'V',
		arches: ARM64,
		backport: 'backport-eeb0753ba27b',
	},
	{
		since: '5.14',
		what: 'generic pfn_valid() rejects pfns whose upper PAGE_SHIFT bits are set',
		source: 'include/linux/mmzone.h:pfn_valid()',
		commits: [{id: '16c9afc77660', subject: 'arm64/mm: drop HAVE_ARCH_PFN_VALID'}],
		confidence: 'M',
	},
	{
		since: '5.14',
		what: 'arm64 pfn_valid() ends in memblock_is_memory(): NOMAP is pfn_valid; HOLES_IN_ZONE dropped',
		source: 'arch/arm64/mm/init.c:pfn_valid()',
		commits: [{id: 'a7d9f306ba70', subject: 'arm64: drop pfn_valid_within() and simplify pfn_valid()'}],
		confidence: 'M',
		arches: ARM64,
	},
	{
		since: '5.14',
		what: 'MEMBLOCK_NOMAP memmap initialized PageReserved',
		source: 'mm/memblock.c:memmap_init_reserved_pages()/reserve_bootmem_region()',
		commits: [{id: '9092d4f7a1f8', subject: 'memblock: update initialization of reserved pages'}],
		confidence: 'M',
	},
	{
		since: '5.15',
		what: 'pfn_valid_within() and CONFIG_HOLES_IN_ZONE removed',
		source: 'include/linux/mmzone.h',
		commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
		confidence: 'M',
	},
	{
		since: '5.16',
		what: 'arm64 uses the generic pfn_valid()',
		source: 'arch/arm64/mm/init.c',
		commits: [
			{id: 'a9c38c5d267c', subject: 'dma-mapping: remove bogus test for pfn_valid from dma_map_resource'},
			{id: '3de360c3fdb3', subject: 'arm64/mm: drop HAVE_ARCH_PFN_VALID'},
		],
		confidence: 'M',
		arches: ARM64,
		backport: 'backport-3de360c3fdb3',
	},
	{
		since: '5.16',
		what: 'arm64 with config.vmemmap: false: free_unused_memmap() no longer frees the memmap of holes between memblock ranges (it needs HAVE_ARCH_PFN_VALID; before, those struct pages are given back to the page allocator after boot)',
		source: 'mm/memblock.c:free_unused_memmap() (arch/arm64/mm/init.c before its move [U: release of the move])',
		commits: [{id: '3de360c3fdb3', subject: 'arm64/mm: drop HAVE_ARCH_PFN_VALID'}],
		confidence: 'M',
		arches: ARM64,
		backport: 'backport-3de360c3fdb3',
	},
	{
		since: '5.16',
		what: 'arm64 arch_add_memory() sets max_pfn = PFN_UP(end) (may lower it)',
		source: 'arch/arm64/mm/mmu.c:arch_add_memory()',
		commits: [{id: '8fac67ca236b', subject: 'arm64: mm: update max_pfn after memory hotplug'}],
		confidence: 'P',
		arches: ARM64,
		backport: 'backport-8fac67ca236b',
	},
	{
		since: '5.18',
		what: '__nr_to_section() bounds the root index (no out-of-bounds mem_section read)',
		source: 'include/linux/mmzone.h:__nr_to_section()',
		commits: [{id: 'a431dbbc5405', subject: "mm/sparsemem: fix 'mem_section' will never be NULL gcc 12 warning"}],
		confidence: 'M',
		backport: 'backport-a431dbbc5405',
	},
	{
		since: '5.19',
		what: 'ppc64 add_pages() raises max_pfn on hot-add',
		source: 'arch/powerpc/mm/mem.c:add_pages()',
		commits: [{subject: 'powerpc/memhotplug: Add add_pages override for PPC'}],
		confidence: 'U',
		arches: ['ppc64-64k'],
	},
	{
		since: '6.5',
		what: '__pageblock_pfn_to_page() no longer tests pfn_valid(start) (redundant with pfn_to_online_page())',
		source: 'mm/page_alloc.c:__pageblock_pfn_to_page()',
		commits: [{subject: 'mm/page_alloc: drop the unnecessary pfn_valid() for start pfn'}],
		confidence: 'P',
	},
	{
		since: '6.8',
		what: 'pfn_valid() under RCU with READ_ONCE(ms->usage) (no use-after-free of usage), rcu_read_lock_sched() for KMSAN',
		source: 'include/linux/mmzone.h:pfn_valid(), pfn_section_valid()',
		commits: [
			{id: '5ec8e8ea8b77', subject: 'mm/sparsemem: fix race in accessing memory_section->usage'},
			{id: 'f6564fce256a', subject: 'mm, kmsan: fix infinite recursion due to RCU critical section'},
		],
		confidence: 'P',
		backport: 'backport-5ec8e8ea8b77',
	},
	{
		since: '6.9',
		what: 'arm64 4K/16K pages can have 52-bit physical addresses (ARM64_PA_BITS_52 with LPA2); before, 64K pages only',
		source: 'arch/arm64/Kconfig ARM64_PA_BITS_52, ARM64_LPA2',
		commits: [{id: '352b0395b505', subject: 'arm64: Enable 52-bit virtual addressing for 4k and 16k granule configs'}],
		confidence: 'U',
		arches: ['arm64-4k', 'arm64-16k'],
	},
	{
		since: '6.10',
		what: 'pfn_section_valid() answers 0 for a NULL ms->usage (before, since 5ec8e8ea8b77, it was dereferenced)',
		source: 'include/linux/mmzone.h:pfn_section_valid()',
		commits: [{id: '82f0b6f041fa', subject: 'mm: prevent derefencing NULL ptr in pfn_section_valid()'}],
		confidence: 'P',
		backport: 'backport-5ec8e8ea8b77',
	},
	{
		since: '6.11',
		what: 'hot-plugged System RAM memmap initialized PageOffline instead of PageReserved',
		source: 'mm/mm_init.c:memmap_init_range()',
		commits: [{id: '503b158fc30f', subject: 'mm/memory_hotplug: initialize memmap of !ZONE_DEVICE with PageOffline() instead of PageReserved()'}],
		confidence: 'M',
	},
	{
		since: '4.17',
		what: 'config.deferred_struct_page_init: defer_init() initializes one section of each node\'s highest zone early, the rest in deferred_init_memmap() (phase boot-deferred before boot); refused before',
		source: 'mm/page_alloc.c (mm/mm_init.c from v6.4):defer_init(), deferred_init_memmap()',
		commits: [{id: 'c9e97a1997fb', subject: 'mm: initialize pages on demand during boot'}],
		confidence: 'M',
	},
	{
		since: '5.17',
		what: 'device align above PAGE_SIZE: device-dax compound pages (pgmap->vmemmap_shift); memmap_init_zone_device() steps whole compound pages, memmap_init_compound() writing every tail',
		source: 'mm/page_alloc.c (mm/mm_init.c from v6.4):memmap_init_zone_device(), memmap_init_compound()',
		commits: [
			{id: 'c4386bd8ee3a', subject: 'mm/memremap: add ZONE_DEVICE support for compound pages'},
		],
		confidence: 'M',
	},
	{
		since: '5.19',
		what: 'compound device-dax without an altmap: only 2 vmemmap pages of struct pages per compound page are unique (vmemmap deduplication), compound_nr_pages() of them written; the other tails alias the second vmemmap page',
		source: 'mm/page_alloc.c (mm/mm_init.c from v6.4):compound_nr_pages(); mm/sparse-vmemmap.c:vmemmap_populate_compound_pages()',
		commits: [
			{id: '6fd3620b3428', subject: 'mm/page_alloc: reuse tail struct pages for compound devmaps'},
			{id: '4917f55b4ef9', subject: 'mm/sparse-vmemmap: improve memory savings for compound devmaps'},
		],
		confidence: 'P',
	},
	{
		since: '5.13',
		what: 'hotplug memmap_on_memory: the memmap of a one-block add_memory() in the block\'s first pages (MHP_MEMMAP_ON_MEMORY, memory_hotplug.memmap_on_memory); mhp_init_memmap_on_memory() before online_pages(), mhp_deinit_memmap_on_memory() after offline_pages()',
		source: 'mm/memory_hotplug.c:mhp_supports_memmap_on_memory(), mhp_init_memmap_on_memory(); drivers/base/memory.c:memory_block_online()',
		commits: [
			{id: 'a08a2ae34613', subject: 'mm,memory_hotplug: allocate memmap from the added memory range'},
			{id: '4a3e5de9c4ec', subject: 'acpi,memhotplug: enable MHP_MEMMAP_ON_MEMORY when supported'},
		],
		confidence: 'M',
	},
	{
		since: '5.14',
		until: '5.17',
		what: 'config.hugetlb_vmemmap (HVO): hugetlb_vmemmap_optimize() keeps two vmemmap pages of each boot `hugetlb:` page and maps the rest read-only onto the second (tails 64-127): their pfns are `hvo`, a write faults; refused before, on arches without ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP and without SPARSEMEM_VMEMMAP',
		source: 'mm/hugetlb_vmemmap.c:hugetlb_vmemmap_optimize(), vmemmap_remap_pte()',
		commits: [{subject: 'mm: hugetlb: free the vmemmap pages associated with each HugeTLB page'}],
		confidence: 'P',
		arches: ['x86_64'],
	},
	{
		since: '5.18',
		what: 'HVO keeps one vmemmap page: the tails past pfn 64 alias the head page, every 64th a "fake head" (page_fixed_fake_head())',
		source: 'mm/hugetlb_vmemmap.c:hugetlb_vmemmap_optimize(); include/linux/page-flags.h:page_fixed_fake_head()',
		commits: [{id: 'e7d324850bfc', subject: 'mm: hugetlb: free the 2nd vmemmap page associated with each HugeTLB page'}],
		confidence: 'P',
		arches: ['x86_64', 'riscv64'],
	},
	{
		since: '6.10',
		what: 'page_ref_add_unless() skips HVO fake heads: get_page_unless_zero() of a PFN walker no longer writes the read-only alias (split_huge_pages_all, damon_get_page, kvm_try_get_pfn)',
		source: 'include/linux/page_ref.h:page_ref_add_unless()',
		commits: [{id: 'bd225530a4c7', subject: 'mm/hugetlb_vmemmap: fix race with speculative PFN walkers'}],
		confidence: 'P',
		arches: ['x86_64', 'riscv64'],
	},
	{
		since: '6.6',
		what: 'memmap_on_memory: the vmemmap pages must be pageblock aligned (or padded with =force), arch_supports_memmap_on_memory() (powerpc radix)',
		source: 'mm/memory_hotplug.c:mhp_supports_memmap_on_memory()',
		commits: [{id: '2d1f649c7c08', subject: 'mm/memory_hotplug: support memmap_on_memory when memmap is not aligned to pageblocks'}],
		confidence: 'U',
	},
	{
		since: '6.8',
		what: 'memmap_on_memory for ranges of several memory blocks: one altmap and vmemmap at the start of every block (create_altmaps_and_memory_blocks()); dax/kmem can ask for it',
		source: 'mm/memory_hotplug.c:add_memory_resource(), drivers/dax/kmem.c',
		commits: [
			{id: '6b8f0798b85a', subject: 'mm/memory_hotplug: split memmap_on_memory requests across memblocks'},
			{subject: 'dax/kmem: allow kmem to add memory with memmap_on_memory'},
		],
		confidence: 'M',
	},
	{
		since: '6.15',
		what: 'x86 add_pages() does not raise max_pfn for ZONE_DEVICE (params->pgmap set)',
		source: 'arch/x86/mm/init_64.c:add_pages()',
		commits: [
			{
				id: '7170130e4c72',
				subject:
					'x86/mm/init: Handle the special case of device private pages in add_pages(), to not increase max_pfn and trigger dma_addressing_limited() bounce buffers',
			},
		],
		confidence: 'P',
		arches: ['x86_64'],
		backport: 'backport-7170130e4c72',
	},
	{
		since: '6.15',
		what: 'arm64 arch_add_memory() keeps the larger max_pfn',
		source: 'arch/arm64/mm/mmu.c:arch_add_memory()',
		commits: [{id: '89f43e1ce6f6', subject: 'arm64: mm: Correct the update of max_pfn'}],
		confidence: 'P',
		arches: ARM64,
		backport: 'backport-89f43e1ce6f6',
	},
];

/** The rows ordered by release (a stable sort keeps the order within a release). */
export const KERNEL_CHANGES: readonly KernelChange[] = [...ROWS].sort((a, b) => v(a.since).code - v(b.since).code);

function forArch(change: KernelChange, arch: Arch | undefined): boolean {
	return arch === undefined || change.arches === undefined || change.arches.includes(arch);
}

/** The modelled behaviours in effect at `kernel` (introduced at or before it, not yet superseded). */
export function changesInEffect(kernel: KernelVersion, arch?: Arch): KernelChange[] {
	return KERNEL_CHANGES.filter(
		change => forArch(change, arch) && atLeast(kernel, change.since) && (change.until === undefined || kernel.code <= v(change.until).code),
	);
}

/** The changes first released in `kernel`. */
export function changesIntroducedIn(kernel: KernelVersion, arch?: Arch): KernelChange[] {
	return KERNEL_CHANGES.filter(change => forArch(change, arch) && change.since === kernel.label);
}

/**
A validated topology (docs/topology-format.md): what source/topology/ hands to the model. Every address is in
bytes and every pfn range is half-open; all numbers are safe integers. A topology is *replayed*
by the model, in `memory` order: boot entries first, then operations.
*/
import type {Arch} from '../model/geometry.js';

/** Where a value came from in the topology file (1-based line and column). */
export type SourcePosition = {readonly line: number; readonly column: number};

export type ByteRange = {
	/** First byte. */
	readonly start: number;
	/** Exclusive end byte. */
	readonly end: number;
};

export type PfnRange = {
	readonly start_pfn: number;
	/** Exclusive. */
	readonly end_pfn: number;
};

type EntryCommon = ByteRange &
	PfnRange & {
		/** Index in the topology's `memory:` list (0-based): `memory[3]`. */
		readonly index: number;
		/** NUMA node (default 0). */
		readonly node: number;
		/** Where the entry starts in the file. */
		readonly pos: SourcePosition;
		/** Short human label used in reasons and witnesses, e.g. "fsdax@0x240000000", "boot@0x0". */
		readonly label: string;
	};

/** memblock.memory at boot: becomes early sections (memory_present, sparse_init, memmap_init). */
export type BootEntry = EntryCommon & {
	readonly kind: 'boot';
	/** MEMBLOCK_NOMAP sub-ranges (arm64 firmware regions). */
	readonly nomap: ReadonlyArray<ByteRange & PfnRange>;
	/**
	CMA areas reserved from this memory at boot (cma=, hugetlb_cma=, a reusable shared-dma-pool
	reserved-memory node): inside the entry, off its nomap ranges, CMA_MIN_ALIGNMENT_BYTES aligned.
	Absent: none.
	*/
	readonly cma?: ReadonlyArray<ByteRange & PfnRange>;
	/**
	HugeTLB pages allocated at boot (hugepages=), each range a run of whole pages of `page_size`
	bytes (source/model/hugetlb-vmemmap.ts). Absent or empty: none.
	*/
	readonly hugetlb?: ReadonlyArray<ByteRange & PfnRange & {readonly page_size: number}>;
};

/** add_memory(): ACPI DIMM, virtio-mem, dax/kmem. */
export type HotplugState = 'offline' | 'online' | 'online_movable' | 'offlined';
export type HotplugEntry = EntryCommon & {
	readonly kind: 'hotplug';
	/** The state of the blocks not listed in `blocks`. */
	readonly state: HotplugState;
	/**
	Memory blocks of this add_memory() in another state than `state`, in file order (block
	aligned, inside the entry, not overlapping). Absent when every block is in `state`.
	*/
	readonly blocks?: ReadonlyArray<PfnRange & {readonly state: HotplugState; readonly pos: SourcePosition}>;
	/**
	MHP_MEMMAP_ON_MEMORY (memory_hotplug.memmap_on_memory=1): the memmap of each memory block lives in
	the block's first pages (source/model/memmap-on-memory.ts). Absent: false.
	*/
	readonly memmap_on_memory?: boolean;
};

/** memremap_pages() types (include/linux/memremap.h enum memory_type, by their topology names). */
export const DEVICE_TYPES = ['fsdax', 'devdax', 'generic', 'private', 'coherent', 'p2pdma'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** ready: memremap_pages() returned; initializing: stopped after mem_hotplug_done(), before
memmap_init_zone_device(); teardown: memunmap_pages() has killed the ref and poisoned, not removed. */
export type DeviceState = 'ready' | 'initializing' | 'teardown';

/** struct vmem_altmap, in pages. */
export type Altmap = {
	/** base_pfn: the first pfn of the mapping. */
	readonly base_pfn: number;
	/** "pages mapped, but reserved for driver use" (the nvdimm info block). */
	readonly reserve: number;
	/** pages set aside to store the memmap. */
	readonly free: number;
	/** true when `free: auto` was resolved from the range size. */
	readonly free_auto: boolean;
};

export type DeviceEntry = EntryCommon & {
	readonly kind: 'device';
	readonly type: DeviceType;
	readonly altmap: Altmap | undefined;
	readonly state: DeviceState;
	/**
	`align:` in bytes (ndctl create-namespace --align): above PAGE_SIZE a device-dax pgmap gets
	vmemmap_shift = log2(align / PAGE_SIZE), compound pages (source/model/compound-devmap.ts).
	Absent: PAGE_SIZE.
	*/
	readonly align?: number;
};

export type TopologyEntry = BootEntry | HotplugEntry | DeviceEntry;

/**
What the kernel did after the first replay of `memory:`, in order: online_pages() /
offline_pages() of memory blocks, remove_memory() of a hot-added range, memunmap_pages() of a
device to the end (T1–T4), memremap_pages() of a new device (`create`, its DeviceEntry appended to
`memory` with the next index).
*/
export type Operation = PfnRange & {
	/** Index in `operations:` (0-based). */
	readonly index: number;
	readonly op: 'online' | 'online_movable' | 'offline' | 'remove' | 'teardown' | 'create';
	/** The `memory` entry it acts on (for create: the new device's index). */
	readonly entry: number;
	readonly pos: SourcePosition;
	/** "online_movable of [0x140000, 0x148000) in memory[3] (hotplug@0x140000000)" */
	readonly label: string;
};

export type TopologyConfig = {
	/** CONFIG_DEBUG_VM: memmaps are poisoned on hot-add and offline (page_init_poison). */
	readonly debug_vm: boolean;
	/** CONFIG_SPARSEMEM_VMEMMAP: subsections exist only with it. */
	readonly vmemmap: boolean;
	readonly max_physmem_bits: number;
	/** Bytes; resolved from `auto` by the arch rule. */
	readonly memory_block_size: number;
	/** Whether memory_block_size came from the arch rule. */
	readonly memory_block_size_auto: boolean;
	/**
	X86_FEATURE_HYPERVISOR: the machine is a VM. Only x86_64's probe_memory_block_size() reads it
	(v5.8+: bare metal with >= 64 GiB of boot memory uses 2 GiB blocks). Set by the parser
	(default false); optional so that hand-built topologies in tests need not name it.
	*/
	readonly hypervisor?: boolean;
	/**
	arm64: the inclusive highest CPU physical address every DMA master reaches (the device tree's
	dma-ranges, of_dma_get_max_cpu_address(); the IORT, acpi_iort_dma_get_max_cpu_address()),
	which sizes ZONE_DMA from v5.11 (source/model/zones.ts). Absent: neither restricts.
	*/
	readonly dma_limit?: number;
	/**
	CONFIG_STRICT_DEVMEM: an mmap of /dev/mem takes only the pfns devmem_is_allowed() allows
	(drivers/char/mem.c range_is_allowed()). Default per arch (`default y if PPC || X86 || ARM64`).
	Optional so that hand-built topologies need not name it (absent: the arch default).
	*/
	readonly strict_devmem?: boolean;
	/** CONFIG_IO_STRICT_DEVMEM: busy iomem resources are exclusive (kernel/resource.c resource_is_exclusive()). Default: as strict_devmem. */
	readonly io_strict_devmem?: boolean;
	/** A driver maps device memory — pfns outside System RAM — with VM_PFNMAP (vfio-pci BAR mmap). Default true. */
	readonly device_pfnmap?: boolean;
	/** A driver ioremap()s a range holding System RAM. Default false: no in-tree caller is known. */
	readonly ioremap_ram?: boolean;
	/**
	CONFIG_DEFERRED_STRUCT_PAGE_INIT: the boot replay has a `boot-deferred` phase before `boot`
	(source/model/deferred-init.ts). Absent: false.
	*/
	readonly deferred_struct_page_init?: boolean;
	/**
	HVO: CONFIG_HUGETLB_PAGE_OPTIMIZE_VMEMMAP with hugetlb_free_vmemmap=on (or _DEFAULT_ON): the
	vmemmap of the `hugetlb:` pages is optimized (source/model/hugetlb-vmemmap.ts). Absent: false.
	*/
	readonly hugetlb_vmemmap?: boolean;
};

export type Warning = {
	readonly file: string;
	readonly pos: SourcePosition;
	readonly message: string;
};

export type Topology = {
	readonly name: string;
	readonly description: string;
	readonly arch: Arch;
	/** Semantics version label, e.g. "6.12" (already overridden by --kernel when given). */
	readonly kernel: string;
	readonly config: TopologyConfig;
	readonly patches: readonly string[];
	readonly memory: readonly TopologyEntry[];
	/** The `operations:` after the first replay (absent or empty: none). */
	readonly operations?: readonly Operation[];
	/** Path as the user gave it, or "<showcase>" style names for built-ins. */
	readonly file: string;
	/** Things the kernel accepts but a reviewer would question. */
	readonly warnings: readonly Warning[];
	/**
	The file's text as it was read (parseTopology), which every report embeds so that it can be
	audited again without the file (source/topology/embedded.ts). Absent for topologies built in code.
	*/
	readonly source?: string;
};

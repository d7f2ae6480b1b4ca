/**
The kernel model as the rest of pfnaudit sees it.

A Model is the SPARSEMEM state of one topology, at one kernel version (with what-if patches), at
one phase of its replay. It is immutable once built. Its per-pfn state is held as maximal runs
(`Run`): inside a run every per-pfn fact — section flags, subsection bit, memblock flags, memmap
content, pgmap, every predicate's answer, the category — is the same. That is what lets walkers
be evaluated once per run and counted run-length times (source/engine/).
*/
import type {KernelVersion} from '../kernel/version.js';
import type {DeviceType, Topology, TopologyEntry} from '../topology/types.js';
import type {CategoryId} from './categories.js';
import type {Geometry} from './geometry.js';

// ---------------------------------------------------------------------------------------------
// Sections

/**
struct mem_section flags (include/linux/mmzone.h), as named booleans. `nid` is the early nid
kept in section_mem_map before sparse_init (only meaningful for the v5.12–v5.14
SECTION_NID_SHIFT artefact).
*/
export type SectionState = {
	/** SECTION_MARKED_PRESENT */
	readonly present: boolean;
	/** SECTION_HAS_MEM_MAP (valid_section()) */
	readonly valid: boolean;
	/** SECTION_IS_ONLINE (v4.13+) */
	readonly online: boolean;
	/** SECTION_IS_EARLY (v5.3+) */
	readonly early: boolean;
	/** SECTION_TAINT_ZONE_DEVICE (v5.12+) */
	readonly taint_zone_device: boolean;
	/** True when the section's taint bit is the v5.12–v5.14 SECTION_NID_SHIFT artefact, not a real collision. */
	readonly taint_from_nid: boolean;
	/** ms->usage is allocated (v5.3+). */
	readonly usage: boolean;
	readonly nid: number;
};

// ---------------------------------------------------------------------------------------------
// Memmap content

export type MemmapContent = 'unbacked' | 'garbage' | 'poison' | 'init' | 'stale';

/** include/linux/mmzone.h enum zone_type, as modelled. */
export const ZONE_NAMES = ['DMA', 'DMA32', 'Normal', 'Movable', 'Device'] as const;
export type ZoneName = (typeof ZONE_NAMES)[number];

/** What the struct page of a pfn holds. */
export type MemmapState = {
	readonly content: MemmapContent;
	/** page_zone() of an initialized (or stale) page. */
	readonly zone?: ZoneName;
	/** page_to_nid() of an initialized (or stale) page. */
	readonly nid?: number;
	/** page->pgmap of an initialized ZONE_DEVICE page; null for altmap memmap-storage pages. */
	readonly pgmap?: number | null;
	/** PageReserved (boot holes, ZONE_DEVICE pages, hot-plugged pages before v6.11). */
	readonly reserved?: boolean;
	/** PageOffline (hot-plugged pages from ~v6.11 until freed to the buddy). */
	readonly offline?: boolean;
	/**
	PageVmemmapSelfHosted: the pfn holds memmap_on_memory vmemmap (struct pages of its own memory
	block), set by mhp_init_memmap_on_memory(); also true, as a marker of those pfns, before that
	flag existed and while they are not yet initialized.
	*/
	readonly self_hosted?: boolean;
	/**
	Compound ZONE_DEVICE pages (pgmap->vmemmap_shift, source/model/compound-devmap.ts): every
	2^order pfns from the pgmap's first data pfn form one compound page (head, then tails);
	memmap_init_zone_device() wrote the first `unique` struct pages of each, the others alias the
	second vmemmap page of their compound page (vmemmap deduplication).
	*/
	readonly compound?: {readonly order: number; readonly unique: number};
	/**
	A pfn of a HugeTLB page (PageHuge(); source/model/hugetlb-vmemmap.ts): `part` is what a read of
	its struct page sees — the head, a tail, or (HVO from v5.18) a "fake head", the read-only alias
	of the head's struct page that page_fixed_fake_head() recognises; `alias` is true where
	hugetlb_vmemmap_optimize() remapped the struct page read-only onto the kept vmemmap page.
	*/
	readonly hugetlb?: {readonly order: number; readonly part: 'head' | 'tail' | 'fake_head'; readonly alias: boolean};
	/** Who last wrote this memmap, in kernel terms: "memmap_init_zone_device", "page_init_poison (sparse_add_section)", ... */
	readonly writer: string;
};

// ---------------------------------------------------------------------------------------------
// ZONE_DEVICE

/** include/linux/memremap.h struct dev_pagemap, as modelled. */
export type DevPagemap = {
	/** Index of the pgmap (also its position in Model.pgmaps). */
	readonly id: number;
	readonly type: DeviceType;
	/** The topology entry that created it. */
	readonly entry: number;
	readonly label: string;
	/** range: [start_pfn, end_pfn) */
	readonly start_pfn: number;
	readonly end_pfn: number;
	readonly nid: number;
	readonly altmap: {readonly base_pfn: number; readonly reserve: number; readonly free: number} | undefined;
	/** percpu_ref live: get_dev_pagemap() succeeds only while live. */
	readonly ref: 'live' | 'dead';
	/** pgmap_array xarray holds [start_pfn, end_pfn) → this pgmap. */
	readonly in_xarray: boolean;
	/** memmap_init_zone_device() progress: pfns in [pfn_first, init_cursor) are initialized. */
	readonly init_cursor: number;
	/** pfn_first(pgmap, 0): the first data pfn (start + vmem_altmap_offset()). */
	readonly pfn_first?: number;
	/** The memremap_pages()/memunmap_pages() phase the device is at (P1..P7, T1..T4). */
	readonly phase?: string;
	/** The span hot-added for it: the range from v5.3, section-aligned before ([start, end)). */
	readonly span?: {readonly start_pfn: number; readonly end_pfn: number};
	/** pgmap->vmemmap_shift (compound pages of 2^vmemmap_shift pfns), 0 or absent: order-0 pages. */
	readonly vmemmap_shift?: number;
};

// ---------------------------------------------------------------------------------------------
// Zones and nodes

export type Zone = {
	readonly nid: number;
	readonly name: ZoneName;
	/** zone_start_pfn */
	readonly zone_start_pfn: number;
	/** zone_end_pfn(): exclusive; equal to zone_start_pfn when the zone spans nothing. */
	readonly zone_end_pfn: number;
	/** present_pages > 0 (populated_zone()); ZONE_DEVICE is never populated. */
	readonly populated: boolean;
	/** zone->contiguous (set_zone_contiguous()). */
	readonly contiguous: boolean;
};

export type NodeSpan = {
	readonly nid: number;
	readonly node_start_pfn: number;
	/** Exclusive (pgdat_end_pfn()). */
	readonly node_end_pfn: number;
};

// ---------------------------------------------------------------------------------------------
// Predicates

/**
Every predicate's answer for the pfns of a run, at the model's kernel version, arch and patches.
Names are the kernel's. `*_oob` flags say the predicate indexed mem_section out of bounds on the
way (an `oob` touch: __nr_to_section() with nr >= NR_MEM_SECTIONS before v5.18).
*/
export type PredicateAnswers = {
	readonly pfn_valid: boolean;
	readonly pfn_valid_oob: boolean;
	/** CONFIG_HOLES_IN_ZONE ? pfn_valid : 1; removed in v5.15 (then reported as true). */
	readonly pfn_valid_within: boolean;
	/** true = a struct page is returned. */
	readonly pfn_to_online_page: boolean;
	readonly pfn_to_online_page_oob: boolean;
	/** pgmap id, or null. Honours the ref (dead ref → null). */
	readonly get_dev_pagemap: number | null;
	/** pgmap_pfn_valid(get_dev_pagemap(pfn), pfn); false when there is no pgmap. Defined from v5.12 only (false before). */
	readonly pgmap_pfn_valid: boolean;
	readonly present_section: boolean;
	readonly valid_section: boolean;
	readonly online_section: boolean;
	readonly early_section: boolean;
	readonly online_device_section: boolean;
	readonly pfn_section_valid: boolean;
	readonly pfn_in_present_section: boolean;
	/** arm64: memblock_is_map_memory(); elsewhere the same as memblock_is_memory(). */
	readonly memblock_is_map_memory: boolean;
	readonly memblock_is_memory: boolean;
	/**
	What-if helpers (source/model/proposals.ts), present only when a patch that adds them is in
	effect: pfn_zone_device() (pfn-zone-device, pfn-zone-device-data, subsection-dev-map) and
	pfn_zone_device_reserved() (pfn-zone-device-reserved).
	*/
	readonly pfn_zone_device?: boolean;
	readonly pfn_zone_device_reserved?: boolean;
};

// ---------------------------------------------------------------------------------------------
// Runs

/** The uniform per-pfn state of a run. Shared (by reference) by every pfn in the run. */
export type PfnState = {
	/** pfn_to_section_nr(pfn) < NR_MEM_SECTIONS */
	readonly section_nr_in_range: boolean;
	/** PHYS_PFN(PFN_PHYS(pfn)) == pfn */
	readonly upper_bits_ok: boolean;
	/** The section's flags; all false for sections never present or beyond NR_MEM_SECTIONS. */
	readonly section: SectionState;
	/** Bit subsection_map_index(pfn) of ms->usage->subsection_map (v5.3+, VMEMMAP). */
	readonly subsection_valid: boolean;
	/** memblock.memory contains the pfn (boot and, with ARCH_KEEP_MEMBLOCK, hot-added RAM). */
	readonly memblock_memory: boolean;
	/** MEMBLOCK_NOMAP. */
	readonly memblock_nomap: boolean;
	readonly memmap: MemmapState;
	/** The pgmap whose range holds the pfn (xarray contents, independent of the ref). */
	readonly pgmap: number | null;
	/** Where in the pgmap's altmap layout the pfn lies. */
	readonly altmap_part: 'reserve' | 'free' | 'data' | null;
	/** The topology entry the pfn belongs to, if any. */
	readonly entry: number | null;
	readonly predicates: PredicateAnswers;
	readonly category: CategoryId;
	/** True when the memmap content is not `init` (decides whether hole/nomap touches fail). */
	readonly uninitialized: boolean;
	/** One sentence: why this category, in kernel terms (used in witnesses and `explain`). */
	readonly reason: string;
	/** Which kernel form answered pfn_valid() and which test decided pfn_to_online_page() (for `explain`). */
	readonly detail?: {readonly pfn_valid_form: string; readonly pfn_to_online_page_by: string};
};

export type Run = {
	readonly start: number;
	/** Exclusive. */
	readonly end: number;
	/** Index in Model.runs: a stable id for "the same region" (witness de-duplication). */
	readonly index: number;
	readonly state: PfnState;
};

// ---------------------------------------------------------------------------------------------
// Phases

/**
A point in the replay. `boot` is the state after memmap_init; each operation contributes its
steps; `final` is the end of the replay (the topology's declared end states).
*/
export type PhaseStep =
	// CONFIG_DEFERRED_STRUCT_PAGE_INIT: memmap_init() done up to first_deferred_pfn, deferred_init_memmap() not yet
	| 'boot_deferred'
	| 'boot'
	// add_memory(): after arch_add_memory/sparse_add_section, before any online
	| 'added'
	// memmap_on_memory: mhp_init_memmap_on_memory() of the first block done, online_pages() not started
	| 'vmemmap_init'
	// online_pages() done
	| 'onlined'
	// memmap_on_memory: offline_pages() of the first block done, mhp_deinit_memmap_on_memory() not yet
	| 'vmemmap_deinit'
	// offline_pages() done (memmap poisoned again)
	| 'offlined'
	// remove_memory() done (an `operations:` remove): sections gone
	| 'removed'
	// memremap_pages()
	| 'P1'
	| 'P2'
	| 'P3'
	| 'P4'
	| 'P5'
	| 'P6'
	| 'P7'
	// memunmap_pages()
	| 'T1'
	| 'T2'
	| 'T3'
	| 'T4'
	| 'final';

export type Phase = {
	/** "boot", "memory[3]:P4", "final" */
	readonly id: string;
	readonly step: PhaseStep;
	/** Topology entry index, for operation steps. */
	readonly entry?: number;
	/** What has just happened, in kernel terms. */
	readonly label: string;
};

// ---------------------------------------------------------------------------------------------
// The model

export type ModelOptions = {
	/** Override of the topology's `kernel:` (CLI --kernel). */
	readonly kernel?: string;
	/** Override/extension of the topology's `patches:` (CLI --patch). */
	readonly patches?: readonly string[];
	/** Phase id to materialise; default "final". */
	readonly phase?: string;
	/** Single-behaviour overrides that win over version and patches (source/model/context.ts ModelKnobs). */
	readonly knobs?: {readonly x86_add_pages_skips_pgmap?: boolean};
};

export type Model = {
	readonly topology: Topology;
	readonly kernel: KernelVersion;
	/**
	The patches in effect: the named ones (topology `patches:` and --patch) followed by everything
	they imply that applies here (a stable-* preset's backports), each once. Test one with
	patches.ts backportInEffect(model.kernel, model.patches, name).
	*/
	readonly patches: readonly string[];
	/**
	One-line notes about the kernel selection (source/model/notes.ts): an LTS series modelled
	without its stable-* preset, assumptions for old arm64 releases. Optional so that hand-built
	models in tests need not name it; buildModel() always sets it.
	*/
	readonly notes?: readonly string[];
	readonly geometry: Geometry;
	readonly phase: Phase;
	/** Every phase of this topology's replay, in order (for --phases and the dashboard). */
	readonly phases: readonly Phase[];
	/** max_pfn at this phase (moved by hot-add per arch and version). */
	readonly max_pfn: number;
	/** min_low_pfn (first pfn of boot memory). */
	readonly min_low_pfn: number;
	readonly zones: readonly Zone[];
	readonly nodes: readonly NodeSpan[];
	readonly pgmaps: readonly DevPagemap[];
	/**
	Maximal runs covering [0, end_pfn): end_pfn is past every boundary pfn a walker may be swept
	to (beyond NR_MEM_SECTIONS and the upper-bits limit), so every pfn below it has a run.
	*/
	readonly runs: readonly Run[];
	readonly end_pfn: number;
	/** The run containing pfn (binary search). */
	runAt(pfn: number): Run;
	/** The topology entries, for reasons and reports. */
	readonly entries: readonly TopologyEntry[];
};

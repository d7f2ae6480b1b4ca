/**
The walker contract: how a model of a kernel PFN walker is written.

A walker file in walkers/ default-exports a WalkerDefinition named after the kernel function it
models. Its `plan(model)` returns the form the walker had at the model's kernel version: one or
more passes, each a set of pfn ranges walked with a stride, and a `step` that does for one pfn
what the kernel does — calling predicates under their kernel names and reading struct page fields
through the StepContext, so that every read is a touch classified by the model: each page(),
page_zone() and pfn_to_nid() call is one touch, and two calls on one pfn are two touches (one
call per place where the kernel reads the page; docs/writing-a-walker.md).

The engine runs a pass in one of two modes that must give identical tallies and witnesses:
- per-pfn (reference): step() for every iteration pfn;
- runs (fast): the pass's pfn ranges are cut into stretches where the model state of the pfn
  *and of every anchor pfn* is uniform; step() runs once at the first pfn of a stretch and its
  touches are counted once per iteration pfn in the stretch.
For that to be sound, a step may only look at (call predicates on, or touch) the pfn it was
given and the pfns its pass declares as `anchors`. The engine checks this in runs mode and
reports a walker that looks elsewhere as malformed.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Geometry} from '../model/geometry.js';
import type {MemmapContent, Model, ZoneName} from '../model/types.js';

/** Confidence marks (docs/model-facts.md): [V] read in source, [P] patch mail, [U] unverified, [A] own analysis. */
export type Confidence = 'V' | 'P' | 'U' | 'A';

export type Commit = {
	/** Abbreviated mainline commit id (12 hex digits), when known. */
	readonly id?: string;
	readonly subject: string;
};

/** One step of a walker's guard history. */
export type GuardChange = {
	/** Mainline release that first has this form ("5.4"); the first entry may use the oldest modelled release. */
	readonly since: string;
	/** The guard in kernel terms: "pfn_to_online_page()", "pfn_valid() && get_dev_pagemap()". */
	readonly guard: string;
	readonly commits?: readonly Commit[];
	readonly confidence: Confidence;
	readonly note?: string;
};

/** How userspace reaches the walker. */
export type Reachability = 'unprivileged' | 'root' | 'root-any-pfn' | 'indirect' | 'kernel-only';

/** struct page fields a walker reads or writes (the ones that matter for an uninitialized memmap). */
export type PageField =
	| 'flags'
	| 'compound_head'
	| 'page_type'
	| 'private'
	| '_refcount'
	| '_mapcount'
	| 'mapping'
	| 'index'
	| 'memcg_data'
	| 'pgmap'
	| 'lru'
	| 'page_ext'
	| 'struct page'
	/** Not a struct page field: the mem_section entry read by __nr_to_section() (an `oob` touch when out of bounds). */
	| 'mem_section';

export type Access = 'read' | 'write';

/** What a touched struct page holds, as far as the walker can tell. */
export type PageView = {
	readonly content: MemmapContent;
	/** page_zone(); undefined unless the content is init or stale. */
	readonly zone: ZoneName | undefined;
	/** page_to_nid(); undefined unless the content is init or stale. */
	readonly nid: number | undefined;
	/** page_pgmap(); undefined unless initialized as ZONE_DEVICE; null for altmap memmap-storage pages. */
	readonly pgmap: number | null | undefined;
	readonly reserved: boolean;
	readonly offline: boolean;
	/** PagePoisoned(): flags == -1 (CONFIG_DEBUG_VM page_init_poison). */
	readonly poisoned: boolean;
	/**
	A HugeTLB page's struct page as a read sees it: 'head', 'tail', or 'fake_head' (an HVO alias of
	the head, v5.18+: PageHead() set in the copy, page_is_fake_head() true); undefined outside
	HugeTLB pages. Optional: absent means undefined.
	*/
	readonly hugetlb?: 'head' | 'tail' | 'fake_head';
};

/**
A monotone non-decreasing map from the step pfn to another pfn the step looks at, e.g. the
pageblock end `p => Math.min(ALIGN_DOWN(p, pageblock_nr_pages) + pageblock_nr_pages - 1, zone_end - 1)`.
*/
export type Anchor = (pfn: number) => number;

/**
Anchors by shape: the pfns `base(p) + first`, `base(p) + first + step`, …, `base(p) + last` of a
step pfn p, where `base` is an Anchor (absent: the step pfn itself) and `last - first` is a
multiple of `step` — `{first: 0, last: 512, step: 8}` is the 65 anchors `p => p + 8 * i` of a
sample loop. The engine computes these pfns and the stretches they allow by arithmetic, calling
`base` about once per stretch where the same anchors as separate functions cost a call each,
several times per stretch: declare a loop's samples as one series.
*/
export type AnchorSeries = {
	readonly base?: Anchor;
	readonly first: number;
	readonly last: number;
	readonly step: number;
};

/** What a pass's `anchors` lists: a function of the step pfn, or a series of pfns (AnchorSeries). */
export type PassAnchor = Anchor | AnchorSeries;

/** The pfns an anchor stands for at step pfn `pfn`, lowest first (tests and tools; the engine computes them itself). */
export function anchorPfns(anchor: PassAnchor, pfn: number): number[] {
	if (typeof anchor === 'function') {
		return [anchor(pfn)];
	}

	const base = anchor.base === undefined ? pfn : anchor.base(pfn);
	const pfns: number[] = [];
	for (let offset = anchor.first; offset <= anchor.last; offset += anchor.step) {
		pfns.push(base + offset);
	}

	return pfns;
}

/** What a step may do. Predicates and reads take the step pfn or one of the pass's anchor pfns. */
export type StepContext = {
	readonly model: Model;
	readonly g: Geometry;
	readonly kernel: KernelVersion;

	// Predicates (no struct page is touched; an out-of-bounds mem_section index is an `oob` touch).
	pfn_valid(pfn: number): boolean;
	pfn_valid_within(pfn: number): boolean;
	/** True when pfn_to_online_page() returns a page. */
	pfn_to_online_page(pfn: number): boolean;
	/** The pgmap id, or null. */
	get_dev_pagemap(pfn: number): number | null;
	pgmap_pfn_valid(pgmap: number, pfn: number): boolean;
	present_section(pfn: number): boolean;
	valid_section(pfn: number): boolean;
	online_section(pfn: number): boolean;
	early_section(pfn: number): boolean;
	pfn_in_present_section(pfn: number): boolean;
	/**
	What-if helpers of the five-category thread (source/model/proposals.ts): false unless a patch
	that adds them is in effect (`--patch pfn-zone-device`, `subsection-dev-map`,
	`pfn-zone-device-reserved`). Built-in walkers adopt them through source/walker/adopt.ts.
	*/
	pfn_zone_device(pfn: number): boolean;
	pfn_zone_device_reserved(pfn: number): boolean;

	/**
	Dereference pfn_to_page(pfn) and read (or write) fields: one touch, never merged with another
	read of the same pfn. `via` is the kernel function doing the access ("stable_page_flags"),
	used in the witness call chain.
	*/
	page(pfn: number, fields: readonly PageField[], via: string, access?: Access): PageView;
	/** page_zone(pfn_to_page(pfn)): a `flags` read, one touch. */
	page_zone(pfn: number, via: string): ZoneName | undefined;
	/** pfn_to_nid(pfn) = page_to_nid(pfn_to_page(pfn)): a `flags` read, one touch. */
	pfn_to_nid(pfn: number, via: string): number | undefined;

	/** End the pass after this step (a walker that returns at its first match). */
	stop(): void;
};

/** One loop of a walker: ranges walked with a stride, in one direction. */
export type Pass = {
	/** Shown in progress and witnesses: "zone Normal (node 0)", "[0, max_pfn)". */
	readonly label: string;
	/** Half-open pfn ranges, walked in order (reversed, each walked top-down, for direction "down"). */
	readonly ranges: ReadonlyArray<{readonly start: number; readonly end: number}>;
	readonly direction: 'up' | 'down';
	/** Pfns between iteration points; iteration points are range.start + k * stride (up) or range.end - 1 - k * stride (down). */
	readonly stride: number;
	/** Other pfns a step looks at: monotone functions of the step pfn, or series of them (AnchorSeries). */
	readonly anchors?: readonly PassAnchor[];
	/**
	How userspace puts these pfns in front of the walker, when the pass covers only the pfns one
	setting exposes (a PFNMAP mapping under CONFIG_STRICT_DEVMEM, …): appended to each witness
	sentence of the pass, so that it names the setting as well as the guard.
	*/
	readonly why?: string;
	step(ctx: StepContext, pfn: number): void;
};

/** The form of a walker at one kernel version. */
export type WalkerForm = {
	/** "v5.4+: pfn_to_online_page()" — shown as the version form in use. */
	readonly label: string;
	/** The guard in a phrase, for witness sentences: "guards with pfn_valid()". */
	readonly guard: string;
	readonly passes: readonly Pass[];
	/** The later mainline fix that closes what this form exposes, if there is one. */
	readonly fixed_by?: Commit & {readonly version: string};
};

export type WalkerDefinition = {
	/** The kernel function, verbatim: "memory_failure", "__reset_isolation_suitable". */
	readonly name: string;
	/** "mm/memory-failure.c:memory_failure()" */
	readonly models: string;
	/** How it is triggered: "write a physical address to /sys/devices/system/memory/hard_offline_page". */
	readonly trigger: string;
	readonly reachability: Reachability;
	/** The iteration shape in words: "one pfn; swept over the physical address space". */
	readonly shape: string;
	/** Struct page fields it reads or writes, across versions. */
	readonly fields: readonly PageField[];
	/** Guard history, oldest first. */
	readonly history: readonly GuardChange[];
	/** The form at model.kernel, or null when the walker does not exist at that version. */
	plan(model: Model): WalkerForm | null;
};

/**
A form has one or more passes (an empty list is refused as malformed: an audit that walks nothing
by accident must not pass). A walker that exists at the kernel but has nothing to walk on this
topology — no pgmap to tear down, no memory removed — says so: `passes` returns one pass with no
ranges, labelled with `why`, when `passes` is empty.
*/
export function orNothingToWalk(passes: readonly Pass[], why: string): readonly Pass[] {
	return passes.length > 0 ? passes : [{label: why, ranges: [], direction: 'up', stride: 1, step() {}}];
}

/**
A pass label as one flat string: `passLabel('offline_pages() of [', start.toString(16), ')')`.
A template literal of parts is a tree of V8 concatenated strings (32 bytes a node) that also keeps
alive the strings it was built from; a form with a pass per memory block keeps 40 000-80 000
labels (issue 10: memory at scale, docs/scale.md). Equal, as a string, to the template literal.
*/
export function passLabel(...parts: ReadonlyArray<string | number>): string {
	return parts.join('');
}

/** Identity function that gives a walker file its type (and a place for future defaults). */
export function defineWalker(definition: WalkerDefinition): WalkerDefinition {
	return definition;
}

/**
The struct page word PageBuddy() and the other page-type tests read at a kernel version:
page->page_type from v4.18 (6e292b9be7f4 "mm: split page_type out from _mapcount", posted April
2018 [P]), the same word read as _mapcount before.
*/
export function PageBuddy_field(kernel: KernelVersion): PageField {
	return atLeast(kernel, '4.18') ? 'page_type' : '_mapcount';
}

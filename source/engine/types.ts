/**
What an audit produces and what the engine reports while it runs. The dashboard (source/ui/)
and every report format (source/report/) consume these types; the JSON report (schema/pfnaudit-report-1.schema.json) is a projection of
AuditReport (source/report/json.ts).
*/
import type {CategoryId} from '../model/categories.js';
import type {Commit} from '../walker/contract.js';

export type Tally = Record<CategoryId, number>;

export type Witness = {
	readonly category: CategoryId;
	readonly pfn: number;
	readonly section_nr: number;
	/** Kernel call chain, outermost first: ["kpageflags_read", "stable_page_flags"]. */
	readonly chain: readonly string[];
	readonly fields: readonly string[];
	readonly access: 'read' | 'write';
	/** One sentence: what was read, what the memmap held, why the guard let it through. */
	readonly why: string;
	/** Phase id the touch happened at ("final" unless --phases). */
	readonly phase: string;
	/** Whether this touch counts as failing under the audit's --fail-on set. */
	readonly failing: boolean;
};

export type WalkerStatus =
	/** ran to completion */
	| 'ok'
	/** the walker does not exist at this kernel version (plan() returned null) */
	| 'absent'
	/** the walker threw */
	| 'threw'
	/** the walker did not finish within the time limit */
	| 'timeout'
	/** the walker broke the contract (e.g. looked at an undeclared pfn) */
	| 'malformed'
	/** cancelled before it finished */
	| 'cancelled';

export type WalkerResult = {
	readonly name: string;
	readonly models: string;
	/** The version form in use ("v5.4+: pfn_to_online_page()"), or "" when absent. */
	readonly form: string;
	readonly guard: string;
	readonly fixed_by?: Commit & {readonly version: string};
	/** Source file of the walker model, relative to the repository (or the user's path). */
	readonly file: string;
	/**
	1-based line in `file` where the form in use is defined, when the engine knows it. SARIF
	regions point there (GitHub code scanning requires region.startLine); line 1 when absent.
	*/
	readonly line?: number;
	readonly builtin: boolean;
	readonly status: WalkerStatus;
	/** One sentence for threw/timeout/malformed. */
	readonly error?: string;
	readonly pfns_visited: number;
	readonly touches: Tally;
	/** Failing touches per category (hole/nomap count only where uninitialized). */
	readonly failing: Tally;
	/**
	Write touches per category (a subset of `touches`: ctx.page(…, 'write'), page->_refcount by
	get_page(), page->flags by SetPageDirty(), …): a non-zero count means the walker reaches that
	category through a write. Optional so that hand-built results need not name it; the engine
	always sets it.
	*/
	readonly writes?: Tally;
	/** Up to --witnesses per non-zero category, in walk order; none for `ok` (tally.ts). */
	readonly witnesses: readonly Witness[];
	readonly verdict: 'pass' | 'fail' | 'error';
	/** Per-phase breakdown, in phase order (present with --phases, i.e. when more than one phase was audited). */
	readonly by_phase?: readonly PhaseResult[];
	/** Wall time spent on this walker, summed over phases (for humans; never asserted). */
	readonly elapsed_ms?: number;
};

/** One walker at one phase (WalkerResult.by_phase). */
export type PhaseResult = {
	readonly phase: string;
	readonly status: WalkerStatus;
	readonly error?: string;
	readonly pfns_visited: number;
	readonly touches: Tally;
	readonly failing: Tally;
	/** Write touches per category (WalkerResult.writes). */
	readonly writes?: Tally;
};

/** A topology warning where it was raised: `topologies/showcase.yaml:70:5`. */
export type TopologyWarning = {
	readonly file: string;
	readonly line: number;
	readonly column: number;
	readonly message: string;
};

/** A coarse map region for the memory strip (dashboard, HTML SVG). */
export type MapRegion = {
	readonly start_pfn: number;
	readonly end_pfn: number;
	readonly category: CategoryId;
	/** "boot@0x0", "fsdax@0x240000000 reserve", "hole", ... */
	readonly label: string;
};

export type AuditReport = {
	readonly tool: {readonly name: 'pfnaudit'; readonly version: string};
	readonly topology: {
		readonly name: string;
		readonly file: string;
		readonly description: string;
		/** The topology file's text (Topology.source), embedded in every format; absent for a topology built in code. */
		readonly source?: string;
	};
	readonly arch: string;
	readonly kernel: string;
	readonly patches: readonly string[];
	/**
	One-line notes about the kernel selection, from the model (Model.notes, source/model/notes.ts):
	an LTS series modelled without its stable-* preset, assumptions for old arm64 releases. Every
	report format shows them. Optional so that hand-built reports need not name it; the engine
	always sets it (empty when there is nothing to say).
	*/
	readonly notes?: readonly string[];
	/**
	The topology's warnings (Topology.warnings, source/topology/warnings.ts): what the kernel
	accepts but a reviewer would question, each at file:line:column. Every report format shows
	them. Optional so that hand-built reports need not name it; the engine always sets it.
	*/
	readonly warnings?: readonly TopologyWarning[];
	/** Phase ids audited: ["final"], or every phase with --phases. */
	readonly phases: readonly string[];
	readonly fail_on: readonly CategoryId[];
	readonly geometry: {
		readonly PAGE_SHIFT: number;
		readonly SECTION_SIZE_BITS: number;
		readonly MAX_PHYSMEM_BITS: number;
		readonly PAGES_PER_SECTION: number;
		readonly PAGES_PER_SUBSECTION: number;
		readonly NR_MEM_SECTIONS: number;
		readonly memory_block_size: number;
	};
	readonly map: readonly MapRegion[];
	readonly walkers: readonly WalkerResult[];
	readonly verdict: 'pass' | 'fail';
	/** Wall time of the audit and throughput, for humans (never asserted in tests). */
	readonly elapsed_ms: number;
	readonly pfns_per_second: number;
	/** Evaluation mode: "runs" (default) or "per-pfn" (the reference). Both give identical tallies. */
	readonly mode?: 'runs' | 'per-pfn';
};

/** Streamed by the engine, by time (every 50–100 ms), never per pfn. */
export type EngineEvent =
	| {
			readonly type: 'start';
			readonly walkers: ReadonlyArray<{readonly name: string; readonly models: string; readonly form: string}>;
			readonly phases: readonly string[];
	  }
	| {
			readonly type: 'progress';
			readonly walker: string;
			readonly phase: string;
			readonly pfns_visited: number;
			/** 0..1 of this walker's iteration points (all phases). */
			readonly fraction: number;
			readonly touches: Tally;
			readonly failing: Tally;
			/** Write touches per category so far (WalkerResult.writes). */
			readonly writes?: Tally;
			/** Witnesses found since the previous progress event of this walker. */
			readonly witnesses: readonly Witness[];
	  }
	| {readonly type: 'walker-done'; readonly result: WalkerResult}
	| {readonly type: 'done'; readonly report: AuditReport};

/**
The search: layouts from fast-check (generate.ts), each audited with the walker (probe.ts) until
one fails in an asked category or the budget runs out; the failing layout is shrunk, first by
fast-check (its shrinking of the plan), then by shrink.ts to a 1-minimal layout.

Layouts come in chunks: chunk c is `fc.check` over CHUNK_RUNS layouts from a seed derived from
(--seed, c), so the layouts of a seed do not depend on how many worker threads share the chunks
(pool.ts): the counterexample is the one of the lowest failing chunk, whoever ran it.
*/
import fc from 'fast-check';
import type {CategoryId} from '../model/categories.js';
import {v} from '../kernel/version.js';
import {type Arch, geometryFor} from '../model/geometry.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {type Coverage, emptyCoverage, mergeCoverage, recordLayout} from './coverage.js';
import {type Generated, layoutArbitrary} from './generate.js';
import type {Layout} from './layout.js';
import {type ProbeOptions, type ProbeResult, probeLayout} from './probe.js';
import {type ShrinkProgress, shrinkLayout} from './shrink.js';

/** Layouts per chunk. */
export const CHUNK_RUNS = 64;

export type SearchSpace = {
	readonly kernel: string;
	readonly arches: readonly Arch[];
	readonly patches: readonly string[];
	readonly categories: readonly CategoryId[];
	readonly seed: number;
	readonly timeLimitMs?: number;
	/**
	Audit an intermediate phase of the replay besides the final state, when the generated layout
	picks one (default true; `--no-phases`: final states only).
	*/
	readonly phases?: boolean;
};

export type Failing = Extract<ProbeResult, {verdict: 'fail'}>;

export type ChunkResult = {
	readonly chunk: number;
	readonly coverage: Coverage;
	/** The chunk's failing layout after fast-check's shrinking, with its place in the chunk. */
	readonly found?: {readonly result: Failing; readonly run: number; readonly original: Layout; readonly shrinks: number};
	/** Stopped before the end of the chunk (budget, deadline, signal). */
	readonly cut: boolean;
};

/** fast-check's seed of chunk `c` (a 32-bit mix of the search seed and the chunk number). */
export function chunkSeed(seed: number, chunk: number): number {
	let h = (Math.imul(seed ^ 0x9e37_79b9, 0x85eb_ca6b) ^ Math.imul(chunk + 1, 0xc2b2_ae35)) >>> 0;
	h ^= h >>> 16;
	h = Math.imul(h, 0x7feb_352d) >>> 0;
	h ^= h >>> 15;
	return h | 0;
}

/**
Run one chunk of at most `runs` layouts. `shouldStop` is asked before each layout (and while
fast-check shrinks: a stopped shrink keeps the smallest failing plan so far).
*/
export async function runChunk(
	space: SearchSpace,
	walker: WalkerDefinition,
	chunk: number,
	runs: number,
	shouldStop: () => boolean,
	onTried?: (tried: number) => void,
): Promise<ChunkResult> {
	const coverage = emptyCoverage();
	const probe: ProbeOptions = {walker, categories: space.categories, ...(space.timeLimitMs === undefined ? {} : {timeLimitMs: space.timeLimitMs})};
	const kernel = v(space.kernel);
	const sectionBytes = new Map(space.arches.map(arch => {
		const g = geometryFor(arch, kernel);
		return [arch, g.PAGES_PER_SECTION * g.PAGE_SIZE] as const;
	}));
	let pinned: CategoryId | undefined;
	let best: Failing | undefined;
	let original: Layout | undefined;
	let run = -1;
	let tried = 0;
	let shrinks = 0;
	let cut = false;
	let absent = false;
	let lastYield = performance.now();
	const property = fc.asyncProperty(layoutArbitrary({kernel: space.kernel, arches: space.arches, patches: space.patches}), async (generated: Generated) => {
		if (performance.now() - lastYield > 40) {
			await new Promise(resolve => setImmediate(resolve));
			lastYield = performance.now();
		}

		if (absent || shouldStop()) {
			cut ||= pinned === undefined;
			return true;
		}

		if (pinned === undefined) {
			tried++;
			onTried?.(tried);
			const result = probeLayout(generated.layout, probe, space.phases === false ? null : generated.phasePick);
			if (result.verdict === 'absent') {
				// The walker does not exist at this kernel: no layout can change that.
				coverage.absent++;
				absent = true;
				return true;
			}

			if (result.verdict === 'refused') {
				coverage.refused++;
				return true;
			}

			if (result.verdict === 'error') {
				coverage.errors++;
				return true;
			}

			recordLayout(coverage, result.layout, sectionBytes.get(result.layout.arch)!, result.touches);
			if (result.verdict === 'fail') {
				pinned = result.witness.category;
				best = result;
				original = result.layout;
				run = tried - 1;
				return false;
			}

			return true;
		}

		// fast-check is shrinking the failing plan: keep to the category found.
		const result = probeLayout(generated.layout, {...probe, only: pinned}, space.phases === false ? null : generated.phasePick);
		if (result.verdict === 'fail') {
			best = result;
			shrinks++;
			return false;
		}

		return true;
	});
	await fc.check(property, {seed: chunkSeed(space.seed, chunk), numRuns: runs});
	return {
		chunk,
		coverage,
		...(best && original ? {found: {result: best, run, original, shrinks}} : {}),
		cut,
	};
}

export type SearchProgress =
	| {readonly phase: 'searching'; readonly tried: number; readonly audited: number; readonly elapsedMs: number}
	| {readonly phase: 'shrinking'; readonly tried: number; readonly elapsedMs: number; readonly shrink: ShrinkProgress; readonly entries: number};

export type SearchOptions = SearchSpace & {
	readonly walker: WalkerDefinition;
	/** Layouts to try (generated, refused ones included). */
	readonly budget?: number;
	/** Milliseconds to search for (the shrink of a layout found in time is not cut short by it). */
	readonly timeMs?: number;
	readonly signal?: AbortSignal;
	readonly onProgress?: (progress: SearchProgress) => void;
	readonly now?: () => number;
};

export type SearchResult = {
	readonly coverage: Coverage;
	/** Layouts generated (audited and refused). */
	readonly tried: number;
	readonly elapsedMs: number;
	readonly interrupted: boolean;
	readonly found?: {
		readonly result: Failing;
		/** The layout as generated, before any shrinking. */
		readonly original: Layout;
		/** Which layout of the search it was (0-based, in the order of the chunks). */
		readonly index: number;
		readonly fastCheckShrinks: number;
		readonly shrinkSteps: number;
		readonly shrinkProbes: number;
		/** The shrink reached its fixpoint: the layout is 1-minimal. */
		readonly minimal: boolean;
	};
};

/** Layouts generated in a coverage: audited, refused, failed to run, walker absent. */
export function triedIn(coverage: Coverage): number {
	return coverage.layouts + coverage.refused + coverage.errors + coverage.absent;
}

/** Layouts chunk `chunk` tries within a budget of `budget` layouts (0: none left). */
export function chunkRuns(chunk: number, budget: number): number {
	return Math.max(0, Math.min(CHUNK_RUNS, budget - chunk * CHUNK_RUNS));
}

/** The search in this thread (single-threaded; pool.ts runs chunks in worker threads). */
export async function searchInProcess(options: SearchOptions): Promise<SearchResult> {
	const now = options.now ?? (() => performance.now());
	const started = now();
	const coverage = emptyCoverage();
	const budget = options.budget ?? Number.POSITIVE_INFINITY;
	const deadline = options.timeMs === undefined ? Number.POSITIVE_INFINITY : started + options.timeMs;
	let tried = 0;
	let lastProgress = 0;
	const progress = (force = false) => {
		const t = now();
		if (options.onProgress && (force || t - lastProgress >= 250)) {
			lastProgress = t;
			options.onProgress({phase: 'searching', tried, audited: coverage.layouts, elapsedMs: t - started});
		}
	};

	const stop = () => options.signal?.aborted === true || now() >= deadline;
	for (let chunk = 0; ; chunk++) {
		if (options.signal?.aborted || now() >= deadline || tried >= budget) {
			break;
		}

		const runs = Math.min(CHUNK_RUNS, budget - tried);
		const before = tried;
		const result = await runChunk(options, options.walker, chunk, runs, () => {
			progress();
			return stop();
		});
		tried = before + triedIn(result.coverage);
		mergeCoverage(coverage, result.coverage);
		if (result.coverage.absent > 0) {
			break;
		}

		if (result.found) {
			progress(true);
			const index = chunk * CHUNK_RUNS + result.found.run;
			return finishFound(options, {coverage, tried, started, now, found: result.found, index});
		}
	}

	progress(true);
	return {coverage, tried, elapsedMs: now() - started, interrupted: options.signal?.aborted === true};
}

/** Shrink the layout found to a 1-minimal one (or as far as Ctrl+C lets it) and build the result. */
export async function finishFound(
	options: SearchOptions,
	state: {coverage: Coverage; tried: number; started: number; now: () => number; found: NonNullable<ChunkResult['found']>; index: number},
): Promise<SearchResult> {
	const {now} = state;
	const probe: ProbeOptions = {walker: options.walker, categories: options.categories, ...(options.timeLimitMs === undefined ? {} : {timeLimitMs: options.timeLimitMs})};
	const outcome = await shrinkLayout(state.found.result, probe, {
		shouldStop: () => options.signal?.aborted === true,
		onStep: shrink => options.onProgress?.({phase: 'shrinking', tried: state.tried, elapsedMs: now() - state.started, shrink, entries: shrink.layout.memory.length}),
	});
	return {
		coverage: state.coverage,
		tried: state.tried,
		elapsedMs: now() - state.started,
		interrupted: options.signal?.aborted === true,
		found: {
			result: outcome.result,
			original: state.found.original,
			index: state.index,
			fastCheckShrinks: state.found.shrinks,
			shrinkSteps: outcome.steps,
			shrinkProbes: outcome.probes,
			minimal: outcome.complete,
		},
	};
}

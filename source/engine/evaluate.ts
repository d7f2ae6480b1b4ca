/**
Evaluating one walker over one model (one phase): plan() the form at the model's kernel, walk
every pass in the chosen mode, and turn what happens into a JobResult — including a walker that
throws, breaks the contract, runs out of time or is cancelled. Pure apart from the clock;
the runners (inline.ts, pool.ts) call it in-process or inside a worker.
*/
import {planWalker} from '../walker/adopt.js';
import type {CategoryId} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import type {Model} from '../model/types.js';
import type {WalkerDefinition, WalkerForm} from '../walker/contract.js';
import {createStepContext} from './context.js';
import {checkForm, copyForm, passPoints} from './form-check.js';
import {Pacer} from './pacer.js';
import {walkPassPerPfn} from './per-pfn.js';
import {RunCursor} from './run-cursor.js';
import {RunsEnv, walkPassRuns} from './runs.js';
import {emptyTally, TouchTally} from './tally.js';
import type {Tally, WalkerResult, WalkerStatus, Witness} from './types.js';
import {ContractViolation, WalkerCancelled, WalkerTimeout} from './violation.js';
import {WalkState} from './walk-state.js';
import type {EvaluationMode} from './defaults.js';
import type {WitnessScope} from './witness.js';

export {EVALUATION_MODES, type EvaluationMode} from './defaults.js';

/** Witnesses per walker × category. */
export const DEFAULT_WITNESS_LIMIT = 5;
/** Progress events every this many milliseconds (50–100 ms). */
export const DEFAULT_PROGRESS_INTERVAL_MS = 75;

export type EvaluateOptions = {
	readonly mode: EvaluationMode;
	readonly failOn: readonly CategoryId[];
	readonly witnessLimit?: number;
	readonly progressIntervalMs?: number;
	/** Milliseconds; default none (the runners pass their limit). */
	readonly timeLimitMs?: number;
	readonly signal?: AbortSignal;
	readonly now?: () => number;
	readonly onProgress?: (progress: JobProgress) => void;
};

/** A snapshot while a walker runs. Tallies are cumulative; witnesses are the new ones. */
export type JobProgress = {
	readonly pfns_visited: number;
	/** 0..1 of this job's iteration points. */
	readonly fraction: number;
	readonly touches: Tally;
	readonly failing: Tally;
	/** Write touches per category (a subset of touches); absent in a hand-built snapshot: none. */
	readonly writes?: Tally;
	readonly witnesses: readonly Witness[];
};

/** The serialisable part of a WalkerForm (it crosses the worker boundary). */
export type FormInfo = Pick<WalkerResult, 'form' | 'guard' | 'fixed_by'>;

/** One walker at one phase. */
export type JobResult = {
	readonly walker: string;
	readonly phase: string;
	readonly status: WalkerStatus;
	readonly error?: string;
	readonly form: FormInfo | undefined;
	readonly pfns_visited: number;
	readonly total_points: number;
	readonly touches: Tally;
	readonly failing: Tally;
	/** Write touches per category (a subset of touches); absent: none. */
	readonly writes?: Tally;
	readonly witnesses: readonly Witness[];
	readonly elapsed_ms: number;
};

export function formInfo(form: WalkerForm): FormInfo {
	return form.fixed_by ? {form: form.label, guard: form.guard, fixed_by: {...form.fixed_by}} : {form: form.label, guard: form.guard};
}

/**
What V8 says when a StepContext method runs without its object: a walker destructured it
(`const {pfn_valid} = ctx; pfn_valid(pfn)`), and the method found `this` undefined when it read
one of the context's own fields. The names are every field the methods of StepContextImpl
(source/engine/context.ts) read or set; test/engine/detached-context.test.ts calls each method
detached and checks that this recognises what it throws.
*/
const DETACHED_CONTEXT = /^Cannot (?:read|set) properties of undefined \((?:reading|setting) '(?:current|cursor|firstCount|g|guardPfn|kernel|lookup|model|move|page|record|slots|stopped|touch|touchCount|violation|counts)'\)$/;

/** Whether `error` is a StepContext method called without ctx (DETACHED_CONTEXT). */
export function isDetachedContextCall(error: unknown): boolean {
	return error instanceof TypeError && DETACHED_CONTEXT.test(error.message);
}

/** The contract sentence for a destructured StepContext: what the walker did and how to write it. */
export const DETACHED_CONTEXT_RULE =
	'called a StepContext method without ctx (destructured, like `const {pfn_valid} = ctx`); the methods use their context object, so call them on it: ctx.pfn_valid(pfn), ctx.page(pfn, fields, via) (docs/writing-a-walker.md, "The step")';

function messageOf(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
}

/**
The checked copy of the form `walker` has at `model` (copyForm()), or null when it is absent. In a
function of its own so that the form plan() returned is garbage once the copy exists: held in a
local of evaluateWalker() it stayed reachable from that frame for the whole walk, and for a walker
with a pass per memory block or System RAM resource it was 20-34 MiB at 100 000 topology entries
beside its 9-18 MiB copy (issue 10: the workers' plan-time spikes; docs/scale.md).
*/
function plannedCopy(walker: WalkerDefinition, model: Model): WalkerForm | null {
	const planned: unknown = planWalker(walker, model);
	if (planned === null) {
		return null;
	}

	const form = copyForm(planned) as WalkerForm;
	checkForm(form, model);
	return form;
}

export function evaluateWalker(walker: WalkerDefinition, model: Model, options: EvaluateOptions): JobResult {
	const phase = model.phase.id;
	const started = (options.now ?? (() => performance.now()))();
	const base = {walker: walker.name, phase, pfns_visited: 0, total_points: 0, touches: emptyTally(), failing: emptyTally(), witnesses: []};
	const elapsed = () => (options.now ?? (() => performance.now()))() - started;

	let form: WalkerForm | null;
	try {
		form = plannedCopy(walker, model);
		if (form === null) {
			return {...base, status: 'absent', form: undefined, elapsed_ms: elapsed()};
		}
	} catch (error) {
		const malformed = error instanceof ContractViolation;
		return {
			...base,
			status: malformed ? 'malformed' : 'threw',
			error: malformed ? `${walker.name}: ${messageOf(error)}` : `${walker.name}: plan() threw: ${messageOf(error)}`,
			form: undefined,
			elapsed_ms: elapsed(),
		};
	}

	const info = formInfo(form);
	const total = form.passes.reduce((sum, pass) => sum + passPoints(pass), 0);
	const scope: WitnessScope = {walker: walker.name, guard: form.guard, kernel: model.kernel.label, phase, g: model.geometry};
	const tally = new TouchTally(model, new Set(options.failOn), options.witnessLimit ?? DEFAULT_WITNESS_LIMIT, scope);
	let state: WalkState | undefined;
	const snapshot = (): JobProgress => ({
		pfns_visited: state?.visited ?? 0,
		fraction: total === 0 ? 1 : Math.min(1, (state?.done ?? 0) / total),
		touches: tally.touches,
		failing: tally.failing,
		writes: tally.writes,
		witnesses: tally.takeFresh(),
	});
	const pacer = new Pacer({
		intervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
		timeLimitMs: options.timeLimitMs ?? Number.POSITIVE_INFINITY,
		signal: options.signal,
		now: options.now,
		onProgress: options.onProgress ? () => options.onProgress!(snapshot()) : undefined,
	});
	state = new WalkState(createStepContext(model), tally, pacer, total);
	const w = state;
	const finish = (status: WalkerStatus, error?: string): JobResult => ({
		walker: walker.name,
		phase,
		status,
		...(error === undefined ? {} : {error}),
		form: info,
		pfns_visited: w.visited,
		total_points: total,
		touches: tally.touches,
		failing: tally.failing,
		writes: tally.writes,
		witnesses: tally.witnesses,
		elapsed_ms: elapsed(),
	});

	try {
		const env = options.mode === 'runs' ? new RunsEnv(walker.name, w.ctx, createStepContext(model), new RunCursor(model), model.end_pfn) : undefined;
		for (const pass of form.passes) {
			w.currentPass = pass;
			scope.exposure = typeof pass.why === 'string' ? pass.why : undefined;
			const before = w.done;
			// stop() ends this pass only (contract.ts); the points it skipped count as done.
			if (env !== undefined) {
				walkPassRuns(w, pass, env);
			} else {
				walkPassPerPfn(w, pass);
			}

			w.done = before + passPoints(pass);
		}

		w.done = total;
		return finish('ok');
	} catch (error) {
		if (error instanceof ContractViolation) {
			// Guard and spot-check violations are whole sentences naming the walker; anchor problems
			// name their pass and pfns; a bad lookup gets the step's pfn and pass.
			const text = messageOf(error);
			if (text.startsWith(`${walker.name} `)) {
				return finish('malformed', text);
			}

			return finish('malformed', error.located ? `${walker.name}: ${text}` : `${walker.name}${w.where()}: ${text}`);
		}

		if (error instanceof WalkerTimeout) {
			return finish('timeout', `${walker.name} ${messageOf(error)} (stopped at pfn ${hex(Math.max(0, w.currentPfn))}, ${w.visited} pfns visited)`);
		}

		if (error instanceof WalkerCancelled) {
			return finish('cancelled', `${walker.name} was cancelled`);
		}

		if (isDetachedContextCall(error)) {
			return finish('malformed', `${walker.name}${w.where()}: ${DETACHED_CONTEXT_RULE}`);
		}

		return finish('threw', `${walker.name} threw${w.where()}: ${messageOf(error)}`);
	} finally {
		// After finish() has summed the counts into the result.
		tally.release();
	}
}

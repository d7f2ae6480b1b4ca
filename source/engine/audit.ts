/**
The audit: every selected walker over a topology's model — at the final phase, or at every
phase of the replay with `phases` — off the main thread (pool.ts) or in-process (inline.ts),
streaming EngineEvents by time and ending with an AuditReport.

	const report = await runAudit({topology, walkers, onEvent: event => ui.dispatch(event)});

Pausable with a PauseController (pause.ts) in `pause`: workers only.
*/
import {planWalker} from '../walker/adopt.js';
import {availableParallelism} from 'node:os';
import type {CategoryId} from '../model/categories.js';
import {buildModel as realBuildModel} from '../model/build.js';
import {modelBytes, modelFromBytes, type SharedModel} from '../model/model-data.js';
import type {Model, ModelOptions} from '../model/types.js';
import {distModuleUrl, RUNNING_FROM_SOURCE} from '../paths.js';
import type {Topology} from '../topology/types.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {planWalkerIsolated} from '../walker/isolate.js';
import {loadWalkerFile} from '../walker/load.js';
import {combineJobs} from './aggregate.js';
import {collectIfLarge, heapsAreLean, looseHeap, tightHeap} from './collect.js';
import {DEFAULT_PROGRESS_INTERVAL_MS, DEFAULT_WITNESS_LIMIT, type EvaluationMode, type FormInfo, formInfo, type JobProgress, type JobResult} from './evaluate.js';
import {InternalError} from '../errors/internal-error.js';
import {DEFAULT_TIME_LIMIT_MS} from './defaults.js';
import {DEFAULT_FAIL_SET} from './fail-on.js';
import {type BuildModel, runInline} from './inline.js';
import {type AuditWalker, type Job, type JobHooks, type JobSettings, unrunJob} from './jobs.js';
import type {PauseController} from './pause.js';
import {runInWorkers} from './pool.js';
import {buildAuditReport, reportBasis} from './report.js';
import {addTallies, emptyTally} from './tally.js';
import type {AuditReport, EngineEvent, WalkerResult} from './types.js';

export {DEFAULT_TIME_LIMIT_MS} from './defaults.js';

/**
A topology handed over to runAudit() by a caller that keeps no reference to it (the headless
audit, bench/scale.ts): the audit takes it out, and lets go of it as soon as the workers have the
models they walk laid out, while they walk. At 100 000 entries the topology is some 50 MiB of
objects (its entries and their positions) that the audit's thread held for the whole walk
(issue 10); a topology passed as it is stays referenced by the caller's options anyway.
*/
export class TopologyHandover {
	#topology: Topology | undefined;

	constructor(topology: Topology) {
		this.#topology = topology;
	}

	/** The topology, taken out: the handover holds it no longer. Once only. */
	take(): Topology {
		const topology = this.#topology;
		if (topology === undefined) {
			throw new InternalError('TopologyHandover: the topology was taken already');
		}

		this.#topology = undefined;
		return topology;
	}
}

export type AuditOptions = {
	/**
	The topology, or a TopologyHandover of it: then the audit's thread lets go of it once the
	workers have its model laid out, unless another phase is to be built from it (`phases`) or the
	walkers run in this thread (`runner: 'in-process'`).
	*/
	readonly topology: Topology | TopologyHandover;
	readonly walkers: readonly AuditWalker[];
	/** Audit every phase of the replay (model.phases), not just the final state. */
	readonly phases?: boolean;
	/** Failing categories; default DEFAULT_FAIL_SET. */
	readonly failOn?: readonly CategoryId[];
	readonly mode?: EvaluationMode;
	/** Per walker and phase; default DEFAULT_TIME_LIMIT_MS. */
	readonly timeLimitMs?: number;
	readonly witnessLimit?: number;
	readonly progressIntervalMs?: number;
	readonly signal?: AbortSignal;
	/**
	Pause and resume the walk (the worker runner only: the in-process runner would have to block
	the very thread that resumes it). Paused time counts neither against the time limit nor in
	elapsed_ms / pfns_per_second.
	*/
	readonly pause?: PauseController;
	readonly onEvent?: (event: EngineEvent) => void;
	/**
	`workers` (default): a worker_threads pool; `in-process`: the calling thread (tests, tiny inputs
	of built-ins). In-process, a user walker file is loaded and run in the calling thread, without
	the isolation of source/walker/isolate.ts: the commands use `workers` for user walkers.
	*/
	readonly runner?: 'workers' | 'in-process';
	/** Worker threads; default os.availableParallelism(). */
	readonly workers?: number;
	/** Model options besides the phase (the topology already carries --kernel and --patch). */
	readonly modelOptions?: Omit<ModelOptions, 'phase'>;
	/**
	A module exporting `buildModel(topology, options)`, imported by this thread unless
	`buildModel` is given (the workers receive the models built). Default: source/model/build.
	Tests point it at a module that builds hand-made models.
	*/
	readonly modelModule?: string | URL;
	readonly buildModel?: BuildModel;
	/**
	Where user walkers' console output goes (their plan() worker and the pool's workers); default
	process.stderr. The dashboard collects it instead: on its screen it would tear the frame.
	*/
	readonly walkerOutput?: NodeJS.WritableStream;
	/**
	The nice value (0..19) of the worker threads (thread-priority.ts, Linux): the dashboard lowers
	them so that its own thread draws a key's frame at once while the walk runs. Undefined: the
	workers run at the process's priority (the headless audit).
	*/
	readonly workerNice?: number;
};

/** file: URL of the real model builder, as a worker must import it (dist .js, or .ts from source). */
export function defaultModelModule(): string {
	return RUNNING_FROM_SOURCE ? new URL('../model/build.ts', import.meta.url).href : distModuleUrl('model/build').href;
}

/** Per-walker progress: finished phases and the latest snapshot of the running one. */
class WalkerProgress {
	readonly results = new Map<string, JobResult>();
	readonly running = new Map<string, JobProgress>();

	constructor(private readonly phaseCount: number) {}

	event(walker: string, phase: string, fresh: JobProgress): EngineEvent {
		const touches = emptyTally();
		const failing = emptyTally();
		const writes = emptyTally();
		let visited = 0;
		let fraction = this.results.size;
		for (const result of this.results.values()) {
			addTallies(touches, result.touches);
			addTallies(failing, result.failing);
			if (result.writes) {
				addTallies(writes, result.writes);
			}

			visited += result.pfns_visited;
		}

		for (const progress of this.running.values()) {
			addTallies(touches, progress.touches);
			addTallies(failing, progress.failing);
			if (progress.writes) {
				addTallies(writes, progress.writes);
			}

			visited += progress.pfns_visited;
			fraction += progress.fraction;
		}

		return {
			type: 'progress',
			walker,
			phase,
			pfns_visited: visited,
			fraction: Math.min(1, fraction / this.phaseCount),
			touches,
			failing,
			writes,
			witnesses: fresh.witnesses,
		};
	}
}

function hasPlan(definition: AuditWalker['definition']): definition is WalkerDefinition {
	return typeof (definition as Partial<WalkerDefinition>).plan === 'function';
}

export async function runAudit(options: AuditOptions): Promise<AuditReport> {
	try {
		return await audit(options);
	} finally {
		// However the audit ends (a build that throws, an abort), heaps grow as before it.
		looseHeap();
	}
}

async function audit(options: AuditOptions): Promise<AuditReport> {
	if (options.pause && options.runner === 'in-process') {
		throw new InternalError('runAudit: pause needs the worker runner (runner: "workers")');
	}

	const started = performance.now();
	const pausedBefore = options.pause?.pausedMs() ?? 0;
	const modelModule = options.modelModule === undefined ? defaultModelModule() : String(options.modelModule);
	const build =
		options.buildModel ??
		(options.modelModule === undefined ? realBuildModel : ((await import(modelModule)) as {buildModel: BuildModel}).buildModel);
	const modelOptions = options.modelOptions ?? {};
	// The topology and the model of the final phase: held here until the workers have the model
	// laid out (finalBytes), then let go unless the walkers run in this thread (the report keeps
	// what it reads of them, `basis`).
	let topology: Topology | undefined = options.topology instanceof TopologyHandover ? options.topology.take() : options.topology;
	let model: Model | undefined = build(topology, modelOptions);
	// What parsing and building left behind would otherwise stay resident while the workers run.
	// From here until the model is laid out, a large topology's heap grows tightly (tightHeap()):
	// laying the model out was the audit's peak.
	tightHeap();
	collectIfLarge();
	const finalPhase = model.phase;
	const phases = options.phases ? model.phases.map(phase => phase.id) : [finalPhase.id];
	const basis = reportBasis(model);
	const failOn = options.failOn ?? DEFAULT_FAIL_SET;
	const mode = options.mode ?? 'runs';
	const witnessLimit = options.witnessLimit ?? DEFAULT_WITNESS_LIMIT;
	const emit = options.onEvent ?? (() => undefined);
	const settings: JobSettings = {
		modelOptions,
		failOn,
		mode,
		witnessLimit,
		progressIntervalMs: options.progressIntervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
		timeLimitMs: options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS,
		modelModule,
		...(options.workerNice === undefined ? {} : {workerNice: options.workerNice}),
	};

	// The in-process runner runs user walkers in this thread (tests, tiny inputs): load them here.
	const walkers: readonly AuditWalker[] =
		options.runner === 'in-process'
			? await Promise.all(
					options.walkers.map(async walker =>
						hasPlan(walker.definition) || walker.source.kind !== 'file' ? walker : {...walker, definition: await loadWalkerFile(walker.source.path)},
					),
				)
			: options.walkers;
	// The forms at the final phase, planned for the start event and for walkers whose worker was
	// stopped before it reported one (plan() errors are reported when the walker runs). A user
	// walker is planned in a worker of its own (isolate.ts); one whose plan() could not finish
	// there (time or heap limit, process.exit) is reported with that at every phase, unrun.
	// A built-in walker is planned here only when someone listens to the start event (the
	// dashboard shows the forms at once); otherwise only if its workers report no form (each
	// worker plans the walkers it runs anyway: planning all of them here as well was some 10 %
	// of a 10 000-entry audit's CPU, issue 10).
	const unplannable = new Map<number, {status: 'timeout' | 'threw'; error: string}>();
	let finalBytes: SharedModel | undefined;
	let thawed: Model | undefined;
	/** The final-phase model: the one built here while it is held, else read back from finalBytes (once). */
	const finalModel = (): Model => {
		if (model !== undefined) {
			return model;
		}

		thawed ??= modelFromBytes(finalBytes!);
		return thawed;
	};

	const planHere = (definition: WalkerDefinition): FormInfo | undefined => {
		try {
			const form = planWalker(definition, finalModel());
			return form && typeof form.label === 'string' && typeof form.guard === 'string' ? formInfo(form) : undefined;
		} catch {
			return undefined;
		}
	};

	/** A planned form, or LATER: plan on demand (plannedForm()). */
	const LATER = Symbol('later');
	const planned: Array<FormInfo | undefined | typeof LATER> = await Promise.all(
		walkers.map(async (walker, i): Promise<FormInfo | undefined | typeof LATER> => {
			const {definition} = walker;
			if (!hasPlan(definition)) {
				if (walker.source.kind !== 'file') {
					throw new InternalError(`runAudit: the walker ${definition.name} has neither plan() nor a file`);
				}

				finalBytes ??= modelBytes(finalModel());
				// Before the walker's own worker starts: V8's flags are the process's.
				looseHeap();
				const isolated = await planWalkerIsolated(definition.name, {path: walker.source.path, model: finalBytes}, {
					timeLimitMs: settings.timeLimitMs,
					...(options.walkerOutput ? {output: options.walkerOutput} : {}),
				});
				if (!isolated.ok) {
					unplannable.set(i, {status: isolated.status, error: isolated.error});
					return undefined;
				}

				return isolated.form ?? undefined;
			}

			return options.onEvent === undefined ? LATER : planHere(definition);
		}),
	);
	const plannedForm = (i: number): FormInfo | undefined => {
		const form = planned[i];
		if (form !== LATER) {
			return form;
		}

		const now = planHere(walkers[i]!.definition as WalkerDefinition);
		planned[i] = now;
		return now;
	};

	if (options.onEvent !== undefined) {
		emit({
			type: 'start',
			walkers: options.walkers.map((walker, i) => ({name: walker.definition.name, models: walker.definition.models, form: plannedForm(i)?.form ?? ''})),
			phases,
		});
	}

	const progress = options.walkers.map(() => new WalkerProgress(phases.length));
	const results: Array<WalkerResult | undefined> = options.walkers.map(() => undefined);
	const hooks: JobHooks = {
		progress(job: Job, snapshot: JobProgress) {
			const tracker = progress[job.walker]!;
			tracker.running.set(job.phase, snapshot);
			emit(tracker.event(job.name, job.phase, snapshot));
		},
		done(job: Job, result: JobResult) {
			const tracker = progress[job.walker]!;
			tracker.running.delete(job.phase);
			tracker.results.set(job.phase, result);
			if (tracker.results.size === phases.length) {
				const walker = options.walkers[job.walker]!;
				const ordered = phases.map(phase => tracker.results.get(phase)!);
				// A walker whose plan() at the final phase returned null ('absent') has no form to plan
				// here either: planning it would read the model back from the workers' bytes in this
				// thread (some 80 MiB and a second of CPU at 100 000 entries) to get null again.
				const reported = ordered.some(result => result.form !== undefined) || tracker.results.get(finalPhase.id)?.status === 'absent';
				const combined = combineJobs(
					{name: walker.definition.name, models: walker.definition.models, file: walker.file, builtin: walker.builtin},
					ordered,
					witnessLimit,
					reported ? undefined : plannedForm(job.walker),
				);
				results[job.walker] = combined;
				emit({type: 'walker-done', result: combined});
			}
		},
	};

	// Walkers that could not be planned are not run: a loop in plan() costs --timeout once.
	let id = -1;
	for (const [i, failure] of unplannable) {
		for (const phase of phases) {
			const job: Job = {id: id--, walker: i, source: walkers[i]!.source, name: walkers[i]!.definition.name, phase};
			hooks.done(job, unrunJob(job, failure.status, phase === finalPhase.id ? failure.error : `${failure.error} (planned at phase ${finalPhase.id})`));
		}
	}

	const runnable = walkers.flatMap((walker, i) => (unplannable.has(i) ? [] : [{walker, i}]));
	if (runnable.length > 0) {
		if (options.runner === 'in-process') {
			looseHeap();
			// Every model is built once, here: the model of the final phase is built already (above).
			const given = topology;
			const models = new Map<string, Model>([[finalPhase.id, model]]);
			const modelAt = (phase: string): Model => {
				let built = models.get(phase);
				if (built === undefined) {
					built = build(given, {...modelOptions, phase});
					models.set(phase, built);
				}

				return built;
			};

			await runInline(settings, walkers as ReadonlyArray<AuditWalker & {definition: WalkerDefinition}>, phases, modelAt, hooks, options.signal);
		} else {
			// Every model is built once, here, and laid out once for the workers (which share the
			// bytes); the models themselves are let go: a 100 000-entry model is some 190 MiB of
			// objects, which this thread would hold beside the workers for the whole walk (issue 10).
			finalBytes ??= modelBytes(model);
			// Before the collections below (they set the heap's limit for the walk) and the workers.
			looseHeap();
			model = undefined;
			// Another phase (`phases`) is built from the topology when the pool first needs it (bytesAt),
			// so the topology stays for those audits: laid out all at once instead, every phase's model
			// would be held from the start (there is a phase per step of the replay: boot, each entry,
			// each operation). Otherwise the workers need nothing more of it.
			const forOtherPhases = phases.length > 1 ? topology : undefined;
			topology = undefined;
			// Collected after a turn of the event loop: until this function has been suspended once,
			// the interpreter's registers of its frame still hold the model (the temporaries of the
			// reads above), and a collection here kept all of it (232 MiB of heap at 100 000 entries,
			// 97 MiB after the turn).
			await new Promise(resolve => {
				setImmediate(resolve);
			});
			// First a collection that only frees: compacting a heap that still holds the model copies
			// what survives while every page of the model is still resident, and that copy was the
			// audit's peak at 100 000 entries (one thread's RSS 510 -> 536 MiB during a compacting
			// collection of the laid-out model, 516 with this one first). Whenever the heaps are lean (a
			// large topology, collect.ts leanHeap()), whatever the heap holds: the model let go is then
			// tens of MiB or more, and by the heap's size alone (256 MiB) the model of a 30 000- or
			// 50 000-entry topology, and that of 100 000 entries once it was smaller, stayed in this
			// thread for the whole walk (100 000 entries with 236 MiB of heap in use at the layout: a
			// peak of 747-768 MiB, in the walk).
			if (collectIfLarge(heapsAreLean() ? 0 : undefined)) {
				// Then one that compacts what is left (collect.ts). Since the memory map is kept packed
				// (reportBasis()), a first collection leaves some 25 MiB unreachable on the heap at 100 000
				// entries that a second frees (57.8 -> 32.9 MiB of heap in use by v8.getHeapStatistics(),
				// 66 -> 43 MiB with the warnings not flattened), and this thread comes to no other
				// collection while the workers walk.
				collectIfLarge(0, {compact: true});
			}
			const laidOut = new Map<string, SharedModel>([[finalPhase.id, finalBytes]]);
			const bytesAt = (phase: string): SharedModel => {
				let shared = laidOut.get(phase);
				if (shared === undefined) {
					shared = modelBytes(build(forOtherPhases!, {...modelOptions, phase}));
					laidOut.set(phase, shared);
				}

				return shared;
			};

			// The pool numbers the walkers it is given; hooks see the audit's own numbering.
			const original = (job: Job): Job => ({...job, walker: runnable[job.walker]!.i});
			const size = options.workers ?? availableParallelism();
			await runInWorkers(
				settings,
				runnable.map(({walker}) => walker),
				phases,
				{progress: (job, snapshot) => hooks.progress(original(job), snapshot), done: (job, result) => hooks.done(original(job), result)},
				{
					modelBytes: bytesAt,
					size,
					...(options.signal ? {signal: options.signal} : {}),
					...(options.pause ? {pause: options.pause} : {}),
					...(options.walkerOutput ? {output: options.walkerOutput} : {}),
				},
			);
		}
	}

	const report = buildAuditReport({
		model: basis.model,
		map: basis.map.regions(),
		phases,
		failOn,
		walkers: results.map((result, i) => {
			if (!result) {
				throw new Error(`internal: no result for walker ${options.walkers[i]!.definition.name}`);
			}

			return result;
		}),
		elapsedMs: performance.now() - started - ((options.pause?.pausedMs() ?? 0) - pausedBefore),
		mode,
	});
	emit({type: 'done', report});
	return report;
}

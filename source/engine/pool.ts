/**
The worker pool: walkers run off the main thread, in up to os.availableParallelism() worker
threads. A worker takes one walker at a time and runs its phases in order (so a walker that
fails at one phase is not run again at the next, and results do not depend on scheduling).

Isolation: a walker that throws is reported by its worker; one that crashes or ends its worker
thread is reported `threw`; one that outlives its time limit is stopped with terminate() and
reported `timeout` (the worker's own cooperative limit usually answers first, with partial
counts); each time the slot gets a fresh worker and the other walkers go on. A user walker (a file) runs
in a worker of its own, with a heap limit (WALKER_HEAP_MB), shared with no other walker; an
exception from its timers or a rejection nobody handled fails its job (worker.ts). Cancellation
(AbortSignal) terminates every worker and reports what did not finish as `cancelled`.

Pausing (pause.ts): the workers block at their next chunk boundary; the pool starts no new job
and its kill timers stand still until resume().
*/
import {once} from 'node:events';
import {setFlagsFromString} from 'node:v8';
import {type ResourceLimits, Worker} from 'node:worker_threads';
import {InternalError} from '../errors/internal-error.js';
import {heapsAreLean, LEAN_YOUNG_GENERATION_MB, releaseYoungGeneration} from './collect.js';
import {closeOnePass} from '../model/one-pass.js';
import {inlineForMode} from './inlining.js';
import {type SharedModel, sharedModelBytes} from '../model/model-data.js';
import {distModuleUrl, RUNNING_FROM_SOURCE} from '../paths.js';
import {WALKER_HEAP_MB} from '../walker/isolate.js';
import type {EvaluationMode, JobProgress, JobResult} from './evaluate.js';
import {addTallies, emptyTally} from './tally.js';
import {type AuditWalker, type Job, JobGate, type JobHooks, type JobSettings, unrunJob} from './jobs.js';
import {formatDuration} from './pacer.js';
import {pausableTimeout, type PauseController} from './pause.js';
import type {FromWorker, ToWorker, WorkerInit} from './protocol.js';
import type {Witness} from './types.js';

/** Time an idle worker gets to exit by itself (flushing its output) before it is terminated. */
const RELEASE_LIMIT_MS = 1000;

/** Time a worker may take to build the model and load a walker before a job starts. */
const STARTUP_LIMIT_MS = 60_000;

/**
The old-generation heap limit of a worker of built-in walkers, in MB, for models of `modelBytes`
bytes (model-data.ts sharedModelBytes()) at each of `phases` phases (a worker keeps the model of
every phase it was sent: the next walker walks them again): four times the models (a worker's
objects of a model and its run cursor take about as much heap as the model's bytes) plus 256 MB
for the walks, and at least 1024 MB.

A limit is set not to stop built-in walkers, which run on pfnaudit's own model, but because V8
lets a heap grow between two full collections by a factor of its live size that depends on the
heap's limit: up to 4 without one (a 64-bit heap limit of 2 GiB or more), between 1.3 and 2
below that (src/heap/heap-controller.cc, MemoryController::MaxGrowingFactor()). At 100 000
topology entries a worker holds some 200 MiB live; without a limit each grew to 700-800 MiB
between collections, most of the audit's peak memory (issue 10).
*/
export function builtinHeapMb(modelBytes: number, phases = 1): number {
	return Math.max(WALKER_HEAP_MB, Math.ceil((4 * modelBytes * phases) / 2 ** 20) + 256);
}

/**
The resource limits of a worker: `heapMb` of old generation (WALKER_HEAP_MB for a user walker's
worker, builtinHeapMb() for built-ins). A worker of built-in walkers in a process whose heaps are
lean (collect.ts leanHeap(): a large topology) also gets a young generation of
LEAN_YOUNG_GENERATION_MB instead of V8's default of 48 MiB (three semi-spaces of 16 MiB): each of
the two workers of a 100 000-entry audit held some 35 MiB less at its peak, for some 3 % more CPU
in scavenges.
*/
export function workerLimits(heapMb: number, builtin: boolean): ResourceLimits {
	return builtin && heapsAreLean() ? {maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB} : {maxOldGenerationSizeMb: heapMb};
}

let optimizingInWorkers = false;

/**
From the first worker on, V8 compiles optimized code in the thread that asks for it, not on a
background thread (V8's --no-concurrent-recompilation; issue 10). The walk's workers are busy on
every core there is while they warm up the same engine code, and a background compile then
competes with the walk for a core, and its result arrives after the code it replaces has run on:
measured on the 2-core machine of the README, a 10 000-entry audit's process CPU went from
3.0-3.3 s to 2.86-2.97 s (five alternating pairs, load 2-3), its wall time down too. The flag is
the process's, but as measured here it takes hold in the threads started after it is set: the
thread that starts the workers keeps its background compiles (the dashboard's CPU per key did not
move). Set on the command line for the whole process, it cut the 10 000-entry audit's CPU further
but took the dashboard's main-thread CPU per key from 5-8 to 16-19 ms, so the flag is set here, not in the executable.
*/
function optimizeInWorkerThreads(mode: EvaluationMode): void {
	if (!optimizingInWorkers) {
		setFlagsFromString('--no-concurrent-recompilation');
		optimizingInWorkers = true;
		// The workers' code is compiled with inlining (source/model/one-pass.ts).
		closeOnePass();
	}

	inlineForMode(mode);
}

/** Whether optimizeInWorkerThreads() has set V8's flag for this process (a worker was started). */
export function optimizingInWorkerThreads(): boolean {
	return optimizingInWorkers;
}

/** `limits`: workerLimits(). `output`: where the worker's stdout and stderr go (PoolOptions.output). */
function spawn(jobSettings: JobSettings, pause: PauseController | undefined, output: NodeJS.WritableStream, limits: ResourceLimits): Worker {
	// The model builder stays here: the model is sent built (ToWorker.model).
	const {modelModule: _modelModule, ...settings} = jobSettings;
	const shared: WorkerInit = pause ? {settings, pause: pause.buffer} : {settings};
	const init: WorkerInit = RUNNING_FROM_SOURCE ? {...shared, __entry: new URL('worker.ts', import.meta.url).href} : shared;
	const entry = RUNNING_FROM_SOURCE ? new URL('worker-bootstrap.mjs', import.meta.url) : distModuleUrl('engine/worker');
	optimizeInWorkerThreads(jobSettings.mode);
	// Walking a topology that is not large (or from the dashboard): this thread's young generation
	// grows again as V8 grows it (collect.ts holdYoungGeneration()).
	if (!heapsAreLean()) {
		releaseYoungGeneration();
	}
	const worker = new Worker(entry, {
		workerData: init,
		stdout: true,
		stderr: true,
		resourceLimits: limits,
	});
	// A walker's console output must never reach stdout, where reports go.
	const forward = (chunk: Buffer) => output.write(chunk);
	worker.stdout.on('data', forward);
	worker.stderr.on('data', forward);
	return worker;
}

/** What a stopped job had done by its last progress message. */
function partial(job: Job, status: JobResult['status'], error: string, last: JobProgress | undefined, witnesses: Witness[]): JobResult {
	const result = unrunJob(job, status, error);
	if (!last) {
		return result;
	}

	const touches = emptyTally();
	const failing = emptyTally();
	addTallies(touches, last.touches);
	addTallies(failing, last.failing);
	const writes = emptyTally();
	if (last.writes) {
		addTallies(writes, last.writes);
	}

	return {...result, pfns_visited: last.pfns_visited, touches, failing, writes, witnesses};
}

type Outcome = {readonly result: JobResult} | {readonly fatal: string};

/** The model of a phase, laid out for the workers (protocol.ts ToWorker.model, model-data.ts modelBytes()); may throw if the model cannot be built. */
export type ModelBytes = (phase: string) => SharedModel;

class Slot {
	private worker: Worker | undefined;
	/** Phases whose model the current worker has received. */
	private sent = new Set<string>();
	/** The current worker's heap limit in MB. */
	private heapMb = WALKER_HEAP_MB;

	constructor(
		private readonly settings: JobSettings,
		private readonly graceMs: number,
		private readonly pause: PauseController | undefined,
		private readonly modelBytes: ModelBytes,
		private readonly output: NodeJS.WritableStream,
		/** How many phases each walker walks (builtinHeapMb()). */
		private readonly phaseCount: number,
	) {}

	run(job: Job, hooks: JobHooks, signal: AbortSignal): Promise<Outcome> {
		let model: SharedModel | undefined;
		if (!this.worker || !this.sent.has(job.phase)) {
			try {
				model = this.modelBytes(job.phase);
			} catch (error) {
				return Promise.resolve({fatal: `building the model at phase ${job.phase} failed: ${error instanceof Error ? error.message : String(error)}`});
			}
		}

		if (!this.worker) {
			// A new worker always gets the model with its first job (`model` is set).
			this.heapMb = job.source.kind === 'file' ? WALKER_HEAP_MB : builtinHeapMb(sharedModelBytes(model!), this.phaseCount);
			this.worker = spawn(this.settings, this.pause, this.output, workerLimits(this.heapMb, job.source.kind !== 'file'));
			this.sent = new Set();
		}

		const {worker} = this;
		this.sent.add(job.phase);
		return new Promise(resolve => {
			let last: JobProgress | undefined;
			const witnesses: Witness[] = [];
			let disarm = (): void => undefined;
			const arm = (ms: number, error: string) => {
				disarm();
				disarm = pausableTimeout(this.pause, ms, () => finish({result: partial(job, 'timeout', error, last, witnesses)}, true));
			};

			const finish = (outcome: Outcome, kill: boolean) => {
				disarm();
				worker.off('message', onMessage);
				worker.off('error', onError);
				worker.off('exit', onExit);
				signal.removeEventListener('abort', onAbort);
				if (kill) {
					this.close();
				}

				resolve(outcome);
			};

			const onMessage = (message: FromWorker) => {
				if (message.type === 'ready' || message.id !== job.id) {
					return;
				}

				switch (message.type) {
					case 'started': {
						arm(this.settings.timeLimitMs + this.graceMs, `${job.name} did not finish within ${formatDuration(this.settings.timeLimitMs)}; its worker was stopped`);
						// Tell listeners at once that the walker runs: its first real progress comes a
						// progress interval later, and a walk that ends sooner reports only its result.
						hooks.progress(job, {pfns_visited: 0, fraction: 0, touches: emptyTally(), failing: emptyTally(), witnesses: []});
						break;
					}

					case 'progress': {
						last = message.progress;
						witnesses.push(...message.progress.witnesses);
						hooks.progress(job, message.progress);
						break;
					}

					case 'result': {
						finish({result: message.result}, false);
						break;
					}

					case 'fatal': {
						finish({fatal: message.message}, true);
						break;
					}
				}
			};

			const onError = (error: Error & {code?: string}) => {
				const what =
					error.code === 'ERR_WORKER_OUT_OF_MEMORY'
						? `${job.name} used more than its ${this.heapMb} MB heap; its worker thread was stopped`
						: `${job.name} crashed its worker thread: ${error.message.split('\n')[0]!}`;
				finish({result: partial(job, 'threw', what, last, witnesses)}, true);
			};

			const onExit = (code: number) => {
				this.worker = undefined;
				finish({result: partial(job, 'threw', `${job.name} ended its worker thread (exit code ${code})`, last, witnesses)}, false);
			};

			const onAbort = () => {
				finish({result: partial(job, 'cancelled', `${job.name} was cancelled`, last, witnesses)}, true);
			};

			worker.on('message', onMessage);
			worker.once('error', onError);
			worker.once('exit', onExit);
			signal.addEventListener('abort', onAbort, {once: true});
			arm(Math.max(STARTUP_LIMIT_MS, this.settings.timeLimitMs) + this.graceMs, `${job.name}: the worker did not start the job within ${formatDuration(STARTUP_LIMIT_MS)}`);
			worker.postMessage((model ? {type: 'job', job, model} : {type: 'job', job}) satisfies ToWorker);
		});
	}

	/**
	End the worker after its last job: it exits by itself once idle, which flushes what the walkers
	wrote to its stdout and stderr (terminate() drops the output still in flight); one that is
	still busy after a second (a walker's timer) is terminated.
	*/
	async release(): Promise<void> {
		const {worker} = this;
		this.worker = undefined;
		if (!worker) {
			return;
		}

		const exited = once(worker, 'exit').catch(() => undefined);
		const stop = setTimeout(() => void worker.terminate(), RELEASE_LIMIT_MS);
		worker.postMessage({type: 'close'} satisfies ToWorker);
		await exited;
		clearTimeout(stop);
	}

	close(): void {
		const {worker} = this;
		this.worker = undefined;
		if (worker) {
			worker.removeAllListeners('exit');
			void worker.terminate();
		}
	}
}

export type PoolOptions = {
	/** Number of worker threads (default: os.availableParallelism(), at most one per walker). */
	readonly size: number;
	readonly signal?: AbortSignal;
	readonly pause?: PauseController;
	/** The model of each phase, built once by the caller and laid out once. */
	readonly modelBytes: ModelBytes;
	/** Where the workers' console output goes (never stdout, where reports go); default process.stderr. */
	readonly output?: NodeJS.WritableStream;
};

export async function runInWorkers(
	settings: JobSettings,
	walkers: readonly AuditWalker[],
	phases: readonly string[],
	hooks: JobHooks,
	options: PoolOptions,
): Promise<void> {
	const internal = new AbortController();
	const signal = options.signal ? AbortSignal.any([options.signal, internal.signal]) : internal.signal;
	const graceMs = Math.min(2000, Math.max(200, settings.timeLimitMs / 10));
	const queue = walkers.map((_, index) => index);
	const gate = new JobGate();
	let nextId = 0;
	let fatal: string | undefined;
	const size = Math.max(1, Math.min(options.size, walkers.length));
	// Each phase's bytes are laid out once for the slots' first workers and dropped when the last
	// of them took them (a worker started again after a timeout or crash gets them anew).
	const pending = new Map<string, {bytes: SharedModel; takers: number}>();
	const modelBytes: ModelBytes = phase => {
		const held = pending.get(phase);
		if (held === undefined) {
			const bytes = options.modelBytes(phase);
			if (size > 1) {
				pending.set(phase, {bytes, takers: size - 1});
			}

			return bytes;
		}

		if (--held.takers === 0) {
			pending.delete(phase);
		}

		return held.bytes;
	};

	const slots = Array.from({length: size}, () => new Slot(settings, graceMs, options.pause, modelBytes, options.output ?? process.stderr, phases.length));
	await Promise.all(
		slots.map(async slot => {
			for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
				const walker = walkers[index]!;
				// A user walker gets a worker of its own, with a heap limit: what its file does to
				// the thread (globals, timers, memory) never reaches another walker's results.
				const own = walker.source.kind === 'file';
				if (own) {
					// eslint-disable-next-line no-await-in-loop
					await slot.release();
				}

				for (const phase of phases) {
					// Paused: hand out no new work until resumed (or cancelled).
					// eslint-disable-next-line no-await-in-loop
					await options.pause?.whenRunning(signal);
					const job: Job = {id: nextId++, walker: index, source: walker.source, name: walker.definition.name, phase};
					const skipped = signal.aborted ? unrunJob(job, 'cancelled', `${job.name} was cancelled`) : gate.skip(job);
					if (skipped) {
						hooks.done(job, skipped);
						continue;
					}

					// eslint-disable-next-line no-await-in-loop
					const outcome = await slot.run(job, hooks, signal);
					if ('fatal' in outcome) {
						fatal ??= outcome.fatal;
						internal.abort();
						hooks.done(job, unrunJob(job, 'cancelled', `${job.name} was cancelled`));
						continue;
					}

					gate.record(job, outcome.result);
					hooks.done(job, outcome.result);
				}

				if (own) {
					// eslint-disable-next-line no-await-in-loop
					await slot.release();
				}
			}

			await slot.release();
		}),
	);
	if (fatal !== undefined) {
		throw new InternalError(fatal);
	}
}

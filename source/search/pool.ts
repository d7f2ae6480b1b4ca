/**
`pfnaudit search` over worker threads (worker.ts): `--jobs J` workers take the chunks of the
search (search.ts) in order, one at a time; a user walker file always runs here, never in the
CLI's thread (its own heap limit, WALKER_HEAP_MB, as in the audit's pool, source/engine/pool.ts).

Determinism: chunk c's layouts depend only on (--seed, c), and the counterexample is the one of
the lowest failing chunk: once chunk c fails, chunks above c stop and are not counted, chunks
below c run to their end (a lower one may fail too and then wins). Layouts tried and coverage
are summed over the chunks up to the winner, so the result — counterexample, its index, the count
and the coverage — is the one of searchInProcess() for the same seed and budget, whatever J is.
(With --time the number of chunks reached depends on the machine, as it does in one thread.)

The shrink of the counterexample runs in one worker, after the search. A worker that says nothing
for longer than the per-layout time limit (and a grace) — a plan() that loops — is terminated
and the search ends with an error naming the walker.
*/
import {Worker} from 'node:worker_threads';
import {distModuleUrl, RUNNING_FROM_SOURCE} from '../paths.js';
import {WALKER_HEAP_MB} from '../walker/isolate.js';
import type {WalkerSource} from '../engine/jobs.js';
import {type Coverage, emptyCoverage, mergeCoverage} from './coverage.js';
import {CHUNK_RUNS, type ChunkResult, chunkRuns, type Failing, type SearchOptions, type SearchResult, type SearchSpace, triedIn} from './search.js';
import type {ShrinkOutcome, ShrinkProgress} from './shrink.js';

/** workerData of a search worker. */
export type SearchWorkerInit = {
	readonly space: SearchSpace;
	readonly walker: WalkerSource;
	/** Int32Array [stop flag, lowest failing chunk] (worker.ts). */
	readonly stop: SharedArrayBuffer;
	readonly __entry?: string;
};

export type ToSearchWorker =
	| {readonly type: 'chunk'; readonly chunk: number; readonly runs: number}
	| {readonly type: 'shrink'; readonly failing: Failing}
	| {readonly type: 'close'};

export type FromSearchWorker =
	| {readonly type: 'ready'}
	| {readonly type: 'progress'; readonly chunk: number; readonly tried: number}
	| {readonly type: 'chunk'; readonly result: ChunkResult}
	| {readonly type: 'shrink-step'; readonly progress: ShrinkProgress}
	| {readonly type: 'shrunk'; readonly outcome: ShrinkOutcome}
	| {readonly type: 'fatal'; readonly message: string};

/** Raised when a worker cannot go on (the walker does not load, a layout never ends). */
export class SearchWorkerError extends Error {}

/** Time a worker may be silent besides the per-layout limit: startup, loading a .ts walker. */
const SILENCE_GRACE_MS = 60_000;

export type PoolSearchOptions = Omit<SearchOptions, 'walker'> & {
	readonly source: WalkerSource;
	readonly jobs: number;
	/** Where the workers' console output goes (never stdout); default process.stderr. */
	readonly output?: NodeJS.WritableStream;
};

type Peer = {
	readonly worker: Worker;
	/** Resolves with the next message (one consumer at a time). */
	next(): Promise<FromSearchWorker>;
	close(): Promise<void>;
};

function startWorker(init: SearchWorkerInit, output: NodeJS.WritableStream, silenceMs: number): Peer {
	const data: SearchWorkerInit = RUNNING_FROM_SOURCE ? {...init, __entry: new URL('worker.ts', import.meta.url).href} : init;
	const entry = RUNNING_FROM_SOURCE ? new URL('../engine/worker-bootstrap.mjs', import.meta.url) : distModuleUrl('search/worker');
	const worker = new Worker(entry, {
		workerData: data,
		stdout: true,
		stderr: true,
		...(init.walker.kind === 'file' ? {resourceLimits: {maxOldGenerationSizeMb: WALKER_HEAP_MB}} : {}),
	});
	const forward = (chunk: Buffer) => output.write(chunk);
	worker.stdout.on('data', forward);
	worker.stderr.on('data', forward);
	const queue: FromSearchWorker[] = [];
	let waiting: {resolve: (m: FromSearchWorker) => void; reject: (e: Error) => void; timer: NodeJS.Timeout} | undefined;
	let ended: Error | undefined;
	const deliver = (message: FromSearchWorker) => {
		if (waiting) {
			const w = waiting;
			waiting = undefined;
			clearTimeout(w.timer);
			w.resolve(message);
		} else {
			queue.push(message);
		}
	};

	const fail = (error: Error) => {
		ended ??= error;
		if (waiting) {
			const w = waiting;
			waiting = undefined;
			clearTimeout(w.timer);
			w.reject(error);
		}
	};

	worker.on('message', deliver);
	worker.on('error', (error: Error & {code?: string}) => {
		fail(
			new SearchWorkerError(
				error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `the walker used more than its ${WALKER_HEAP_MB} MB heap; its worker thread was stopped` : `a search worker crashed: ${error.message.split('\n')[0]!}`,
			),
		);
	});
	worker.on('exit', code => {
		fail(new SearchWorkerError(`a search worker ended (exit code ${code})`));
	});
	return {
		worker,
		next() {
			const queued = queue.shift();
			if (queued) {
				return Promise.resolve(queued);
			}

			if (ended) {
				return Promise.reject(ended);
			}

			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					waiting = undefined;
					const error = new SearchWorkerError(`the walker did not finish one layout within ${Math.round(silenceMs / 1000)} s (a loop in plan() or a step?); its worker was stopped`);
					ended ??= error;
					void worker.terminate();
					reject(error);
				}, silenceMs);
				waiting = {resolve, reject, timer};
			});
		},
		async close() {
			worker.removeAllListeners('exit');
			worker.removeAllListeners('error');
			worker.on('error', () => undefined);
			if (!ended) {
				worker.postMessage({type: 'close'} satisfies ToSearchWorker);
				const stop = setTimeout(() => void worker.terminate(), 1000);
				await new Promise(resolve => {
					worker.once('exit', resolve);
				});
				clearTimeout(stop);
			} else {
				await worker.terminate();
			}
		},
	};
}

/** A message that is not progress: `fatal` becomes a SearchWorkerError. */
async function answer(peer: Peer, onProgress?: (m: Extract<FromSearchWorker, {type: 'progress' | 'shrink-step'}>) => void): Promise<FromSearchWorker> {
	for (;;) {
		// eslint-disable-next-line no-await-in-loop
		const message = await peer.next();
		if (message.type === 'fatal') {
			throw new SearchWorkerError(message.message);
		}

		if (message.type === 'progress' || message.type === 'shrink-step') {
			onProgress?.(message);
			continue;
		}

		return message;
	}
}

/** The search in `options.jobs` worker threads; the same answer as searchInProcess() for a seed and budget. */
export async function searchInWorkers(options: PoolSearchOptions): Promise<SearchResult> {
	const now = options.now ?? (() => performance.now());
	const started = now();
	const budget = options.budget ?? Number.POSITIVE_INFINITY;
	const stop = new SharedArrayBuffer(8);
	const flags = new Int32Array(stop);
	Atomics.store(flags, 1, 0x7fff_ffff);
	const setStop = () => Atomics.store(flags, 0, 1);
	const onAbort = () => setStop();
	options.signal?.addEventListener('abort', onAbort, {once: true});
	const deadline = options.timeMs === undefined ? undefined : setTimeout(setStop, options.timeMs);
	const space: SearchSpace = {
		kernel: options.kernel,
		arches: options.arches,
		patches: options.patches,
		categories: options.categories,
		seed: options.seed,
		...(options.phases === undefined ? {} : {phases: options.phases}),
		...(options.timeLimitMs === undefined ? {} : {timeLimitMs: options.timeLimitMs}),
	};
	const silenceMs = (options.timeLimitMs ?? 10_000) + SILENCE_GRACE_MS;
	const output = options.output ?? process.stderr;
	const size = Math.max(1, Math.min(options.jobs, Number.isFinite(budget) ? Math.ceil(budget / CHUNK_RUNS) : options.jobs));
	const peers = Array.from({length: size}, () => startWorker({space, walker: options.source, stop}, output, silenceMs));
	const results = new Map<number, ChunkResult>();
	const inFlight = new Map<number, number>();
	let nextChunk = 0;
	let walkerAbsent = false;
	let lastProgress = 0;
	const stopped = () => Atomics.load(flags, 0) !== 0;
	const lowestFound = () => Atomics.load(flags, 1);
	const triedSoFar = () => {
		let n = 0;
		for (const [chunk, result] of results) {
			if (chunk <= lowestFound()) {
				n += triedIn(result.coverage);
			}
		}

		for (const [chunk, tried] of inFlight) {
			if (chunk < lowestFound()) {
				n += tried;
			}
		}

		return n;
	};

	const progress = (force = false) => {
		const t = now();
		if (options.onProgress && (force || t - lastProgress >= 250)) {
			lastProgress = t;
			const tried = triedSoFar();
			options.onProgress({phase: 'searching', tried, audited: tried, elapsedMs: t - started});
		}
	};

	try {
		await Promise.all(
			peers.map(async peer => {
				await answer(peer);
				for (;;) {
					const chunk = nextChunk;
					const runs = chunkRuns(chunk, budget);
					if (stopped() || runs === 0 || chunk > lowestFound() || walkerAbsent) {
						return;
					}

					nextChunk++;
					inFlight.set(chunk, 0);
					peer.worker.postMessage({type: 'chunk', chunk, runs} satisfies ToSearchWorker);
					// eslint-disable-next-line no-await-in-loop
					const message = await answer(peer, m => {
						if (m.type === 'progress') {
							inFlight.set(m.chunk, m.tried);
							progress();
						}
					});
					inFlight.delete(chunk);
					if (message.type !== 'chunk') {
						throw new SearchWorkerError(`a search worker answered a chunk with '${message.type}'`);
					}

					results.set(chunk, message.result);
					walkerAbsent ||= message.result.coverage.absent > 0;
					if (message.result.found) {
						// The lowest failing chunk wins: compare-and-set down to this one.
						for (let seen = lowestFound(); chunk < seen; seen = lowestFound()) {
							if (Atomics.compareExchange(flags, 1, seen, chunk) === seen) {
								break;
							}
						}
					}

					progress();
				}
			}),
		);

		const winner = lowestFound();
		const coverage: Coverage = emptyCoverage();
		let tried = 0;
		for (const chunk of [...results.keys()].sort((a, b) => a - b)) {
			if (chunk > winner) {
				break;
			}

			const result = results.get(chunk)!;
			mergeCoverage(coverage, result.coverage);
			tried += triedIn(result.coverage);
		}

		progress(true);
		const found = winner === 0x7fff_ffff ? undefined : results.get(winner)!.found!;
		if (!found) {
			return {coverage, tried, elapsedMs: now() - started, interrupted: options.signal?.aborted === true};
		}

		// The --time deadline does not cut the shrink of a layout found in time; Ctrl+C does.
		if (deadline) {
			clearTimeout(deadline);
		}

		if (options.signal?.aborted !== true) {
			Atomics.store(flags, 0, 0);
		}

		const peer = peers[0]!;
		peer.worker.postMessage({type: 'shrink', failing: found.result} satisfies ToSearchWorker);
		const message = await answer(peer, m => {
			if (m.type === 'shrink-step') {
				options.onProgress?.({phase: 'shrinking', tried, elapsedMs: now() - started, shrink: m.progress, entries: m.progress.layout.memory.length});
			}
		});
		if (message.type !== 'shrunk') {
			throw new SearchWorkerError(`a search worker answered a shrink with '${message.type}'`);
		}

		const {outcome} = message;
		return {
			coverage,
			tried,
			elapsedMs: now() - started,
			interrupted: options.signal?.aborted === true,
			found: {
				result: outcome.result,
				original: found.original,
				index: winner * CHUNK_RUNS + found.run,
				fastCheckShrinks: found.shrinks,
				shrinkSteps: outcome.steps,
				shrinkProbes: outcome.probes,
				minimal: outcome.complete,
			},
		};
	} finally {
		setStop();
		if (deadline) {
			clearTimeout(deadline);
		}

		options.signal?.removeEventListener('abort', onAbort);
		await Promise.all(peers.map(async peer => peer.close()));
	}
}

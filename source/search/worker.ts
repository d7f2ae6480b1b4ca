/**
Worker thread of `pfnaudit search --jobs J` and of a search with a user walker file (pool.ts):
loads the walker (built-in by name, or the user's file through loadWalkerFile), then runs the
chunks of layouts the pool hands out (search.ts runChunk) and, when asked, the shrink of the
counterexample (shrink.ts). Started as dist/source/search/worker.js, or from the TypeScript
sources through source/engine/worker-bootstrap.mjs (tsx's register(), as the audit's workers).

Stopping: the pool's shared Int32Array (SearchWorkerInit.stop) holds [0] a stop flag (Ctrl+C, the
--time deadline) and [1] the lowest chunk found failing so far; a chunk above it stops at its next
layout, a shrink stops at its next candidate with the smallest layout so far.
*/
import {parentPort, workerData} from 'node:worker_threads';
import type {WalkerDefinition} from '../walker/contract.js';
import {loadWalkerFile} from '../walker/load.js';
import {findBuiltinWalker} from '../walker/registry.js';
import type {ProbeOptions} from './probe.js';
import {runChunk} from './search.js';
import {shrinkLayout} from './shrink.js';
import type {FromSearchWorker, SearchWorkerInit, ToSearchWorker} from './pool.js';

const port = parentPort!;
const init = workerData as SearchWorkerInit;
const flags = new Int32Array(init.stop);

function post(message: FromSearchWorker): void {
	port.postMessage(message);
}

function messageOf(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
}

async function loadWalker(): Promise<WalkerDefinition> {
	if (init.walker.kind === 'builtin') {
		const walker = findBuiltinWalker(init.walker.name);
		if (!walker) {
			throw new Error(`the built-in walker ${init.walker.name} is not registered in walkers/index.ts`);
		}

		return walker;
	}

	return loadWalkerFile(init.walker.path);
}

let walker: WalkerDefinition | undefined;
try {
	walker = await loadWalker();
} catch (error) {
	post({type: 'fatal', message: `the walker could not be loaded in a worker: ${messageOf(error)}`});
}

/** Stop the chunk: everything stops, or a lower chunk already failed. */
function stopChunk(chunk: number): boolean {
	return Atomics.load(flags, 0) !== 0 || Atomics.load(flags, 1) < chunk;
}

let lastProgress = 0;
port.on('message', async (message: ToSearchWorker) => {
	if (!walker) {
		return;
	}

	try {
		switch (message.type) {
			case 'chunk': {
				const result = await runChunk(init.space, walker, message.chunk, message.runs, () => stopChunk(message.chunk), tried => {
					const now = performance.now();
					if (now - lastProgress >= 100) {
						lastProgress = now;
						post({type: 'progress', chunk: message.chunk, tried});
					}
				});
				post({type: 'chunk', result});
				break;
			}

			case 'shrink': {
				const probe: ProbeOptions = {walker, categories: init.space.categories, ...(init.space.timeLimitMs === undefined ? {} : {timeLimitMs: init.space.timeLimitMs})};
				const outcome = await shrinkLayout(message.failing, probe, {
					shouldStop: () => Atomics.load(flags, 0) !== 0,
					onStep(progress) {
						post({type: 'shrink-step', progress});
					},
				});
				post({type: 'shrunk', outcome});
				break;
			}

			case 'close': {
				port.close();
				break;
			}
		}
	} catch (error) {
		post({type: 'fatal', message: `${walker.name}: ${messageOf(error)}`});
	}
});
post({type: 'ready'});

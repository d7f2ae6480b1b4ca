/**
Worker thread entry: receives the model of each phase from the pool (built once by the audit's
thread, laid out once in shared memory; protocol.ts ToWorker), imports walkers by their source, and runs the
jobs the pool sends, one at a time, streaming progress by time.

Loaded as dist/source/engine/worker.js in production, and through worker-bootstrap.mjs (tsx's
register()) from the TypeScript sources under vitest and tsx.
*/
import {parentPort, workerData} from 'node:worker_threads';
import {modelFromBytes, type SharedModel} from '../model/model-data.js';
import type {Model} from '../model/types.js';
import {loadWalkerFile} from '../walker/load.js';
import {findBuiltinWalker} from '../walker/registry.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {evaluateWalker} from './evaluate.js';
import {unrunJob, type Job, type WalkerSource} from './jobs.js';
import {installPauseFlag, walkClock} from './pacer.js';
import type {FromWorker, ToWorker, WorkerInit} from './protocol.js';
import {niceThisThread} from './thread-priority.js';

const port = parentPort!;
const {settings, pause} = workerData as WorkerInit;
if (settings.workerNice !== undefined) {
	// The dashboard's thread draws a key's frame before this walk goes on (thread-priority.ts).
	niceThisThread(settings.workerNice);
}

if (pause) {
	// Pacer.tick() now blocks while the audit is paused (pause.ts).
	installPauseFlag(pause);
}
const models = new Map<string, Model>();
const walkers = new Map<string, WalkerDefinition>();

function post(message: FromWorker): void {
	port.postMessage(message);
}

function modelAt(phase: string, bytes: SharedModel | undefined): Model {
	if (bytes) {
		models.set(phase, modelFromBytes(bytes));
	}

	const model = models.get(phase);
	if (model === undefined) {
		throw new Error(`no model of phase ${phase} was sent to this worker`);
	}

	return model;
}

async function walkerFor(source: WalkerSource): Promise<WalkerDefinition> {
	const key = source.kind === 'builtin' ? `builtin:${source.name}` : `file:${source.path}`;
	let walker = walkers.get(key);
	if (walker === undefined) {
		if (source.kind === 'builtin') {
			walker = findBuiltinWalker(source.name);
			if (walker === undefined) {
				throw new Error(`the built-in walker ${source.name} is not registered in walkers/index.ts`);
			}
		} else {
			walker = await loadWalkerFile(source.path);
		}

		walkers.set(key, walker);
	}

	return walker;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/**
What a walker did after its steps returned: a rejection nobody handled, an exception thrown from a
timer. Caught here instead of ending the thread, and reported with the job that ran it (a user
walker has this worker to itself, pool.ts); in a worker of built-ins it is pfnaudit's bug.
*/
let asyncFailure: string | undefined;
process.on('unhandledRejection', reason => {
	asyncFailure ??= `left a promise rejection unhandled (${messageOf(reason).split('\n')[0]!})`;
});
process.on('uncaughtException', error => {
	asyncFailure ??= `threw from a timer or callback (${messageOf(error).split('\n')[0]!})`;
});

/** Timers and immediates this thread has pending: none of them are the engine's (the walk is synchronous). */
function pendingTimers(): number {
	return process.getActiveResourcesInfo().filter(kind => kind === 'Timeout' || kind === 'Immediate').length;
}

/**
After a user walker's walk: let what its steps queued run (promise callbacks, timers), until none
is pending or the job's time is up. Returns false when timers are still pending then.
*/
async function drain(deadline: number): Promise<boolean> {
	await new Promise(resolve => {
		setTimeout(resolve, 1);
	});
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	while (pendingTimers() > 0) {
		if (performance.now() >= deadline) {
			return false;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 10);
		});
	}

	return true;
}

async function run(job: Job, bytes: SharedModel | undefined): Promise<void> {
	let model: Model;
	try {
		model = modelAt(job.phase, bytes);
		// The bytes are shared with the audit's thread and the other workers: let them go as soon as
		// this worker has its model, not when this job ends (an async function keeps its parameters).
		bytes = undefined;
	} catch (error) {
		post({type: 'fatal', id: job.id, message: `reading the model of phase ${job.phase} failed in a worker: ${messageOf(error)}`});
		return;
	}

	let walker: WalkerDefinition;
	try {
		walker = await walkerFor(job.source);
	} catch (error) {
		post({type: 'result', id: job.id, result: unrunJob(job, 'threw', `${job.name} could not be loaded in a worker: ${messageOf(error)}`)});
		return;
	}

	post({type: 'started', id: job.id});
	const deadline = performance.now() + settings.timeLimitMs;
	try {
		let result = evaluateWalker(walker, model, {
			mode: settings.mode,
			failOn: settings.failOn,
			witnessLimit: settings.witnessLimit,
			progressIntervalMs: settings.progressIntervalMs,
			timeLimitMs: settings.timeLimitMs,
			// Paused time is neither walk time nor time-limit time.
			now: walkClock,
			onProgress(progress) {
				post({type: 'progress', id: job.id, progress});
			},
		});
		const idle = job.source.kind === 'file' ? await drain(deadline) : true;
		if (asyncFailure !== undefined) {
			const failure = asyncFailure;
			asyncFailure = undefined;
			if (job.source.kind === 'builtin') {
				post({type: 'fatal', id: job.id, message: `${job.name} ${failure}`});
				return;
			}

			result = {...result, status: 'threw', error: `${job.name} ${failure}; a step does its work before it returns`};
		} else if (!idle) {
			result = {...result, status: 'malformed', error: `${job.name} left timers running after its walk; a step does its work before it returns`};
		}

		post({type: 'result', id: job.id, result});
	} catch (error) {
		// evaluateWalker reports everything a walker does wrong; what escapes it is an engine or
		// model invariant (e.g. runs that do not tile the pfns).
		post({type: 'fatal', id: job.id, message: messageOf(error)});
	}
}

// One job at a time: the pool sends the next only after a result.
port.on('message', (message: ToWorker) => {
	if (message.type === 'close') {
		port.close();
		return;
	}

	void run(message.job, message.model);
});
post({type: 'ready'});

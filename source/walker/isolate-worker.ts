/**
The worker side of isolate.ts: load (and check) one user walker file, or plan it at one phase,
and reply with plain data. This thread is the only one that runs the file's top-level code and
plan() for the CLI; what the file does here — console output, process.exit(), a rejection nobody
handles, an exception thrown from a timer — is reported to the main thread as a message about
the file, and the main thread stops this worker as soon as it has one answer.

Started as dist/source/walker/isolate-worker.js, or through source/engine/worker-bootstrap.mjs
(tsx's register()) from the TypeScript sources under vitest and tsx.
*/
import {parentPort, workerData} from 'node:worker_threads';
import {formInfo, type FormInfo} from '../engine/evaluate.js';
import {isInputError} from '../errors/input-error.js';
import {modelFromBytes} from '../model/model-data.js';
import type {Model} from '../model/types.js';
import type {WalkerDefinition} from './contract.js';
import type {IsolateProgress, IsolateReply, IsolateRequest} from './isolate.js';
import {loadWalkerFile} from './load.js';

const port = parentPort!;
const request = workerData as IsolateRequest;
let replied = false;

function reply(message: IsolateReply): void {
	if (!replied) {
		replied = true;
		port.postMessage(message);
	}
}

function firstLine(value: unknown): string {
	const text = value instanceof Error ? value.message : String(value);
	return text.split('\n')[0]!.trim() || (value instanceof Error ? value.name : 'unknown error');
}

// process.exit() ends this thread only; say so first (messages posted before the exit are
// delivered before the worker's 'exit' event), with the stack to find the call in the file.
const realExit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
	reply({type: 'exit', code: Number(code ?? process.exitCode ?? 0), stack: new Error('process.exit').stack ?? ''});
	realExit(code ?? undefined);
}) as typeof process.exit;
process.on('unhandledRejection', reason => {
	reply({type: 'failed', what: 'rejection', message: firstLine(reason)});
});
process.on('uncaughtException', error => {
	reply({type: 'failed', what: 'exception', message: firstLine(error)});
});

/** One turn of the event loop: a rejection or a zero-delay timer the file started fails it first. */
async function settle(): Promise<void> {
	await new Promise(resolve => {
		setTimeout(resolve, 1);
	});
	await new Promise(resolve => {
		setImmediate(resolve);
	});
}

/** FormInfo as plain data (getters run here; functions and odd values dropped by the JSON round trip). */
function plainForm(form: unknown): FormInfo | undefined {
	try {
		if (typeof form !== 'object' || form === null) {
			return undefined;
		}

		const {label, guard} = form as {label?: unknown; guard?: unknown};
		if (typeof label !== 'string' || typeof guard !== 'string') {
			return undefined;
		}

		return JSON.parse(JSON.stringify(formInfo(form as Parameters<typeof formInfo>[0]))) as FormInfo;
	} catch {
		return undefined;
	}
}

/**
Tell the main thread that the file's own code runs from now on: its time limit starts here, not
while this worker starts up or builds the model. tsx is loaded first, for the same reason.
*/
async function startUserCode(file: string): Promise<void> {
	if (/\.[cm]?ts$/.test(file)) {
		await import('tsx/esm/api');
	}

	port.postMessage({type: 'started'} satisfies IsolateProgress);
}

async function load(): Promise<void> {
	if (request.op !== 'load') {
		return;
	}

	try {
		await startUserCode(request.file);
		const {plan: _plan, ...meta} = await loadWalkerFile(request.file, request.cwd);
		await settle();
		reply({type: 'loaded', meta});
	} catch (error) {
		if (isInputError(error)) {
			reply({type: 'input-error', message: error.message, ...(error.location ? {location: {...error.location}} : {})});
		} else {
			reply({type: 'failed', what: 'exception', message: firstLine(error)});
		}
	}
}

async function plan(): Promise<void> {
	if (request.op !== 'plan') {
		return;
	}

	let model: Model;
	let walker: WalkerDefinition;
	try {
		model = modelFromBytes(request.model);
		await startUserCode(request.path);
		walker = await loadWalkerFile(request.path);
	} catch {
		// The main thread loaded the file and built this model already: what differs here is
		// reported by the worker that runs the walker.
		reply({type: 'planned'});
		return;
	}

	let form: unknown;
	try {
		form = walker.plan(model);
	} catch {
		// A plan() that throws is reported, with its message, by the job that runs it.
		await settle();
		reply({type: 'planned'});
		return;
	}

	await settle();
	if (form === null) {
		reply({type: 'planned', form: null});
		return;
	}

	const info = plainForm(form);
	reply(info ? {type: 'planned', form: info} : {type: 'planned'});
}

await (request.op === 'load' ? load() : plan());

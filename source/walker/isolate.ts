/**
User walkers off the CLI's thread. A `--walker ./file.ts` is loaded, checked and planned in a
worker thread of its own (isolate-worker.ts), never in the thread that writes the report and
decides the exit code:

- a time limit (`--timeout`, per load and per plan): a loop or a never-ending allocation at the
  file's top level or in plan() is stopped with worker.terminate();
- a heap limit (`resourceLimits`, WALKER_HEAP_MB): an unbounded allocation ends the worker, not
  the CLI;
- the worker's stdout and stderr (console.log included) are forwarded to stderr: nothing the
  walker prints reaches stdout, where reports go;
- process.exit(), a promise rejection nobody handles, an exception thrown from a timer, a
  top-level await that never settles: each ends the attempt with a sentence about the file;
- only plain data crosses back: the definition without plan(), the form's label, guard and
  fixed_by (structured clone; getters and Proxy traps ran in the worker).

Loading answers with an InputError naming the file (exit 2). Planning answers with the form, or
with a failure the audit reports as the walker's result (`timeout`, `threw`), again exit 2: a user
walker's fault is the user's input.

This is isolation from accidents, not a sandbox: see docs/writing-a-walker.md, "What runs where".
*/
import {once} from 'node:events';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {Worker} from 'node:worker_threads';
import type {FormInfo} from '../engine/evaluate.js';
import {formatDuration} from '../engine/pacer.js';
import {InputError, type InputLocation} from '../errors/input-error.js';
import {InternalError} from '../errors/internal-error.js';
import type {SharedModel} from '../model/model-data.js';
import {distModuleUrl, RUNNING_FROM_SOURCE} from '../paths.js';
import type {WalkerDefinition} from './contract.js';
import {checkWalkerPath} from './load.js';

/** What the CLI's thread knows of a user walker: everything but plan(), as plain data. */
export type WalkerMeta = Omit<WalkerDefinition, 'plan'>;

/** Default time limit of a load or a plan, as of a walker job (`--timeout`, 60 s). */
export const DEFAULT_WALKER_TIME_LIMIT_MS = 60_000;

/**
Old-generation heap of a user walker's worker, in MB: room for the model of a 64 TiB topology
many times over, and a bound on a walker that allocates without end.
*/
export const WALKER_HEAP_MB = 1024;

/** Time a worker may take to start, and build the model, before the walker's own code runs. */
const STARTUP_LIMIT_MS = 60_000;

export type IsolationLimits = {
	/** Milliseconds for one load or one plan. */
	readonly timeLimitMs: number;
	/** Old-generation heap in MB; default WALKER_HEAP_MB. */
	readonly heapMb?: number;
	/** Where the walker's console output goes; default process.stderr. */
	readonly output?: NodeJS.WritableStream;
};

export type IsolateRequest =
	| {readonly op: 'load'; readonly file: string; readonly cwd: string}
	| {
			readonly op: 'plan';
			/** Absolute path of the walker file. */
			readonly path: string;
			/** The model to plan at, as the audit's workers get it (model-data.ts modelBytes()). */
			readonly model: SharedModel;
	  };

/** Sent once, before the file's own code first runs: the time limit starts then. */
export type IsolateProgress = {readonly type: 'started'};

export type IsolateReply =
	| {readonly type: 'loaded'; readonly meta: WalkerMeta}
	| {readonly type: 'input-error'; readonly message: string; readonly location?: InputLocation}
	/** Planned: the form, null when plan() returned null, absent when plan() threw or returned no form (the job reports why). */
	| {readonly type: 'planned'; readonly form?: FormInfo | null}
	| {readonly type: 'exit'; readonly code: number; readonly stack: string}
	| {readonly type: 'failed'; readonly what: 'rejection' | 'exception'; readonly message: string};

/** How an isolated load or plan ended when it gave no answer of its own. */
type Stopped =
	/** `started`: the file's own code was running (else the worker never got that far). */
	| {readonly type: 'timeout'; readonly started: boolean}
	| {readonly type: 'memory'}
	| {readonly type: 'crashed'; readonly message: string}
	| {readonly type: 'ended'; readonly code: number};

type Outcome = IsolateReply | Stopped;

function workerEntry(): {entry: URL; init: Record<string, unknown>} {
	if (RUNNING_FROM_SOURCE) {
		// Node 20 cannot start a worker on a .ts file: the engine's .mjs bootstrap registers tsx first.
		return {entry: new URL('../engine/worker-bootstrap.mjs', import.meta.url), init: {__entry: new URL('isolate-worker.ts', import.meta.url).href}};
	}

	return {entry: distModuleUrl('walker/isolate-worker'), init: {}};
}

/** Run one request in a fresh worker; always resolves, and the worker is gone when it does. */
async function runIsolated(request: IsolateRequest, limits: IsolationLimits): Promise<Outcome> {
	const {entry, init} = workerEntry();
	const worker = new Worker(entry, {
		workerData: {...request, ...init},
		stdout: true,
		stderr: true,
		resourceLimits: {maxOldGenerationSizeMb: limits.heapMb ?? WALKER_HEAP_MB},
	});
	const output = limits.output ?? process.stderr;
	const forward = (chunk: Buffer) => output.write(chunk);
	worker.stdout.on('data', forward);
	worker.stderr.on('data', forward);
	// The walker's output comes before any sentence about it: wait for the streams to end (or a second).
	const drained = Promise.race([
		Promise.all([once(worker.stdout, 'end'), once(worker.stderr, 'end')]).catch(() => undefined),
		new Promise(resolve => {
			setTimeout(resolve, 1000).unref();
		}),
	]);

	const outcome = await new Promise<Outcome>(resolve => {
		let timer: NodeJS.Timeout | undefined;
		let started = false;
		const arm = (ms: number) => {
			clearTimeout(timer);
			timer = setTimeout(() => {
				resolve({type: 'timeout', started});
			}, ms);
		};

		const done = (value: Outcome) => {
			clearTimeout(timer);
			resolve(value);
		};

		// Starting the worker (and building the model to plan with) is pfnaudit's time, bounded apart.
		arm(Math.max(STARTUP_LIMIT_MS, limits.timeLimitMs));
		worker.on('message', (message: IsolateReply | IsolateProgress) => {
			if (message.type === 'started') {
				started = true;
				arm(limits.timeLimitMs);
			} else {
				done(message);
			}
		});
		worker.once('error', (error: Error & {code?: string}) => {
			done(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? {type: 'memory'} : {type: 'crashed', message: error.message.split('\n')[0]!});
		});
		worker.once('exit', code => {
			done({type: 'ended', code});
		});
	});
	await worker.terminate();
	await drained;
	return outcome;
}

/** The first stack frame in `file`, as a location in the file the user named. */
function callSite(stack: string, absolute: string, shown: string): InputLocation {
	const url = pathToFileURL(absolute).href;
	for (const line of stack.split('\n')) {
		const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
		if (match) {
			const where = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
			if (where === absolute || match[1] === url) {
				return {file: shown, line: Number(match[2]), column: Number(match[3])};
			}
		}
	}

	return {file: shown};
}

const NOT_THE_PROCESS = 'a walker must not end the process: throw an Error instead';

/**
Load and check a user walker file in a worker: its plain description, or an InputError naming
the file (exit 2) for whatever went wrong — including what its top-level code did.
*/
export async function loadWalkerIsolated(file: string, cwd: string, limits: IsolationLimits): Promise<WalkerMeta> {
	const absolute = checkWalkerPath(file, cwd);
	const outcome = await runIsolated({op: 'load', file, cwd}, limits);
	switch (outcome.type) {
		case 'loaded': {
			return outcome.meta;
		}

		case 'input-error': {
			throw new InputError(outcome.message, outcome.location ?? {file});
		}

		case 'exit': {
			throw new InputError(`the walker file called process.exit(${outcome.code}) while loading; ${NOT_THE_PROCESS}`, callSite(outcome.stack, absolute, file));
		}

		case 'failed': {
			throw new InputError(
				outcome.what === 'rejection'
					? `the walker file left a promise rejection unhandled while loading (${outcome.message}); await or catch it`
					: `the walker file threw from a callback while loading (${outcome.message}); a walker does its work in plan() and its steps`,
				{file},
			);
		}

		case 'timeout': {
			if (!outcome.started) {
				throw new InternalError(`the worker that loads ${file} did not start within ${formatDuration(STARTUP_LIMIT_MS)}`);
			}

			throw new InputError(
				`the walker file did not finish loading within ${formatDuration(limits.timeLimitMs)} (a loop at its top level?), so it was stopped; fix the file, or give more time with --timeout`,
				{file},
			);
		}

		case 'memory': {
			throw new InputError(`loading the walker file used more than its ${limits.heapMb ?? WALKER_HEAP_MB} MB heap (an allocation without end at its top level?), so it was stopped; fix the file`, {file});
		}

		case 'ended': {
			throw new InputError(
				`the walker file never finished loading: its top-level code awaits something that never happens (its worker ended with code ${outcome.code}); remove the await`,
				{file},
			);
		}

		case 'crashed': {
			throw new InputError(`loading the walker file crashed its worker thread (${outcome.message}); fix the file`, {file});
		}

		case 'planned': {
			throw new InputError('the walker worker answered a load with a plan; please report this as a bug in pfnaudit', {file});
		}
	}
}

export type PlanRequest = Omit<Extract<IsolateRequest, {op: 'plan'}>, 'op'>;

/** What planning a user walker at one phase gave: the form (null: absent), or a failure that ends the walker. */
export type IsolatedPlan =
	| {readonly ok: true; readonly form: FormInfo | null | undefined}
	| {readonly ok: false; readonly status: 'timeout' | 'threw'; readonly error: string};

/**
Plan a user walker (already loaded once by loadWalkerIsolated) in a worker, at the phase given.
`name` is the walker's name, for the failure sentences.
*/
export async function planWalkerIsolated(name: string, request: PlanRequest, limits: IsolationLimits): Promise<IsolatedPlan> {
	const outcome = await runIsolated({op: 'plan', ...request}, limits);
	const limit = formatDuration(limits.timeLimitMs);
	switch (outcome.type) {
		case 'planned': {
			return {ok: true, form: outcome.form};
		}

		case 'timeout': {
			return {
				ok: false,
				status: 'timeout',
				error: outcome.started
					? `${name}: plan() did not return within ${limit}; its worker thread was stopped`
					: `${name}: the worker that plans it did not start within ${formatDuration(STARTUP_LIMIT_MS)}`,
			};
		}

		case 'memory': {
			return {ok: false, status: 'threw', error: `${name}: plan() used more than its ${limits.heapMb ?? WALKER_HEAP_MB} MB heap; its worker thread was stopped`};
		}

		case 'exit': {
			const site = callSite(outcome.stack, request.path, path.basename(request.path));
			const where = site.line === undefined ? '' : ` at ${site.file}:${site.line}:${site.column ?? 1}`;
			return {ok: false, status: 'threw', error: `${name}: plan() called process.exit(${outcome.code})${where}; ${NOT_THE_PROCESS}`};
		}

		case 'failed': {
			return {
				ok: false,
				status: 'threw',
				error: outcome.what === 'rejection' ? `${name}: plan() left a promise rejection unhandled: ${outcome.message}` : `${name}: plan() threw from a callback: ${outcome.message}`,
			};
		}

		case 'ended':
		case 'crashed': {
			const how = outcome.type === 'ended' ? `ended it (exit code ${outcome.code})` : `crashed it (${outcome.message})`;
			return {ok: false, status: 'threw', error: `${name}: plan() ${how} before returning`};
		}

		case 'loaded':
		case 'input-error': {
			return {ok: false, status: 'threw', error: `${name}: the walker file could not be loaded again to plan it`};
		}
	}
}

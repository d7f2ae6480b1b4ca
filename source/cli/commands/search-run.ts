/**
`pfnaudit search` (./search.ts): the flags checked (exit 2 with one sentence), the search run
(source/search/), progress on stderr, the counterexample on stdout or in -o FILE.

Exit codes: 1 a counterexample was found (also when Ctrl+C stopped its shrink: the smallest
layout so far is written); 0 the budget ran out without one (stderr says how many layouts were
tried and what they covered); 2 bad arguments; 130/143/129 interrupted before anything was found.
*/
import {existsSync} from 'node:fs';
import path from 'node:path';
import {EXIT_FAILING, EXIT_OK} from '../../errors/exit-codes.js';
import {InputError} from '../../errors/input-error.js';
import {NEWEST_KERNEL, parseKernelVersion} from '../../kernel/version.js';
import {CATEGORY_IDS, type CategoryId, DEFAULT_FAIL_SET, isCategoryId} from '../../model/categories.js';
import {ARCHES, type Arch} from '../../model/geometry.js';
import {findPatch, patchProblem} from '../../model/patches.js';
import {describeCoverage} from '../../search/coverage.js';
import {rateText, renderCounterexample, type SearchInvocation} from '../../search/report.js';
import {type SearchProgress, type SearchResult, searchInProcess} from '../../search/search.js';
import {writeOutput} from '../../report/output.js';
import {SearchWorkerError, searchInWorkers} from '../../search/pool.js';
import {DEFAULT_WALKER_TIME_LIMIT_MS} from '../../walker/isolate.js';
import {selectWalkers} from '../../walker/select.js';
import {builtinWalkerNames, findBuiltinWalker} from '../../walker/registry.js';
import {checkKernelFlag, exitCodeForSignal, patchValues} from '../headless.js';
import type {Io} from '../command.js';

export const DEFAULT_BUDGET = 10_000;
export const DEFAULT_SEED = 1;
/** Seconds one audit of one layout may take. */
export const DEFAULT_LAYOUT_TIMEOUT_S = 10;

function words(value: unknown): string[] | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	return (Array.isArray(value) ? value : [value])
		.flatMap(item => String(item).split(','))
		.map(item => item.trim())
		.filter(Boolean);
}

/** A single value of a flag that takes one: repeating it is refused rather than one copy dropped. */
function single(flag: string, value: unknown): string | undefined {
	if (value === undefined) {
		return undefined;
	}

	if (Array.isArray(value)) {
		throw new InputError(`--${flag} is given ${value.length} times; give it once`);
	}

	return String(value);
}

function wholeNumber(flag: string, value: unknown, example: string, min = 1): number | undefined {
	const text = single(flag, value);
	if (text === undefined) {
		return undefined;
	}

	const n = text.trim() === '' ? Number.NaN : Number(text);
	if (!Number.isSafeInteger(n) || n < min) {
		throw new InputError(`--${flag} ${JSON.stringify(text)} is not a whole number${min > 0 ? ` of at least ${min}` : ''}; give ${example}`);
	}

	return n;
}

function seconds(flag: string, value: unknown, example: string): number | undefined {
	const text = single(flag, value);
	if (text === undefined) {
		return undefined;
	}

	const n = text.trim() === '' ? Number.NaN : Number(text);
	if (!(Number.isFinite(n) && n > 0)) {
		throw new InputError(`--${flag} ${JSON.stringify(text)} is not a positive number of seconds; give ${example}`);
	}

	return n;
}

export type SearchFlags = {
	readonly walker: string;
	readonly categories: CategoryId[];
	readonly kernel: string;
	readonly arches: Arch[];
	readonly allArches: boolean;
	readonly patches: string[];
	readonly budget?: number;
	readonly timeMs?: number;
	readonly seed: number;
	readonly jobs: number;
	readonly timeLimitMs: number;
	readonly output?: string;
	readonly force: boolean;
	/** Intermediate phases audited too (--no-phases: final states only). */
	readonly phases: boolean;
};

/** The flags of `pfnaudit search`, checked; InputError (exit 2) naming the flag at fault. */
export function searchFlags(args: Record<string, unknown>): SearchFlags {
	const walker = single('walker', args['walker']);
	if (walker === undefined || walker.trim() === '') {
		const names = builtinWalkerNames();
		throw new InputError(`--walker is required: the walker to search a counterexample for, one of ${names.join(', ')}, or the path of a walker file`);
	}

	const kernel = single('kernel', args['kernel']) ?? NEWEST_KERNEL;
	checkKernelFlag(kernel);
	const version = parseKernelVersion(kernel)!;
	const categoryWords = words(args['category']);
	let categories: CategoryId[] = [...DEFAULT_FAIL_SET];
	if (categoryWords !== undefined) {
		if (categoryWords.length === 0) {
			throw new InputError(`--category is empty; give comma-separated category ids (${CATEGORY_IDS.filter(id => id !== 'ok').join(',')}) or 'default'`);
		}

		const chosen = new Set<CategoryId>();
		for (const word of categoryWords) {
			if (word === 'default') {
				for (const id of DEFAULT_FAIL_SET) {
					chosen.add(id);
				}
			} else if (isCategoryId(word) && word !== 'ok') {
				chosen.add(word);
			} else {
				throw new InputError(`--category: '${word}' is not a category id; use a comma-separated list of ${CATEGORY_IDS.filter(id => id !== 'ok').join(', ')} (or 'default')`);
			}
		}

		categories = CATEGORY_IDS.filter(id => chosen.has(id));
	}

	const archWords = words(args['arch']);
	if (archWords !== undefined && archWords.length === 0) {
		throw new InputError(`--arch is empty; give one or more of ${ARCHES.join(', ')}`);
	}

	let arches: Arch[] = [...ARCHES];
	if (archWords !== undefined) {
		for (const word of archWords) {
			if (!(ARCHES as readonly string[]).includes(word)) {
				throw new InputError(`--arch ${word} is not a modelled arch; choose from ${ARCHES.join(', ')}`);
			}
		}

		arches = ARCHES.filter(arch => archWords.includes(arch));
	}

	const patches = [...new Set(patchValues(args['patch']) ?? [])];
	for (const name of patches) {
		const patch = name === 'none' ? undefined : findPatch(name);
		if (!patch) {
			throw new InputError(`--patch ${name} is not a known what-if patch (pfnaudit list patches); search layouts carry no patches of their own, so there is nothing for 'none' to drop`);
		}

		const fits = arches.filter(arch => patchProblem(patch, arch, version) === undefined);
		if (fits.length === 0) {
			throw new InputError(`--patch ${name} ${patchProblem(patch, arches[0]!, version)!}; choose --kernel and --arch it applies to (pfnaudit list patches)`);
		}

		arches = fits;
	}

	const budget = wholeNumber('budget', args['budget'], 'a number of layouts, such as --budget 20000');
	const time = seconds('time', args['time'], 'a number of seconds, such as --time 60');
	if (budget !== undefined && time !== undefined) {
		throw new InputError('give --budget (layouts) or --time (seconds), not both');
	}

	const seed = wholeNumber('seed', args['seed'], 'a whole number from 0 to 2147483647, such as --seed 7', 0) ?? DEFAULT_SEED;
	if (seed > 0x7fff_ffff) {
		throw new InputError(`--seed ${seed} is too large; give a whole number from 0 to 2147483647`);
	}

	const jobs = wholeNumber('jobs', args['jobs'], 'a whole number of worker threads, such as --jobs 2') ?? 1;
	const timeout = seconds('timeout', args['timeout'], 'a number of seconds, such as --timeout 30') ?? DEFAULT_LAYOUT_TIMEOUT_S;
	const output = single('output', args['output']);
	if (output !== undefined && output.trim() === '') {
		throw new InputError('--output is empty; give the file to write the counterexample to');
	}

	return {
		walker,
		categories,
		kernel: version.label,
		arches,
		allArches: archWords === undefined && arches.length === ARCHES.length,
		patches,
		...(budget === undefined ? {} : {budget}),
		...(time === undefined ? {} : {timeMs: time * 1000}),
		seed,
		jobs,
		timeLimitMs: timeout * 1000,
		...(output === undefined ? {} : {output}),
		force: args['force'] === true,
		phases: args['phases'] !== false,
	};
}

/** The progress line: layouts/s and the best so far. */
function progressText(progress: SearchProgress): string {
	if (progress.phase === 'searching') {
		return `search: ${rateText(progress.tried, progress.elapsedMs)}, best so far: none`;
	}

	const layout = progress.shrink.layout;
	return `search: found after ${progress.tried} layouts; shrinking: ${layout.memory.length} entries, ${layout.operations.length} operations after ${progress.shrink.steps} steps (${progress.shrink.what})`;
}

const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runSearch(args: Record<string, unknown>, io: Io, deps: {readonly signal?: AbortSignal} = {}): Promise<number> {
	const flags = searchFlags(args);
	const output = flags.output === undefined ? undefined : path.resolve(io.cwd, flags.output);
	if (output && existsSync(output) && !flags.force) {
		// Checked again, atomically, when the file is written (writeOutput): this saves the search.
		throw new InputError(`${flags.output} exists; pass --force to replace it, or choose another --output`);
	}

	// A user walker file is loaded and checked in a worker of its own (isolate.ts): a bad file is
	// exit 2 before the search starts, and none of its code runs in this thread.
	const [selected] = await selectWalkers([flags.walker], io.cwd, {timeLimitMs: Math.max(flags.timeLimitMs, DEFAULT_WALKER_TIME_LIMIT_MS), output: io.stderr});
	const walker = selected!.definition;
	const inWorkers = selected!.source.kind === 'file' || flags.jobs > 1;

	const controller = new AbortController();
	let signalled: NodeJS.Signals | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		signalled ??= signal;
		controller.abort();
	};

	const listeners = deps.signal ? [] : CANCEL_SIGNALS.map(signal => [signal, () => onSignal(signal)] as const);
	for (const [signal, listener] of listeners) {
		process.on(signal, listener);
	}

	deps.signal?.addEventListener('abort', () => controller.abort(), {once: true});
	const tty = io.stderr.isTTY === true;
	let shown = false;
	let lastLine = performance.now();
	const onProgress = (progress: SearchProgress) => {
		const now = performance.now();
		if (tty) {
			io.stderr.write(`\r\u001B[2K${progressText(progress)}`);
			shown = true;
		} else if (now - lastLine >= 10_000) {
			lastLine = now;
			io.stderr.write(`pfnaudit: ${progressText(progress)}\n`);
		}
	};

	let result: SearchResult;
	try {
		const options = {
			kernel: flags.kernel,
			arches: flags.arches,
			patches: flags.patches,
			categories: flags.categories,
			seed: flags.seed,
			phases: flags.phases,
			timeLimitMs: flags.timeLimitMs,
			...(flags.timeMs === undefined ? {budget: flags.budget ?? DEFAULT_BUDGET} : {timeMs: flags.timeMs}),
			signal: controller.signal,
			onProgress,
		};
		result = inWorkers ? await searchInWorkers({...options, source: selected!.source, jobs: flags.jobs, output: io.stderr}) : await searchInProcess({...options, walker: findBuiltinWalker(walker.name)!});
	} catch (error) {
		if (error instanceof SearchWorkerError) {
			throw new InputError(`${walker.name}: ${error.message}; fix the walker${selected!.builtin ? '' : ' file'} or give more time with --timeout`, selected!.builtin ? undefined : {file: flags.walker});
		}

		throw error;
	} finally {
		for (const [signal, listener] of listeners) {
			process.off(signal, listener);
		}

		if (shown) {
			io.stderr.write('\r\u001B[2K');
		}
	}

	const invocation: SearchInvocation = {
		walker: walker.name,
		models: walker.models,
		walkerArg: flags.walker,
		categories: flags.categories,
		seed: flags.seed,
		kernel: flags.kernel,
		arches: flags.arches,
		allArches: flags.allArches,
		patches: flags.patches,
		phases: flags.phases,
		...(flags.output === undefined ? {} : {output: flags.output}),
	};
	if (result.found) {
		const text = renderCounterexample(result.found, invocation);
		const {witness, layout} = result.found.result;
		const where = `${witness.category} at pfn 0x${witness.pfn.toString(16)}${witness.phase === 'final' ? '' : ` (phase ${witness.phase})`}`;
		const size = `${layout.memory.length} ${layout.memory.length === 1 ? 'entry' : 'entries'}${layout.operations.length > 0 ? `, ${layout.operations.length} operations` : ''}`;
		const stopped = result.interrupted ? ' (interrupted while shrinking: the smallest layout so far)' : '';
		if (output) {
			writeOutput(output, text, {force: flags.force});
			io.stderr.write(`pfnaudit: ${walker.name} at v${flags.kernel}: ${where}; wrote ${flags.output}: ${size}${stopped}\n`);
		} else {
			io.stdout.write(text);
			io.stderr.write(`pfnaudit: ${walker.name} at v${flags.kernel}: ${where}; ${size}${stopped}\n`);
		}

		return EXIT_FAILING;
	}

	if (result.coverage.absent > 0 && result.coverage.layouts === 0) {
		throw new InputError(`--walker ${flags.walker}: ${walker.name} does not exist at v${flags.kernel} (its plan() gives no form there); choose a --kernel within its history (pfnaudit list walkers)`);
	}

	const what = `no layout on which ${walker.name} touches ${flags.categories.join(', ')} at v${flags.kernel}`;
	io.stderr.write(`pfnaudit: ${what}: ${rateText(result.tried, result.elapsedMs)}${result.interrupted ? ', interrupted' : ''}, seed ${flags.seed}\n`);
	for (const line of describeCoverage(result.coverage, flags.categories).split('\n')) {
		io.stderr.write(`pfnaudit:   ${line}\n`);
	}

	return signalled ? exitCodeForSignal(signalled) : result.interrupted ? 130 : EXIT_OK;
}

/**
`pfnaudit reproduce`'s work, loaded by run() of ./reproduce.ts: read the topology, turn it into a
recipe (source/reproduce/recipe.ts) and print it (--print, the default), or boot it on Debian's
kernel under QEMU (source/reproduce/guest/boot.ts), read the captures back and compare them with
the model pfn by pfn (source/reproduce/compare.ts) (--run).

Exit codes of --run: 0 every check agrees on every pfn, 1 disagreements, 2 not realisable or a
missing tool (with the apt-get line), 3 the guest or QEMU failed (the end of its console on
stderr), 130 interrupted (QEMU killed, nothing left behind).
*/
import {cpSync, existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {EXIT_FAILING, EXIT_INTERNAL, EXIT_OK} from '../../errors/exit-codes.js';
import {InputError} from '../../errors/input-error.js';
import {hex} from '../../model/geometry.js';
import {compareReproduction, type ReproduceResult} from '../../reproduce/compare.js';
import {buildRecipe, renderRecipe} from '../../reproduce/recipe.js';
import type {Topology} from '../../topology/types.js';
import type {Io} from '../command.js';
import {readCaptureDirectory} from '../capture-read.js';
import {readTopology} from '../read-topology.js';
import {singleValue} from '../usage-errors.js';

/** The default time limit of one boot (--timeout): a TCG boot of the issue's layout takes well under a minute. */
export const DEFAULT_TIMEOUT_S = 600;
const EXIT_INTERRUPTED = 130;
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export async function runReproduce(args: Record<string, unknown>, io: Io, deps: {readonly signal?: AbortSignal} = {}): Promise<number> {
	const kernel = singleValue(args, 'kernel');
	const topology = readTopology(String(args['topology']), io, kernel === undefined ? {} : {kernel});
	const recipe = buildRecipe(topology, {...(kernel === undefined ? {} : {kernel}), ...(args['uefi'] === true ? {uefi: true} : {})});
	if (args['run'] !== true) {
		if (args['format'] === 'json') {
			throw new InputError('--format json is the output of --run; --print writes the recipe as text');
		}

		io.stdout.write(renderRecipe(topology, recipe));
		return EXIT_OK;
	}

	const timeout = args['timeout'] === undefined ? DEFAULT_TIMEOUT_S : Number(args['timeout']);
	if (!Number.isFinite(timeout) || timeout <= 0) {
		throw new InputError(`--timeout ${String(args['timeout'])}: give the time limit of the boot in seconds, e.g. --timeout ${DEFAULT_TIMEOUT_S}`);
	}

	const path = await import('node:path');
	const {bootGuest, removeBoot, GuestFailure, defaultCacheDir} = await import('../../reproduce/guest/boot.js');
	// The probe module is built for x86_64 and arm64 guests (arm64: cross-built, ../../reproduce/probe/build.ts).
	const probeAsked = args['probe'] !== false;
	const useProbe = probeAsked;
	const keep = typeof args['keep'] === 'string' ? path.resolve(io.cwd, args['keep']) : undefined;
	if (keep !== undefined && existsSync(keep) && readdirSync(keep).length > 0) {
		throw new InputError(`--keep ${keep}: the directory is not empty; give a new or empty directory`);
	}

	const cacheDir = typeof args['cache-dir'] === 'string' ? path.resolve(io.cwd, args['cache-dir']) : undefined;
	const controller = new AbortController();
	let signalled = false;
	const onSignal = () => {
		signalled = true;
		controller.abort();
	};

	const listeners = deps.signal ? [] : CANCEL_SIGNALS.map(signal => [signal, onSignal] as const);
	for (const [signal, listener] of listeners) {
		process.on(signal, listener);
	}

	deps.signal?.addEventListener('abort', onSignal, {once: true});
	const progress = (line: string) => io.stderr.write(`pfnaudit: ${line}\n`);
	let boot: Awaited<ReturnType<typeof bootGuest>> | undefined;
	try {
		try {
			boot = await bootGuest({
				plan: recipe.plan,
				timeoutMs: timeout * 1000,
				signal: controller.signal,
				onProgress: progress,
				...(cacheDir === undefined ? {} : {cacheDir}),
				// The probe module (docs/probe-format.md), built against the guest release's linux-headers
				// (cached); without headers, make or the compiler the run falls back to /proc/kpageflags and
				// says so on stderr and in the report (BootResult.probeMissing).
				probe: useProbe,
				buildProbe: probeOrFallback({cacheDir: cacheDir ?? defaultCacheDir(), onProgress: progress, signal: controller.signal}),
			});
		} catch (error) {
			if (signalled) {
				io.stderr.write('pfnaudit: interrupted: QEMU stopped, its files removed\n');
				return EXIT_INTERRUPTED;
			}

			if (error instanceof GuestFailure) {
				const tail = error.serialLog.trimEnd().split('\n').slice(-25).join('\n');
				io.stderr.write(`pfnaudit: ${error.message}\n${tail === '' ? '(the guest printed nothing on its console)' : `the end of the guest's console:\n${tail}`}\n`);
				return EXIT_INTERNAL;
			}

			throw error;
		}

		if (keep !== undefined) {
			keepCaptures(boot, keep);
			progress(`captures and console log kept in ${keep}`);
		}

		const compareStarted = Date.now();
		const captures = boot.captures.map(c => ({label: c.label, files: readCaptureDirectory(c.dir, `capture "${c.label}"`).files}));
		const result = compareReproduction(topology, boot.version, captures);
		const compareMs = Date.now() - compareStarted;
		const probeMissing = useProbe ? boot.probeMissing : 'not asked for (--no-probe)';
		if (args['format'] === 'json') {
			const json: ReproduceResult & {notes: readonly string[]} = {kernel: result.kernel, checks: result.checks, disagreements: result.disagreements, deviations: result.deviations, notes: reproductionNotes(result, probeMissing)};
			io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
		} else {
			io.stdout.write(renderReproduction(topology, boot.release, result, {bootMs: boot.wallMs, compareMs, ...(probeMissing === undefined ? {} : {probeMissing})}));
		}

		return result.disagreements.length > 0 ? EXIT_FAILING : EXIT_OK;
	} finally {
		for (const [signal, listener] of listeners) {
			process.off(signal, listener);
		}

		if (boot) {
			removeBoot(boot);
		}
	}
}

/**
The probe module builder `reproduce --run` hands bootGuest(): buildProbeModule() (cached per
release and source). When the headers, make or the compiler are missing or the build fails, the
run goes on without it: one warning on stderr says why and what to install, and the report's notes
say that the pfn checks come from /proc/kpageflags only (--no-probe asks for that up front).
*/
export function probeOrFallback(options: {cacheDir: string; onProgress?: (line: string) => void; signal?: AbortSignal}): (release: string) => Promise<{kind: 'built'; ko: string} | {kind: 'missing'; reason: string}> {
	return async release => {
		const {buildProbeModule} = await import('../../reproduce/probe/build.js');
		const built = await buildProbeModule({release, ...options});
		if (built.kind === 'missing') {
			options.onProgress?.(`warning: the probe module cannot be built: ${built.reason}; comparing /proc/kpageflags and sysfs only (--no-probe skips the build)`);
		}

		return built;
	};
}

/**
--keep <dir>: each capture directory as `NN-<label>` (the import format: `pfnaudit import <dir>/01-layout`
reads it) and the guest's serial console as console.log. A directory that is not empty is refused.
*/
function keepCaptures(boot: {captures: ReadonlyArray<{label: string; dir: string}>; serialLog: string}, keep: string): void {
	mkdirSync(keep, {recursive: true});
	for (const [i, capture] of boot.captures.entries()) {
		const name = `${String(i).padStart(2, '0')}-${capture.label.replaceAll(/[^\w.-]+/g, '_')}`;
		cpSync(capture.dir, join(keep, name), {recursive: true});
	}

	writeFileSync(join(keep, 'console.log'), boot.serialLog);
}

function pfnRange(start: number, end: number): string {
	const n = end - start;
	return `[${hex(start)}, ${hex(end)}) ${n} ${n === 1 ? 'pfn' : 'pfns'}`;
}

/** The notes of a --run report (text and JSON): why there is no probe, then each capture's comparison notes. */
export function reproductionNotes(result: {readonly comparisons: ReadonlyArray<{notes: readonly string[]}>}, probeMissing: string | undefined): string[] {
	return [...(probeMissing === undefined ? [] : [`no probe module: ${probeMissing}; the pfn checks come from /proc/kpageflags only`]), ...result.comparisons.flatMap(c => c.notes)];
}

/** The text report of --run: the checks with agree/total, each disagreement, each deviation, the notes. */
export function renderReproduction(
	topology: Topology,
	release: string,
	result: ReproduceResult & {readonly comparisons: ReadonlyArray<{label: string; modelled: string; notes: readonly string[]}>},
	timing: {bootMs: number; compareMs: number; probeMissing?: string},
): string {
	const lines: string[] = [];
	const modelled = [...new Set(result.comparisons.map(c => c.modelled))].join(', ');
	lines.push(`# ${topology.name} on Debian's ${result.kernel} (${release}) under QEMU, modelled as ${modelled}`);
	lines.push(`boot and capture ${(timing.bootMs / 1000).toFixed(1)} s, compare ${(timing.compareMs / 1000).toFixed(1)} s; ${result.comparisons.length} captures (${result.comparisons.map(c => c.label).join(', ')})`, '');
	const width = Math.max(5, ...result.checks.map(c => c.name.length));
	const numbers = Math.max(...result.checks.map(c => String(c.pfns).length), 4);
	lines.push(`${'check'.padEnd(width)}  ${'agree'.padStart(numbers)} / ${'pfns'.padEnd(numbers)}`);
	for (const check of result.checks) {
		lines.push(`${check.name.padEnd(width)}  ${String(check.agree).padStart(numbers)} / ${String(check.pfns).padEnd(numbers)}  ${check.agree === check.pfns ? 'agree' : 'DISAGREE'}`);
	}

	const agreeing = result.checks.filter(c => c.agree === c.pfns).length;
	const total = result.checks.reduce((sum, c) => sum + c.pfns, 0);
	lines.push('', `${agreeing} of ${result.checks.length} checks agree on every pfn (${total} pfn answers compared).`);
	if (result.disagreements.length > 0) {
		lines.push('', `## Disagreements (${result.disagreements.length})`);
		for (const d of result.disagreements) {
			lines.push(`- ${d.check} ${pfnRange(d.start_pfn, d.end_pfn)}: kernel ${d.kernel}, model ${d.model}`);
		}
	}

	if (result.deviations.length > 0) {
		lines.push('', '## Deviations of the realised layout from the requested one (not disagreements)');
		for (const d of result.deviations) {
			lines.push(`- ${pfnRange(d.start_pfn, d.end_pfn)}: requested ${d.requested}, realised ${d.realised}`);
		}
	}

	const notes = reproductionNotes(result, timing.probeMissing);
	if (notes.length > 0) {
		lines.push('', '## Notes');
		for (const note of notes) {
			lines.push(`- ${note}`);
		}
	}

	return `${lines.join('\n')}\n`;
}

/**
The headless audit: `pfnaudit audit <topology...>`, and what `pfnaudit [topology]` runs when
stdout is not a terminal or CI is set (the dashboard command calls runHeadlessAudit with its
own arguments).

Exit codes (SPEC §7), worst first when several topologies are audited:
- 3: a built-in walker threw, timed out or broke the contract (a bug in pfnaudit);
- 2: bad input — a flag, a topology, a walker file — or a user walker that threw, timed out or
  broke the contract (its report is still written);
- 1: failing touches;
- 0: none;
- 130: interrupted (SIGINT/SIGTERM); no report is written.
*/
import {statSync} from 'node:fs';
import path from 'node:path';
import {formatWarning, importCapture} from '../import/index.js';
import {readCaptureDirectory} from './capture-read.js';
import {type AuditOptions, DEFAULT_TIME_LIMIT_MS, runAudit} from '../engine/audit.js';
import {EVALUATION_MODES, type EvaluationMode} from '../engine/evaluate.js';
import {parseFailOn} from '../engine/fail-on.js';
import type {AuditReport} from '../engine/types.js';
import {EXIT_FAILING, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK} from '../errors/exit-codes.js';
import {InputError} from '../errors/input-error.js';
import {KERNEL_VERSIONS, parseKernelVersion} from '../kernel/version.js';
import {findPatch, PATCHES} from '../model/patches.js';
import {SHOWCASE_TOPOLOGY} from '../paths.js';
import {renderReport, renderReports} from '../report/index.js';
import {writeOutput} from '../report/output.js';
import {checkSarifRuns} from '../report/sarif.js';
import {parseTopology as realParseTopology} from '../topology/load.js';
import {readTopologyText} from '../topology/read-file.js';
import type {Topology} from '../topology/types.js';
import {selectWalkers} from '../walker/select.js';
import type {Io} from './command.js';
import {chooseFormat, planOutput} from './output-plan.js';
import {ProgressLine} from './progress-line.js';

/** Exit status of a process ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

export type HeadlessOptions = {
	/** Topology files; none: the built-in showcase. */
	readonly topologies: readonly string[];
	readonly walkers?: readonly string[];
	readonly kernel?: string;
	readonly patches?: readonly string[];
	readonly phases?: boolean;
	readonly failOn?: string | readonly string[];
	readonly format?: string;
	readonly output?: string;
	readonly force?: boolean;
	readonly mode?: string;
	/** Seconds per walker and phase. */
	readonly timeout?: number;
	readonly jobs?: number;
};

/** Seams for tests (and embedders): everything defaults to the real thing. */
export type HeadlessDeps = {
	readonly parseTopology?: typeof realParseTopology;
	readonly audit?: Partial<Pick<AuditOptions, 'runner' | 'modelModule' | 'buildModel' | 'progressIntervalMs'>>;
	/** Cancel from outside; when absent, SIGINT and SIGTERM cancel. */
	readonly signal?: AbortSignal;
};

function list(value: unknown): string[] | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	return (Array.isArray(value) ? value : [value]).map(String);
}

/**
The values of `--patch`, for every command that takes it (audit, the dashboard, explain): repeated
flags and comma-separated lists alike, trimmed, empty items dropped. `--walker` is not split on
commas (it also takes file paths): repeat it.
*/
export function patchValues(value: unknown): string[] | undefined {
	// `--no-patch` reaches us as `patch: [false]` (yargs boolean negation): `--patch none`.
	const values = Array.isArray(value) ? value : value === undefined ? undefined : [value];
	return list(values?.map(item => (item === false ? 'none' : item)))?.flatMap(text => text.split(',')).map(text => text.trim()).filter(Boolean);
}

/** HeadlessOptions from parsed yargs arguments of `audit` (topology: string[]) or the dashboard (topology?: string). */
export function headlessOptionsFromArgs(args: Record<string, unknown>): HeadlessOptions {
	const number = (value: unknown) => (value === undefined ? undefined : Number(value));
	return {
		topologies: list(args.topology) ?? [],
		walkers: list(args.walker),
		kernel: args.kernel === undefined ? undefined : String(args.kernel),
		patches: patchValues(args.patch),
		phases: args.phases === true,
		failOn: list(args.failOn ?? args['fail-on']),
		format: args.format === undefined ? undefined : String(args.format),
		output: args.output === undefined ? undefined : String(args.output),
		force: args.force === true,
		mode: args.mode === undefined ? undefined : String(args.mode),
		timeout: number(args.timeout),
		jobs: number(args.jobs),
	};
}

/** Check --kernel (InputError naming the flag). Shared with the list command. */
export function checkKernelFlag(kernel: string | undefined): void {
	if (kernel !== undefined && !parseKernelVersion(kernel)) {
		throw new InputError(`--kernel ${kernel} is not a modelled mainline release; give "MAJOR.MINOR" from ${KERNEL_VERSIONS[0]!} to ${KERNEL_VERSIONS.at(-1)!} (pfnaudit list kernels)`);
	}
}

/** Check --kernel, --patch, --mode, --timeout and --jobs (InputError naming the flag). Shared with the dashboard command. */
export function checkFlags(options: HeadlessOptions): {mode: EvaluationMode; timeLimitMs: number} {
	checkKernelFlag(options.kernel);

	for (const patch of options.patches ?? []) {
		if (patch !== 'none' && !findPatch(patch)) {
			throw new InputError(`--patch ${patch} is not a known what-if patch; choose one of ${PATCHES.map(p => p.name).join(', ')} (pfnaudit list patches)`);
		}
	}

	const mode = options.mode ?? 'runs';
	if (!(EVALUATION_MODES as readonly string[]).includes(mode)) {
		throw new InputError(`--mode ${mode} is not an evaluation mode; choose ${EVALUATION_MODES.join(' or ')}`);
	}

	const timeout = options.timeout ?? DEFAULT_TIME_LIMIT_MS / 1000;
	if (!(Number.isFinite(timeout) && timeout > 0)) {
		throw new InputError(`--timeout ${String(options.timeout)} is not a positive number of seconds`);
	}

	if (options.jobs !== undefined && !(Number.isSafeInteger(options.jobs) && options.jobs >= 1)) {
		throw new InputError(`--jobs ${String(options.jobs)} is not a positive whole number of worker threads`);
	}

	return {mode: mode as EvaluationMode, timeLimitMs: timeout * 1000};
}

/**
Read and parse a topology file given on the command line (relative to `io.cwd`), with --kernel
and --patch applied; an unreadable path or a directory is an InputError at the file. Shared with
the explain command.
*/
export function readTopology(file: string, io: Io, options: Pick<HeadlessOptions, 'kernel' | 'patches'>, parse: typeof realParseTopology = realParseTopology): Topology {
	const absolute = path.resolve(io.cwd, file);
	if (statSync(absolute, {throwIfNoEntry: false})?.isDirectory() === true) {
		// A capture directory (docs/capture-format.md): imported on the fly.
		const result = importCapture(readCaptureDirectory(absolute, file), {...(options.kernel === undefined ? {} : {kernel: options.kernel}), file, inPlaceOfTopology: true});
		for (const warning of result.warnings) {
			io.stderr.write(`pfnaudit: warning: ${formatWarning(warning)}
`);
		}

		return parse(result.text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
	}

	// A regular file of bounded size only (topology/load.ts): never /dev/zero, a FIFO, a disk image.
	const text = readTopologyText(absolute, file);
	return parse(text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
}

/** The exit code of a set of reports (see the file comment). */
export function exitCodeFor(reports: readonly AuditReport[]): number {
	const walkers = reports.flatMap(report => report.walkers);
	if (walkers.some(walker => walker.verdict === 'error' && walker.builtin)) {
		return EXIT_INTERNAL;
	}

	if (walkers.some(walker => walker.verdict === 'error')) {
		return EXIT_INPUT;
	}

	return walkers.some(walker => walker.verdict === 'fail') ? EXIT_FAILING : EXIT_OK;
}

/** One stderr line per walker that could not be audited: reports may go to a file nobody reads. */
function reportErrors(report: AuditReport, io: Io, several: boolean): void {
	for (const walker of report.walkers) {
		if (walker.verdict === 'error') {
			const where = several ? `${report.topology.name}: ` : '';
			const whose = walker.builtin ? ' (a bug in pfnaudit: please report it with the topology)' : ` (${walker.file})`;
			io.stderr.write(`pfnaudit: ${where}${walker.error ?? `${walker.name} ${walker.status}`}${whose}\n`);
		}
	}
}

export async function runHeadlessAudit(options: HeadlessOptions, io: Io, deps: HeadlessDeps = {}): Promise<number> {
	const {mode, timeLimitMs} = checkFlags(options);
	const failOn = parseFailOn(options.failOn);
	const format = chooseFormat(options.format, options.output, io.stdout.isTTY === true);
	const parse = deps.parseTopology ?? realParseTopology;
	const files = options.topologies.length > 0 ? options.topologies : [SHOWCASE_TOPOLOGY];
	const topologies = files.map(file => readTopology(file, io, options, parse));
	const plan = planOutput({output: options.output, format, topologyNames: topologies.map(t => t.name), force: options.force === true, cwd: io.cwd});
	if (format === 'sarif' && plan.kind !== 'per-topology') {
		// Before the audit: a SARIF file GitHub would reject is refused now, not after minutes of auditing.
		checkSarifRuns(topologies.map(topology => ({topology: {name: topology.name, file: topology.file}, arch: topology.arch, kernel: topology.kernel, patches: topology.patches})));
	}

	const walkers = await selectWalkers(options.walkers, io.cwd, {timeLimitMs, output: io.stderr});

	const controller = new AbortController();
	const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
	const onSignal = () => controller.abort();
	if (!deps.signal) {
		process.once('SIGINT', onSignal);
		process.once('SIGTERM', onSignal);
	}

	const reports: AuditReport[] = [];
	try {
		for (const topology of topologies) {
			const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, topology.name) : undefined;
			// eslint-disable-next-line no-await-in-loop
			const report = await runAudit({
				topology,
				walkers,
				phases: options.phases === true,
				failOn,
				mode,
				timeLimitMs,
				signal,
				...(options.jobs === undefined ? {} : {workers: options.jobs}),
				...(progress ? {onEvent: progress.onEvent} : {}),
				...deps.audit,
			});
			progress?.clear();
			if (signal.aborted) {
				io.stderr.write('pfnaudit: interrupted; no report written\n');
				return EXIT_INTERRUPTED;
			}

			reportErrors(report, io, topologies.length > 1);
			reports.push(report);
		}
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}

	// A terminal gets its own width; a file gets 80 columns, ready to paste into a mail to LKML.
	const toStdout = plan.kind === 'stdout';
	const renderOptions = toStdout ? {color: io.stdout.isTTY === true && io.env.FORCE_COLOR !== '0', columns: io.stdout.columns ?? 80} : {color: false, columns: 80};
	// One document for every topology (renderReports), unless --output asked for one file each.
	switch (plan.kind) {
		case 'stdout': {
			io.stdout.write(renderReports(reports, format, renderOptions));
			break;
		}

		case 'file': {
			writeOutput(path.resolve(io.cwd, plan.file), renderReports(reports, format, renderOptions), {force: options.force === true});
			break;
		}

		case 'per-topology': {
			// Render every file before writing any, so a rendering error leaves no partial set behind.
			const documents = reports.map(report => renderReport(report, format, renderOptions));
			for (const [i, file] of plan.files.entries()) {
				writeOutput(path.resolve(io.cwd, file), documents[i]!, {force: options.force === true});
			}

			break;
		}
	}

	return exitCodeFor(reports);
}

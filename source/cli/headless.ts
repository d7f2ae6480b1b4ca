/**
The headless audit: `pfnaudit audit <topology...>`, and what `pfnaudit [topology]` runs when
stdout is not a terminal or CI is set (the dashboard command calls runHeadlessAudit with its
own arguments).

Exit codes (README.md, Commands), worst first when several topologies are audited:
- 3: a built-in walker threw, timed out (runs mode) or broke the contract (a bug in pfnaudit);
- 2: bad input — a flag, a topology, a walker file — or a user walker that threw, timed out or
  broke the contract, or a built-in walker stopped by --timeout in per-pfn mode (the mode's cost,
  not a bug; its report is still written);
- 1: failing touches;
- 0: none;
- 128 + the signal number: interrupted — 130 for SIGINT (Ctrl+C), 143 for SIGTERM, 129 for
  SIGHUP, as a shell reports a process the signal ended (and as the dashboard exits); no report
  is written.
*/
import {constants as osConstants} from 'node:os';
import path from 'node:path';
import {type AuditOptions, DEFAULT_TIME_LIMIT_MS, runAudit, TopologyHandover} from '../engine/audit.js';
import {checkPerPfnWork} from '../engine/estimate.js';
import {parseFailOn} from '../engine/fail-on.js';
import type {AuditReport} from '../engine/types.js';
import {EXIT_FAILING, EXIT_INPUT, EXIT_INTERNAL, EXIT_OK} from '../errors/exit-codes.js';
import {buildModel} from '../model/build.js';
import {SHOWCASE_TOPOLOGY} from '../paths.js';
import {renderReport, renderReports} from '../report/index.js';
import {writeOutput} from '../report/output.js';
import {checkSarifRuns} from '../report/sarif.js';
import {parseTopology as realParseTopology} from '../topology/load.js';
import type {Topology} from '../topology/types.js';
import {selectWalkers} from '../walker/select.js';
import {resolvePatchValues} from '../patch/load.js';
import {checkFlags, type HeadlessOptions} from './audit-args.js';
import type {Io} from './command.js';
import {readCaptureTarballs, readTopology} from './read-topology.js';
import {chooseFormat, planOutput} from './output-plan.js';
import {ProgressLine} from './progress-line.js';

/**
Whether the report on stdout gets colour. FORCE_COLOR decides when it is set — by the user, or by
bin.ts for `--color always` (1), `--color never` and NO_COLOR (0) — with the values chalk's
supports-color gives it ('0' and 'false' off, anything else, the empty string included, on), so
`--color always | less -R` keeps its colour; otherwise only a terminal gets it. Files never do.
*/
export function stdoutColor(io: Pick<Io, 'stdout' | 'env'>): boolean {
	const force = io.env.FORCE_COLOR;
	if (force !== undefined) {
		return force !== '0' && force !== 'false';
	}

	return io.stdout.isTTY === true;
}

/** Exit status of a process ended by SIGINT (128 + 2). */
export const EXIT_INTERRUPTED = 130;

/** The signals that cancel a headless audit. */
const CANCEL_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** 128 + the signal's number: the status a shell shows for a process the signal ended. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
	return 128 + (osConstants.signals[signal] ?? 2);
}

export {checkFlags, checkKernelFlag, headlessOptionsFromArgs, type HeadlessOptions, numberFlag, patchValues} from './audit-args.js';
export {readCaptureTarballs, readTopology} from './read-topology.js';

/** Seams for tests (and embedders): everything defaults to the real thing. */
export type HeadlessDeps = {
	readonly parseTopology?: typeof realParseTopology;
	readonly audit?: Partial<Pick<AuditOptions, 'runner' | 'modelModule' | 'buildModel' | 'progressIntervalMs'>>;
	/** Cancel from outside; when absent, SIGINT, SIGTERM and SIGHUP cancel. */
	readonly signal?: AbortSignal;
};

/** The exit code of a set of reports (see the file comment); `timeLimitMs` is the --timeout they ran with. */
export function exitCodeFor(reports: readonly AuditReport[], timeLimitMs: number = DEFAULT_TIME_LIMIT_MS): number {
	const walkers = reports.flatMap(report => report.walkers.filter(walker => !timedOutByChoice(report, walker, timeLimitMs)));
	if (reports.some(report => report.walkers.some(walker => timedOutByChoice(report, walker, timeLimitMs)))) {
		// Not finished within a limit the user chose (per-pfn mode, a --timeout below the default): exit 2.
		return walkers.some(walker => walker.verdict === 'error' && walker.builtin) ? EXIT_INTERNAL : EXIT_INPUT;
	}

	if (walkers.some(walker => walker.verdict === 'error' && walker.builtin)) {
		return EXIT_INTERNAL;
	}

	if (walkers.some(walker => walker.verdict === 'error')) {
		return EXIT_INPUT;
	}

	return walkers.some(walker => walker.verdict === 'fail') ? EXIT_FAILING : EXIT_OK;
}

/** One stderr line per walker that could not be audited: reports may go to a file nobody reads. */
/**
A built-in walker stopped by the time limit in per-pfn mode ran out of the time the user gave a
mode that steps every pfn, and one stopped by a --timeout below the default ran out of the time
the user chose: consequences of the user's settings, not bugs (exit 2). In runs mode at the
default limit or above, a time-out is a bug (exit 3).
*/
function timedOutByChoice(report: AuditReport, walker: AuditReport['walkers'][number], timeLimitMs: number): boolean {
	return walker.builtin && walker.status === 'timeout' && (report.mode === 'per-pfn' || timeLimitMs < DEFAULT_TIME_LIMIT_MS);
}

function reportErrors(report: AuditReport, io: Io, several: boolean, timeLimitMs: number): void {
	for (const walker of report.walkers) {
		if (walker.verdict === 'error') {
			const where = several ? `${report.topology.name}: ` : '';
			const whose = timedOutByChoice(report, walker, timeLimitMs)
				? report.mode === 'per-pfn'
					? ' (per-pfn mode steps every pfn; use --mode runs for the same tallies, or raise --timeout)'
					: ` (--timeout ${timeLimitMs / 1000} is below the default ${DEFAULT_TIME_LIMIT_MS / 1000} s; raise it)`
				: walker.builtin
					? ' (a bug in pfnaudit: please report it with the topology)'
					: ` (${walker.file})`;
			io.stderr.write(`pfnaudit: ${where}${walker.error ?? `${walker.name} ${walker.status}`}${whose}\n`);
		}
	}
}

/**
Each topology in a handover to its audit, and `topologies` emptied: the audit lets go of the
topology once its workers have the model laid out (runAudit(), TopologyHandover), some 50 MiB at
100 000 entries that this thread would otherwise hold through the walk. In a function of its own:
a temporary of the async caller's frame (the array splice() returns) stays in the frame's
registers across its awaits, and held every topology through the walk.
*/
function handOver(topologies: Topology[]): Array<{name: string; topology: TopologyHandover}> {
	return topologies.splice(0).map(topology => ({name: topology.name, topology: new TopologyHandover(topology)}));
}

export async function runHeadlessAudit(given: HeadlessOptions, io: Io, deps: HeadlessDeps = {}): Promise<number> {
	// `--patch ./mine.ts`: load and register user what-if patches (source/patch/load.ts); their audits run in-process.
	const userPatches = await resolvePatchValues(given.patches ?? [], io.cwd);
	const options: HeadlessOptions = given.patches ? {...given, patches: userPatches.names} : given;
	const {mode, timeLimitMs} = checkFlags(options);
	const failOn = parseFailOn(options.failOn);
	const format = chooseFormat(options.format, options.output, io.stdout.isTTY === true);
	const parse = deps.parseTopology ?? realParseTopology;
	const files = options.topologies.length > 0 ? options.topologies : [SHOWCASE_TOPOLOGY];
	await readCaptureTarballs(files, io.cwd);
	const topologies = files.map(file => readTopology(file, io, options, parse));
	const plan = planOutput({output: options.output, format, topologyNames: topologies.map(t => t.name), force: options.force === true, cwd: io.cwd});
	if (format === 'sarif' && plan.kind !== 'per-topology') {
		// Before the audit: a SARIF file GitHub would reject is refused now, not after minutes of auditing.
		checkSarifRuns(topologies.map(topology => ({topology: {name: topology.name, file: topology.file}, arch: topology.arch, kernel: topology.kernel, patches: topology.patches})));
	}

	const walkers = await selectWalkers(options.walkers, io.cwd, {timeLimitMs, output: io.stderr});
	if (mode === 'per-pfn') {
		checkPerPfnWork(topologies, walkers, timeLimitMs, deps.audit?.buildModel ?? buildModel);
	}

	const controller = new AbortController();
	const signal = deps.signal ? AbortSignal.any([deps.signal, controller.signal]) : controller.signal;
	let received: NodeJS.Signals | undefined;
	const onSignal = (name: NodeJS.Signals) => {
		received ??= name;
		controller.abort();
	};

	if (!deps.signal) {
		for (const name of CANCEL_SIGNALS) {
			process.once(name, onSignal);
		}
	}

	const several = topologies.length > 1;
	const handovers = handOver(topologies);
	const reports: AuditReport[] = [];
	try {
		for (const {name, topology} of handovers) {
			const progress = io.stderr.isTTY ? new ProgressLine(io.stderr, name) : undefined;
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
				...(userPatches.loaded ? {runner: 'in-process' as const} : {}),
				...deps.audit,
			});
			progress?.clear();
			if (signal.aborted) {
				io.stderr.write(`pfnaudit: interrupted${received ? ` (${received})` : ''}; no report written\n`);
				return received ? exitCodeForSignal(received) : EXIT_INTERRUPTED;
			}

			reportErrors(report, io, several, timeLimitMs);
			reports.push(report);
		}
	} finally {
		for (const name of CANCEL_SIGNALS) {
			process.off(name, onSignal);
		}
	}

	// A terminal gets its own width; a file gets 80 columns, ready to paste into a mail to LKML.
	const toStdout = plan.kind === 'stdout';
	const renderOptions = toStdout ? {color: stdoutColor(io), columns: io.stdout.columns ?? 80} : {color: false, columns: 80};
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

	return exitCodeFor(reports, timeLimitMs);
}

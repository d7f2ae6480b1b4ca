/**
`pfnaudit [topology]` (SPEC §7): the dashboard on a terminal; the headless audit when stdout is
not a TTY, CI is set, or a report was asked for (--format, --output). Headless runs never load
ink or react: the dashboard sits behind a dynamic import, and this module imports only types
from source/ui/. A bad topology, kernel, patch or walker is reported (exit 2, one sentence)
before the dashboard takes over the screen.
*/
import {parseFailOn} from '../../engine/fail-on.js';
import type {CategoryId} from '../../model/categories.js';
import {SHOWCASE_TOPOLOGY} from '../../paths.js';
import type {DashboardOptions} from '../../ui/run-dashboard.js';
import type {AuditRequest, DashboardPort} from '../../ui/port.js';
import {isCiEnvironment} from '../../ui/terminal.js';
import type {CommandModule, Io} from '../command.js';
import {checkFlags, headlessOptionsFromArgs, runHeadlessAudit} from '../headless.js';
import {withAuditOptions} from './audit.js';

/** source/cli/headless.ts: the audit without a dashboard, for pipes and CI. */
export type RunHeadless = (args: Record<string, unknown>, io: Io) => Promise<number>;

/** The audit options the dashboard honours besides the request (the same flags as `audit`). */
export type DashboardSettings = {
	readonly failOn: readonly CategoryId[];
	readonly phases: boolean;
	readonly mode: 'runs' | 'per-pfn';
	readonly timeLimitMs: number;
	readonly workers?: number;
};

export type DashboardDeps = {
	readonly runHeadless?: RunHeadless;
	readonly loadPort?: (io: Io, settings: DashboardSettings) => Promise<DashboardPort>;
	readonly runDashboard?: (options: DashboardOptions) => Promise<number>;
};

/** Whether to draw: stdout is a terminal and this is not CI (is-in-ci semantics, `CI=` counts). */
export function shouldDraw(io: Io): boolean {
	return io.stdout.isTTY === true && !isCiEnvironment(io.env);
}

/** A report was asked for: --format or --output make even a terminal run headless. */
function wantsReport(args: Record<string, unknown>): boolean {
	return args.format !== undefined || args.output !== undefined;
}

async function defaultRunHeadless(args: Record<string, unknown>, io: Io): Promise<number> {
	return runHeadlessAudit(headlessOptionsFromArgs(args), io);
}

async function defaultLoadPort(io: Io, settings: DashboardSettings): Promise<DashboardPort> {
	if (io.env.PFNAUDIT_FAKE === '1') {
		const speed = Number(io.env.PFNAUDIT_FAKE_SPEED ?? '1');
		const {createFakePort} = await import('../../ui/fake/index.js');
		return createFakePort({cwd: io.cwd, speed: Number.isFinite(speed) && speed > 0 ? speed : 1});
	}

	const {loadRealPort} = await import('../../ui/real-port.js');
	return loadRealPort(io.cwd, {
		audit: {
			failOn: settings.failOn,
			phases: settings.phases,
			mode: settings.mode,
			timeLimitMs: settings.timeLimitMs,
			...(settings.workers === undefined ? {} : {workers: settings.workers}),
		},
	});
}

/** The audit settings of a drawn dashboard, checked the way `audit` checks them (InputError). */
export function dashboardSettings(args: Record<string, unknown>): DashboardSettings {
	const options = headlessOptionsFromArgs(args);
	const {mode, timeLimitMs} = checkFlags(options);
	return {
		failOn: parseFailOn(options.failOn),
		phases: options.phases === true,
		mode,
		timeLimitMs,
		...(options.jobs === undefined ? {} : {workers: options.jobs}),
	};
}

/** The audit the dashboard starts with (its flags are checked by dashboardSettings(), the topology and walkers by port.check()). */
export function dashboardRequest(args: Record<string, unknown>): AuditRequest {
	// The same reading of --kernel, --patch and --walker as the headless audit.
	const {kernel, patches, walkers} = headlessOptionsFromArgs(args);
	return {
		topologyFile: typeof args.topology === 'string' && args.topology !== '' ? args.topology : SHOWCASE_TOPOLOGY,
		...(kernel === undefined ? {} : {kernel}),
		patches: patches ?? [],
		...(walkers && walkers.length > 0 ? {walkers} : {}),
	};
}

export function createDashboardCommand(deps: DashboardDeps = {}): CommandModule {
	return {
		command: '$0 [topology]',
		describe: 'open the dashboard (headless audit when stdout is not a terminal, CI is set, or --format/--output is given)',
		builder: y =>
			withAuditOptions(y.positional('topology', {type: 'string', describe: 'topology file (default: the showcase)'}))
				.example('$0', 'the showcase topology, every walker')
				.example('$0 topologies/pmem-fsdax-devdax.yaml --kernel 5.3', 'one topology at v5.3')
				.example('$0 --walker read_page_owner | cat', 'not a terminal: the headless audit'),
		async run(args, io) {
			if (!shouldDraw(io) || wantsReport(args)) {
				return (deps.runHeadless ?? defaultRunHeadless)(args, io);
			}

			const settings = dashboardSettings(args);
			const request = dashboardRequest(args);
			// ink and react take a while to load: let that overlap with loading the topology.
			const loading = deps.runDashboard ? undefined : import('../../ui/run-dashboard.js');
			loading?.catch(() => undefined);
			const port = await (deps.loadPort ?? defaultLoadPort)(io, settings);
			// The topology, kernel, patches and walkers are checked before the screen is taken.
			await port.check?.(request);
			const draw = deps.runDashboard ?? (await loading!).runDashboard;
			return draw({
				port,
				request,
				stdout: io.stdout as NodeJS.WriteStream,
				stdin: io.stdin as NodeJS.ReadStream,
				stderr: io.stderr as NodeJS.WriteStream,
				env: io.env,
			});
		},
	};
}

/** `pfnaudit [topology]` — the dashboard on a terminal, the headless audit otherwise (SPEC §7). */
export const dashboardCommand: CommandModule = createDashboardCommand();

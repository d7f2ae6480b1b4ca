/**
`pfnaudit [topology]` (README.md, Commands): the dashboard on a terminal; the headless audit when stdout is
not a TTY, CI is set, or a report was asked for (--format, --output). Headless runs never load
ink or react: the drawn dashboard is ./dashboard-run.ts behind a dynamic import (the lazy
pattern of source/cli/command.ts), and this module imports only types from source/ui/ besides
the CI check. A bad topology, kernel, patch or walker is reported (exit 2, one sentence) on
the shell's screen: the dashboard, drawn while the topology loads, gives the terminal back first.
*/
import type {DashboardOptions} from '../../ui/run-dashboard.js';
import type {DashboardPort} from '../../ui/port.js';
import {isCiEnvironment} from '../../ui/terminal.js';
import type {CommandModule, Io} from '../command.js';
import {withAuditOptions} from './audit.js';
import type {DashboardSettings} from './dashboard-run.js';

export type {DashboardSettings} from './dashboard-run.js';

/** source/cli/headless.ts: the audit without a dashboard, for pipes and CI. */
export type RunHeadless = (args: Record<string, unknown>, io: Io) => Promise<number>;

export type DashboardDeps = {
	readonly runHeadless?: RunHeadless;
	readonly loadPort?: (io: Io, settings: DashboardSettings, walkerOutput: NodeJS.WritableStream) => Promise<DashboardPort>;
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
				if (deps.runHeadless) {
					return deps.runHeadless(args, io);
				}

				const {headlessOptionsFromArgs, runHeadlessAudit} = await import('../headless.js');
				return runHeadlessAudit(headlessOptionsFromArgs(args), io);
			}

			const {drawDashboard} = await import('./dashboard-run.js');
			return drawDashboard(args, io, deps);
		},
	};
}

/** `pfnaudit [topology]` — the dashboard on a terminal, the headless audit otherwise (README.md, Commands). */
export const dashboardCommand: CommandModule = createDashboardCommand();

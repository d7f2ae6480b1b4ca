/**
`pfnaudit [topology]` (SPEC §7): the dashboard on a terminal; the headless audit when stdout is
not a TTY or CI is set. Headless runs never load ink or react: the dashboard sits behind a
dynamic import, and this module imports only types from source/ui/.
*/
import {InputError} from '../../errors/input-error.js';
import {NEWEST_KERNEL, OLDEST_KERNEL, parseKernelVersion} from '../../kernel/version.js';
import {findPatch} from '../../model/patches.js';
import {SHOWCASE_TOPOLOGY} from '../../paths.js';
import type {DashboardOptions} from '../../ui/run-dashboard.js';
import type {AuditRequest, DashboardPort} from '../../ui/port.js';
import {isCiEnvironment} from '../../ui/terminal.js';
import type {CommandModule, Io} from '../command.js';

/** source/cli/headless.ts: the audit without a dashboard, for pipes and CI. */
export type RunHeadless = (args: Record<string, unknown>, io: Io) => Promise<number>;

export type DashboardDeps = {
	readonly runHeadless?: RunHeadless;
	readonly loadPort?: (io: Io) => Promise<DashboardPort>;
	readonly runDashboard?: (options: DashboardOptions) => Promise<number>;
};

/** Whether to draw: stdout is a terminal and this is not CI (is-in-ci semantics, `CI=` counts). */
export function shouldDraw(io: Io): boolean {
	return io.stdout.isTTY === true && !isCiEnvironment(io.env);
}

async function defaultRunHeadless(args: Record<string, unknown>, io: Io): Promise<number> {
	// Not a literal specifier: headless.ts belongs to the engine work and is resolved at run time.
	const specifier = '../headless.js';
	const module = (await import(specifier)) as {runHeadless: RunHeadless};
	return module.runHeadless(args, io);
}

async function defaultLoadPort(io: Io): Promise<DashboardPort> {
	if (io.env.PFNAUDIT_FAKE === '1') {
		const speed = Number(io.env.PFNAUDIT_FAKE_SPEED ?? '1');
		const {createFakePort} = await import('../../ui/fake/index.js');
		return createFakePort({cwd: io.cwd, speed: Number.isFinite(speed) && speed > 0 ? speed : 1});
	}

	const {loadRealPort} = await import('../../ui/real-port.js');
	return loadRealPort(io.cwd);
}

function strings(value: unknown): string[] {
	if (value === undefined) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(String).flatMap(item => item.split(',')).filter(item => item !== '');
}

/** The audit the dashboard starts with, checked the way `audit` checks it. */
export function dashboardRequest(args: Record<string, unknown>): AuditRequest {
	const kernel = args.kernel === undefined ? undefined : String(args.kernel);
	if (kernel !== undefined && !parseKernelVersion(kernel)) {
		throw new InputError(`--kernel ${kernel} is not a modelled release; give MAJOR.MINOR between ${OLDEST_KERNEL} and ${NEWEST_KERNEL} ("pfnaudit list kernels")`);
	}

	const patches = strings(args.patch);
	const unknown = patches.find(name => !findPatch(name));
	if (unknown !== undefined) {
		throw new InputError(`--patch ${unknown} is not a known patch; "pfnaudit list patches" shows them`);
	}

	const walkers = strings(args.walker);
	return {
		topologyFile: typeof args.topology === 'string' && args.topology !== '' ? args.topology : SHOWCASE_TOPOLOGY,
		...(kernel === undefined ? {} : {kernel}),
		patches,
		...(walkers.length > 0 ? {walkers} : {}),
	};
}

export function createDashboardCommand(deps: DashboardDeps = {}): CommandModule {
	return {
		command: '$0 [topology]',
		describe: 'open the dashboard (headless audit when stdout is not a terminal or CI is set)',
		builder: y =>
			y
				.positional('topology', {type: 'string', describe: 'topology file (default: the showcase)'})
				.option('kernel', {type: 'string', describe: 'kernel semantics version, MAJOR.MINOR (overrides the topology)'})
				.option('patch', {type: 'string', array: true, describe: 'what-if patch to apply (repeatable)'})
				.option('walker', {type: 'string', array: true, describe: 'walker name or path to run (repeatable; default: all)'})
				.example('$0', 'the showcase topology, every walker')
				.example('$0 topologies/x86-pmem-fsdax-altmap.yaml --kernel 5.3', 'one topology at v5.3')
				.example('$0 --walker read_page_owner | cat', 'not a terminal: the headless audit'),
		async run(args, io) {
			if (!shouldDraw(io)) {
				return (deps.runHeadless ?? defaultRunHeadless)(args, io);
			}

			const request = dashboardRequest(args);
			const port = await (deps.loadPort ?? defaultLoadPort)(io);
			const draw = deps.runDashboard ?? (await import('../../ui/run-dashboard.js')).runDashboard;
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

/**
The drawn dashboard of `pfnaudit [topology]`, loaded by run() of ./dashboard.ts once it knows it
will draw: check the flags, load the port (the real engine: the dashboard shows only computed
results), check the request, and hand the screen to ink.
*/
import {checkPerPfnWork} from '../../engine/estimate.js';
import {parseFailOn} from '../../engine/fail-on.js';
import {buildModel} from '../../model/build.js';
import type {CategoryId} from '../../model/categories.js';
import {SHOWCASE_TOPOLOGY} from '../../paths.js';
import type {AuditRequest, DashboardPort} from '../../ui/port.js';
import {checkFlags, headlessOptionsFromArgs} from '../audit-args.js';
import type {Io} from '../command.js';
import {readCaptureTarballs, readTopology} from '../read-topology.js';
import {selectWalkers} from '../../walker/select.js';
import type {DashboardDeps} from './dashboard.js';

/** The audit options the dashboard honours besides the request (the same flags as `audit`). */
export type DashboardSettings = {
	readonly failOn: readonly CategoryId[];
	readonly phases: boolean;
	readonly mode: 'runs' | 'per-pfn';
	readonly timeLimitMs: number;
	readonly workers?: number;
};

async function defaultLoadPort(io: Io, settings: DashboardSettings): Promise<DashboardPort> {
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

/** Draw the dashboard (stdout is a terminal and no report was asked for). */
export async function drawDashboard(args: Record<string, unknown>, io: Io, deps: DashboardDeps): Promise<number> {
	const settings = dashboardSettings(args);
	const request = dashboardRequest(args);
	// ink and react take a while to load: let that overlap with loading the topology.
	const loading = deps.runDashboard ? undefined : import('../../ui/run-dashboard.js');
	loading?.catch(() => undefined);
	const port = await (deps.loadPort ?? defaultLoadPort)(io, settings);
	// The topology, kernel, patches and walkers are checked before the screen is taken.
	await port.check?.(request);
	if (settings.mode === 'per-pfn') {
		// As `audit --mode per-pfn` (source/engine/estimate.ts): a walk that cannot finish within
		// --timeout is refused before the screen is taken, not shown timing out as a bug.
		await readCaptureTarballs([request.topologyFile], io.cwd);
		const topology = readTopology(request.topologyFile, io, {...(request.kernel === undefined ? {} : {kernel: request.kernel}), patches: request.patches});
		const walkers = await selectWalkers(request.walkers, io.cwd, {timeLimitMs: settings.timeLimitMs, output: io.stderr});
		checkPerPfnWork([topology], walkers, settings.timeLimitMs, buildModel);
	}
	const draw = deps.runDashboard ?? (await loading!).runDashboard;
	return draw({
		port,
		request,
		stdout: io.stdout as NodeJS.WriteStream,
		stdin: io.stdin as NodeJS.ReadStream,
		stderr: io.stderr as NodeJS.WriteStream,
		env: io.env,
	});
}

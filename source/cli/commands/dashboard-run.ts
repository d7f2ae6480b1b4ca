/**
The drawn dashboard of `pfnaudit [topology]`, loaded by run() of ./dashboard.ts once it knows it
will draw: check the flags, load the port (the real engine: the dashboard shows only computed
results), check the request, and hand the screen to ink.
*/
import {Writable} from 'node:stream';
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

/**
The nice value of the audit's worker threads while the dashboard draws (AuditOptions.workerNice):
with as many workers as cores, a key's frame otherwise waits for a core behind the walk (issue
10: key-to-screen < 50 ms while a walk runs). At 10 a worker gets about a tenth of a core the
dashboard's thread wants (the kernel's sched_prio_to_weight[]: 110 against 1024), and all of an
idle one.
*/
export const DASHBOARD_WORKER_NICE = 10;

/** At most this much user-walker output is held while the screen is drawn; the rest is counted. */
export const HELD_OUTPUT_BYTES = 256 * 1024;

/**
What user walkers print (console.log in plan() or walk(), source/walker/isolate.ts and the pool's
workers) while ink owns the terminal: written to stderr it would tear the frame, so it is held
here and printed once the screen is given back, the first HELD_OUTPUT_BYTES of it.
*/
export class HeldOutput extends Writable {
	private readonly chunks: Buffer[] = [];
	private held = 0;
	private dropped = 0;

	override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
		const room = Math.max(0, HELD_OUTPUT_BYTES - this.held);
		this.chunks.push(bytes.subarray(0, room));
		this.held += Math.min(room, bytes.length);
		this.dropped += bytes.length - Math.min(room, bytes.length);
		done();
	}

	/** Print what was held (nothing when nothing was), with one line saying where it came from. */
	flushTo(stderr: NodeJS.WritableStream): void {
		if (this.held === 0 && this.dropped === 0) {
			return;
		}

		const more = this.dropped > 0 ? ` (the first ${HELD_OUTPUT_BYTES} bytes; ${this.dropped} more left out)` : '';
		const text = Buffer.concat(this.chunks).toString('utf8');
		stderr.write(`pfnaudit: what user walkers printed while the dashboard was drawn${more}:\n${text}${text.endsWith('\n') ? '' : '\n'}`);
		this.chunks.length = 0;
		this.held = 0;
		this.dropped = 0;
	}
}

async function defaultLoadPort(io: Io, settings: DashboardSettings, walkerOutput: NodeJS.WritableStream): Promise<DashboardPort> {
	const {loadRealPort} = await import('../../ui/real-port.js');
	return loadRealPort(io.cwd, {
		audit: {
			walkerOutput,
			failOn: settings.failOn,
			phases: settings.phases,
			mode: settings.mode,
			timeLimitMs: settings.timeLimitMs,
			workerNice: DASHBOARD_WORKER_NICE,
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
	const held = new HeldOutput();
	try {
		return await draw(args, io, deps, held);
	} finally {
		held.flushTo(io.stderr);
	}
}

async function draw(args: Record<string, unknown>, io: Io, deps: DashboardDeps, walkerOutput: HeldOutput): Promise<number> {
	const settings = dashboardSettings(args);
	const request = dashboardRequest(args);
	// ink and react take a while to load: let that overlap with loading the topology.
	const loading = deps.runDashboard ? undefined : import('../../ui/run-dashboard.js');
	loading?.catch(() => undefined);
	const port = await (deps.loadPort ?? defaultLoadPort)(io, settings, walkerOutput);
	// The screen is taken before the topology is read (issue 10: a 10 000-entry file takes a
	// second or more to read, check and build): the dashboard says what it loads, reads `q`
	// meanwhile, and gives the terminal back for the one sentence of a bad topology, kernel,
	// patch or walker (run-dashboard.tsx; exit 2).
	if (settings.mode === 'per-pfn') {
		await port.check?.(request);
		// As `audit --mode per-pfn` (source/engine/estimate.ts): a walk that cannot finish within
		// --timeout is refused before the screen is taken, not shown timing out as a bug.
		await readCaptureTarballs([request.topologyFile], io.cwd);
		const topology = readTopology(request.topologyFile, io, {...(request.kernel === undefined ? {} : {kernel: request.kernel}), patches: request.patches});
		const walkers = await selectWalkers(request.walkers, io.cwd, {timeLimitMs: settings.timeLimitMs, output: io.stderr});
		checkPerPfnWork([topology], walkers, settings.timeLimitMs, buildModel);
	}

	const drawn = deps.runDashboard ?? (await loading!).runDashboard;
	return drawn({
		port,
		request,
		stdout: io.stdout as NodeJS.WriteStream,
		stdin: io.stdin as NodeJS.ReadStream,
		stderr: io.stderr as NodeJS.WriteStream,
		env: io.env,
	});
}

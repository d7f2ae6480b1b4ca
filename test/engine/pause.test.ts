import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {PauseController, pausableTimeout} from '../../source/engine/pause.js';
import type {EngineEvent} from '../../source/engine/types.js';
import {isInternalError} from '../../source/errors/internal-error.js';
import {selectWalkers} from '../../source/walker/select.js';
import {MiB, topology} from '../helpers/topology.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', `${name}.ts`);
const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

// The topology of the pause tests, as test/helpers/fake-build.ts models it:
//
//   | boot RAM (ok) | hotplug, offline (C1) |          no memmap ...           |
//   0x0        0x8000                  0x10000                             2^36 ...
//
// slow_walker calls pfn_valid() at every pfn of [0, 2^36) in per-pfn mode: it cannot finish,
// its time limit ends it.
const t = topology({name: 'pause'}).boot(0, 128 * MiB).hotplug(128 * MiB, 128 * MiB, 'offline').build();

type Progress = Extract<EngineEvent, {type: 'progress'}>;

/** Progress events of one audit, and a promise for the first one with pfns visited. */
function recorder() {
	const events: EngineEvent[] = [];
	let first!: () => void;
	const firstProgress = new Promise<void>(resolve => {
		first = resolve;
	});
	return {
		events,
		progress: () => events.filter((event): event is Progress => event.type === 'progress'),
		firstProgress,
		onEvent(event: EngineEvent) {
			events.push(event);
			// The first progress with pfns visited (the pool's "started" one has none).
			if (event.type === 'progress' && event.pfns_visited > 0) {
				first();
			}
		},
	};
}

describe('pausing an audit in worker threads', () => {
	// A test that pauses slow_walker mid-pass for longer than its time limit (1.5 s, plus the
	// pool's 200 ms grace before it kills a worker), then resumes it. Expect no progress and
	// next to no CPU while paused; the walk goes on after resume from where it stopped; the
	// walker ends with its own cooperative timeout (the pool did not kill it while paused); and
	// neither the walker's nor the audit's elapsed time counts the pause.
	it('stops the walk without using CPU and resumes it; paused time is not walk time', async () => {
		const walkers = await selectWalkers([fixture('slow_walker')], process.cwd());
		const pause = new PauseController();
		const log = recorder();
		const started = performance.now();
		const audit = runAudit({topology: t, walkers, modelModule, workers: 1, mode: 'per-pfn', timeLimitMs: 1500, pause, onEvent: log.onEvent});
		await log.firstProgress;
		pause.pause();
		// Messages already posted before the worker saw the flag still arrive.
		await sleep(200);
		const seen = log.progress().length;
		const visitedAtPause = log.progress().at(-1)!.pfns_visited;
		const cpu = process.cpuUsage();
		const from = performance.now();
		await sleep(2000);
		const used = process.cpuUsage(cpu);
		const wall = performance.now() - from;
		expect(log.progress()).toHaveLength(seen);
		expect((used.user + used.system) / 1000).toBeLessThan(wall * 0.25);

		pause.resume();
		const report = await audit;
		const total = performance.now() - started;
		const [result] = report.walkers;
		expect(result).toMatchObject({name: 'slow_walker', status: 'timeout'});
		expect(result!.error).toMatch(/^slow_walker did not finish within 1\.5 s \(stopped at pfn 0x[\da-f]+, \d+ pfns visited\)$/);
		expect(log.progress().length).toBeGreaterThan(seen);
		expect(result!.pfns_visited).toBeGreaterThan(visitedAtPause);
		expect(result!.elapsed_ms).toBeLessThan(pause.pausedMs());
		expect(report.elapsed_ms).toBeLessThanOrEqual(Math.ceil(total - pause.pausedMs()) + 1);
		// pfns/s over walk time (elapsed_ms is rounded, hence the tolerance).
		expect((report.pfns_per_second * report.elapsed_ms) / 1000 / result!.pfns_visited).toBeCloseTo(1, 2);
	});

	// A test that pauses before the first job is handed out, then cancels. Expect no walker to
	// start (no progress) and both reported as cancelled.
	it('hands out no job while paused, and a cancel while paused ends the audit', async () => {
		const walkers = await selectWalkers([fixture('slow_walker'), fixture('ok_walker')], process.cwd());
		const pause = new PauseController();
		const controller = new AbortController();
		const log = recorder();
		const audit = runAudit({
			topology: t,
			walkers,
			modelModule,
			workers: 1,
			mode: 'per-pfn',
			pause,
			signal: controller.signal,
			onEvent(event) {
				if (event.type === 'start') {
					pause.pause();
				}

				log.onEvent(event);
			},
		});
		await sleep(500);
		expect(log.progress()).toHaveLength(0);
		controller.abort();
		const report = await audit;
		expect(report.walkers.map(walker => [walker.name, walker.status, walker.pfns_visited])).toEqual([
			['slow_walker', 'cancelled', 0],
			['ok_walker', 'cancelled', 0],
		]);
	});

	// A test that cancels while the worker is blocked in Atomics.wait mid-walk. Expect the audit
	// to end with the walker cancelled and its counts up to the pause.
	it('cancels a worker blocked by the pause', async () => {
		const walkers = await selectWalkers([fixture('slow_walker')], process.cwd());
		const pause = new PauseController();
		const controller = new AbortController();
		const log = recorder();
		const audit = runAudit({topology: t, walkers, modelModule, workers: 1, mode: 'per-pfn', pause, signal: controller.signal, onEvent: log.onEvent});
		await log.firstProgress;
		pause.pause();
		await sleep(200);
		controller.abort();
		const report = await audit;
		expect(report.walkers[0]).toMatchObject({status: 'cancelled', pfns_visited: log.progress().at(-1)!.pfns_visited});
		expect(report.walkers[0]!.pfns_visited).toBeGreaterThan(0);
	});

	it('refuses a pause with the in-process runner, whose thread could not be resumed', async () => {
		const walkers = await selectWalkers([fixture('ok_walker')], process.cwd());
		const error: unknown = await runAudit({topology: t, walkers, modelModule, runner: 'in-process', pause: new PauseController()}).catch((error_: unknown) => error_);
		expect(isInternalError(error)).toBe(true);
	});
});

describe('PauseController and pausableTimeout', () => {
	afterEach(() => {
		vi.useRealTimers();
	});

	it('counts paused time, is idempotent, and wakes waiters on resume', async () => {
		let now = 0;
		const pause = new PauseController(() => now);
		const changes: boolean[] = [];
		pause.onChange(paused => changes.push(paused));
		pause.pause();
		now = 100;
		pause.pause();
		expect(pause.pausedMs()).toBe(100);
		let woke = false;
		const waiting = pause.whenRunning().then(() => {
			woke = true;
		});
		await Promise.resolve();
		expect(woke).toBe(false);
		now = 250;
		pause.resume();
		pause.resume();
		await waiting;
		expect(woke).toBe(true);
		expect(pause.pausedMs()).toBe(250);
		expect(changes).toEqual([true, false]);
		expect(Atomics.load(new Int32Array(pause.buffer), 0)).toBe(0);
	});

	it('lets whenRunning() go on a cancel', async () => {
		const pause = new PauseController();
		pause.pause();
		const controller = new AbortController();
		const waiting = pause.whenRunning(controller.signal);
		controller.abort();
		await waiting;
		expect(pause.paused).toBe(true);
	});

	// A timeout of 1000 ms paused after 400 ms for 5000 ms. Expect it to fire 600 ms after the resume.
	it('stands still while paused', () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'performance']});
		const pause = new PauseController();
		const fire = vi.fn();
		pausableTimeout(pause, 1000, fire);
		vi.advanceTimersByTime(400);
		pause.pause();
		vi.advanceTimersByTime(5000);
		expect(fire).not.toHaveBeenCalled();
		pause.resume();
		vi.advanceTimersByTime(599);
		expect(fire).not.toHaveBeenCalled();
		vi.advanceTimersByTime(1);
		expect(fire).toHaveBeenCalledOnce();
	});

	it('starts suspended when armed during a pause, and can be cancelled', () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout', 'performance']});
		const pause = new PauseController();
		const fire = vi.fn();
		pause.pause();
		const cancel = pausableTimeout(pause, 100, fire);
		vi.advanceTimersByTime(1000);
		expect(fire).not.toHaveBeenCalled();
		pause.resume();
		vi.advanceTimersByTime(50);
		cancel();
		vi.advanceTimersByTime(1000);
		expect(fire).not.toHaveBeenCalled();
	});
});

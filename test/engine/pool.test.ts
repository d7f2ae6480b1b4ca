import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {EngineEvent} from '../../source/engine/types.js';
import {selectWalkers} from '../../source/walker/select.js';
import {builds, buildModel as countedBuild} from '../helpers/main-thread-build.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => path.join(here, 'fixtures', `${name}.ts`);
const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;

// The topology of the worker tests, as test/helpers/fake-build.ts models it:
//
//   | boot RAM (ok) | hotplug, offline (C1) | no memmap | reserve (C5) | free (metadata) | fsdax data (C2) |
//   0x0        0x8000                  0x10000     0x40000        0x40002           0x40202          0x80000
//
// max_pfn is 0x8000 (the end of boot RAM in the hand-made model).
const t = topology({name: 'workers'})
	.boot(0, 128 * MiB)
	.hotplug(128 * MiB, 128 * MiB, 'offline')
	.device('fsdax', 1 * GiB, 1 * GiB, {altmap: {reserve: 2, free: 0x1000}})
	.build();

describe('the worker pool', () => {
	// A test of --phases in two workers with a model builder that counts its calls and throws
	// off the main thread. Expect each of the four phase models built once, in this thread, and
	// both workers' results complete (they received the models built).
	it('builds each model once, in the audit\'s thread, and shares it with the workers', async () => {
		const walkers = await selectWalkers([fixture('sweep_walker'), fixture('ok_walker')], process.cwd());
		builds.length = 0;
		const report = await runAudit({topology: t, walkers, modelModule: new URL('../helpers/main-thread-build.ts', import.meta.url).href, buildModel: countedBuild, phases: true, workers: 2});
		expect([...builds].sort()).toEqual(['boot', 'final', 'memory[1]:added', 'memory[2]:added']);
		expect(report.walkers.map(walker => walker.status)).toEqual(['ok', 'ok']);
		expect(report.walkers[0]!.pfns_visited).toBe(4 * 0x8_0000);
	});

	// A test that runs five user walkers in two worker threads: one good, one that throws, one
	// that never returns from a step, one that looks at an undeclared pfn, one that ends its
	// thread. Expect each reported with its status and one sentence, and the good one complete,
	// planned in a worker thread.
	it('isolates walkers that throw, loop, break the contract or exit', async () => {
		const walkers = await selectWalkers(
			['ok_walker', 'throws_walker', 'loops_walker', 'peeks_walker', 'exits_walker'].map(name => fixture(name)),
			process.cwd(),
		);
		const events: EngineEvent[] = [];
		const report = await runAudit({
			topology: t,
			walkers,
			modelModule,
			workers: 2,
			timeLimitMs: 500,
			onEvent: event => events.push(event),
		});
		const byName = Object.fromEntries(report.walkers.map(walker => [walker.name, walker]));
		expect(byName.ok_walker).toMatchObject({status: 'ok', verdict: 'pass', pfns_visited: 0x8000, form: 'planned in the worker thread', builtin: false});
		expect(byName.ok_walker!.touches.ok).toBe(0x8000);
		expect(byName.throws_walker).toMatchObject({
			status: 'threw',
			verdict: 'error',
			error: 'throws_walker threw while stepping pfn 0x8000 in pass "[0, 2 * max_pfn)": page_zone() of an offline page',
		});
		expect(byName.loops_walker).toMatchObject({status: 'timeout', verdict: 'error', form: 'loops', error: 'loops_walker did not finish within 500 ms; its worker was stopped'});
		expect(byName.peeks_walker).toMatchObject({status: 'malformed', error: expect.stringContaining('peeks_walker looks at pfn 0x1 while stepping pfn 0x0')});
		expect(byName.exits_walker).toMatchObject({status: 'threw', error: 'exits_walker ended its worker thread (exit code 7)'});
		expect(report.verdict).toBe('fail');
		expect(report.walkers.map(walker => walker.name)).toEqual(['ok_walker', 'throws_walker', 'loops_walker', 'peeks_walker', 'exits_walker']);
		expect(events[0]).toMatchObject({type: 'start', phases: ['final']});
		expect(events.filter(event => event.type === 'walker-done')).toHaveLength(5);
		expect(events.at(-1)).toMatchObject({type: 'done'});
	});

	// A test of --phases with the hand-made replay: boot, memory[1]:added (the hot-added block),
	// memory[2]:added (the namespace), final. A sweep of [0, 0x80000) sees C1 from the second
	// phase on and the namespace (C5, metadata, C2) from the third. Expect per-phase results,
	// summed tallies, witnesses that carry the first phase exposing them (none repeated at
	// `final`, none for `ok`), and the same results from the in-process runner.
	it('audits every phase, in workers and in-process alike', async () => {
		const walkers = await selectWalkers([fixture('sweep_walker')], process.cwd());
		const options = {topology: t, walkers, modelModule, phases: true, workers: 2} as const;
		const inWorkers = await runAudit(options);
		const inProcess = await runAudit({...options, runner: 'in-process'});
		expect(inWorkers.phases).toEqual(['boot', 'memory[1]:added', 'memory[2]:added', 'final']);
		const [result] = inWorkers.walkers;
		expect(result!.by_phase!.map(phase => [phase.phase, phase.touches.ok, phase.touches.C1, phase.touches.C5])).toEqual([
			['boot', 0x8000, 0, 0],
			['memory[1]:added', 0x8000, 0x8000, 0],
			['memory[2]:added', 0x8000, 0x8000, 2],
			['final', 0x8000, 0x8000, 2],
		]);
		expect(result!.pfns_visited).toBe(4 * 0x8_0000);
		expect(result!.touches).toMatchObject({ok: 4 * 0x8000, C1: 3 * 0x8000, C5: 2 * 2, metadata: 2 * 0x1000, C2: 2 * (0x8_0000 - 0x4_1002)});
		expect(result!.witnesses.map(w => [w.category, w.phase, w.pfn])).toEqual([
			['C1', 'memory[1]:added', 0x8000],
			['C5', 'memory[2]:added', 0x4_0000],
			['metadata', 'memory[2]:added', 0x4_0002],
			['C2', 'memory[2]:added', 0x4_1002],
		]);
		expect(result!.witnesses[0]!.why).toBe(
			'sweep_walker → stable_page_flags reads page->flags of pfn 0x8000 at phase memory[1]:added: hot-added System RAM, not onlined: memmap poisoned by sparse_add_section (v6.12 guards with pfn_valid())',
		);
		// The form label names the thread that planned the walker: the one expected difference.
		const strip = (report: typeof inWorkers) => report.walkers.map(({elapsed_ms: _, form, ...rest}) => ({...rest, form: form.replace(/main|worker/, "?")}));
		expect(strip(inProcess)).toEqual(strip(inWorkers));
		expect(inWorkers.map.map(region => [region.label, region.category, region.start_pfn, region.end_pfn]).slice(0, 6)).toEqual([
			['boot@0x0', 'ok', 0, 0x8000],
			['hotplug@0x8000000', 'C1', 0x8000, 0x1_0000],
			['no memmap', 'unbacked', 0x1_0000, 0x4_0000],
			['fsdax@0x40000000 reserve', 'C5', 0x4_0000, 0x4_0002],
			['fsdax@0x40000000 free', 'metadata', 0x4_0002, 0x4_1002],
			['fsdax@0x40000000', 'C2', 0x4_1002, 0x8_0000],
		]);
	});

	it('reports what did not finish as cancelled when the signal aborts', async () => {
		const walkers = await selectWalkers([fixture('loops_walker'), fixture('ok_walker')], process.cwd());
		const controller = new AbortController();
		const report = await runAudit({
			topology: t,
			walkers,
			modelModule,
			workers: 1,
			onEvent(event) {
				if (event.type === 'start') {
					setTimeout(() => controller.abort(), 200);
				}
			},
			signal: controller.signal,
		});
		expect(report.walkers.map(walker => [walker.name, walker.status])).toEqual([
			['loops_walker', 'cancelled'],
			['ok_walker', 'cancelled'],
		]);
	});
});

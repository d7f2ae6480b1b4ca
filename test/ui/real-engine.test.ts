/**
The real engine behind the dashboard: topologies loaded and checked, audits in worker threads
streamed as sessions (replay, pause, cancel), explain and the topology list.
*/
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../source/engine/types.js';
import {isInputError} from '../../source/errors/input-error.js';
import {SHOWCASE_TOPOLOGY, TOPOLOGIES_DIR} from '../../source/paths.js';
import {buildModel} from '../../source/model/build.js';
import {createRealEngine, metaOf, topologyPath} from '../../source/ui/real-engine.js';
import {AuditCancelled, EventLog} from '../../source/ui/real-session.js';
import {RunStore} from '../../source/ui/state/run-store.js';
import {generateTopology} from '../../bench/topology-gen.js';

const cwd = path.resolve(TOPOLOGIES_DIR, '..');
const sleep = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
const QEMU = path.join(TOPOLOGIES_DIR, 'x86-qemu-holes.yaml');

/** buildModel() that counts its calls (how many times an engine built a model). */
function countingBuilds(): {builds: number; build: typeof buildModel} {
	const counter = {
		builds: 0,
		build: ((topology, options) => {
			counter.builds++;
			return buildModel(topology, options);
		}) as typeof buildModel,
	};
	return counter;
}

function progress(walker: string, visited: number, pfns: number[]): EngineEvent {
	const tally = {ok: visited} as Record<string, number>;
	return {
		type: 'progress',
		walker,
		phase: 'final',
		pfns_visited: visited,
		fraction: 0.5,
		touches: tally as never,
		failing: {} as never,
		witnesses: pfns.map(pfn => ({category: 'ok', pfn, section_nr: 0, chain: ['w'], fields: ['flags'], access: 'read', why: '', phase: 'final', failing: false})),
	};
}

describe('the event log a late listener is replayed', () => {
	it('folds a walker\'s progress into one event with every witness so far', () => {
		const log = new EventLog();
		log.add({type: 'start', walkers: [{name: 'a', models: '', form: ''}, {name: 'b', models: '', form: ''}], phases: ['final']});
		log.add(progress('a', 10, [1]));
		log.add(progress('b', 5, [7]));
		log.add(progress('a', 20, [2, 3]));
		log.add(progress('a', 30, []));
		const replayed: EngineEvent[] = [];
		log.replay(event => replayed.push(event));
		expect(log.length).toBe(3);
		expect(replayed.map(event => (event.type === 'progress' ? [event.walker, event.pfns_visited, event.witnesses.map(w => w.pfn)] : event.type))).toEqual([
			'start',
			['a', 30, [1, 2, 3]],
			['b', 5, [7]],
		]);
	});
});

describe('the real engine', () => {
	it('keeps paths inside the working directory relative, as a user types them', () => {
		expect(topologyPath(process.cwd(), 'topologies/showcase.yaml')).toBe(path.join('topologies', 'showcase.yaml'));
		expect(topologyPath(process.cwd(), '/etc/x.yaml')).toBe('/etc/x.yaml');
	});

	// A test that audits a small built-in topology with one walker in a worker thread. Expect the
	// meta from the main thread's model (name, arch, kernel, geometry, the memory strip), events
	// replayed to a listener that subscribes after the audit ended, and the same rows from the
	// replay as from the report.
	it('runs an audit in workers, with meta at once and events replayed to late listeners', async () => {
		const engine = createRealEngine({cwd, audit: {workers: 1}});
		const session = await engine.startAudit({topologyFile: QEMU, patches: [], walkers: ['kpageflags_read']});
		expect(session.meta).toMatchObject({topology: {name: 'x86-qemu-holes'}, arch: 'x86_64', phases: ['final']});
		expect(session.meta.geometry.PAGE_SHIFT).toBe(12);
		expect(session.meta.map.length).toBeGreaterThan(2);
		expect(session.meta.map[0]!.start_pfn).toBe(0);
		const report = await session.done;
		expect(report.walkers.map(walker => [walker.name, walker.status])).toEqual([['kpageflags_read', 'ok']]);
		expect(report.map).toEqual(session.meta.map);

		const late = new RunStore();
		const unsubscribe = session.onEvent(event => late.apply(event));
		unsubscribe();
		const {rows, report: replayed} = late.snapshot();
		expect(replayed).toEqual(report);
		expect(rows.map(row => [row.name, row.status, row.pfns_visited, row.touches])).toEqual([['kpageflags_read', 'ok', report.walkers[0]!.pfns_visited, report.walkers[0]!.touches]]);
	});

	it('rejects a bad topology, kernel or walker with one InputError sentence before starting', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'pfnaudit-engine-'));
		writeFileSync(path.join(directory, 'bad.yaml'), 'name: bad\narch: x86_64\nkernel: "6.12"\nmemory: nope\n');
		const engine = createRealEngine({cwd: directory});
		const failures = [
			{topologyFile: 'bad.yaml', patches: []},
			{topologyFile: 'missing.yaml', patches: []},
			{topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.11', patches: []},
			{topologyFile: SHOWCASE_TOPOLOGY, patches: [], walkers: ['no_such_walker']},
		];
		for (const request of failures) {
			const error: unknown = await engine.startAudit(request).catch((error_: unknown) => error_);
			expect(isInputError(error), String(error)).toBe(true);
			expect((error as {format(): string}).format()).not.toContain('\n');
		}

		// The showcase's 512M hotplug entry, found in the file: the error names its line, the column
		// of its value and its index in memory[].
		const lines = readFileSync(SHOWCASE_TOPOLOGY, 'utf8').split('\n');
		const line = lines.findIndex(text => /^ +size: 512M$/.test(text));
		const index = lines.slice(0, line).filter(text => /^ {2}- kind: /.test(text)).length - 1;
		const column = lines[line]!.indexOf('512M') + 1;
		const showcase = await engine.startAudit({topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.11', patches: []}).catch((error: {format(): string}) => error.format());
		expect(showcase).toContain(`showcase.yaml:${line + 1}:${column}: memory[${index}].size 512M is not aligned to the memory block size 1 GiB`);
	});

	it('tells the patches the topology file applies from the ones asked for', async () => {
		const engine = createRealEngine({cwd});
		const prepared = await engine.prepare({topologyFile: SHOWCASE_TOPOLOGY, patches: ['arm64-pfn-valid-v2']});
		expect(prepared.filePatches).toEqual(['arm64-pfn-valid-v2']);
		expect(prepared.topology.patches).toEqual(['arm64-pfn-valid-v2']);
		const qemu = await engine.prepare({topologyFile: QEMU, patches: []});
		expect(qemu.filePatches).toEqual([]);
	});

	it('starts the audit it was asked to check without loading and building it again', async () => {
		const counting = countingBuilds();
		const engine = createRealEngine({cwd, audit: {workers: 1, buildModel: counting.build}});
		const request = {topologyFile: QEMU, patches: [], walkers: ['kpageflags_read']};
		const prepared = await engine.prepare(request);
		expect(counting.builds).toBe(1);
		const session = await engine.startAudit(request);
		expect(counting.builds).toBe(1);
		expect(session.meta.map).toEqual(metaOf(prepared.model).map);
		session.cancel();
		await session.done.catch(() => undefined);
		// Only the first start reuses the check.
		const again = await engine.startAudit(request);
		expect(counting.builds).toBe(2);
		again.cancel();
		await again.done.catch(() => undefined);
	});

	// A test of loading for the drawn dashboard (StartOptions) with a model builder that counts its
	// calls: the x86-qemu-holes topology (3 memory entries). Expect the stages reading, building
	// (with the file's entry count) and starting, in that order, then the session; and, aborted
	// when told it builds, AuditCancelled with the model never built.
	it('tells the stages of loading and stops between them when aborted', async () => {
		const counting = countingBuilds();
		const engine = createRealEngine({cwd, audit: {workers: 1, buildModel: counting.build}});
		const request = {topologyFile: QEMU, patches: [], walkers: ['kpageflags_read']};
		const entries = (await engine.prepare(request)).topology.memory.length;
		counting.builds = 0;
		const stages: string[] = [];
		const session = await engine.startAudit({...request, kernel: '6.12'}, {signal: new AbortController().signal, onStage: stage => stages.push(`${stage.step}${stage.entries === undefined ? '' : ` ${stage.entries}`}`)});
		expect(stages).toEqual(['reading', `building ${entries}`, 'starting']);
		expect(counting.builds).toBe(1);
		session.cancel();
		await session.done.catch(() => undefined);

		counting.builds = 0;
		const controller = new AbortController();
		const stopped = await engine
			.startAudit(request, {
				signal: controller.signal,
				onStage(stage) {
					if (stage.step === 'building') {
						controller.abort();
					}
				},
			})
			.catch((error: unknown) => error);
		expect(stopped).toBeInstanceOf(AuditCancelled);
		expect(counting.builds).toBe(0);
	});

	// A test of loading a generated 1 000-entry topology (bench/topology-gen.ts, some 70 KiB, from
	// STAGED_BYTES on) for the drawn dashboard, with a setImmediate() asked for when each stage is
	// told. Expect each to run before the next stage is told (the thread is given back to the
	// screen and the keys before each stage's work), and for the 3-entry x86-qemu-holes topology
	// none to run before the walk is started (a small file is not held up).
	it('gives the thread back between the stages of a large file only', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-stages-'));
		const file = path.join(dir, 'scale-1000.yaml');
		writeFileSync(file, generateTopology(1000).yaml);
		const engine = createRealEngine({cwd, audit: {workers: 1}});
		for (const [topologyFile, expected] of [
			[file, ['reading', 'given back', 'building 1000', 'given back', 'starting', 'given back']],
			[QEMU, ['reading', 'building 3', 'starting']],
		] as const) {
			const seen: string[] = [];
			const session = await engine.startAudit(
				{topologyFile, patches: [], walkers: ['kpageflags_read']},
				{
					signal: new AbortController().signal,
					onStage(stage) {
						seen.push(`${stage.step}${stage.entries === undefined ? '' : ` ${stage.entries}`}`);
						setImmediate(() => seen.push('given back'));
					},
				},
			);
			expect(seen.slice(0, expected.length)).toEqual(expected);
			session.cancel();
			await session.done.catch(() => undefined);
		}
	}, 60_000);

	// A test that pauses a long per-pfn walk through the session, then cancels it. Expect no
	// progress while paused, progress again after resume, and `done` rejecting with
	// AuditCancelled after cancel, with no event delivered afterwards.
	//
	// The walk must outlast the test however fast the machine is: kpageflags_read per pfn over the
	// showcase ends in well under a second once warm (it did, between the first progress event and
	// pause(), and the wait for progress after resume then never ended). Per pfn over the 64 TiB
	// topology (2^34 pfns) it runs for minutes; the test cancels it.
	it('pauses, resumes and cancels a session', async () => {
		const engine = createRealEngine({cwd, audit: {workers: 1, mode: 'per-pfn', timeLimitMs: 600_000, progressIntervalMs: 50}});
		const session = await engine.startAudit({topologyFile: path.join(TOPOLOGIES_DIR, 'x86-64tib-5level.yaml'), patches: [], walkers: ['kpageflags_read']});
		const events: EngineEvent[] = [];
		session.onEvent(event => events.push(event));
		const count = () => events.filter(event => event.type === 'progress').length;
		const finished = () => events.some(event => event.type === 'walker-done' || event.type === 'done');
		const until = async (what: string, check: () => boolean) => {
			const started = Date.now();
			while (!check()) {
				expect(finished(), `the walk ended while waiting for ${what}`).toBe(false);
				expect(Date.now() - started, `waiting for ${what}`).toBeLessThan(20_000);
				await sleep(20);
			}
		};

		await until('the first progress event', () => count() > 0);
		session.pause();
		// A worker stops at its next chunk boundary: let the chunk in flight report.
		await sleep(300);
		const paused = count();
		await sleep(700);
		expect(count()).toBe(paused);
		session.resume();
		await until('progress after resume', () => count() > paused);

		session.cancel();
		const seen = events.length;
		const error: unknown = await session.done.catch((error_: unknown) => error_);
		expect(error).toBeInstanceOf(AuditCancelled);
		await sleep(200);
		expect(events).toHaveLength(seen);
		expect(finished()).toBe(false);
	});

	// A test that explains a witness pfn of the showcase: memory_failure's C4 touch at pfn
	// 0x400000 (a devdax range stopped before memmap_init_zone_device()). Expect the explain text
	// at the run's kernel and patches, naming the pfn and category C4.
	it('explains a pfn at the run\'s kernel, patches and the witness\'s phase', async () => {
		const engine = createRealEngine({cwd});
		const lines = await engine.explain({topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.12', patches: ['arm64-pfn-valid-v2'], pfn: 0x40_0000});
		expect(lines[0]).toBe('showcase (arm64-4k, v5.12 +arm64-pfn-valid-v2, phase final)');
		expect(lines[2]).toMatch(/^\s*0x400000\s+0x400000000\s+0x80\s+.*C4$/);
		expect(lines.at(-1)).not.toBe('');
		const newer = await engine.explain({topologyFile: SHOWCASE_TOPOLOGY, kernel: '6.12', patches: [], pfn: 0x40_0000});
		expect(newer[0]).toBe('showcase (arm64-4k, v6.12 +arm64-pfn-valid-v2, phase final)');
		// A witness found at an earlier phase (--phases) is explained at that phase: at boot the
		// devdax range is not there yet.
		const boot = await engine.explain({topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.12', patches: [], pfn: 0x40_0000, phase: 'boot'});
		expect(boot[0]).toBe('showcase (arm64-4k, v5.12 +arm64-pfn-valid-v2, phase boot)');
		expect(boot[2]).toMatch(/unbacked$/);
	});

	it('lists the built-in topologies with arch and kernel, then the files the user named', async () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'pfnaudit-engine-'));
		const mine = path.join(directory, 'mine.yaml');
		writeFileSync(mine, 'name: mine\ndescription: My machine.\narch: x86_64\nkernel: "6.1"\nmemory:\n  - {kind: boot, start: 0, size: 1G}\n');
		const engine = createRealEngine({cwd: directory, builtins: () => [{name: 'showcase', file: SHOWCASE_TOPOLOGY, description: 'The default topology.'}]});
		await engine.prepare({topologyFile: 'mine.yaml', patches: []});
		await engine.prepare({topologyFile: SHOWCASE_TOPOLOGY, patches: []});
		expect(await engine.listTopologies()).toEqual([
			{name: 'showcase', file: SHOWCASE_TOPOLOGY, description: 'The default topology.', arch: 'arm64-4k', kernel: '5.15'},
			{name: 'mine', file: mine, description: 'My machine.', arch: 'x86_64', kernel: '6.1'},
		]);
	});
});

import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {optimizingInWorkerThreads} from '../../source/engine/pool.js';
import {selectWalkers} from '../../source/walker/select.js';
import {MiB, topology} from '../helpers/topology.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;

// One boot bank, [0, 0x8000): ok_walker reads page->flags of each pfn.
const t = topology({name: 'foreground'}).boot(0, 128 * MiB).build();

// This file runs in a process of its own (vitest's forks pool): V8's flags are the process's.
describe('the walk\'s workers compile optimized code in their own threads', () => {
	// A test of an in-process audit, then an audit in one worker thread. Expect V8's concurrent
	// recompilation left on by the in-process audit (the thread that draws the dashboard keeps its
	// background compiles), and turned off before the worker starts (source/engine/pool.ts
	// optimizeInWorkerThreads()): the walk's workers warm the same engine code on every core, and a
	// background compile would compete with them for one.
	it('turns concurrent recompilation off when the first worker starts, not before', async () => {
		const walkers = await selectWalkers([path.join(here, 'fixtures', 'ok_walker.ts')], process.cwd());
		const inProcess = await runAudit({topology: t, walkers, modelModule, runner: 'in-process'});
		expect(inProcess.walkers[0]?.status).toBe('ok');
		expect(optimizingInWorkerThreads()).toBe(false);
		const inWorker = await runAudit({topology: t, walkers, modelModule, workers: 1});
		expect(inWorker.walkers[0]?.status).toBe('ok');
		expect(optimizingInWorkerThreads()).toBe(true);
	});
});

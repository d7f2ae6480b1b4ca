/**
source/engine/inlining.ts: a walk in runs mode in workers compiles with a smaller inlining budget,
and a per-pfn walk with V8's default.
*/
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {setFlagsFromString} from 'node:v8';
import {describe, expect, it, vi} from 'vitest';
import {MiB, topology} from '../helpers/topology.js';

vi.mock('node:v8', async importOriginal => {
	const v8 = await importOriginal<typeof import('node:v8')>();
	return {...v8, setFlagsFromString: vi.fn(v8.setFlagsFromString)};
});

const {runAudit} = await import('../../source/engine/audit.js');
const {selectWalkers} = await import('../../source/walker/select.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;
const flags = vi.mocked(setFlagsFromString);

// One boot bank, [0, 0x8000): ok_walker reads page->flags of each pfn.
const t = topology({name: 'inlining'}).boot(0, 128 * MiB).build();

/** The inlining budgets set so far, in order. */
function budgets(): string[] {
	return flags.mock.calls.map(call => call[0]).filter(flag => flag.startsWith('--max-inlined-bytecode-size-cumulative='));
}

// This file runs in a process of its own (vitest's forks pool): V8's flags are the process's.
describe('the inlining budget of a walk in workers (source/engine/pool.ts inlineForMode())', () => {
	// A test of an audit in runs mode in one worker, then one per pfn. Expect the smaller budget set
	// before the runs-mode worker starts, and V8's default set back before the per-pfn one: a per-pfn
	// walk calls its step once a pfn and needs the inlining.
	it('lowers the budget for a runs-mode walk and sets the default back for a per-pfn walk', async () => {
		const walkers = await selectWalkers([path.join(here, 'fixtures', 'ok_walker.ts')], process.cwd());
		const runs = await runAudit({topology: t, walkers, modelModule, workers: 1, mode: 'runs'});
		expect(runs.walkers[0]?.status).toBe('ok');
		expect(budgets()).toEqual(['--max-inlined-bytecode-size-cumulative=200']);
		const perPfn = await runAudit({topology: t, walkers, modelModule, workers: 1, mode: 'per-pfn'});
		expect(perPfn.walkers[0]?.status).toBe('ok');
		expect(budgets()).toEqual(['--max-inlined-bytecode-size-cumulative=200', '--max-inlined-bytecode-size-cumulative=920']);
	});
});

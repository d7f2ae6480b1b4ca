/**
Issue 11 item 9, the other half: a per-pfn walk that passed the up-front estimate and then runs
out of --timeout anyway (a slower machine than PER_PFN_CEILING assumes) is a consequence of the
mode, exit 2 with the mode named — never "a bug in pfnaudit" (exit 3).

Whether a real walk outlasts a limit just above its estimate depends on the machine's speed, so
the estimate is set aside here (its refusals are tested in per-pfn.test.ts) and the walk is one
that cannot finish: memory_failure steps 2^36 pfns of the showcase.
*/
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {run} from './harness.js';

vi.mock('../../source/engine/estimate.js', async importOriginal => ({
	...(await importOriginal<typeof import('../../source/engine/estimate.js')>()),
	checkPerPfnWork() {
		// Set aside: let every per-pfn audit start.
	},
}));

describe('a per-pfn time-out after the estimate let the walk start', () => {
	// The showcase, memory_failure in per-pfn mode, --timeout 0.05: 2^36 steps cannot finish.
	// Expect exit 2, one sentence naming the walker, the limit and the mode as the reason, and
	// the report still written with the walker's status 'timeout'.
	it('reports it as the mode, exit 2', async () => {
		const result = await run(['audit', path.join('topologies', 'showcase.yaml'), '--mode', 'per-pfn', '--walker', 'memory_failure', '--timeout', '0.05']);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^pfnaudit: memory_failure did not finish within 50 ms [^\n]*\(per-pfn mode steps every pfn; use --mode runs for the same tallies, or raise --timeout\)\n$/);
		expect(result.stderr).not.toContain('a bug in pfnaudit');
		expect(JSON.parse(result.stdout)).toMatchObject({walkers: [{name: 'memory_failure', status: 'timeout'}]});
	}, 30_000);
});

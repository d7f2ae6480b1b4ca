import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {runCli} from './harness.js';

// A built-in catalog with one walker that throws at the first pfn without a memmap (0x8000,
// where boot RAM ends): a bug in pfnaudit itself.
vi.mock('../../walkers/index.js', () => ({
	BUILTIN_WALKERS: [
		{
			name: 'broken_builtin',
			models: 'mm/test.c:broken_builtin()',
			trigger: 'test',
			reachability: 'root',
			shape: 'test',
			fields: [],
			history: [{since: '4.13', guard: 'none', confidence: 'A'}],
			plan: () => ({
				label: 'broken',
				guard: 'has no guard',
				passes: [
					{
						label: 'around the end of boot RAM',
						ranges: [{start: 0x7ff0, end: 0x8010}],
						direction: 'up',
						stride: 1,
						step(ctx: {pfn_valid(pfn: number): boolean}, pfn: number) {
							if (!ctx.pfn_valid(pfn)) {
								throw new RangeError('index out of range');
							}
						},
					},
				],
			}),
		},
	],
}));

describe('pfnaudit audit with a broken built-in walker', () => {
	// Expect exit 3 (internal error), the report still written, and a stderr line that asks for a
	// bug report.
	it('exits 3', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-cli3-'));
		writeFileSync(path.join(cwd, 't.json'), JSON.stringify({name: 't', entries: [{kind: 'boot', start: 0, size: 2 ** 27}]}));
		const run = await runCli(['audit', 't.json'], {cwd});
		expect(run.code).toBe(3);
		expect(run.stderr).toBe(
			'pfnaudit: broken_builtin threw while stepping pfn 0x8000 in pass "around the end of boot RAM": index out of range (a bug in pfnaudit: please report it with the topology)\n',
		);
		expect(JSON.parse(run.stdout)).toMatchObject({verdict: 'fail', walkers: [{name: 'broken_builtin', verdict: 'error', pfns_visited: 0x10}]});
	});
});

/**
Issue 11 item 9: `audit topologies/x86-64tib-5level.yaml --mode per-pfn` ran 9 minutes and
exited 3 with 17 walkers "did not finish within 60 s … a bug in pfnaudit". The work of a
per-pfn audit is known before it starts (every point of every pass is a step): expect a refusal
up front with the numbers and the ways out, and a per-pfn time-out that does happen to be exit 2
with the mode named, never "a bug in pfnaudit".
*/
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import {exitCodeFor} from '../../source/cli/headless.js';
import {formatDuration, PER_PFN_CEILING} from '../../source/engine/estimate.js';
import type {AuditReport} from '../../source/engine/types.js';
import {createDashboardCommand} from '../../source/cli/commands/dashboard.js';
import {createFakePort} from '../ui/fake/index.js';
import {inProcessCommands, run, Sink, STACK_FRAME} from './harness.js';

const topology = (name: string) => path.join('topologies', `${name}.yaml`);

describe('per-pfn work estimated before the audit', () => {
	// 2^52 bytes of address space: memory_failure steps 2^40 pfns (1.1e12), an hour and a half
	// even at PER_PFN_CEILING. Expect exit 2 at once, naming the walker, the count, the time and
	// --mode runs / --walker / --timeout; no report.
	it('refuses the 64 TiB 5-level topology at once', async () => {
		const started = performance.now();
		const result = await run(['audit', topology('x86-64tib-5level'), '--mode', 'per-pfn']);
		expect(performance.now() - started).toBeLessThan(15_000);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).not.toMatch(STACK_FRAME);
		const seconds = 2 ** 40 / PER_PFN_CEILING;
		// How many other walkers are past the limit grows with the catalog: the sentence names the count.
		const others = /\(and (\d+) more walkers past the limit\)/.exec(result.stderr);
		expect(Number(others?.[1])).toBeGreaterThanOrEqual(15);
		expect(result.stderr).toBe(
			`pfnaudit: --mode per-pfn would step 1.1e12 pfns in memory_failure (and ${others?.[1]} more walkers past the limit) on x86-64tib-5level: at least ${formatDuration(seconds)} at the fastest per-pfn rate (${PER_PFN_CEILING / 1e6}M pfns/s), past --timeout 60 s; use --mode runs (the same tallies, far faster), pick walkers that fit with --walker (such as damon_get_folio, set_zone_contiguous), or raise --timeout above ${Math.ceil(seconds)}\n`,
		);
	}, 20_000);

	// kpageflags_read over the showcase's boot RAM (9437184 pfns) fits in --timeout 120: the
	// refusal follows the user's limit and the walkers chosen, not the topology alone. Expect
	// the audit to run (exit 0).
	it('lets a walker that fits run', async () => {
		const result = await run(['audit', topology('showcase'), '--mode', 'per-pfn', '--walker', 'kpageflags_read', '--timeout', '120']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
	}, 60_000);

	it('formats durations a reader can take in', () => {
		expect(formatDuration(1.1e12 / 100e6)).toBe('3.1 hours');
		expect(formatDuration(687)).toBe('11 min');
		expect(formatDuration(59.2)).toBe('60 s');
		expect(formatDuration(5 * 86_400)).toBe('5 days');
	});
});

describe('per-pfn work in compare', () => {
	// `compare showcase --kernel 6.1 --kernel 6.12 --mode per-pfn`: two whole audits per pfn,
	// memory_failure alone 2^36 pfns in each. Expect the same refusal, before any column runs.
	it('refuses before auditing the columns', async () => {
		const result = await run(['compare', topology('showcase'), '--kernel', '6.1', '--kernel', '6.12', '--mode', 'per-pfn']);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^pfnaudit: --mode per-pfn would step 6\.9e10 pfns in memory_failure .* on showcase: /);
	}, 20_000);
});

describe('per-pfn work in the drawn dashboard', () => {
	// `pfnaudit topologies/x86-64tib-5level.yaml --mode per-pfn` on a terminal: the same
	// refusal before the screen is taken. Expect exit 2 and the dashboard never drawn.
	it('refuses before drawing', async () => {
		const runDashboard = vi.fn(async () => 0);
		// The port's own checks pass (a stand-in); the estimate is the command's.
		const dashboard = createDashboardCommand({runDashboard, loadPort: async () => ({...createFakePort({cwd: '/tmp'}), check: async () => undefined})});
		const commands = inProcessCommands().map(command => (command.command === dashboard.command ? dashboard : command));
		const result = await run([topology('x86-64tib-5level'), '--mode', 'per-pfn'], {stdout: new Sink(true), commands});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^pfnaudit: --mode per-pfn would step 1\.1e12 pfns in memory_failure /);
		expect(runDashboard).not.toHaveBeenCalled();
	}, 20_000);
});

describe('a --timeout below the default', () => {
	// Found by test/hostile/fuzz-argv.test.ts: `--timeout 0.001 --phases` stopped
	// pfn_range_valid_contig in runs mode and exited 3 "a bug in pfnaudit". A limit the user set
	// below the default is the user's. A built-in walker stopped by the time limit: expect exit 2
	// in per-pfn mode or below the default limit, and 3 (a bug) only in runs mode at the default.
	const report = (mode: 'runs' | 'per-pfn') =>
		({mode, walkers: [{name: 'kpageflags_read', builtin: true, status: 'timeout', verdict: 'error'}]}) as unknown as AuditReport;
	it('is exit 2 when the limit was the user\'s, 3 otherwise', () => {
		expect(exitCodeFor([report('runs')], 1)).toBe(2);
		expect(exitCodeFor([report('per-pfn')], 60_000)).toBe(2);
		expect(exitCodeFor([report('runs')], 60_000)).toBe(3);
		expect(exitCodeFor([report('runs')])).toBe(3);
	});
});

/**
`pfnaudit bisect`: the releases where a walker's verdict (or count) changes, with the commits of
the walker's and the model's history at each, on the pmem topology (two namespaces with altmaps).
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createBisectCommand} from '../../source/cli/commands/bisect.js';
import {bisect} from '../../source/compare/bisect.js';
import type {AuditReport, WalkerResult} from '../../source/engine/types.js';
import {emptyTally} from '../../source/engine/tally.js';
import {runCli} from '../cli/harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOPOLOGY = path.join(ROOT, 'topologies/pmem-fsdax-devdax.yaml');

type Json = {
	walker: string;
	category: string | null;
	transitions: Array<{from: string; to: string; before: string | number; after: string | number; commits: Array<{id?: string; in: string; release: string}>}>;
	values: Array<{kernel: string; value: string | number}>;
	skipped: Array<{kernel: string; why: string}>;
};

async function run(args: string[]): Promise<Json> {
	const result = await runCli(['bisect', TOPOLOGY, ...args, '--format', 'json'], {cwd: ROOT, commands: [createBisectCommand()]});
	expect(result.stderr).toBe('');
	expect(result.code).toBe(0);
	return JSON.parse(result.stdout) as Json;
}

describe('pfnaudit bisect', () => {
	// A test that bisects three walkers over v4.13..v6.18 on the pmem topology, whose 2 MiB-aligned
	// namespaces cannot be mapped before v5.3 (section alignment).
	//
	//   release:  v4.13 .. v5.2 | v5.3 | v5.4 .. v5.11 | v5.12 .. v6.16 | v6.17 ..
	//             (skipped)
	//
	// Expect kpageflags_read fail -> pass at v5.4 (aad5f69bc161, pfn_to_online_page()),
	// memory_failure fail -> pass at v5.12 and its metadata count to 0 there (34dc45be4563,
	// pgmap_pfn_valid()), unpoison_memory fail -> pass at v6.17 (d613f53c83ec), each the only
	// transition of its walker, the releases before v5.3 listed as skipped with the reason.
	it('finds the v5.4, v5.12 and v6.17 transitions with their commits', async () => {
		const kpage = await run(['--walker', 'kpageflags_read']);
		expect(kpage.transitions.map(t => [t.from, t.to, t.before, t.after])).toEqual([['v5.3', 'v5.4', 'fail', 'pass']]);
		expect(kpage.transitions[0]!.commits).toContainEqual(expect.objectContaining({id: 'aad5f69bc161', in: 'walker', release: '5.4'}));
		expect(kpage.skipped.map(s => s.kernel)).toEqual(['v4.13', 'v4.14', 'v4.15', 'v4.16', 'v4.17', 'v4.18', 'v4.19', 'v4.20', 'v5.0', 'v5.1', 'v5.2']);
		expect(kpage.skipped[0]!.why).toMatch(/not section aligned/);
		expect(kpage.values[0]).toEqual({kernel: 'v5.3', value: 'fail'});
		expect(kpage.values.at(-1)).toEqual({kernel: 'v6.18', value: 'pass'});

		const failure = await run(['--walker', 'memory_failure']);
		expect(failure.transitions.map(t => [t.from, t.to, t.before, t.after])).toEqual([['v5.11', 'v5.12', 'fail', 'pass']]);
		expect(failure.transitions[0]!.commits).toContainEqual(expect.objectContaining({id: '34dc45be4563', in: 'walker'}));
		expect(failure.transitions[0]!.commits).toContainEqual(expect.objectContaining({id: '9f9b02e5b346', in: 'model'}));

		const metadata = await run(['--walker', 'memory_failure', '--category', 'metadata']);
		expect(metadata.category).toBe('metadata');
		expect(metadata.transitions).toHaveLength(1);
		expect(metadata.transitions[0]).toMatchObject({from: 'v5.11', to: 'v5.12', after: 0});
		expect(metadata.transitions[0]!.before).toBeGreaterThan(0);

		const unpoison = await run(['--walker', 'unpoison_memory']);
		expect(unpoison.transitions.map(t => [t.from, t.to, t.before, t.after])).toEqual([['v6.16', 'v6.17', 'fail', 'pass']]);
		expect(unpoison.transitions[0]!.commits).toEqual([expect.objectContaining({id: 'd613f53c83ec', in: 'walker', release: '6.17'})]);
	});

	// A test that gives an unknown category. Expect exit 2 and one sentence listing the ids.
	it('refuses an unknown category', async () => {
		const result = await runCli(['bisect', TOPOLOGY, '--walker', 'kpageflags_read', '--category', 'C9'], {cwd: ROOT, commands: [createBisectCommand()]});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/--category C9 is not a category id/);
	});
});

function report(kernel: string, verdict: 'pass' | 'fail'): AuditReport {
	const walker = {name: 'w', form: `form ${verdict}`, status: 'ok', verdict, touches: emptyTally(), failing: emptyTally()} as unknown as WalkerResult;
	return {kernel, arch: 'x86_64', topology: {name: 't', file: 't.yaml', description: ''}, patches: [], walkers: [walker]} as unknown as AuditReport;
}

describe('bisect()', () => {
	// A test that feeds releases whose verdict changes and changes back, with a release skipped in
	// between:  v5.3 pass | v5.4 fail | v5.5 (skipped) | v5.6 pass.
	// Expect two transitions, the second from v5.4 to v5.6, whose commits are those of v5.5 and v5.6.
	it('reports every change, across skipped releases', () => {
		const history = [
			{since: '4.13', guard: 'a', confidence: 'V' as const},
			{since: '5.5', guard: 'b', commits: [{id: 'aaaaaaaaaaaa', subject: 'five'}], confidence: 'V' as const},
			{since: '5.6', guard: 'c', commits: [{id: 'bbbbbbbbbbbb', subject: 'six'}], confidence: 'V' as const},
		];
		const result = bisect(
			[{kernel: '5.3', report: report('5.3', 'pass')}, {kernel: '5.4', report: report('5.4', 'fail')}, {kernel: '5.5', skipped: 'no'}, {kernel: '5.6', report: report('5.6', 'pass')}],
			{name: 'w', history},
			null,
		);
		expect(result.transitions.map(t => [t.from, t.to, t.before, t.after])).toEqual([
			['5.3', '5.4', 'pass', 'fail'],
			['5.4', '5.6', 'fail', 'pass'],
		]);
		expect(result.transitions[1]!.commits.filter(c => c.in === 'walker').map(c => c.id)).toEqual(['aaaaaaaaaaaa', 'bbbbbbbbbbbb']);
		expect(result.skipped).toEqual([{kernel: '5.5', why: 'no'}]);
	});
});

/**
`pfnaudit compare` against `pfnaudit audit`: a comparison is one ordinary audit per column, so its
counts, verdicts and deltas must be exactly what two separate audits report.
*/
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {createCompareCommand} from '../../source/cli/commands/compare.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {runCli} from '../cli/harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const TOPOLOGY = path.join(ROOT, 'topologies/pmem-fsdax-devdax.yaml');
const inProcess = {audit: {runner: 'in-process' as const}};

type JsonAudit = {kernel: string; patches: string[]; walkers: Array<{name: string; touches: Record<string, number>; verdict: string}>};
type JsonCompare = {
	columns: Array<{kernel: string; patches: string[]}>;
	walkers: Array<{name: string; touches: Array<Record<string, number>>; verdicts: string[]; deltas: Array<Record<string, number>>}>;
};

async function audit(kernel: string): Promise<JsonAudit> {
	const run = await runCli(['audit', TOPOLOGY, '--kernel', kernel, '--format', 'json'], {cwd: ROOT, commands: [createAuditCommand(inProcess)]});
	expect(run.stderr).toBe('');
	return JSON.parse(run.stdout) as JsonAudit;
}

describe('pfnaudit compare', () => {
	// A test that compares v5.3 with v5.4 on the pmem topology (two fsdax/devdax namespaces with
	// altmaps) and audits both kernels separately. Expect the same columns, every walker's touches
	// per column equal to its audit's, its verdicts equal, and each delta equal to the difference
	// of the two audits — non-zero for the /proc/kpage* readers, which switched to
	// pfn_to_online_page() in v5.4 (aad5f69bc161).
	it('gives the counts and deltas of two separate audits', async () => {
		const run = await runCli(['compare', TOPOLOGY, '--kernel', '5.3', '--kernel', '5.4', '--format', 'json'], {
			cwd: ROOT,
			commands: [createCompareCommand(inProcess)],
		});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const comparison = JSON.parse(run.stdout) as JsonCompare;
		const [before, after] = [await audit('5.3'), await audit('5.4')];
		expect(comparison.columns).toEqual([
			{kernel: '5.3', patches: [], verdict: 'fail'},
			{kernel: '5.4', patches: [], verdict: 'fail'},
		]);
		expect(comparison.walkers.map(w => w.name)).toEqual(before.walkers.map(w => w.name));
		for (const row of comparison.walkers) {
			const one = before.walkers.find(w => w.name === row.name)!;
			const two = after.walkers.find(w => w.name === row.name)!;
			expect(row.touches).toEqual([one.touches, two.touches]);
			expect(Object.keys(row.touches[0]!)).toEqual([...CATEGORY_IDS]);
			const difference = Object.fromEntries(CATEGORY_IDS.filter(id => two.touches[id] !== one.touches[id]).map(id => [id, two.touches[id]! - one.touches[id]!]));
			expect(row.deltas).toEqual([{}, difference]);
		}

		const kpageflags = comparison.walkers.find(w => w.name === 'kpageflags_read')!;
		expect(kpageflags.verdicts).toEqual(['fail', 'pass']);
		expect(kpageflags.deltas[1]!['C5']).toBeLessThan(0);
	});

	// A test that asks for several kernels and several patch sets at once, and for one column only.
	// Expect exit 2 and one sentence naming the flags.
	it('refuses two axes and a single column', async () => {
		const commands = [createCompareCommand(inProcess)];
		const both = await runCli(['compare', TOPOLOGY, '--kernel', '5.3', '--kernel', '5.4', '--patch-set', 'none', '--patch-set', 'none'], {cwd: ROOT, commands});
		expect(both.code).toBe(2);
		expect(both.stderr).toMatch(/several --kernel or several --patch-set, not both/);
		const one = await runCli(['compare', TOPOLOGY, '--kernel', '5.3'], {cwd: ROOT, commands});
		expect(one.code).toBe(2);
		expect(one.stderr).toMatch(/at least two columns/);
	});

	// A test that writes the md comparison to a file. Expect the differences section and the
	// kpage* verdict change, and no overwrite without --force.
	it('writes md to --output and keeps an existing file', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-compare-'));
		const commands = [createCompareCommand(inProcess)];
		const args = ['compare', TOPOLOGY, '--kernel', '5.3', '--kernel', '5.4', '-o', 'c.md'];
		const first = await runCli(args, {cwd, commands});
		expect(first.code).toBe(0);
		const md = readFileSync(path.join(cwd, 'c.md'), 'utf8');
		expect(md).toContain('### Differences, [2] against [1]');
		expect(md).toMatch(/\| `kpageflags_read` \| verdict \| fail \| pass \|/);
		const second = await runCli(args, {cwd, commands});
		expect(second.code).toBe(2);
		expect(second.stderr).toMatch(/c.md exists; pass --force/);
	});
});

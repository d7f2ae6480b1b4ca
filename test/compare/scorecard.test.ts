/**
The proposal scorecard (`pfnaudit compare --proposals`) and docs/proposals.md, which is its output
for every built-in topology. A new walker or a model change that moves a count: `npm run build &&
npm run docs:proposals` regenerates it.
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createCompareCommand} from '../../source/cli/commands/compare.js';
import {runCli} from '../cli/harness.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function section(markdown: string, name: string): string {
	const start = markdown.indexOf(`### \`${name}\``);
	expect(start).toBeGreaterThanOrEqual(0);
	const end = markdown.indexOf('\n### ', start + 1);
	return markdown.slice(start, end === -1 ? undefined : end).trimEnd();
}

describe('the proposal scorecard', () => {
	// A test that regenerates the scorecard of the pmem topology (two namespaces with altmaps,
	// v6.12) and compares it with docs/proposals.md. Expect the same legend and the same section,
	// and in it init-altmap-reserve taking every walker off C5 while pfn-zone-device-data leaves C5
	// and metadata as they are.
	it('is what docs/proposals.md shows', async () => {
		const run = await runCli(['compare', 'topologies/pmem-fsdax-devdax.yaml', '--proposals', '--format', 'md'], {
			cwd: ROOT,
			commands: [createCompareCommand({audit: {runner: 'in-process'}})],
		});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const doc = readFileSync(path.join(ROOT, 'docs/proposals.md'), 'utf8');
		const legend = run.stdout.slice(0, run.stdout.indexOf('\n\n'));
		expect(doc).toContain(legend);
		const fresh = section(run.stdout, 'pmem-fsdax-devdax');
		expect(section(doc, 'pmem-fsdax-devdax')).toBe(fresh);
		expect(fresh).toMatch(/\| `init-altmap-reserve` \| 0 \| \d+ \| 0 \| 0 \| 0 \(-\d+\) \|/);
		expect(fresh).toMatch(/\| `pfn-zone-device-data` \| 0 \| \d+ \(-\d+\) \| 0 \| 0 \| 3 \| 3 \| 0 \|/);
	});

	// A test that asks for the scorecard with --patch-set as well. Expect exit 2: --proposals makes the columns.
	it('refuses --patch-set with --proposals', async () => {
		const run = await runCli(['compare', 'topologies/pmem-fsdax-devdax.yaml', '--proposals', '--patch-set', 'none'], {
			cwd: ROOT,
			commands: [createCompareCommand({audit: {runner: 'in-process'}})],
		});
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/--proposals makes the columns itself/);
	});
});

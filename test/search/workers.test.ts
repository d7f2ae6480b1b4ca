/**
`pfnaudit search` in worker threads (source/search/pool.ts): user walker files, which never run
in the CLI's thread, and `--jobs J`, whose answer for a seed and budget is the one-thread answer.

The user walkers (test/search/fixtures/):
- pfn_valid_walker.ts sweeps the physical address space and guards each pfn with pfn_valid()
  alone. At v6.12 pfn_valid() is true for a whole present subsection of a ZONE_DEVICE range,
  altmap included:

	| boot RAM ... | C5 reserve | metadata (memmap storage) | device data (C2) |
	               ^ altmap base: pfn_valid() true, memmap never initialized

- pfn_valid_block_walker.ts asks pfn_valid() only at the first pfn of each MAX_ORDER block and
  reads the whole block. At v6.12 on x86_64 a device may cover a 2 MiB subsection of a 4 MiB
  block; the rest of the block is in no device and its memmap is never initialized (C3):

	| MAX_ORDER block (0x400 pfns)                       |
	| device subsection (0x200) | not present (C3)       |
	^ pfn_valid() asked here only
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {ARCHES} from '../../source/model/geometry.js';
import {searchInWorkers} from '../../source/search/pool.js';
import {searchInProcess} from '../../source/search/search.js';
import {findBuiltinWalker} from '../../source/walker/registry.js';
import {run, scratch} from '../hostile/harness.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const PFN_VALID = path.join(FIXTURES, 'pfn_valid_walker.ts');
const BLOCK_START = path.join(FIXTURES, 'pfn_valid_block_walker.ts');

async function searchFile(file: string, category: string, budget: number, extra: string[] = []) {
	return run(['search', '--walker', file, '--kernel', '6.12', '--category', category, '--budget', String(budget), '--arch', 'x86_64', '--seed', '1', ...extra]);
}

describe('search with a user walker file', () => {
	it.each(['C5', 'metadata'])(
		'A test that searches a walker guarding with pfn_valid() alone at v6.12 for %s. Expect exit 1 and a counterexample with a device whose altmap holds the witness',
		async category => {
			const result = await searchFile(PFN_VALID, category, 2000);
			expect(result.stderr).toMatch(new RegExp(`^pfnaudit: pfn_valid_sweep at v6\\.12: ${category} at pfn 0x[\\da-f]+`, 'm'));
			expect(result.code).toBe(1);
			expect(result.stdout).toMatch(/^# pfnaudit search: a layout on which pfn_valid_sweep/);
			expect(result.stdout).toMatch(/kind: device\n(?:.*\n)*? {4}altmap: \{reserve: /);
			expect(result.stdout).toMatch(/the witness pfn 0x[\da-f]+ is here\n {2}- kind: device/);
		},
		60_000,
	);

	it('A test that searches the pfn_valid() walker at v6.12 for C3 within 300 layouts. Expect none: pfn_valid() asked at every pfn sees the subsection map', async () => {
		const result = await searchFile(PFN_VALID, 'C3', 300);
		expect(result.code).toBe(0);
		expect(result.stderr).toMatch(/no layout on which pfn_valid_sweep touches C3 at v6\.12: 300 layouts/);
	}, 60_000);

	it('A test that searches a walker asking pfn_valid() only at the first pfn of each MAX_ORDER block at v6.12 for C3. Expect exit 1, the witness in the block half outside a device', async () => {
		const result = await searchFile(BLOCK_START, 'C3', 2000);
		expect(result.code).toBe(1);
		expect(result.stderr).toMatch(/^pfnaudit: pfn_valid_block_sweep at v6\.12: C3 at pfn 0x[\da-f]+/m);
		expect(result.stdout).toContain('C3, ZONE_DEVICE section only partially present');
	}, 60_000);

	it('A test that gives a walker file with a syntax error. Expect exit 2 naming the file, before any search', async () => {
		const {dir, remove} = scratch();
		try {
			const file = path.join(dir, 'broken_walker.ts');
			await import('node:fs').then(fs => fs.writeFileSync(file, 'export default {\n'));
			const result = await run(['search', '--walker', file, '--budget', '10']);
			expect(result.code).toBe(2);
			expect(result.stderr).toMatch(/^pfnaudit: .*broken_walker\.ts:\d+:\d+: syntax error in the walker file/);
		} finally {
			remove();
		}
	}, 60_000);
});

describe('search --jobs', () => {
	it('A test that searches kpageflags_read at v5.3 for C1 in one thread and in 3 workers, for two seeds. Expect the same counterexample, index, count and coverage', async () => {
		const walker = findBuiltinWalker('kpageflags_read')!;
		for (const seed of [2, 9]) {
			const space = {kernel: '5.3', arches: ARCHES, patches: [], categories: ['C1' as const], seed, budget: 3000};
			// eslint-disable-next-line no-await-in-loop
			const one = await searchInProcess({...space, walker});
			// eslint-disable-next-line no-await-in-loop
			const three = await searchInWorkers({...space, source: {kind: 'builtin', name: 'kpageflags_read'}, jobs: 3});
			expect(one.found).toBeDefined();
			expect(three.found!.result.layout).toEqual(one.found!.result.layout);
			expect(three.found!.result.witness).toEqual(one.found!.result.witness);
			expect(three.found!.index).toBe(one.found!.index);
			expect(three.tried).toBe(one.tried);
			expect(three.coverage).toEqual(one.coverage);
		}
	}, 60_000);

	it('A test that searches kpageflags_read at v5.4 for C1 with --jobs 2 and --budget 300. Expect exit 0 and all 300 layouts counted, as in one thread', async () => {
		const two = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.4', '--category', 'C1', '--budget', '300', '--jobs', '2']);
		const one = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.4', '--category', 'C1', '--budget', '300']);
		expect(two.code).toBe(0);
		const counts = (text: string) => text.replace(/ in [\d.]+ s \(\d+\/s\)/, '');
		expect(counts(two.stderr)).toBe(counts(one.stderr));
		expect(two.stderr).toMatch(/: 300 layouts in/);
	}, 60_000);

	it('A test that writes a counterexample found with --jobs 2 to -o. Expect the file, and the audit of it failing', async () => {
		const {dir, remove} = scratch();
		try {
			const result = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.3', '--category', 'C1', '--jobs', '2', '-o', 'ce.yaml'], {cwd: dir});
			expect(result.code).toBe(1);
			expect(readFileSync(path.join(dir, 'ce.yaml'), 'utf8')).toContain('--walker kpageflags_read --kernel 5.3');
			const audit = await run(['audit', 'ce.yaml', '--walker', 'kpageflags_read', '--fail-on', 'C1', '--format', 'json'], {cwd: dir});
			expect(audit.code).toBe(1);
		} finally {
			remove();
		}
	}, 60_000);
});

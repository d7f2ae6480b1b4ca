/**
The showcase (topologies/showcase.yaml, the default of `pfnaudit`): its default audit — final
phase, its own kernel (v5.15) and patch (arm64-pfn-valid-v2) — shows every category some
built-in walker can produce with a non-zero cell, and the cells come from the walkers and regions
its description names. `unbacked` is the one id no built-in walker reaches
(test/coverage/categories.test.ts), and it stays zero here.
*/
import {PassThrough} from 'node:stream';
import {beforeAll, describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';
import {CATEGORY_IDS, type CategoryId, DEFAULT_FAIL_ON} from '../../source/model/categories.js';
import {SHOWCASE_TOPOLOGY} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import {UNREACHABLE} from './matrix.js';

/** Ids the arm64 showcase cannot show, with the reason its description gives. */
const NOT_ON_ARM64: Readonly<Partial<Record<CategoryId, string>>> = {
	hvo: 'no ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP / ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP on arm64 in 6.1 or 6.12',
};

type JsonWalker = {
	name: string;
	touches: Record<CategoryId, number>;
	failing: Record<CategoryId, number>;
	witnesses: Array<{category: CategoryId; pfn: string; failing: boolean}>;
	verdict: string;
};
type JsonReport = {topology: {name: string}; arch: string; kernel: string; patches: string[]; walkers: JsonWalker[]; verdict: string};

function io(): Io & {out: () => string; err: () => string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	return {stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd(), out: () => out, err: () => err};
}

let code: number;
let report: JsonReport;

function walker(name: string): JsonWalker {
	const found = report.walkers.find(w => w.name === name);
	if (!found) {
		throw new Error(`no walker ${name} in the showcase report`);
	}

	return found;
}

/** Pfns of the witnesses of one walker and category, as numbers. */
function witnessPfns(name: string, category: CategoryId): number[] {
	return walker(name)
		.witnesses.filter(w => w.category === category)
		.map(w => Number.parseInt(w.pfn, 16));
}

describe('the showcase audit (pfnaudit audit topologies/showcase.yaml)', () => {
	beforeAll(async () => {
		const t = io();
		code = await main(['audit', SHOWCASE_TOPOLOGY, '--format', 'json'], t);
		expect(t.err()).toBe('');
		report = JSON.parse(t.out()) as JsonReport;
	}, 180_000);

	it('audits the showcase at its own kernel and patch and fails', () => {
		expect(report.topology.name).toBe('showcase');
		expect(report).toMatchObject({arch: 'arm64-4k', kernel: '5.15', patches: ['arm64-pfn-valid-v2'], verdict: 'fail'});
		expect(code).toBe(1);
	});

	// Every category but the unreachable ones has a non-zero cell; the unreachable ones are zero.
	// hvo needs HVO, which arm64 does not have (topologies/x86-hugetlb-hvo.yaml shows it).
	it.each(CATEGORY_IDS.filter(id => !(id in UNREACHABLE) && !(id in NOT_ON_ARM64)).map(id => [id]))('shows %s in some walker', id => {
		const total = report.walkers.reduce((sum, w) => sum + w.touches[id], 0);
		expect(total).toBeGreaterThan(0);
	});

	it('shows no unbacked touch (no built-in walker dereferences an absent section)', () => {
		expect(Object.keys(UNREACHABLE)).toEqual(['unbacked']);
		expect(report.walkers.map(w => w.touches.unbacked)).toEqual(report.walkers.map(() => 0));
		expect(report.walkers.map(w => w.touches.hvo)).toEqual(report.walkers.map(() => 0));
	});

	// A test of the cells the description promises, with their regions:
	//
	//   bank 0            bank 1                 section 0x27                 ...
	//   0x40000 NOMAP      0x100000          0x13c000 RAM|0x13c200 hole|0x13e000 devdax|0x140000
	//   0x40200-0x40400                       |<- 4 MiB block ->|
	//   ... fsdax 0x300000 (C5 0x300000-0x300001, metadata, C2) | devdax initializing 0x400000 (C4)
	//   ... section 0xa0: 0x500000 | devdax 0x504000-0x507e00 | C3 0x507e00-0x508000
	//   ... fsdax teardown 0x600000 | bank 2 0x800000-0x900000 = max_pfn
	//
	// Expect read_page_owner to fail on the hole pageblock (raw at v5.15 arm64) and on C3 right
	// after the devdax range, and to read the NOMAP pages without failing (PageReserved since
	// v5.14); memory_failure to touch C4 in the initializing devdax; hwpoison_inject to touch C1,
	// C5, metadata, teardown and oob.
	it('has the cells the description names, in the regions it names', () => {
		const rpo = walker('read_page_owner');
		expect(rpo.failing.hole).toBeGreaterThan(0);
		expect(witnessPfns('read_page_owner', 'hole').every(pfn => pfn >= 0x13_c200 && pfn < 0x13_c400)).toBe(true);
		expect(rpo.failing.C3).toBeGreaterThan(0);
		expect(witnessPfns('read_page_owner', 'C3').every(pfn => pfn >= 0x50_7e00 && pfn < 0x50_8000)).toBe(true);
		expect(rpo.touches.nomap).toBeGreaterThan(0);
		expect(rpo.failing.nomap).toBe(0);
		expect(witnessPfns('read_page_owner', 'nomap').every(pfn => pfn >= 0x4_0200 && pfn < 0x4_0400)).toBe(true);
		for (const id of ['C1', 'C2', 'C4', 'C5', 'metadata', 'teardown'] as const) {
			expect(rpo.touches[id], id).toBeGreaterThan(0);
		}

		const mf = walker('memory_failure');
		expect(mf.failing.C4).toBeGreaterThan(0);
		expect(witnessPfns('memory_failure', 'C4').every(pfn => pfn >= 0x40_0000 && pfn < 0x44_0000)).toBe(true);
		expect(mf.touches.C2).toBeGreaterThan(0);

		const inject = walker('hwpoison_inject');
		for (const id of ['C1', 'C5', 'metadata', 'teardown', 'oob'] as const) {
			expect(inject.failing[id], id).toBeGreaterThan(0);
		}

		expect(witnessPfns('hwpoison_inject', 'C5')).toContain(0x30_0000);
		expect(witnessPfns('hwpoison_inject', 'oob').every(pfn => pfn >= 2 ** 36)).toBe(true);
		expect(walker('mark_free_pages').failing.C1).toBeGreaterThan(0);
	});

	it('fails on every failing category it shows and only on the default --fail-on set plus uninitialized hole/nomap', () => {
		const failing = new Set(report.walkers.flatMap(w => CATEGORY_IDS.filter(id => w.failing[id] > 0)));
		expect([...failing].sort()).toEqual([...DEFAULT_FAIL_ON.filter(id => id !== 'unbacked'), 'hole'].sort());
	});
});

describe('pfnaudit with no arguments, stdout not a terminal', () => {
	// SPEC §7: `pfnaudit [topology]` runs the headless audit of the showcase when stdout is not a
	// TTY; the injected io has no TTY.
	it('audits the showcase headless and exits 1', async () => {
		const t = io();
		const exit = await main([], t);
		expect(t.err()).toBe('');
		expect(exit).toBe(1);
		expect(t.out()).toContain('showcase');
	}, 180_000);
});

describe('the showcase file', () => {
	const topology = loadTopologyFile(SHOWCASE_TOPOLOGY);

	it('says what to look for, naming every category', () => {
		expect(topology.description).toContain('Look for:');
		for (const id of CATEGORY_IDS.filter(id => id !== 'ok')) {
			expect(topology.description, id).toMatch(new RegExp(`\\b${id}\\b`));
		}
	});

	// Expect exactly the two warnings the description announces: the devdax range sharing early
	// section 0x27 with bank 1, and the devdax range covering part of section 0xa0.
	it('raises the two warnings its description announces, and no other', () => {
		expect(topology.warnings).toHaveLength(2);
		expect(topology.warnings[0]!.message).toMatch(/^memory\[5\] .* shares section 0x27 .* with boot memory/);
		expect(topology.warnings[1]!.message).toMatch(/^memory\[8\] .* covers only part of section 0xa0/);
	});

	it('loads from v5.12 (128 MiB arm64 sections) to v6.18, and is rejected at v5.11 (1 GiB sections)', () => {
		for (const kernel of ['5.12', '5.15', '5.16', '5.18', '6.12', '6.18']) {
			expect(loadTopologyFile(SHOWCASE_TOPOLOGY, {kernel}).kernel).toBe(kernel);
		}

		expect(() => loadTopologyFile(SHOWCASE_TOPOLOGY, {kernel: '5.11'})).toThrow(/memory block|section/);
	});
});

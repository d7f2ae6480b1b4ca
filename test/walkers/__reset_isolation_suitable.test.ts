import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/__reset_isolation_suitable.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {expectModesAgree} from '../engine/oracle.js';
import {checkAnchors} from './anchor-guard.js';

const normal = (start: number, end: number): Zone => ({
	nid: 0,
	name: 'Normal',
	zone_start_pfn: start,
	zone_end_pfn: end,
	populated: true,
	contiguous: false,
});

// arm64 MEMBLOCK_NOMAP pfn in an early section (CONFIG_HOLES_IN_ZONE): not pfn_valid(), so neither
// pfn_valid_within() nor (v5.0+) pfn_to_online_page(); memmap never initialized.
const NOMAP = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	memmap: {content: 'garbage', writer: 'none (NOMAP skipped by memmap_init)'},
	category: 'nomap',
	predicates: {pfn_valid: false, pfn_valid_within: false, valid_section: true, online_section: true, early_section: true},
});

const OFFLINE_C1 = {start: 0x4000, end: 0x8000, state: C1_POISON};

describe('__reset_isolation_suitable', () => {
	// A test of the v4.13-v5.0 form on a Normal zone with an offline block in its span.
	//
	//   |  boot RAM (ok)  | hotplug, offline (C1) |   boot RAM (ok)   |
	//   0x0           0x4000                  0x8000              0x10000
	//
	// Expect one pfn read per online pageblock start (96 blocks), none in the offline block: by
	// page_zone() only at v4.13; from v4.15 pageblock_skip_persistent() reads it again
	// (PageCompound(): flags and compound_head); then clear_pageblock_skip() →
	// set_pfnblock_flags_mask() reads page->flags in VM_BUG_ON_PAGE(page_zone()) with
	// CONFIG_DEBUG_VM (the default config), not without it.
	it.each([
		['4.13', true, [['__reset_isolation_suitable', ['flags']], ['clear_pageblock_skip', ['flags']]]],
		['4.15', true, [['__reset_isolation_suitable', ['flags']], ['__reset_isolation_suitable', ['flags', 'compound_head']], ['clear_pageblock_skip', ['flags']]]],
		['4.15', false, [['__reset_isolation_suitable', ['flags']], ['__reset_isolation_suitable', ['flags', 'compound_head']]]],
	] as const)('reads one pfn per online pageblock (v%s, DEBUG_VM %s)', (kernel, debugVm, reads) => {
		const base = fakeModel({
			kernel,
			runs: [{start: 0, end: 0x4000, state: OK}, OFFLINE_C1, {start: 0x8000, end: 0x10000, state: OK}],
			zones: [normal(0, 0x10000)],
		});
		const model = {...base, topology: {...base.topology, config: {...base.topology.config, debug_vm: debugVm}}};
		const result = runNaive(walker, model);
		expect(result.visited).toBe(0x80);
		expect(result.touches.C1).toBe(0);
		expect(result.touches.ok).toBe(96 * reads.length);
		expect(new Set(result.log.map(t => t.pfn)).size).toBe(96);
		expect(result.log.slice(0, reads.length)).toEqual(
			reads.map(([via, fields]) => ({pfn: 0, category: 'ok', via, fields, access: 'read'})),
		);
	});

	// A test of the v5.1+ cursors on the same layout at v6.12: migrate_pfn 0x0, 0x200, ... up and
	// free_pfn 0xffff, 0xfdff, ... down, 64 steps each, meeting at 0x8000.
	//
	// Expect no C1 touch, and every 8th pfn of each online block sampled: the migrate cursor's 32
	// blocks below the offline one and the free cursor's 64 blocks above it, 64 samples each.
	it('samples every 8th page of each online block from both cursors (v6.12)', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [{start: 0, end: 0x4000, state: OK}, OFFLINE_C1, {start: 0x8000, end: 0x10000, state: OK}],
			zones: [normal(0, 0x10000)],
		});
		const form = walker.plan(model)!;
		// Each cursor's first and last point in a range of its own (endsApart).
		expect(form.passes.map(p => [p.direction, p.ranges])).toEqual([
			[
				'up',
				[
					{start: 0, end: 1},
					{start: 0x200, end: 0x7c01},
					{start: 0x7e00, end: 0x7e01},
				],
			],
			[
				'down',
				[
					{start: 0x81ff, end: 0x8200},
					{start: 0x83ff, end: 0xfe00},
					{start: 0xffff, end: 0x10000},
				],
			],
		]);
		const result = runNaive(walker, model);
		expect(result.visited).toBe(128);
		expect(result.touches.C1).toBe(0);
		// Every block: the cursor's page_zone() and PageCompound() reads, then 64 samples (a
		// migrate cursor is the block start, so its first sample reads the cursor page again;
		// a free cursor is the block's last pfn, no sample).
		expect(result.touches.ok).toBe((32 + 64) * (2 + 64));
	});

	// A test of the first bug a2e9a5afce08 fixed, on arm64 (CONFIG_HOLES_IN_ZONE) with a zone that
	// starts in the middle of a pageblock and a MEMBLOCK_NOMAP pfn 8 pages above the zone start.
	//
	//   | ok (other zone) | ok |NOMAP|        boot RAM (ok), zone Normal          |
	//   0x0            0x100 0x108 0x109                                      0x4000
	//   |<------------ pageblock 0 ---------->|
	//
	// At v5.3 the samples start at the zone start (0x100, 0x108, ...) but pfn_valid_within() is
	// asked about the unclamped block start (0x0, 0x8, ...): the NOMAP pfn is read although never
	// tested. Expect one nomap touch at v5.3 and none at v5.4.
	it.each([
		['5.3', 1],
		['5.4', 0],
	] as const)('tests the pfn it samples only from v5.4 on (v%s)', (kernel, nomap) => {
		const model = fakeModel({
			arch: 'arm64-4k',
			kernel,
			runs: [
				{start: 0, end: 0x108, state: OK},
				{start: 0x108, end: 0x109, state: NOMAP},
				{start: 0x109, end: 0x4000, state: OK},
			],
			zones: [normal(0x100, 0x4000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.nomap).toBe(nomap);
		if (nomap) {
			expect(result.log.find(t => t.category === 'nomap')).toMatchObject({pfn: 0x108, via: '__reset_isolation_pfn'});
		}
	});

	// A test of the second bug a2e9a5afce08 fixed: the end of the block is checked on the NEXT
	// block's first pfn. arm64, the last pfn of block [0x200, 0x400) is MEMBLOCK_NOMAP, so
	// pfn_to_online_page() (v5.0+: with pfn_valid_within()) fails on it.
	//
	//   |                boot RAM (ok)                 |NOMAP|    boot RAM (ok)    |
	//   0x0        0x200                            0x3ff 0x400                 0x1000
	//
	// Expect at v5.3 the check on 0x400 to pass and all 64 samples of the block read (0x3ff itself
	// is no sample); at v5.4 the check on 0x3ff to fail and only the cursor pfn 0x200 read. With a
	// virtually mapped memmap the v5.3 loop still stops below 0x400: the "wander off the struct
	// page arrays" of the changelog needs classic SPARSEMEM and is not modelled.
	it.each([
		['5.3', 64],
		['5.4', 1],
	] as const)('checks the end of the sampled block from v5.4 on (v%s)', (kernel, reads) => {
		const model = fakeModel({
			arch: 'arm64-4k',
			kernel,
			runs: [
				{start: 0, end: 0x3ff, state: OK},
				{start: 0x3ff, end: 0x400, state: NOMAP},
				{start: 0x400, end: 0x1000, state: OK},
			],
			zones: [normal(0, 0x1000)],
		});
		const result = runNaive(walker, model);
		const inBlock = new Set(result.log.filter(t => t.pfn >= 0x200 && t.pfn < 0x400).map(t => t.pfn));
		expect(inBlock.size).toBe(reads);
		expect(result.touches.nomap).toBe(0);
		expect(Math.max(...inBlock)).toBe(kernel === '5.3' ? 0x3f8 : 0x200);
	});

	// A test of a zone that starts and ends mid-pageblock, found by the differential test with the
	// real model: the migrate cursor's first block is clamped to the zone start, so it takes
	// fewer samples than the blocks after it (and the free cursor's first block is clamped to
	// the zone end), by pfn arithmetic alone.
	//
	//   |   ok   | zone Normal [0x3f7c, 0x5fbf)                             |   ok   |
	//   0x0   0x3f7c  0x4000 (first full block)            0x5e00      0x5fbf   0x6000
	//
	// Expect runs mode, per-pfn mode and the oracle to agree, and the first migrate block to be
	// sampled from the zone start (0x3f7c, 0x3f84, ... 0x3ffc: 17 samples).
	it.each(['5.3', '5.10', '6.12'])('samples a zone that starts mid-pageblock alike in both modes (v%s)', kernel => {
		const model = fakeModel({kernel, runs: [{start: 0, end: 0x6000, state: OK}], zones: [normal(0x3f7c, 0x5fbf)]});
		expectModesAgree(walker, model);
		const firstStep = runNaive(walker, model).log.filter(t => t.pfn < 0x4000 && t.via === '__reset_isolation_pfn');
		expect(new Set(firstStep.map(t => t.pfn)).size).toBe(17);
	});

	// A test that every pfn a cursor step looks at is a declared anchor, for a zone that starts
	// and ends mid-pageblock, in each form.
	//
	//   | ok | zone Normal [0x130, 0x1e70)                                    | ok |
	//   0x0  0x130                                                       0x1e70 0x2000
	it.each(['4.14', '5.3', '5.4', '6.12'])('declares every pfn it looks at (v%s)', kernel => {
		const model = fakeModel({kernel, runs: [{start: 0, end: 0x2000, state: OK}], zones: [normal(0x130, 0x1e70)]});
		expect(checkAnchors(walker, model)).toBe(kernel === '4.14' ? 15 : 16);
	});

	it('labels its forms by version and names the fix of the v5.1-v5.3 form', () => {
		const plan = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!;
		expect(plan('5.0').label).toBe('v4.13-v5.0: pfn_to_online_page() per pageblock');
		expect(plan('5.1').label).toMatch(/^v5\.1-v5\.3: /);
		expect(plan('5.3').fixed_by).toEqual({
			id: 'a2e9a5afce08',
			subject: 'mm, compaction: fix wrong pfn handling in __reset_isolation_pfn()',
			version: '5.4',
		});
		expect(plan('5.14').label).toMatch(/^v5\.4\+: .*pfn_valid_within/);
		expect(plan('5.15').label).not.toMatch(/pfn_valid_within/);
		expect(plan('6.12').fixed_by).toBeUndefined();
	});
});

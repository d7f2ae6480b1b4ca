import {describe, expect, it} from 'vitest';
import type {PfnState, Zone} from '../../source/model/types.js';
import walker from '../../walkers/isolate_migratepages_block.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {checkAnchors} from './anchor-guard.js';

const normal = (start: number, end: number, contiguous = false): Zone => ({
	nid: 0,
	name: 'Normal',
	zone_start_pfn: start,
	zone_end_pfn: end,
	populated: true,
	contiguous,
});

/**
ZONE_DEVICE pfns carved out of the middle of boot RAM (memmap=nn!ss), memmap not yet initialized.
Their section is early and online; pfn_to_online_page() returns the page up to v5.11 (macro:
online section only) and NULL from v5.12 (taint + get_dev_pagemap()).
*/
function c4Carveout(p2op: boolean): PfnState {
	return state({
		section: {present: true, valid: true, online: true, early: true, usage: true, taint_zone_device: !p2op},
		subsection_valid: true,
		memmap: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'},
		pgmap: 0,
		category: 'C4',
		reason: 'ZONE_DEVICE carve-out in boot RAM, memmap_init_zone_device() not done',
		predicates: {pfn_valid: true, pfn_to_online_page: p2op, get_dev_pagemap: 0, valid_section: true, online_section: true, early_section: true},
	});
}

// arm64 MEMBLOCK_NOMAP pfns inside an early section before v5.14's memblock change: not
// pfn_valid(), memmap never initialized.
const NOMAP = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	memmap: {content: 'garbage', writer: 'none (NOMAP skipped by memmap_init)'},
	category: 'nomap',
	reason: 'arm64 MEMBLOCK_NOMAP inside an early section',
	predicates: {pfn_valid: false, pfn_valid_within: false, valid_section: true, online_section: true, early_section: true},
});

describe('isolate_migratepages_block', () => {
	// A test that runs the migration scanner over a Normal zone with an offline memory block in the
	// middle of its span, at v4.13 and v6.12.
	//
	//   |  boot RAM (ok)  | hotplug, offline (C1) |      boot RAM (ok)      |last|
	//   0x0           0x4000                  0x8000                    0xfe00 0x10000
	//   |<---------------------- migration scanner ---------------------->|
	//
	// Expect the offline blocks to fail pfn_to_online_page() and never be read; every pfn of the 95
	// other blocks below the last block read once, plus the two pfns each block check reads.
	it.each(['4.13', '6.12'])('never reads an offline block inside the zone span (v%s)', kernel => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x4000, state: OK},
				{start: 0x4000, end: 0x8000, state: C1_POISON},
				{start: 0x8000, end: 0x10000, state: OK},
			],
			zones: [normal(0, 0x10000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(0);
		expect(result.touches.ok).toBe(95 * 2 + 95 * 0x200);
		expect(Math.max(...result.log.map(t => t.pfn))).toBe(0xfdff);
	});

	// A test of a ZONE_DEVICE carve-out inside the span of a Normal zone, with RAM of the zone above
	// it, so the Normal zone's span covers it.
	//
	//   |    boot RAM (ok)    | ZONE_DEVICE (C4) |    boot RAM (ok)    |
	//   0x0               0x8000             0x8400                0x10000
	//   |<----------------------- zone Normal ----------------------->|
	//
	// Expect, with zone->contiguous clear: at v5.11 the block check passes pfn_to_online_page() on
	// the collision section and reads the flags of the first device pfn of each block (2 C4
	// touches, then page_zone() fails); at v6.12 pfn_to_online_page() is NULL, no C4 touch.
	it.each([
		['5.11', true, 2],
		['6.12', false, 0],
	] as const)('guards a carve-out in a non-contiguous zone (v%s)', (kernel, p2op, c4) => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x8400, state: c4Carveout(p2op)},
				{start: 0x8400, end: 0x10000, state: OK},
			],
			zones: [normal(0, 0x10000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C4).toBe(c4);
		expect(result.log.filter(t => t.category === 'C4').map(t => [t.pfn, t.via])).toEqual(
			c4 ? [[0x8000, '__pageblock_pfn_to_page'], [0x8200, '__pageblock_pfn_to_page']] : [],
		);
	});

	// The same carve-out with zone->contiguous set: pageblock_pfn_to_page() returns pfn_to_page()
	// with no check at all. This is walkers.md's still-open [A] bypass at v6.12: it needs the
	// Normal zone to stay contiguous while ZONE_DEVICE is added inside its span (only the
	// ZONE_DEVICE zone's flag is recomputed); no report of it was found.
	//
	// Expect every carve-out pfn read by isolate_migratepages_block(): 0x400 C4 touches.
	it('reads a ZONE_DEVICE carve-out pfn by pfn when zone->contiguous is set [A]', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x8400, state: c4Carveout(false)},
				{start: 0x8400, end: 0x10000, state: OK},
			],
			zones: [normal(0, 0x10000, true)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C4).toBe(0x400);
		expect(result.log.find(t => t.category === 'C4')).toEqual({
			pfn: 0x8000,
			category: 'C4',
			via: 'isolate_migratepages_block',
			fields: ['flags', 'compound_head', 'page_type'],
			access: 'read',
		});
		expect(result.touches.ok).toBe(0xfe00 - 0x400);
	});

	// A test of the per-pfn pfn_valid_within() check on arm64 with CONFIG_HOLES_IN_ZONE (selected up
	// to v5.13), at v5.13 and at v5.15, which removed the helper, with 16 MEMBLOCK_NOMAP pfns
	// inside an online pageblock (the state is hand-made: the same at both versions).
	//
	//   | boot RAM (ok) | NOMAP |        boot RAM (ok)         |
	//   0x0         0x1010  0x1020                        0x4000
	//
	// Expect at v5.13 the NOMAP pfns skipped; at v5.15, with no per-pfn check left, all 16 read.
	it.each([
		['5.13', 0],
		['5.15', 16],
	] as const)('checks pfn_valid_within() per pfn until v5.14 (v%s)', (kernel, nomap) => {
		const model = fakeModel({
			arch: 'arm64-4k',
			kernel,
			runs: [
				{start: 0, end: 0x1010, state: OK},
				{start: 0x1010, end: 0x1020, state: NOMAP},
				{start: 0x1020, end: 0x4000, state: OK},
			],
			zones: [normal(0, 0x4000)],
		});
		expect(runNaive(walker, model).touches.nomap).toBe(nomap);
	});

	// A test that the scanner's steps only look at their own pfn and their pass's anchors (the
	// block start and the block's last pfn), on a zone starting mid-pageblock.
	//
	//   | ok |  boot RAM (ok), zone Normal [0x100, 0x1000) |
	//   0x0  0x100                                      0x1000
	//
	// Expect the per-block pass to visit 0x100, 0x200, ..., 0xc00 and the per-pfn pass 0x100..0xdff.
	it('declares the pageblock ends it looks at as anchors', () => {
		const model = fakeModel({kernel: '5.10', runs: [{start: 0, end: 0x1000, state: OK}], zones: [normal(0x100, 0x1000)]});
		const form = walker.plan(model)!;
		expect(form.passes.map(p => p.ranges)).toEqual([
			[
				{start: 0x100, end: 0x200},
				{start: 0x200, end: 0xe00},
			],
			[{start: 0x100, end: 0xe00}],
		]);
		expect(checkAnchors(walker, model)).toBe(7 + 0xd00);
	});

	// PageBuddy() tests page->page_type from v4.18 (6e292b9be7f4), the _mapcount word before.
	it.each([
		['4.17', '_mapcount'],
		['4.18', 'page_type'],
	] as const)('reads the page-type word under its name of the time (v%s)', (kernel, word) => {
		const model = fakeModel({kernel, runs: [{start: 0, end: 0x1000, state: OK}], zones: [normal(0, 0x1000)]});
		expect(runNaive(walker, model).log.at(-1)!.fields).toEqual(['flags', 'compound_head', word]);
	});

	it('labels its forms by version', () => {
		const label = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!.label;
		expect(label('5.14')).toMatch(/^v4\.13-v5\.14: .*pfn_valid_within\(\) per pfn$/);
		expect(label('5.15')).toMatch(/^v5\.15-v6\.4: /);
		expect(label('6.5')).toMatch(/^v6\.5\+: .*without pfn_valid\(start\)/);
		expect(walker.history.map(h => h.since)).toEqual(['4.13', '5.15', '6.5']);
	});
});

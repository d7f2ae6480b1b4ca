import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/isolate_freepages_block.js';
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

// ZONE_DEVICE carve-out in boot RAM at v6.12, memmap not initialized: pfn_valid(), not online.
const C4_CARVEOUT = state({
	section: {present: true, valid: true, online: true, early: true, usage: true, taint_zone_device: true},
	subsection_valid: true,
	memmap: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'},
	pgmap: 0,
	category: 'C4',
	reason: 'ZONE_DEVICE carve-out in boot RAM, memmap_init_zone_device() not done',
	predicates: {pfn_valid: true, get_dev_pagemap: 0, valid_section: true, online_section: true, early_section: true},
});

const NOMAP = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	memmap: {content: 'garbage', writer: 'none (NOMAP skipped by memmap_init)'},
	category: 'nomap',
	predicates: {pfn_valid: false, pfn_valid_within: false, valid_section: true, online_section: true, early_section: true},
});

describe('isolate_freepages_block', () => {
	// A test that runs the free scanner over a Normal zone with an offline memory block in its span.
	//
	//   |first|  boot RAM (ok)  | hotplug, offline (C1) |     boot RAM (ok)     |
	//   0x0 0x200           0x4000                  0x8000                  0x10000
	//         |<------------------------ free scanner -------------------------|
	//
	// Expect the offline blocks never read, the first pageblock (the migration scanner's) not
	// scanned, the walk starting at the top: the first touches are the block check of
	// [0xfe00, 0x10000) then pfn 0xffff.
	it.each(['4.13', '6.12'])('never reads an offline block and starts at the top of the zone (v%s)', kernel => {
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
		expect(Math.min(...result.log.map(t => t.pfn))).toBe(0x200);
		expect(result.log.slice(0, 2).map(t => [t.pfn, t.via])).toEqual([
			[0xfe00, '__pageblock_pfn_to_page'],
			[0xffff, '__pageblock_pfn_to_page'],
		]);
	});

	// A test of the zone->contiguous bypass [A, walkers.md W07/W09; no report found]: a
	// ZONE_DEVICE carve-out inside a Normal zone whose contiguous flag stayed set.
	//
	//   |    boot RAM (ok)    | ZONE_DEVICE (C4) |    boot RAM (ok)    |
	//   0x0               0x8000             0x8400                0x10000
	//
	// Expect at v6.12 no C4 touch with the flag clear, and all 0x400 carve-out pfns read with it set.
	it.each([
		[false, 0],
		[true, 0x400],
	] as const)('reads the carve-out only through the contiguous bypass (contiguous=%s) [A]', (contiguous, c4) => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x8400, state: C4_CARVEOUT},
				{start: 0x8400, end: 0x10000, state: OK},
			],
			zones: [normal(0, 0x10000, contiguous)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C4).toBe(c4);
		if (c4) {
			expect(new Set(result.log.filter(t => t.category === 'C4').map(t => t.via))).toEqual(new Set(['isolate_freepages_block']));
		}
	});

	// A test of pfn_valid_within() on arm64 with CONFIG_HOLES_IN_ZONE (up to v5.13), at v5.13 and
	// v5.15 (helper removed), 16 NOMAP pfns in an online block; hand-made state, same at both.
	//
	//   | boot RAM (ok) | NOMAP |        boot RAM (ok)         |
	//   0x0         0x1010  0x1020                        0x4000
	//
	// Expect 0 nomap touches at v5.13 and 16 at v5.15.
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

	// A test of the block boundaries of a zone that starts and ends mid-pageblock.
	//
	//   | ok | zone Normal [0x100, 0xf80)                  | ok |
	//   0x0  0x100    0x200                    0xe00      0xf80 0x1000
	//
	// Expect block checks at 0xf7f (last, clipped block [0xe00, 0xf80)) and each block's last pfn
	// down to 0x3ff; pfns 0xf7f down to 0x200 read; steps only look at their anchors.
	it('clips the last block and excludes the first', () => {
		const model = fakeModel({kernel: '6.1', runs: [{start: 0, end: 0x1000, state: OK}], zones: [normal(0x100, 0xf80)]});
		const form = walker.plan(model)!;
		expect(form.passes[0]!.ranges).toEqual([
			{start: 0x200, end: 0xe00},
			{start: 0xe00, end: 0xf80},
		]);
		const result = runNaive(walker, model);
		expect(result.log.slice(0, 3).map(t => t.pfn)).toEqual([0xe00, 0xf7f, 0xc00]);
		expect(checkAnchors(walker, model)).toBe(7 + 0xd80);
	});

	it('labels its forms by version like the migration scanner', () => {
		const label = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!.label;
		expect(label('4.13')).toMatch(/^v4\.13-v5\.14: /);
		expect(label('6.4')).toMatch(/^v5\.15-v6\.4: /);
		expect(label('6.12')).toMatch(/^v6\.5\+: /);
	});
});

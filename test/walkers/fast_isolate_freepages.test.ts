import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/fast_isolate_freepages.js';
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

describe('fast_isolate_freepages', () => {
	// A test of the min_pfn fallback on a zone whose contiguous flag stayed set over a ZONE_DEVICE
	// carve-out [A]: pageblock_pfn_to_page() then checks nothing, pfn_valid(min_pfn) is true.
	//
	//   |    boot RAM (ok)    | ZONE_DEVICE (C4) |    boot RAM (ok)    |
	//   0x0               0x8000             0x8400                0x10000
	//                     |<- 2 pageblocks ->|
	//
	// Expect at v6.12 no C4 touch with the flag clear; with it set every carve-out pfn read by
	// isolate_freepages_block() plus suitable_migration_target() at each of the two block starts.
	it.each([
		[false, 0],
		[true, 0x400 + 2],
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
			const vias = result.log.filter(t => t.category === 'C4').map(t => t.via);
			expect(vias.filter(via => via === 'suitable_migration_target')).toHaveLength(2);
			expect(vias.filter(via => via === 'isolate_freepages_block')).toHaveLength(0x400);
		}
	});

	// A test of the version forms on a zone with an offline hot-added block in its span (zone not
	// contiguous), at v5.6, v5.7 and v6.12.
	//
	//   |first|  boot RAM (ok)  | hotplug, offline (C1) |     boot RAM (ok)     |
	//   0x0 0x200           0x4000                  0x8000                  0x10000
	//
	// Expect v5.6 (pfn_valid(min_pfn) only) to read all 0x4000 offline pfns, v5.7 and v6.12
	// (pageblock_pfn_to_page()) none; no form before v5.1.
	it.each([
		['5.6', 0x4000],
		['5.7', 0],
		['6.12', 0],
	] as const)('reads an offline block only before pageblock_pfn_to_page() (v%s)', (kernel, c1) => {
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
		expect(result.touches.C1).toBe(c1);
		expect(result.touches.ok).toBeGreaterThan(0);
		expect(Math.min(...result.log.map(t => t.pfn))).toBe(0x200);
		expect(walker.plan(fakeModel({kernel: '5.0', runs: []}))).toBeNull();
	});

	// A test of the block clipping of a zone that ends mid-pageblock, and of the anchors.
	//
	//   | ok | zone Normal [0x100, 0xf80)                  | ok |
	//   0x0  0x100    0x200                    0xe00      0xf80 0x1000
	//
	// Expect min_pfn checks at each block start from 0x200 up to 0xe00, the last block's check
	// reading pfn 0xf7f (its clipped end) and no pfn at or above 0xf80 read; steps only look at
	// their anchors.
	it('clips the last block to the zone and looks only at its anchors', () => {
		const model = fakeModel({kernel: '6.12', runs: [{start: 0, end: 0x1000, state: OK}], zones: [normal(0x100, 0xf80)]});
		const form = walker.plan(model)!;
		expect(form.passes[0]!.ranges).toEqual([{start: 0x200, end: 0xf80}]);
		const result = runNaive(walker, model);
		expect(result.log.some(t => t.pfn === 0xf7f && t.via === '__pageblock_pfn_to_page')).toBe(true);
		expect(Math.max(...result.log.map(t => t.pfn))).toBe(0xf7f);
		expect(checkAnchors(walker, model)).toBe(7 + 0xd80);
	});

	it('labels its forms by version', () => {
		const label = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!.label;
		expect(label('5.1')).toMatch(/^v5\.1-v5\.6: /);
		expect(label('5.11')).toMatch(/^v5\.7-v5\.11: /);
		expect(label('6.7')).toMatch(/^v5\.12-v6\.7: /);
		expect(label('6.12')).toMatch(/^v6\.8\+: /);
	});
});

import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/mark_free_pages.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';

const zone = (name: Zone['name'], start: number, end: number, populated = true): Zone => ({
	nid: 0,
	name,
	zone_start_pfn: start,
	zone_end_pfn: end,
	populated,
	contiguous: false,
});

// ZONE_DEVICE carve-out of boot RAM, memmap not yet initialized: pfn_valid() (early section).
const C4_CARVEOUT = state({
	section: {present: true, valid: true, online: true, early: true, usage: true, taint_zone_device: true},
	subsection_valid: true,
	memmap: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'},
	pgmap: 0,
	category: 'C4',
	predicates: {pfn_valid: true, get_dev_pagemap: 0, valid_section: true, online_section: true, early_section: true},
});

describe('mark_free_pages', () => {
	// A test of the still-open pfn_valid()-only guard at v6.12 [A, walkers.md W17; no report found]:
	// hibernation with an offline memory block and a ZONE_DEVICE carve-out inside the span of a
	// populated Normal zone.
	//
	//   | boot RAM | hotplug, offline (C1) | boot RAM | ZONE_DEVICE (C4) | boot RAM |
	//   0x0     0x4000                  0x8000    0xc000             0xc400    0x10000
	//   |<----------------------------- zone Normal ----------------------------->|
	//
	// Expect page_zone() (flags, poison check) read on every C1 and C4 pfn: the
	// VM_BUG_ON_PGFLAGS(PagePoisoned) walkers.md predicts with CONFIG_DEBUG_VM_PGFLAGS.
	it.each(['4.13', '6.12'])('reads the flags of every pfn_valid() pfn in the zone span (v%s) [A]', kernel => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x4000, state: OK},
				{start: 0x4000, end: 0x8000, state: C1_POISON},
				{start: 0x8000, end: 0xc000, state: OK},
				{start: 0xc000, end: 0xc400, state: C4_CARVEOUT},
				{start: 0xc400, end: 0x10000, state: OK},
			],
			zones: [zone('Normal', 0, 0x10000), zone('Device', 0xc000, 0xc400, false)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(0x4000);
		expect(result.touches.C4).toBe(0x400);
		expect(result.touches.ok).toBe(0xbc00);
		// Only the populated zone is walked: each pfn once.
		expect(result.visited).toBe(0x10000);
		expect(result.log.find(t => t.category === 'C4')).toEqual({pfn: 0xc000, category: 'C4', via: 'mark_free_pages', fields: ['flags'], access: 'read'});
	});

	// A test that pfns without a memmap in the span are not read.
	//
	//   | boot RAM (ok) | unbacked | boot RAM (ok) |
	//   0x0         0x1000     0x2000          0x3000
	//
	// Expect only the ok pfns read.
	it('does not read pfns that fail pfn_valid()', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x1000, state: OK},
				{start: 0x2000, end: 0x3000, state: OK},
			],
			zones: [zone('Normal', 0, 0x3000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.ok).toBe(0x2000);
		expect(result.touches.unbacked).toBe(0);
	});

	it('has one form in every version, with no fix', () => {
		for (const kernel of ['4.13', '5.10', '6.12']) {
			const form = walker.plan(fakeModel({kernel, runs: []}))!;
			expect(form.label).toBe('v4.13+: pfn_valid() only');
			expect(form.fixed_by).toBeUndefined();
		}
	});
});

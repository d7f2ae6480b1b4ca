import {describe, expect, it} from 'vitest';
import walker from '../../walkers/page_idle_bitmap_read.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';

// The tail of the last boot section above max_pfn (memory ends mid-section): pfn_valid(), memmap
// never initialized before v5.6 (e822969cab48).
const TAIL = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	subsection_valid: true,
	memmap: {content: 'garbage', writer: 'none (beyond the last memblock range)'},
	category: 'hole',
	predicates: {pfn_valid: true, pfn_to_online_page: true, valid_section: true, online_section: true, early_section: true},
});

describe('page_idle_bitmap_read', () => {
	// A test that reads the idle bitmap with max_pfn not a multiple of 64, at v5.1 and v5.2.
	//
	//   |        boot RAM (ok)        | tail (garbage) |
	//   0x0                      0x7fe0 = max_pfn   0x8000
	//
	// Expect at v5.1 the read clipped to ALIGN(max_pfn, 64) = 0x8000: the 32 tail pfns read
	// (the stress-ng oops 7298e3b0a149 fixed); at v5.2 clipped to max_pfn: none.
	it.each([
		['5.1', 0x20],
		['5.2', 0],
	] as const)('reads up to ALIGN(max_pfn, 64) before v5.2 (v%s)', (kernel, tail) => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x7fe0, state: OK},
				{start: 0x7fe0, end: 0x8000, state: TAIL},
			],
			max_pfn: 0x7fe0,
		});
		const result = runNaive(walker, model);
		expect(result.touches.hole).toBe(tail);
		expect(result.touches.ok).toBe(0x7fe0);
	});

	// A test of the guard with a never-onlined hot-added block below max_pfn, at v5.7 and v5.8.
	//
	//   |   boot RAM (ok)   | hotplug, offline (C1) |
	//   0x0             0x8000                  0x10000 = max_pfn
	//
	// Expect PageLRU() (flags, compound_head) read on every C1 pfn at v5.7 (pfn_valid()) and on
	// none at v5.8 (92fb1db26eef, pfn_to_online_page()).
	it.each([
		['5.7', 0x8000],
		['5.8', 0],
	] as const)('skips offline pages from v5.8 on (v%s)', (kernel, c1) => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
			],
			max_pfn: 0x10000,
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(c1);
		if (c1) {
			expect(result.log.find(t => t.category === 'C1')).toEqual({
				pfn: 0x8000,
				category: 'C1',
				via: 'page_idle_bitmap_read',
				fields: ['flags', 'compound_head'],
				access: 'read',
			});
		}
	});

	it('labels its forms by version', () => {
		const plan = (kernel: string) => walker.plan(fakeModel({kernel, runs: [{start: 0, end: 0x40, state: OK}]}))!;
		expect(plan('4.13').label).toBe('v4.13-v5.1: pfn_valid(), reads clipped to ALIGN(max_pfn, 64)');
		expect(plan('5.1').fixed_by?.id).toBe('7298e3b0a149');
		expect(plan('5.7').label).toBe('v5.2-v5.7: pfn_valid(), reads clipped to max_pfn');
		expect(plan('5.7').fixed_by?.id).toBe('92fb1db26eef');
		expect(plan('6.12').label).toBe('v5.8+: pfn_to_online_page(), reads clipped to max_pfn');
		expect(plan('6.12').fixed_by).toBeUndefined();
		expect(walker.history.map(h => h.since)).toEqual(['4.13', '5.2', '5.8']);
	});
});

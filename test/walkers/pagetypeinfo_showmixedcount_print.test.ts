import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/pagetypeinfo_showmixedcount_print.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {checkAnchors} from './anchor-guard.js';

const normal = (start: number, end: number): Zone => ({
	nid: 0,
	name: 'Normal',
	zone_start_pfn: start,
	zone_end_pfn: end,
	populated: true,
	contiguous: false,
});

// A 2 MiB subsection of an early section with no memblock memory: pfn_valid(), memmap initialized
// as reserved, but pfn_to_online_page() NULL from v5.12 (subsection check).
const HOLE_SUBSECTION = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	memmap: {content: 'init', zone: 'Normal', nid: 0, reserved: true, writer: 'init_unavailable_range'},
	category: 'hole',
	uninitialized: false,
	predicates: {pfn_valid: true, valid_section: true, online_section: true, early_section: true},
});

describe('pagetypeinfo_showmixedcount_print', () => {
	// A test that prints the mixed-block counts of a Normal zone whose upper half is a hot-added
	// block that was never onlined (the changelog's memory40/41/42 reproducer), at v5.3 and v5.4.
	//
	//   |   boot RAM (ok)   | hotplug, offline (C1) |
	//   0x0             0x8000                  0x10000
	//   |<-------------- zone Normal -------------->|
	//
	// Expect at v5.3 every C1 pfn's flags read by page_zone() (the VM_BUG_ON_PAGE(PagePoisoned)
	// of a26ee565b6cd), once: the poisoned zone does not match; at v5.4 the offline blocks skipped
	// by pfn_to_online_page(). Every boot RAM pfn is read twice: page_zone(), then PageBuddy()
	// and PageReserved().
	it.each([
		['5.3', 0x8000],
		['5.4', 0],
	] as const)('reads offline blocks in the zone span only before v5.4 (v%s)', (kernel, c1) => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
			],
			zones: [normal(0, 0x10000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(c1);
		expect(result.touches.ok).toBe(2 * 0x8000);
		if (c1) {
			expect(result.log.filter(t => t.pfn === 0x8000)).toEqual([
				{pfn: 0x8000, category: 'C1', via: 'pagetypeinfo_showmixedcount_print', fields: ['flags'], access: 'read'},
			]);
		}

		expect(result.log.slice(0, 2).map(t => [t.pfn, t.fields])).toEqual([
			[0, ['flags']],
			[0, ['page_type', 'flags']],
		]);
	});

	// A test of the MAX_ORDER_NR_PAGES skip at v6.12: the first pageblock of a 4 MiB area is a
	// 2 MiB hole subsection (pfn_to_online_page() NULL), the second is RAM. A pfn of another zone
	// (node interleave) sits in the zone span.
	//
	//   | ok | ok, page_zone DMA32 |    ok    | hole (2 MiB) | ok (2 MiB) |    ok    |
	//   0x0 0x1000             0x1200     0x8000         0x8200       0x8400    0x10000
	//                                            |<----- one 4 MiB area ----->|
	//
	// Expect the failed check at 0x8000 to jump to 0x8400: neither half of the area is read; the
	// DMA32 pfns get their flags read (page_zone() != zone) and nothing else, every other pfn
	// read is read twice.
	it('skips the rest of a MAX_ORDER_NR_PAGES area after a failed check (v6.12)', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x1000, state: OK},
				{start: 0x1000, end: 0x1200, state: {...OK, memmap: {...OK.memmap, zone: 'DMA32'}}},
				{start: 0x1200, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x8200, state: HOLE_SUBSECTION},
				{start: 0x8200, end: 0x10000, state: OK},
			],
			zones: [normal(0, 0x10000)],
		});
		const result = runNaive(walker, model);
		expect(result.touches.hole).toBe(0);
		expect(result.touches.ok).toBe(2 * (0x10000 - 0x400) - 0x200);
		expect(result.log.some(t => t.pfn >= 0x8000 && t.pfn < 0x8400)).toBe(false);
		expect(result.log.filter(t => t.pfn === 0x1000).map(t => t.fields)).toEqual([['flags']]);
	});

	// A test that each step only looks at the checks of its MAX_ORDER_NR_PAGES area, on a zone
	// that starts in the second pageblock of an area (x86: 2 pageblocks per area).
	//
	//   | ok | zone Normal [0x300, 0x1100)                          | ok |
	//   0x0  0x300  0x400        ...                              0x1100 0x2000
	it('declares the per-area checks as anchors', () => {
		const model = fakeModel({kernel: '5.10', runs: [{start: 0, end: 0x2000, state: OK}], zones: [normal(0x300, 0x1100)]});
		expect(walker.plan(model)!.passes[0]!.anchors).toHaveLength(2);
		expect(checkAnchors(walker, model)).toBe(0xe00);
		expect(runNaive(walker, model).touches.ok).toBe(2 * 0xe00);
	});

	it('labels its forms by version', () => {
		const plan = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!;
		expect(plan('5.3').label).toBe('v4.13-v5.3: pfn_valid() per pageblock, pfn_valid_within() per pfn');
		expect(plan('5.3').fixed_by?.id).toBe('a26ee565b6cd');
		expect(plan('5.14').label).toBe('v5.4-v5.14: pfn_to_online_page() per pageblock, pfn_valid_within() per pfn');
		expect(plan('6.12').label).toBe('v5.15+: pfn_to_online_page() per pageblock');
	});
});

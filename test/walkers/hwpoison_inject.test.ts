import {describe, expect, it} from 'vitest';
import hwpoison_inject from '../../walkers/hwpoison_inject.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {fsdax, hole, zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30 (8 sections of 0x8000 pfns). A hole subsection in the boot
// section, a never-onlined hotplug block, and an fsdax namespace with an altmap whose
// memmap_init_zone_device() stopped at 0x1c000:
//
//   | boot RAM | hole  | boot RAM | hotplug (C1) |rsv| free |  data (C2)  | data (C4) | unbacked
//   0x0    0x200   0x400     0x10000       0x18000 +2  0x18400      0x1c000     0x20000
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x200, state: OK},
			{start: 0x200, end: 0x400, state: hole(kernel)},
			{start: 0x400, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: C1_POISON},
			{start: 0x18000, end: 0x18002, state: zoneDevice('C5', kernel)},
			{start: 0x18002, end: 0x18400, state: zoneDevice('metadata', kernel)},
			{start: 0x18400, end: 0x1c000, state: zoneDevice('C2', kernel)},
			{start: 0x1c000, end: 0x20000, state: zoneDevice('C4', kernel)},
		],
		pgmaps: [fsdax(0x18000, 0x20000, {reserve: 2, free: 0x3fe}, {init_cursor: 0x1c000})],
	});
}

describe('hwpoison_inject', () => {
	// A test of the still-open [A] case: pfn_valid() is the only guard before compound_head() /
	// page_folio() in every version, so every pfn with a memmap is read, whatever it holds.
	// Expect, at 4.13, 5.10 and 6.12 alike, every C1, C2, C4, C5, metadata and hole pfn touched
	// (counted as distinct pfns: how often each is read depends on the version), each first by
	// hwpoison_inject's own compound_head() read, and no unbacked pfn (pfn_valid() is false there).
	it.each(['4.13', '5.10', '6.12'])('reads every pfn_valid() pfn at %s (open [A])', kernel => {
		const result = runNaive(hwpoison_inject, layout(kernel));
		expect(result.form?.guard).toBe('guards with pfn_valid() only');
		const pfns = new Map<string, Set<number>>();
		for (const t of result.log) {
			pfns.set(t.category, (pfns.get(t.category) ?? new Set()).add(t.pfn));
		}

		const distinct = Object.fromEntries([...pfns].map(([category, set]) => [category, set.size]));
		expect(distinct).toMatchObject({C1: 0x8000, C2: 0x3c00, C4: 0x4000, C5: 2, metadata: 0x3fe, hole: 0x200});
		expect(result.touches.unbacked).toBe(0);
		const firstPerPfn = new Map<number, string>();
		for (const t of result.log) {
			if (!firstPerPfn.has(t.pfn)) {
				firstPerPfn.set(t.pfn, t.via);
			}
		}

		expect(new Set(firstPerPfn.values())).toEqual(new Set([kernel === '6.12' ? 'page_folio' : 'compound_head']));
		expect(result.form?.fixed_by).toBeUndefined();
	});

	// A test of the pin dropped by fd476720c9ba (v5.10): up to v5.9 get_hwpoison_page() takes a
	// reference on every pfn_valid() page, a refcount write into C1's poisoned memmap. Expect the
	// C1 pfn 0x10000 read by compound_head(), then written at 5.9 through get_hwpoison_page's pin;
	// at 5.10 only memory_failure (which refuses it with pfn_to_online_page()) is left, so the one
	// touch is the compound_head() read.
	it('pins (writes the refcount of) never-onlined memory up to v5.9, not from v5.10', () => {
		const pin = runNaive(hwpoison_inject, layout('5.9')).log.filter(t => t.pfn === 0x10000);
		expect(pin.map(t => [t.via, t.access, t.category])).toEqual([
			['compound_head', 'read', 'C1'],
			['get_hwpoison_page', 'write', 'C1'],
		]);
		expect(pin[1]?.fields).toContain('_refcount');

		const noPin = runNaive(hwpoison_inject, layout('5.10')).log.filter(t => t.pfn === 0x10000);
		expect(noPin).toEqual([{pfn: 0x10000, category: 'C1', via: 'compound_head', access: 'read', fields: ['compound_head']}]);
	});

	// A test that hwpoison_inject() goes on into memory_failure() in the same step: at 6.12 the C2
	// pfn 0x18400 is first read by page_folio(), then by dax_lock_folio() and written by
	// SetPageHWPoison() in memory_failure_dev_pagemap(). Expect those three touches, in order.
	it('continues into memory_failure() on the same pfn', () => {
		const touches = runNaive(hwpoison_inject, layout('6.12')).log.filter(t => t.pfn === 0x18400);
		expect(touches.map(t => [t.via, t.access, t.fields])).toEqual([
			['page_folio', 'read', ['compound_head']],
			['dax_lock_folio', 'read', ['compound_head', 'mapping']],
			['SetPageHWPoison', 'write', ['flags']],
		]);
	});

	it('names the form per version', () => {
		expect(['4.13', '5.9', '5.10', '6.1', '6.12'].map(k => hwpoison_inject.plan(layout(k))?.label)).toEqual([
			'v4.13–v5.9: pfn_valid(), compound_head() + get_hwpoison_page(), then memory_failure()',
			'v4.13–v5.9: pfn_valid(), compound_head() + get_hwpoison_page(), then memory_failure()',
			'v5.10+: pfn_valid(), compound_head(), then memory_failure()',
			'v5.10+: pfn_valid(), compound_head(), then memory_failure()',
			'v5.10+: pfn_valid(), page_folio(), then memory_failure()',
		]);
	});
});

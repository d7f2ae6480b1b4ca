import {describe, expect, it} from 'vitest';
import type {PfnState} from '../../source/model/types.js';
import walker from '../../walkers/read_page_owner.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {checkAnchors} from './anchor-guard.js';

/** A hot-added (non-early) ZONE_DEVICE subsection. */
function device(category: 'C2' | 'C4', content: 'init' | 'poison'): PfnState {
	return state({
		section: {present: true, valid: true, usage: true},
		subsection_valid: true,
		memmap: content === 'init' ? {content, zone: 'Device', nid: 0, pgmap: 0, reserved: true, writer: 'memmap_init_zone_device'} : {content, writer: 'page_init_poison (sparse_add_section)'},
		pgmap: 0,
		category,
		predicates: {pfn_valid: true, get_dev_pagemap: 0, valid_section: true, present_section: true, pfn_section_valid: true},
	});
}

// The rest of a device section outside the device range: subsection bit clear, no memmap.
const C3 = state({
	section: {present: true, valid: true, usage: true},
	memmap: {content: 'unbacked', writer: 'none'},
	category: 'C3',
	predicates: {pfn_valid: false, valid_section: true, present_section: true},
});

const NOMAP = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	memmap: {content: 'garbage', writer: 'none (NOMAP skipped by memmap_init)'},
	category: 'nomap',
	predicates: {pfn_valid: false, pfn_valid_within: false, valid_section: true, online_section: true, early_section: true},
});

describe('read_page_owner', () => {
	// A test of the still-open pfn_valid()-only guard at v6.12 [A, walkers.md W12; no report found]:
	// an offline hot-added block and a ZONE_DEVICE range whose memmap is not initialized yet, both
	// below max_pfn.
	//
	//   |  boot RAM (ok)  | hotplug, offline (C1) | devdax (C4) |  unbacked  |
	//   0x0          0x8000                   0x10000       0x10400     0x18000 = max_pfn
	//
	// Expect PageBuddy() (page_type) read on every C1 and C4 pfn.
	it('reads offline and uninitialized ZONE_DEVICE pfns below max_pfn at v6.12 [A]', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
				{start: 0x10000, end: 0x10400, state: device('C4', 'poison')},
			],
			max_pfn: 0x18000,
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(0x8000);
		expect(result.touches.C4).toBe(0x400);
		expect(result.touches.unbacked).toBe(0);
		expect(result.log.find(t => t.category === 'C4')).toEqual({pfn: 0x10000, category: 'C4', via: 'read_page_owner', fields: ['page_type'], access: 'read'});
	});

	// A test of the 2 MiB corner of the 4 MiB stride at v6.12 [A, walkers.md W12]: a device section
	// whose only active subsection is its first 2 MiB, so the second 2 MiB of the same
	// MAX_ORDER_NR_PAGES area has no memmap (and may be unmapped).
	//
	//   | boot RAM (ok) | unbacked | C2 (2 MiB) | C3 (2 MiB) |     C3 ...      |
	//   0x0         0x8000     0x20000      0x20200      0x20400          0x28000 = max_pfn
	//                          |<-- one MAX_ORDER_NR_PAGES area -->|
	//
	// Expect pfn_valid(0x20000) to admit the whole area: 0x200 C2 and 0x200 C3 pfns read; the next
	// areas fail pfn_valid() and are skipped.
	it('reads the invalid second half of a 4 MiB area whose first 2 MiB are valid [A]', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x20000, end: 0x20200, state: device('C2', 'init')},
				{start: 0x20200, end: 0x28000, state: C3},
			],
			max_pfn: 0x28000,
		});
		const result = runNaive(walker, model);
		expect(result.touches.C2).toBe(0x200);
		expect(result.touches.C3).toBe(0x200);
		expect(Math.max(...result.log.map(t => t.pfn))).toBe(0x203ff);
	});

	// A test of the per-pfn pfn_valid_within() on arm64 with CONFIG_HOLES_IN_ZONE (up to v5.13), at
	// v5.13 and v5.15 (helper removed), with 16 NOMAP pfns inside a valid MAX_ORDER_NR_PAGES area
	// (hand-made state, the same at both versions).
	//
	//   | boot RAM (ok) | NOMAP |        boot RAM (ok)         |
	//   0x0         0x1010  0x1020                        0x4000 = max_pfn
	//
	// Expect 0 nomap reads at v5.13 and 16 at v5.15.
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
			max_pfn: 0x4000,
		});
		expect(runNaive(walker, model).touches.nomap).toBe(nomap);
	});

	// A test of the start pfn, with min_low_pfn inside the first MAX_ORDER_NR_PAGES area, at v6.0
	// (start = min_low_pfn + file position) and v6.1 (the file position is the start pfn).
	//
	//   | ok (below min_low_pfn) | ok  |  unbacked  |         ok          |
	//   0x0                   0x100 0x180         0x400                 0x800 = max_pfn
	//                         min_low_pfn
	//
	// Expect at v6.0 pfns below 0x100 never read, at v6.1 read from pfn 1 (pfn 0 needs position 0,
	// which means min_low_pfn). The pre-loop stops at the first valid start and nothing is checked
	// again before the next aligned pfn, so [0x180, 0x400) is read although it has no memmap;
	// [0x400, 0x800) passes its aligned check. Steps only look at the area start.
	it.each([
		['6.0', 0x100],
		['6.1', 1],
	] as const)('starts at min_low_pfn or at any file position (v%s)', (kernel, first) => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x180, state: OK},
				{start: 0x400, end: 0x800, state: OK},
			],
			max_pfn: 0x800,
			min_low_pfn: 0x100,
		});
		const result = runNaive(walker, model);
		expect(Math.min(...result.log.map(t => t.pfn))).toBe(first);
		expect(result.touches.ok).toBe(0x180 - first + 0x400);
		expect(result.touches.unbacked).toBe(0x400 - 0x180);
		expect(checkAnchors(walker, model)).toBe(0x800 - first);
	});

	// With classic SPARSEMEM (config vmemmap: false), lookup_page_ext() → page_to_pfn() decodes
	// the section number from page->flags.
	it('reads page->flags for page_to_pfn() without VMEMMAP', () => {
		const base = fakeModel({kernel: '6.12', runs: [{start: 0, end: 0x400, state: OK}], max_pfn: 0x400});
		const model = {...base, topology: {...base.topology, config: {...base.topology.config, vmemmap: false}}};
		expect(runNaive(walker, model).log[0]!.fields).toEqual(['page_type', 'flags']);
	});

	it('labels its forms by version; no fix exists', () => {
		const plan = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!;
		expect(plan('5.14').label).toBe('v4.13-v5.14: pfn_valid() per MAX_ORDER_NR_PAGES area, pfn_valid_within() per pfn');
		expect(plan('6.0').label).toBe('v5.15-v6.0: pfn_valid() per MAX_ORDER_NR_PAGES area only');
		expect(plan('6.12').label).toBe('v6.1+: pfn_valid() per MAX_ORDER_NR_PAGES area only, from any start pfn');
		expect(walker.history.map(h => h.since)).toEqual(['4.13', '5.15', '6.1']);
		expect(plan('6.12').fixed_by).toBeUndefined();
	});
});

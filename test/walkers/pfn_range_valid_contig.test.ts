import {describe, expect, it} from 'vitest';
import type {Zone} from '../../source/model/types.js';
import pfn_range_valid_contig from '../../walkers/pfn_range_valid_contig.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 32: four 1 GiB windows of 0x40000 pfns. ZONE_NORMAL spans the first
// three, ZONE_MOVABLE the fourth (gigantic pages never come from it):
//
//   window 0: | boot RAM (ok)                                                   |
//   window 1: | boot RAM | never onlined (C1) | boot RAM                        |
//   window 2: | boot RAM | fsdax C2 sharing an online boot section | boot RAM   |
//   window 3: | boot RAM (ZONE_MOVABLE)                                         |
//   0x0 … 0x40000 | 0x40000 0x48000 0x50000 … 0x80000 | 0x80000 0x84000 0x88000 … 0xc0000 | … 0x100000
function layout(kernel: string) {
	const zones: Zone[] = [
		{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0xc0000, populated: true, contiguous: false},
		{nid: 0, name: 'Movable', zone_start_pfn: 0xc0000, zone_end_pfn: 0x100000, populated: true, contiguous: false},
	];
	const movable = {...OK, memmap: {...OK.memmap, zone: 'Movable' as const}};
	return fakeModel({
		kernel,
		max_physmem_bits: 32,
		runs: [
			{start: 0, end: 0x48000, state: OK},
			{start: 0x48000, end: 0x50000, state: C1_POISON},
			{start: 0x50000, end: 0x84000, state: OK},
			{start: 0x84000, end: 0x88000, state: zoneDevice('C2', kernel, {collision: true})},
			{start: 0x88000, end: 0xc0000, state: OK},
			{start: 0xc0000, end: 0x100000, state: movable},
		],
		zones,
	});
}

describe('pfn_range_valid_contig', () => {
	// A test of f231fe4235e2 (v5.4): with pfn_valid() the check of window 1 reaches the
	// never-onlined block at 0x48000 and reads its garbage zone (then gives the window up); with
	// pfn_to_online_page() it gives up at 0x48000 without a read. Expect one C1 touch
	// (page_zone()) at v5.3, none at v5.4; window 0 is read whole in both, two touches per pfn
	// (page_zone(), then PageReserved()/page_count()/PageHuge()).
	it('reads the first never-onlined pfn of a window at v5.3, not at v5.4', () => {
		const before = runNaive(pfn_range_valid_contig, layout('5.3'));
		expect(before.form?.label).toBe('≤v5.3: pfn_range_valid_gigantic(): pfn_valid()');
		expect(before.touches.C1).toBe(1);
		expect(before.log.find(t => t.category === 'C1')).toMatchObject({pfn: 0x48000, via: 'page_zone', fields: ['flags']});
		expect(before.log.filter(t => t.pfn === 0).map(t => [t.via, t.fields])).toEqual([
			['page_zone', ['flags']],
			['pfn_range_valid_gigantic', ['flags', 'compound_head', '_refcount']],
		]);

		const after = runNaive(pfn_range_valid_contig, layout('5.4'));
		expect(after.touches.C1).toBe(0);
		expect(after.log.filter(t => t.pfn < 0x40000)).toHaveLength(2 * 0x40000);
	});

	// A test of the collision case: window 2 reaches 0x84000, a ZONE_DEVICE pfn in a section shared
	// with online boot RAM. The pfn_to_online_page() macro (≤v5.11) returns it: its zone is read and
	// differs (ZONE_DEVICE), which ends the window. From v5.12 it is NULL. Expect C2 1, then 0.
	it('reads one collision pfn per window at v5.11, none at v5.12', () => {
		expect(runNaive(pfn_range_valid_contig, layout('5.11')).touches.C2).toBe(1);
		const after = runNaive(pfn_range_valid_contig, layout('5.12'));
		expect(after.touches.C2).toBe(0);
		expect(after.touches.ok).toBe(2 * (0x40000 + 0x8000 + 0x4000));
	});

	// A test of the plan: one pass for ZONE_NORMAL (none for ZONE_MOVABLE), walking each 1 GiB
	// window up to and including its first failing pfn — window 0 whole, window 1 up to the
	// never-onlined 0x48000, window 2 up to the collision pfn 0x84000 (pfn_to_online_page() NULL
	// at v6.12) — with window 0 and window 1 joined into one range. At v5.11 the collision pfn
	// passes the guard and fails on page_zone(): the same range end.
	it('plans one pass per zone below ZONE_MOVABLE, each window up to its first failing pfn', () => {
		const form = pfn_range_valid_contig.plan(layout('6.12'));
		expect(form?.label).toBe('v5.7+: pfn_range_valid_contig(): pfn_to_online_page()');
		expect(form?.passes.map(p => p.ranges)).toEqual([
			[
				{start: 0, end: 0x48001},
				{start: 0x80000, end: 0x84001},
			],
		]);
		expect(pfn_range_valid_contig.plan(layout('5.11'))?.passes[0]?.ranges).toEqual(form?.passes[0]?.ranges);
	});

	// A test that every window is checked when none fails: four windows of boot RAM in one zone
	// make one range of 0x100000 pfns, each read twice.
	it('walks windows that pass as one range', () => {
		const model = fakeModel({
			kernel: '6.12',
			max_physmem_bits: 32,
			runs: [{start: 0, end: 0x100000, state: OK}],
			zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x100000, populated: true, contiguous: false}],
		});
		expect(pfn_range_valid_contig.plan(model)?.passes.map(p => p.ranges)).toEqual([[{start: 0, end: 0x100000}]]);
		expect(runNaive(pfn_range_valid_contig, model).touches.ok).toBe(2 * 0x100000);
	});

	// A test of PageReserved(): reserved boot RAM at [0x40010, 0x40020) in window 1 ends that
	// window at 0x40010, after both reads of it; window 2 is checked again from its start.
	//
	//   | ok ... | ok | reserved | ok ...            | ok ...
	//   0x0   0x40000 0x40010  0x40020          0x80000      0x100000
	//
	// Expect ranges [0x0, 0x40011) and [0x80000, 0x100000), and 2 × (0x40010 + 0x80000) ok
	// touches plus 2 on the reserved pfn.
	it('gives a window up at a reserved page, after reading it', () => {
		const reserved = {...OK, memmap: {...OK.memmap, reserved: true}};
		const model = fakeModel({
			kernel: '6.12',
			max_physmem_bits: 32,
			runs: [
				{start: 0, end: 0x40010, state: OK},
				{start: 0x40010, end: 0x40020, state: reserved},
				{start: 0x40020, end: 0x100000, state: OK},
			],
			zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x100000, populated: true, contiguous: false}],
		});
		expect(pfn_range_valid_contig.plan(model)?.passes[0]?.ranges).toEqual([
			{start: 0, end: 0x40011},
			{start: 0x80000, end: 0x100000},
		]);
		expect(runNaive(pfn_range_valid_contig, model).touches.ok).toBe(2 * (0x40010 + 0x80000) + 2);
	});
});

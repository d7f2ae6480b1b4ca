import {describe, expect, it} from 'vitest';
import {atLeast, v} from '../../source/kernel/version.js';
import type {Model, PfnState, Zone} from '../../source/model/types.js';
import shrink_zone_span from '../../walkers/shrink_zone_span.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {MiB, topology} from '../helpers/topology.js';
import {fsdax, OFFLINED, OFFLINED_STALE, zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30 (sections of 0x8000 pfns, subsections of 0x200). ZONE_NORMAL of
// node 0 held boot RAM and the block at 0x18000, which was onlined and is now offlined; between
// them a hot-added block that was never onlined. Two fsdax namespaces in ZONE_DEVICE: the first
// ready, the second still in memmap_init_zone_device() (C4):
//
//   | boot RAM (ok) | hotplug, never onlined (C1) | offlined block | unbacked | fsdax 0 (C2) | fsdax 1 (C4) |
//   0x0         0x10000                       0x18000          0x20000    0x28000        0x30000        0x38000
//   |<------------------------------ ZONE_NORMAL ------------------------->|            |<-- ZONE_DEVICE -->|
function layout(kernel: string, normal: {start: number; end: number}): Model {
	// Offlining poisons the memmap again from v5.5 (remove_pfn_range_from_zone()); before, it is stale.
	const offlined: PfnState = atLeast(v(kernel), '5.5') ? OFFLINED : OFFLINED_STALE;
	const zones: Zone[] = [
		{nid: 0, name: 'Normal', zone_start_pfn: normal.start, zone_end_pfn: normal.end, populated: true, contiguous: false},
		{nid: 0, name: 'Device', zone_start_pfn: 0x28000, zone_end_pfn: 0x38000, populated: false, contiguous: false},
	];
	const model = fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: C1_POISON},
			{start: 0x18000, end: 0x20000, state: offlined},
			{start: 0x28000, end: 0x30000, state: zoneDevice('C2', kernel)},
			{start: 0x30000, end: 0x38000, state: zoneDevice('C4', kernel)},
		],
		zones,
		nodes: [{nid: 0, node_start_pfn: 0, node_end_pfn: 0x38000}],
		pgmaps: [fsdax(0x28000, 0x30000, undefined), {...fsdax(0x30000, 0x38000, undefined), id: 1, init_cursor: 0x30000}],
	});
	const entries = topology({kernel})
		.boot(0, 256 * MiB)
		.hotplug(256 * MiB, 128 * MiB, 'offline')
		.hotplug(384 * MiB, 128 * MiB, 'offlined')
		.build().memory;
	return {...model, entries};
}

const KEEP = {start: 0, end: 0x20000};
const SHRUNK = {start: 0, end: 0x10000};

describe('shrink_zone_span', () => {
	// A test of the v5.4 fix: offlining (removing, before v5.5) the block at the end of ZONE_NORMAL
	// scans down from 0x17fff, one pfn per subsection, for the zone's new last pfn. At v5.3
	// (pfn_valid()) the 64 subsection pfns of the never-onlined block are read with pfn_to_nid()
	// (poisoned memmap: a VM_BUG_ON_PGFLAGS with DEBUG_VM_PGFLAGS) before boot RAM at 0xffff ends
	// the scan; from v5.4 (pfn_to_online_page()) they are skipped. Expect C1 64 then 0, and two
	// reads of 0xffff (pfn_to_nid(), then page_zone() for a page of the node).
	it('reads the never-onlined block at v5.3, skips it from v5.4', () => {
		const before = runNaive(shrink_zone_span, layout('5.3', KEEP));
		expect(before.form?.label).toBe('v5.3: pfn_valid() per subsection, at memory removal (ZONE_DEVICE included)');
		const down = before.log.filter(t => t.via === 'find_biggest_section_pfn');
		expect(down.filter(t => t.category === 'C1')).toHaveLength(64);
		expect(down.at(-1)).toMatchObject({pfn: 0xffff, category: 'ok'});
		expect(before.touches.C1).toBe(64);

		const after = runNaive(shrink_zone_span, layout('5.4', KEEP));
		expect(after.touches.C1).toBe(0);
		expect(after.log.filter(t => t.via === 'find_biggest_section_pfn').map(t => t.pfn)).toEqual([0xffff, 0xffff]);
	});

	// A test that the v5.5+ form (at offline_pages()) finds the same boundary whether the model
	// shows ZONE_NORMAL still spanning the block or already shrunk to [0, 0x10000): the scan range
	// is the hull of zone span and block. Expect two touches of pfn 0xffff (pfn_to_nid(), then
	// page_zone()) after 64 skipped subsection pfns, and no "only holes" loop.
	it('scans from the offlined block down to boot RAM at v5.5+, shrunk model or not', () => {
		for (const normal of [KEEP, SHRUNK]) {
			const result = runNaive(shrink_zone_span, layout('6.12', normal));
			expect(result.form?.label).toBe('v5.5+: pfn_to_online_page(), at offline_pages()');
			expect(result.log.map(t => [t.pfn, t.via])).toEqual([
				[0xffff, 'find_biggest_section_pfn'],
				[0xffff, 'find_biggest_section_pfn'],
			]);
			expect(result.visited).toBe(65);
		}
	});

	// A test of ZONE_DEVICE shrinking before v5.4: tearing down fsdax 0 (at the start of the
	// device zone) scans up from 0x30000 through fsdax 1, still being initialized: every subsection
	// pfn of it passes pfn_valid() and its poisoned nid is read — the zone-shrink vs.
	// memmap_init_zone_device() race Toshiki Fukasawa hit. Expect 0x8000 / 0x200 = 64 C4 touches at
	// v5.3; v5.4 no longer shrinks ZONE_DEVICE: no C4 touch.
	it('reads a ZONE_DEVICE range under initialization at v5.3, not at v5.4', () => {
		const before = runNaive(shrink_zone_span, layout('5.3', KEEP));
		const up = before.log.filter(t => t.via === 'find_smallest_section_pfn');
		expect(up.every(t => t.category === 'C4')).toBe(true);
		expect(before.touches.C4).toBe(64);

		const after = runNaive(shrink_zone_span, layout('5.4', KEEP));
		expect(after.touches.C4).toBe(0);
		expect(after.form?.label).toBe('v5.4: pfn_to_online_page(), at memory removal, ZONE_DEVICE not shrunk');
	});

	// A test of the section-granular form (≤v5.2): valid_section() every PAGES_PER_SECTION. The
	// downward scan reads 0x17fff (never-onlined block: its poisoned nid ends the test) and stops
	// at 0xffff (read twice: nid, then zone). Expect C1 1.
	it('checks one pfn per section with valid_section() up to v5.2', () => {
		const result = runNaive(shrink_zone_span, layout('5.2', KEEP));
		expect(result.form?.label).toBe('≤v5.2: valid_section() per section, at memory removal (ZONE_DEVICE included)');
		expect(result.log.filter(t => t.via === 'find_biggest_section_pfn').map(t => [t.pfn, t.category])).toEqual([
			[0x17fff, 'C1'],
			[0xffff, 'ok'],
			[0xffff, 'ok'],
		]);
	});

	// Expect one pass with no ranges that says why (a form has one or more passes).
	it('plans nothing to walk when nothing is offlined or torn down', () => {
		const model = {...layout('6.12', KEEP), entries: [], pgmaps: []};
		expect(shrink_zone_span.plan(model)?.passes).toEqual([expect.objectContaining({label: 'no memory is offlined or removed in this topology', ranges: []})]);
	});
});

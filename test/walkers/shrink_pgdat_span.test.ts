import {describe, expect, it} from 'vitest';
import type {Model} from '../../source/model/types.js';
import shrink_pgdat_span from '../../walkers/shrink_pgdat_span.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {MiB, topology} from '../helpers/topology.js';
import {fsdax, OFFLINED_STALE, zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. Node 0 spans boot RAM, a never-onlined block, an offlined block
// and two fsdax namespaces; fsdax 1 is still in memmap_init_zone_device() (C4), fsdax 0 at the
// node end is ready and about to be torn down:
//
//   | boot RAM (ok) | never onlined (C1) | offlined (stale) | fsdax 1 (C4) | fsdax 0 (C2) |
//   0x0         0x10000              0x18000            0x20000        0x28000        0x30000
//   |<---------------------------------- node 0 span ----------------------------------->|
function layout(kernel: string): Model {
	const model = fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: C1_POISON},
			{start: 0x18000, end: 0x20000, state: OFFLINED_STALE},
			{start: 0x20000, end: 0x28000, state: zoneDevice('C4', kernel)},
			{start: 0x28000, end: 0x30000, state: zoneDevice('C2', kernel)},
		],
		nodes: [{nid: 0, node_start_pfn: 0, node_end_pfn: 0x30000}],
		pgmaps: [fsdax(0x28000, 0x30000, undefined), {...fsdax(0x20000, 0x28000, undefined), id: 1, init_cursor: 0x20000}],
	});
	const entries = topology({kernel})
		.boot(0, 256 * MiB)
		.hotplug(256 * MiB, 128 * MiB, 'offline')
		.hotplug(384 * MiB, 128 * MiB, 'offlined')
		.build().memory;
	return {...model, entries};
}

describe('shrink_pgdat_span', () => {
	// A test of the node-span scan at v5.3: tearing down fsdax 0 at the end of node 0 scans down
	// from 0x27fff, one pfn per subsection, comparing pfn_to_nid() with the node: the 64 subsection
	// pfns of fsdax 1 (C4, poisoned) are read, then the offlined block's stale nid matches at
	// 0x1ffff. Expect C4 64. The removal of the offlined block (mid-node) runs only the "only holes"
	// loop, which stops at pfn 0.
	it('reads a ZONE_DEVICE range under initialization through the node span at v5.3', () => {
		const result = runNaive(shrink_pgdat_span, layout('5.3'));
		expect(result.form?.label).toBe('v5.3: pfn_valid() per subsection, node span');
		const down = result.log.filter(t => t.via === 'find_biggest_section_pfn');
		expect(down.filter(t => t.category === 'C4')).toHaveLength(64);
		expect(down.at(-1)).toMatchObject({pfn: 0x1ffff, category: 'C1'});
		expect(result.touches.C4).toBe(64);
		expect(result.log.filter(t => t.via === 'shrink_pgdat_span').map(t => t.pfn)).toEqual([0, 0]);
	});

	// A test of the section-granular form: valid_section() at 0x27fff (C4) and 0x1ffff (match).
	it('checks one pfn per section up to v5.2', () => {
		const result = runNaive(shrink_pgdat_span, layout('5.2'));
		expect(result.log.filter(t => t.via === 'find_biggest_section_pfn').map(t => t.pfn)).toEqual([0x27fff, 0x1ffff]);
	});

	// A test of the v5.4 fix 00d6c019b5bc: update_pgdat_span() replaces the walker and touches no
	// memmap. Expect no form (null) from v5.4 on, and no touches.
	it('does not exist from v5.4 on', () => {
		for (const kernel of ['5.4', '5.10', '6.12']) {
			const result = runNaive(shrink_pgdat_span, layout(kernel));
			expect(result.form).toBeNull();
			expect(result.visited).toBe(0);
		}

		expect(shrink_pgdat_span.plan(layout('5.3'))?.fixed_by).toMatchObject({id: '00d6c019b5bc', version: '5.4'});
	});
});

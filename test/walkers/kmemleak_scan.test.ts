import {describe, expect, it} from 'vitest';
import kmemleak_scan from '../../walkers/kmemleak_scan.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. Node 0 spans boot RAM (ZONE_NORMAL), a never-onlined block and
// an fsdax namespace with an altmap; only the boot RAM is a populated zone span:
//
//   | boot RAM (ok) | never onlined (C1) |rsv| free | data (C2) | unbacked
//   0x0         0x10000              0x18000 +2  0x18400   0x20000
//   |<- ZONE_NORMAL ->|
//   |<--------------------------- node 0 ---------------------->|
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: C1_POISON},
			{start: 0x18000, end: 0x18002, state: zoneDevice('C5', kernel)},
			{start: 0x18002, end: 0x18400, state: zoneDevice('metadata', kernel)},
			{start: 0x18400, end: 0x20000, state: zoneDevice('C2', kernel)},
		],
		zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x10000, populated: true, contiguous: false}],
		nodes: [{nid: 0, node_start_pfn: 0, node_end_pfn: 0x20000}],
	});
}

describe('kmemleak_scan', () => {
	// A test of 9f1eb38e0e11 (v5.0): with pfn_valid() the node-span walk reads page_to_nid() of
	// every pfn of the never-onlined block and of the namespace; the initialized ZONE_DEVICE pages
	// of node 0 are then scanned whole. From v5.0 pfn_to_online_page() keeps all of them out.
	// Expect at v4.20 one page_to_nid() read per C1 and C5 pfn (their poisoned nid does not
	// match) and three touches per initialized metadata and C2 pfn of node 0 (page_to_nid(),
	// page_count(), scan_block()); at v5.0 none, and three per boot RAM pfn.
	it('reads offline memory and ZONE_DEVICE through the node span at v4.20, not at v5.0', () => {
		const before = runNaive(kmemleak_scan, layout('4.20'));
		expect(before.form?.label).toBe('≤v4.20: node span, pfn_valid()');
		expect(before.touches).toMatchObject({C1: 0x8000, C5: 2, metadata: 3 * 0x3fe, C2: 3 * 0x7c00});
		expect(before.log.filter(t => t.pfn === 0x18400).map(t => [t.via, t.fields])).toEqual([
			['page_to_nid', ['flags']],
			['page_count', ['compound_head', '_refcount']],
			['scan_block', ['struct page']],
		]);
		expect(before.log.filter(t => t.pfn === 0x10000).map(t => t.fields)).toEqual([['flags']]);

		const after = runNaive(kmemleak_scan, layout('5.0'));
		expect(after.touches).toMatchObject({C1: 0, C5: 0, metadata: 0, C2: 0, ok: 3 * 0x10000});
		expect(after.visited).toBe(0x20000);
	});

	// A test of c10a0f877fe0 (v5.17): the walk moves from node spans to populated zone spans.
	// Expect 0x20000 pfns visited at v5.16 and 0x10000 at v5.17, the same ok touches.
	it('walks populated zone spans from v5.17', () => {
		const node = runNaive(kmemleak_scan, layout('5.16'));
		const zone = runNaive(kmemleak_scan, layout('5.17'));
		expect(node.visited).toBe(0x20000);
		expect(zone.visited).toBe(0x10000);
		expect(zone.form?.label).toBe('v5.17+: populated zone spans, pfn_to_online_page()');
		expect(zone.touches.ok).toBe(node.touches.ok);
	});
});

import {describe, expect, it} from 'vitest';
import saveable_page from '../../walkers/saveable_page.js';
import {fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {OFFLINED_STALE} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. An offlined block in the middle of ZONE_NORMAL (the zone span
// cannot shrink around it):
//
//   | boot RAM (ok) | offlined block (C1) | boot RAM (ok) | unbacked
//   0x0          0x8000               0x10000          0x20000
//   |<------------------- ZONE_NORMAL ------------------->|
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 0x8000, end: 0x10000, state: OFFLINED_STALE},
			{start: 0x10000, end: 0x20000, state: OK},
		],
		zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x20000, populated: true, contiguous: false}],
	});
}

describe('saveable_page', () => {
	// A test of "PM / Hibernate: use pfn_to_online_page()" (v5.0): with pfn_valid() alone both
	// hibernation passes (count_data_pages, copy_data_pages) read page_zone() of the offlined
	// block; from v5.0 pfn_to_online_page() keeps it out. Its stale memmap still says ZONE_NORMAL,
	// so each pass reads each of its pfns twice, like a boot RAM pfn: page_zone(), then
	// PageHighMem()/PageOffline()/PageReserved(). Expect 2 passes × 2 × 0x8000 C1 touches at
	// v4.20 and none at v5.0.
	it('reads the offlined block in both passes at v4.20, not at v5.0', () => {
		const before = runNaive(saveable_page, layout('4.20'));
		expect(before.form?.label).toBe('≤v4.20: pfn_valid()');
		expect(before.touches.C1).toBe(2 * 2 * 0x8000);
		expect(before.form?.passes.map(p => p.label.split(':')[0])).toEqual(['count_data_pages', 'copy_data_pages']);

		const after = runNaive(saveable_page, layout('5.0'));
		expect(after.form?.label).toBe('v5.0+: pfn_valid() && pfn_to_online_page()');
		expect(after.touches.C1).toBe(0);
		expect(after.touches.ok).toBe(2 * 2 * 0x18000);
		expect(after.log.filter(t => t.pfn === 0).map(t => [t.via, t.fields])).toEqual([
			['page_zone', ['flags']],
			['saveable_page', ['flags', 'page_type']],
			['page_zone', ['flags']],
			['saveable_page', ['flags', 'page_type']],
		]);
	});
});

import {describe, expect, it} from 'vitest';
import unpoison_memory from '../../walkers/unpoison_memory.js';
import {fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {OFFLINED, zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. Miaohe Lin's reproducer: a memory block offlined (memmap poisoned
// again), plus an fsdax data range:
//
//   | boot RAM (ok) | offlined block (C1, poisoned) | fsdax data (C2) | unbacked
//   0x0          0x10000                        0x18000           0x20000
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: OFFLINED},
			{start: 0x18000, end: 0x20000, state: zoneDevice('C2', kernel)},
		],
	});
}

describe('unpoison_memory', () => {
	// A test that writes every pfn to unpoison-pfn at v6.16 and v6.17. Expect at v6.16 (pfn_valid()
	// only) the offlined block read — PageHWPoison() on the poison pattern, the
	// VM_BUG_ON_PAGE(PagePoisoned(page)) of the report — and, since PG_hwpoison reads as set,
	// written (TestClearPageHWPoison): three touches per C1 pfn — PageHWPoison(), the
	// page_count()/page_mapped()/page_mapping() tests, the write; the C2 pages only read once
	// (already unpoisoned). At v6.17 (pfn_to_online_page()) neither is touched.
	it('touches the offlined block and ZONE_DEVICE at v6.16, not at v6.17', () => {
		const before = runNaive(unpoison_memory, layout('6.16'));
		expect(before.form?.label).toBe('≤v6.16: pfn_valid()');
		expect(before.touches).toMatchObject({C1: 3 * 0x8000, C2: 0x8000, ok: 0x10000});
		expect(before.log.filter(t => t.pfn === 0x10000).map(t => [t.via, t.access])).toEqual([
			['unpoison_memory', 'read'],
			['unpoison_memory', 'read'],
			['TestClearPageHWPoison', 'write'],
		]);
		expect(before.log.filter(t => t.pfn === 0x18000)).toEqual([{pfn: 0x18000, category: 'C2', via: 'unpoison_memory', access: 'read', fields: ['compound_head', 'flags']}]);
		expect(before.form?.fixed_by?.version).toBe('6.17');

		const after = runNaive(unpoison_memory, layout('6.17'));
		expect(after.form?.label).toBe('v6.17+: pfn_to_online_page()');
		expect(after.touches).toMatchObject({C1: 0, C2: 0, ok: 0x10000});
	});

	it('is pfn_valid()-only for every release before 6.17', () => {
		for (const kernel of ['4.13', '5.10', '6.1', '6.12']) {
			expect(unpoison_memory.plan(layout(kernel))?.guard).toBe('guards with pfn_valid() only');
		}
	});
});

import {describe, expect, it} from 'vitest';
import memory_failure from '../../walkers/memory_failure.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {fsdax, zoneDevice} from './states-a.js';

// The layout every test here uses (x86-64, MAX_PHYSMEM_BITS 30: 8 sections of 0x8000 pfns). An
// fsdax namespace with an altmap (reserve 2, free 0x3fe) whose memmap_init_zone_device() has
// reached 0x1c000 (C4 above it):
//
//   | boot RAM (ok) | hotplug, never onlined (C1) |rsv|  free  |   data (C2)   |  data (C4)  | unbacked
//   0x0         0x10000                       0x18000 0x18002  0x18400        0x1c000       0x20000
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x18000, state: C1_POISON},
			{start: 0x18000, end: 0x18002, state: zoneDevice('C5', kernel)},
			{start: 0x18002, end: 0x18400, state: zoneDevice('metadata', kernel)},
			{start: 0x18400, end: 0x1c000, state: zoneDevice('C2', kernel)},
			{start: 0x1c000, end: 0x20000, state: zoneDevice('C4', kernel)},
		],
		pgmaps: [fsdax(0x18000, 0x20000, {reserve: 2, free: 0x3fe}, {init_cursor: 0x1c000})],
	});
}

describe('memory_failure', () => {
	// A test that sweeps hard_offline_page over the layout at v5.11 and v5.12.
	// Expect the altmap reserve (C5) and memmap-storage pfns (metadata) touched through
	// memory_failure_dev_pagemap() at v5.11 — dax_lock_page() reads page->mapping, then
	// SetPageHWPoison() writes page->flags: two touches per pfn — and not at v5.12, where
	// pgmap_pfn_valid() refuses them (34dc45be4563). Offline memory (C1) is refused by
	// pfn_to_online_page() in both.
	it('reads page->mapping of altmap metadata at v5.11, not at v5.12', () => {
		const before = runNaive(memory_failure, layout('5.11'));
		expect(before.form?.label).toBe('v5.4–v5.11: pfn_to_online_page() || (pfn_valid() && get_dev_pagemap())');
		expect(before.touches.C5).toBe(2 * 2);
		expect(before.touches.metadata).toBe(2 * 0x3fe);
		expect(before.touches.C1).toBe(0);
		const reserve = before.log.filter(t => t.pfn === 0x18000);
		expect(reserve.map(t => [t.via, t.access, t.category])).toEqual([
			['dax_lock_page', 'read', 'C5'],
			['SetPageHWPoison', 'write', 'C5'],
		]);
		expect(reserve[0]?.fields).toContain('mapping');

		const after = runNaive(memory_failure, layout('5.12'));
		expect(after.form?.label).toBe('v5.12+: pfn_to_online_page() || (pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid())');
		expect(after.touches.C5).toBe(0);
		expect(after.touches.metadata).toBe(0);
		expect(after.touches.C2).toBe(2 * 0x3c00);
		expect(after.touches.ok).toBe(2 * 0x10000);
	});

	// A test of the case walkers.md still lists as open [A]: the memmap_init_zone_device() window.
	// get_dev_pagemap() succeeds from the xarray insert on and pgmap_pfn_valid() is arithmetic, so
	// at 6.12 the C4 pfns [0x1c000, 0x20000) are read (page->mapping) and written
	// (SetPageHWPoison()). Expect 0x4000 C4 reads through dax_lock_folio() and 0x4000 writes.
	it('still touches and writes the C4 init window at 6.12 (open [A])', () => {
		const result = runNaive(memory_failure, layout('6.12'));
		expect(result.touches.C4).toBe(2 * 0x4000);
		const c4 = result.log.filter(t => t.category === 'C4');
		expect(c4.filter(t => t.access === 'read' && t.via === 'dax_lock_folio')).toHaveLength(0x4000);
		expect(c4.filter(t => t.access === 'write' && t.via === 'SetPageHWPoison')).toHaveLength(0x4000);
		expect(result.form?.fixed_by).toBeUndefined();
	});

	// A test of the pre-v5.4 guard: pfn_valid() lets the never-onlined block (C1) through to the
	// normal path, which reads it (PageHuge()) and writes the HWPoison bit into its poisoned
	// memmap (TestSetPageHWPoison()). Expect 0x8000 C1 reads and 0x8000 C1 writes at v5.3 and no
	// C1 touch at v5.4 (96c804a6ae8c).
	it('writes into never-onlined memory (C1) at v5.3, not at v5.4', () => {
		const before = runNaive(memory_failure, layout('5.3'));
		expect(before.form?.label).toBe('v4.19–v5.3: pfn_valid(), then get_dev_pagemap() → memory_failure_dev_pagemap()');
		expect(before.touches.C1).toBe(2 * 0x8000);
		expect(before.log.filter(t => t.pfn === 0x10000).map(t => [t.via, t.access])).toEqual([
			['memory_failure', 'read'],
			['TestSetPageHWPoison', 'write'],
		]);
		expect(before.form?.fixed_by).toMatchObject({id: '96c804a6ae8c', version: '5.4'});

		const after = runNaive(memory_failure, layout('5.4'));
		expect(after.touches.C1).toBe(0);
		expect(after.touches.C5).toBe(2 * 2);
	});

	// A test of the oldest form: before 6100e34b2526 (v4.19) ZONE_DEVICE pfns took the normal
	// path too. Expect at v4.18 every ZONE_DEVICE pfn touched via memory_failure (not
	// dax_lock_page), twice (read, then TestSetPageHWPoison()), and at v4.19 via dax_lock_page.
	it('handles ZONE_DEVICE as ordinary pages before v4.19', () => {
		const old = runNaive(memory_failure, layout('4.18'));
		expect(old.form?.label).toBe('v4.13–v4.18: pfn_valid()');
		expect(old.log.find(t => t.pfn === 0x18400)?.via).toBe('memory_failure');
		expect(old.touches.C2 + old.touches.C4 + old.touches.C5 + old.touches.metadata).toBe(2 * 0x8000);

		const newer = runNaive(memory_failure, layout('4.19'));
		expect(newer.log.find(t => t.pfn === 0x18400)?.via).toBe('dax_lock_page');
	});

	// A test of a ZONE_DEVICE range sharing an online boot section (collision, v5.3+).
	//
	//   | boot RAM (ok), early+online section  | fsdax data (C2), same section | ...
	//   0x0                                 0x4000                          0x8000
	//
	// Expect the normal path (memory_failure, TestSetPageHWPoison) on the device pfns at v5.11,
	// where the pfn_to_online_page() macro returns them, and the dev_pagemap path at v5.12.
	it('takes the normal path on collision pfns at v5.11 and the dev_pagemap path at v5.12', () => {
		const model = (kernel: string) =>
			fakeModel({
				kernel,
				max_physmem_bits: 30,
				runs: [
					{start: 0, end: 0x4000, state: OK},
					{start: 0x4000, end: 0x8000, state: zoneDevice('C2', kernel, {collision: true})},
				],
			});
		expect(runNaive(memory_failure, model('5.11')).log.find(t => t.pfn === 0x4000)?.via).toBe('memory_failure');
		expect(runNaive(memory_failure, model('5.12')).log.find(t => t.pfn === 0x4000)?.via).toBe('dax_lock_page');
	});

	// A test of the history: arch_memory_failure() (x86 SGX EPC pfns, no struct page) came with
	// 03b122da74b2 in v5.17 (absent from the 5.10.262 tree, present in 6.1.176). Expect the guard
	// change dated v5.17 with that commit, and none at v6.1.
	it('dates arch_memory_failure() v5.17 (03b122da74b2)', () => {
		const change = memory_failure.history.find(h => h.guard.includes('arch_memory_failure()'));
		expect(change?.since).toBe('5.17');
		expect(change?.commits).toEqual([{id: '03b122da74b2', subject: 'x86/sgx: Hook arch_memory_failure() into mainline code'}]);
		expect(memory_failure.history.some(h => h.since === '6.1')).toBe(false);
	});

	it('sweeps the physical address space and the boundary pfns beyond it', () => {
		const form = memory_failure.plan(layout('6.12'));
		const ranges = form?.passes[0]?.ranges ?? [];
		expect(ranges[0]).toEqual({start: 0, end: 0x40000});
		expect(ranges.slice(1).every(r => r.end - r.start === 1)).toBe(true);
		expect(ranges.at(-1)).toEqual({start: 2 ** 52, end: 2 ** 52 + 1});
	});
});

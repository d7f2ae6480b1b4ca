import {describe, expect, it} from 'vitest';
import type {Model} from '../../source/model/types.js';
import damon_get_folio from '../../walkers/damon_get_folio.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {MiB, topology} from '../helpers/topology.js';
import {hole} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 31. Two touching boot ranges (one System RAM resource after e820
// merging, 512 MiB, with a 2 MiB hole subsection) and a 384 MiB hot-added block never onlined:
//
//   | boot RAM | hole | boot RAM        | boot RAM (2nd entry) | unbacked | hotplug, offline (C1) |
//   0x0    0x8000 0x8200            0x10000                0x20000    0x28000        0x40000 (0x58000)
function layout(kernel: string, hotplugMiB = 384): Model {
	const model = fakeModel({
		kernel,
		max_physmem_bits: 31,
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 0x8000, end: 0x8200, state: hole(kernel)},
			{start: 0x8200, end: 0x20000, state: OK},
			{start: 0x28000, end: 0x28000 + hotplugMiB * 0x100, state: C1_POISON},
		],
	});
	const entries = topology({kernel})
		.boot(0, 256 * MiB)
		.boot(256 * MiB, 256 * MiB)
		.hotplug(640 * MiB, hotplugMiB * MiB, 'offline')
		.build().memory;
	return {...model, entries};
}

describe('damon_get_folio', () => {
	// A test of the default region: the biggest System RAM resource is the merged boot range
	// [0x0, 0x20000), bigger than the 384 MiB block. Every pfn of it is sampled; the 2 MiB hole is
	// refused by pfn_to_online_page() (v5.12+ subsection check). Expect three touches per online
	// pfn — page_folio(), the folio_try_get() refcount write, the folio_test_lru() recheck — so
	// 3 × (0x20000 - 0x200) ok touches, and no hole touch. At 6.1 (damon_get_page()) two:
	// get_page_unless_zero()'s write, then PageLRU().
	it('walks the biggest System RAM resource, guarded by pfn_to_online_page()', () => {
		const result = runNaive(damon_get_folio, layout('6.12'));
		expect(result.form?.passes[0]?.ranges).toEqual([{start: 0, end: 0x20000}]);
		expect(result.touches).toMatchObject({ok: 3 * (0x20000 - 0x200), hole: 0});
		expect(result.log.filter(t => t.pfn === 0x8200).map(t => [t.via, t.access, t.fields])).toEqual([
			['page_folio', 'read', ['compound_head']],
			['folio_try_get', 'write', ['_refcount']],
			['damon_get_folio', 'read', ['compound_head', 'flags']],
		]);
		expect(result.log.filter(t => t.access === 'write')).toHaveLength(0x20000 - 0x200);

		const page = runNaive(damon_get_folio, layout('6.1'));
		expect(page.touches).toMatchObject({ok: 2 * (0x20000 - 0x200), hole: 0});
		expect(page.log.filter(t => t.pfn === 0).map(t => [t.via, t.access])).toEqual([
			['get_page_unless_zero', 'write'],
			['PageLRU', 'read'],
		]);
	});

	// A test that a bigger hot-added block that is not online becomes the region, and
	// pfn_to_online_page() refuses all of it. Expect 0x30000 pfns visited and no touch.
	it('refuses a never-onlined block chosen as the region', () => {
		const result = runNaive(damon_get_folio, layout('6.12', 768));
		expect(result.form?.passes[0]?.ranges).toEqual([{start: 0x28000, end: 0x28000 + 0x30000}]);
		expect(result.visited).toBe(0x30000);
		expect(result.log).toHaveLength(0);
	});

	it('does not exist before v5.16 and is damon_get_page() before v6.3', () => {
		expect(damon_get_folio.plan(layout('5.15'))).toBeNull();
		expect(damon_get_folio.plan(layout('5.16'))?.label).toBe('v5.16+: damon_get_page(): pfn_to_online_page()');
		expect(damon_get_folio.plan(layout('6.3'))?.label).toBe('v5.16+: damon_get_folio(): pfn_to_online_page()');
	});
});

import {describe, expect, it} from 'vitest';
import soft_offline_page from '../../walkers/soft_offline_page.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. Boot RAM, a never-onlined hotplug block, and an fsdax data range
// that shares the online boot section at 0x10000 (collision), then one in its own section:
//
//   | boot RAM | hotplug (C1) | boot RAM | fsdax C2 (collision) | fsdax C4 (collision) | fsdax C2 | unbacked
//   0x0    0x8000         0x10000    0x14000                0x16000                0x18000    0x20000
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 0x8000, end: 0x10000, state: C1_POISON},
			{start: 0x10000, end: 0x14000, state: OK},
			{start: 0x14000, end: 0x16000, state: zoneDevice('C2', kernel, {collision: true})},
			{start: 0x16000, end: 0x18000, state: zoneDevice('C4', kernel, {collision: true})},
			{start: 0x18000, end: 0x20000, state: zoneDevice('C2', kernel)},
		],
	});
}

describe('soft_offline_page', () => {
	// A test of the v5.4 fix 641fe2e9387a: before it the store only checked pfn_valid(), so the
	// never-onlined block (C1) reached is_zone_device_page() and, its garbage flags not saying
	// ZONE_DEVICE, PageHWPoison() and get_any_page()'s refcount write: three touches per C1 pfn
	// at v5.3, the last a write, and none at v5.4; at v5.3 the initialized C2 pages are refused
	// after the one flags read. At v5.4 the collision C2 pfns pass pfn_to_online_page() and are
	// refused by is_zone_device_page() (one read each).
	it('touches never-onlined memory at v5.3, not at v5.4', () => {
		const before = runNaive(soft_offline_page, layout('5.3'));
		expect(before.form?.label).toBe('v4.19–v5.3: pfn_valid(), then !is_zone_device_page()');
		expect(before.touches.C1).toBe(3 * 0x8000);
		expect(before.log.filter(t => t.pfn === 0x8000).map(t => [t.via, t.access])).toEqual([
			['is_zone_device_page', 'read'],
			['soft_offline_page', 'read'],
			['get_any_page', 'write'],
		]);
		expect(before.log.filter(t => t.pfn === 0x18000)).toEqual([{pfn: 0x18000, category: 'C2', via: 'is_zone_device_page', access: 'read', fields: ['flags']}]);

		const after = runNaive(soft_offline_page, layout('5.4'));
		expect(after.touches.C1).toBe(0);
		expect(after.touches.C2).toBe(0x2000);
	});

	// A test of the collision pfns: pfn_to_online_page() (a macro up to v5.11) returns ZONE_DEVICE
	// pfns of a section shared with online boot RAM. Expect at v5.11 the collision C2 and C4 pfns
	// [0x14000, 0x18000) touched twice each (PageHWPoison(), then the pin: a refcount write; no
	// is_zone_device_page() test since feec24a6139d), and at v5.12 (1f90a3477df3) no ZONE_DEVICE
	// pfn at all.
	it('pins collision ZONE_DEVICE pfns at v5.11, none at v5.12', () => {
		const before = runNaive(soft_offline_page, layout('5.11'));
		expect(before.touches.C2).toBe(2 * 0x2000);
		expect(before.touches.C4).toBe(2 * 0x2000);
		expect(before.log.filter(t => t.pfn === 0x16000).map(t => [t.via, t.access])).toEqual([
			['PageHWPoison', 'read'],
			['get_any_page', 'write'],
		]);
		expect(before.form?.fixed_by).toMatchObject({id: '1f90a3477df3', version: '5.12'});

		const after = runNaive(soft_offline_page, layout('5.12'));
		expect(after.touches).toMatchObject({C1: 0, C2: 0, C4: 0, ok: 2 * 0xc000});
		expect(after.form?.fixed_by).toBeUndefined();
	});

	// A test of the oldest form: no ZONE_DEVICE test before 86a66810baa8 (v4.19), so the C2 pages
	// of the own-section namespace are pinned too. Expect a PageHWPoison() read and a
	// get_any_page() write on 0x18000 at v4.18.
	it('pins ZONE_DEVICE pages before v4.19', () => {
		const result = runNaive(soft_offline_page, layout('4.18'));
		expect(result.form?.label).toBe('v4.13–v4.18: pfn_valid()');
		expect(result.log.filter(t => t.pfn === 0x18000).map(t => [t.via, t.access])).toEqual([
			['soft_offline_page', 'read'],
			['get_any_page', 'write'],
		]);
	});

	it('names the form per version', () => {
		const labels = ['4.13', '4.19', '5.4', '5.5', '6.12'].map(k => soft_offline_page.plan(layout(k))?.label);
		expect(labels).toEqual([
			'v4.13–v4.18: pfn_valid()',
			'v4.19–v5.3: pfn_valid(), then !is_zone_device_page()',
			'v5.4: pfn_valid() && pfn_to_online_page(), then !is_zone_device_page()',
			'v5.5+: pfn_valid() && pfn_to_online_page()',
			'v5.5+: pfn_valid() && pfn_to_online_page()',
		]);
	});
});

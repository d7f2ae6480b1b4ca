import {describe, expect, it} from 'vitest';
import walker from '../../walkers/soft_offline_page.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, expectWitnessWritten, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space, sections 0x8000 pfns: boot RAM and a hot-added block
// that was never onlined.
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(2 * GiB, 128 * MiB, 'offline')
	.build();

describe('soft_offline_page end to end', () => {
	// A test that writes every physical address to /sys/devices/system/memory/soft_offline_page
	// at v5.3 and v5.4.
	//
	//   | boot RAM (ok) | hotplug, offline (C1) |  no memory  |
	//   0x0        0x80000                 0x88000      0x1000000
	//
	// Expect at v5.3 (soft_offline_page_store() checks pfn_valid() only) failing C1 touches in
	// [0x80000, 0x88000): is_zone_device_page() and get_any_page() read and pin a poisoned page;
	// at v5.4, 641fe2e9387a "drivers/base/memory.c: don't access uninitialized memmaps in
	// soft_offline_page_store()" adds pfn_to_online_page(): nothing fails.
	it('pins offline memory before 641fe2e9387a (v5.4) and not after', () => {
		const fix = historyFix(walker, '5.4', {id: '641fe2e9387a'});
		expect(fix.subject).toContain('soft_offline_page_store()');
		const run = audit(walker, t, '5.3');
		const before = run.result;
		expectFailing(before, 'C1', [0x8_0000, 0x8_8000]);
		expectWitnessWritten(run, walker, 'C1', 'get_any_page');
		expectFixedBy(before, {id: '641fe2e9387a', version: '5.4'});
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});
});

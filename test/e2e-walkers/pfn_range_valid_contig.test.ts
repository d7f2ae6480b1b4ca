import {describe, it} from 'vitest';
import walker from '../../walkers/pfn_range_valid_contig.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space. ZONE_NORMAL spans the 1 GiB-aligned window
// [0x100000, 0x140000) that alloc_gigantic_page() checks; its second memory block was never
// onlined.
//
//   | boot RAM |   | online | offline (C1) |           online            |
//   0x0    0x80000 0x100000 0x108000       0x110000                     0x140000
//                  |<------- one gigantic-page window (1 GiB) ------------->|
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(4 * GiB, 128 * MiB, 'online')
	.hotplug(4 * GiB + 128 * MiB, 128 * MiB, 'offline')
	.hotplug(4 * GiB + 256 * MiB, 768 * MiB, 'online')
	.build();

describe('pfn_range_valid_contig end to end', () => {
	// A test of a 1 GiB gigantic page allocation at v5.3 and v5.4.
	//
	//   | online | offline (C1) |  online  |   (one window, ZONE_NORMAL)
	//   0x100000 0x108000       0x110000   0x140000
	//
	// Expect at v5.3 (pfn_range_valid_gigantic(): pfn_valid()) page_zone() of the first offline
	// pfn read — failing C1 in [0x108000, 0x110000) — before the window is given up; at v5.4,
	// f231fe4235e2 "hugetlbfs: don't access uninitialized memmaps in pfn_range_valid_gigantic()"
	// (pfn_to_online_page()): the window is given up without reading it.
	it('reads an offline block in a gigantic-page window before f231fe4235e2 (v5.4) and not after', () => {
		historyFix(walker, '5.4', {id: 'f231fe4235e2'});
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', [0x10_8000, 0x11_0000]);
		expectFixedBy(before, {id: 'f231fe4235e2', version: '5.4'});
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/shrink_zone_span.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space, sections (and memory blocks) 0x8000 pfns. Three blocks
// hot-added above 4 GiB: the first onlined to ZONE_NORMAL and offlined again (it is the one
// removed), the second never onlined, the third online.
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(4 * GiB, 128 * MiB, 'offlined')
	.hotplug(4 * GiB + 128 * MiB, 128 * MiB, 'offline')
	.hotplug(4 * GiB + 256 * MiB, 128 * MiB, 'online')
	.build();

describe('shrink_zone_span end to end', () => {
	// A test that removes the offlined block at the start of ZONE_NORMAL at v5.3 and v5.4.
	//
	//   | boot RAM |   | offlined, removed | offline, never onlined (C1) | online |
	//   0x0   0x80000  0x100000         0x108000                      0x110000  0x118000
	//                  |<---------------------- ZONE_NORMAL span ----------------------->|
	//
	// Expect at v5.3 (pfn_valid() per subsection) find_smallest_section_pfn() to read page->flags
	// of the never-onlined block first (failing C1, witnesses in [0x100000, 0x110000), one at
	// 0x108000); at v5.4, "mm/memory_hotplug: don't access uninitialized memmaps in
	// shrink_zone_span()" (pfn_to_online_page()): the scan skips it and stops in the online block.
	it('reads a never-onlined block before the v5.4 fix and not after', () => {
		const subject = "mm/memory_hotplug: don't access uninitialized memmaps in shrink_zone_span()";
		historyFix(walker, '5.4', {subject});
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', [0x10_0000, 0x11_0000]);
		expect(before.witnesses.map(w => w.pfn)).toContain(0x10_8000);
		expectFixedBy(before, {version: '5.4'});
		expect(before.form?.fixed_by?.subject).toBe(subject);
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
		expect(after.touches.ok).toBeGreaterThan(0);
	});
});

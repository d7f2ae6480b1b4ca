import {describe, expect, it} from 'vitest';
import walker from '../../walkers/shrink_pgdat_span.js';
import {audit, expectFailing, expectFixedBy, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space, sections (and memory blocks) 0x8000 pfns. The removed
// block is the last one of node 0; below it a block that was never onlined.
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(4 * GiB, 128 * MiB, 'offline')
	.hotplug(4 * GiB + 128 * MiB, 128 * MiB, 'offlined')
	.build();

describe('shrink_pgdat_span end to end', () => {
	// A test that removes the offlined block at the end of node 0 at v5.3 and v5.4.
	//
	//   | boot RAM |   | offline, never onlined (C1) | offlined, removed |
	//   0x0   0x80000  0x100000                    0x108000            0x110000
	//   |<------------------------- node 0 span -------------------------->|
	//
	// Expect at v5.3 find_biggest_section_pfn() to walk down from 0x107fff and read the nid
	// (page->flags) of the never-onlined block: failing C1 in [0x100000, 0x108000); at v5.4,
	// 00d6c019b5bc "mm/memory_hotplug: don't access uninitialized memmaps in shrink_pgdat_span()"
	// replaces the walk with update_pgdat_span(), which reads no memmap: the walker is absent.
	it('reads a never-onlined block before 00d6c019b5bc (v5.4); gone after', () => {
		historyFix(walker, '5.4', {id: '00d6c019b5bc'});
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', [0x10_0000, 0x10_8000]);
		expectFixedBy(before, {id: '00d6c019b5bc', version: '5.4'});
		expect(audit(walker, t, '5.4').result.status).toBe('absent');
	});
});

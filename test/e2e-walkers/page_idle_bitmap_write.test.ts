import {describe, it} from 'vitest';
import walker from '../../walkers/page_idle_bitmap_write.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectTouchedNotFailing, expectUntouched, GiB, historyFix, KiB, topology} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('page_idle_bitmap_write end to end', () => {
	// A test of the last u64 written to /sys/kernel/mm/page_idle/bitmap when max_pfn is not a
	// multiple of 64, at v5.1 and v5.2: boot RAM ends 10 pages below 2 GiB, inside section 0xf.
	//
	//   | boot RAM (ok)                        | hole (tail of section 0xf) |
	//   0x0                               0x7fff6 = max_pfn          0x80000 = ALIGN(max_pfn, 64)
	//
	// Expect at v5.1 failing hole reads in [0x7fff6, 0x80000) (the write clipped to
	// ALIGN(max_pfn, 64)); at v5.2, 7298e3b0a149 (which changes the write as the read): none.
	it('writes past max_pfn before 7298e3b0a149 (v5.2) and not after', () => {
		historyFix(walker, '5.2', {id: '7298e3b0a149'});
		const t = topology({config: {max_physmem_bits: 36}}).boot(0, 2 * GiB - 40 * KiB).build();
		const before = audit(walker, t, '5.1').result;
		expectFailing(before, 'hole', [0x7_fff6, 0x8_0000]);
		expectFixedBy(before, {id: '7298e3b0a149', version: '5.2'});
		const after = audit(walker, t, '5.2').result;
		expectUntouched(after, 'hole');
		expectNoFailing(after);
	});

	// A test with layouts.ts offlineInZoneSpan() at v5.7 and v5.8.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect at v5.7 (pfn_valid()) failing C1 reads in B; at v5.8, 92fb1db26eef "mm/page_idle.c:
	// skip offline pages": B untouched, the online pfns read.
	it('reads a never-onlined block before 92fb1db26eef (v5.8) and not after', () => {
		historyFix(walker, '5.8', {id: '92fb1db26eef'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.7').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before, {id: '92fb1db26eef', version: '5.8'});
		const after = audit(walker, t, '5.8').result;
		expectUntouched(after, 'C1');
		expectTouchedNotFailing(after, 'ok');
		expectNoFailing(after);
	});
});

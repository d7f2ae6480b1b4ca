import {describe, it} from 'vitest';
import walker from '../../walkers/kpagecount_read.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, historyFix} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('kpagecount_read end to end', () => {
	// A test that reads /proc/kpagecount: page_mapcount()/page_count() read flags, compound_head and the count words, for every pfn up to max_pfn and
	// beyond, with layouts.ts offlineInZoneSpan() at v5.3 and v5.4.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect at v5.3 (pfn_valid()) failing C1 reads in B = [0x108000, 0x110000); at v5.4,
	// aad5f69bc161 "fs/proc/page.c: don't access uninitialized memmaps in fs/proc/page.c"
	// (pfn_to_online_page()): no C1 read.
	it('reads a never-onlined block before aad5f69bc161 (v5.4) and not after', () => {
		historyFix(walker, '5.4', {id: 'aad5f69bc161'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before, {id: 'aad5f69bc161', version: '5.4'});
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});
});

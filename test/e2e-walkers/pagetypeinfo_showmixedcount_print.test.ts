import {describe, expect, it} from 'vitest';
import walker from '../../walkers/pagetypeinfo_showmixedcount_print.js';
import {audit, expectCollisionFix, expectNamesCollisionFix, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, historyFix} from './harness.js';
import {COLLISION_C5, COLLISION_METADATA, collision, OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('pagetypeinfo_showmixedcount_print end to end', () => {
	// A test of Qian Cai's report (memory blocks 40 and 42 online, 41 not) with
	// layouts.ts offlineInZoneSpan(), reading /proc/pagetypeinfo with page_owner at v5.3 and v5.4.
	//
	//   |   | A online | B offline (C1) | C online |
	//   0x80000 0x100000 0x108000       0x110000   0x118000   (ZONE_NORMAL spans A..C)
	//
	// Expect at v5.3 (pfn_valid() per pageblock) failing C1 reads of page->flags in B; at v5.4,
	// a26ee565b6cd "mm/page_owner: don't access uninitialized memmaps when reading
	// /proc/pagetypeinfo" (pfn_to_online_page() per pageblock): none.
	it('reads an offline block inside the zone span before a26ee565b6cd (v5.4) and not after', () => {
		historyFix(walker, '5.4', {id: 'a26ee565b6cd'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before, {id: 'a26ee565b6cd', version: '5.4'});
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});

	// A test of the same walker on a devdax range sharing an early section with boot RAM
	// (layouts.ts collision()) at v5.11 and v5.12.
	//
	//   | boot RAM | C5 | metadata | devdax data (C2) |
	//   0x80000  0x84000 0x84002  0x84200            0x88000
	//
	// Expect at v5.11 pfn_to_online_page() to accept the device's pageblocks (online section):
	// failing C5 and metadata reads; at v5.12 (1f90a3477df3) none. The v5.4–v5.11 form names that
	// commit as its fix (v5.3 names a26ee565b6cd).
	it('reads a colliding device before 1f90a3477df3 (v5.12) and not after', () => {
		const t = collision();
		const before = audit(walker, t, '5.11');
		const after = audit(walker, t, '5.12');
		expectFailing(before.result, 'C5', COLLISION_C5);
		expectFailing(before.result, 'metadata', COLLISION_METADATA);
		expectCollisionFix(before.model, after.model, COLLISION_C5[0]);
		expectNamesCollisionFix(walker, before.result, after.result, '5.4');
		expectUntouched(after.result, 'C5', 'metadata', 'C2');
	});
});

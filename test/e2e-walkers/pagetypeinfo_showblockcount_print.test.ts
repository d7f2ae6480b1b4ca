import {describe, it} from 'vitest';
import walker from '../../walkers/pagetypeinfo_showblockcount_print.js';
import {audit, expectFailing, expectNamesCollisionFix, expectNoFailing, expectTouchedNotFailing, expectUntouched} from './harness.js';
import {COLLISION_C5, collision, offlineInZoneSpan} from './layouts.js';

describe('pagetypeinfo_showblockcount_print end to end', () => {
	// A test with layouts.ts collision() at v5.11 and v5.12: a devdax range with an altmap in the
	// rest of early section 0x10, which is online.
	//
	//   | boot RAM           | C5 | metadata | devdax data (C2) |   | boot RAM      |
	//   0x0             0x84000 0x84002  0x84200            0x88000  0xc0000     0x100000
	//
	// Expect at v5.11 (pfn_to_online_page() tests online_section() only) page_zone() read at
	// the pageblock start 0x84000, the altmap reserve (C5, never initialized): failing; at v5.12
	// (1f90a3477df3) the device pfns refused.
	it('reads colliding ZONE_DEVICE pageblocks before 1f90a3477df3 (v5.12) and not after', () => {
		const t = collision();
		const before = audit(walker, t, '5.11').result;
		expectFailing(before, 'C5', COLLISION_C5);
		const after = audit(walker, t, '5.12').result;
		expectUntouched(after, 'C5', 'C2');
		expectNoFailing(after);
		expectNamesCollisionFix(walker, before, after, '5.3');
	});

	// A test with layouts.ts offlineInZoneSpan() at v4.13 and v6.12. Expect the never-onlined
	// block B untouched and the online pageblocks read at both.
	it('skips a hot-added block left offline at every release', () => {
		for (const kernel of ['4.13', '6.12']) {
			const result = audit(walker, offlineInZoneSpan(), kernel).result;
			expectUntouched(result, 'C1');
			expectTouchedNotFailing(result, 'ok');
			expectNoFailing(result);
		}
	});
});

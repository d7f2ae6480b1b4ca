import {describe, expect, it} from 'vitest';
import walker from '../../walkers/set_zone_contiguous.js';
import {audit, expectCollisionFix, expectNamesCollisionFix, expectFailing, expectNoFailing, expectUntouched} from './harness.js';
import {COLLISION_C5, collision} from './layouts.js';

describe('set_zone_contiguous end to end', () => {
	// A test that runs set_zone_contiguous() over a devdax range sharing an early section with boot
	// RAM (layouts.ts collision()) at v5.11 and v5.12.
	//
	//   | boot RAM | C5 | metadata | devdax data (C2) |   | boot RAM |
	//   0x0   0x84000 0x84002   0x84200            0x88000 0xc0000  0x100000
	//
	// Expect at v5.11 the ZONE_DEVICE zone's first pageblock to pass pfn_valid() and
	// pfn_to_online_page() (the section is online) and page_zone() to read the never-initialized
	// altmap reserve: failing C5 at [0x84000, 0x84002). At v5.12, 1f90a3477df3 "mm: teach
	// pfn_to_online_page() about ZONE_DEVICE section collisions" (the walker's guard is unchanged;
	// its predicate is fixed) makes pfn_to_online_page() NULL there: no device pfn is read. The
	// v5.3–v5.11 form names that commit as its fix (fixed_by).
	it('reads the altmap reserve of a colliding device before 1f90a3477df3 (v5.12) and not after', () => {
		const t = collision();
		const before = audit(walker, t, '5.11');
		const after = audit(walker, t, '5.12');
		expectFailing(before.result, 'C5', COLLISION_C5);
		expectCollisionFix(before.model, after.model, COLLISION_C5[0]);
		expectNamesCollisionFix(walker, before.result, after.result, '5.3');
		expectUntouched(after.result, 'C5', 'metadata', 'C2');
		expectNoFailing(after.result);
		expect(after.result.touches.ok).toBeGreaterThan(0);
	});
});

import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import walker from '../../walkers/__shuffle_zone.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectTouchedNotFailing, expectUntouched, historyFix} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('__shuffle_zone end to end', () => {
	// A test with layouts.ts offlineInZoneSpan() at v5.8 and v5.9: shuffle_zone() after onlining
	// block C walks ZONE_NORMAL, whose span holds the never-onlined block B.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect at v5.8 (pfn_valid_within() && pfn_in_present_section(): B's sections are present)
	// failing C1 reads of PageBuddy() in B, one per MAX_ORDER_NR_PAGES; at v5.9, 4a93025cbe4a
	// "mm/shuffle: don't move pages between zones and don't read garbage memmaps"
	// (pfn_to_online_page()): B untouched.
	it('reads a never-onlined block before 4a93025cbe4a (v5.9) and not after', () => {
		historyFix(walker, '5.9', {id: '4a93025cbe4a'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.8').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expect(before.failing.C1).toBe(0x8000 / 1024);
		expectFixedBy(before, {id: '4a93025cbe4a', version: '5.9'});
		const after = audit(walker, t, '5.9').result;
		expectUntouched(after, 'C1');
		expectTouchedNotFailing(after, 'ok');
		expectNoFailing(after);
	});

	// A test of the release the shuffler came with. Expect no walker before v5.2 (e900a918b098).
	it('does not exist before v5.2', () => {
		expect(walker.plan(buildModel({...offlineInZoneSpan(), kernel: '5.1'}))).toBeNull();
		expect(walker.plan(buildModel({...offlineInZoneSpan(), kernel: '5.2'}))).not.toBeNull();
	});
});

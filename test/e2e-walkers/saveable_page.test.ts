import {describe, expect, it} from 'vitest';
import walker from '../../walkers/saveable_page.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, historyFix} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('saveable_page end to end', () => {
	// A test of hibernation's count_data_pages()/copy_data_pages() over ZONE_NORMAL with
	// layouts.ts offlineInZoneSpan() at v4.20 and v5.0.
	//
	//   |   | A online | B offline (C1) | C online |
	//   0x80000 0x100000  0x108000         0x110000   0x118000   (ZONE_NORMAL spans A..C)
	//
	// Expect at v4.20 (pfn_valid(), then page_zone()) failing C1 reads in B; at v5.0, "PM /
	// Hibernate: use pfn_to_online_page()" (David Hildenbrand, PageOffline series): none.
	it('reads a never-onlined block inside the zone span before the v5.0 fix and not after', () => {
		const subject = 'PM / Hibernate: use pfn_to_online_page()';
		historyFix(walker, '5.0', {subject});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '4.20').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before, {version: '5.0'});
		expect(before.form?.fixed_by?.subject).toBe(subject);
		const after = audit(walker, t, '5.0').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/split_huge_pages_all.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectTouchedNotFailing, expectUntouched, expectWitnessWritten, historyFix} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('split_huge_pages_all end to end', () => {
	// A test with layouts.ts offlineInZoneSpan() at v5.19 and v6.0.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect at v5.19 (pfn_valid(), then get_page_unless_zero()) failing C1 touches in B, each a
	// _refcount write; at v6.0, 2b7aa91ba0e8 "mm/huge_memory: use pfn_to_online_page() in
	// split_huge_pages_all()": B untouched, the online blocks read, nothing failing.
	it('takes a reference on a never-onlined block before 2b7aa91ba0e8 (v6.0) and not after', () => {
		historyFix(walker, '6.0', {id: '2b7aa91ba0e8'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.19');
		expectFailing(before.result, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before.result, {id: '2b7aa91ba0e8', version: '6.0'});
		expectWitnessWritten(before, walker, 'C1', 'get_page_unless_zero');
		const after = audit(walker, t, '6.0').result;
		expectUntouched(after, 'C1');
		expectTouchedNotFailing(after, 'ok');
		expectNoFailing(after);
		expect(after.form?.fixed_by).toBeUndefined();
	});
});

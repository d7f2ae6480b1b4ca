import {describe, expect, it} from 'vitest';
import walker from '../../walkers/read_kcore_iter.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched} from './harness.js';
import {offlineInZoneSpan} from './layouts.js';

describe('read_kcore_iter end to end', () => {
	// A test with layouts.ts offlineInZoneSpan() at v5.13 and v5.14: B's "System RAM" resource
	// lies below the node end (C is online above it), so KCORE_RAM covers it.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect at v5.13 (kern_addr_valid() only) no struct page read at all; at v5.14
	// (pfn_to_online_page(), PageOffline(), is_page_hwpoison()) the online RAM read, B untouched,
	// nothing failing.
	it('reads struct pages from v5.14 on, of online sections only', () => {
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '5.13').result;
		expect(Object.values(before.touches).reduce((a, b) => a + b, 0)).toBe(0);
		expect(before.form?.form).toBe('≤v5.13: kern_addr_valid(), no struct page read');
		const after = audit(walker, t, '5.14').result;
		expectTouchedNotFailing(after, 'ok');
		expectUntouched(after, 'C1');
		expectNoFailing(after);
		expect(walker.history.at(-1)?.confidence).toBe('U');
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/generic_access_phys.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched} from './harness.js';
import {collision, offlineInZoneSpan} from './layouts.js';

describe('generic_access_phys end to end', () => {
	// A test with layouts.ts offlineInZoneSpan() and collision() at v6.11 and v6.12, the whole
	// physical address space behind a PFNMAP mapping.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000
	//
	// Expect at v6.11 no struct page read (follow_pte(), ioremap_prot()); at v6.12 the online
	// RAM's PageReserved() read, B (C1) and the collision's device pfns (C5, C2) untouched.
	it('reads PageReserved() of online pages only, from v6.12', () => {
		for (const t of [offlineInZoneSpan(), collision()]) {
			const before = audit(walker, t, '6.11').result;
			expect(Object.values(before.touches).reduce((a, b) => a + b, 0)).toBe(0);
			const after = audit(walker, t, '6.12').result;
			expectTouchedNotFailing(after, 'ok');
			expectUntouched(after, 'C1', 'C2', 'C5');
			expectNoFailing(after);
		}
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/kmemleak_scan.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, GiB, historyFix, MiB, topology} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('kmemleak_scan end to end', () => {
	// A test of the struct-page scan over node 0's span with layouts.ts offlineInZoneSpan() at
	// v4.20 and v5.0.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000   (node 0 span)
	//
	// Expect at v4.20 (pfn_valid(), then page_to_nid()) failing C1 reads in B; at v5.0,
	// 9f1eb38e0e11 "mm, kmemleak: little optimization while scanning" (pfn_to_online_page()): none.
	it('reads a never-onlined block before 9f1eb38e0e11 (v5.0) and not after', () => {
		historyFix(walker, '5.0', {id: '9f1eb38e0e11'});
		const t = offlineInZoneSpan();
		const before = audit(walker, t, '4.20').result;
		expectFailing(before, 'C1', OFFLINE_BLOCK);
		expectFixedBy(before, {id: '9f1eb38e0e11', version: '5.0'});
		const after = audit(walker, t, '5.0').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});

	// A test of what 9f1eb38e0e11 exposed on arm64 during v5.0-rc (walkers/kmemleak_scan.ts): the
	// v4.13 pfn_to_online_page() macro (online section only) lets a MEMBLOCK_NOMAP pageblock of an
	// online section through; b13bc35193d9 "mm/hotplug: invalid PFNs from pfn_to_online_page()"
	// adds pfn_valid_within(), which is arm64's memblock-based pfn_valid() with
	// CONFIG_HOLES_IN_ZONE. Both are in v5.0, so no release reads the NOMAP pages: at v4.20 the
	// walker still asks arm64's pfn_valid(). arm64 4K, 1 GiB sections.
	//
	//   | RAM | NOMAP (2 MiB pageblock) |          RAM            |
	//   0x40000 0x40200             0x40400                    0xc0000
	//
	// Expect at v4.20 no nomap read although pfn_to_online_page() would return the NOMAP pages
	// (their memmap was never initialized); at v5.0 none, pfn_to_online_page() refusing them.
	it('never reads NOMAP pages on arm64: pfn_valid() at v4.20, b13bc35193d9 with 9f1eb38e0e11 at v5.0', () => {
		const t = topology({arch: 'arm64-4k', kernel: '4.20', config: {max_physmem_bits: 40}})
			.boot(GiB, 2 * GiB, {nomap: [{start: GiB + 2 * MiB, size: 2 * MiB}]})
			.build();
		const before = audit(walker, t, '4.20');
		expectUntouched(before.result, 'nomap');
		expect(before.model.runAt(0x4_0200).state.predicates.pfn_to_online_page).toBe(true);
		expect(before.model.runAt(0x4_0200).state.predicates.pfn_valid).toBe(false);
		const after = audit(walker, t, '5.0');
		expect(after.model.runAt(0x4_0200).state.detail?.pfn_to_online_page_by).toBe('!pfn_valid_within()');
		expectUntouched(after.result, 'nomap');
		expectNoFailing(after.result);
	});
});

/**
The end-to-end tests both compaction scanners (isolate_migratepages_block, the migration scanner,
and isolate_freepages_block, the free scanner) pass in the same way: they share the per-pageblock
guard (set_zone_contiguous.ts pageblock_pfn_to_page()) and the pfn-by-pfn reads, so the same
layouts give the same verdicts.
*/
import {expect, it} from 'vitest';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {audit, expectCollisionFix, expectNamesCollisionFix, expectFailing, expectNoFailing, expectUntouched} from './harness.js';
import {BYPASS_C4, BYPASS_C5, BYPASS_METADATA, COLLISION_C5, collision, contiguousBypass} from './layouts.js';

/** Declares the scanner tests inside the caller's describe(). */
export function compactionScannerTests(walker: WalkerDefinition): void {
	// A test of the scanner over a devdax range sharing an early section with boot RAM
	// (layouts.ts collision()) at v5.11 and v5.12.
	//
	//   | boot RAM | C5 | metadata | devdax data (C2) |   | boot RAM |
	//   0x0   0x84000 0x84002   0x84200            0x88000 0xc0000  0x100000   (ZONE_DMA32 span)
	//
	// Expect at v5.11 __pageblock_pfn_to_page() to pass pfn_to_online_page() on the device's first
	// pageblock and read page_zone() of the altmap reserve: failing C5 at [0x84000, 0x84002); at
	// v5.12 (1f90a3477df3, in pfn_to_online_page()) no device pfn read. The v5.3–v5.11 form names
	// that commit as its fix (fixed_by).
	it('reads a colliding device before 1f90a3477df3 (v5.12) and not after', () => {
		const t = collision();
		const before = audit(walker, t, '5.11');
		const after = audit(walker, t, '5.12');
		expectFailing(before.result, 'C5', COLLISION_C5);
		expectCollisionFix(before.model, after.model, COLLISION_C5[0]);
		expectNamesCollisionFix(walker, before.result, after.result, '5.3');
		expectUntouched(after.result, 'C5', 'metadata', 'C2');
		expectNoFailing(after.result);
	});

	// A test that documents the still-open contiguous-zone bypass [A, walkers.md W07/W09] with
	// layouts.ts contiguousBypass() (arm64 64K: one pageblock per 512 MiB section) at v5.13 and
	// v6.12.
	//
	//   | RAM | C5 | meta | fsdax (C2) | devdax, initializing (C4) | RAM |
	//   0xa000 0xa800 0xa801 0xa805  0xb000                     0xb800 0xc000
	//   |<------------------ one pageblock, ZONE_DMA contiguous ---------->|
	//
	// Expect at v6.12 pageblock_pfn_to_page() to return the block unchecked (zone->contiguous) and
	// every device pfn to be read: failing C5, metadata and C4; at v5.13 arm64's
	// CONFIG_HOLES_IN_ZONE pfn_valid_within() (memblock-based, false for ZONE_DEVICE) still
	// skipped them per pfn. No fix is known.
	it('still reads ZONE_DEVICE pfns of a contiguous zone unchecked at v6.12', () => {
		const t = contiguousBypass();
		const open = audit(walker, t, '6.12');
		expect(open.model.zones.find(z => z.name === 'DMA')?.contiguous).toBe(true);
		expectFailing(open.result, 'C5', BYPASS_C5);
		expectFailing(open.result, 'metadata', BYPASS_METADATA);
		expectFailing(open.result, 'C4', BYPASS_C4);
		expect(open.result.form?.fixed_by).toBeUndefined();
		const hidden = audit(walker, t, '5.13');
		expect(hidden.model.zones.find(z => z.name === 'DMA')?.contiguous).toBe(true);
		expectUntouched(hidden.result, 'C5', 'metadata', 'C4', 'C2');
	});
}

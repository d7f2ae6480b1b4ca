import {describe, expect, it} from 'vitest';
import walker from '../../walkers/__reset_isolation_suitable.js';
import {audit, expectCollisionFix, expectNamesCollisionFix, expectFailing, expectFixedBy, expectUntouched, GiB, historyFix, KiB, MiB, topology} from './harness.js';
import {BYPASS_C4, BYPASS_C5, COLLISION_METADATA, collision, contiguousBypass} from './layouts.js';

describe('__reset_isolation_suitable end to end', () => {
	// A test of the first bug a2e9a5afce08 fixed, on arm64 (CONFIG_HOLES_IN_ZONE) at v5.3 and
	// v5.4: node 1's ZONE_DMA32 starts 1 MiB into a pageblock, and one MEMBLOCK_NOMAP page sits 8
	// pages above the zone start.
	//
	//   | node 0 RAM | node 1: RAM |NOMAP| RAM ...                          |
	//   0x40000   0x40100     0x40108 0x40109                          0x80000
	//   |<--------- pageblock [0x40000, 0x40200) --------->|
	//
	// Expect at v5.3 the sample loop to read 0x108 pages above the zone start while testing
	// pfn_valid_within() 0x108 pages above the unclamped block start (node 0 RAM): the NOMAP page
	// is read. Its memmap was zeroed by zero_resv_unavail() (zone 0 / node 0, not node 1's zone):
	// a misread, not a failing touch under SPEC §5, since the memmap is not garbage. At v5.4,
	// a2e9a5afce08 "mm, compaction: fix wrong pfn handling in __reset_isolation_pfn()": the page
	// read is the page tested, and the NOMAP page is never read.
	it('reads a pfn it did not test before a2e9a5afce08 (v5.4) and not after', () => {
		historyFix(walker, '5.4', {id: 'a2e9a5afce08'});
		const t = topology({arch: 'arm64-4k', kernel: '5.3', config: {max_physmem_bits: 36}})
			.boot(GiB, MiB, {node: 0})
			.boot(GiB + MiB, GiB - MiB, {node: 1, nomap: [{start: GiB + MiB + 32 * KiB, size: 4 * KiB}]})
			.build();
		const before = audit(walker, t, '5.3');
		expect(before.model.runAt(0x4_0108).state.category).toBe('nomap');
		expect(before.result.touches.nomap).toBeGreaterThan(0);
		expect(before.result.witnesses.filter(w => w.category === 'nomap').map(w => w.pfn)).toEqual([0x4_0108]);
		expectFixedBy(before.result, {id: 'a2e9a5afce08', version: '5.4'});
		expectUntouched(audit(walker, t, '5.4').result, 'nomap');
	});

	// A test of the cursors over a devdax range sharing an early section with boot RAM
	// (layouts.ts collision()) at v5.11 and v5.12.
	//
	//   | boot RAM | C5 | metadata | devdax data (C2) |
	//   0x80000  0x84000 0x84002  0x84200            0x88000
	//
	// Expect at v5.11 __reset_isolation_pfn() to pass pfn_to_online_page() on device pfns (online
	// section) and sample the block: failing metadata reads; at v5.12 (1f90a3477df3) none. The
	// v5.4–v5.11 form names that commit as its fix (v5.3 names a2e9a5afce08).
	it('samples a colliding device before 1f90a3477df3 (v5.12) and not after', () => {
		const t = collision();
		const before = audit(walker, t, '5.11');
		const after = audit(walker, t, '5.12');
		expectFailing(before.result, 'metadata', COLLISION_METADATA);
		expectCollisionFix(before.model, after.model, COLLISION_METADATA[0]);
		expectNamesCollisionFix(walker, before.result, after.result, '5.4');
		expectUntouched(after.result, 'C5', 'metadata', 'C2');
	});

	// A test that documents the still-open pageblock-larger-than-subsection case [A, walkers.md W08]
	// with layouts.ts contiguousBypass() (arm64 64K: 512 MiB pageblocks, 2 MiB subsections) at v6.12.
	//
	//   | RAM | C5 | meta | fsdax (C2) | devdax, initializing (C4) | RAM |
	//   0xa000 0xa800 0xa801 0xa805  0xb000                     0xb800 0xc000
	//
	// Expect the cursor, block start and block end (RAM) to pass pfn_to_online_page() and the
	// every-8th-page samples to read the device pages in between: failing C5 and C4.
	it('still samples ZONE_DEVICE pfns inside an online pageblock at v6.12', () => {
		const {result} = audit(walker, contiguousBypass(), '6.12');
		expectFailing(result, 'C5', BYPASS_C5);
		expectFailing(result, 'C4', BYPASS_C4);
		expect(result.form?.fixed_by).toBeUndefined();
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/read_page_owner.js';
import {audit, expectFailing, expectTouchedNotFailing, GiB, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space. Boot RAM also above every hot-added range, so all of
// them lie below max_pfn even from v6.15, where x86 add_pages() stops raising max_pfn for pgmaps.
//
//   | boot RAM | offline (C1) |  | C5 | metadata | fsdax (C2) |  | devdax, init. (C4) |
//   0x0   0x80000       0x88000  0x100000 ..0x100002 ..0x100600 0x110000 0x200000   0x208000
//   | devdax 62 MiB (C2) | C3 | rest of section 0x60 (C3) |  | boot RAM        |
//   0x300000       0x303e00 0x304000                 0x308000 0x400000  0x480000 = max_pfn
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.boot(16 * GiB, 2 * GiB)
	.hotplug(2 * GiB, 128 * MiB, 'offline')
	.device('fsdax', 4 * GiB, 256 * MiB, {altmap: {reserve: 2, free: 'auto'}})
	.device('devdax', 8 * GiB, 128 * MiB, {state: 'initializing'})
	.device('devdax', 12 * GiB, 62 * MiB)
	.build();

describe('read_page_owner end to end', () => {
	// A test that documents the still-open pfn_valid()-only guard of /sys/kernel/debug/page_owner
	// [A, walkers.md W12] at v6.12 and v6.18.
	//
	//   | C1 0x80000-0x88000 | C5, metadata 0x100000-0x100600 | C4 0x200000-0x208000 |
	//   | devdax (C2) 0x300000-0x303e00 | C3 0x303e00-0x304000 (same 4 MiB area) | max_pfn 0x480000
	//
	// Expect failing C1, C5, metadata and C4 reads below max_pfn (PageBuddy(): page_type), and the
	// 2 MiB corner: the devdax range ends 2 MiB into a 4 MiB MAX_ORDER_NR_PAGES area, pfn_valid()
	// is asked only at the area start, so [0x303e00, 0x304000) — no memmap — is read (failing C3).
	// No fix is known.
	it.each(['6.12', '6.18'])('still reads every pfn_valid() area at v%s', kernel => {
		const {result} = audit(walker, t, kernel);
		expectFailing(result, 'C1', [0x8_0000, 0x8_8000]);
		expectFailing(result, 'C5', [0x10_0000, 0x10_0002]);
		expectFailing(result, 'metadata', [0x10_0002, 0x10_0600]);
		expectFailing(result, 'C4', [0x20_0000, 0x20_8000]);
		expectFailing(result, 'C3', [0x30_3e00, 0x30_4000]);
		expectTouchedNotFailing(result, 'C2');
		expect(result.touches.unbacked).toBe(0);
		expect(result.form?.fixed_by).toBeUndefined();
	});

	// A test of the per-pfn pfn_valid_within() check on arm64 4K without the what-if patch: bank 1
	// ends 2 MiB into a 4 MiB area of an early section; the next pageblock starts in a hole, arm64's
	// own pfn_valid() is false there, and init_unavailable_range() leaves its memmap raw
	// (memory-model.md H6b). Bank 2 keeps the hole below max_pfn.
	//
	//   | bank 0 ... bank 1  | RAM (2 MiB) | hole, raw memmap | hole ...   |   | bank 2 |
	//   0x40000          0x13c000      0x13c200          0x13c400     0x140000 0x200000 0x240000
	//                         |<-- one 4 MiB area -->|
	//
	// Expect at v5.13 no hole read: arm64's CONFIG_HOLES_IN_ZONE makes pfn_valid_within() its
	// pfn_valid(), checked per pfn. At v5.14 (a7d9f306ba70 "arm64: drop pfn_valid_within() and
	// simplify pfn_valid()" drops HOLES_IN_ZONE) and v5.15 (859a85ddf90e removes the helper) the
	// raw pageblock is read: failing hole in [0x13c200, 0x13c400). At v5.16, 3de360c3fdb3
	// "arm64/mm: drop HAVE_ARCH_PFN_VALID" (generic pfn_valid()) lets init_unavailable_range()
	// initialize the hole: hole reads that no longer fail.
	it('reads a raw hole pageblock on arm64 at v5.14-v5.15 until 3de360c3fdb3 (v5.16)', () => {
		const arm = topology({arch: 'arm64-4k', kernel: '5.15', config: {max_physmem_bits: 40}})
			.boot(GiB, 3 * GiB)
			.boot(4 * GiB, 1024 * MiB - 62 * MiB)
			.boot(8 * GiB, GiB)
			.build();
		expect(walker.history.find(h => h.since === '5.15')?.commits?.[0]?.id).toBe('859a85ddf90e');
		expect(audit(walker, arm, '5.13').result.touches.hole).toBe(0);
		for (const kernel of ['5.14', '5.15']) {
			expectFailing(audit(walker, arm, kernel).result, 'hole', [0x13_c200, 0x13_c400]);
		}

		expectTouchedNotFailing(audit(walker, arm, '5.16').result, 'hole');
	});
});

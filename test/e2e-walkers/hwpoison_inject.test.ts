import {describe, expect, it} from 'vitest';
import walker from '../../walkers/hwpoison_inject.js';
import {audit, expectFailing, GiB, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space, sections 0x8000 pfns.
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(2 * GiB, 128 * MiB, 'offline')
	.device('fsdax', 4 * GiB, 256 * MiB, {altmap: {reserve: 2, free: 'auto'}})
	.device('devdax', 8 * GiB, 128 * MiB, {state: 'initializing'})
	.build();

describe('hwpoison_inject end to end', () => {
	// A test that documents the still-open pfn_valid()-only guard of debugfs
	// hwpoison/corrupt-pfn [A, walkers.md W04] at v6.12 and v6.18, and before and after
	// fd476720c9ba "mm,hwpoison-inject: don't pin for hwpoison_filter" (v5.10), which removed the
	// pin but not the compound_head() read.
	//
	//   | boot RAM | offline (C1) |   | C5 | metadata | fsdax data (C2) |   | devdax, initializing (C4) |
	//   0x0  0x80000       0x88000  0x100000  0x100002  0x100600     0x110000  0x200000              0x208000
	//
	// Expect failing C1, C5, metadata and C4 touches in their regions at every one of these
	// versions, and no fix named: pfn_valid() says only that a memmap exists.
	it.each(['5.9', '5.10', '6.12', '6.18'])('still dereferences every pfn_valid() pfn at v%s', kernel => {
		const {result} = audit(walker, t, kernel);
		expectFailing(result, 'C1', [0x8_0000, 0x8_8000]);
		expectFailing(result, 'C5', [0x10_0000, 0x10_0002]);
		expectFailing(result, 'metadata', [0x10_0002, 0x10_0600]);
		expectFailing(result, 'C4', [0x20_0000, 0x20_8000]);
		expect(result.form?.fixed_by).toBeUndefined();
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/memunmap_pages.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64, 36-bit physical address space: an fsdax namespace created with --map=dev.
//
//   | boot RAM |   | reserve (C5) | memmap storage (metadata) | data (C2) |
//   0x0    0x80000 0x100000   0x100002                    0x100600    0x110000
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.device('fsdax', 4 * GiB, 256 * MiB, {altmap: {reserve: 2, free: 'auto'}})
	.build();

describe('memunmap_pages end to end', () => {
	// A test of `ndctl destroy-namespace` (memunmap_pages()) at v5.3 and v5.4.
	//
	//   | reserve (C5) | memmap storage (metadata) | data (C2): pfn_first() = 0x100600 |
	//   0x100000   0x100002                    0x100600                            0x110000
	//
	// Expect at v5.3 page_to_nid(pfn_to_page(range start)) to read the never-initialized altmap
	// reserve (Aneesh Kumar's PagePoisoned BUG): failing C5 at 0x100000; at v5.4, 77e080e7680e
	// "mm/memunmap: don't access uninitialized memmap in memunmap_pages()" reads pfn_first()
	// (0x100600, initialized) instead.
	it('reads the altmap reserve before 77e080e7680e (v5.4) and pfn_first() after', () => {
		historyFix(walker, '5.4', {id: '77e080e7680e'});
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C5', [0x10_0000, 0x10_0001]);
		expectFixedBy(before, {id: '77e080e7680e', version: '5.4'});
		const after = audit(walker, t, '5.4').result;
		expectUntouched(after, 'C5', 'metadata');
		expectNoFailing(after);
		expect(after.witnesses.filter(w => w.category === 'C2').map(w => w.pfn)).toContain(0x10_0600);
	});
});

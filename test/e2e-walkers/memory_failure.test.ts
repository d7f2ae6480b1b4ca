import {describe, expect, it} from 'vitest';
import walker from '../../walkers/memory_failure.js';
import {audit, expectFailing, expectFixedBy, expectUntouched, expectWitnessWritten, GiB, historyFix, MiB, topology} from './harness.js';

// x86_64 with a 36-bit physical address space (NR_MEM_SECTIONS 512), sections 0x8000 pfns.
//
//   | boot RAM (ok) | hotplug, offline (C1) |   | fsdax, altmap     |   | devdax, initializing (C4) |
//   0x0        0x80000                 0x88000 0x100000 (C5 0x100000-0x100001, metadata to 0x100600, C2)
//                                                    0x110000    0x200000                  0x208000
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(2 * GiB, 128 * MiB, 'offline')
	.device('fsdax', 4 * GiB, 256 * MiB, {altmap: {reserve: 2, free: 'auto'}})
	.device('devdax', 8 * GiB, 128 * MiB, {state: 'initializing'})
	.build();
const C1: readonly [number, number] = [0x8_0000, 0x8_8000];
const C5: readonly [number, number] = [0x10_0000, 0x10_0002];
const C4: readonly [number, number] = [0x20_0000, 0x20_8000];

describe('memory_failure end to end', () => {
	// A test that sweeps hard_offline_page over the layout above at v5.3 and v5.4.
	//
	//   | boot RAM | hotplug, offline (C1) | ...
	//   0x0   0x80000                  0x88000
	//
	// Expect at v5.3 (pfn_valid(), then get_dev_pagemap()) the normal path on the offline block:
	// failing C1 touches with witnesses in [0x80000, 0x88000); at v5.4, 96c804a6ae8c "don't
	// access uninitialized memmaps in memory_failure()" (pfn_to_online_page()): no C1 touch.
	it('touches offline memory before 96c804a6ae8c (v5.4) and not after', () => {
		const fix = historyFix(walker, '5.4', {id: '96c804a6ae8c'});
		expect(fix.subject).toContain("don't access uninitialized memmaps in memory_failure()");
		const before = audit(walker, t, '5.3').result;
		expectFailing(before, 'C1', C1);
		expectFixedBy(before, {id: '96c804a6ae8c', version: '5.4'});
		expectUntouched(audit(walker, t, '5.4').result, 'C1');
	});

	// A test of the dev_pagemap path on the fsdax namespace's altmap at v5.11 and v5.12 (seeds/002).
	//
	//   | reserve (C5) | memmap storage (metadata) | data (C2) |
	//   0x100000   0x100002                    0x100600    0x110000
	//
	// Expect at v5.11 dax_lock_page() on the info block (C5, [0x100000, 0x100002)) and on the
	// memmap storage pfns (metadata): failing; at v5.12, 34dc45be4563 "mm: fix memory_failure()
	// handling of dax-namespace metadata" refuses them with pgmap_pfn_valid(): neither is touched.
	it('touches altmap metadata before 34dc45be4563 (v5.12) and not after', () => {
		historyFix(walker, '5.12', {id: '34dc45be4563'});
		const before = audit(walker, t, '5.11').result;
		expectFailing(before, 'C5', C5);
		expectFailing(before, 'metadata', [0x10_0002, 0x10_0600]);
		expectFixedBy(before, {id: '34dc45be4563', version: '5.12'});
		const after = audit(walker, t, '5.12').result;
		expectUntouched(after, 'C5', 'metadata');
		expect(after.touches.C2).toBeGreaterThan(0);
	});

	// A test of the same fsdax altmap with 34dc45be4563 backported, as the stable trees have it
	// (Debian 5.10.262 mm/memory-failure.c:memory_failure_dev_pagemap() calls pgmap_pfn_valid()).
	//
	//   | reserve (C5) | memmap storage (metadata) | data (C2) |
	//   0x100000   0x100002                    0x100600    0x110000
	//
	// Expect with backport-34dc45be4563 at v4.19 (the first release with
	// memory_failure_dev_pagemap()) and v5.11, and with the stable-5.10.262 preset at v5.10: no
	// C5 or metadata touch, C2 still touched, the form naming the backport and (at v5.10/v5.11) no
	// fixed_by. Without it at v5.10: both touched.
	it('refuses altmap metadata where backport-34dc45be4563 is applied', () => {
		for (const [kernel, patches] of [
			['4.19', ['backport-34dc45be4563']],
			['5.10', ['stable-5.10.262']],
			['5.11', ['backport-34dc45be4563']],
		] as const) {
			const {result} = audit(walker, {...t, patches: [...patches]}, kernel);
			expectUntouched(result, 'C5', 'metadata');
			expect(result.touches.C2, `C2 at v${kernel}`).toBeGreaterThan(0);
			expect(result.form?.form).toContain('+ backport-34dc45be4563: pgmap_pfn_valid()');
			expect(result.form?.guard).toContain('pgmap_pfn_valid()');
			if (kernel !== '4.19') {
				expect(result.form?.fixed_by).toBeUndefined();
			}
		}

		const plain = audit(walker, t, '5.10').result;
		expectFailing(plain, 'C5', C5);
		expectFailing(plain, 'metadata', [0x10_0002, 0x10_0600]);
	});

	// A test that documents the still-open C4 case [A, walkers.md W01] at v6.12 and v6.18: the
	// devdax range stopped before memmap_init_zone_device().
	//
	//   | devdax, pgmap in the xarray, memmap poisoned (C4) |
	//   0x200000                                        0x208000
	//
	// Expect failing C4 touches in [0x200000, 0x208000), the witnessed pfn read (dax_lock_folio())
	// and then written (SetPageHWPoison()): get_dev_pagemap() already succeeds and
	// pgmap_pfn_valid() is arithmetic; no fix is known.
	it.each(['6.12', '6.18'])('still touches a ZONE_DEVICE memmap under initialization at v%s', kernel => {
		const run = audit(walker, t, kernel);
		const {result} = run;
		expectFailing(result, 'C4', C4);
		expect(result.form?.fixed_by).toBeUndefined();
		expect(result.witnesses.find(w => w.category === 'C4')).toMatchObject({access: 'read', chain: ['memory_failure', 'dax_lock_folio']});
		expectWitnessWritten(run, walker, 'C4', 'SetPageHWPoison');
	});
});

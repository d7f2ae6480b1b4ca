import {describe, expect, it} from 'vitest';
import walker from '../../walkers/unpoison_memory.js';
import {audit, expectFailing, expectFixedBy, expectNoFailing, expectUntouched, expectWitnessWritten, GiB, historyFix, MiB, topology} from './harness.js';

// Miaohe Lin's report: a memory block is onlined, offlined again, and one of its pfns is written
// to debugfs hwpoison/unpoison-pfn. x86_64, 36-bit physical address space.
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, 2 * GiB)
	.hotplug(2 * GiB, 128 * MiB, 'offlined')
	.build();

describe('unpoison_memory end to end', () => {
	// A test that writes every pfn to unpoison-pfn at v6.16 and v6.17.
	//
	//   | boot RAM (ok) | hotplug, onlined then offlined (C1, poisoned by offline_pages()) |
	//   0x0        0x80000                                                          0x88000
	//
	// Expect at v6.16 (pfn_valid() only) failing C1 touches in [0x80000, 0x88000), writes
	// included (PageHWPoison() reads as set on an all-ones page, so TestClearPageHWPoison() and
	// put_page() follow); at v6.17, "mm/memory-failure: fix VM_BUG_ON_PAGE(PagePoisoned(page)) when
	// unpoison memory" (pfn_to_online_page()): no C1 touch.
	it('touches an offlined block before the v6.17 fix and not after', () => {
		const subject = 'mm/memory-failure: fix VM_BUG_ON_PAGE(PagePoisoned(page)) when unpoison memory';
		historyFix(walker, '6.17', {id: 'd613f53c83ec', subject});
		const run = audit(walker, t, '6.16');
		const before = run.result;
		expectFailing(before, 'C1', [0x8_0000, 0x8_8000]);
		expectWitnessWritten(run, walker, 'C1', 'TestClearPageHWPoison');
		expectFixedBy(before, {id: 'd613f53c83ec', version: '6.17'});
		expect(before.form?.fixed_by?.subject).toBe(subject);
		const after = audit(walker, t, '6.17').result;
		expectUntouched(after, 'C1');
		expectNoFailing(after);
	});

	// A test of the same layout with the fix backported (CVE-2025-39883; the 5.10.262, 6.1.176
	// and 6.12.117 trees guard unpoison_memory() with pfn_to_online_page()).
	//
	//   | boot RAM (ok) | hotplug, onlined then offlined (C1) |
	//   0x0        0x80000                                0x88000
	//
	// Expect with backport-d613f53c83ec at v6.16 and v5.4, and with the stable-5.10.262,
	// stable-6.1.176 and stable-6.12.117 presets at their series: no C1 touch, nothing failing,
	// the form naming the backport, no fixed_by.
	it('guards with pfn_to_online_page() where backport-d613f53c83ec is applied', () => {
		for (const [kernel, patches] of [
			['6.16', ['backport-d613f53c83ec']],
			['5.4', ['backport-d613f53c83ec']],
			['5.10', ['stable-5.10.262']],
			['6.1', ['stable-6.1.176']],
			['6.12', ['stable-6.12.117']],
		] as const) {
			const {result} = audit(walker, {...t, patches: [...patches]}, kernel);
			expectUntouched(result, 'C1');
			expectNoFailing(result);
			expect(result.touches.ok, `ok at v${kernel}`).toBeGreaterThan(0);
			expect(result.form?.form).toBe('≤v6.16 + backport-d613f53c83ec: pfn_to_online_page()');
			expect(result.form?.fixed_by).toBeUndefined();
		}
	});
});

import {describe, expect, it} from 'vitest';
import walker from '../../walkers/damon_get_folio.js';
import {audit, expectNoFailing, expectUntouched, GiB, topology} from './harness.js';

// x86_64, 36-bit physical address space: 1 GiB of boot RAM and a 2 GiB hot-added range that was
// never onlined. The hot-added range is a System RAM resource from add_memory() on, and the
// biggest one, so DAMON_RECLAIM / DAMON_LRU_SORT monitor it by default
// (damon_find_biggest_system_ram()).
//
//   | boot RAM (ok) |   | hot-added, offline (C1): the biggest System RAM resource |
//   0x0         0x40000 0x100000                                                0x180000
const t = topology({kernel: '6.12', config: {max_physmem_bits: 36}})
	.boot(0, GiB)
	.hotplug(4 * GiB, 2 * GiB, 'offline')
	.build();

describe('damon_get_folio end to end', () => {
	// A test that DAMON's physical address operations have had their guard from the first
	// release: a28397beb55b "mm/damon: implement primitives for physical address space
	// monitoring" (v5.16) took pfn_to_online_page() from page_idle_get_page() after 92fb1db26eef.
	// There is no historical bug to reproduce.
	//
	//   | boot RAM |   | monitored region: hot-added, offline (C1) |
	//   0x0   0x40000  0x100000                                  0x180000
	//
	// Expect the walker absent at v5.15, and at v5.16 and v6.12 every pfn of the monitored offline
	// range refused by pfn_to_online_page(): no C1 touch, nothing failing.
	it('guards with pfn_to_online_page() from its first release (v5.16)', () => {
		expect(walker.history[0]).toMatchObject({since: '5.16', guard: 'pfn_to_online_page()'});
		expect(walker.history[0]!.commits?.[0]?.id).toBe('a28397beb55b');
		expect(audit(walker, t, '5.15').result.status).toBe('absent');
		for (const kernel of ['5.16', '6.12']) {
			const {result} = audit(walker, t, kernel);
			expect(result.pfns_visited).toBeGreaterThan(0);
			expectUntouched(result, 'C1');
			expectNoFailing(result);
		}
	});
});

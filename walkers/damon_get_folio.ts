/**
mm/damon/ops-common.c:damon_get_folio() (damon_get_page() in mm/damon/prmtv-common.c from
v5.16, ops-common.c from v5.18 [U]; the folio conversion is dated v6.3 [U]: 6.1.176 has
damon_get_page(), 6.12.117 damon_get_folio() [V]), the pfn → page step of DAMON's physical
address operations (mm/damon/paddr.c): per sampling interval one random address per region
(damon_pa_mkold/damon_pa_young), and DAMOS actions (pageout, lru_prio/deprio, migrate) walk a
whole region page by page.

Region: DAMON_RECLAIM and DAMON_LRU_SORT default to the biggest System RAM resource
(damon_find_biggest_system_ram(); ranges.ts biggestSystemRam), which is what pfnaudit walks,
every pfn of it. The sysfs interface lets root set any physical range; such a region meets the
same guard.

Guard: pfn_to_online_page() from the first release (a28397beb55b, "mm/damon: implement
primitives for physical address space monitoring", v5.16 [P: its stable tags say 5.16.x]; the
code says it was "stolen from page_idle_get_page()"). null before v5.16. Then, as touches:
- damon_get_page() [V 6.1; modelled the same from v5.16, U]: get_page_unless_zero() writes
  _refcount, then PageLRU() reads flags through compound_head;
- damon_get_folio() [V 6.12; modelled the same from v6.3, U]: page_folio() reads compound_head,
  folio_try_get() writes the folio's _refcount, then page_folio() again and folio_test_lru()
  read compound_head and flags.
The model holds no refcounts: the pin is taken to succeed (worst case).
HugeTLB pages (source/walker/hugetlb.ts): damon_get_page()'s get_page_unless_zero() on an HVO fake
head (v5.18+) increments the head's count in the read-only vmemmap alias — a write that faults
(`hvo`) — until bd225530a4c7 (v6.10 [P]) made page_ref_add_unless() skip fake heads; on a tail it
only reads a zero count. damon_get_folio()'s folio_try_get() takes the head's count [V 6.12].
*/
import {atLeast, before} from '../source/kernel/version.js';
import {hex} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {hasHugetlbPages, hugetlbPartAt, isHugetlbTail, refAddUnlessAccess} from '../source/walker/hugetlb.js';
import {biggestSystemRam} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const HEAD = ['compound_head'] as const;
const REFCOUNT = ['_refcount'] as const;
const HEAD_FLAGS = ['compound_head', 'flags'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

export default defineWalker({
	name: 'damon_get_folio',
	models: 'mm/damon/ops-common.c:damon_get_folio()',
	trigger: 'start a kdamond with the paddr operations (DAMON sysfs, DAMON_RECLAIM or DAMON_LRU_SORT module parameters)',
	reachability: 'root-any-pfn',
	shape: 'the monitored physical region (default: the biggest System RAM resource), every pfn (random samples, DAMOS walks)',
	fields: ['compound_head', '_refcount', 'flags'],
	history: [
		{
			since: '5.16',
			guard: 'pfn_to_online_page()',
			commits: [{id: 'a28397beb55b', subject: 'mm/damon: implement primitives for physical address space monitoring'}],
			confidence: 'P',
			note: 'as damon_get_page(); verified in 6.1.176',
		},
		{
			since: '6.3',
			guard: 'pfn_to_online_page()',
			commits: [{subject: 'mm/damon: introduce damon_get_folio()'}],
			confidence: 'U',
			note: 'folio conversion; release not verified; verified in 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		if (before(k, '5.16')) {
			return null;
		}

		const folio = atLeast(k, '6.3');
		const huge = hasHugetlbPages(model);
		const name = folio ? 'damon_get_folio' : 'damon_get_page';
		const region = biggestSystemRam(model);
		return {
			label: `v5.16+: ${name}(): pfn_to_online_page()`,
			guard: 'guards with pfn_to_online_page()',
			passes: orNothingToWalk(
				region
					? [
							{
								label: `paddr region ${region.label} [${hex(region.start)}, ${hex(region.end)})`,
								ranges: [{start: region.start, end: region.end}],
								direction: 'up',
								stride: 1,
								step(ctx, pfn) {
									if (!ctx.pfn_to_online_page(pfn)) {
										return;
									}

									if (folio) {
										// folio_try_get(page_folio(page)): on a HugeTLB tail the head's count.
										const view = ctx.page(pfn, HEAD, 'page_folio');
										ctx.page(pfn, isHugetlbTail(view.hugetlb) ? HEAD_REFCOUNT : REFCOUNT, 'folio_try_get', 'write');
										ctx.page(pfn, HEAD_FLAGS, 'damon_get_folio');
									} else {
										// get_page_unless_zero() on the raw page: an HVO fake head is written before v6.10.
										const part = huge ? hugetlbPartAt(ctx, pfn) : undefined;
										ctx.page(pfn, REFCOUNT, 'get_page_unless_zero', refAddUnlessAccess(k, part));
										ctx.page(pfn, HEAD_FLAGS, 'PageLRU');
									}
								},
							},
						]
					: [],
				'no System RAM region for the physical address space operations to monitor',
			),
		};
	},
});

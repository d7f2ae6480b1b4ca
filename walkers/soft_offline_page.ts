/**
mm/memory-failure.c:soft_offline_page(), as reached from
/sys/devices/system/memory/soft_offline_page (drivers/base/memory.c:soft_offline_page_store(),
root, any physical address, flags 0). madvise(MADV_SOFT_OFFLINE) only reaches the caller's own
mapped pages and is not modelled.

Forms:
- v4.13–v4.18: the store checks pfn_valid() and passes pfn_to_page(); soft_offline_page() reads
  PageHWPoison() and pins the page in get_any_page() (refcount write).
- v4.19–v5.3: soft_offline_page() first tests is_zone_device_page() (a page->flags read) and
  refuses ZONE_DEVICE pages (86a66810baa8, "mm, madvise_inject_error: Disable
  MADV_SOFT_OFFLINE for ZONE_DEVICE pages") — a test that reads the garbage flags of C1/C4/C5.
- v5.4: the store checks pfn_to_online_page() too (641fe2e9387a); is_zone_device_page() stays.
- v5.5 [U: bounded to v5.5–v5.10]: feec24a6139d ("mm, soft-offline: convert parameter to pfn") moves both checks into
  soft_offline_page(pfn) and drops is_zone_device_page(). Naoya Horiguchi posted it on 16 Oct
  2019 (<20191016070924.GA10178@hori.linux.bs1.fc.nec.co.jp>), after the v5.4 merge window
  closed (v5.4-rc1, 30 Sep 2019); Sasha Levin's stable dependency queue of 24 Mar 2021
  (sashal/linux-stable tmp) carries it as a backport candidate, so v5.4 lacks it; it is in the
  5.10 tree (Dan Williams' v5.12 fix dad4e5b39014 names it in Fixes:). No tag was read: the
  release lies in v5.5–v5.10 and is modelled at v5.5, the first merge window after the posting.
- v5.12: dad4e5b39014 ("mm: fix page reference leak in soft_offline_page()") only changes the
  MF_COUNT_INCREASED (madvise) path.
Verified in 5.10.262, 6.1.176, 6.12.117: pfn_valid() (-ENXIO), then pfn_to_online_page()
(-EIO, "Only online pages can be soft-offlined (esp., not ZONE_DEVICE)"), then PageHWPoison()
and get_hwpoison_page(). Since 5.12 no C1–C5 pfn is touched; ≤v5.11 ZONE_DEVICE pfns in a
section shared with online boot RAM pass pfn_to_online_page() (collision).
The model holds no refcounts: the path is followed to the pin (worst case).
*/
import {before} from '../source/kernel/version.js';
import type {StepContext} from '../source/walker/contract.js';
import {defineWalker} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {physicalSweep} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

/** PageHWPoison(), then get_any_page()/get_hwpoison_page(): compound_head, flags, refcount (write). */
function pinPath(ctx: StepContext, pfn: number, via: string): void {
	ctx.page(pfn, FLAGS, via);
	ctx.page(pfn, HEAD_REFCOUNT, 'get_any_page', 'write');
}

/** is_zone_device_page() (v4.19–v5.4): returns true (-EIO) when the page says ZONE_DEVICE. */
function refusedAsZoneDevice(ctx: StepContext, pfn: number): boolean {
	return ctx.page(pfn, FLAGS, 'is_zone_device_page').zone === 'Device';
}

export default defineWalker({
	name: 'soft_offline_page',
	models: 'mm/memory-failure.c:soft_offline_page()',
	trigger: 'write a physical address to /sys/devices/system/memory/soft_offline_page',
	reachability: 'root-any-pfn',
	shape: 'one pfn per write; swept over every pfn of the physical address space and the boundary pfns beyond it',
	fields: ['flags', 'compound_head', '_refcount'],
	history: [
		{since: '4.13', guard: 'pfn_valid() (soft_offline_page_store)', confidence: 'P'},
		{
			since: '4.19',
			guard: 'pfn_valid() (store), then !is_zone_device_page()',
			commits: [{id: '86a66810baa8', subject: 'mm, madvise_inject_error: Disable MADV_SOFT_OFFLINE for ZONE_DEVICE pages'}],
			confidence: 'P',
		},
		{
			since: '5.4',
			guard: 'pfn_valid() && pfn_to_online_page() (store), then !is_zone_device_page()',
			commits: [{id: '641fe2e9387a', subject: "drivers/base/memory.c: don't access uninitialized memmaps in soft_offline_page_store()"}],
			confidence: 'P',
		},
		{
			since: '5.5',
			guard: 'pfn_valid() && pfn_to_online_page() (inside soft_offline_page(pfn))',
			commits: [{id: 'feec24a6139d', subject: 'mm, soft-offline: convert parameter to pfn'}],
			confidence: 'U',
			note: 'bounded to v5.5–v5.10: posted 16 Oct 2019 after the v5.4 merge window (<20191016070924.GA10178@hori.linux.bs1.fc.nec.co.jp>), a 2021 stable dependency queue carries it as a backport for v5.4, the 5.10 tree has it; modelled at v5.5',
		},
		{
			since: '5.12',
			guard: 'pfn_valid() && pfn_to_online_page()',
			commits: [{id: 'dad4e5b39014', subject: 'mm: fix page reference leak in soft_offline_page()'}],
			confidence: 'V',
			note: 'only the madvise path changes; verified in 5.10.262, 6.1.176, 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		const ranges = physicalSweep(model);
		if (before(k, '4.19')) {
			return {
				label: 'v4.13–v4.18: pfn_valid()',
				guard: 'guards with pfn_valid() only',
				fixed_by: {id: '641fe2e9387a', subject: "drivers/base/memory.c: don't access uninitialized memmaps in soft_offline_page_store()", version: '5.4'},
				passes: [
					{
						label: 'soft_offline_page: every pfn',
						ranges,
						direction: 'up',
						stride: 1,
						step(ctx, pfn) {
							if (ctx.pfn_valid(pfn)) {
								pinPath(ctx, pfn, 'soft_offline_page');
							}
						},
					},
				],
			};
		}

		if (before(k, '5.4')) {
			return {
				label: 'v4.19–v5.3: pfn_valid(), then !is_zone_device_page()',
				guard: 'guards with pfn_valid(), then reads page->flags to refuse ZONE_DEVICE',
				fixed_by: {id: '641fe2e9387a', subject: "drivers/base/memory.c: don't access uninitialized memmaps in soft_offline_page_store()", version: '5.4'},
				passes: [
					{
						label: 'soft_offline_page: every pfn',
						ranges,
						direction: 'up',
						stride: 1,
						step(ctx, pfn) {
							if (ctx.pfn_valid(pfn) && !refusedAsZoneDevice(ctx, pfn)) {
								pinPath(ctx, pfn, 'soft_offline_page');
							}
						},
					},
				],
			};
		}

		const deviceTest = before(k, '5.5');
		return {
			label: deviceTest
				? 'v5.4: pfn_valid() && pfn_to_online_page(), then !is_zone_device_page()'
				: 'v5.5+: pfn_valid() && pfn_to_online_page()',
			guard: 'guards with pfn_valid() && pfn_to_online_page()',
			...collisionFixedBy(k), // 1f90a3477df3 (v5.12) at v5.4–v5.11, source/walker/fixes.ts
			passes: [
				{
					label: 'soft_offline_page: every pfn',
					ranges,
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (!ctx.pfn_valid(pfn) || !ctx.pfn_to_online_page(pfn)) {
							return;
						}

						if (deviceTest && refusedAsZoneDevice(ctx, pfn)) {
							return;
						}

						pinPath(ctx, pfn, 'PageHWPoison');
					},
				},
			],
		};
	},
});

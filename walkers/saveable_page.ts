/**
kernel/power/snapshot.c:saveable_page() (and saveable_highmem_page(), the same guard, for
highmem zones — none on the 64-bit architectures pfnaudit models): hibernation decides, pfn by
pfn over every populated zone, which pages go into the image. It runs in count_data_pages()
and again in copy_data_pages() (page_is_saveable()), both modelled as passes.
Triggered by `echo disk > /sys/power/state`, systemctl hibernate, or /dev/snapshot ioctls.

Forms:
- v4.13–v4.20: pfn_valid(), then page_zone(pfn_to_page(pfn)) != zone, PageHighMem(),
  PageReserved() and kernel_page_present()/pfn_is_nosave(), page_is_guard().
- v5.0+: pfn_valid() && pfn_to_online_page() ("PM / Hibernate: use pfn_to_online_page()",
  David Hildenbrand, [PATCH v2 7/8] of the PageOffline series, Nov 2018, diff read [P]), and
  PageOffline() pages are skipped ("PM / Hibernate: exclude all PageOffline() pages", same series).
Verified in 5.10.262 and 6.12.117.

The swsusp forbidden/free bitmaps are pfn-indexed (no struct page); page_is_guard() reads
page_ext only with debug_pagealloc guard pages enabled (off by default, not modelled).
*/
import {before} from '../source/kernel/version.js';
import type {Pass, StepContext} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {COLLISION_FIX} from '../source/walker/fixes.js';
import {populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const FLAGS_TYPE = ['flags', 'page_type'] as const;

export default defineWalker({
	name: 'saveable_page',
	models: 'kernel/power/snapshot.c:saveable_page()',
	trigger: 'echo disk > /sys/power/state (hibernation), or the /dev/snapshot ioctls',
	reachability: 'root',
	shape: 'every populated zone span, stride 1, twice (count_data_pages, copy_data_pages)',
	fields: ['flags', 'page_type'],
	history: [
		{since: '4.13', guard: 'pfn_valid()', confidence: 'P'},
		{
			since: '5.0',
			guard: 'pfn_valid() && pfn_to_online_page()',
			commits: [
				{subject: 'PM / Hibernate: use pfn_to_online_page()'},
				{subject: 'PM / Hibernate: exclude all PageOffline() pages'},
			],
			confidence: 'P',
			note: 'verified in 5.10.262 and 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		const validOnly = before(k, '5.0');
		const tests = validOnly ? FLAGS : FLAGS_TYPE;
		const step = (zone: {name: string; nid: number}) => (ctx: StepContext, pfn: number) => {
			if (!ctx.pfn_valid(pfn)) {
				return;
			}

			if (!validOnly && !ctx.pfn_to_online_page(pfn)) {
				return;
			}

			const view = ctx.page(pfn, FLAGS, 'page_zone');
			if (view.zone !== zone.name || view.nid !== zone.nid) {
				return;
			}

			// PageHighMem(), PageOffline() (v5.0+: a page_type read), PageReserved().
			ctx.page(pfn, tests, 'saveable_page');
		};

		const passes: Pass[] = [];
		for (const caller of ['count_data_pages', 'copy_data_pages']) {
			for (const zone of populatedZones(model)) {
				passes.push({
					label: `${caller}: ${zoneLabel(zone)}`,
					ranges: [zoneSpan(zone)],
					direction: 'up',
					stride: 1,
					step: step(zone),
				});
			}
		}

		return {
			label: validOnly ? '≤v4.20: pfn_valid()' : 'v5.0+: pfn_valid() && pfn_to_online_page()',
			guard: validOnly ? 'guards with pfn_valid()' : 'guards with pfn_valid() && pfn_to_online_page()',
			...(validOnly
				? {fixed_by: {subject: 'PM / Hibernate: use pfn_to_online_page()', version: '5.0'}}
				: before(k, '5.12')
					? {fixed_by: COLLISION_FIX} // 1f90a3477df3 (v5.12), source/walker/fixes.ts
					: {}),
			passes: orNothingToWalk(passes, 'no populated zone in this model'),
		};
	},
});

/**
mm/shuffle.c:__shuffle_zone(): page-allocator shuffling (page_alloc.shuffle=1, or
CONFIG_SHUFFLE_PAGE_ALLOCATOR with a firmware memory-side-cache hint) swaps free MAX_ORDER pages
at random within a zone: once per zone at boot (shuffle_free_memory()) and again for the zone
memory was onlined to, at the end of online_pages() (shuffle_zone()).

Shape [V 6.1, 6.12 lines 80-147]: from ALIGN(zone_start_pfn, 1 << SHUFFLE_ORDER) to the zone end,
stride 1 << SHUFFLE_ORDER (MAX_ORDER_NR_PAGES: SHUFFLE_ORDER is MAX_ORDER - 1, MAX_PAGE_ORDER in
6.12): shuffle_valid_page(zone, i, order), then up to SHUFFLE_RETRY random partners j in the zone
span, each through shuffle_valid_page() too. The random partners are not modelled: they take the
same check as i, at pfns i already covers.

shuffle_valid_page():
- v5.2-v5.8: pfn_valid_within(pfn) && pfn_in_present_section(pfn), then PageBuddy() (page_type)
  and page_order() (private) [P: the lines 4a93025cbe4a removes]. A present section may be offline:
  the memmap of a never-onlined hot-added block is read.
- v5.9+: pfn_to_online_page(), page_zone() == zone, PageBuddy(), buddy_order() — 4a93025cbe4a
  "mm/shuffle: don't move pages between zones and don't read garbage memmaps" (David Hildenbrand,
  [PATCH v3 1/3] 24 Jun 2020, <20200624094741.9918-2-david@redhat.com>; in Andrew Morton's
  7 Aug 2020 batch for the v5.9 merge; Cc stable v5.2+) [P].
The shuffler came with e900a918b098 "mm: shuffle initial free memory to improve memory-side-cache
utilization" (Dan Williams) in v5.2 [P: the fix's Fixes: tag and "Cc: stable # v5.2+"].
*/
import {before} from '../source/kernel/version.js';
import {ALIGN} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk, PageBuddy_field, type Pass} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';

const VIA = 'shuffle_valid_page';

/** page_zone(): allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;

const FIX = {id: '4a93025cbe4a', subject: "mm/shuffle: don't move pages between zones and don't read garbage memmaps"} as const;

export default defineWalker({
	name: '__shuffle_zone',
	models: 'mm/shuffle.c:__shuffle_zone()',
	trigger: 'page_alloc.shuffle=1: at boot, and after online_pages() for the zone the memory went to (echo online > /sys/devices/system/memory/memoryN/state)',
	reachability: 'indirect',
	shape: 'each populated zone, one pfn per MAX_ORDER_NR_PAGES (plus random partners, not modelled)',
	fields: ['flags', 'page_type', 'private'],
	history: [
		{
			since: '5.2',
			guard: 'pfn_valid_within() && pfn_in_present_section(), then PageBuddy()',
			commits: [{id: 'e900a918b098', subject: 'mm: shuffle initial free memory to improve memory-side-cache utilization'}],
			confidence: 'P',
			note: 'The version comes from the fix\'s "Cc: stable # v5.2+".',
		},
		{
			since: '5.9',
			guard: 'pfn_to_online_page(), page_zone() == zone, then PageBuddy()',
			commits: [FIX],
			confidence: 'P',
			note: 'Posted 24 Jun 2020, merged with the 7 Aug 2020 batch for v5.9; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const k = model.kernel;
		if (before(k, '5.2')) {
			return null;
		}

		const old = before(k, '5.9');
		const order_pages = model.geometry.MAX_ORDER_NR_PAGES;
		const buddy = [PageBuddy_field(k), 'private'] as const;
		const passes: Pass[] = populatedZones(model).map(zone => ({
			label: zoneLabel(zone),
			ranges: ALIGN(zone.zone_start_pfn, order_pages) < zone.zone_end_pfn ? [{start: ALIGN(zone.zone_start_pfn, order_pages), end: zone.zone_end_pfn}] : [],
			direction: 'up',
			stride: order_pages,
			step(ctx, pfn) {
				if (old) {
					if (ctx.pfn_valid_within(pfn) && ctx.pfn_in_present_section(pfn)) {
						ctx.page(pfn, buddy, VIA);
					}

					return;
				}

				if (!ctx.pfn_to_online_page(pfn)) {
					return;
				}

				const view = ctx.page(pfn, FLAGS, VIA); // page_zone(page) != zone
				if (view.zone === zone.name && view.nid === zone.nid) {
					ctx.page(pfn, buddy, VIA);
				}
			},
		}));
		const form = old
			? {label: 'v5.2-v5.8: pfn_valid_within() && pfn_in_present_section()', guard: 'guards with pfn_in_present_section()', fixed_by: {...FIX, version: '5.9'}}
			: {label: 'v5.9+: pfn_to_online_page(), page_zone() == zone', guard: 'guards with pfn_to_online_page()', ...collisionFixedBy(k)};
		return {...form, passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

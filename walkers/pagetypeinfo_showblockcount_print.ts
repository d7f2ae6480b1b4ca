/**
mm/vmstat.c:pagetypeinfo_showblockcount_print(): the "Number of blocks type" table of
/proc/pagetypeinfo (0400 root since v5.4, world-readable before), printed for every populated
zone (walk_zones_in_node() with populated zones only; ZONE_DEVICE never is).

Shape [V 6.1, 6.12 lines 1607-1637]: from zone_start_pfn, stride pageblock_nr_pages, to the zone
end: pfn_to_online_page(pfn), skip when it refuses; page_zone(page) != zone → skip; then
get_pageblock_migratetype(page) reads the pageblock bitmap (ms->usage), not struct page.

Guard:
- ≤v4.12: pfn_valid() (before the oldest release pfnaudit models);
- v4.13+: pfn_to_online_page(), "mm, vmstat: skip reporting offline pages in pagetypeinfo"
  (Michal Hocko, [PATCH 10/14] of "mm, memory_hotplug: do not associate hotadded memory to zones
  until online", 15 May 2017, Message-ID <20170515085827.16474-11-mhocko@kernel.org>; in the
  v4.13 merge shortlog) [P]. Unchanged in 6.1 and 6.12 [V].
The predicate let ZONE_DEVICE pfns of an online section through at v5.3-v5.11 (1f90a3477df3).
*/
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'pagetypeinfo_showblockcount_print',
	models: 'mm/vmstat.c:pagetypeinfo_showblockcount_print()',
	trigger: 'read /proc/pagetypeinfo (root since v5.4, any user before)',
	reachability: 'root',
	shape: 'each populated zone, one pfn per pageblock',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_to_online_page() per pageblock, then page_zone()',
			commits: [{subject: 'mm, vmstat: skip reporting offline pages in pagetypeinfo'}],
			confidence: 'P',
			note: 'Posted 15 May 2017 (<20170515085827.16474-11-mhocko@kernel.org>), in the v4.13 merge; pfn_valid() before. 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const pb = model.geometry.pageblock_nr_pages;
		const passes: Pass[] = populatedZones(model).map(zone => ({
			label: zoneLabel(zone),
			ranges: [{start: zone.zone_start_pfn, end: zone.zone_end_pfn}],
			direction: 'up',
			stride: pb,
			step(ctx, pfn) {
				if (ctx.pfn_to_online_page(pfn)) {
					ctx.page_zone(pfn, 'pagetypeinfo_showblockcount_print');
				}
			},
		}));
		return {
			label: 'v4.13+: pfn_to_online_page() per pageblock',
			guard: 'guards each pageblock with pfn_to_online_page()',
			...collisionFixedBy(model.kernel),
			passes: orNothingToWalk(passes, 'no populated zone in this model'),
		};
	},
});

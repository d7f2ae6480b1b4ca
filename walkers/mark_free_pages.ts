/**
mark_free_pages(): mm/page_alloc.c in 5.10 and 6.1 [V], a static function of
kernel/power/snapshot.c in 6.12 [V], moved by Kefeng Wang's "mm: page_alloc: move mark_free_page()
into snapshot.c" (May 2023, in the MM pull for 6.5-rc1 [P]).

Hibernation calls it for every populated zone from count_data_pages() and copy_data_pages()
(and count_highmem_pages() for highmem zones) [V 5.10, 6.1, 6.12]: echo disk > /sys/power/state,
systemctl hibernate, or the /dev/snapshot ioctls. Each call walks the zone span pfn by pfn: for a
pfn_valid() pfn whose page_zone() is this zone it clears the pfn's bit in the swsusp free bitmap
unless it is forbidden; then it walks the zone's buddy free lists (initialized memmaps only,
not modelled) and sets the bits of the pages there.

Guard: pfn_valid() only, in every version read (5.10, 6.1, 6.12) [V] and in the v6.5 move diff
[P]; v4.13-v5.9 are not read and assumed the same [U] (no change is known). page_zone() reads page->flags through page_to_nid(), whose PF_POISONED_CHECK makes a
poisoned memmap a VM_BUG_ON_PGFLAGS() with CONFIG_DEBUG_VM_PGFLAGS.

Still open in 6.12 [A; no report found]: an offline or never-onlined memory block
inside a populated zone's span (C1, poisoned under DEBUG_VM), and ZONE_DEVICE pfns inside that
span (C2, C4, C5, metadata), are pfn_valid() and have their flags read during hibernation.

The model walks each populated zone once; the kernel walks it once per mark_free_pages() call
(at least twice per hibernation image). The swsusp bitmaps are pfn-indexed, not memmap.
*/
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'mark_free_pages',
	models: 'kernel/power/snapshot.c:mark_free_pages()',
	trigger: 'hibernation: echo disk > /sys/power/state, systemctl hibernate, /dev/snapshot (count_data_pages, copy_data_pages)',
	reachability: 'root',
	shape: 'every populated zone span, stride 1',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(), then page_zone(page) == zone',
			confidence: 'V',
			note: 'Read in 5.10.223, 6.1.192 (mm/page_alloc.c) and 6.12.117 (kernel/power/snapshot.c, since v6.5); never converted to pfn_to_online_page(). v4.13-v5.9 not read: assumed the same [U].',
		},
	],
	plan(model) {
		const passes: Pass[] = populatedZones(model).map(zone => ({
			label: zoneLabel(zone),
			ranges: [{start: zone.zone_start_pfn, end: zone.zone_end_pfn}],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				if (ctx.pfn_valid(pfn)) {
					ctx.page_zone(pfn, 'mark_free_pages');
				}
			},
		}));
		return {label: 'v4.13+: pfn_valid() only', guard: 'guards with pfn_valid() only', passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

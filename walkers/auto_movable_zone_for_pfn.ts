/**
mm/memory_hotplug.c:auto_movable_zone_for_pfn(): the zone choice of the "auto-movable" online
policy (memory_hotplug.online_policy=auto-movable), made when a memory block is onlined without
an explicit zone (zone_for_pfn_range() with MMOP_ONLINE).

Shape [V 6.12 lines 978-1037; 6.1]: for a block of a dynamic memory group (virtio-mem) whose unit
is larger than the block, the sections of the whole unit, one pfn per section:
pfn_to_online_page(), then is_zone_movable_page() (flags). Static groups (ACPI) and blocks
without a group read no struct page.

The model walks every hot-added range as if it were one dynamic group (the topology does not say
which driver added it), one step per section.

History: e83a437faa62 "mm/memory_hotplug: introduce "auto-movable" online policy" (David
Hildenbrand, July/August 2021, with "drivers/base/memory: introduce "memory groups" to logically
group memory blocks") [P: the id is in Fixes: tags]; release v5.15 [P: new in the linux-next
pending-fixes revlist of 2021-09-08, between v5.14 (2021-08-29) and v5.15-rc1, Message-ID
<163114194256.22245.6599126875120279465@gitolite.kernel.org>]. Guard unchanged in 6.1
and 6.12 [V].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {hotplugSpans} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'auto_movable_zone_for_pfn',
	models: 'mm/memory_hotplug.c:auto_movable_zone_for_pfn()',
	trigger: 'onlining a virtio-mem memory block with memory_hotplug.online_policy=auto-movable (echo online > .../state, or auto-onlining)',
	reachability: 'indirect',
	shape: 'one pfn per section of the dynamic memory group unit being onlined',
	fields: ['flags'],
	history: [
		{
			since: '5.15',
			guard: 'pfn_to_online_page() once per section, then is_zone_movable_page()',
			commits: [{id: 'e83a437faa62', subject: 'mm/memory_hotplug: introduce "auto-movable" online policy'}],
			confidence: 'P',
			note: 'New in the linux-next pending-fixes revlist of 2021-09-08 (after v5.14, before v5.15-rc1). 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.15')) {
			return null;
		}

		// One step for every pass, and flat labels: a pass per block is 40 000 passes at 100 000 entries (docs/scale.md).
		const step = (ctx: StepContext, pfn: number) => {
			if (ctx.pfn_to_online_page(pfn)) {
				ctx.page_zone(pfn, 'is_zone_movable_page');
			}
		};
		const passes: Pass[] = hotplugSpans(model).map(span => ({
			label: passLabel('dynamic memory group ', span.label),
			ranges: [{start: span.start, end: span.end}],
			direction: 'up',
			stride: model.geometry.PAGES_PER_SECTION,
			step,
		}));
		return {
			label: 'v5.15+: pfn_to_online_page() once per section',
			guard: 'guards with pfn_to_online_page()',
			passes: orNothingToWalk(passes, 'no hot-added memory in this model'),
		};
	},
});

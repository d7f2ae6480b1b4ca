/**
mm/memory_hotplug.c:try_offline_memory_block(): offline_and_remove_memory(), the call drivers use
to give a range of hot-added memory back (virtio-mem in Big Block Mode, and other drivers),
offlines every memory block of the range with walk_memory_blocks(); for each block it first
senses the zone to re-online it into on failure.

Shape [V 6.12 lines 2351-2378; 6.1]: one pfn per memory block, its first
(section_nr_to_pfn(mem->start_section_nr)): pfn_to_online_page(), then zone_idx(page_zone(page))
== ZONE_MOVABLE (flags). Then device_offline() (offline_pages() for an online block).

The model walks every hot-added range (the topology does not say which driver added it): one
step per memory block.

History: added with 8dc4bb58a146 "mm/memory_hotplug: extend offline_and_remove_memory() to
handle more than one memory block" (David Hildenbrand, in the virtio-mem Big Block Mode series,
October 2020) [P: its id in a shortlog of that series]; release v5.11 [P: in the
torvalds/linux master push of 2020-12-24 in the v5.11 merge window (kernel.org gitolite revlist 58cf05f597b0..3913d00ac51a, Message-ID <160884710514.1958.7554635683763179803@gitolite.kernel.org>; v5.10 was released 2020-12-13)]. The
pfn_to_online_page() test is in 6.1 and 6.12 [V]; from its introduction [U].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {hotplugSpans, memoryBlockPages} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'try_offline_memory_block',
	models: 'mm/memory_hotplug.c:try_offline_memory_block()',
	trigger: 'a driver giving hot-added memory back: offline_and_remove_memory() (virtio-mem unplug in Big Block Mode)',
	reachability: 'indirect',
	shape: 'the first pfn of each memory block of the range being removed',
	fields: ['flags'],
	history: [
		{
			since: '5.11',
			guard: 'pfn_to_online_page() of the block\'s first pfn, then page_zone()',
			commits: [{id: '8dc4bb58a146', subject: 'mm/memory_hotplug: extend offline_and_remove_memory() to handle more than one memory block'}],
			confidence: 'P',
			note: 'In the torvalds/linux master push of 2020-12-24 (v5.11 merge window; kernel.org gitolite revlist 58cf05f597b0..3913d00ac51a). 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.11')) {
			return null;
		}

		const block = memoryBlockPages(model);
		// One step for every pass, and flat labels: a pass per block is 40 000 passes at 100 000 entries (docs/scale.md).
		const step = (ctx: StepContext, pfn: number) => {
			if (ctx.pfn_to_online_page(pfn)) {
				ctx.page_zone(pfn, 'try_offline_memory_block');
			}
		};
		const passes: Pass[] = hotplugSpans(model).map(span => ({
			label: passLabel('offline_and_remove_memory() of ', span.label),
			ranges: [{start: span.start, end: span.end}],
			direction: 'up',
			stride: block,
			step,
		}));
		return {
			label: 'v5.11+: pfn_to_online_page() of each block\'s first pfn',
			guard: 'guards with pfn_to_online_page()',
			passes: orNothingToWalk(passes, 'no hot-added memory in this model'),
		};
	},
});

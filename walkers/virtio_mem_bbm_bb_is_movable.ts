/**
drivers/virtio/virtio_mem.c:virtio_mem_bbm_bb_is_movable() and
virtio_mem_bbm_offline_remove_and_unplug_bb(): virtio-mem in Big Block Mode (a device block size
larger than a memory block) chooses big blocks to unplug and fake-offlines them.

Shape [V 6.12 lines 2241-2259 and 2156-2217; 6.1]: over the big block, one pfn per section:
pfn_to_online_page(), then page_zonenum() (flags) — _is_movable(); and in _offline_remove_and_unplug_bb()
pfn_to_online_page() per section before virtio_mem_fake_offline() (alloc_contig_range() on that
online section), and again to undo it. Offline sections are skipped.

The model walks every hot-added range as virtio-mem memory (the topology does not say which
driver added it), one step per section, twice (the movability check and the unplug).

History: 4ba50cd3355d "virtio-mem: Big Block Mode (BBM) memory hotplug" (David Hildenbrand,
October 2020) [P: Fixes: tag]; release v5.11 [P: in the
torvalds/linux master push of 2020-12-24 in the v5.11 merge window (kernel.org gitolite revlist 58cf05f597b0..3913d00ac51a, Message-ID <160884710514.1958.7554635683763179803@gitolite.kernel.org>; v5.10 was released 2020-12-13)]. Guard unchanged in 6.1 and 6.12 [V].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {hotplugSpans} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'virtio_mem_bbm_bb_is_movable',
	models: 'drivers/virtio/virtio_mem.c:virtio_mem_bbm_bb_is_movable()',
	trigger: 'the hypervisor asks a virtio-mem device in Big Block Mode to shrink (unplug request)',
	reachability: 'kernel-only',
	shape: 'one pfn per section of a big block, twice (movability check, unplug)',
	fields: ['flags'],
	history: [
		{
			since: '5.11',
			guard: 'pfn_to_online_page() per section of a big block',
			commits: [{id: '4ba50cd3355d', subject: 'virtio-mem: Big Block Mode (BBM) memory hotplug'}],
			confidence: 'P',
			note: 'In the torvalds/linux master push of 2020-12-24 (v5.11 merge window; kernel.org gitolite revlist 58cf05f597b0..3913d00ac51a). 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.11')) {
			return null;
		}

		const step = (via: string) => (ctx: StepContext, pfn: number) => {
			if (ctx.pfn_to_online_page(pfn)) {
				ctx.page_zone(pfn, via);
			}
		};
		const passes: Pass[] = [];
		for (const via of ['virtio_mem_bbm_bb_is_movable', 'virtio_mem_bbm_offline_remove_and_unplug_bb']) {
			// One step per caller, not per pass, and flat labels: 80 000 passes at 100 000 entries (docs/scale.md).
			const viaStep = step(via);
			for (const span of hotplugSpans(model)) {
				passes.push({
					label: passLabel(via, ': ', span.label),
					ranges: [{start: span.start, end: span.end}],
					direction: 'up',
					stride: model.geometry.PAGES_PER_SECTION,
					step: viaStep,
				});
			}
		}

		return {
			label: 'v5.11+: pfn_to_online_page() per section',
			guard: 'guards with pfn_to_online_page()',
			passes: orNothingToWalk(passes, 'no hot-added memory in this model'),
		};
	},
});

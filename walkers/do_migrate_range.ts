/**
mm/memory_hotplug.c:do_migrate_range(): the migration loop of offline_pages(), run over the memory
block being offlined after scan_movable_pages() found a movable page (docs/examples/my_walker.ts
models that scan as the example user walker).

Shape [V 6.1, 6.12 lines 1796-1892]: pfn by pfn over [start, end): pfn_valid(pfn), then
pfn_to_page(), page_folio() (compound_head), folio_test_large() (flags), folio_try_get() (a
_refcount write on a page in use), then the hwpoison, hugetlb and LRU tests and the isolation.
Large folios are skipped by their size (not modelled: every pfn is stepped).

Guard: pfn_valid() only, at every release modelled [V 6.1, 6.12; U before]. It is enough because
of where it runs: offline_pages() is only called for an online memory block (memory_block_offline()
→ offline_pages(); device_offline() of an offline block returns first), and refuses a range that
is not all "System RAM" ("memory holes", [V 6.1, 6.12]; added by c5e79ef561b0
"mm/memory_hotplug.c: don't allow to online/offline memory blocks with holes" (David Hildenbrand,
posted October 2019, <20191022171239.21487-2-david@redhat.com>; v2 posted 2019-11-19 after v5.4-rc8,
<20191119115237.6662-1-david@redhat.com>, so merged for v5.5 or v5.6) [P: the id from later
commits' citations; U: release v5.6, v5.5 not excluded]). The
model's domain is those blocks (source/walker/ranges.ts offlinableBlocks()); before the holes
refusal a boot block with holes could be offlined, which the model does not show [U].
*/
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {offlinableBlocks} from '../source/walker/ranges.js';

/** page_folio(), folio_test_large(), folio_try_get(): allocated once. */
const FOLIO = ['compound_head', 'flags', '_refcount'] as const;

export default defineWalker({
	name: 'do_migrate_range',
	models: 'mm/memory_hotplug.c:do_migrate_range()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state on an online block with pages in use (offline_pages()); also ACPI eject, virtio-mem, dax/kmem',
	reachability: 'root',
	shape: 'the online memory block being offlined, stride 1',
	fields: ['compound_head', 'flags', '_refcount', 'mapping'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(), inside offline_pages() on an online block',
			confidence: 'U',
			note: 'pfn_valid() read in 6.1 and 6.12 [V]; assumed since v4.13. The range offline_pages() accepts has no holes from c5e79ef561b0 "mm/memory_hotplug.c: don\'t allow to online/offline memory blocks with holes" [U: v5.6].',
		},
	],
	plan(model) {
		// One step for every pass, and flat labels: a pass per block is 40 000 passes at 100 000 entries (docs/scale.md).
		const step = (ctx: StepContext, pfn: number) => {
			if (ctx.pfn_valid(pfn)) {
				ctx.page(pfn, FOLIO, 'do_migrate_range', 'write');
			}
		};
		const passes: Pass[] = offlinableBlocks(model).map(block => ({
			label: passLabel('offline_pages() of [', block.start.toString(16), ', ', block.end.toString(16), ') (', block.label, ')'),
			ranges: [{start: block.start, end: block.end}],
			direction: 'up',
			stride: 1,
			step,
		}));
		return {
			label: 'v4.13+: pfn_valid() in an online, hole-free memory block',
			guard: 'guards with pfn_valid() inside offline_pages()',
			passes: orNothingToWalk(passes, 'no online memory block that offline_pages() accepts'),
		};
	},
});

/**
An example user walker (docs/writing-a-walker.md): mm/memory_hotplug.c:scan_movable_pages(), the
loop offline_pages() runs over a memory block before it migrates pages away.

Kernel shape (read in v5.10.223, v6.1.192 and v6.12.117): for every pfn of [start, end), skip it
unless pfn_valid(), then test PageLRU() and __PageMovable() (page->flags, page->mapping),
PageOffline() with page_count() (page->page_type, page->_refcount), and return at the first
movable page. The model walks the whole range: the worst case, when nothing is movable.

Run it (a VM whose hot-added memory is online; the showcase's is all offline, so there the
walker has nothing to scan):

	pfnaudit audit topologies/x86-vm-hotplug.yaml --walker docs/examples/my_walker.ts

Outside this repository, import from 'pfnaudit/walker' instead (docs/writing-a-walker.md).
*/
import type {Model} from '../../source/model/types.js';
import {defineWalker} from '../../source/walker/contract.js';

/**
offline_pages() is reached from `echo offline > /sys/devices/system/memory/memoryN/state` on an
online memory block. The blocks a user can offline here: those of hot-plugged memory that the
topology leaves online.
*/
function onlineHotpluggedRanges(model: Model) {
	return model.entries
		.filter(entry => entry.kind === 'hotplug' && (entry.state === 'online' || entry.state === 'online_movable'))
		.map(entry => ({start: entry.start_pfn, end: entry.end_pfn}));
}

export default defineWalker({
	name: 'scan_movable_pages',
	models: 'mm/memory_hotplug.c:scan_movable_pages()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state (offline_pages())',
	reachability: 'root',
	shape: 'consecutive pfns of the memory block being offlined, stride 1; returns at the first movable page',
	fields: ['flags', 'mapping', 'page_type', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid()',
			confidence: 'U',
			note: 'pfn_valid() then pfn_to_page() read in v5.10.223, v6.1.192 and v6.12.117 [V]; assumed unchanged back to v4.13 [U]',
		},
	],
	plan(model) {
		return {
			label: 'v4.13+: pfn_valid()',
			guard: 'guards with pfn_valid()',
			passes: [
				{
					label: 'online hot-plugged memory blocks',
					ranges: onlineHotpluggedRanges(model),
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (!ctx.pfn_valid(pfn)) {
							return;
						}

						// PageLRU(), __PageMovable(), PageOffline() && page_count().
						ctx.page(pfn, ['flags', 'mapping', 'page_type', '_refcount'], 'scan_movable_pages');
					},
				},
			],
		};
	},
});

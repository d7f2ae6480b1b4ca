/**
mm/page_ext.c:page_ext_init(): with a page_ext user enabled (page_owner=on, page_table_check=on,
idle page tracking on 32-bit, ...; invoke_need_callbacks()), page_ext is allocated per section at
boot for every node with memory.

Shape [V 6.12 mm/page_ext.c lines 459-502; 6.1 lines 480-523, the same loop]: for each N_MEMORY node, from node_start_pfn, then every
section start below node_end_pfn (pfn = ALIGN(pfn + 1, PAGES_PER_SECTION)): pfn_valid(pfn), then
pfn_to_nid(pfn) (page->flags) != nid → skip, then init_section_page_ext(). Sections onlined later
get their page_ext from the memory notifier (online_page_ext(), no struct page read). It runs
after every boot struct page is initialized: from mm_core_init(), or with deferred struct page
init from page_alloc_init_late() after deferred_init_memmap() [V 6.12 mm/mm_init.c 2339-2341,
2690-2692].

Boot only: the walker walks the model of the boot phase (source/walker/ranges.ts atBoot()).
Guard: pfn_valid() per section, then pfn_to_nid(), unchanged since before v4.13 [V 6.1, 6.12; U
older].
*/
import {SECTION_ALIGN_UP} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {atBoot, BOOT_ONLY, nodeLabel} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'page_ext_init',
	models: 'mm/page_ext.c:page_ext_init()',
	trigger: 'boot with a page_ext user enabled (page_owner=on, page_table_check=on, ...)',
	reachability: 'kernel-only',
	shape: 'each node with memory at boot: its first pfn, then one pfn per section',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() once per section of the node span, then pfn_to_nid(); boot only',
			confidence: 'U',
			note: '6.1 and 6.12 read [V]; assumed unchanged since v4.13.',
		},
	],
	plan(model) {
		const form = {label: 'v4.13+: pfn_valid() per section, then pfn_to_nid() (boot)', guard: 'guards each section with pfn_valid()'};
		if (!atBoot(model)) {
			return {...form, passes: orNothingToWalk([], BOOT_ONLY)};
		}

		const g = model.geometry;
		const passes: Pass[] = model.nodes
			.filter(node => node.node_end_pfn > node.node_start_pfn)
			.map(node => {
				const next = SECTION_ALIGN_UP(g, node.node_start_pfn + 1);
				return {
					label: nodeLabel(node),
					ranges: [{start: node.node_start_pfn, end: node.node_start_pfn + 1}, ...(next < node.node_end_pfn ? [{start: next, end: node.node_end_pfn}] : [])],
					direction: 'up',
					stride: g.PAGES_PER_SECTION,
					step(ctx, pfn) {
						if (ctx.pfn_valid(pfn)) {
							ctx.pfn_to_nid(pfn, 'page_ext_init');
						}
					},
				};
			});
		return {...form, passes: orNothingToWalk(passes, 'no node with memory in this model')};
	},
});

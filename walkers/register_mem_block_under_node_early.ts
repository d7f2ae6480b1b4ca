/**
drivers/base/node.c:register_mem_block_under_node_early(): at boot, node_dev_init() →
register_one_node() links every memory block of a node's span to the node
(register_memory_blocks_under_node(..., MEMINIT_EARLY) → walk_memory_blocks(), which visits the
memory blocks that exist: those of present sections).

Shape [V 6.12 drivers/base/node.c lines 784-821, get_nid_for_pfn() 748-755; 6.1 lines 774-812,
738-745, the same body]: for each memory block, pfn by pfn from its first pfn: a pfn of a section
that is not present jumps to the next section (pfn_in_present_section()); otherwise
get_nid_for_pfn(): early_pfn_to_nid() (memblock, no struct page) while system_state <
SYSTEM_RUNNING with CONFIG_DEFERRED_STRUCT_PAGE_INIT — node_dev_init() runs from driver_init(),
before SYSTEM_RUNNING, so a kernel with deferred struct page init reads no struct page here —
and pfn_to_nid() (page->flags) without it; the block is linked at the first pfn of this node.

The model steps the first pfn of every section of the node's blocks (one pass per section
position in a block); it reads pfn_to_nid() at the first pfn of the block's first present section
(the anchors are the earlier sections of the block), unless `config.deferred_struct_page_init` is set. The scan on past a pfn of another node
(interleaved nodes) is not modelled [A].

History: the function came from f85086f95fa3 "mm: don't rely on system state to detect hot-plug
operations" (Laurent Dufour), which split register_mem_sect_under_node() into _early and
_hotplug variants [U: release v5.9]; the function before it did the same walk at boot. Before
v5.15 get_nid_for_pfn() also tested pfn_valid_within() [U]. Boot only (atBoot()).
*/
import {ALIGN, ALIGN_DOWN} from '../source/model/geometry.js';
import {type Anchor, defineWalker, orNothingToWalk, type Pass, type StepContext} from '../source/walker/contract.js';
import {atBoot, BOOT_ONLY, memoryBlockPages, nodeLabel} from '../source/walker/ranges.js';

export default defineWalker({
	name: 'register_mem_block_under_node_early',
	models: 'drivers/base/node.c:register_mem_block_under_node_early()',
	trigger: 'boot: node_dev_init() → register_one_node() for every node with memory',
	reachability: 'kernel-only',
	shape: 'each memory block of a node span at boot: the first pfn of its first present section',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_in_present_section(), then early_pfn_to_nid() (deferred struct page init) or pfn_to_nid(); boot only',
			confidence: 'U',
			note: 'register_mem_sect_under_node() before f85086f95fa3 "mm: don\'t rely on system state to detect hot-plug operations" [U: v5.9]; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const deferred = model.topology.config.deferred_struct_page_init === true;
		const form = deferred
			? {label: 'v4.13+: pfn_in_present_section(), then early_pfn_to_nid() (boot, deferred struct page init)', guard: 'guards with pfn_in_present_section() and reads memblock, not the memmap'}
			: {label: 'v4.13+: pfn_in_present_section(), then pfn_to_nid() (boot)', guard: 'guards with pfn_in_present_section()'};
		if (!atBoot(model)) {
			return {...form, passes: orNothingToWalk([], BOOT_ONLY)};
		}

		const g = model.geometry;
		const block = memoryBlockPages(model);
		const sections = Math.max(1, block / g.PAGES_PER_SECTION);
		const read = (ctx: StepContext, pfn: number) => {
			if (!deferred) {
				ctx.pfn_to_nid(pfn, 'get_nid_for_pfn');
			}
		};

		// One pass per section position j in a block: its step reads when section j is present
		// and the j sections before it in the block (its anchors) are not.
		const passes: Pass[] = model.nodes
			.filter(node => node.node_end_pfn > node.node_start_pfn)
			.flatMap(node => {
				const start = ALIGN_DOWN(node.node_start_pfn, block);
				const end = ALIGN(node.node_end_pfn, block);
				return Array.from({length: sections}, (_, j): Pass => {
					const earlier: Anchor[] = Array.from({length: j}, (_, k) => (p: number) => p - (j - k) * g.PAGES_PER_SECTION);
					return {
						label: sections === 1 ? nodeLabel(node) : `${nodeLabel(node)}, section ${j} of each block`,
						ranges: [{start: start + j * g.PAGES_PER_SECTION, end}],
						direction: 'up',
						stride: block,
						anchors: earlier,
						step(ctx, pfn) {
							if (!ctx.pfn_in_present_section(pfn) || earlier.some(anchor => ctx.pfn_in_present_section(anchor(pfn)))) {
								return;
							}

							read(ctx, pfn);
						},
					};
				});
			});
		return {...form, passes: orNothingToWalk(passes, 'no node with memory in this model')};
	},
});

/**
drivers/dax/device.c:dax_set_mapping(): a page fault on a device-dax mapping (an mmap of
/dev/daxX.Y) sets page->mapping and page->index of the pages it maps — only the head page when
the pgmap has a vmemmap_shift (compound pages).

Shape [V 6.1 and 6.12, lines 76-101 in both]: nr_pages = fault_size / PAGE_SIZE (PAGE_SIZE, PMD or
PUD size), 1 when dev_dax->pgmap->vmemmap_shift is set; for each: pfn_to_page(), compound_head(),
test page->mapping, then write page->mapping and page->index. It is called from
__dev_dax_pte_fault(), __dev_dax_pmd_fault() and __dev_dax_pud_fault(). No check of its own: the
pfn comes from dax_pgoff_to_phys(), inside the device's own ranges, and memremap_pages() has
initialized their memmap before the device can be opened.

The model walks the data pfns of every devdax pgmap whose memremap_pages() returned and whose
teardown has not started (source/walker/ranges.ts readyPgmaps()): the pages a mapping of the
device can fault in — every pfn, or every compound head (stride 2^vmemmap_shift from pfn_first)
when the pgmap has a vmemmap_shift.

History: factored out of dev_dax_huge_fault() by "device-dax: factor out page mapping
initialization" (Joao Martins, compound devmap series; a posting: patchwork linux-mm
<20210827145819.16471-8-joao.m.martins@oracle.com>) [U: the mainline id and the release, taken
here as v5.17]. Before it the fault handler set page->mapping and page->index inline the same
way [U]; the model starts the walker at v5.17, under the function's own name.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {pgmapData, readyPgmaps} from '../source/walker/ranges.js';

/** compound_head(), page->mapping test and write, page->index write: allocated once. */
const MAPPING = ['compound_head', 'mapping', 'index'] as const;

export default defineWalker({
	name: 'dax_set_mapping',
	models: 'drivers/dax/device.c:dax_set_mapping()',
	trigger: 'a page fault on an mmap of /dev/daxX.Y (device-dax)',
	reachability: 'root',
	shape: 'the pages of each fault inside the device-dax range; swept over its data pfns (its compound heads with a vmemmap_shift)',
	fields: ['compound_head', 'mapping', 'index'],
	history: [
		{
			since: '5.17',
			guard: 'none of its own: a pfn of the device-dax range being faulted, memmap initialized by memremap_pages()',
			commits: [{subject: 'device-dax: factor out page mapping initialization'}],
			confidence: 'U',
			note: 'The mainline id and release are not confirmed (v5.17 assumed); 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.17')) {
			return null;
		}

		// One step for every pass, and flat labels (docs/scale.md).
		const step = (ctx: StepContext, pfn: number) => {
			ctx.page(pfn, MAPPING, 'dax_set_mapping', 'write');
		};
		const passes: Pass[] = readyPgmaps(model, ['devdax']).map(pgmap => ({
			label: passLabel('device-dax ', pgmap.label),
			ranges: [pgmapData(pgmap)],
			direction: 'up',
			stride: pgmap.vmemmap_shift ? 2 ** pgmap.vmemmap_shift : 1,
			step,
		}));
		return {
			label: 'v5.17+: the faulting device\'s own range, no check',
			guard: 'has no check of its own (a registered, initialized device-dax range)',
			passes: orNothingToWalk(passes, 'no initialized device-dax range in this model'),
		};
	},
});

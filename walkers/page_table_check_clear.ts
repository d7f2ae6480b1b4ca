/**
mm/page_table_check.c:page_table_check_clear() and page_table_check_set(): with
page_table_check=on (CONFIG_PAGE_TABLE_CHECK), every user page-table entry that is set or cleared
updates per-page counters in page_ext.

Shape [V 6.12 lines 63-96 and 103-137; 6.1 lines 59-92 and 99-133, the same order without is_zero_pfn() and
is_huge_zero_folio()]: pfn_valid(pfn), is_zero_pfn(pfn), and (6.12)
is_huge_zero_folio(pfn_folio(pfn)) — page_folio() reads page->compound_head; then
page_ext_get(page), which returns NULL for a section without page_ext (page_ext exists for boot
sections from page_ext_init() and for online sections from online_page_ext(): never for a
never-onlined hot-added block or a ZONE_DEVICE section); only then PageSlab() and PageAnon()
(flags, page_type, mapping). 6.1 has no is_huge_zero_folio() test [V].

Domain: the pfns user page tables map on a stock system — online System RAM and the data pfns of
initialized device-dax and fsdax ranges. A PFNMAP mapping of other pfns (/dev/mem without
CONFIG_STRICT_DEVMEM, a driver's remap_pfn_range()) would put any pfn_valid() pfn here, and in
6.12 its compound_head is read before the page_ext test; those user-controlled pfns are left to
the PFNMAP walkers' configuration knobs and are not modelled here [A].

History: df4e817b7108 "mm: page table check" (Pasha Tatashin) [U: release v5.17; its form is not
read here, the model gives it the 6.1 form]. The is_huge_zero_folio() test is in 6.12.118 and not
in 6.1.192 [V]; its commit and release are not identified [U], the model puts it at v6.12. Either
way the extra read is of a pfn the walker reads anyway.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {pgmapData, readyPgmaps, spansWhere, systemRamResources} from '../source/walker/ranges.js';

const HEAD = ['compound_head'] as const;
const SLAB_ANON = ['flags', 'page_type', 'mapping'] as const;

export default defineWalker({
	name: 'page_table_check_clear',
	models: 'mm/page_table_check.c:page_table_check_clear()',
	trigger: 'any user page-table update (mmap, fault, munmap, exit) with page_table_check=on',
	reachability: 'unprivileged',
	shape: 'one pfn per page-table entry set or cleared; swept over the pfns user mappings hold',
	fields: ['compound_head', 'flags', 'page_type', 'mapping', 'page_ext'],
	history: [
		{
			since: '5.17',
			guard: 'pfn_valid(), then page_ext_get() != NULL before PageSlab()/PageAnon()',
			commits: [{id: 'df4e817b7108', subject: 'mm: page table check'}],
			confidence: 'U',
			note: 'The 6.1 form [V]: pfn_valid(), page_ext_get() NULL test, then PageSlab()/PageAnon(); v5.17 and its form are not confirmed.',
		},
		{
			since: '6.12',
			guard: 'pfn_valid(), is_huge_zero_folio(pfn_folio()) (a compound_head read), then page_ext_get() != NULL',
			confidence: 'U',
			note: 'In 6.12.118 [V], not in 6.1.192 [V]; the commit and release are not identified (v6.12 assumed).',
		},
	],
	plan(model) {
		if (before(model.kernel, '5.17')) {
			return null;
		}

		const zeroFolio = !before(model.kernel, '6.12');
		const step = (ctx: StepContext, pfn: number) => {
			if (!ctx.pfn_valid(pfn)) {
				return;
			}

			if (zeroFolio) {
				ctx.page(pfn, HEAD, 'is_huge_zero_folio');
			}

			// page_ext_get(): a section's page_ext exists while the section is online.
			if (ctx.online_section(pfn)) {
				ctx.page(pfn, SLAB_ANON, 'page_table_check_clear');
			}
		};
		const ram = systemRamResources(model).flatMap(resource => spansWhere(model, resource, state => state.section.online && state.pgmap === null).map(span => ({...span, label: resource.label})));
		const device = readyPgmaps(model, ['devdax', 'fsdax']).map(pgmap => ({...pgmapData(pgmap), label: pgmap.label}));
		const passes: Pass[] = [...ram, ...device].map(span => ({
			label: passLabel('mapped ', span.label),
			ranges: [{start: span.start, end: span.end}],
			direction: 'up',
			stride: 1,
			step,
		}));
		return {
			label: zeroFolio ? 'v6.12+: pfn_valid(), is_huge_zero_folio(), page_ext_get()' : 'v5.17+: pfn_valid(), page_ext_get()',
			guard: 'guards with pfn_valid() and page_ext',
			passes: orNothingToWalk(passes, 'no mapped memory in this model'),
		};
	},
});

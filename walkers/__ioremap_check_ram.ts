/**
arch/x86/mm/ioremap.c:__ioremap_check_ram(): ioremap() (and ioremap_wc(), ioremap_cache(), …)
asks, through __ioremap_check_mem() and walk_mem_res(), whether the range holds System RAM in use:
for each System RAM resource it intersects, any pfn that is pfn_valid() and not PageReserved()
makes __ioremap_caller() refuse the mapping ("ioremap on RAM") [V 6.1.176, 6.12.118]. x86 only.

The guard is pfn_valid() only, then PageReserved() reads page->flags: hot-added memory never
onlined is System RAM (register_memory_resource() at add_memory()), so an ioremap() of it reads
its poisoned or garbage memmap — and a poisoned page looks PG_reserved, so the ioremap() goes on
(walkers/reserve_ram_pages_type.ts). The form: up to v4.14 the check was a
walk_system_ram_range() callback over pfns; from 0e4c12b45aa8 "x86/mm, resource: Use PAGE_KERNEL
protection for ioremap of memory pages" (Tom Lendacky, SME [U: release not checked]) it takes the
resource; the per-pfn test is the same in both.

Which System RAM a driver ioremap()s is a knob, config.ioremap_ram (source/walker/pfnmap.ts),
false by default: no in-tree caller is known to ioremap() hot-added RAM [U]. The model sweeps
every System RAM pfn as a one-page ioremap() (the loop stops at the first page in use; the
superset) [A].
*/
import {defineWalker} from '../source/walker/contract.js';
import {exposurePasses, ioremapRamExposures} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: '__ioremap_check_ram',
	models: 'arch/x86/mm/ioremap.c:__ioremap_check_ram()',
	trigger: 'a driver ioremap()s a range that holds System RAM: __ioremap_caller() → __ioremap_check_mem() → __ioremap_check_ram()',
	reachability: 'indirect',
	shape: 'every pfn of each System RAM resource the ioremap() range intersects, until one is in use; swept over all System RAM when config.ioremap_ram is set',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() only, then PageReserved()',
			commits: [{id: '0e4c12b45aa8', subject: 'x86/mm, resource: Use PAGE_KERNEL protection for ioremap of memory pages'}],
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; the older walk_system_ram_range() form has the same per-pfn test [P]; the commit is the change of form, its release not checked [U]',
		},
	],
	plan(model) {
		if (model.geometry.arch !== 'x86_64') {
			return null;
		}

		return {
			label: 'v4.13+: pfn_valid() only, then PageReserved()',
			guard: 'guards with pfn_valid() only (no pfn_to_online_page())',
			passes: exposurePasses(
				ioremapRamExposures(model),
				(ctx, pfn) => {
					if (ctx.pfn_valid(pfn)) {
						ctx.page(pfn, FLAGS, 'PageReserved');
					}
				},
				'no ioremap() of System RAM: config.ioremap_ram is false (the default)',
			),
		};
	},
});

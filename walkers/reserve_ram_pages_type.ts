/**
arch/x86/mm/pat/memtype.c:reserve_ram_pages_type(): memtype_reserve() tracks the cache mode of
System RAM in page->flags (PG_arch_1, PG_arch_2: _PGMT_WB, _PGMT_WC, _PGMT_UC_MINUS, _PGMT_WT)
instead of the memtype tree. It decides "RAM" with pat_pagerange_is_ram() only — an iomem
"System RAM" test (walk_system_ram_range()), which hot-added memory passes from add_memory() on,
onlined or not — then reads every page's memtype (get_page_memtype()) and, when all are WB,
writes them (set_page_memtype(), a cmpxchg on page->flags) [V 6.1.176, 6.12.118]. x86 only; the
file was arch/x86/mm/pat.c before the v5.6 PAT cleanup (arch/x86/mm/pat/memtype.c) [P].

memtype_reserve() runs it for ioremap() (after __ioremap_check_ram(), walkers/__ioremap_check_ram.ts,
let the range through: no pfn_valid() page that is not PageReserved()) and for set_memory_uc()/
_wc() of kernel RAM (online pages). So the way to uninitialized memmap is an ioremap() of
hot-added System RAM never onlined: config.ioremap_ram (source/walker/pfnmap.ts), false by
default [U]. pat_pagerange_is_ram() counts the legacy ISA range below 1 MiB as not RAM.

By content [A]: a poisoned page reads as _PGMT_WT (both bits set), not WB, so the reservation
fails with -EBUSY after the read and nothing is written; garbage may read as WB and is written
(the superset); an initialized reserved page is taken to be WB and is written.
*/
import {defineWalker} from '../source/walker/contract.js';
import {exposurePasses, ioremapRamExposures, pageReserved, X86_LOW_PFNS} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'reserve_ram_pages_type',
	models: 'arch/x86/mm/pat/memtype.c:reserve_ram_pages_type()',
	trigger: 'a driver ioremap()s System RAM that __ioremap_check_ram() lets through: memtype_reserve() → pat_pagerange_is_ram() → reserve_ram_pages_type()',
	reachability: 'indirect',
	shape: 'every pfn of the reserved range, twice (read all, then write all); swept over System RAM above 1 MiB when config.ioremap_ram is set',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pat_pagerange_is_ram() (iomem System RAM) only, then get_page_memtype() and set_page_memtype()',
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; unchanged in form since long before v4.13 [U]',
		},
	],
	plan(model) {
		if (model.geometry.arch !== 'x86_64') {
			return null;
		}

		return {
			label: 'v4.13+: pat_pagerange_is_ram(), get_page_memtype(), set_page_memtype()',
			guard: 'guards with pat_pagerange_is_ram() only (an iomem System RAM test; no pfn_valid(), no pfn_to_online_page()), then writes page->flags',
			passes: exposurePasses(
				ioremapRamExposures(model, X86_LOW_PFNS),
				(ctx, pfn) => {
					// __ioremap_caller(): __ioremap_check_ram() refuses a page in use.
					if (ctx.pfn_valid(pfn) && pageReserved(ctx.page(pfn, FLAGS, '__ioremap_check_ram')) === false) {
						return;
					}

					const view = ctx.page(pfn, FLAGS, 'get_page_memtype');
					if (view.poisoned) {
						return;
					}

					ctx.page(pfn, FLAGS, 'set_page_memtype', 'write');
				},
				'no ioremap() of System RAM: config.ioremap_ram is false (the default)',
			),
		};
	},
});

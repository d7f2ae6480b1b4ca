/**
arch/x86/mm/pat/memtype.c:free_ram_pages_type(): memtype_free() of a System RAM range
(pat_pagerange_is_ram() only, an iomem "System RAM" test) sets every page back to WB
(set_page_memtype(), a cmpxchg on page->flags: read and written) with no other check [V 6.1.176,
6.12.118]. x86 only. It undoes a reservation walkers/reserve_ram_pages_type.ts made: iounmap()
of an ioremap() of System RAM, so the same knob decides (config.ioremap_ram, false by default:
source/walker/pfnmap.ts) and it runs only where that reservation succeeded — not on a poisoned
memmap, whose memtype reads as WT and made the ioremap() fail [A].

The step looks at the model state of its own pfn (Model.runAt()) to know whether the reservation
before it succeeded, without counting that earlier walker's reads again.
*/
import {defineWalker} from '../source/walker/contract.js';
import {exposurePasses, ioremapRamExposures, X86_LOW_PFNS} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'free_ram_pages_type',
	models: 'arch/x86/mm/pat/memtype.c:free_ram_pages_type()',
	trigger: 'iounmap() of an ioremap() of System RAM: memtype_free() → pat_pagerange_is_ram() → free_ram_pages_type()',
	reachability: 'indirect',
	shape: 'every pfn of the freed range; swept over System RAM above 1 MiB when config.ioremap_ram is set',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pat_pagerange_is_ram() (iomem System RAM) only, then set_page_memtype()',
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; unchanged in form since long before v4.13 [U]',
		},
	],
	plan(model) {
		if (model.geometry.arch !== 'x86_64') {
			return null;
		}

		return {
			label: 'v4.13+: pat_pagerange_is_ram(), then set_page_memtype()',
			guard: 'guards with pat_pagerange_is_ram() only (an iomem System RAM test; no pfn_valid(), no pfn_to_online_page()), then writes page->flags',
			passes: exposurePasses(
				ioremapRamExposures(model, X86_LOW_PFNS),
				(ctx, pfn) => {
					const {memmap, predicates} = ctx.model.runAt(pfn).state;
					// The ioremap() it undoes: refused for a page in use, failed for a poisoned memtype.
					const inUse = predicates.pfn_valid && (memmap.content === 'init' || memmap.content === 'stale') && memmap.reserved !== true;
					if (inUse || memmap.content === 'poison') {
						return;
					}

					ctx.page(pfn, FLAGS, 'set_page_memtype', 'write');
				},
				'no ioremap() of System RAM: config.ioremap_ram is false (the default)',
			),
		};
	},
});

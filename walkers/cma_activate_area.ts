/**
mm/cma.c:cma_activate_area(): at boot (core_initcall cma_init_reserved_areas(), after
page_alloc_init_late() has initialized every boot struct page) every CMA area reserved from
memblock — cma= and hugetlb_cma= (cma_declare_contiguous_nid()), a reusable "shared-dma-pool"
reserved-memory node (rmem_cma_setup() → cma_init_reserved_mem()) — is checked to lie in one zone
and its pageblocks are given to the buddy as MIGRATE_CMA.

Shape [V 6.12 mm/cma.c lines 92-139; 6.1 lines 96-143, the same body]: WARN_ON_ONCE(!pfn_valid(
base_pfn)), page_zone() of the first pfn, then for every further pfn of the area
WARN_ON_ONCE(!pfn_valid(pfn)) and page_zone() (page->flags), leaving at the first pfn of another
zone (not_in_zone); then init_cma_reserved_pageblock() per pageblock, which writes every page of
it (__ClearPageReserved(), set_page_count(), mm/mm_init.c), or on the error path
free_reserved_page() of every pfn (unless cma_reserve_pages_on_error()). The WARN does not stop
the read: the guard is that a CMA area is boot memory (memblock), whose memmap memmap_init()
initialized — the topology's `cma:` ranges lie inside their boot entry, off its `nomap` ranges
(rmem_cma_setup() refuses a no-map node), aligned to CMA_MIN_ALIGNMENT_BYTES.

The model: one pass per area of `cma:` (docs/topology-format.md) reading page_zone() pfn by pfn
and stopping at the first pfn outside the zone of the base pfn, then one pass writing every pfn
(init_cma_reserved_pageblock() when the model's zone spans put the whole area in the base pfn's
zone, free_reserved_page() otherwise). Boot only (atBoot()).

History: the same reads since before v4.13, in an older form that checked and initialized
pageblock by pageblock (the zone check of pageblock k after pageblocks 0..k-1 were given to the
buddy) [U: the commit that split the loops is not identified]; for an area in one zone it reads
and writes the same pfns. Joonsoo Kim's "mm/cma: manage the memory of the CMA area by using the
ZONE_MOVABLE" (Message-ID <1503556593-10720-2-git-send-email-iamjoonsoo.kim@lge.com>, Aug 2017)
replaced the WARN by an error exit; whether and for which releases it was merged is not
confirmed [U], and it is not modelled.
*/
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {atBoot, BOOT_ONLY, cmaAreas, zonesHolding} from '../source/walker/ranges.js';

const FLAGS = ['flags'] as const;
const INIT = ['flags', '_refcount'] as const;

export default defineWalker({
	name: 'cma_activate_area',
	models: 'mm/cma.c:cma_activate_area()',
	trigger: 'boot with a CMA area (cma=, hugetlb_cma=, a reusable shared-dma-pool reserved-memory node)',
	reachability: 'kernel-only',
	shape: 'every pfn of each CMA area at boot: page_zone(), then init_cma_reserved_pageblock() (a write of every page)',
	fields: ['flags', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: 'WARN_ON_ONCE(!pfn_valid()) (no exit), then page_zone() per pfn of a boot CMA area; boot only',
			confidence: 'U',
			note: '6.1 and 6.12 read [V]; older releases checked and initialized pageblock by pageblock [U].',
		},
	],
	plan(model) {
		const form = {label: 'v4.13+: WARN_ON_ONCE(!pfn_valid()), page_zone() per pfn (boot)', guard: 'warns on !pfn_valid() and reads on: a CMA area is boot memory'};
		if (!atBoot(model)) {
			return {...form, passes: orNothingToWalk([], BOOT_ONLY)};
		}

		const passes: Pass[] = cmaAreas(model).flatMap(area => {
			const zone = zonesHolding(model, {start: area.start, end: area.start + 1}, area.nid)[0];
			const oneZone = zone !== undefined && area.end <= zone.zone_end_pfn;
			const check: Pass = {
				label: `${area.label}: page_zone()`,
				ranges: [{start: area.start, end: area.end}],
				direction: 'up',
				stride: 1,
				step(ctx, pfn) {
					ctx.pfn_valid(pfn); // WARN_ON_ONCE() only: the read follows either way
					const view = ctx.page(pfn, FLAGS, 'cma_activate_area');
					if (view.zone !== zone?.name || view.nid !== zone?.nid) {
						ctx.stop(); // not_in_zone
					}
				},
			};
			const via = oneZone ? 'init_cma_reserved_pageblock' : 'free_reserved_page';
			const init: Pass = {
				label: `${area.label}: ${via}()`,
				ranges: [{start: area.start, end: area.end}],
				direction: 'up',
				stride: 1,
				step(ctx, pfn) {
					ctx.page(pfn, INIT, via, 'write');
				},
			};
			return [check, init];
		});
		return {...form, passes: orNothingToWalk(passes, 'no CMA area in this topology (a boot entry\'s cma: ranges)')};
	},
});

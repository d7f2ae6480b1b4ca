/**
mm/huge_memory.c:split_huge_pages_all() (split_huge_pages_set() before a rename [U: v5.13]): `echo
1 > /sys/kernel/debug/split_huge_pages` (0200, root, CONFIG_TRANSPARENT_HUGEPAGE, debugfs)
splits every THP in the machine, scanning every zone pfn by pfn.

Forms:
- v4.13-v5.19: every populated zone; pfn_valid(pfn), then get_page_unless_zero(pfn_to_page(pfn))
  — a _refcount read and, when it is not zero, an increment — before page_zone() is compared
  [P: the lines 2b7aa91ba0e8 removes; V 5.10 per its diff context].
- v6.0+: pfn_to_online_page(), 2b7aa91ba0e8 "mm/huge_memory: use pfn_to_online_page() in
  split_huge_pages_all()" (Naoya Horiguchi, a hotfix of September 2022) [P]; then
  get_page_unless_zero() (6.1) or PageTail(), page_folio() and folio_try_get() (6.12) [V].
6.12 scans zones with managed pages (for_each_zone + managed_zone()), 6.1 for_each_zone too; the
model takes the populated zones for every release (a zone with present pages and none managed is
not modelled).

The touch is the refcount access (get_page_unless_zero(), folio_try_get()), modelled as a write.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

/** Field lists of the step's accesses, allocated once (a literal in the step is a new array per pfn). */
const REFCOUNT = ['_refcount'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

const FIX = {id: '2b7aa91ba0e8', subject: 'mm/huge_memory: use pfn_to_online_page() in split_huge_pages_all()'} as const;

export default defineWalker({
	name: 'split_huge_pages_all',
	models: 'mm/huge_memory.c:split_huge_pages_all()',
	trigger: 'echo 1 > /sys/kernel/debug/split_huge_pages (root, debugfs)',
	reachability: 'root',
	shape: 'every populated zone span, stride 1',
	fields: ['_refcount', 'compound_head', 'flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(), then get_page_unless_zero() (a _refcount write) before the zone check',
			confidence: 'P',
			note: 'The lines removed by 2b7aa91ba0e8; the function was split_huge_pages_set() before a rename [U: v5.13].',
		},
		{
			since: '6.0',
			guard: 'pfn_to_online_page()',
			commits: [FIX],
			confidence: 'P',
			note: 'A hotfix merged during the v6.0 release candidates; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const old = before(model.kernel, '6.0');
		const passes: Pass[] = populatedZones(model).map(zone => ({
			label: zoneLabel(zone),
			ranges: [zoneSpan(zone)],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				if (old) {
					if (ctx.pfn_valid(pfn)) {
						ctx.page(pfn, REFCOUNT, 'get_page_unless_zero', 'write');
					}

					return;
				}

				if (ctx.pfn_to_online_page(pfn)) {
					// PageTail(), page_folio(), folio_try_get() (6.12); get_page_unless_zero() (6.0-6.1).
					ctx.page(pfn, HEAD_REFCOUNT, 'split_huge_pages_all', 'write');
				}
			},
		}));
		const form = old
			? {label: 'v4.13-v5.19: pfn_valid(), then get_page_unless_zero()', guard: 'guards with pfn_valid()', fixed_by: {...FIX, version: '6.0'}}
			: {label: 'v6.0+: pfn_to_online_page()', guard: 'guards with pfn_to_online_page()', ...collisionFixedBy(model.kernel)};
		return {...form, passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

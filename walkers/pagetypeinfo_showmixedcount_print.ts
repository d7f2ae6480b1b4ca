/**
mm/page_owner.c:pagetypeinfo_showmixedcount_print(): the "Number of mixed
blocks" table of /proc/pagetypeinfo, printed only when page_owner is enabled, for every populated
zone (mm/vmstat.c walk_zones_in_node() with populated zones only; ZONE_DEVICE never is).

Shape [V 5.10, 6.1, 6.12]: from zone_start_pfn, a check at the first pfn of each block; if it
fails, jump to the next MAX_ORDER_NR_PAGES-aligned pfn (skipping the rest of that area unchecked
and unread); if it passes, read the block (clipped to the zone) pfn by pfn: skip pfns whose
page_zone() is another zone, skip buddy pages by order, skip PageReserved, then look up page_ext
and the owner's migratetype.

Guard:
- v4.13-v5.3: pfn_valid() per block, pfn_valid_within() per pfn;
- v5.4+: pfn_to_online_page() per block ("The pageblock is online, no need to recheck"),
  a26ee565b6cd "mm/page_owner: don't access uninitialized memmaps when reading /proc/pagetypeinfo"
  (Qian Cai, reworked by David Hildenbrand; Cc stable 4.13+) [P: upstream id from the 4.19 stable
  backport]. The changelog reproduces VM_BUG_ON_PAGE(PagePoisoned(p)) with memory blocks 40 and 42
  online and 41 not.
- v5.15+: no per-pfn pfn_valid_within() (859a85ddf90e) [P].
/proc/pagetypeinfo is 0400 since v5.4 ("mm, vmstat: hide /proc/pagetypeinfo from normal users",
Waiman Long [U id]) and was world-readable before; 5.10.223 creates it 0400 [V].

Which blocks are read (stateless): the checks in a MAX_ORDER_NR_PAGES area are made in order at
the area's first pfn (or zone_start_pfn in the first area) and then at each following block start
while they pass; a pfn is read when every check up to its own block's passed. Those check pfns are
the pass's anchors (MAX_ORDER_NR_PAGES / pageblock_nr_pages of them: 2 on x86, 1 on arm64 16K/64K).

Per-pfn reads: page_zone() (flags, with the poison check); for a pfn of this zone PageBuddy()
(page_type; _mapcount before v4.18) and PageReserved() (flags). The buddy and owner-order skips depend on struct page and
page_ext contents and are not modelled (every pfn of a read block is read). With classic SPARSEMEM,
page_ext_get() decodes the section from page->flags (already read).
*/
import {before} from '../source/kernel/version.js';
import type {Model} from '../source/model/types.js';
import {defineWalker, orNothingToWalk, type WalkerForm} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {pageOwnerZonePasses} from '../source/walker/page-owner.js';

const VIA = 'pagetypeinfo_showmixedcount_print';

function form(model: Model): Omit<WalkerForm, 'passes'> {
	if (before(model.kernel, '5.4')) {
		return {
			label: 'v4.13-v5.3: pfn_valid() per pageblock, pfn_valid_within() per pfn',
			guard: 'guards each pageblock with pfn_valid()',
			fixed_by: {
				id: 'a26ee565b6cd',
				subject: "mm/page_owner: don't access uninitialized memmaps when reading /proc/pagetypeinfo",
				version: '5.4',
			},
		};
	}

	// v5.4–v5.11: pfn_to_online_page() still returns colliding ZONE_DEVICE pfns (1f90a3477df3).
	return before(model.kernel, '5.15')
		? {
				label: 'v5.4-v5.14: pfn_to_online_page() per pageblock, pfn_valid_within() per pfn',
				guard: 'guards each pageblock with pfn_to_online_page()',
				...collisionFixedBy(model.kernel),
			}
		: {label: 'v5.15+: pfn_to_online_page() per pageblock', guard: 'guards each pageblock with pfn_to_online_page()'};
}

export default defineWalker({
	name: 'pagetypeinfo_showmixedcount_print',
	models: 'mm/page_owner.c:pagetypeinfo_showmixedcount_print()',
	trigger: 'read /proc/pagetypeinfo with page_owner=on (root since v5.4, any user before)',
	reachability: 'root',
	shape: 'each populated zone, pageblock by pageblock: a check at the block start (a failure skips to the next MAX_ORDER_NR_PAGES boundary), then pfn by pfn',
	fields: ['flags', 'page_type', '_mapcount', 'private'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() per pageblock, pfn_valid_within() per pfn',
			confidence: 'P',
			note: 'The pre-fix lines are the context of a26ee565b6cd.',
		},
		{
			since: '5.4',
			guard: 'pfn_to_online_page() per pageblock, pfn_valid_within() per pfn',
			commits: [{id: 'a26ee565b6cd', subject: "mm/page_owner: don't access uninitialized memmaps when reading /proc/pagetypeinfo"}],
			confidence: 'P',
			note: 'Fixes: f1dd2cd13c4b; Cc stable 4.13+. Same check in 5.10, 6.1, 6.12 [V].',
		},
		{
			since: '5.15',
			guard: 'pfn_to_online_page() per pageblock only',
			commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
			confidence: 'P',
		},
	],
	plan(model) {
		// Before a26ee565b6cd (v5.4) the pageblock check was pfn_valid(), from it pfn_to_online_page().
		const usesPfnValid = before(model.kernel, '5.4');
		const passes = pageOwnerZonePasses(model, VIA, (ctx, pfn) => (usesPfnValid ? ctx.pfn_valid(pfn) : ctx.pfn_to_online_page(pfn)));
		return {...form(model), passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

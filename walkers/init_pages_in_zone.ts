/**
mm/page_owner.c:init_pages_in_zone(): with page_owner=on, once at boot (init_page_owner() →
init_early_allocated_pages(), after page_ext_init()), every populated zone is walked to record
the pages allocated before page_owner was ready.

Shape [V 6.12 mm/page_owner.c lines 764-832; 6.1 lines 619-686, the same loop (buddy order bound
MAX_ORDER there, MAX_PAGE_ORDER in 6.12)]: from zone_start_pfn; if !pfn_valid(pfn), jump to the next
MAX_ORDER_NR_PAGES-aligned pfn; otherwise read the pageblock (clipped to the zone) pfn by pfn:
page_zone() != zone → skip; PageBuddy() → skip by buddy_order_unsafe(); PageReserved() → skip;
then page_ext. The buddy skips depend on struct page contents and are not modelled (every pfn of
a read pageblock is read). Before v5.15 a pfn_valid_within() test per pfn came first (removed by
859a85ddf90e "mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE") [P].

Which pfns are read is computed as in walkers/pagetypeinfo_showmixedcount_print.ts: the checks
of a MAX_ORDER_NR_PAGES area are the pass's anchors.

Boot only: the walker walks the model of the boot phase (source/walker/ranges.ts atBoot()); at a
later phase it reports that it runs during boot. Guard: pfn_valid() per pageblock, unchanged
since before v4.13 [V 6.1, 6.12; U older].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {pageOwnerZonePasses} from '../source/walker/page-owner.js';
import {atBoot, BOOT_ONLY} from '../source/walker/ranges.js';

const VIA = 'init_pages_in_zone';

export default defineWalker({
	name: 'init_pages_in_zone',
	models: 'mm/page_owner.c:init_pages_in_zone()',
	trigger: 'boot with page_owner=on (CONFIG_PAGE_OWNER)',
	reachability: 'kernel-only',
	shape: 'each populated zone at boot, pageblock by pageblock: pfn_valid() at the block start (a failure skips to the next MAX_ORDER_NR_PAGES boundary), then pfn by pfn',
	fields: ['flags', 'page_type', 'private', 'page_ext'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() per pageblock, pfn_valid_within() per pfn; boot only',
			confidence: 'U',
			note: 'The per-pfn pfn_valid_within() is the one 859a85ddf90e removes.',
		},
		{
			since: '5.15',
			guard: 'pfn_valid() per pageblock; boot only',
			commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
			confidence: 'P',
			note: '6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const form = before(model.kernel, '5.15')
			? {label: 'v4.13-v5.14: pfn_valid() per pageblock, pfn_valid_within() per pfn (boot)', guard: 'guards each pageblock with pfn_valid()'}
			: {label: 'v5.15+: pfn_valid() per pageblock (boot)', guard: 'guards each pageblock with pfn_valid()'};
		if (!atBoot(model)) {
			return {...form, passes: orNothingToWalk([], BOOT_ONLY)};
		}

		const passes = pageOwnerZonePasses(model, VIA, (ctx, pfn) => ctx.pfn_valid(pfn));
		return {...form, passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

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
HugeTLB pages (source/walker/hugetlb.ts refAddUnlessAccess()): get_page_unless_zero() on a tail
only reads its zero _refcount; on an HVO fake head (v5.18+) it increments the copy of the head's
count in the read-only vmemmap alias — the write faults (an `hvo` touch) — until bd225530a4c7
"mm/hugetlb_vmemmap: fix race with speculative PFN walkers" (v6.10 [P]) made
page_ref_add_unless() leave fake heads alone; 6.12 also skips PageTail() pages first [V].
*/
import {before} from '../source/kernel/version.js';
import {FAKE_HEAD_REF_RELEASE} from '../source/model/hugetlb-vmemmap.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {hasHugetlbPages, hugetlbPartAt, isHugetlbTail, refAddUnlessAccess} from '../source/walker/hugetlb.js';
import {populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

/** Field lists of the step's accesses, allocated once (a literal in the step is a new array per pfn). */
const REFCOUNT = ['_refcount'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

const FIX = {id: '2b7aa91ba0e8', subject: 'mm/huge_memory: use pfn_to_online_page() in split_huge_pages_all()'} as const;
const FAKE_HEAD_FIX = {id: 'bd225530a4c7', subject: 'mm/hugetlb_vmemmap: fix race with speculative PFN walkers'} as const;

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
		{
			since: '6.10',
			guard: 'pfn_to_online_page(); page_ref_add_unless() skips HVO fake heads',
			commits: [FAKE_HEAD_FIX],
			confidence: 'P',
			note: 'From v5.18 (e7d324850bfc) to v6.9 get_page_unless_zero() on a fake head of an HVO-optimized HugeTLB page in use writes its read-only vmemmap alias; 6.1 read [V], the fix read in 6.12 include/linux/page_ref.h [V].',
		},
	],
	plan(model) {
		const k = model.kernel;
		const old = before(k, '6.0');
		const huge = hasHugetlbPages(model);
		const passes: Pass[] = populatedZones(model).map(zone => ({
			label: zoneLabel(zone),
			ranges: [zoneSpan(zone)],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				// A HugeTLB tail or fake head: get_page_unless_zero() writes only a fake head, before v6.10.
				const part = huge ? hugetlbPartAt(ctx, pfn) : undefined;
				if (isHugetlbTail(part)) {
					if (old ? ctx.pfn_valid(pfn) : ctx.pfn_to_online_page(pfn)) {
						ctx.page(pfn, REFCOUNT, 'get_page_unless_zero', refAddUnlessAccess(k, part));
					}

					return;
				}

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
		// HVO fake heads (v5.18+) are written until bd225530a4c7 (v6.10), once the v6.0 fix is in.
		const fakeHeads = huge && before(k, FAKE_HEAD_REF_RELEASE) && model.runs.some(run => run.state.memmap.hugetlb?.part === 'fake_head');
		const form = old
			? {label: 'v4.13-v5.19: pfn_valid(), then get_page_unless_zero()', guard: 'guards with pfn_valid()', fixed_by: {...FIX, version: '6.0'}}
			: fakeHeads
				? {label: 'v6.0-v6.9: pfn_to_online_page(), then get_page_unless_zero() (HVO fake heads written)', guard: 'guards with pfn_to_online_page(), then get_page_unless_zero() on every pfn, HVO fake heads included', fixed_by: {...FAKE_HEAD_FIX, version: FAKE_HEAD_REF_RELEASE}}
				: {label: 'v6.0+: pfn_to_online_page()', guard: 'guards with pfn_to_online_page()', ...collisionFixedBy(k)};
		return {...form, passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

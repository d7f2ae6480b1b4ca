/**
mm/page_idle.c:page_idle_bitmap_read() (and _write(), which has the same bounds and guard) with
its per-pfn helper page_idle_get_page() (page_idle_get_folio() in 6.12).

Userspace: /sys/kernel/mm/page_idle/bitmap (0600 root, CONFIG_IDLE_PAGE_TRACKING); the file
offset * 8 is the first pfn, 64 pfns per u64. A read starting at or above max_pfn returns 0.

Bound of the last pfn:
- v4.13-v5.1: a read that extends past max_pfn is clipped to ALIGN(max_pfn, 64), up to 63 pfns
  past max_pfn [V v4.15 code; P diff of the fix];
- v5.2+: clipped to max_pfn, 7298e3b0a149 "mm/page_idle.c: fix oops because end_pfn is larger than
  max_pfn" (Colin Ian King; merged into mainline 2019-07-01, before v5.2; Cc stable) [P; the id is
  from a mirror of mainline, the stable shortlogs carry the subject]. The oops it fixes is a
  page_idle_get_page() fault on a pfn past max_pfn.

Guard:
- v4.13-v5.7: pfn_valid(pfn) → pfn_to_page();
- v5.8+: pfn_to_online_page(), 92fb1db26eef "mm/page_idle.c: skip offline pages" (SeongJae Park,
  June 2020) [P; V 5.10, 6.1, 6.12].

Reads: PageLRU() (6.12: PageTail(), page_folio(), folio_test_lru()): flags and compound_head. On
a page that tests LRU, get_page_unless_zero()/folio_try_get() writes _refcount and the rmap walk
follows mapping; both depend on struct page contents and are listed in `fields` only. The touch
is attributed to page_idle_bitmap_read() in every version because the helper was renamed in the
folio conversion, whose release is [U].
*/
import {before} from '../source/kernel/version.js';
import {ALIGN} from '../source/model/geometry.js';
import {defineWalker, type Pass} from '../source/walker/contract.js';

/** BITMAP_CHUNK_BITS: one u64 of the bitmap. */
const BITMAP_CHUNK_BITS = 64;

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS_HEAD = ['flags', 'compound_head'] as const;

export default defineWalker({
	name: 'page_idle_bitmap_read',
	models: 'mm/page_idle.c:page_idle_bitmap_read()',
	trigger: 'read or write /sys/kernel/mm/page_idle/bitmap (idle page tracking); the offset selects the pfns, 64 per u64',
	reachability: 'root-any-pfn',
	shape: 'consecutive pfns from a user-chosen offset below max_pfn, stride 1',
	fields: ['flags', 'compound_head', '_refcount', 'mapping'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(); reads clipped to ALIGN(max_pfn, 64)',
			confidence: 'P',
			note: 'The ALIGN() clip is in the v4.15 source and in the diff of 7298e3b0a149.',
		},
		{
			since: '5.2',
			guard: 'pfn_valid(); reads clipped to max_pfn',
			commits: [{id: '7298e3b0a149', subject: 'mm/page_idle.c: fix oops because end_pfn is larger than max_pfn'}],
			confidence: 'P',
			note: 'Merged into mainline on 2019-07-01 (akpm "[merged]" mail), i.e. before the v5.2 release; Cc stable.',
		},
		{
			since: '5.8',
			guard: 'pfn_to_online_page(); reads clipped to max_pfn',
			commits: [{id: '92fb1db26eef', subject: 'mm/page_idle.c: skip offline pages'}],
			confidence: 'P',
			note: '"Idle page tracking users can pass random pfn that might be mapped to an offline page." 5.10, 6.1, 6.12 read [V].',
		},
	],
	plan(model) {
		const end = before(model.kernel, '5.2') ? ALIGN(model.max_pfn, BITMAP_CHUNK_BITS) : model.max_pfn;
		const usesPfnValid = before(model.kernel, '5.8');
		const pass: Pass = {
			label: before(model.kernel, '5.2') ? '[0, ALIGN(max_pfn, 64))' : '[0, max_pfn)',
			ranges: end > 0 ? [{start: 0, end}] : [],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				const found = usesPfnValid ? ctx.pfn_valid(pfn) : ctx.pfn_to_online_page(pfn);
				if (found) {
					ctx.page(pfn, FLAGS_HEAD, 'page_idle_bitmap_read');
				}
			},
		};
		if (before(model.kernel, '5.2')) {
			return {
				label: 'v4.13-v5.1: pfn_valid(), reads clipped to ALIGN(max_pfn, 64)',
				guard: 'guards with pfn_valid()',
				passes: [pass],
				fixed_by: {id: '7298e3b0a149', subject: 'mm/page_idle.c: fix oops because end_pfn is larger than max_pfn', version: '5.2'},
			};
		}

		if (usesPfnValid) {
			return {
				label: 'v5.2-v5.7: pfn_valid(), reads clipped to max_pfn',
				guard: 'guards with pfn_valid()',
				passes: [pass],
				fixed_by: {id: '92fb1db26eef', subject: 'mm/page_idle.c: skip offline pages', version: '5.8'},
			};
		}

		return {label: 'v5.8+: pfn_to_online_page(), reads clipped to max_pfn', guard: 'guards with pfn_to_online_page()', passes: [pass]};
	},
});

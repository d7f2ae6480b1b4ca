/**
mm/page_idle.c:page_idle_bitmap_write(): marking pages idle through
/sys/kernel/mm/page_idle/bitmap (0600 root, CONFIG_IDLE_PAGE_TRACKING). The file offset * 8 is
the first pfn, 64 pfns per u64; only the pfns whose bit is set are looked up (the model sets
every bit: the worst case). A write starting at or above max_pfn fails with -ENXIO.

It shares its bounds and its per-pfn helper with page_idle_bitmap_read() (walkers/
page_idle_bitmap_read.ts), and both were changed by the same commits:
- v4.13-v5.1: a write that extends past max_pfn is clipped to ALIGN(max_pfn, 64);
- v5.2+: clipped to max_pfn, 7298e3b0a149 "mm/page_idle.c: fix oops because end_pfn is larger
  than max_pfn" (its diff changes page_idle_bitmap_read() and page_idle_bitmap_write() alike) [P];
- v4.13-v5.7: page_idle_get_page() guards with pfn_valid();
- v5.8+: pfn_to_online_page(), 92fb1db26eef "mm/page_idle.c: skip offline pages" [P; V 6.1, 6.12
  page_idle_get_folio()].

Reads: PageLRU() (6.12: PageTail(), page_folio(), folio_test_lru()): flags and compound_head. On
a page that tests LRU, get_page_unless_zero()/folio_try_get() writes _refcount, the rmap walk
clears the young bits and set_page_idle()/folio_set_idle() writes the idle flag (page->flags on
64-bit, page_ext otherwise); they depend on struct page contents and are listed in `fields` only.
*/
import {before} from '../source/kernel/version.js';
import {ALIGN} from '../source/model/geometry.js';
import {defineWalker, type Pass} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';

/** BITMAP_CHUNK_BITS: one u64 of the bitmap. */
const BITMAP_CHUNK_BITS = 64;

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS_HEAD = ['flags', 'compound_head'] as const;

const END_PFN_FIX = {id: '7298e3b0a149', subject: 'mm/page_idle.c: fix oops because end_pfn is larger than max_pfn'} as const;
const OFFLINE_FIX = {id: '92fb1db26eef', subject: 'mm/page_idle.c: skip offline pages'} as const;

export default defineWalker({
	name: 'page_idle_bitmap_write',
	models: 'mm/page_idle.c:page_idle_bitmap_write()',
	trigger: 'write /sys/kernel/mm/page_idle/bitmap (idle page tracking); the offset selects the pfns, 64 per u64, a set bit marks that pfn idle',
	reachability: 'root-any-pfn',
	shape: 'consecutive pfns from a user-chosen offset below max_pfn whose bit is set, stride 1',
	fields: ['flags', 'compound_head', '_refcount', 'mapping'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid(); writes clipped to ALIGN(max_pfn, 64)',
			confidence: 'P',
			note: 'The ALIGN() clip in page_idle_bitmap_write() is a context line of the 7298e3b0a149 diff.',
		},
		{
			since: '5.2',
			guard: 'pfn_valid(); writes clipped to max_pfn',
			commits: [END_PFN_FIX],
			confidence: 'P',
			note: 'The same diff changes page_idle_bitmap_read(); merged into mainline before v5.2, Cc stable.',
		},
		{
			since: '5.8',
			guard: 'pfn_to_online_page(); writes clipped to max_pfn',
			commits: [OFFLINE_FIX],
			confidence: 'P',
			note: 'page_idle_get_page() (page_idle_get_folio() in 6.12) is the helper of both directions; 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const k = model.kernel;
		const end = before(k, '5.2') ? ALIGN(model.max_pfn, BITMAP_CHUNK_BITS) : model.max_pfn;
		const usesPfnValid = before(k, '5.8');
		const pass: Pass = {
			label: before(k, '5.2') ? '[0, ALIGN(max_pfn, 64)), every bit set' : '[0, max_pfn), every bit set',
			ranges: end > 0 ? [{start: 0, end}] : [],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				if (usesPfnValid ? ctx.pfn_valid(pfn) : ctx.pfn_to_online_page(pfn)) {
					ctx.page(pfn, FLAGS_HEAD, 'page_idle_bitmap_write');
				}
			},
		};
		if (before(k, '5.2')) {
			return {
				label: 'v4.13-v5.1: pfn_valid(), writes clipped to ALIGN(max_pfn, 64)',
				guard: 'guards with pfn_valid()',
				passes: [pass],
				fixed_by: {...END_PFN_FIX, version: '5.2'},
			};
		}

		if (usesPfnValid) {
			return {label: 'v5.2-v5.7: pfn_valid(), writes clipped to max_pfn', guard: 'guards with pfn_valid()', passes: [pass], fixed_by: {...OFFLINE_FIX, version: '5.8'}};
		}

		return {label: 'v5.8+: pfn_to_online_page(), writes clipped to max_pfn', guard: 'guards with pfn_to_online_page()', passes: [pass], ...collisionFixedBy(k)};
	},
});

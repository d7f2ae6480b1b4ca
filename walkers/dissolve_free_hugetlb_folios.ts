/**
mm/hugetlb.c:dissolve_free_hugetlb_folios() (dissolve_free_huge_pages() before a rename [U:
v6.10]): offline_pages() dissolves the free hugetlb pages of the block it offlines, after the
migration loop and before test_pages_isolated().

Shape [V 6.12 lines 2299-2322; 6.1 dissolve_free_huge_pages()]: from start_pfn, stride 1 <<
(the smallest hstate order): pfn_folio(pfn) and dissolve_free_hugetlb_folio(), which tests
folio_test_hugetlb() (page_type in 6.12, flags before). No check of its own: the range is the one
offline_pages() checked (an online memory block without holes), so every pfn has an initialized
struct page.

The smallest hstate order is the architecture's: x86_64 2 MiB (order 9); arm64 the contiguous-PTE
size (64 KiB with 4K pages, 2 MiB with 16K and 64K pages: orders 4, 7, 5) [A: arm64
hugetlbpage_init() registers the CONT_PTE size]; other architectures: pageblock_nr_pages [U].
*/
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import type {Geometry} from '../source/model/geometry.js';
import {offlinableBlocks} from '../source/walker/ranges.js';

/** folio_test_hugetlb(): allocated once. */
const HUGETLB = ['flags', 'page_type'] as const;

/** 1 << min(huge_page_order(h)) over the hstates the architecture registers, in pages. */
function minHstatePages(g: Geometry): number {
	if (g.arch === 'x86_64') {
		return 512;
	}

	if (g.arch.startsWith('arm64')) {
		return g.PAGE_SHIFT === 12 ? 16 : g.PAGE_SHIFT === 14 ? 128 : 32;
	}

	return g.pageblock_nr_pages;
}

export default defineWalker({
	name: 'dissolve_free_hugetlb_folios',
	models: 'mm/hugetlb.c:dissolve_free_hugetlb_folios()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state (offline_pages()), and soft_offline/memory_failure of a free hugetlb page',
	reachability: 'root',
	shape: 'the online memory block being offlined, stride of the smallest huge page',
	fields: ['flags', 'page_type'],
	history: [
		{
			since: '4.13',
			guard: 'none of its own: a range offline_pages() checked',
			confidence: 'U',
			note: '6.1 (dissolve_free_huge_pages()) and 6.12 read [V]; before, assumed the same.',
		},
	],
	plan(model) {
		const stride = minHstatePages(model.geometry);
		// One step for every pass, and flat labels: a pass per block is 40 000 passes at 100 000 entries (docs/scale.md).
		const step = (ctx: StepContext, pfn: number) => {
			ctx.page(pfn, HUGETLB, 'dissolve_free_hugetlb_folio');
		};
		const passes: Pass[] = offlinableBlocks(model).map(block => ({
			label: passLabel('offline_pages() of [', block.start.toString(16), ', ', block.end.toString(16), ') (', block.label, ')'),
			ranges: [{start: block.start, end: block.end}],
			direction: 'up',
			stride,
			step,
		}));
		return {
			label: 'v4.13+: no check, a block offline_pages() accepted',
			guard: 'has no check of its own (the caller checked the range)',
			passes: orNothingToWalk(passes, 'no online memory block that offline_pages() accepts'),
		};
	},
});

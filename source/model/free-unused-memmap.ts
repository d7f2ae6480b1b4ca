/**
free_unused_memmap(): with an arch pfn_valid() and without SPARSEMEM_VMEMMAP the kernel gives
the memmap of the holes between memblock.memory ranges back (memblock_phys_free(), later the
page allocator), after free_area_init() has initialized the memmap and before
page_alloc_init_late() (mem_init() → memblock_free_all()).

Kernel [V: mm/memblock.c free_unused_memmap(), free_memmap() in 6.1 and 6.12]:
- Runs only with CONFIG_HAVE_ARCH_PFN_VALID && !CONFIG_SPARSEMEM_VMEMMAP. In 6.1 and 6.12 only
  arm and arc select HAVE_ARCH_PFN_VALID [V: arch/{arm,arc}/Kconfig], neither is an arch of
  pfnaudit. On arm64 it applies while arm64 had its own pfn_valid() (until v5.16,
  3de360c3fdb3 "arm64/mm: drop HAVE_ARCH_PFN_VALID", source/model/context.ts hasArchPfnValid())
  and a SPARSEMEM without VMEMMAP was still selectable, i.e. the topology sets
  `config.vmemmap: false`. arm64's ARCH_SPARSEMEM_ENABLE selects SPARSEMEM_VMEMMAP in 6.1 [V:
  arch/arm64/Kconfig]; the change is "arm64/mm: Make CONFIG_SPARSEMEM_VMEMMAP the only available
  memory model" (Anshuman Khandual, <1621947349-25421-1-git-send-email-anshuman.khandual@arm.com>,
  posted 25 May 2021) [U: its release, v5.14 by that date]. pfnaudit does not refuse
  `vmemmap: false` on arm64 after it; the freeing then still applies up to v5.15.
- Before the function moved to mm/memblock.c (Mike Rapoport, 2021 [U: commit and release]) arm64
  and arm each had a copy in arch/{arm64,arm}/mm/init.c; pfnaudit models the mm/memblock.c form
  for every version [U: the older copies aligned to MAX_ORDER_NR_PAGES instead of
  pageblock_nr_pages, which frees less on arm64-4k (4 MiB instead of 2 MiB granules)].
- for_each_mem_pfn_range() over memblock.memory (NOMAP included) in address order:
  `start = min(start, ALIGN(prev_end, PAGES_PER_SECTION))` (never past the end of the previous
  range's section: the leading hole of a later section keeps its memmap), then
  `pageblock_start_pfn(start)`; a gap [prev_end, start) is freed; `prev_end =
  pageblock_align(end)`. After the last range, the rest of its section
  [pageblock_align(end), ALIGN(end, PAGES_PER_SECTION)) is freed. The first range frees
  nothing before it (prev_end 0).
- free_memmap() frees whole pages of memmap only: PAGE_ALIGN() of the first struct page's
  address, the last rounded down. A section's memmap is page aligned (sparse_init_nid() →
  section_map_size()), so the rounding is in pfns per memmap page (PAGE_SIZE / sizeof(struct
  page)); the pageblock bounds are multiples of it on every modelled geometry.

The freed struct pages stay in the linear map: a walker reaching one reads whatever the memory
now holds and a write corrupts its new owner. The pfns stay `hole` pfns whose memmap is not
initialized (source/model/classify.ts), with this function as the writer.
*/
import type {BootEntry} from '../topology/types.js';
import {hasArchPfnValid, type ModelContext} from './context.js';
import {ALIGN, ALIGN_DOWN, type Geometry, IS_ALIGNED} from './geometry.js';
import {SIZEOF_STRUCT_PAGE} from './memmap-on-memory.js';
import type {ModelState} from './state.js';

export const FREED_MEMMAP_WRITER =
	'free_unused_memmap() -> free_memmap(): this memmap was given back to memblock and the page allocator (HAVE_ARCH_PFN_VALID without SPARSEMEM_VMEMMAP); it holds whatever now owns that memory, and a write corrupts it';

/** Whether free_unused_memmap() frees anything in this configuration. */
export function freesUnusedMemmap(ctx: ModelContext): boolean {
	return hasArchPfnValid(ctx) && !ctx.config.vmemmap;
}

/** The pfn ranges whose memmap free_unused_memmap() frees, in address order. */
export function unusedMemmapRanges(g: Geometry, boot: readonly BootEntry[]): Array<readonly [number, number]> {
	const pb = g.pageblock_nr_pages;
	const perPage = g.PAGE_SIZE / SIZEOF_STRUCT_PAGE;
	// memblock.memory in address order; adjacent or overlapping entries merge (a zero gap frees nothing either way).
	const ranges: Array<[number, number]> = [];
	for (const entry of [...boot].sort((a, b) => a.start_pfn - b.start_pfn)) {
		const last = ranges.at(-1);
		if (last && entry.start_pfn <= last[1]) {
			last[1] = Math.max(last[1], entry.end_pfn);
		} else {
			ranges.push([entry.start_pfn, entry.end_pfn]);
		}
	}

	const freed: Array<readonly [number, number]> = [];
	// free_memmap(): whole memmap pages between the two struct pages.
	const free_memmap = (start: number, end: number) => {
		const s = ALIGN(start, perPage);
		const e = ALIGN_DOWN(end, perPage);
		if (s < e) {
			freed.push([s, e]);
		}
	};

	let prevEnd = 0;
	let end = 0;
	for (const [rangeStart, rangeEnd] of ranges) {
		let start = Math.min(rangeStart, ALIGN(prevEnd, g.PAGES_PER_SECTION));
		start = ALIGN_DOWN(start, pb);
		if (prevEnd && prevEnd < start) {
			free_memmap(prevEnd, start);
		}

		end = rangeEnd;
		prevEnd = ALIGN(end, pb);
	}

	if (!IS_ALIGNED(prevEnd, g.PAGES_PER_SECTION)) {
		prevEnd = ALIGN(end, pb);
		free_memmap(prevEnd, ALIGN(prevEnd, g.PAGES_PER_SECTION));
	}

	return freed;
}

/** mem_init() → memblock_free_all() → free_unused_memmap(): the memmap of those ranges becomes garbage. */
export function freeUnusedMemmap(state: ModelState, boot: readonly BootEntry[]): void {
	if (!freesUnusedMemmap(state.ctx) || boot.length === 0) {
		return;
	}

	for (const [start, end] of unusedMemmapRanges(state.ctx.g, boot)) {
		state.memmap.set(start, end, {content: 'garbage', writer: FREED_MEMMAP_WRITER});
	}
}

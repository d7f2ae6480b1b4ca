/**
CONFIG_DEFERRED_STRUCT_PAGE_INIT (`config.deferred_struct_page_init: true`): memmap_init() stops
initializing the struct pages of each node's highest zone at pgdat->first_deferred_pfn, and the
pgdatinit kthreads of deferred_init_memmap() do the rest from page_alloc_init_late() — while
every boot section already has SECTION_IS_ONLINE (memory_present()). In that window
pfn_to_online_page() returns the uninitialized struct pages past first_deferred_pfn: an early
memory_failure() (MCE, GHES) or any other walker that trusts it reads them.

Kernel [V: mm/mm_init.c of 6.1 (mm/page_alloc.c) and 6.12: defer_init(), memmap_init_range(),
deferred_init_memmap(), page_alloc_init_late()]:
- defer_init(nid, pfn, zone_end_pfn) is asked for every pfn memmap_init_range(MEMINIT_EARLY)
  would initialize. It defers nothing in a zone that ends below pgdat_end_pfn() ("Always populate
  low zones for address-constrained allocations"); in the node's highest zone it counts the pfns
  (nr_initialised, reset per zone) and sets first_deferred_pfn at the first section-aligned pfn
  after more than PAGES_PER_SECTION of them; from there on everything of that zone is deferred.
- This one-section rule is c9e97a1997fb "mm: initialize pages on demand during boot" (Pavel
  Tatashin, v4 of 14 Feb 2018, <20180214163343.21234-2-pasha.tatashin@oracle.com>; merged for
  v4.17 [M]), which added deferred_grow_zone() for allocations that need more early. Before it
  defer_init() kept a 2 GiB static_init_pgcnt (864b9a393dcb, v4.14) [M] — not modelled: the key
  is refused before v4.17.
- deferred_init_memmap() initializes the free memblock ranges from first_deferred_pfn
  (for_each_free_mem_pfn_range_in_zone_from()) with the zone and node, and frees them to the
  buddy; then page_alloc_init_late() runs set_zone_contiguous() for every populated zone.
- mm/Kconfig (6.1, 6.12): DEFERRED_STRUCT_PAGE_INIT depends on SPARSEMEM, 64BIT and
  !NEED_PER_CPU_KM (and !KMSAN in 6.12): every modelled arch.
Not modelled: memblock.reserved ranges inside the deferred part (reserve_bootmem_region() →
init_reserved_page() initializes their struct pages early), deferred_grow_zone() growing the
initialized part on demand, holes inside the deferred part before v5.8 (memmap_init_zone()'s
zone-span loop broke off at first_deferred_pfn there too), MEMBLOCK_NOMAP parts (left as
memmap_init() has them), `page_ext` forcing early init (early_page_ext_enabled()).
*/
import {atLeast} from '../kernel/version.js';
import {SECTION_ALIGN_UP} from './geometry.js';
import {bootRawMemmap, initPage} from './memmap.js';
import type {ModelState} from './state.js';
import {nodeBootZones} from './boot-holes.js';
import type {ZoneRec} from './zones.js';

/** The release whose defer_init() rule the model implements (c9e97a1997fb). */
export const DEFERRED_INIT_RELEASE = '4.17';

export type DeferredRange = {readonly nid: number; readonly zone: ZoneRec; readonly first_deferred_pfn: number};

/**
What defer_init() counts: memmap_init_range() is called per memblock memory range from v5.8
(73a6e474cb37); before, memmap_init_zone() walked the zone span and counted every pfn_valid() pfn
(a boot section's whole span with the generic pfn_valid()).
*/
function countedSegments(state: ModelState, zone: ZoneRec): Array<[number, number]> {
	const out: Array<[number, number]> = [];
	if (atLeast(state.ctx.kernel, '5.8')) {
		for (const seg of state.memblock.segments(zone.start, zone.end)) {
			if (seg.value === 'memory') {
				out.push([seg.start, seg.end]);
			}
		}

		return out;
	}

	const g = state.ctx.g;
	for (const seg of state.bootSections.segments(Math.floor(zone.start / g.PAGES_PER_SECTION), Math.ceil(zone.end / g.PAGES_PER_SECTION))) {
		if (seg.value) {
			out.push([Math.max(zone.start, seg.start * g.PAGES_PER_SECTION), Math.min(zone.end, seg.end * g.PAGES_PER_SECTION)]);
		}
	}

	return out;
}

/** pgdat->first_deferred_pfn of every node that defers anything, with its highest zone. */
export function deferredRanges(state: ModelState): DeferredRange[] {
	const {g} = state.ctx;
	const out: DeferredRange[] = [];
	const nids = [...new Set(state.zones.map(zone => zone.nid))].sort((a, b) => a - b);
	for (const nid of nids) {
		const zones = nodeBootZones(state, nid);
		if (zones.length === 0) {
			continue;
		}

		const nodeEnd = Math.max(...zones.map(zone => zone.end));
		const top = zones.find(zone => zone.end === nodeEnd)!;
		let count = 0;
		for (const [s, e] of countedSegments(state, top)) {
			// At pfn p, nr_initialised = count + (p - s) + 1; defer at the first section-aligned p with that > PAGES_PER_SECTION.
			const p = SECTION_ALIGN_UP(g, Math.max(s, s + g.PAGES_PER_SECTION - count));
			if (p < e) {
				out.push({nid, zone: top, first_deferred_pfn: p});
				break;
			}

			count += e - s;
		}
	}

	return out;
}

/** memmap_init() stopped at first_deferred_pfn: the memory pfns past it keep the raw boot memmap. */
export function deferMemmap(state: ModelState): void {
	const raw = bootRawMemmap(state.ctx);
	const writer = `${raw.writer}; memmap_init() stopped at pgdat->first_deferred_pfn (defer_init(), CONFIG_DEFERRED_STRUCT_PAGE_INIT), deferred_init_memmap() has not run`;
	for (const {zone, first_deferred_pfn} of deferredRanges(state)) {
		for (const seg of [...state.memblock.segments(first_deferred_pfn, zone.end)]) {
			if (seg.value === 'memory') {
				state.memmap.set(seg.start, seg.end, {...raw, writer});
			}
		}
	}
}

/** deferred_init_memmap() in the pgdatinit kthreads (page_alloc_init_late()): the rest of the highest zones. */
export function deferredInitMemmap(state: ModelState): void {
	const writer = 'deferred_init_memmap() -> deferred_init_pages() (pgdatinit kthread, page_alloc_init_late())';
	for (const {nid, zone, first_deferred_pfn} of deferredRanges(state)) {
		for (const seg of [...state.memblock.segments(first_deferred_pfn, zone.end)]) {
			if (seg.value === 'memory') {
				state.memmap.set(seg.start, seg.end, initPage(zone.name, nid, writer));
			}
		}
	}
}

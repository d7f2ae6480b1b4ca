/**
zone->contiguous, computed the way mm/mm_init.c:set_zone_contiguous() (mm/page_alloc.c before
v6.4) computes it, and only when the kernel computes it:
- boot: page_alloc_init_late(), for every populated zone;
- move_pfn_range_to_zone(): online_pages() for the target zone, memremap_pages() for the
  ZONE_DEVICE zone only ([A]: the normal zone whose span a collision lands in is
  not recomputed and can stay contiguous);
- remove_pfn_range_from_zone() (offline, v5.5+), never for ZONE_DEVICE.

set_zone_contiguous() walks the zone span pageblock by pageblock and stops at the first block
__pageblock_pfn_to_page() rejects. That guard: pfn_valid(start) up to v6.4
(pageblockChecksStartPfnValid(): dropped by "mm/page_alloc: drop the unnecessary pfn_valid() for
start pfn", Baolin Wang, MM pull for 6.5-rc1 [P; V 6.1 has it, 6.12 not]; redundant with
pfn_to_online_page(start) for every state the model produces), pfn_valid(end - 1),
pfn_to_online_page(start), page_zone(start) == zone, page_zone_id(start) == page_zone_id(end - 1)
[V 5.10, 6.1, 6.12]. walkers/set_zone_contiguous.ts models the same guard with the same
helper.

Note the order inside move_pfn_range_to_zone(): it runs before online_mem_sections(), so a
freshly onlined range is not online yet and the zone comes out non-contiguous [V 6.12].
*/
import {before, type KernelVersion} from '../kernel/version.js';
import {ALIGN_DOWN} from './geometry.js';
import {factsAt, nextStateBoundary} from './facts.js';
import {page_zone, page_zone_id} from './predicates/page-zone.js';
import {pfn_to_online_page} from './predicates/pfn-to-online-page.js';
import {pfn_valid} from './predicates/pfn-valid.js';
import type {ModelState} from './state.js';
import {type ZoneRec, zoneIsEmpty} from './zones.js';

/** __pageblock_pfn_to_page() tests pfn_valid(start) up to v6.4 (see the file comment). */
export function pageblockChecksStartPfnValid(kernel: KernelVersion): boolean {
	return before(kernel, '6.5');
}

/** __pageblock_pfn_to_page(start, end, zone) != NULL */
export function pageblockPfnToPage(state: ModelState, zone: ZoneRec, start: number, end: number): boolean {
	const {ctx} = state;
	const first = factsAt(state, start);
	const last = factsAt(state, end - 1);
	if (pageblockChecksStartPfnValid(ctx.kernel) && !pfn_valid(ctx, first).valid) {
		return false;
	}

	if (!pfn_valid(ctx, last).valid) {
		return false;
	}

	if (!pfn_to_online_page(ctx, first).page) {
		return false;
	}

	const z = page_zone(first.memmap);
	if (!z || z.zone !== zone.name || z.nid !== zone.nid) {
		return false;
	}

	return page_zone_id(first.memmap) === page_zone_id(last.memmap);
}

/** set_zone_contiguous(): the value it leaves in zone->contiguous. */
export function setZoneContiguous(state: ModelState, zone: ZoneRec): void {
	zone.contiguous = computeContiguous(state, zone);
}

export function computeContiguous(state: ModelState, zone: ZoneRec): boolean {
	if (zoneIsEmpty(zone)) {
		// The loop does not run: the kernel sets contiguous = true.
		return true;
	}

	const pb = state.ctx.g.pageblock_nr_pages;
	let start = zone.start;
	while (start < zone.end) {
		const end = Math.min(ALIGN_DOWN(start, pb) + pb, zone.end);
		if (!pageblockPfnToPage(state, zone, start, end)) {
			return false;
		}

		// The end of the uniform stretch holding start (the first state boundary after it).
		const segEnd = nextStateBoundary(state, start, zone.end);
		// A full block inside one uniform stretch: every further full block that ends inside the
		// same stretch gets the same answer, so jump to the first block that may not.
		const fullBlockInside = end - start === pb && end <= segEnd;
		start = fullBlockInside ? Math.max(end, ALIGN_DOWN(Math.min(segEnd, zone.end), pb)) : end;
	}

	return true;
}

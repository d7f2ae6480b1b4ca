/**
ZONE_DEVICE lookups (mm/memremap.c, include/linux/memremap.h, include/linux/mm.h).
*/
import {hasBackport, type ModelContext} from '../context.js';
import type {PfnFacts} from '../facts.js';
import type {PgmapRec} from '../state.js';

/**
vmem_altmap_offset(altmap): `altmap ? reserve + free : 0`, "number of pfns from base where
pfn_to_page() is valid" — kernel/memremap.c, then mm/memremap.c, then include/linux/mm.h; only
the location changed [V 5.10, 6.12].
*/
export function vmem_altmap_offset(pgmap: Pick<PgmapRec, 'altmap'>): number {
	return pgmap.altmap ? pgmap.altmap.reserve + pgmap.altmap.free : 0;
}

/**
pfn_first(pgmap, range_id): the first data pfn, `PHYS_PFN(range.start) + (range_id == 0 ?
vmem_altmap_offset(pgmap_altmap(pgmap)) : 0)` (mm/memremap.c, v5.10 multi-range form [V 5.10,
6.12]); before v5.10 `PHYS_PFN(res->start) + vmem_altmap_offset()` — the same for the single
range pfnaudit models.
*/
export function pfn_first(pgmap: Pick<PgmapRec, 'altmap' | 'start_pfn'>): number {
	return pgmap.start_pfn + vmem_altmap_offset(pgmap);
}

/**
get_dev_pagemap(pfn, NULL) (mm/memremap.c): xa_load(&pgmap_array, pfn) under RCU, then
percpu_ref_tryget_live(). The xarray entry covers the whole range — altmap reserve, memmap
storage and data — from before arch_add_memory() until after arch_remove_memory(); it succeeds
during memmap_init_zone_device() (case 4) and returns NULL once memunmap_pages() has killed the
ref (before v4.20 the same with pgmap_radix) [V 6.12].
*/
export function get_dev_pagemap(facts: PfnFacts): PgmapRec | null {
	return facts.pgmap && facts.pgmap.ref === 'live' ? facts.pgmap : null;
}

/**
pgmap_pfn_valid(pgmap, pfn) (v5.12, 34dc45be4563 "mm: fix memory_failure() handling of
dax-namespace metadata"): for the range holding pfn, `pfn >= pfn_first(pgmap, i)`. Absent before
v5.12 (answered false) unless backport-34dc45be4563 is applied (stable-5.10.262 has it [V 5.10.262
mm/memremap.c]). Combined here with get_dev_pagemap(pfn), as walkers call it.
*/
export function pgmap_pfn_valid(ctx: ModelContext, facts: PfnFacts): boolean {
	const pgmap = get_dev_pagemap(facts);
	return hasBackport(ctx, 'backport-34dc45be4563') && pgmap !== null && facts.pfn >= pfn_first(pgmap);
}

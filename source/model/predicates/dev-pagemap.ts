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
export function get_dev_pagemap(facts: PfnFacts, ctx?: Pick<ModelContext, 'patches'>): PgmapRec | null {
	const pgmap = facts.pgmap && facts.pgmap.ref === 'live' ? facts.pgmap : null;
	if (pgmap && ctx && pgmapBeforeInit(ctx, pgmap)) {
		return null;
	}

	return pgmap;
}

/**
What-if `pgmap-after-init` (and its knob `pgmap-after-init-get-dev-pagemap`; source/model/proposals.ts):
get_dev_pagemap() cannot succeed before memmap_init_zone_device() has finished, i.e. before
memremap_pages() reached P7. True when the patch is in effect and `pgmap` is still before P7.
*/
export function pgmapBeforeInit(ctx: Pick<ModelContext, 'patches'>, pgmap: PgmapRec): boolean {
	return (ctx.patches.has('pgmap-after-init') || ctx.patches.has('pgmap-after-init-get-dev-pagemap')) && /^P[1-6]$/.test(pgmap.phase);
}

/**
The pgmap_array entry for the pfn with a live ref, whatever memmap_init_zone_device() has done:
xa_load() without get_dev_pagemap()'s completion test. pfn_to_online_page()'s slow path uses it
under what-if `pgmap-after-init` (not under its knob `pgmap-after-init-get-dev-pagemap`).
*/
export function pgmap_array_entry(facts: PfnFacts): PgmapRec | null {
	return get_dev_pagemap(facts);
}

/**
The what-if helper pfn_zone_device(pfn) (source/model/proposals.ts), answered without reading
the memmap; false when no variant of it is in effect:
- `pfn-zone-device`: get_dev_pagemap(pfn) != NULL — the whole pgmap range;
- `pfn-zone-device-data`: David Hildenbrand's v1 body, `pfn >= pfn_first(pgmap) && pfn <=
  pfn_end(pgmap)` for get_dev_pagemap(pfn) — data pfns only;
- `subsection-dev-map` (-after-init): pfn_valid(pfn) && the subsection's subsection_dev_map bit
  (Toshiki Fukasawa's 2/3 patch; `valid` is pfn_valid()'s answer).
*/
export function pfn_zone_device(ctx: ModelContext, facts: PfnFacts, valid: boolean): boolean {
	const pgmap = get_dev_pagemap(facts, ctx);
	if (ctx.patches.has('pfn-zone-device')) {
		return pgmap !== null;
	}

	if (ctx.patches.has('pfn-zone-device-data')) {
		return pgmap !== null && facts.pfn >= pfn_first(pgmap) && facts.pfn <= pgmap.end_pfn;
	}

	return valid && subsection_dev_map(ctx, facts);
}

/**
What-if `pfn-zone-device-reserved` (rev 1 of init-altmap-reserve, source/model/proposals.ts):
`get_dev_pagemap(pfn) && altmap && pfn < altmap->base_pfn + altmap->reserve`.
*/
export function pfn_zone_device_reserved(ctx: ModelContext, facts: PfnFacts): boolean {
	const pgmap = get_dev_pagemap(facts, ctx);
	return ctx.patches.has('pfn-zone-device-reserved') && pgmap?.altmap !== undefined && pgmap !== null && facts.pfn < pgmap.altmap.base_pfn + pgmap.altmap.reserve;
}

/** memremap_pages()/memunmap_pages() steps in order, for subsection_dev_map's lifetime. */
const DEVICE_STEPS = ['P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'T1', 'T2', 'T3', 'T4'];

/**
What-if `subsection-dev-map` (source/model/proposals.ts): the subsection_dev_map bit of the pfn's
subsection. Set by sparse_add_section() for a pgmap (from P3; with the knob
`subsection-dev-map-after-init` by subsections_mark_device() after memmap_init_zone_device(),
P7), cleared by section_deactivate() (T3). The pgmap's range is subsection aligned from v5.3, the
first release the patch applies to, so the bit covers exactly [start_pfn, end_pfn).
*/
export function subsection_dev_map(ctx: Pick<ModelContext, 'patches'>, facts: PfnFacts): boolean {
	const from = ctx.patches.has('subsection-dev-map') ? 'P3' : ctx.patches.has('subsection-dev-map-after-init') ? 'P7' : undefined;
	if (from === undefined || !facts.pgmap) {
		return false;
	}

	const step = DEVICE_STEPS.indexOf(facts.pgmap.phase);
	return step >= DEVICE_STEPS.indexOf(from) && step < DEVICE_STEPS.indexOf('T3');
}

/**
pgmap_pfn_valid(pgmap, pfn) (v5.12, 34dc45be4563 "mm: fix memory_failure() handling of
dax-namespace metadata"): for the range holding pfn, `pfn >= pfn_first(pgmap, i)`. Absent before
v5.12 (answered false) unless backport-34dc45be4563 is applied (stable-5.10.262 has it [V 5.10.262
mm/memremap.c]). Combined here with get_dev_pagemap(pfn), as walkers call it.
*/
export function pgmap_pfn_valid(ctx: ModelContext, facts: PfnFacts): boolean {
	const pgmap = get_dev_pagemap(facts, ctx);
	return hasBackport(ctx, 'backport-34dc45be4563') && pgmap !== null && facts.pfn >= pfn_first(pgmap);
}

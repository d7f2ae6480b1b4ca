/**
The v5.12–v5.14 SECTION_NID_SHIFT artefact (performance only).

memory_present() writes the early nid as `nid << SECTION_NID_SHIFT` into section_mem_map, and
sparse_init_one_section() keeps the low flag bits. SECTION_NID_SHIFT was 3 [V 5.10] while v5.12
added SECTION_TAINT_ZONE_DEVICE as bit 4 (1f90a3477df3): boot sections of a node with `nid & 2`
carry a spurious taint, so pfn_to_online_page() takes the get_dev_pagemap() slow path there —
still correct, since no pgmap is found. v5.15 set SECTION_NID_SHIFT to 6 (01c8d337d195
"mm/sparse: set SECTION_NID_SHIFT to 6", Naoya Horiguchi); since v6.0 it is
SECTION_MAP_LAST_BIT [V 6.1, 6.12].
*/
import {atLeast, before} from '../../kernel/version.js';
import type {ModelContext} from '../context.js';

/** Bit 4 of `nid << 3`, i.e. bit 1 of nid, without bitwise operators. */
export function nidSetsTaintBit(ctx: ModelContext, nid: number): boolean {
	return atLeast(ctx.kernel, '5.12') && before(ctx.kernel, '5.15') && Math.floor(nid / 2) % 2 === 1;
}

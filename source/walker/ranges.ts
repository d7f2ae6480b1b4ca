/**
Iteration domains shared by walker models: zone spans, node spans, [0, max_pfn), and the sweep
of the whole physical address space (plus boundary pfns beyond it) used for single-target
walkers that userspace can aim at any pfn.
*/
import {hex, SECTION_ALIGN_UP} from '../model/geometry.js';
import type {Model, Zone} from '../model/types.js';

export type PfnSpan = {readonly start: number; readonly end: number};

/** for_each_populated_zone(): zones with present pages (ZONE_DEVICE never is), in zone order per node. */
export function populatedZones(model: Model): readonly Zone[] {
	return model.zones.filter(zone => zone.populated && zone.zone_end_pfn > zone.zone_start_pfn);
}

/** [zone_start_pfn, zone_end_pfn()) */
export function zoneSpan(zone: Zone): PfnSpan {
	return {start: zone.zone_start_pfn, end: zone.zone_end_pfn};
}

export function zoneLabel(zone: Zone): string {
	return `zone ${zone.name} (node ${zone.nid}) [${hex(zone.zone_start_pfn)}, ${hex(zone.zone_end_pfn)})`;
}

/** [0, max_pfn): /proc/kpage*, page_idle, read_page_owner bounds. */
export function belowMaxPfn(model: Model, from = 0): PfnSpan[] {
	return from < model.max_pfn ? [{start: from, end: model.max_pfn}] : [];
}

/** [0, round_up(max_pfn, PAGES_PER_SECTION)): fs/proc/page.c get_max_dump_pfn() (~v5.10+). */
export function belowMaxDumpPfn(model: Model): PfnSpan[] {
	const end = SECTION_ALIGN_UP(model.geometry, model.max_pfn);
	return end > 0 ? [{start: 0, end}] : [];
}

/**
Boundary pfns beyond the physical address space that a root user can still hand to a
single-target walker (a physical address written to sysfs or debugfs):
- the first pfn whose section number is NR_MEM_SECTIONS (the first out-of-range section);
- the first pfn whose mem_section root index is NR_SECTION_ROOTS (past the root array);
- the last pfn below the PFN_PHYS() wrap (upper bits still clear);
- the first pfn with upper bits set (PFN_PHYS() wraps: 1 << (64 - PAGE_SHIFT)).
Each is a one-pfn span, in ascending order, de-duplicated.
*/
export function boundaryPfns(model: Model): PfnSpan[] {
	const g = model.geometry;
	const points = [
		g.NR_MEM_SECTIONS * g.PAGES_PER_SECTION,
		g.NR_SECTION_ROOTS * g.SECTIONS_PER_ROOT * g.PAGES_PER_SECTION,
		g.pfn_upper_bits_limit - 1,
		g.pfn_upper_bits_limit,
	].filter(pfn => Number.isSafeInteger(pfn) && pfn < model.end_pfn);
	return [...new Set(points)].sort((a, b) => a - b).map(pfn => ({start: pfn, end: pfn + 1}));
}

/** The whole physical address space [0, 2^MAX_PHYSMEM_BITS) followed by the boundary pfns. */
export function physicalSweep(model: Model): PfnSpan[] {
	const spans: PfnSpan[] = [{start: 0, end: model.geometry.max_possible_pfn}];
	for (const span of boundaryPfns(model)) {
		const last = spans.at(-1)!;
		if (span.start < last.end) {
			continue;
		}

		spans.push(span);
	}

	return spans;
}

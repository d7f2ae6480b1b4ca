/**
What the kernel holds for one pfn, gathered from the replay state: the inputs of every predicate
and of the classification. Facts are uniform between consecutive `stateBoundaries()`, which is
what makes runs (and zone scans during the replay) cheap.
*/
import {hasEarlyFlag} from './context.js';
import {pfn_to_section_nr, SECTION_ALIGN_DOWN, SECTION_ALIGN_UP, SECTION_NR_TO_ROOT} from './geometry.js';
import type {ModelState, PgmapRec} from './state.js';
import {NO_SECTION} from './state.js';
import type {MemmapState, SectionState} from './types.js';

export type AltmapPart = 'reserve' | 'free' | 'data' | null;

export type PfnFacts = {
	readonly pfn: number;
	readonly section_nr: number;
	/** pfn_to_section_nr(pfn) < NR_MEM_SECTIONS */
	readonly section_nr_in_range: boolean;
	/** SECTION_NR_TO_ROOT(nr): the index into the mem_section root array. */
	readonly root: number;
	/** root < NR_SECTION_ROOTS (the bound __nr_to_section() checks from v5.18). */
	readonly root_in_range: boolean;
	/** PHYS_PFN(PFN_PHYS(pfn)) == pfn, i.e. pfn < 1 << (64 - PAGE_SHIFT). */
	readonly upper_bits_ok: boolean;
	/** struct mem_section flags as the kernel version has them (no EARLY before v5.3). */
	readonly section: SectionState;
	/** The section was marked by memory_present() at boot (whatever the version calls it). */
	readonly boot_section: boolean;
	/** The subsection_map bit as tracked (meaningful with SPARSEMEM_VMEMMAP from v5.3). */
	readonly subsection_bit: boolean;
	readonly memblock_memory: boolean;
	readonly memblock_nomap: boolean;
	readonly memmap: MemmapState;
	/** pgmap_array (xarray) contents at pfn, whatever the state of its ref. */
	readonly pgmap: PgmapRec | null;
	readonly altmap_part: AltmapPart;
	/** A pgmap whose hot-added span shares this pfn's section (for C3), or null. */
	readonly section_pgmap: PgmapRec | null;
	readonly entry: number | null;
};

export function altmapPart(pgmap: PgmapRec | null, pfn: number): AltmapPart {
	if (!pgmap) {
		return null;
	}

	const {altmap} = pgmap;
	if (!altmap) {
		return 'data';
	}

	if (pfn < altmap.base_pfn + altmap.reserve) {
		return 'reserve';
	}

	if (pfn < altmap.base_pfn + altmap.reserve + altmap.free) {
		return 'free';
	}

	return 'data';
}

/** The pgmap (in the xarray) whose hot-added span intersects section `nr`: the first registered. */
function sectionPgmap(state: ModelState, nr: number): PgmapRec | null {
	const {g} = state.ctx;
	const start = nr * g.PAGES_PER_SECTION;
	const end = start + g.PAGES_PER_SECTION;
	let found: PgmapRec | null = null;
	for (const pgmap of state.pgmapsNear(start - 1, end + 1)) {
		if (pgmap.in_xarray && pgmap.span_start < end && pgmap.span_end > start && (!found || pgmap.id < found.id)) {
			found = pgmap;
		}
	}

	return found;
}

export function factsAt(state: ModelState, pfn: number): PfnFacts {
	const {ctx} = state;
	const {g} = ctx;
	const section_nr = pfn_to_section_nr(g, pfn);
	const section_nr_in_range = section_nr < g.NR_MEM_SECTIONS;
	const root = SECTION_NR_TO_ROOT(g, section_nr);
	const raw = section_nr_in_range ? state.sections.get(section_nr) : NO_SECTION;
	const section = hasEarlyFlag(ctx) ? raw : {...raw, early: false};
	const flag = state.memblock.get(pfn);
	const pgmap = state.pgmapAt(pfn);
	return {
		pfn,
		section_nr,
		section_nr_in_range,
		root,
		root_in_range: root < g.NR_SECTION_ROOTS,
		upper_bits_ok: pfn < g.pfn_upper_bits_limit,
		section,
		boot_section: section_nr_in_range && state.bootSections.get(section_nr),
		subsection_bit: state.subsections.get(pfn),
		memblock_memory: flag !== 'none',
		memblock_nomap: flag === 'nomap',
		memmap: state.memmap.get(pfn),
		pgmap,
		altmap_part: altmapPart(pgmap, pfn),
		section_pgmap: section_nr_in_range ? sectionPgmap(state, section_nr) : null,
		entry: state.owner.get(pfn),
	};
}

/** The points where a pgmap's facts may change (whatever lies outside the asked range included). */
function pgmapPoints(state: ModelState, pgmap: PgmapRec, out: number[]): void {
	const {g} = state.ctx;
	out.push(
		pgmap.start_pfn,
		pgmap.end_pfn,
		pgmap.span_start,
		pgmap.span_end,
		SECTION_ALIGN_DOWN(g, pgmap.span_start),
		SECTION_ALIGN_UP(g, pgmap.span_end),
		pgmap.init_start,
		pgmap.init_cursor,
		pgmap.init_end,
	);
	if (pgmap.altmap) {
		out.push(pgmap.altmap.base_pfn + pgmap.altmap.reserve, pgmap.altmap.base_pfn + pgmap.altmap.reserve + pgmap.altmap.free);
	}
}

/** Where the geometry alone changes facts: NR_MEM_SECTIONS, NR_SECTION_ROOTS, the upper bits limit. */
function geometryPoints(state: ModelState): number[] {
	const {g} = state.ctx;
	return [g.NR_MEM_SECTIONS * g.PAGES_PER_SECTION, g.NR_SECTION_ROOTS * g.SECTIONS_PER_ROOT * g.PAGES_PER_SECTION, g.pfn_upper_bits_limit];
}

/**
Every pfn in (start, end) where some fact may change, ascending. Visits only the runs of each
map inside the range and the pgmaps near it (binary searches), never the whole state.
*/
export function stateBoundaries(state: ModelState, start: number, end: number): number[] {
	const {g} = state.ctx;
	const points: number[] = geometryPoints(state);
	// Section boundaries nr * PAGES_PER_SECTION in (start, end).
	const firstNr = Math.floor(start / g.PAGES_PER_SECTION);
	const endNr = Math.ceil(end / g.PAGES_PER_SECTION);
	const sectionNrs: number[] = [];
	state.sections.boundariesIn(firstNr, endNr, sectionNrs);
	state.bootSections.boundariesIn(firstNr, endNr, sectionNrs);
	for (const nr of sectionNrs) {
		points.push(nr * g.PAGES_PER_SECTION);
	}

	state.subsections.boundariesIn(start, end, points);
	state.memmap.boundariesIn(start, end, points);
	state.memblock.boundariesIn(start, end, points);
	state.owner.boundariesIn(start, end, points);
	for (const pgmap of state.pgmapsNear(start, end)) {
		pgmapPoints(state, pgmap, points);
	}

	const inside = points.filter(p => p > start && p < end);
	return [...new Set(inside)].sort((a, b) => a - b);
}

/**
The state boundary nearest to `pfn` in one direction, strictly between `pfn` and `limit`, or
`limit`: the first element of stateBoundaries(state, pfn, limit) going up, the last of
stateBoundaries(state, limit, pfn) going down. O(log n): one binary search per map, and the
pgmaps between pfn and the best candidate so far.
*/
function nearestStateBoundary(state: ModelState, pfn: number, limit: number, up: boolean): number {
	const {g} = state.ctx;
	let best = limit;
	const consider = (p: number | undefined) => {
		if (p !== undefined && (up ? p > pfn && p < best : p < pfn && p > best)) {
			best = p;
		}
	};

	for (const p of geometryPoints(state)) {
		consider(p);
	}

	// Section boundaries nr * PAGES_PER_SECTION beyond pfn are run starts beyond these numbers.
	const nr = up ? Math.floor(pfn / g.PAGES_PER_SECTION) : Math.ceil(pfn / g.PAGES_PER_SECTION);
	for (const map of [state.sections, state.bootSections]) {
		const boundary = up ? map.nextBoundary(nr) : map.previousBoundary(nr);
		consider(boundary === undefined ? undefined : boundary * g.PAGES_PER_SECTION);
	}

	for (const map of [state.subsections, state.memmap, state.memblock, state.owner] as const) {
		consider(up ? map.nextBoundary(pfn) : map.previousBoundary(pfn));
	}

	if (Math.abs(best - pfn) > 1) {
		const points: number[] = [];
		for (const pgmap of state.pgmapsNear(Math.min(pfn, best), Math.max(pfn, best))) {
			pgmapPoints(state, pgmap, points);
		}

		for (const p of points) {
			consider(p);
		}
	}

	return best;
}

/** The first pfn in (pfn, end) where some fact may change, or `end`: stateBoundaries(state, pfn, end)[0] ?? end. */
export function nextStateBoundary(state: ModelState, pfn: number, end: number): number {
	return nearestStateBoundary(state, pfn, end, true);
}

/** The last pfn in (start, pfn) where some fact may change, or `start`: stateBoundaries(state, start, pfn).at(-1) ?? start. */
export function previousStateBoundary(state: ModelState, start: number, pfn: number): number {
	return nearestStateBoundary(state, pfn, start, false);
}

/** Split [start, end) into maximal stretches of uniform facts: [[s0, e0], [s1, e1], ...]. */
export function stateSegments(state: ModelState, start: number, end: number): Array<[number, number]> {
	const cuts = [start, ...stateBoundaries(state, start, end), end];
	const out: Array<[number, number]> = [];
	for (let i = 0; i + 1 < cuts.length; i++) {
		out.push([cuts[i]!, cuts[i + 1]!]);
	}

	return out;
}

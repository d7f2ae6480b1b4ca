/**
memmap_init() at boot, holes and MEMBLOCK_NOMAP included, by version (memory-model.md §4.1;
docs/model-facts.md "Boot memmap").

Memory (memblock.memory without NOMAP): INIT(zone, node) in every version.

Eras, for a "hole" (a pfn of a boot section that is not in memblock.memory):
- v4.13–v5.7, memmap_init_zone(MEMMAP_EARLY) loops over every pfn of each zone span and
  initializes those with early_pfn_valid() (pfn_valid(); arm64: memblock_is_map_memory()) and
  early_pfn_in_nid() (true for holes: __early_pfn_to_nid() returns -1). Holes inside a zone span
  therefore got a normal INIT(zone, node); holes outside every zone span (the tail of the last
  section, gaps between nodes) did not [V: pre-v5.8 memmap_init_zone() text; Baoquan He's review
  note "in the old code, it just happened to add them into expected node/zone"].
- v4.19–v5.5, zero_resv_unavail() zeroes holes below max_pfn (907ec5fca3dc "mm: zero remaining
  unavailable struct pages") [P]; a zeroed page reads zone 0 / node 0, no flags. The tail above
  max_pfn stays raw: the "partially populated last section" bug (§7.2).
- v5.6–v5.11, init_unavailable_mem() (4b094b7851bf, e822969cab48) initializes every hole up to
  round_up(max_pfn, PAGES_PER_SECTION) as PageReserved with zone 0 / node 0; it runs before the
  per-node init, so v5.6–v5.7 in-span holes still end up INIT(zone, node) by memmap_init_zone().
- v5.8 memmap_init() iterates memblock ranges only (73a6e474cb37 "mm: memmap_init: iterate over
  memblock regions rather that check each PFN", Baoquan He) [P]: holes keep the zone 0 / node 0
  reserved init.
- v5.12 init_unavailable_range() inside memmap_init(): PageReserved with the zone/node of the
  next memblock range ("prepended to the zone/node above the hole"), the trailing part of the last
  section appended to the last node's highest populated zone (0740a50b9baa "mm/page_alloc.c:
  refactor initialization of struct page for holes in memory layout") [V 5.10 backport, 6.1, 6.12].
Every hole initializer from v4.19 skips pageblocks whose first pfn is !pfn_valid() [V 5.10, 6.12]:
on arm64 with its own pfn_valid() (< v5.16) hole pageblocks not starting in memory stay raw
(memory-model.md H6b).

MEMBLOCK_NOMAP (arm64 firmware regions):
- < v5.8: memmap_init_zone() skips them where pfn_valid() is false (arm64); for_each_mem_range(
  MEMBLOCK_NONE) skips NOMAP regions, so the hole initializers treat them as holes.
- v5.8–v5.13: memmap_init() initializes them (for_each_mem_pfn_range() includes NOMAP), not
  reserved ("kept with the default values set by the memory map initialization").
- v5.14: reserve_bootmem_region() marks them PageReserved (9092d4f7a1f8 "memblock: update
  initialization of reserved pages", Mike Rapoport) [M].
*/
import {atLeast, before} from '../kernel/version.js';
import type {BootEntry} from '../topology/types.js';
import {hasArchPfnValid} from './context.js';
import {factsAt, stateSegments} from './facts.js';
import {ALIGN, ALIGN_DOWN, SECTION_ALIGN_UP} from './geometry.js';
import {bootRawMemmap, initPage} from './memmap.js';
import {pfn_valid} from './predicates/pfn-valid.js';
import type {ModelState} from './state.js';
import type {ZoneName} from './types.js';
import {archZones, type ZoneRec, zoneIsEmpty, zoneZero} from './zones.js';

type Range = readonly [number, number];

function memoryWriter(state: ModelState): string {
	return before(state.ctx.kernel, '5.8')
		? 'memmap_init_zone() (MEMMAP_EARLY, zone-span loop)'
		: 'memmap_init() -> memmap_init_range() (MEMINIT_EARLY)';
}

/** The boot zones of node `nid`, non-empty, in zone order. */
function nodeBootZones(state: ModelState, nid: number): ZoneRec[] {
	const names = new Set(archZones(state.ctx.arch).map(z => z.name));
	return state.zones.filter(zone => zone.nid === nid && names.has(zone.name) && !zoneIsEmpty(zone));
}

/** Split [a, b) of node `nid` by boot zone span. */
function byZone(state: ModelState, nid: number, a: number, b: number): Array<{zone: ZoneRec; start: number; end: number}> {
	const out: Array<{zone: ZoneRec; start: number; end: number}> = [];
	for (const zone of nodeBootZones(state, nid)) {
		const start = Math.max(a, zone.start);
		const end = Math.min(b, zone.end);
		if (start < end) {
			out.push({zone, start, end});
		}
	}

	return out;
}

/** The parts of [a, b) whose pageblock starts with a pfn_valid() pfn at boot. */
function pageblockValidParts(state: ModelState, a: number, b: number): Range[] {
	const {ctx} = state;
	const pb = ctx.g.pageblock_nr_pages;
	const out: Range[] = [];
	for (const [s, e] of stateSegments(state, ALIGN_DOWN(a, pb), b)) {
		const firstStart = ALIGN(s, pb);
		if (firstStart >= e) {
			continue;
		}

		if (!pfn_valid(ctx, factsAt(state, firstStart)).valid) {
			continue;
		}

		const lastStart = ALIGN_DOWN(e - 1, pb);
		const start = Math.max(a, firstStart);
		const end = Math.min(b, lastStart + pb);
		if (start < end) {
			const previous = out.at(-1);
			if (previous && previous[1] === start) {
				out[out.length - 1] = [previous[0], end];
			} else {
				out.push([start, end]);
			}
		}
	}

	return out;
}

function clip(parts: readonly Range[], limit: number): Range[] {
	return parts.filter(([s]) => s < limit).map(([s, e]) => [s, Math.min(e, limit)] as const);
}

/** Where v5.12+ init_unavailable_range() puts a hole that ends at `b`. */
function neighbourOf(state: ModelState, boot: readonly BootEntry[], b: number): {zone: ZoneName; nid: number} {
	const next = boot.filter(entry => entry.start_pfn >= b).sort((x, y) => x.start_pfn - y.start_pfn)[0];
	if (next) {
		const zone = nodeBootZones(state, next.node).find(z => next.start_pfn >= z.start && next.start_pfn < z.end);
		if (zone) {
			return {zone: zone.name, nid: next.node};
		}
	}

	// Trailing pages of the last section: the last populated zone of the last range's node.
	const last = [...boot].sort((x, y) => x.start_pfn - y.start_pfn).at(-1)!;
	const zones = nodeBootZones(state, last.node).filter(zone => zone.present > 0);
	return {zone: zones.at(-1)?.name ?? zoneZero(state.ctx.arch), nid: last.node};
}

/** The hole initializer of the version (zero_resv_unavail / init_unavailable_mem / init_unavailable_range). */
function initHole(state: ModelState, boot: readonly BootEntry[], a: number, b: number): void {
	const {ctx} = state;
	const {kernel, g} = ctx;
	if (before(kernel, '4.19')) {
		return;
	}

	const parts = pageblockValidParts(state, a, b);
	if (before(kernel, '5.6')) {
		const writer = 'zero_resv_unavail() (mm_zero_struct_page(): zone 0, node 0, no flags)';
		for (const [s, e] of clip(parts, state.max_pfn)) {
			state.memmap.set(s, e, initPage(zoneZero(ctx.arch), 0, writer));
		}

		return;
	}

	if (before(kernel, '5.12')) {
		const writer = 'init_unavailable_mem() (PageReserved, zone 0 / node 0)';
		for (const [s, e] of clip(parts, SECTION_ALIGN_UP(g, state.max_pfn))) {
			state.memmap.set(s, e, initPage(zoneZero(ctx.arch), 0, writer, {reserved: true}));
		}

		return;
	}

	const {zone, nid} = neighbourOf(state, boot, b);
	const writer = 'init_unavailable_range() (PageReserved, zone/node of the adjacent range)';
	for (const [s, e] of parts) {
		state.memmap.set(s, e, initPage(zone, nid, writer, {reserved: true}));
	}
}

/**
Before v5.8: memmap_init_zone() over the zone spans of every node initializes the pfns of [a, b)
that early_pfn_valid() accepts (all of a boot section with the generic pfn_valid(); none of a
hole or NOMAP range with arm64's memblock-based one).
*/
function zoneSpanLoop(state: ModelState, a: number, b: number): void {
	if (!before(state.ctx.kernel, '5.8') || hasArchPfnValid(state.ctx)) {
		return;
	}

	const nids = [...new Set(state.zones.map(zone => zone.nid))].sort((x, y) => x - y);
	for (const nid of nids) {
		for (const {zone, start, end} of byZone(state, nid, a, b)) {
			state.memmap.set(start, end, initPage(zone.name, nid, memoryWriter(state)));
		}
	}
}

export function bootMemmapInit(state: ModelState, boot: readonly BootEntry[]): void {
	const {ctx} = state;
	const {kernel, g} = ctx;

	for (const entry of boot) {
		for (const {zone, start, end} of byZone(state, entry.node, entry.start_pfn, entry.end_pfn)) {
			state.memmap.set(start, end, initPage(zone.name, entry.node, memoryWriter(state)));
		}
	}

	for (const entry of boot) {
		for (const nomap of entry.nomap) {
			for (const {zone, start, end} of byZone(state, entry.node, nomap.start_pfn, nomap.end_pfn)) {
				if (atLeast(kernel, '5.14')) {
					const writer = 'reserve_bootmem_region(): MEMBLOCK_NOMAP marked PageReserved (9092d4f7a1f8, v5.14)';
					state.memmap.set(start, end, initPage(zone.name, entry.node, writer, {reserved: true}));
				} else if (atLeast(kernel, '5.8')) {
					const writer = 'memmap_init() (for_each_mem_pfn_range() includes MEMBLOCK_NOMAP; not reserved before v5.14)';
					state.memmap.set(start, end, initPage(zone.name, entry.node, writer));
				} else if (hasArchPfnValid(ctx)) {
					// memmap_init_zone() skipped them (!early_pfn_valid()); the hole initializers see a gap.
					state.memmap.set(start, end, bootRawMemmap(ctx));
					initHole(state, boot, start, end);
				}
			}
		}
	}

	// Holes: pfns of boot sections outside memblock.memory.
	for (const section of [...state.bootSections.segments()]) {
		if (!section.value) {
			continue;
		}

		const sectionStart = section.start * g.PAGES_PER_SECTION;
		const sectionEnd = section.end * g.PAGES_PER_SECTION;
		for (const seg of [...state.memblock.segments(sectionStart, sectionEnd)]) {
			if (seg.value === 'none') {
				initHole(state, boot, seg.start, seg.end);
				zoneSpanLoop(state, seg.start, seg.end);
			}
		}
	}
}

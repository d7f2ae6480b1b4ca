/**
memmap_init() at boot, holes and MEMBLOCK_NOMAP included, by version
(docs/model-facts.md "Boot memmap").

Memory (memblock.memory without NOMAP): INIT(zone, node) in every version.

Holes (pfns of boot sections outside memblock.memory): the version's hole initializer
(boot-holes.ts), plus, before v5.8, memmap_init_zone(MEMMAP_EARLY)'s loop over every pfn of each
zone span, which initializes those with early_pfn_valid() (pfn_valid(); arm64:
memblock_is_map_memory()) and early_pfn_in_nid() (true for holes: __early_pfn_to_nid() returns
-1). Holes inside a zone span therefore got a normal INIT(zone, node); holes outside every zone
span (the tail of the last section, gaps between nodes) did not [V: pre-v5.8 memmap_init_zone()
text; Baoquan He's review note "in the old code, it just happened to add them into expected
node/zone"]. v5.8 memmap_init() iterates memblock ranges only (73a6e474cb37 "mm: memmap_init:
iterate over memblock regions rather that check each PFN", Baoquan He) [P].

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
import {holeForm, initHole, nodeBootZones, perZoneMemmapInit} from './boot-holes.js';
import {hasArchPfnValid} from './context.js';
import {bootRawMemmap, initPage} from './memmap.js';
import type {ModelState} from './state.js';
import type {ZoneRec} from './zones.js';

function memoryWriter(state: ModelState): string {
	return before(state.ctx.kernel, '5.8')
		? 'memmap_init_zone() (MEMMAP_EARLY, zone-span loop)'
		: 'memmap_init() -> memmap_init_range() (MEMINIT_EARLY)';
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

/**
memmap_init_range(MEMINIT_EARLY) over memory pfns [start, end) of `entry` in `zone`, with its
MEMBLOCK_NOMAP parts as the version treats them.
*/
function initMemory(state: ModelState, boot: readonly BootEntry[], entry: BootEntry, zone: ZoneRec, start: number, end: number): void {
	const {ctx} = state;
	const {kernel} = ctx;
	state.memmap.set(start, end, initPage(zone.name, entry.node, memoryWriter(state)));
	for (const nomap of entry.nomap) {
		const s = Math.max(start, nomap.start_pfn);
		const e = Math.min(end, nomap.end_pfn);
		if (s >= e) {
			continue;
		}

		if (atLeast(kernel, '5.14')) {
			const writer = 'reserve_bootmem_region(): MEMBLOCK_NOMAP marked PageReserved (9092d4f7a1f8, v5.14)';
			state.memmap.set(s, e, initPage(zone.name, entry.node, writer, {reserved: true}));
		} else if (atLeast(kernel, '5.8')) {
			const writer = 'memmap_init() (for_each_mem_pfn_range() includes MEMBLOCK_NOMAP; not reserved before v5.14)';
			state.memmap.set(s, e, initPage(zone.name, entry.node, writer));
		} else if (hasArchPfnValid(ctx)) {
			// memmap_init_zone() skipped them (!early_pfn_valid()); the hole initializers see a gap.
			state.memmap.set(s, e, bootRawMemmap(ctx));
			initHole(state, boot, s, e);
		}
	}
}

export function bootMemmapInit(state: ModelState, boot: readonly BootEntry[]): void {
	const {g} = state.ctx;
	for (const entry of boot) {
		for (const {zone, start, end} of byZone(state, entry.node, entry.start_pfn, entry.end_pfn)) {
			initMemory(state, boot, entry, zone, start, end);
		}
	}

	if (holeForm(state.ctx) === 'per_zone') {
		perZoneMemmapInit(state, boot, (entry, zone, start, end) => {
			initMemory(state, boot, entry, zone, start, end);
		});
		return;
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

/**
The boot hole initializers (docs/model-facts.md "Boot memmap"). A hole is a
pfn of a boot section that is not in memblock.memory. By version and stable backport:

- before v4.18 (x86) / v4.20 (others): nothing writes holes; they keep the raw boot memmap
  (memmap.ts bootRawMemmap()) unless memmap_init_zone()'s zone-span loop reaches them
  (boot-memmap.ts). a4a3ede2132a (v4.15) zeroes only memblock.reserved ranges, which pfnaudit does
  not model.
- x86 v4.18–v4.19: 124049decbb1 "x86/e820: put !E820_TYPE_RAM regions into memblock.reserved"
  (merged in the v4.18-rc cycle [P: kbuild bisect]) makes zero_resv_unavail() zero the e820
  non-RAM regions below max_pfn; pfnaudit takes a hole as such a region. It was reverted in the
  batch that brought 907ec5fca3dc.
- v4.20–v5.5: zero_resv_unavail() zeroes every hole below max_pfn (907ec5fca3dc "mm: zero
  remaining unavailable struct pages", Naoya Horiguchi, dated 26 Oct 2018, after the v4.19
  release) [P]: zone 0 / node 0, no flags. The tail above max_pfn stays raw. It runs
  before memmap_init_zone() since e181ae0c5db9 "mm: zero unavailable pages before memmap init"
  (v4.18-rc5) [P], so in-span holes end up INIT(zone, node) by the zone-span loop.
- v5.6–v5.11: init_unavailable_mem() (4b094b7851bf, e822969cab48): every hole up to
  round_up(max_pfn, PAGES_PER_SECTION) PageReserved, zone 0 / node 0.
- v5.12–v5.13, or backport-0740a50b9baa: init_unavailable_range() inside the per-zone memmap
  init (0740a50b9baa "mm/page_alloc.c: refactor initialization of struct page for holes in memory
  layout"): for every node (ascending nid) and zone with a span, the node's memblock ranges are
  clamped to the zone; the gap from a static hole_pfn to each clamped range start is initialized
  with that zone and node, and so is the zone's tail up to the section end. With nodes in
  descending address order the tail of the lower node overwrites the struct pages of the higher
  node's first section — the bug 122e093c1734 fixes [P: both commits' text and diffs read].
- v5.14+, or backport-122e093c1734: one loop over all memblock ranges in address order; a hole
  gets the zone/node of the range above it, the trailing part of the last section the last
  range's node and its highest populated zone (122e093c1734 "mm/page_alloc: fix memory map
  initialization for descending nodes") [V 5.10.262 backport, 6.1, 6.12].
Every initializer skips pageblocks whose first pfn is !pfn_valid() [V 5.10, 6.12; P for
907ec5fca3dc]: on arm64 with its own pfn_valid() hole pageblocks not starting in memory stay raw.
*/
import {atLeast} from '../kernel/version.js';
import type {BootEntry} from '../topology/types.js';
import {hasBackport, type ModelContext} from './context.js';
import {factsAt, stateSegments} from './facts.js';
import {ALIGN, ALIGN_DOWN, SECTION_ALIGN_UP} from './geometry.js';
import {initPage} from './memmap.js';
import {pfn_valid} from './predicates/pfn-valid.js';
import type {ModelState} from './state.js';
import type {ZoneName} from './types.js';
import {type ZoneRec, zoneIsEmpty, zoneNames, zoneZero} from './zones.js';

type Range = readonly [number, number];

export type HoleForm = 'none' | 'zero_resv_unavail' | 'init_unavailable_mem' | 'per_zone' | 'by_range';

/** Which hole initializer the kernel, arch and backports have. */
export function holeForm(ctx: ModelContext): HoleForm {
	if (hasBackport(ctx, 'backport-122e093c1734')) {
		return 'by_range';
	}

	if (hasBackport(ctx, 'backport-0740a50b9baa')) {
		return 'per_zone';
	}

	if (atLeast(ctx.kernel, '5.6')) {
		return 'init_unavailable_mem';
	}

	if (atLeast(ctx.kernel, '4.20') || (ctx.arch === 'x86_64' && atLeast(ctx.kernel, '4.18'))) {
		return 'zero_resv_unavail';
	}

	return 'none';
}

/** The boot zones of node `nid` with a span, in zone order. */
export function nodeBootZones(state: ModelState, nid: number): ZoneRec[] {
	const names = new Set(zoneNames(state.ctx.arch, state.ctx.kernel));
	return state.zones.filter(zone => zone.nid === nid && names.has(zone.name) && !zoneIsEmpty(zone));
}

/** The parts of [a, b) whose pageblock starts with a pfn_valid() pfn at boot. */
export function pageblockValidParts(state: ModelState, a: number, b: number): Range[] {
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

/** init_unavailable_range(a, b, zone, nid): PageReserved with the given zone and node. */
function initUnavailableRange(state: ModelState, a: number, b: number, zone: ZoneName, nid: number, writer: string): void {
	if (a >= b) {
		return;
	}

	for (const [s, e] of pageblockValidParts(state, a, b)) {
		state.memmap.set(s, e, initPage(zone, nid, writer, {reserved: true}));
	}
}

function clip(parts: readonly Range[], limit: number): Range[] {
	return parts.filter(([s]) => s < limit).map(([s, e]) => [s, Math.min(e, limit)] as const);
}

const sortedBoot = new WeakMap<readonly BootEntry[], readonly BootEntry[]>();

/** The boot ranges sorted by start pfn (stable), computed once per boot list. */
function bootByStart(boot: readonly BootEntry[]): readonly BootEntry[] {
	let sorted = sortedBoot.get(boot);
	if (!sorted) {
		sorted = [...boot].sort((x, y) => x.start_pfn - y.start_pfn);
		sortedBoot.set(boot, sorted);
	}

	return sorted;
}

/** Where the 122e093c1734 loop puts a hole that ends at `b`. */
function neighbourOf(state: ModelState, boot: readonly BootEntry[], b: number): {zone: ZoneName; nid: number} {
	const sorted = bootByStart(boot);
	// The first boot range starting at or above b (binary search over the ranges by start).
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = Math.floor((lo + hi) / 2);
		if (sorted[mid]!.start_pfn >= b) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}

	const next = sorted[lo];
	if (next) {
		const zone = nodeBootZones(state, next.node).find(z => next.start_pfn >= z.start && next.start_pfn < z.end);
		if (zone) {
			return {zone: zone.name, nid: next.node};
		}
	}

	// Trailing pages of the last section: the last populated zone of the last range's node.
	const last = sorted.at(-1)!;
	const zones = nodeBootZones(state, last.node).filter(zone => zone.present > 0);
	return {zone: zones.at(-1)?.name ?? zoneZero(state.ctx.arch, state.ctx.kernel), nid: last.node};
}

/**
The hole initializer for one hole [a, b), for every form but `per_zone` (which replays the whole
per-zone loop, perZoneMemmapInit()).
*/
export function initHole(state: ModelState, boot: readonly BootEntry[], a: number, b: number): void {
	const {ctx} = state;
	const form = holeForm(ctx);
	if (form === 'none' || form === 'per_zone') {
		return;
	}

	if (form === 'zero_resv_unavail') {
		const writer = atLeast(ctx.kernel, '4.20')
			? 'zero_resv_unavail() (907ec5fca3dc, mm_zero_struct_page(): zone 0, node 0, no flags)'
			: 'zero_resv_unavail() over e820 non-RAM regions in memblock.reserved (124049decbb1, x86 v4.18-v4.19): zone 0, node 0, no flags';
		for (const [s, e] of clip(pageblockValidParts(state, a, b), state.max_pfn)) {
			state.memmap.set(s, e, initPage(zoneZero(ctx.arch, ctx.kernel), 0, writer));
		}

		return;
	}

	if (form === 'init_unavailable_mem') {
		const writer = 'init_unavailable_mem() (PageReserved, zone 0 / node 0)';
		for (const [s, e] of clip(pageblockValidParts(state, a, b), SECTION_ALIGN_UP(ctx.g, state.max_pfn))) {
			state.memmap.set(s, e, initPage(zoneZero(ctx.arch, ctx.kernel), 0, writer, {reserved: true}));
		}

		return;
	}

	const {zone, nid} = neighbourOf(state, boot, b);
	initUnavailableRange(state, a, b, zone, nid, 'init_unavailable_range() (PageReserved, zone/node of the adjacent range; 122e093c1734)');
}

/** Writes the memmap of memory pfns [start, end) of `entry` as memmap_init_range() does (boot-memmap.ts). */
export type MemoryInit = (entry: BootEntry, zone: ZoneRec, start: number, end: number) => void;

/**
The per-zone memmap init of 0740a50b9baa (v5.12–v5.13 and its stable backport), replayed in the
kernel's order so that later writes overwrite earlier ones as they did: memory ranges through
`initMemory`, holes through init_unavailable_range(). hole_pfn is a static that carries across
zones and nodes.
*/
export function perZoneMemmapInit(state: ModelState, boot: readonly BootEntry[], initMemory: MemoryInit): void {
	const {g} = state.ctx;
	const writer = 'init_unavailable_range() (PageReserved, zone/node of the zone being initialized; per-zone form of 0740a50b9baa)';
	let holePfn = 0;
	const nids = [...new Set(boot.map(entry => entry.node))].sort((x, y) => x - y);
	for (const nid of nids) {
		const ranges = boot.filter(entry => entry.node === nid).sort((x, y) => x.start_pfn - y.start_pfn);
		for (const zone of nodeBootZones(state, nid)) {
			for (const entry of ranges) {
				const start = Math.min(Math.max(entry.start_pfn, zone.start), zone.end);
				const end = Math.min(Math.max(entry.end_pfn, zone.start), zone.end);
				if (end > start) {
					initMemory(entry, zone, start, end);
				}

				if (holePfn < start) {
					initUnavailableRange(state, holePfn, start, zone.name, nid, writer);
				}

				holePfn = end;
			}

			initUnavailableRange(state, holePfn, SECTION_ALIGN_UP(g, zone.end), zone.name, nid, writer);
		}
	}
}

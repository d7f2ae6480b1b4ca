/**
ZONE_DEVICE: memremap_pages() phases P1–P7 and memunmap_pages() phases T1–T4
[V 5.10, 6.12 mm/memremap.c:pagemap_range(), memunmap_pages()].

Versions:
- before v5.3 the hot-added span is section aligned (align_start/align_size in
  devm_memremap_pages()); the xarray (pgmap_radix before ~v4.20) still holds the exact range
  [V: the v5.3 diff "mm/devm_memremap_pages: enable sub-section remap"].
- before v4.20, memmap_init_zone() initialized the whole span but the altmap reserve under the
  hotplug lock (P4), and a loop after mem_hotplug_done() set page->pgmap (P6) (966cf44f637e "mm:
  defer ZONE_DEVICE page initialization to the point where we init pgmap", Alexander Duyck) [M].
- from v4.20, move_pfn_range_to_zone() initializes only the altmap memmap-storage pfns (P4) and
  memmap_init_zone_device() the data pfns outside the lock (P6).
- v5.12: SECTION_TAINT_ZONE_DEVICE on the unaligned boundary sections (1f90a3477df3).
*/
import {atLeast, before} from '../kernel/version.js';
import type {DeviceEntry} from '../topology/types.js';
import {ensureNode} from './boot.js';
import {hasEarlyFlag, hasSubsections, hasZoneDeviceTaint, poisons} from './context.js';
import {setZoneContiguous} from './contiguous.js';
import {IS_ALIGNED, pfn_to_section_nr, SECTION_ALIGN_DOWN, SECTION_ALIGN_UP} from './geometry.js';
import {hotplugPreV417Page} from './hotplug.js';
import {compound_nr_pages} from './compound-devmap.js';
import {maxPfnAfterAdd} from './max-pfn.js';
import {initPage, poisonOrGarbage, staleOf} from './memmap.js';
import {pfn_first, vmem_altmap_offset} from './predicates/dev-pagemap.js';
import type {ModelState, PgmapRec} from './state.js';
import {NO_SECTION} from './state.js';
import {resizeZoneRange} from './zones.js';

export type DeviceStep = 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7' | 'T1' | 'T2' | 'T3' | 'T4';

function pgmapOf(state: ModelState, entry: DeviceEntry): PgmapRec {
	const pgmap = state.pgmapOfEntry(entry.index);
	if (!pgmap) {
		throw new Error(`internal: ${entry.label} has no pgmap before P1`);
	}

	return pgmap;
}

/** P1: percpu_ref_init() (live), then xa_store_range(&pgmap_array, range): get_dev_pagemap() succeeds. */
function p1(state: ModelState, entry: DeviceEntry): void {
	const {ctx} = state;
	const {g} = ctx;
	const exact = hasSubsections(ctx);
	const spanStart = exact ? entry.start_pfn : SECTION_ALIGN_DOWN(g, entry.start_pfn);
	const spanEnd = exact ? entry.end_pfn : SECTION_ALIGN_UP(g, entry.end_pfn);
	const altmap = entry.altmap ? {base_pfn: entry.altmap.base_pfn, reserve: entry.altmap.reserve, free: entry.altmap.free} : undefined;
	const first = pfn_first({altmap, start_pfn: entry.start_pfn});
	// v4.20+: memmap_init_zone_device(zone, span) starts at base + vmem_altmap_offset() with an
	// altmap; before, the page->pgmap loop ran for_each_device_pfn() = [pfn_first, pfn_end).
	const modern = atLeast(ctx.kernel, '4.20');
	const initStart = modern ? (altmap ? altmap.base_pfn + vmem_altmap_offset({altmap}) : spanStart) : first;
	const initEnd = modern ? spanEnd : entry.end_pfn;
	state.addPgmap({
		id: state.pgmaps.length,
		type: entry.type,
		entry: entry.index,
		label: entry.label,
		start_pfn: entry.start_pfn,
		end_pfn: entry.end_pfn,
		nid: entry.node,
		altmap,
		ref: 'live',
		in_xarray: true,
		init_cursor: initStart,
		span_start: spanStart,
		span_end: spanEnd,
		init_start: initStart,
		init_end: initEnd,
		...(entry.align ? {vmemmap_shift: Math.round(Math.log2(entry.align / g.PAGE_SIZE))} : {}),
		phase: 'P1',
	});
	state.owner.set(entry.start_pfn, entry.end_pfn, entry.index);
}

/**
The section chunks __add_pages()/__remove_pages() hand to sparse_{add,remove}_section(), grouped:
the partial first and last sections one by one, the whole sections between them in stretches of
uniform section state (a whole section can never be early: an early section holds boot memory).
*/
function* sectionChunks(state: ModelState, spanStart: number, spanEnd: number): Generator<{first: number; last: number; start: number; end: number}> {
	const {g} = state.ctx;
	const firstSection = pfn_to_section_nr(g, spanStart);
	const lastSection = pfn_to_section_nr(g, spanEnd - 1);
	const wholeFirst = IS_ALIGNED(spanStart, g.PAGES_PER_SECTION) ? firstSection : firstSection + 1;
	const wholeEnd = IS_ALIGNED(spanEnd, g.PAGES_PER_SECTION) ? lastSection + 1 : lastSection;
	const single = (nr: number) => ({
		first: nr,
		last: nr,
		start: Math.max(spanStart, nr * g.PAGES_PER_SECTION),
		end: Math.min(spanEnd, (nr + 1) * g.PAGES_PER_SECTION),
	});
	if (wholeFirst > firstSection) {
		yield single(firstSection);
	}

	if (wholeFirst < wholeEnd) {
		for (const seg of [...state.sections.segments(wholeFirst, wholeEnd)]) {
			yield {first: seg.start, last: seg.end - 1, start: seg.start * g.PAGES_PER_SECTION, end: seg.end * g.PAGES_PER_SECTION};
		}
	}

	if (wholeEnd <= lastSection && (wholeEnd > firstSection || wholeFirst === firstSection)) {
		yield single(lastSection);
	}
}

/**
P3: add_pages() (device-private: no direct map) or arch_add_memory() → __add_pages() →
sparse_add_section() per section chunk. A sub-section chunk of an early section reuses the boot
memmap (section_activate(): `nr_pages < PAGES_PER_SECTION && early_section(ms)`) and poisons it;
otherwise the memmap is populated (from the altmap when there is one) and poisoned. Before v4.17
__add_section() zeroed it, set the node and PageReserved instead (d0dc12e86b31; hotplug.ts
hotplugPreV417Page()).
*/
function p3(state: ModelState, pgmap: PgmapRec): void {
	const {ctx} = state;
	const {g} = ctx;
	for (const {first, last, start, end} of sectionChunks(state, pgmap.span_start, pgmap.span_end)) {
		const ms = state.sections.get(first);
		const early = hasEarlyFlag(ctx) && ms.early && ms.valid;
		if (hasSubsections(ctx)) {
			state.subsections.set(start, end, true);
		}

		if (early && end - start < g.PAGES_PER_SECTION) {
			if (poisons(ctx)) {
				state.memmap.set(start, end, {content: 'poison', writer: 'page_init_poison() over the reused boot memmap (sparse_add_section(), early section)'});
			} else {
				state.memmap.update(start, end, old => staleOf(old, 'boot memmap reused by section_activate() (early section), not re-initialized'));
			}

			continue;
		}

		const where = pgmap.altmap ? 'vmemmap populated from the altmap' : 'vmemmap populated';
		state.memmap.set(
			start,
			end,
			before(ctx.kernel, '4.17')
				? hotplugPreV417Page(ctx, pgmap.nid)
				: poisonOrGarbage(ctx, `page_init_poison() in sparse_add_section() (${where})`, `sparse_add_section(): ${where}, never written`),
		);
		state.sections.set(first, last + 1, {
			...(ms.present ? ms : NO_SECTION),
			present: true,
			valid: true,
			usage: atLeast(ctx.kernel, '5.3'),
			nid: ms.present ? ms.nid : pgmap.nid,
		});
	}

	state.max_pfn = maxPfnAfterAdd(ctx, state.max_pfn, pgmap.span_end, {pgmap: true, private: pgmap.type === 'private'});
}

/**
P4: move_pfn_range_to_zone(ZONE_DEVICE): zone and node span grow, the unaligned boundary sections
get SECTION_TAINT_ZONE_DEVICE (v5.12), memmap_init_range() initializes the altmap memmap-storage
pfns (v4.20+: `if (!altmap) return;` for ZONE_DEVICE, start skips `reserve` only when the range
starts at base_pfn) with no pgmap, set_zone_contiguous() for ZONE_DEVICE only.
*/
function p4(state: ModelState, pgmap: PgmapRec): void {
	const {ctx} = state;
	const {g} = ctx;
	const zone = state.zone(pgmap.nid, 'Device')!;
	zone.contiguous = false;
	resizeZoneRange(zone, pgmap.span_start, pgmap.span_end);

	if (hasZoneDeviceTaint(ctx)) {
		for (const boundary of [pgmap.span_start, pgmap.span_end]) {
			if (!IS_ALIGNED(boundary, g.PAGES_PER_SECTION)) {
				const nr = pfn_to_section_nr(g, boundary);
				state.sections.update(nr, nr + 1, old => ({...old, taint_zone_device: true}));
			}
		}
	}

	const {altmap} = pgmap;
	// What-if init-altmap-reserve (source/model/proposals.ts) drops the "Honor reservation requested by the driver" skip.
	const skipReserve = altmap !== undefined && pgmap.span_start === altmap.base_pfn && !ctx.patches.has('init-altmap-reserve');
	const start = pgmap.span_start + (skipReserve ? altmap.reserve : 0);
	if (atLeast(ctx.kernel, '4.20')) {
		if (altmap) {
			const end = altmap.base_pfn + vmem_altmap_offset(pgmap);
			const writer = 'memmap_init_range() (ZONE_DEVICE, altmap memmap storage, under mem_hotplug_lock)';
			state.memmap.set(start, end, initPage('Device', pgmap.nid, writer, {reserved: true, pgmap: null}));
		}
	} else {
		const writer = 'memmap_init_zone() (ZONE_DEVICE, under mem_hotplug_lock; page->pgmap not yet set)';
		state.memmap.set(start, pgmap.span_end, initPage('Device', pgmap.nid, writer, {reserved: true, pgmap: null}));
	}

	setZoneContiguous(state, zone);
}

function deviceInitWriter(state: ModelState): string {
	return atLeast(state.ctx.kernel, '4.20')
		? 'memmap_init_zone_device() (outside mem_hotplug_lock)'
		: 'devm_memremap_pages(): page->pgmap = pgmap loop (before v4.20)';
}

/**
P6/P7: memmap_init_zone_device() up to `cursor` (exclusive). With compound pages
(pgmap->vmemmap_shift, source/model/compound-devmap.ts) the loop steps whole compound pages, so
the cursor is a compound boundary, and each compound page's memmap is head + tails
(memmap_init_compound()), of which compound_nr_pages() are written.
*/
function initUpTo(state: ModelState, pgmap: PgmapRec, cursor: number): void {
	const {ctx} = state;
	const shift = pgmap.vmemmap_shift ?? 0;
	if (shift === 0) {
		state.memmap.set(pgmap.init_start, cursor, initPage('Device', pgmap.nid, deviceInitWriter(state), {reserved: true, pgmap: pgmap.id}));
		pgmap.init_cursor = cursor;
		return;
	}

	const per = 2 ** shift;
	const end = pgmap.init_start + Math.floor((cursor - pgmap.init_start) / per) * per;
	const early = hasEarlyFlag(ctx) && state.sections.get(pfn_to_section_nr(ctx.g, pgmap.init_start)).early;
	const unique = compound_nr_pages(ctx.arch, ctx.kernel, ctx.g, per, pgmap.altmap !== undefined, early);
	const writer = `memmap_init_zone_device() -> memmap_init_compound() (vmemmap_shift ${shift}: head, prep_compound_tail() on ${unique - 1} tails per compound page${unique < per ? ', the other tails alias the second vmemmap page (vmemmap_populate_compound_pages())' : ''})`;
	state.memmap.set(pgmap.init_start, end, {...initPage('Device', pgmap.nid, writer, {reserved: true, pgmap: pgmap.id}), compound: {order: shift, unique}});
	pgmap.init_cursor = end;
}

/** T2: remove_pfn_range_from_zone() over the range: poison (v5.5, DEBUG_VM), no zone shrink for ZONE_DEVICE. */
function t2(state: ModelState, pgmap: PgmapRec): void {
	const {ctx} = state;
	const {span_start: start, span_end: end} = pgmap;
	if (before(ctx.kernel, '5.5')) {
		state.memmap.update(start, end, old => staleOf(old, 'memunmap_pages() (no poisoning before v5.5)'));
	} else if (poisons(ctx)) {
		state.memmap.set(start, end, {content: 'poison', writer: 'page_init_poison() in remove_pfn_range_from_zone() (memunmap_pages())'});
	} else {
		state.memmap.update(start, end, old => staleOf(old, 'remove_pfn_range_from_zone() (memunmap_pages(), no CONFIG_DEBUG_VM poison)'));
	}
}

/**
T3: arch_remove_memory()/__remove_pages() → section_deactivate() per section chunk: clear the
subsection bits; a section whose map becomes empty loses SECTION_HAS_MEM_MAP and its word is
zeroed; non-early sections depopulate the memmap of the chunk, early sections keep the boot
memmap unless the whole section went (free_map_bootmem()).
*/
function t3(state: ModelState, pgmap: PgmapRec): void {
	const {ctx} = state;
	const {g} = ctx;
	for (const {first, last, start, end} of sectionChunks(state, pgmap.span_start, pgmap.span_end)) {
		const sectionStart = first * g.PAGES_PER_SECTION;
		const sectionEnd = (last + 1) * g.PAGES_PER_SECTION;
		const ms = state.sections.get(first);
		const early = hasEarlyFlag(ctx) && ms.early;
		state.subsections.set(start, end, false);
		const empty = hasSubsections(ctx) ? ![...state.subsections.segments(sectionStart, sectionEnd)].some(s => s.value) : true;
		if (!early) {
			state.memmap.set(start, end, {content: 'unbacked', writer: 'section_deactivate() -> depopulate_section_memmap()'});
		} else if (empty) {
			state.memmap.set(sectionStart, sectionEnd, {content: 'unbacked', writer: 'section_deactivate() -> free_map_bootmem()'});
		}

		if (empty) {
			state.sections.set(first, last + 1, NO_SECTION);
			state.bootSections.set(first, last + 1, false);
		}
	}
}

export function deviceStep(state: ModelState, entry: DeviceEntry, step: DeviceStep): void {
	if (step === 'P1') {
		ensureNode(state, entry.node);
		p1(state, entry);
		return;
	}

	const pgmap = pgmapOf(state, entry);
	pgmap.phase = step;
	switch (step) {
		case 'P2':
		case 'P5': {
			// mem_hotplug_begin() / mem_hotplug_done(): locking only.
			return;
		}

		case 'P3': {
			p3(state, pgmap);
			return;
		}

		case 'P4': {
			p4(state, pgmap);
			return;
		}

		case 'P6': {
			// In progress: the cursor half way through [pfn_first, end).
			initUpTo(state, pgmap, pgmap.init_start + Math.floor((pgmap.init_end - pgmap.init_start) / 2));
			return;
		}

		case 'P7': {
			initUpTo(state, pgmap, pgmap.init_end);
			return;
		}

		case 'T1': {
			// percpu_ref_kill(): get_dev_pagemap() returns NULL from here.
			pgmap.ref = 'dead';
			return;
		}

		case 'T2': {
			t2(state, pgmap);
			return;
		}

		case 'T3': {
			t3(state, pgmap);
			return;
		}

		case 'T4': {
			// pgmap_array_delete(): the xarray entry goes.
			pgmap.in_xarray = false;
		}
	}
}

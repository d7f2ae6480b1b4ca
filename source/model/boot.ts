/**
The boot replay: memblock, memory_present(), sparse_init(),
subsection_map_init(), zone and node spans, memmap_init() with holes and NOMAP as each version
handles them (source/model/boot-memmap.ts), free_unused_memmap() (source/model/free-unused-memmap.ts), and set_zone_contiguous() for populated zones.
*/
import {atLeast} from '../kernel/version.js';
import type {BootEntry} from '../topology/types.js';
import {hasSubsections} from './context.js';
import {setZoneContiguous} from './contiguous.js';
import {SECTION_ALIGN_DOWN, SUBSECTION_ALIGN_DOWN, SUBSECTION_ALIGN_UP} from './geometry.js';
import {bootMemmapInit} from './boot-memmap.js';
import {deferMemmap, deferredInitMemmap} from './deferred-init.js';
import {freeUnusedMemmap} from './free-unused-memmap.js';
import {bootRawMemmap} from './memmap.js';
import {nidSetsTaintBit} from './predicates/section-nid-shift.js';
import {type ModelState, NO_SECTION} from './state.js';
import {bootZoneLimits, nodeZoneNames, type ZoneRec} from './zones.js';

/**
The boot replay. With `deferred` (config.deferred_struct_page_init, source/model/deferred-init.ts)
it stops where page_alloc_init_late() starts: the memmap past each node's first_deferred_pfn left
raw and zone->contiguous not yet computed; finishDeferredBoot() is the rest.
*/
export function replayBoot(state: ModelState, entries: readonly BootEntry[], deferred = false): void {
	const {ctx} = state;
	const {g} = ctx;
	const boot = [...entries].sort((a, b) => a.start_pfn - b.start_pfn);

	// memblock_add_node() / memblock_mark_nomap() by the firmware parser.
	for (const entry of boot) {
		state.memblock.set(entry.start_pfn, entry.end_pfn, 'memory');
		state.owner.set(entry.start_pfn, entry.end_pfn, entry.index);
		for (const nomap of entry.nomap) {
			state.memblock.set(nomap.start_pfn, nomap.end_pfn, 'nomap');
		}
	}

	// mm/sparse.c:memory_present(): the section word becomes early nid | SECTION_IS_ONLINE, and
	// MARKED_PRESENT. Only a section whose word is still 0 is written: the first node wins.
	for (const entry of boot) {
		state.updateSections(SECTION_ALIGN_DOWN(g, entry.start_pfn), entry.end_pfn, old =>
			old.present ? old : {...NO_SECTION, present: true, online: true, nid: entry.node},
		);
	}

	// mm/sparse.c:sparse_init() → sparse_init_nid(): a full-section memmap and a usage block per
	// present section, sparse_init_one_section(..., SECTION_IS_EARLY). The low flag bits of the
	// early nid survive (the v5.12–v5.14 SECTION_NID_SHIFT artefact).
	const raw = bootRawMemmap(ctx);
	for (const seg of [...state.sections.segments()]) {
		if (!seg.value.present) {
			continue;
		}

		const taint = nidSetsTaintBit(ctx, seg.value.nid);
		state.sections.set(seg.start, seg.end, {
			...seg.value,
			valid: true,
			early: true,
			usage: atLeast(ctx.kernel, '5.3'),
			taint_zone_device: taint,
			taint_from_nid: taint,
		});
		state.bootSections.set(seg.start, seg.end, true);
		state.memmap.set(seg.start * g.PAGES_PER_SECTION, seg.end * g.PAGES_PER_SECTION, raw);
	}

	// mm/sparse.c:subsection_map_init() for every for_each_mem_pfn_range() range — memblock.memory
	// including MEMBLOCK_NOMAP [V 5.10 mm/memblock.c:__next_mem_pfn_range()]. An early section has
	// bits only for subsections that overlap boot memory.
	if (hasSubsections(ctx)) {
		for (const seg of state.memblock.segments()) {
			if (seg.value !== 'none') {
				state.subsections.set(SUBSECTION_ALIGN_DOWN(g, seg.start), SUBSECTION_ALIGN_UP(g, seg.end), true);
			}
		}
	}

	bootZones(state, boot);
	state.max_pfn = boot.reduce((max, entry) => Math.max(max, entry.end_pfn), 0);
	state.min_low_pfn = boot.length > 0 ? boot.reduce((min, entry) => Math.min(min, entry.start_pfn), Number.POSITIVE_INFINITY) : 0;

	bootMemmapInit(state, boot);
	// mem_init() → memblock_free_all() → free_unused_memmap(), before page_alloc_init_late().
	freeUnusedMemmap(state, boot);
	if (deferred) {
		deferMemmap(state);
		return;
	}

	bootContiguous(state);
}

/** page_alloc_init_late() with CONFIG_DEFERRED_STRUCT_PAGE_INIT: deferred_init_memmap() on every node, then set_zone_contiguous(). */
export function finishDeferredBoot(state: ModelState): void {
	deferredInitMemmap(state);
	bootContiguous(state);
}

/** page_alloc_init_late(): for_each_populated_zone() set_zone_contiguous(). */
function bootContiguous(state: ModelState): void {
	for (const zone of state.zones) {
		if (zone.present > 0 && zone.name !== 'Device') {
			setZoneContiguous(state, zone);
		}
	}
}

/**
free_area_init(): node spans from memblock (get_pfn_range_for_nid()), zone spans clamped to the
arch zone limits (zone_spanned_pages_in_node()), present pages = memblock pages in the span.
*/
function bootZones(state: ModelState, boot: readonly BootEntry[]): void {
	const {ctx} = state;
	const nodes = [...new Set(boot.map(entry => entry.node))].sort((a, b) => a - b);
	// memblock_start_of_DRAM() / memblock_end_of_DRAM(): all of memblock.memory, NOMAP included.
	const dram = {
		start: Math.min(...boot.map(entry => entry.start_pfn)) * ctx.g.PAGE_SIZE,
		end: Math.max(...boot.map(entry => entry.end_pfn)) * ctx.g.PAGE_SIZE,
	};
	const limits = bootZoneLimits(ctx, dram);
	for (const nid of nodes) {
		const ranges = boot.filter(entry => entry.node === nid);
		const nodeStart = ranges.reduce((min, entry) => Math.min(min, entry.start_pfn), Number.POSITIVE_INFINITY);
		const nodeEnd = ranges.reduce((max, entry) => Math.max(max, entry.end_pfn), Number.NEGATIVE_INFINITY);
		let low = 0;
		for (const limit of limits) {
			// free_area_init(): a zone ends at max(max_zone_pfn[i], where the previous one ended).
			const high = Math.max(low, limit.endByte === Number.POSITIVE_INFINITY ? Number.POSITIVE_INFINITY : Math.floor(limit.endByte / ctx.g.PAGE_SIZE));
			const start = Math.min(Math.max(nodeStart, low), high);
			const end = Math.min(Math.max(nodeEnd, low), high);
			let present = 0;
			for (const entry of ranges) {
				present += Math.max(0, Math.min(end, entry.end_pfn) - Math.max(start, entry.start_pfn));
			}

			state.zones.push({nid, name: limit.name, start: start < end ? start : 0, end: start < end ? end : 0, present, contiguous: false});
			low = high;
		}

		state.zones.push(emptyZone(nid, 'Movable'), emptyZone(nid, 'Device'));
	}
}

function emptyZone(nid: number, name: ZoneRec['name']): ZoneRec {
	return {nid, name, start: 0, end: 0, present: 0, contiguous: false};
}

/** A node that first appears through hotplug or a device gets every zone, empty. */
export function ensureNode(state: ModelState, nid: number): void {
	if (state.zones.some(zone => zone.nid === nid)) {
		return;
	}

	for (const name of nodeZoneNames(state.ctx.arch, state.ctx.kernel)) {
		state.zones.push(emptyZone(nid, name));
	}
}

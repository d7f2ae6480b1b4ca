/**
Hot-added System RAM: add_memory() → sparse_add_section(),
online_pages(), offline_pages().
*/
import {atLeast, before} from '../kernel/version.js';
import type {HotplugEntry} from '../topology/types.js';
import {ensureNode} from './boot.js';
import {hasSubsections, keepsMemblock, type ModelContext, poisons} from './context.js';
import {setZoneContiguous} from './contiguous.js';
import {factsAt, nextStateBoundary, previousStateBoundary} from './facts.js';
import {pfn_to_section_nr} from './geometry.js';
import {maxPfnAfterAdd} from './max-pfn.js';
import {memory_block_memmap_on_memory_pages, setsVmemmapSelfHosted} from './memmap-on-memory.js';
import {initPage, poisonOrGarbage, staleOf} from './memmap.js';
import {page_zone} from './predicates/page-zone.js';
import {pfn_to_online_page} from './predicates/pfn-to-online-page.js';
import {NO_SECTION, type ModelState} from './state.js';
import type {MemmapState} from './types.js';
import {resizeZoneRange, type ZoneRec, zoneIsEmpty, zoneNames, zoneZero} from './zones.js';

/**
add_memory() → add_memory_resource() → arch_add_memory() → __add_pages() → sparse_add_section()
(sparse_add_one_section() before v5.3): the section becomes present and valid, not online, not
early; the memmap of the added range is poisoned (CONFIG_DEBUG_VM) or left as allocated. Before
v4.17 sparse_add_one_section() zeroed the section's memmap (memset 0) and __add_section() then
ran set_page_node() and SetPageReserved() on every pfn of the section (the loop "so that nobody
will stumble over half initialized state", v4.13 hotplug rework); d0dc12e86b31
"mm/memory_hotplug: optimize memory hotplug" (v4.17, Pavel Tatashin) replaced both with DEBUG_VM
poisoning [P: the v4.16 __add_section() text and the d0dc12e86b31 diff read] — modelled as a
stale zone-0 page of the node, PageReserved (hotplugPreV417Page()).
*/
export function addMemory(state: ModelState, entry: HotplugEntry): void {
	const {ctx} = state;
	const {start_pfn: start, end_pfn: end, node} = entry;
	ensureNode(state, node);
	if (keepsMemblock(ctx)) {
		state.memblock.set(start, end, 'memory');
	}

	state.owner.set(start, end, entry.index);
	state.updateSections(start, end, old => ({
		...old,
		present: true,
		valid: true,
		online: false,
		early: false,
		usage: atLeast(ctx.kernel, '5.3'),
		nid: node,
	}));
	if (hasSubsections(ctx)) {
		state.subsections.set(start, end, true);
	}

	if (before(ctx.kernel, '4.17')) {
		state.memmap.set(start, end, hotplugPreV417Page(ctx, node));
	} else {
		state.memmap.set(
			start,
			end,
			poisonOrGarbage(
				ctx,
				'page_init_poison() in sparse_add_section() (CONFIG_DEBUG_VM)',
				'sparse_add_section(): freshly populated vmemmap, never written',
			),
		);
	}

	if (entry.memmap_on_memory) {
		markSelfHosted(state, start, end);
	}

	state.max_pfn = maxPfnAfterAdd(ctx, state.max_pfn, end, {pgmap: false, private: false});
}

/** Pages per memory block (memory_block_size_bytes() / PAGE_SIZE). */
function blockPagesOf(state: ModelState): number {
	return state.ctx.config.memory_block_size / state.ctx.g.PAGE_SIZE;
}

/** The vmemmap pfns [block, block + nr) of each memory block in [start, end) of a memmap_on_memory entry. */
function* vmemmapParts(state: ModelState, start: number, end: number): Generator<{block: number; vmemmapEnd: number; blockEnd: number}> {
	const blockPages = blockPagesOf(state);
	const nr = memory_block_memmap_on_memory_pages(state.ctx.g, state.ctx.config.memory_block_size);
	for (let block = start; block < end; block += blockPages) {
		yield {block, vmemmapEnd: Math.min(end, block + nr), blockEnd: Math.min(end, block + blockPages)};
	}
}

/**
memmap_on_memory (source/model/memmap-on-memory.ts): sparse_add_section() populated each block's
vmemmap from the block's altmap, so the block's first memory_block_memmap_on_memory_pages() pfns
hold the struct pages of the whole block. Their own struct pages are marked self-hosted here.
*/
function markSelfHosted(state: ModelState, start: number, end: number): void {
	for (const {block, vmemmapEnd} of vmemmapParts(state, start, end)) {
		state.memmap.update(block, vmemmapEnd, old => ({...old, self_hosted: true, writer: `${old.writer}; vmemmap of the memory block populated from its own first pages (MHP_MEMMAP_ON_MEMORY altmap)`}));
	}
}

/**
drivers/base/memory.c:memory_block_online() with nr_vmemmap_pages → mm/memory_hotplug.c:
mhp_init_memmap_on_memory(): move_pfn_range_to_zone() over the block's vmemmap pfns only
(memmap_init_range(MEMINIT_HOTPLUG): PageReserved up to v6.10, PageOffline from v6.11, which
mhp_init_memmap_on_memory() clears again), SetPageVmemmapSelfHosted() [V 6.1, 6.12]. The zone
grows over those pfns; they are accounted present (adjust_present_page_count()) but never freed
to the buddy. Sections are left alone unless the vmemmap spans whole sections.
*/
function initVmemmapPart(state: ModelState, zone: ZoneRec, node: number, block: number, vmemmapEnd: number): void {
	const {ctx} = state;
	const reserved = !atLeast(ctx.kernel, '6.11');
	const marker = reserved ? 'PageReserved' : 'PageOffline cleared again';
	const flag = setsVmemmapSelfHosted(ctx.kernel) ? ', SetPageVmemmapSelfHosted()' : '';
	const writer = `mhp_init_memmap_on_memory() -> move_pfn_range_to_zone() (MEMINIT_HOTPLUG, ${marker}${flag}): memmap_on_memory vmemmap pages, never freed to the buddy`;
	zone.contiguous = false;
	resizeZoneRange(zone, block, vmemmapEnd);
	state.memmap.set(block, vmemmapEnd, {...initPage(zone.name, node, writer, {reserved}), self_hosted: true});
	zone.present += vmemmapEnd - block;
	if (vmemmapEnd - block >= ctx.g.PAGES_PER_SECTION) {
		const g = ctx.g;
		const whole = Math.floor(vmemmapEnd / g.PAGES_PER_SECTION) * g.PAGES_PER_SECTION;
		state.updateSections(block, whole, old => ({...old, online: true}));
	}
}

/**
The window of memory_block_online() of the first block at `start_pfn` of a memmap_on_memory
range: mhp_init_memmap_on_memory() has initialized the block's vmemmap pfns, online_pages() of
the rest of the block has not started (its memmap still poisoned, its sections not online).
*/
export function vmemmapInitWindow(state: ModelState, entry: HotplugEntry, start_pfn: number, movable: boolean): void {
	const first = vmemmapParts(state, start_pfn, entry.end_pfn).next().value!;
	const zone = targetZone(state, entry, movable);
	initVmemmapPart(state, zone, entry.node, first.block, first.vmemmapEnd);
	setZoneContiguous(state, zone);
}

/**
The window of memory_block_offline() of the first block at `start_pfn`: offline_pages() of the
block's pfns after its vmemmap is done (sections offline, memmap poisoned),
mhp_deinit_memmap_on_memory() not yet: the vmemmap pfns keep their initialized struct pages.
*/
export function vmemmapDeinitWindow(state: ModelState, entry: HotplugEntry, start_pfn: number): void {
	const first = vmemmapParts(state, start_pfn, entry.end_pfn).next().value!;
	const at = page_zone(factsAt(state, first.blockEnd - 1).memmap);
	const zone = at ? state.zone(at.nid, at.zone) : undefined;
	if (!zone) {
		return;
	}

	offlineRange(state, zone, first.vmemmapEnd, first.blockEnd);
}

/**
What a hot-added section's memmap held before v4.17 (d0dc12e86b31), for System RAM and
ZONE_DEVICE alike (both reach __add_section() through __add_pages()): zeroed by
sparse_add_one_section(), then node set and PageReserved by __add_section(); zone index 0.
*/
export function hotplugPreV417Page(ctx: ModelContext, nid: number): MemmapState {
	const writer = '__add_section(): zeroed by sparse_add_one_section(), node set, PageReserved (before d0dc12e86b31, v4.17)';
	return {content: 'stale', zone: zoneZero(ctx.arch, ctx.kernel), nid, reserved: true, writer};
}

/**
default_kernel_zone_for_pfn(): the first kernel zone of the node that intersects the range,
else ZONE_NORMAL (online policies other than online/online_movable are not modelled).
*/
function targetZone(state: ModelState, entry: HotplugEntry, movable: boolean): ZoneRec {
	const nid = entry.node;
	if (movable) {
		return state.zone(nid, 'Movable')!;
	}

	for (const name of zoneNames(state.ctx.arch, state.ctx.kernel)) {
		const zone = state.zone(nid, name)!;
		if (!zoneIsEmpty(zone) && zone.start < entry.end_pfn && zone.end > entry.start_pfn) {
			return zone;
		}
	}

	return state.zone(nid, 'Normal')!;
}

/**
online_pages(): move_pfn_range_to_zone() (zone/node span, memmap_init_range(MEMINIT_HOTPLUG),
set_zone_contiguous() — before the sections are online), online_pages_range() hands the pages to
the buddy through generic_online_page(), which clears the init-time marker, then
online_mem_sections(). The marker was PageReserved up to v6.10 and PageOffline from v6.11
("mm/memory_hotplug: initialize memmap of !ZONE_DEVICE with PageOffline() instead of
PageReserved()", David Hildenbrand, June 2024) [P; V 6.12 mm_init.c:memmap_init_range()].
*/
export function onlinePages(state: ModelState, entry: HotplugEntry, movable: boolean): void {
	const {ctx} = state;
	const {start_pfn: start, end_pfn: end, node} = entry;
	const zone = targetZone(state, entry, movable);
	state.onlinedZone.set(entry.index, zone);

	if (entry.memmap_on_memory) {
		// memory_block_online(), block by block: the vmemmap pfns first, then online_pages() of the rest.
		for (const {block, vmemmapEnd, blockEnd} of vmemmapParts(state, start, end)) {
			const ready = state.memmap.get(block);
			if (!(ready.content === 'init' && ready.self_hosted)) {
				initVmemmapPart(state, zone, node, block, vmemmapEnd);
			}

			onlineRange(state, zone, node, vmemmapEnd, blockEnd);
		}

		return;
	}

	onlineRange(state, zone, node, start, end);
}

/** online_pages(start, end - start) into `zone`, as the kernel's steps, for one stretch. */
function onlineRange(state: ModelState, zone: ZoneRec, node: number, start: number, end: number): void {
	const {ctx} = state;
	zone.contiguous = false;
	resizeZoneRange(zone, start, end);
	const marker = atLeast(ctx.kernel, '6.11') ? 'PageOffline' : 'PageReserved';
	const writer = `memmap_init_range() (MEMINIT_HOTPLUG, ${marker}), then generic_online_page() to the buddy`;
	state.memmap.set(start, end, initPage(zone.name, node, writer));
	setZoneContiguous(state, zone);

	zone.present += end - start;
	// online_mem_sections(start, end): every section the range touches.
	state.updateSections(start, end, old => ({...old, online: true}));
}

/**
offline_pages(): __offline_isolated_pages() → offline_mem_sections() clears SECTION_IS_ONLINE;
then remove_pfn_range_from_zone() poisons the memmap (v5.5, d33695b16a9f "mm/memory_hotplug:
poison memmap in remove_pfn_range_from_zone()") [M], shrinks the zone span (shrink_zone_span(),
moved to offline time in the same v5.5 series) and recomputes zone->contiguous. Without
CONFIG_DEBUG_VM, and before v5.5, the memmap keeps its old content: stale.
*/
export function offlinePages(state: ModelState, entry: HotplugEntry): void {
	const {start_pfn: start, end_pfn: end} = entry;
	const zone = state.onlinedZone.get(entry.index)!;
	if (!entry.memmap_on_memory) {
		offlineRange(state, zone, start, end);
		return;
	}

	// memory_block_offline(), block by block: offline_pages() of the pfns after the vmemmap, then
	// mhp_deinit_memmap_on_memory() → remove_pfn_range_from_zone() over the vmemmap pfns.
	for (const {block, vmemmapEnd, blockEnd} of vmemmapParts(state, start, end)) {
		if (state.sections.get(pfn_to_section_nr(state.ctx.g, blockEnd - 1)).online) {
			offlineRange(state, zone, vmemmapEnd, blockEnd);
		}

		const writer = 'mhp_deinit_memmap_on_memory() -> remove_pfn_range_from_zone()';
		offlineRange(state, zone, block, vmemmapEnd, writer);
		state.memmap.update(block, vmemmapEnd, old => ({...old, self_hosted: true}));
	}
}

/** offline_pages() of one stretch (or mhp_deinit_memmap_on_memory() of a vmemmap part: `by`). */
function offlineRange(state: ModelState, zone: ZoneRec, start: number, end: number, by = 'offline_pages()'): void {
	const {ctx} = state;
	state.updateSections(start, end, old => ({...old, online: false}));
	zone.present -= end - start;

	if (!atLeast(ctx.kernel, '5.5')) {
		state.memmap.update(start, end, old => staleOf(old, `${by} (no poisoning before v5.5)`));
		return;
	}

	if (poisons(ctx)) {
		state.memmap.set(start, end, {content: 'poison', writer: `page_init_poison() in remove_pfn_range_from_zone() (${by})`});
	} else {
		state.memmap.update(start, end, old => staleOf(old, `remove_pfn_range_from_zone() (${by}, no CONFIG_DEBUG_VM poison)`));
	}

	zone.contiguous = false;
	shrinkZoneSpan(state, zone, start, end);
	setZoneContiguous(state, zone);
}

/** The find_{smallest,biggest}_section_pfn() test: an online page of this zone and node. */
function zonePageAt(state: ModelState, zone: ZoneRec, pfn: number): boolean {
	const facts = factsAt(state, pfn);
	if (!pfn_to_online_page(state.ctx, facts).page) {
		return false;
	}

	const z = page_zone(facts.memmap);
	return z !== undefined && z.zone === zone.name && z.nid === zone.nid;
}

/**
mm/memory_hotplug.c:shrink_zone_span(): only when the removed range is at the start or the end
of the span, stepping PAGES_PER_SUBSECTION with pfn_to_online_page(), pfn_to_nid() and
page_zone() (v5.4+ form) [V 5.10, 6.12].
*/
export function shrinkZoneSpan(state: ModelState, zone: ZoneRec, start: number, end: number): void {
	const step = state.ctx.g.PAGES_PER_SUBSECTION;
	if (zone.start === start) {
		// Stretch by stretch of uniform state from `end` up (stateSegments(end, zone.end), lazily).
		for (let s = end, e = 0; s < zone.end; s = e) {
			e = nextStateBoundary(state, s, zone.end);
			const candidate = end + Math.ceil((s - end) / step) * step;
			if (candidate < e && zonePageAt(state, zone, candidate)) {
				zone.start = candidate;
				return;
			}
		}

		zone.start = 0;
		zone.end = 0;
		return;
	}

	if (zone.end === end) {
		const top = start - 1;
		// Stretch by stretch down from `start` (stateSegments(zone.start, start) reversed, lazily).
		for (let e = start, s = 0; e > zone.start; e = s) {
			s = previousStateBoundary(state, zone.start, e);
			const candidate = top - Math.ceil((top - (e - 1)) / step) * step;
			if (candidate >= s && zonePageAt(state, zone, candidate)) {
				zone.end = candidate + 1;
				return;
			}
		}

		zone.start = 0;
		zone.end = 0;
	}
}

/** A stand-in HotplugEntry for a part of one (a block run, an operation's range): its own onlinedZone key. */
function part(entry: HotplugEntry, start_pfn: number, end_pfn: number): HotplugEntry {
	return {...entry, start_pfn, end_pfn, index: -1 - start_pfn};
}

/**
online_pages() of some memory blocks of a hot-added range (per-block `blocks:` states and the
`online`/`online_movable` operations): the same steps as onlinePages() over that range only.
*/
export function onlineBlocks(state: ModelState, entry: HotplugEntry, start_pfn: number, end_pfn: number, movable: boolean): void {
	onlinePages(state, part(entry, start_pfn, end_pfn), movable);
}

/**
offline_pages() of some memory blocks: the kernel offlines one memory block at a time
(drivers/base/memory.c memory_block_offline() → offline_pages(start_pfn, nr_pages, mem->zone),
the zone the block was onlined to [V 6.12]) — so blocks onlined to different zones each leave
their own; the model reads that zone from the block's initialized memmap (page_zone()).
*/
export function offlineBlocks(state: ModelState, entry: HotplugEntry, start_pfn: number, end_pfn: number, blockPages: number): void {
	for (let pfn = start_pfn; pfn < end_pfn; pfn += blockPages) {
		const block = part(entry, pfn, Math.min(end_pfn, pfn + blockPages));
		const at = page_zone(factsAt(state, pfn).memmap);
		const zone = (at ? state.zone(at.nid, at.zone) : undefined) ?? state.onlinedZone.get(-1 - pfn);
		if (zone) {
			state.onlinedZone.set(block.index, zone);
		}

		offlinePages(state, block);
	}
}

/**
remove_memory() → try_remove_memory() (every block offline, else -EBUSY) → arch_remove_memory() →
__remove_pages() → sparse_remove_section() → section_deactivate() per section: the subsections
cleared, the memmap depopulated (depopulate_section_memmap()) and, the hot-added sections being
whole, the sections no longer present; memblock_remove() with ARCH_KEEP_MEMBLOCK. Before v5.5
__remove_pages() → __remove_zone() shrank the zone span here (offline_pages() did not, d33695b16a9f
moved it); the zone is the one the range was last onlined to.
*/
export function removeMemory(state: ModelState, entry: HotplugEntry): void {
	const {ctx} = state;
	const {start_pfn: start, end_pfn: end} = entry;
	if (before(ctx.kernel, '5.5')) {
		const zone = state.onlinedZone.get(entry.index);
		if (zone) {
			shrinkZoneSpan(state, zone, start, end);
		}
	}

	if (hasSubsections(ctx)) {
		state.subsections.set(start, end, false);
	}

	state.memmap.set(start, end, {content: 'unbacked', writer: 'remove_memory() → __remove_pages() → section_deactivate() → depopulate_section_memmap()'});
	state.updateSections(start, end, () => NO_SECTION);
	state.owner.set(start, end, null);
	if (keepsMemblock(ctx)) {
		state.memblock.set(start, end, 'none');
	}
}

/**
Random layouts for `pfnaudit search`, as a fast-check arbitrary: fast-check draws a small *plan*
(numbers and choices) and the plan is placed into a Layout within the rules of
docs/topology-format.md, so that fast-check's own shrinking of the plan (fewer segments, smaller
numbers) shrinks the layout toward aligned, simple ones.

What the plan is biased toward — what has broken walkers (the walker catalog, David Hildenbrand's
five categories, linux-mm, September 2019):
- boundaries on or next to section and subsection edges, pageblock and MAX_ORDER edges, and a page
  or two away from them (partial sections, holes inside early sections, C3);
- a device placed right after boot RAM that ends mid-section: a section collision (v5.3+);
- altmaps: the nvdimm `reserve` (C5), `free` (memory for the memmap, `metadata`) exact, short
  or auto;
- hot-added memory in every block state and per-block `blocks:` (C1 inside a zone's span);
- devices in every state (C4 `initializing`, `teardown`), and the `operations:` history
  (online/offline/remove, teardown, create again in another mode);
- an intermediate phase of the replay audited besides the final state (the search picks it).

Every arch and its geometry; the kernel is the one asked (`--kernel`). Whatever the rules refuse
anyway is refused by the validation in layout.ts and counted.
*/
import fc from 'fast-check';
import {atLeast, v} from '../kernel/version.js';
import {type Arch, geometryFor, type Geometry} from '../model/geometry.js';
import {memory_block_size_bytes} from '../model/memory-block.js';
import {deviceTypeUnavailable, hotplugUnavailable, hotremoveUnavailable, zoneDeviceUnavailable} from '../topology/availability.js';
import {DEVICE_TYPES, type DeviceState, type DeviceType, type HotplugState} from '../topology/types.js';
import type {Layout, LayoutAltmap, LayoutDevice, LayoutEntry, LayoutHotplug, LayoutOperation} from './layout.js';

const GiB = 2 ** 30;

export type GenerateOptions = {
	readonly kernel: string;
	readonly arches: readonly Arch[];
	readonly patches?: readonly string[];
	/** Most segments in a layout (default 5). */
	readonly maxSegments?: number;
};

/** A distance from an edge: 0 (on it), pages, subsections, MAX_ORDER blocks, or a page or two short of a section. */
type Offset = {readonly kind: number; readonly n: number};

type SegmentPlan = {
	readonly kind: 'boot' | 'hotplug' | 'device';
	/** Distance from the end of the previous segment. */
	readonly gap: Offset;
	readonly gapSections: number;
	/** Whole sections (blocks for hotplug) in the segment, before `tail`. */
	readonly sections: number;
	readonly head: Offset;
	readonly tail: Offset;
	readonly node: number;
	readonly state: number;
	readonly type: number;
	readonly altmap: {readonly reserve: number; readonly free: number; readonly auto: boolean} | null;
	readonly nomap: {readonly at: number; readonly pages: number} | null;
	readonly blocks: ReadonlyArray<{readonly block: number; readonly state: number}>;
};

type OperationPlan = {readonly kind: number; readonly target: number; readonly block: number; readonly blocks: number; readonly type: number; readonly altmap: boolean; readonly state: number};

export type LayoutPlan = {
	readonly arch: Arch;
	readonly debug_vm: boolean;
	readonly vmemmap: boolean;
	/** 0: from pfn 0; 1: from 4 GiB (above ZONE_DMA32). */
	readonly base: number;
	readonly segments: readonly SegmentPlan[];
	readonly operations: readonly OperationPlan[];
	/** Audit an intermediate phase too: the index into the replay's phases (modulo their number). */
	readonly phase: number | null;
	/**
	Sections of boot and hot-added segments are multiplied by this: 1, or 8 for RAM long enough to
	hold whole 1 GiB windows of a zone (pfn_range_valid_contig()) with a device colliding inside.
	*/
	readonly scale: number;
	/**
	Arrange a section collision inside a zone's span: the first device right after the first boot
	range, which then ends inside its section, and boot RAM again after the device (the zone spans
	the device; the v5.3+ collision that 1f90a3477df3 taught pfn_to_online_page() about, v5.12).
	*/
	readonly collide: boolean;
};

/** The layout a plan places, and the phase pick that goes with it. */
export type Generated = {readonly layout: Layout; readonly phasePick: number | null};

const offset: fc.Arbitrary<Offset> = fc.record({
	kind: fc.oneof({weight: 6, arbitrary: fc.constant(0)}, {weight: 6, arbitrary: fc.integer({min: 1, max: 4})}),
	n: fc.nat({max: 63}),
});

const segment: fc.Arbitrary<SegmentPlan> = fc.record({
	kind: fc.constantFrom<SegmentPlan['kind']>('boot', 'device', 'hotplug', 'device', 'boot'),
	gap: offset,
	gapSections: fc.oneof({weight: 4, arbitrary: fc.constant(0)}, {weight: 1, arbitrary: fc.integer({min: 1, max: 3})}),
	sections: fc.integer({min: 0, max: 2}),
	head: offset,
	tail: offset,
	node: fc.oneof({weight: 5, arbitrary: fc.constant(0)}, {weight: 1, arbitrary: fc.constant(1)}),
	state: fc.nat({max: 11}),
	type: fc.nat({max: DEVICE_TYPES.length - 1}),
	altmap: fc.option(fc.record({reserve: fc.nat({max: 4}), free: fc.nat({max: 3}), auto: fc.boolean()}), {freq: 2}),
	nomap: fc.option(fc.record({at: fc.nat({max: 15}), pages: fc.integer({min: 1, max: 16})}), {freq: 3}),
	blocks: fc.array(fc.record({block: fc.nat({max: 3}), state: fc.nat({max: 3})}), {maxLength: 2}),
});

const operation: fc.Arbitrary<OperationPlan> = fc.record({
	kind: fc.nat({max: 5}),
	target: fc.nat({max: 7}),
	block: fc.nat({max: 3}),
	blocks: fc.integer({min: 1, max: 2}),
	type: fc.nat({max: DEVICE_TYPES.length - 1}),
	altmap: fc.boolean(),
	state: fc.nat({max: 5}),
});

export function planArbitrary(options: GenerateOptions): fc.Arbitrary<LayoutPlan> {
	return fc.record({
		arch: fc.constantFrom(...options.arches),
		debug_vm: fc.oneof({weight: 4, arbitrary: fc.constant(true)}, {weight: 1, arbitrary: fc.constant(false)}),
		vmemmap: fc.oneof({weight: 8, arbitrary: fc.constant(true)}, {weight: 1, arbitrary: fc.constant(false)}),
		base: fc.oneof({weight: 3, arbitrary: fc.constant(0)}, {weight: 1, arbitrary: fc.constant(1)}),
		segments: fc.array(segment, {minLength: 1, maxLength: options.maxSegments ?? 5}),
		operations: fc.array(operation, {maxLength: 3}),
		phase: fc.option(fc.nat({max: 63}), {freq: 4}),
		scale: fc.oneof({weight: 5, arbitrary: fc.constant(1)}, {weight: 1, arbitrary: fc.constant(8)}),
		collide: fc.oneof({weight: 3, arbitrary: fc.constant(false)}, {weight: 1, arbitrary: fc.constant(true)}),
	});
}

/** The layouts of `options`, as fast-check generates and shrinks them. */
export function layoutArbitrary(options: GenerateOptions): fc.Arbitrary<Generated> {
	return planArbitrary(options).map(plan => placePlan(plan, options));
}

/** Pfns of an Offset in this geometry. */
function offsetPfns(o: Offset, g: Geometry, subsections: boolean): number {
	const section = g.PAGES_PER_SECTION;
	switch (o.kind) {
		case 0: {
			return 0;
		}

		case 1: {
			return (o.n % 3) + 1;
		}

		case 2: {
			const unit = subsections ? g.PAGES_PER_SUBSECTION : g.pageblock_nr_pages;
			const count = Math.max(1, Math.floor(section / unit) - 1);
			return unit * ((o.n % count) + 1) < section ? unit * ((o.n % count) + 1) : unit;
		}

		case 3: {
			const unit = Math.min(g.MAX_ORDER_NR_PAGES, section / 2);
			const count = Math.max(1, Math.floor(section / unit) - 1);
			return unit * ((o.n % count) + 1);
		}

		default: {
			return section - ((o.n % 2) + 1);
		}
	}
}

const HOTPLUG_STATES: readonly HotplugState[] = ['offline', 'online', 'online_movable', 'offlined'];
const DEVICE_STATES: readonly DeviceState[] = ['ready', 'ready', 'ready', 'initializing', 'teardown', 'ready'];

function alignUp(x: number, a: number): number {
	return Math.ceil(x / a) * a;
}

function alignDown(x: number, a: number): number {
	return Math.floor(x / a) * a;
}

type Placer = {
	readonly g: Geometry;
	readonly page: number;
	readonly subsections: boolean;
	readonly deviceUnit: number;
	readonly hotplug: boolean;
	readonly hotremove: boolean;
	readonly devices: readonly DeviceType[];
	blockPages: number;
	readonly arm64: boolean;
};

/** The altmap of a device of `pages` pages: reserve in pages, free exact / short / long / auto. */
function altmapFor(plan: NonNullable<SegmentPlan['altmap']>, pages: number, p: Placer): LayoutAltmap | undefined {
	const reservePages = [2, 0, 1, 3, 16][plan.reserve]!;
	if (plan.auto) {
		return {reserve: reservePages * p.page, free: 'auto'};
	}

	const need = Math.ceil((pages * 64) / p.page);
	const free = [need, need - 1, need + 1, 0][plan.free]!;
	if (free < 0 || reservePages + free >= pages) {
		return undefined;
	}

	return {reserve: reservePages * p.page, free: free * p.page};
}

/** Place a plan: segments left to right from the base, in the plan's order. */
export function placePlan(plan: LayoutPlan, options: GenerateOptions): Generated {
	const kernel = v(options.kernel);
	const g = geometryFor(plan.arch, kernel);
	const page = g.PAGE_SIZE;
	const section = g.PAGES_PER_SECTION;
	const subsections = plan.vmemmap && atLeast(kernel, '5.3');
	const p: Placer = {
		g,
		page,
		subsections,
		deviceUnit: subsections ? g.PAGES_PER_SUBSECTION : section,
		hotplug: hotplugUnavailable(plan.arch, kernel) === undefined,
		hotremove: hotremoveUnavailable(plan.arch, kernel) === undefined,
		devices: zoneDeviceUnavailable(plan.arch, kernel, plan.vmemmap) === undefined ? DEVICE_TYPES.filter(type => deviceTypeUnavailable(type, kernel) === undefined) : [],
		blockPages: section,
		arm64: plan.arch.startsWith('arm64'),
	};
	const base = plan.base === 1 ? alignUp((4 * GiB) / page, section) : 0;
	// Segments in the plan's order, so that a device or a hot-added range can sit between boot
	// ranges, inside a zone's span (the collisions compaction's zone walkers meet); the first
	// segment is boot RAM when the plan has none. Hot-added ranges are aligned to the memory block,
	// whose size depends on where boot memory ends (memory_block_size_bytes()): placed with one
	// section first, and again with the block size that end gives when it differs.
	const listed: readonly SegmentPlan[] = plan.segments.some(s => s.kind === 'boot') ? plan.segments : [{...plan.segments[0]!, kind: 'boot'}, ...plan.segments.slice(1)];
	const segments = plan.collide ? collided(listed) : listed;
	let placed = placeSegments(segments, p, base, plan.scale);
	const block = memory_block_size_bytes({arch: plan.arch, kernel, geometry: g, boot_mem_end: placed.bootEnd * page, hypervisor: false}).bytes / page;
	if (block !== p.blockPages) {
		p.blockPages = block;
		placed = placeSegments(segments, p, base, plan.scale);
	}

	const memory = [...placed.boot, ...placed.rest];
	const operations = placeOperations(plan.operations, memory, p, placed.cursor);
	return {
		layout: {arch: plan.arch, kernel: options.kernel, config: {debug_vm: plan.debug_vm, vmemmap: plan.vmemmap}, patches: [...(options.patches ?? [])], memory, operations},
		phasePick: plan.phase,
	};
}

/**
LayoutPlan.collide: the first boot segment ends inside a section (a MAX_ORDER block or more short
of its end when the plan has it on the edge), the first device follows at once, and boot RAM
follows the device (the next boot segment, or a copy of the first a section further on).
*/
function collided(segments: readonly SegmentPlan[]): readonly SegmentPlan[] {
	const b = segments.findIndex(s => s.kind === 'boot');
	const d = segments.findIndex(s => s.kind === 'device');
	if (d < 0) {
		return segments;
	}

	const boot = segments[b]!;
	const first: SegmentPlan = boot.tail.kind === 0 ? {...boot, tail: {kind: 3, n: boot.tail.n}} : boot;
	const device: SegmentPlan = {...segments[d]!, gap: {kind: 0, n: 0}, gapSections: 0, head: {kind: 0, n: 0}};
	const after = segments.findIndex((s, i) => s.kind === 'boot' && i !== b);
	const next: SegmentPlan = after < 0 ? {...boot, gap: {kind: 0, n: 0}, gapSections: 1} : segments[after]!;
	const rest = segments.filter((_, i) => i !== b && i !== d && i !== after);
	return [...segments.slice(0, b).filter((_, i) => i !== d), first, device, next, ...rest.filter(s => segments.indexOf(s) > b)];
}

/** Place the segments left to right from `base`: the boot entries and the others, where the last ends, where boot memory ends. */
function placeSegments(segments: readonly SegmentPlan[], p: Placer, base: number, scale: number): {boot: LayoutEntry[]; rest: LayoutEntry[]; cursor: number; bootEnd: number} {
	const {g, page, subsections} = p;
	const section = g.PAGES_PER_SECTION;
	const boot: LayoutEntry[] = [];
	const rest: LayoutEntry[] = [];
	let cursor = base;
	let bootEnd = 0;
	for (const [i, s] of segments.entries()) {
		const gap = i === 0 ? 0 : offsetPfns(s.gap, g, subsections) + s.gapSections * section;
		switch (s.kind) {
			case 'boot': {
				const start = cursor + gap + offsetPfns(s.head, g, subsections);
				const length = Math.max(1, (s.sections + 1) * scale * section - offsetPfns(s.tail, g, subsections) - (start % section));
				const end = start + length;
				const nomap =
					p.arm64 && s.nomap && length > 2
						? [{start: (start + 1 + (s.nomap.at % (length - 2))) * page, end: 0}].map(r => ({start: r.start, end: Math.min(end * page, r.start + s.nomap!.pages * page)}))
						: [];
				boot.push({kind: 'boot', start: start * page, end: end * page, node: s.node, nomap});
				cursor = end;
				bootEnd = end;
				break;
			}

			case 'hotplug': {
				if (!p.hotplug) {
					break;
				}

				const start = alignUp(cursor + gap, p.blockPages);
				const blocks = (s.sections + 1) * scale;
				const end = start + blocks * p.blockPages;
				const allowed = p.hotremove ? HOTPLUG_STATES : HOTPLUG_STATES.slice(0, 3);
				const state = allowed[s.state % allowed.length]!;
				const listed: Array<{start: number; end: number; state: HotplugState}> = [];
				for (const b of s.blocks) {
					const at = start + (b.block % blocks) * p.blockPages;
					const bstate = allowed[b.state % allowed.length]!;
					if (bstate !== state && !listed.some(l => l.start === at * page)) {
						listed.push({start: at * page, end: (at + p.blockPages) * page, state: bstate});
					}
				}

				rest.push({kind: 'hotplug', start: start * page, end: end * page, node: s.node, state, blocks: listed});
				cursor = end;
				break;
			}

			case 'device': {
				if (p.devices.length === 0) {
					break;
				}

				const start = alignUp(cursor + gap + offsetPfns(s.head, g, subsections), p.deviceUnit);
				let end = alignDown(start + (s.sections + 1) * section - offsetPfns(s.tail, g, subsections), p.deviceUnit);
				if (end <= start) {
					end = start + p.deviceUnit;
				}

				const type = p.devices[s.type % p.devices.length]!;
				const altmap = s.altmap && type !== 'private' ? altmapFor(s.altmap, end - start, p) : undefined;
				const device: LayoutDevice = {kind: 'device', type, start: start * page, end: end * page, node: s.node, state: DEVICE_STATES[s.state % DEVICE_STATES.length]!, ...(altmap ? {altmap} : {})};
				rest.push(device);
				cursor = end;
				break;
			}
		}
	}

	return {boot, rest, cursor, bootEnd};
}

/** Operations that the replay accepts, resolved against the entries' states as they change. */
function placeOperations(plans: readonly OperationPlan[], memory: readonly LayoutEntry[], p: Placer, end: number): LayoutOperation[] {
	const page = p.page;
	const blockBytes = p.blockPages * page;
	// Per hot-added entry, each block online or not; devices live and ready.
	const hot = memory.flatMap(e => (e.kind === 'hotplug' ? [{entry: e, online: blockStates(e, blockBytes)}] : []));
	const devices = memory.flatMap(e => (e.kind === 'device' ? [{entry: e as LayoutDevice | (LayoutDevice & {created: true}), live: true}] : []));
	const ops: LayoutOperation[] = [];
	let top = end;
	for (const o of plans) {
		switch (o.kind) {
			case 0:
			case 1:
			case 2: {
				// online, online_movable, offline: a run of blocks all in the other state.
				const offline = o.kind === 2;
				if (offline && !p.hotremove) {
					break;
				}

				const live = hot.filter(h => h.online.length > 0);
				if (live.length === 0) {
					break;
				}

				const h = live[o.target % live.length]!;
				const i = o.block % h.online.length;
				if (h.online[i] !== offline) {
					break;
				}

				let j = i;
				while (j + 1 < h.online.length && j + 1 - i < o.blocks && h.online[j + 1] === offline) {
					j++;
				}

				for (let k = i; k <= j; k++) {
					h.online[k] = !offline;
				}

				const start = h.entry.start + i * blockBytes;
				ops.push({op: offline ? 'offline' : o.kind === 1 ? 'online_movable' : 'online', start, end: h.entry.start + (j + 1) * blockBytes});
				break;
			}

			case 3: {
				// remove: a hot-added range with every block offline.
				if (!p.hotremove) {
					break;
				}

				const removable = hot.filter(h => h.online.length > 0 && h.online.every(online => !online));
				if (removable.length === 0) {
					break;
				}

				const h = removable[o.target % removable.length]!;
				h.online = [];
				ops.push({op: 'remove', start: h.entry.start});
				break;
			}

			case 4: {
				// teardown of a ready device; often created again (below).
				const ready = devices.filter(d => d.live && d.entry.state === 'ready');
				if (ready.length === 0) {
					break;
				}

				const d = ready[o.target % ready.length]!;
				d.live = false;
				ops.push({op: 'teardown', start: d.entry.start});
				break;
			}

			default: {
				// create: where a device was torn down (another mode, another altmap), or above everything.
				if (p.devices.length === 0) {
					break;
				}

				const gone = devices.filter(d => !d.live);
				const type = p.devices[o.type % p.devices.length]!;
				const state = DEVICE_STATES[o.state % DEVICE_STATES.length]!;
				let start: number;
				let endByte: number;
				if (gone.length > 0 && o.target % 3 !== 0) {
					const d = gone[o.target % gone.length]!;
					start = d.entry.start;
					endByte = d.entry.end;
					devices.splice(devices.indexOf(d), 1);
				} else {
					const s = alignUp(top, p.deviceUnit);
					start = s * page;
					endByte = (s + p.deviceUnit * (1 + (o.block % 4))) * page;
					top = endByte / page;
				}

				const pages = (endByte - start) / page;
				const altmap = o.altmap && type !== 'private' ? altmapFor({reserve: o.block % 5, free: 0, auto: false}, pages, p) : undefined;
				const created: LayoutDevice = {kind: 'device', type, start, end: endByte, node: 0, state, ...(altmap ? {altmap} : {})};
				devices.push({entry: created, live: true});
				ops.push({op: 'create', type, start, end: endByte, node: 0, state, ...(altmap ? {altmap} : {})});
			}
		}
	}

	return ops;
}

function blockStates(entry: LayoutHotplug, blockBytes: number): boolean[] {
	const online = (state: HotplugState): boolean => state === 'online' || state === 'online_movable';
	const states: boolean[] = [];
	for (let at = entry.start; at < entry.end; at += blockBytes) {
		const listed = entry.blocks.find(b => b.start <= at && at < b.end);
		states.push(online(listed ? listed.state : entry.state));
	}

	return states;
}

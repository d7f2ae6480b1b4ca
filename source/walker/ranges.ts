/**
Iteration domains shared by walker models: zone spans, node spans, [0, max_pfn), and the sweep
of the whole physical address space (plus boundary pfns beyond it) used for single-target
walkers that userspace can aim at any pfn.
*/
import {ALIGN, ALIGN_DOWN, hex, SECTION_ALIGN_UP} from '../model/geometry.js';
import type {DevPagemap, Model, NodeSpan, Zone} from '../model/types.js';
import {PackedStrings} from '../model/packed-strings.js';
import type {BootEntry, HotplugEntry} from '../topology/types.js';

export type PfnSpan = {readonly start: number; readonly end: number};

/**
`compute` remembered per model: a model does not change once built, and several walkers plan on
the same domains (the System RAM resources, the offlinable blocks, the PFNMAP exposures), each a
pass over every entry or run. The result is frozen: callers share it.
*/
export function perModel<T extends object>(compute: (model: Model) => T): (model: Model) => Readonly<T> {
	const cache = new WeakMap<Model, Readonly<T>>();
	return model => {
		let value = cache.get(model);
		if (value === undefined) {
			value = Object.freeze(compute(model));
			cache.set(model, value);
		}

		return value;
	};
}

/**
`compute` remembered per model as perModel() does, but held packed (`pack`) and handed out
unpacked (`unpack`), a new frozen value at each call. A worker keeps the model of its phase for
the whole audit, and with it every value remembered of the model: as span objects, the four
span lists below held some 21 MiB of each worker's heap at 100 000 topology entries (165 000
labelled spans, 53 000 PFNMAP ranges, each start and end a boxed number), piling up walker after
walker (issue 10: memory at scale). Packed by packSpans() they are some 4 MiB; unpacking the
80 000 System RAM resources anew for a walker that plans on them is a few milliseconds.
*/
export function perModelPacked<T extends object, P extends object>(compute: (model: Model) => T, pack: (value: T) => P, unpack: (packed: P) => T): (model: Model) => Readonly<T> {
	const packed = perModel(model => pack(compute(model)));
	return model => Object.freeze(unpack(packed(model) as P));
}

/**
Spans as perModelPacked() holds them: bounds in two Float64Arrays, and the labels (of spans that
all have one) as PackedStrings; `spans` instead when a span has other keys or another key order
than {start, end} or {start, end, label} (kept as they are).
*/
export type PackedSpans = {
	readonly starts: Float64Array;
	readonly ends: Float64Array;
	readonly labels?: PackedStrings;
	readonly spans?: readonly PfnSpan[];
};

/** Whether a span's own keys are exactly `keys`, in that order. */
function hasKeys(span: object, keys: readonly string[]): boolean {
	const own = Object.keys(span);
	if (own.length !== keys.length) {
		return false;
	}

	for (let i = 0; i < own.length; i++) {
		if (own[i] !== keys[i]) {
			return false;
		}
	}

	return true;
}

/** Whether every span has exactly `keys` (with a string label when `keys` is LABELLED_KEYS). */
function allHaveKeys(spans: readonly PfnSpan[], keys: readonly string[]): boolean {
	for (let i = 0; i < spans.length; i++) {
		const span = spans[i]!;
		if (!hasKeys(span, keys) || (keys === LABELLED_KEYS && typeof (span as Partial<LabelledSpan>).label !== 'string')) {
			return false;
		}
	}

	return true;
}

const SPAN_KEYS = ['start', 'end'];
const LABELLED_KEYS = ['start', 'end', 'label'];

/** `spans` packed (PackedSpans); unpackSpans() gives them back equal, key order included. */
export function packSpans<S extends PfnSpan>(spans: readonly S[]): PackedSpans {
	// Index loops, no callbacks or iterators: this runs a few times a worker over up to 53 000
	// spans, and V8 compiled the callback-and-entries() form four times a worker (each span shape
	// a deoptimization), some 45 ms a compile (`node --trace-opt`, 10 000 entries).
	const labelled = spans.length > 0 && allHaveKeys(spans, LABELLED_KEYS);
	if (!labelled && !allHaveKeys(spans, SPAN_KEYS)) {
		return {starts: new Float64Array(0), ends: new Float64Array(0), spans};
	}

	const n = spans.length;
	const starts = new Float64Array(n);
	const ends = new Float64Array(n);
	for (let i = 0; i < n; i++) {
		const span = spans[i]!;
		starts[i] = span.start;
		ends[i] = span.end;
	}

	if (!labelled) {
		return {starts, ends};
	}

	const labels: string[] = Array.from({length: n});
	for (let i = 0; i < n; i++) {
		labels[i] = (spans[i] as unknown as LabelledSpan).label;
	}

	return {starts, ends, labels: new PackedStrings(labels)};
}

/** The spans packSpans() packed, as new objects. */
export function unpackSpans<S extends PfnSpan>(packed: PackedSpans): S[] {
	if (packed.spans !== undefined) {
		return [...packed.spans] as S[];
	}

	const {starts, ends, labels} = packed;
	const out: S[] = Array.from({length: starts.length});
	if (labels === undefined) {
		for (let i = 0; i < starts.length; i++) {
			out[i] = {start: starts[i]!, end: ends[i]!} as S;
		}

		return out;
	}

	for (let i = 0; i < starts.length; i++) {
		out[i] = {start: starts[i]!, end: ends[i]!, label: labels.at(i)} as unknown as S;
	}

	return out;
}

/** A per-model span list (perModelPacked() with packSpans()). */
export function perModelSpans<S extends PfnSpan>(compute: (model: Model) => S[]): (model: Model) => readonly S[] {
	return perModelPacked<S[], PackedSpans>(compute, packSpans, packed => unpackSpans<S>(packed));
}

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

/** [0, round_up(max_pfn, PAGES_PER_SECTION)): fs/proc/page.c get_max_dump_pfn() (v5.6+, abec749facff; walkers/kpageflags_read.ts). */
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

// ---------------------------------------------------------------------------------------------
// Node spans, System RAM resources and the operations a removal-time walker runs for.

/** [node_start_pfn, pgdat_end_pfn()): a pgdat span; it always covers the node's ZONE_DEVICE ranges (resize_pgdat_range). */
export function nodeSpan(node: NodeSpan): PfnSpan {
	return {start: node.node_start_pfn, end: node.node_end_pfn};
}

export function nodeLabel(node: NodeSpan): string {
	return `node ${node.nid} [${hex(node.node_start_pfn)}, ${hex(node.node_end_pfn)})`;
}

/** A range of the topology with the label of the entry it comes from. */
export type LabelledSpan = PfnSpan & {readonly label: string};

/**
The "System RAM" iomem resources: one per boot memory range (x86 e820__update_table() merges
touching ranges of the same type, so touching boot entries form one resource) and one per
add_memory() call (register_memory_resource(), whatever the block's online state).
*/
export const systemRamResources = perModelSpans((model: Model): LabelledSpan[] => {
	const boot = model.entries
		.filter((entry): entry is BootEntry => entry.kind === 'boot')
		.sort((a, b) => a.start_pfn - b.start_pfn);
	const merged: LabelledSpan[] = [];
	for (const entry of boot) {
		const last = merged.at(-1);
		if (last && last.end === entry.start_pfn) {
			merged[merged.length - 1] = {start: last.start, end: entry.end_pfn, label: `${last.label}+${entry.label}`};
		} else {
			merged.push({start: entry.start_pfn, end: entry.end_pfn, label: entry.label});
		}
	}

	// remove_memory() releases the resource (release_memory_resource()).
	const removed = new Set((model.topology.operations ?? []).filter(op => op.op === 'remove').map(op => op.entry));
	const hotplug = model.entries
		.filter((entry): entry is HotplugEntry => entry.kind === 'hotplug' && !removed.has(entry.index))
		.map(entry => ({start: entry.start_pfn, end: entry.end_pfn, label: entry.label}));
	return [...merged, ...hotplug].sort((a, b) => a.start - b.start);
});

/**
mm/damon/core.c:damon_find_biggest_system_ram(): the biggest System RAM resource, the first one
found on a tie (walk_system_ram_res() walks in address order and only a strictly bigger
resource replaces the current pick). The default monitoring region of DAMON_RECLAIM and
DAMON_LRU_SORT.
*/
export function biggestSystemRam(model: Model): LabelledSpan | undefined {
	let best: LabelledSpan | undefined;
	for (const resource of systemRamResources(model)) {
		if (!best || resource.end - resource.start > best.end - best.start) {
			best = resource;
		}
	}

	return best;
}

/**
Hot-plugged blocks the topology declares offlined (onlined, then offline_pages()): whole entries,
their `blocks:` in state offlined, and the ranges of `operations:` offline (as parts of their entry).
*/
export function offlinedBlocks(model: Model): HotplugEntry[] {
	const out: HotplugEntry[] = [];
	for (const entry of model.entries) {
		if (entry.kind !== 'hotplug') {
			continue;
		}

		if (entry.state === 'offlined' && !entry.blocks?.length) {
			out.push(entry);
		}

		for (const b of entry.blocks ?? []) {
			if (b.state === 'offlined') {
				out.push({...entry, start_pfn: b.start_pfn, end_pfn: b.end_pfn});
			}
		}
	}

	for (const op of model.topology.operations ?? []) {
		const entry = model.entries[op.entry];
		if (op.op === 'offline' && entry?.kind === 'hotplug') {
			out.push({...entry, start_pfn: op.start_pfn, end_pfn: op.end_pfn});
		}
	}

	return out;
}

/**
The pgmaps whose memunmap_pages() is the next teardown: registered (in the pgmap_array xarray),
ref still live (teardown not started: a dead ref means memunmap_pages() already ran its reads)
and memremap_pages() returned (memmap_init_zone_device() reached the end of the range: the
device's release action cannot run before its probe finished).
*/
export function pgmapsForTeardown(model: Model): DevPagemap[] {
	return model.pgmaps.filter(pgmap => pgmap.in_xarray && pgmap.ref === 'live' && pgmap.init_cursor >= pgmap.end_pfn);
}

/**
The zones of `nid` other than ZONE_DEVICE that an offlined range belonged to. The model does not
record which zone a block was onlined to: the zones whose span still holds part of the range,
or, when the model shows every span already shrunk past it, the node's ZONE_NORMAL — the default
online target when no kernel zone intersects the range (mm/memory_hotplug.c:
zone_for_pfn_range() → default_kernel_zone_for_pfn()). A block onlined movable into a
ZONE_MOVABLE that the model shows emptied is therefore attributed to ZONE_NORMAL.
*/
export function zonesHolding(model: Model, span: PfnSpan, nid: number): Zone[] {
	const candidates = model.zones.filter(zone => zone.nid === nid && zone.name !== 'Device' && zone.zone_end_pfn > zone.zone_start_pfn);
	const holding = candidates.filter(zone => zone.zone_start_pfn < span.end && span.start < zone.zone_end_pfn);
	if (holding.length > 0) {
		return holding;
	}

	return candidates.filter(zone => zone.name === 'Normal');
}

/** The smallest span holding both (the span before a shrink took `removed` out of `span`). */
export function hull(span: PfnSpan, removed: PfnSpan): PfnSpan {
	if (span.end <= span.start) {
		return removed;
	}

	return {start: Math.min(span.start, removed.start), end: Math.max(span.end, removed.end)};
}

// ---------------------------------------------------------------------------------------------
// Memory blocks, ZONE_DEVICE ranges and the boot phase, for the walkers that only run on one of them.

/** memory_block_size_bytes() in pages (drivers/base/memory.c). */
export function memoryBlockPages(model: Model): number {
	return model.topology.config.memory_block_size / model.geometry.PAGE_SIZE;
}

/**
The runs of `span` whose pfns satisfy `keep`, merged into maximal spans. Proportional to the
number of runs in the span, never to its pfns.
*/
export function spansWhere(model: Model, span: PfnSpan, keep: (state: Model['runs'][number]['state']) => boolean): PfnSpan[] {
	const out: PfnSpan[] = [];
	if (span.end <= span.start) {
		return out;
	}

	for (let i = model.runAt(span.start).index; i < model.runs.length; i++) {
		const run = model.runs[i]!;
		if (run.start >= span.end) {
			break;
		}

		if (!keep(run.state)) {
			continue;
		}

		const start = Math.max(run.start, span.start);
		const end = Math.min(run.end, span.end);
		const last = out.at(-1);
		if (last && last.end === start) {
			out[out.length - 1] = {start: last.start, end};
		} else {
			out.push({start, end});
		}
	}

	// A copy of exactly its length: the first push gave `out` room for 17 spans, and most lists
	// here have one — a walker that plans a pass per System RAM resource keeps 80 000 of them at
	// 100 000 topology entries (60 bytes of spare elements each).
	return out.length === 0 ? out : out.slice();
}

/**
The memory blocks offline_pages() can be asked to offline (mm/memory_hotplug.c, reached through
memory_block_offline() from `echo offline > /sys/devices/system/memory/memoryN/state`, ACPI
eject, virtio-mem or dax/kmem): blocks whose sections are online (device_offline() of an offline
block returns before offline_pages()), whose pfns are all in one "System RAM" resource
(offline_pages() counts them with walk_system_ram_range() and refuses "memory holes" — 6.1 and
6.12 [V]; an arm64 MEMBLOCK_NOMAP range is a "reserved" resource, not System RAM:
arch/arm64/kernel/setup.c request_standard_resources() [V 6.12]) and not ZONE_DEVICE. Whole
memory blocks only, block-aligned.
*/
export const offlinableBlocks = perModelSpans((model: Model): LabelledSpan[] => {
	const block = memoryBlockPages(model);
	const out: LabelledSpan[] = [];
	for (const resource of systemRamResources(model)) {
		for (const span of spansWhere(model, resource, state => state.section.online && state.pgmap === null && !state.memblock_nomap)) {
			const start = ALIGN(span.start, block);
			const end = ALIGN_DOWN(span.end, block);
			if (end > start) {
				out.push({start, end, label: resource.label});
			}
		}
	}

	return out;
});

/** Hot-added System RAM entries (add_memory()), whatever their blocks' state: a driver's (virtio-mem, ACPI, dax/kmem) memory. */
export function hotplugSpans(model: Model): LabelledSpan[] {
	return model.entries
		.filter((entry): entry is HotplugEntry => entry.kind === 'hotplug')
		.map(entry => ({start: entry.start_pfn, end: entry.end_pfn, label: entry.label}))
		.sort((a, b) => a.start - b.start);
}

/**
The pgmaps a driver works on after memremap_pages() returned and before memunmap_pages() started:
registered, ref live, memmap_init_zone_device() done (the device's probe finished). `types`
selects the memory types (include/linux/memremap.h enum memory_type).
*/
export function readyPgmaps(model: Model, types: readonly DevPagemap['type'][]): DevPagemap[] {
	return model.pgmaps.filter(pgmap => types.includes(pgmap.type) && pgmap.in_xarray && pgmap.ref === 'live' && pgmap.init_cursor >= pgmap.end_pfn);
}

/** The data pfns of a pgmap: [pfn_first(), end) — the altmap's reserve and memmap storage excluded. */
export function pgmapData(pgmap: DevPagemap): PfnSpan {
	return {start: pgmap.pfn_first ?? pgmap.start_pfn, end: pgmap.end_pfn};
}

/**
True when the model is the memory layout at boot: the `boot` phase, or `final` of a topology
with no step after boot (nothing hot-added, no device). Walkers that run only during boot
(page_ext_init(), init_pages_in_zone(), node registration, cma_activate_area()) walk this model
only; at a later phase the layout they saw is gone (hot-added memory and devices came after).
*/
export function atBoot(model: Model): boolean {
	// The topology's entries, not model.phases: a model sent to a worker carries its own phase only.
	return model.phase.step === 'boot' || (model.phase.step === 'final' && model.topology.memory.every(entry => entry.kind === 'boot'));
}

/** The `why` of a boot-only walker's empty pass at a later phase. */
export const BOOT_ONLY = 'runs during boot only: audit the boot phase (--phases) to see it walk';

/** A CMA area of a boot entry's `cma:` list: its pfns, node and a label ("cma@0x40000000"). */
export type CmaArea = LabelledSpan & {readonly nid: number};

/** The topology's CMA areas (cma_areas[] at boot), in file order. */
export function cmaAreas(model: Model): CmaArea[] {
	return model.topology.memory.flatMap(entry =>
		entry.kind === 'boot' ? (entry.cma ?? []).map(area => ({start: area.start_pfn, end: area.end_pfn, nid: entry.node, label: `cma@${hex(area.start)}`})) : [],
	);
}

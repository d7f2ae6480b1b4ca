/**
What the kernel did, beyond each entry's end state (docs/topology-format.md "Block states" and
"Operations"): the memory blocks of one hot-added range in different states (`blocks:`), and the
`operations:` after the first replay, in order — online / online_movable / offline of memory
blocks, remove of a hot-added range, teardown of a device to the end, create of a device again.
Each is checked against the kernel function that would refuse it, with the state the replay has
reached at that point (which blocks are online, which ranges are still there).
*/
import {hex} from '../model/geometry.js';
import type {MemoryBlockSize} from '../model/memory-block.js';
import {hotremoveUnavailable} from './availability.js';
import {atKernel, entryName, fail, type RuleContext} from './context.js';
import {validateDevice} from './entries.js';
import {formatAddressLiteral, formatSize} from './numbers.js';
import type {Placed} from './overlaps.js';
import {formatPath, type Path} from './positions.js';
import {requireAligned, resolveSpan, type Span} from './ranges.js';
import type {RawEntry, RawOperation} from './schema.js';
import {SpanIndex} from './span-index.js';
import type {DeviceEntry, HotplugEntry, HotplugState, Operation, PfnRange, SourcePosition, TopologyEntry} from './types.js';

type BlockRaw = NonNullable<Extract<RawEntry, {kind: 'hotplug'}>['blocks']>[number];
type DeviceRaw = Extract<RawEntry, {kind: 'device'}>;

/** `blocks:` of a hotplug entry: block aligned, inside the entry, not overlapping each other. */
export function validateBlockStates(ctx: RuleContext, path: Path, raw: readonly BlockRaw[], entry: Span, block: MemoryBlockSize): Array<PfnRange & {state: HotplugState; pos: SourcePosition}> {
	const page = ctx.geometry.PAGE_SIZE;
	const out: Array<PfnRange & {state: HotplugState; pos: SourcePosition}> = [];
	const seen: Span[] = [];
	for (const [j, b] of raw.entries()) {
		const at: Path = [...path, 'blocks', j];
		const span = resolveSpan(ctx, at, b);
		requireAligned(ctx, at, b, span, block.bytes, () => `not aligned to the memory block size ${formatSize(block.bytes)} (${block.rule}): a state belongs to whole memory blocks (drivers/base/memory.c memory_block_change_state())`);
		if (span.start < entry.start || span.end > entry.end) {
			fail(ctx, [...at, 'start'], `${formatPath(at)} [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}) is not inside its hot-added range [${formatAddressLiteral(entry.start)}, ${formatAddressLiteral(entry.end)}): blocks: gives the state of some of that add_memory()'s own memory blocks`);
		}

		const clash = seen.find(o => o.start < span.end && span.start < o.end);
		if (clash) {
			fail(ctx, [...at, 'start'], `${formatPath(at)} overlaps another blocks: range at ${formatAddressLiteral(Math.max(clash.start, span.start))}: a memory block has one state; merge or split them`);
		}

		if (b.state === 'offlined') {
			const unavailable = hotremoveUnavailable(ctx.arch, ctx.kernel);
			if (unavailable) {
				fail(ctx, [...at, 'state'], `${formatPath([...at, 'state'])}: offlined blocks cannot exist on ${ctx.arch} at ${atKernel(ctx)}: ${unavailable}`);
			}
		}

		seen.push(span);
		out.push({start_pfn: span.start / page, end_pfn: span.end / page, state: b.state, pos: ctx.index.at(at)});
	}

	return out;
}

/** Per-block state during validation: online (to a kernel zone or ZONE_MOVABLE) or offline. */
type BlockNow = 'online' | 'offline';

/** A hot-added range still there, with the state of its blocks once an operation has asked (most never are). */
type LiveHotplug = {entry: HotplugEntry; blocks?: Map<number, BlockNow>};

/**
The entries an operation can name at this point of the replay, found without visiting the others:
a `remove`/`teardown` names the start of its range (one live range starts there at most: live
entries never overlap), an `online`/`offline` a block range inside one hot-added range. Hot-added
ranges never overlap each other and no operation adds one, so the only range that can hold a block
range is the last one, by start, that starts at or below it: a binary search over the hot-added
entries sorted once, then whether that one is still there.
*/
type Live = {
	hotplug: Map<number, LiveHotplug>;
	devicesByStart: Map<number, DeviceEntry>;
	/** Every hot-added entry of `memory:`, removed or not, by start. */
	hotplugSorted: HotplugEntry[];
};

/** The live hot-added range that holds all of [start, end), if any. */
function ownerOf(live: Live, start: number, end: number): LiveHotplug | undefined {
	const sorted = live.hotplugSorted;
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = Math.floor((lo + hi) / 2);
		if (sorted[mid]!.start > start) {
			hi = mid;
		} else {
			lo = mid + 1;
		}
	}

	const candidate = sorted[lo - 1];
	return candidate && end <= candidate.end ? live.hotplug.get(candidate.index) : undefined;
}

/** The live hot-added range that starts at `start`, if any (what a `remove` names). */
function hotplugStartingAt(live: Live, start: number): HotplugEntry | undefined {
	const owner = ownerOf(live, start, start);
	return owner?.entry.start === start ? owner.entry : undefined;
}

function blocksOf(live: LiveHotplug, blockPages: number): Map<number, BlockNow> {
	live.blocks ??= blockStatesOf(live.entry, blockPages);
	return live.blocks;
}

function blockStatesOf(entry: HotplugEntry, blockPages: number): Map<number, BlockNow> {
	const states = new Map<number, BlockNow>();
	const now = (state: HotplugState): BlockNow => (state === 'online' || state === 'online_movable' ? 'online' : 'offline');
	for (let pfn = entry.start_pfn; pfn < entry.end_pfn; pfn += blockPages) {
		states.set(pfn, now(entry.state));
	}

	for (const b of entry.blocks ?? []) {
		for (let pfn = b.start_pfn; pfn < b.end_pfn; pfn += blockPages) {
			states.set(pfn, now(b.state));
		}
	}

	return states;
}

/** The live entries' index for a create: without the removed and torn-down ones (built at the first create, then kept up to date). */
function liveIndex(placed: SpanIndex<Placed>, gone: ReadonlySet<number>): SpanIndex<Placed> {
	const index = new SpanIndex<Placed>();
	for (const item of placed.items) {
		if (!gone.has(item.index)) {
			index.add(item);
		}
	}

	return index;
}

export function validateOperations(
	ctx: RuleContext,
	raw: readonly RawOperation[],
	entries: TopologyEntry[],
	placed: SpanIndex<Placed>,
	block: MemoryBlockSize,
): Operation[] {
	const page = ctx.geometry.PAGE_SIZE;
	const blockPages = block.bytes / page;
	const live: Live = {hotplug: new Map(), devicesByStart: new Map(), hotplugSorted: []};
	for (const e of entries) {
		if (e.kind === 'hotplug') {
			live.hotplug.set(e.index, {entry: e});
			live.hotplugSorted.push(e);
		} else if (e.kind === 'device') {
			live.devicesByStart.set(e.start, e);
		}
	}

	live.hotplugSorted.sort((a, b) => a.start - b.start);
	const gone = new Set<number>();
	let liveEntries: SpanIndex<Placed> | undefined;
	const operations: Operation[] = [];
	for (const [k, op] of raw.entries()) {
		const path: Path = ['operations', k];
		const pos = ctx.index.at(path);
		if (op.op === 'create') {
			const index = entries.length;
			// validateDevice() adds the new device to the live index it checks against.
			liveEntries ??= liveIndex(placed, gone);
			const device = validateDevice(ctx, index, {...op, kind: 'device'} as DeviceRaw, liveEntries, path);
			const label = `${device.type}@${hex(device.start)}`;
			entries.push({...device, label});
			placed.add({start: device.start, end: device.end, index, kind: 'device', label});
			live.devicesByStart.set(device.start, device);
			operations.push({index: k, op: 'create', entry: index, start_pfn: device.start_pfn, end_pfn: device.end_pfn, pos, label: `create ${label} as memory[${index}]`});
			continue;
		}

		if (op.op === 'remove' || op.op === 'teardown') {
			const wanted = op.op === 'remove' ? 'hot-added range' : 'device';
			const target: HotplugEntry | DeviceEntry | undefined = op.op === 'remove' ? hotplugStartingAt(live, op.start) : live.devicesByStart.get(op.start);
			if (!target) {
				fail(ctx, [...path, 'start'], `${formatPath(path)}: no ${wanted} starts at ${formatAddressLiteral(op.start)} at this point of the replay: ${op.op} names the start of a ${op.op === 'remove' ? 'kind: hotplug entry (remove_memory() removes what one add_memory() added)' : 'kind: device entry or created device (memunmap_pages() ends one pgmap)'} that is still there`);
			}

			const end = op.size === undefined ? op.end : op.start + op.size;
			if (end !== undefined && end !== target.end) {
				fail(ctx, [...path, op.size === undefined ? 'end' : 'size'], `${formatPath(path)}: ${entryName(target.index, target.label)} ends at ${formatAddressLiteral(target.end)}, not ${formatAddressLiteral(end)}: ${op.op === 'remove' ? 'remove_memory() takes exactly the range add_memory() added (try_remove_memory() walks its memory blocks)' : 'memunmap_pages() ends the whole pgmap'}`);
			}

			if (op.op === 'remove') {
				const unavailable = hotremoveUnavailable(ctx.arch, ctx.kernel);
				if (unavailable) {
					fail(ctx, [...path, 'op'], `${formatPath(path)}: remove cannot run on ${ctx.arch} at ${atKernel(ctx)}: ${unavailable}`);
				}

				const states = blocksOf(live.hotplug.get(target.index)!, blockPages);
				const online = [...states].find(([, s]) => s === 'online');
				if (online) {
					fail(ctx, [...path, 'start'], `${formatPath(path)}: the memory block at ${formatAddressLiteral(online[0] * page)} of ${entryName(target.index, target.label)} is online: remove_memory() → try_remove_memory() refuses memory that is not offline (check_memblock_offlined_cb(): "removing memory fails, because memory … is onlined", -EBUSY); offline it first (an op: offline before this one)`);
				}

				live.hotplug.delete(target.index);
			} else {
				const device = target as DeviceEntry;
				if (device.state !== 'ready') {
					fail(ctx, [...path, 'start'], `${formatPath(path)}: ${entryName(device.index, device.label)} is declared state: ${device.state}, so the replay leaves it ${device.state === 'initializing' ? 'inside memremap_pages()' : 'half torn down'}; teardown ends a device that memremap_pages() set up (state: ready)`);
				}

				live.devicesByStart.delete(target.start);
			}

			gone.add(target.index);
			liveEntries?.delete(target);
			operations.push({index: k, op: op.op, entry: target.index, start_pfn: target.start_pfn, end_pfn: target.end_pfn, pos, label: `${op.op} ${entryName(target.index, target.label)}`});
			continue;
		}

		// online, online_movable, offline of memory blocks.
		const span = resolveSpan(ctx, path, op);
		requireAligned(ctx, path, op, span, block.bytes, () => `not aligned to the memory block size ${formatSize(block.bytes)} (${block.rule}): memory is onlined and offlined a memory block at a time (drivers/base/memory.c memory_block_change_state())`);
		const owner = ownerOf(live, span.start, span.end);
		if (!owner) {
			fail(ctx, [...path, 'start'], `${formatPath(path)} [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}) is not inside one hot-added range present at this point of the replay: ${op.op} acts on the memory blocks of a kind: hotplug entry (onlining or offlining boot memory is not modelled)`);
		}

		if (op.op === 'offline') {
			const unavailable = hotremoveUnavailable(ctx.arch, ctx.kernel);
			if (unavailable) {
				fail(ctx, [...path, 'op'], `${formatPath(path)}: offline cannot run on ${ctx.arch} at ${atKernel(ctx)}: ${unavailable}`);
			}
		}

		const want: BlockNow = op.op === 'offline' ? 'offline' : 'online';
		const blocks = blocksOf(owner, blockPages);
		for (let pfn = span.start / page; pfn < span.end / page; pfn += blockPages) {
			if (blocks.get(pfn) === want) {
				fail(ctx, [...path, 'start'], `${formatPath(path)}: the memory block at ${formatAddressLiteral(pfn * page)} is already ${want} at this point of the replay: memory_block_change_state() does nothing for a block in the state asked (${want === 'online' ? 'online_pages()' : 'offline_pages()'} is not called); drop it from the range`);
			}
		}

		for (let pfn = span.start / page; pfn < span.end / page; pfn += blockPages) {
			blocks.set(pfn, want);
		}

		operations.push({
			index: k,
			op: op.op,
			entry: owner.entry.index,
			start_pfn: span.start / page,
			end_pfn: span.end / page,
			pos,
			label: `${op.op} of [${hex(span.start / page)}, ${hex(span.end / page)}) in ${entryName(owner.entry.index, owner.entry.label)}`,
		});
	}

	return operations;
}

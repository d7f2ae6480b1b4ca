/**
/sys/devices/system/memory (Documentation/admin-guide/mm/memory-hotplug.rst; drivers/base/memory.c):
`block_size_bytes` (hex without 0x), `auto_online_blocks`, and per block `memoryN/` (N decimal =
phys addr / block size) with `phys_index` (hex), `state` (online | offline | going-offline),
`valid_zones` (the zone of an online block, `none` when it spans zones or nodes; the candidate
zones of an offline one), `removable`, `phys_device`. Node membership comes from
/sys/devices/system/node/nodeN/memoryM.

Also read: the one-file summary `block_size_bytes <hex>` / `memoryN state=… phys_index=…
valid_zones=… node=…` that a shell loop over those files prints (scripts/pfnaudit-capture.sh
does not need it, but hand-made captures use it).
*/
import {contentLines, isPowerOfTwo, parseError, parseHex, type Source} from './text.js';

export type BlockState = 'online' | 'offline' | 'going-offline';

export type MemoryBlock = Source & {
	/** Block id (decimal N of memoryN). */
	readonly id: number;
	readonly state: BlockState | undefined;
	/** valid_zones words, e.g. ['Normal'] or ['Normal', 'Movable']; [] when unknown. */
	readonly validZones: readonly string[];
	readonly node: number | undefined;
	/**
	Every node the block is linked under (sysfs node/nodeN/memoryM, ascending): an early block whose
	pfns lie in two nodes is linked under both (drivers/base/node.c
	register_mem_block_under_node_early(), 6.1 and 6.12). Absent where the capture has no node links.
	*/
	readonly nodes?: readonly number[];
	/**
	`removable`: removable_show() prints IS_ENABLED(CONFIG_MEMORY_HOTREMOVE) for every block [V 6.1,
	6.12]; before v5.7 it said whether offline_pages() could move every page of the block (changed by
	53cdc1cb29e8 "drivers/base/memory.c: indicate all memory blocks as removable", unverified here).
	Read and checked, not modelled.
	*/
	readonly removable: boolean | undefined;
	/** `phys_device` (phys_device_show(): an arch's device number, s390's storage increment; 0 elsewhere). Read and checked. */
	readonly physDevice: number | undefined;
};

export type MemoryBlocks = {
	/** Bytes, with where it was read. */
	readonly blockSize: (Source & {readonly bytes: number}) | undefined;
	readonly autoOnline: (Source & {readonly value: string}) | undefined;
	/** By ascending id. */
	readonly blocks: readonly MemoryBlock[];
};

const STATES: readonly string[] = ['online', 'offline', 'going-offline'];

/** block_size_bytes: hex without 0x; a power of two (memory_block_size_bytes()). */
export function parseBlockSize(text: string, file: string, line = 1): Source & {bytes: number} {
	const word = text.trim();
	const bytes = parseHex(word);
	if (word === '' || bytes === undefined) {
		throw parseError(file, line, `block_size_bytes "${word}" is not a hex number (the kernel prints e.g. 8000000 for 128 MiB); is the file truncated?`);
	}

	if (!isPowerOfTwo(bytes) || bytes < 4096) {
		throw parseError(
			file,
			line,
			`block_size_bytes 0x${bytes.toString(16)} is not a power of two of at least a page: memory_block_size_bytes() always is; the file is damaged or from another source`,
		);
	}

	return {file, line, bytes};
}

export function parseState(text: string, file: string, line = 1): BlockState {
	const word = text.trim();
	if (!STATES.includes(word)) {
		throw parseError(file, line, `memory block state "${word}" is none of online, offline, going-offline (drivers/base/memory.c state_show()); is the file truncated?`);
	}

	return word as BlockState;
}

/** removable: "0" or "1". */
function parseRemovable(text: string, file: string, line = 1): boolean {
	const word = text.trim();
	if (word !== '0' && word !== '1') {
		throw parseError(file, line, `removable "${word}" is neither 0 nor 1 (drivers/base/memory.c removable_show()); is the file truncated?`);
	}

	return word === '1';
}

/** phys_device: a decimal number. */
function parsePhysDevice(text: string, file: string, line = 1): number {
	const word = text.trim();
	if (!/^\d+$/.test(word)) {
		throw parseError(file, line, `phys_device "${word}" is not a decimal number (drivers/base/memory.c phys_device_show()); is the file truncated?`);
	}

	return Number(word);
}

export type SysfsMemoryFiles = {
	readonly blockSize?: {file: string; text: string};
	readonly autoOnline?: {file: string; text: string};
	/** memoryN → its files (state, valid_zones, phys_index; each optional). */
	readonly blocks: ReadonlyMap<number, {readonly dir: string; readonly files: ReadonlyMap<string, string>}>;
	/** memoryN → node, from node/nodeN/memoryN. */
	readonly nodeOf: ReadonlyMap<number, number>;
	/** memoryN → every node linking it, from node/nodeN/memoryN. */
	readonly nodesOf?: ReadonlyMap<number, readonly number[]>;
};

/** The per-file sysfs tree as captured. */
export function parseSysfsMemory(input: SysfsMemoryFiles): MemoryBlocks {
	const blockSize = input.blockSize ? parseBlockSize(input.blockSize.text, input.blockSize.file) : undefined;
	const autoOnline = input.autoOnline ? {file: input.autoOnline.file, line: 1, value: input.autoOnline.text.trim()} : undefined;
	const blocks: MemoryBlock[] = [];
	for (const [id, {dir, files}] of [...input.blocks].sort((a, b) => a[0] - b[0])) {
		const stateText = files.get('state');
		const zonesText = files.get('valid_zones');
		const indexText = files.get('phys_index');
		const removableText = files.get('removable');
		const physDeviceText = files.get('phys_device');
		if (indexText !== undefined) {
			const index = parseHex(indexText.trim());
			if (index !== id) {
				throw parseError(`${dir}/phys_index`, 1, `phys_index "${indexText.trim()}" is not memory${id}'s block id 0x${id.toString(16)}; the capture mixes two machines or the file is damaged`);
			}
		}

		blocks.push({
			file: `${dir}/state`,
			line: 1,
			id,
			state: stateText === undefined ? undefined : parseState(stateText, `${dir}/state`),
			validZones: zonesText === undefined ? [] : zonesText.trim().split(/\s+/).filter(Boolean),
			node: input.nodeOf.get(id),
			...(input.nodesOf?.has(id) ? {nodes: [...input.nodesOf.get(id)!].sort((a, b) => a - b)} : {}),
			removable: removableText === undefined ? undefined : parseRemovable(removableText, `${dir}/removable`),
			physDevice: physDeviceText === undefined ? undefined : parsePhysDevice(physDeviceText, `${dir}/phys_device`),
		});
	}

	return {blockSize, autoOnline, blocks};
}

const SUMMARY_BLOCK = /^memory(\d+)((?:\s+[a-z_]+=\S*)*)\s*$/;

/** Whether text is the one-file summary form. */
export function isMemorySummary(text: string): boolean {
	const lines = contentLines(text);
	return lines.some(l => /^block_size_bytes\s+[\da-fA-F]+\s*$/.test(l.text)) || (lines.length > 0 && lines.every(l => l.text.trim() === '' || SUMMARY_BLOCK.test(l.text) || /^[a-z_]+\s+\S+$/.test(l.text)) && lines.some(l => SUMMARY_BLOCK.test(l.text)));
}

/** The one-file summary: `block_size_bytes 8000000`, `memory32 state=online phys_index=00000020 valid_zones=Normal node=0`. */
export function parseMemorySummary(text: string, file: string): MemoryBlocks {
	let blockSize: MemoryBlocks['blockSize'];
	let autoOnline: MemoryBlocks['autoOnline'];
	const blocks: MemoryBlock[] = [];
	for (const {text: raw, line} of contentLines(text)) {
		const lineText = raw.trim();
		if (lineText === '') {
			continue;
		}

		const head = /^(block_size_bytes|auto_online_blocks)\s+(\S+)$/.exec(lineText);
		if (head) {
			if (head[1] === 'block_size_bytes') {
				blockSize = parseBlockSize(head[2]!, file, line);
			} else {
				autoOnline = {file, line, value: head[2]!};
			}

			continue;
		}

		const match = SUMMARY_BLOCK.exec(lineText);
		if (!match) {
			throw parseError(file, line, `not a memory block line ("${lineText.slice(0, 60)}"): expected "memoryN state=online phys_index=… valid_zones=… node=N"; is the file truncated?`);
		}

		const id = Number(match[1]);
		const fields = new Map<string, string>();
		for (const pair of match[2]!.trim().split(/\s+/).filter(Boolean)) {
			const eq = pair.indexOf('=');
			fields.set(pair.slice(0, eq), pair.slice(eq + 1));
		}

		const index = fields.get('phys_index');
		if (index !== undefined && parseHex(index) !== id) {
			throw parseError(file, line, `memory${id} has phys_index ${index}, not its block id 0x${id.toString(16)}; the file is damaged`);
		}

		const state = fields.get('state');
		const node = fields.get('node');
		const removable = fields.get('removable');
		const physDevice = fields.get('phys_device');
		blocks.push({
			file,
			line,
			id,
			state: state === undefined ? undefined : parseState(state, file, line),
			validZones: (fields.get('valid_zones') ?? '').split(',').filter(z => z !== ''),
			node: node === undefined || !/^\d+$/.test(node) ? undefined : Number(node),
			removable: removable === undefined ? undefined : parseRemovable(removable, file, line),
			physDevice: physDevice === undefined ? undefined : parsePhysDevice(physDevice, file, line),
		});
	}

	const byId = new Map<number, MemoryBlock>();
	for (const b of blocks) {
		const first = byId.get(b.id);
		if (first && first.state !== b.state) {
			throw parseError(file, b.line, `contradictory block states: memory${b.id} is ${b.state ?? 'without a state'} here but ${first.state ?? 'without a state'} on line ${first.line}; keep one line per block`);
		}

		byId.set(b.id, b);
	}

	if (blocks.length === 0 && blockSize === undefined) {
		throw parseError(file, undefined, 'no memory block lines in the file; is it empty or truncated?');
	}

	blocks.sort((a, b) => a.id - b.id);
	return {blockSize, autoOnline, blocks};
}

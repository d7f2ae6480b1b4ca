/**
A layout: what `pfnaudit search` generates, audits and shrinks — a topology (docs/topology-format.md)
as plain data, every address and size in bytes, before validation. A layout becomes a Topology
through the same validation as a file (validateTopologyValue: the zod schema and every kernel
rule of source/topology/), without the YAML step, so a generated layout the kernel would refuse
is refused here too; and it becomes the file the search writes (emitLayout), which the same
parser reads back.
*/
import {InputError} from '../errors/input-error.js';
import {PositionIndex} from '../topology/positions.js';
import {formatAddressLiteral, formatSizeLiteral} from '../topology/numbers.js';
import {validateTopologyValue} from '../topology/load.js';
import type {Arch} from '../model/geometry.js';
import type {DeviceState, DeviceType, HotplugState, Topology} from '../topology/types.js';

/** A half-open byte range. */
export type LayoutRange = {readonly start: number; readonly end: number};

export type LayoutBoot = LayoutRange & {
	readonly kind: 'boot';
	readonly node: number;
	/** MEMBLOCK_NOMAP ranges (arm64 only). */
	readonly nomap: readonly LayoutRange[];
};

export type LayoutHotplug = LayoutRange & {
	readonly kind: 'hotplug';
	readonly node: number;
	readonly state: HotplugState;
	/** `blocks:` — memory blocks in another state than `state`. */
	readonly blocks: ReadonlyArray<LayoutRange & {readonly state: HotplugState}>;
};

/** struct vmem_altmap as the file writes it: bytes, `free: auto` or bytes. */
export type LayoutAltmap = {readonly reserve: number; readonly free: number | 'auto'};

export type LayoutDevice = LayoutRange & {
	readonly kind: 'device';
	readonly type: DeviceType;
	readonly node: number;
	readonly state: DeviceState;
	readonly altmap?: LayoutAltmap;
};

export type LayoutEntry = LayoutBoot | LayoutHotplug | LayoutDevice;

export type LayoutOperation =
	| (LayoutRange & {readonly op: 'online' | 'online_movable' | 'offline'})
	| {readonly op: 'remove' | 'teardown'; readonly start: number}
	| (LayoutRange & {
			readonly op: 'create';
			readonly type: DeviceType;
			readonly node: number;
			readonly state: DeviceState;
			readonly altmap?: LayoutAltmap;
	  });

export type Layout = {
	readonly arch: Arch;
	readonly kernel: string;
	readonly config: {readonly debug_vm: boolean; readonly vmemmap: boolean};
	readonly patches: readonly string[];
	readonly memory: readonly LayoutEntry[];
	readonly operations: readonly LayoutOperation[];
	/**
	A phase of the replay audited besides the final state (a phase id such as
	`operations[0]:P4`), or undefined for the final state only.
	*/
	readonly phase?: string;
};

const hexText = (n: number): string => `0x${n.toString(16)}`;

function altmapValue(altmap: LayoutAltmap): Record<string, unknown> {
	return {reserve: hexText(altmap.reserve), free: altmap.free === 'auto' ? 'auto' : hexText(altmap.free)};
}

function entryValue(entry: LayoutEntry): Record<string, unknown> {
	const common = {start: hexText(entry.start), end: hexText(entry.end), node: String(entry.node)};
	switch (entry.kind) {
		case 'boot': {
			return {kind: 'boot', ...common, nomap: entry.nomap.map(r => ({start: hexText(r.start), end: hexText(r.end)}))};
		}

		case 'hotplug': {
			return {
				kind: 'hotplug',
				...common,
				state: entry.state,
				...(entry.blocks.length > 0 ? {blocks: entry.blocks.map(b => ({start: hexText(b.start), end: hexText(b.end), state: b.state}))} : {}),
			};
		}

		case 'device': {
			return {kind: 'device', type: entry.type, ...common, state: entry.state, ...(entry.altmap ? {altmap: altmapValue(entry.altmap)} : {})};
		}
	}
}

function operationValue(op: LayoutOperation): Record<string, unknown> {
	switch (op.op) {
		case 'remove':
		case 'teardown': {
			return {op: op.op, start: hexText(op.start)};
		}

		case 'create': {
			return {
				op: 'create',
				type: op.type,
				start: hexText(op.start),
				end: hexText(op.end),
				node: String(op.node),
				state: op.state,
				...(op.altmap ? {altmap: altmapValue(op.altmap)} : {}),
			};
		}

		default: {
			return {op: op.op, start: hexText(op.start), end: hexText(op.end)};
		}
	}
}

/** The value a topology file of this layout parses to (numbers as source text, document.ts). */
export function layoutValue(layout: Layout, name = 'search'): Record<string, unknown> {
	return {
		name,
		arch: layout.arch,
		kernel: layout.kernel,
		config: {debug_vm: layout.config.debug_vm, vmemmap: layout.config.vmemmap},
		patches: [...layout.patches],
		memory: layout.memory.map(entry => entryValue(entry)),
		operations: layout.operations.map(op => operationValue(op)),
	};
}

/**
The validated Topology of a layout, or the InputError the topology rules give it (the kernel
would refuse the layout). Never throws anything else for a layout of safe integers.
*/
export function layoutTopology(layout: Layout, file = '<search>'): Topology | InputError {
	try {
		return validateTopologyValue(layoutValue(layout), new PositionIndex(), file);
	} catch (error) {
		if (error instanceof InputError) {
			return error;
		}

		throw error;
	}
}

/** One YAML comment line per text line, indented. */
function comment(text: string, indent = ''): string[] {
	return text.split('\n').map(line => (line === '' ? `${indent}#` : `${indent}# ${line}`));
}

function sizeOrEnd(range: LayoutRange): string {
	return `start: ${formatAddressLiteral(range.start)}, size: ${formatSizeLiteral(range.end - range.start)}`;
}

function altmapText(altmap: LayoutAltmap): string {
	return `{reserve: ${formatSizeLiteral(altmap.reserve)}, free: ${altmap.free === 'auto' ? 'auto' : formatSizeLiteral(altmap.free)}}`;
}

export type EmitOptions = {
	readonly name: string;
	readonly description: string;
	/** Comment lines above `name:` (without '#'). */
	readonly header: readonly string[];
	/** A comment above memory[i] / operations[k]. */
	readonly entryNotes?: ReadonlyMap<number, string>;
	readonly operationNotes?: ReadonlyMap<number, string>;
};

/**
The layout as a topology file: YAML in the style of the shipped topologies and of `pfnaudit
import` (0x addresses with `_` every four digits, sizes with a binary suffix), with comments.
Keys at their defaults are left out (`node: 0`, `state: ready`, `debug_vm: true`).
*/
export function emitLayout(layout: Layout, options: EmitOptions): string {
	const lines: string[] = [...options.header.flatMap(line => comment(line))];
	lines.push(`name: ${options.name}`, `description: ${JSON.stringify(options.description)}`, `arch: ${layout.arch}`, `kernel: "${layout.kernel}"`);
	if (!layout.config.debug_vm || !layout.config.vmemmap) {
		lines.push('config:');
		if (!layout.config.debug_vm) {
			lines.push('  debug_vm: false');
		}

		if (!layout.config.vmemmap) {
			lines.push('  vmemmap: false');
		}
	}

	if (layout.patches.length > 0) {
		lines.push(`patches: [${layout.patches.join(', ')}]`);
	}

	lines.push('memory:');
	for (const [i, entry] of layout.memory.entries()) {
		const note = options.entryNotes?.get(i);
		if (note !== undefined) {
			lines.push(...comment(note, '  '));
		}

		lines.push(`  - kind: ${entry.kind}`);
		if (entry.kind === 'device') {
			lines.push(`    type: ${entry.type}`);
		}

		lines.push(`    start: ${formatAddressLiteral(entry.start)}`, `    size: ${formatSizeLiteral(entry.end - entry.start)}`);
		if (entry.node !== 0) {
			lines.push(`    node: ${entry.node}`);
		}

		if (entry.kind === 'boot' && entry.nomap.length > 0) {
			lines.push('    nomap:', ...entry.nomap.map(r => `      - {${sizeOrEnd(r)}}`));
		}

		if (entry.kind === 'hotplug') {
			lines.push(`    state: ${entry.state}`);
			if (entry.blocks.length > 0) {
				lines.push('    blocks:', ...entry.blocks.map(b => `      - {${sizeOrEnd(b)}, state: ${b.state}}`));
			}
		}

		if (entry.kind === 'device') {
			if (entry.altmap) {
				lines.push(`    altmap: ${altmapText(entry.altmap)}`);
			}

			if (entry.state !== 'ready') {
				lines.push(`    state: ${entry.state}`);
			}
		}
	}

	if (layout.operations.length > 0) {
		lines.push('operations:');
		for (const [k, op] of layout.operations.entries()) {
			const note = options.operationNotes?.get(k);
			if (note !== undefined) {
				lines.push(...comment(note, '  '));
			}

			switch (op.op) {
				case 'remove':
				case 'teardown': {
					lines.push(`  - {op: ${op.op}, start: ${formatAddressLiteral(op.start)}}`);
					break;
				}

				case 'create': {
					lines.push(`  - op: create`, `    type: ${op.type}`, `    start: ${formatAddressLiteral(op.start)}`, `    size: ${formatSizeLiteral(op.end - op.start)}`);
					if (op.node !== 0) {
						lines.push(`    node: ${op.node}`);
					}

					if (op.altmap) {
						lines.push(`    altmap: ${altmapText(op.altmap)}`);
					}

					if (op.state !== 'ready') {
						lines.push(`    state: ${op.state}`);
					}

					break;
				}

				default: {
					lines.push(`  - {op: ${op.op}, ${sizeOrEnd(op)}}`);
				}
			}
		}
	}

	return `${lines.join('\n')}\n`;
}

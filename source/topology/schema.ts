/**
The shape of a topology file (docs/topology-format.md) as a zod 4 schema: strict objects (an unknown key is an
error), the name pattern, `size` xor `end`, and the defaults of docs/topology-format.md. Kernel rules (alignment,
overlap, what a kernel version supports) are checked afterwards, in rules-*.ts, on the parsed
value. Numbers arrive as their source text (document.ts) and are read by numbers.ts.
*/
import {z} from 'zod';
import {ARCHES} from '../model/geometry.js';
import {NUMBER_FORMS, parseNumberText} from './numbers.js';
import {plainEntry} from './plain-entries.js';
import {DEVICE_TYPES} from './types.js';

// A topology is parsed once per process: zod's compiled fast path for object schemas (code
// generated with new Function on the first parse) costs more than it saves there.
z.config({jitless: true});

/** A short description of an unexpected value, for messages. */
export function describeValue(value: unknown): string {
	if (value === null) {
		return 'an empty value';
	}

	if (Array.isArray(value)) {
		return 'a list';
	}

	if (typeof value === 'object') {
		return 'a mapping';
	}

	if (typeof value === 'string') {
		return JSON.stringify(value);
	}

	return String(value);
}

function required(input: unknown, expected: string): string {
	return input === undefined ? 'is required' : `must be ${expected}, not ${describeValue(input)}`;
}

/** An address or size in bytes: decimal, 0x hex with _, or a K/M/G/T/P size. */
const bytes = z
	.string({error: iss => required(iss.input, `a number (${NUMBER_FORMS})`)})
	.transform((text, ctx) => {
		const result = parseNumberText(text);
		if (!result.ok) {
			ctx.addIssue({code: 'custom', message: result.error});
			return z.NEVER;
		}

		return result.value;
	});

/** `auto` or a byte count. */
const autoOrBytes = z
	.string({error: iss => required(iss.input, `auto or a number (${NUMBER_FORMS})`)})
	.transform((text, ctx): number | 'auto' => {
		if (text === 'auto') {
			return 'auto';
		}

		const result = parseNumberText(text);
		if (!result.ok) {
			ctx.addIssue({code: 'custom', message: `must be auto or a number: ${result.error}`});
			return z.NEVER;
		}

		return result.value;
	});

/** A small decimal integer (NUMA node, MAX_PHYSMEM_BITS). */
function smallInteger(what: string, max: number) {
	return z.string({error: iss => required(iss.input, what)}).transform((text, ctx) => {
		if (!/^\d+$/.test(text) || Number(text) > max) {
			ctx.addIssue({code: 'custom', message: `must be ${what}, not ${describeValue(text)}`});
			return z.NEVER;
		}

		return Number(text);
	});
}

const flag = z.boolean({error: iss => required(iss.input, 'true or false')});

/**
NUMA node id. MAX_NUMNODES is 1 << CONFIG_NODES_SHIFT; x86_64's NODES_SHIFT allows up to 10,
the largest of the modelled arches.
*/
const node = smallInteger('a NUMA node number from 0 to 1023', 1023);

const range = {
	start: bytes,
	size: bytes.optional(),
	end: bytes.optional(),
};

/** Exactly one of `size` and `end` (the latter exclusive). */
function sizeXorEnd(value: {size?: number | undefined; end?: number | undefined}, ctx: z.RefinementCtx): void {
	if (value.size !== undefined && value.end !== undefined) {
		ctx.addIssue({code: 'custom', path: ['end'], message: 'give either size or end (exclusive), not both'});
	} else if (value.size === undefined && value.end === undefined) {
		ctx.addIssue({code: 'custom', path: ['size'], message: 'is required (or give end:, the exclusive end address)'});
	}
}

const nomapRange = z.strictObject(range).superRefine(sizeXorEnd);
/** HugeTLB pages allocated at boot (source/model/hugetlb-vmemmap.ts): whole pages of page_size. */
const hugetlbRange = z.strictObject({...range, page_size: bytes.default(2 ** 21)}).superRefine(sizeXorEnd);

const bootEntry = z
	.strictObject({
		kind: z.literal('boot'),
		...range,
		node: node.default(0),
		nomap: z.array(nomapRange, {error: iss => required(iss.input, 'a list of {start, size} ranges')}).default([]),
		cma: z.array(nomapRange, {error: iss => required(iss.input, 'a list of {start, size} ranges')}).default([]),
		hugetlb: z.array(hugetlbRange, {error: iss => required(iss.input, 'a list of {start, size, page_size} ranges')}).default([]),
	})
	.superRefine(sizeXorEnd);

const HOTPLUG_STATES = ['offline', 'online', 'online_movable', 'offlined'] as const;
const DEVICE_STATES = ['ready', 'initializing', 'teardown'] as const;

const blockStates = z
	.strictObject({
		...range,
		state: z.enum(HOTPLUG_STATES, {error: iss => required(iss.input, `one of ${HOTPLUG_STATES.join(', ')}`)}),
	})
	.superRefine(sizeXorEnd);

const hotplugEntry = z
	.strictObject({
		kind: z.literal('hotplug'),
		...range,
		node: node.default(0),
		// The kernel's default online policy (memhp_default_online_type without
		// CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE, auto_online_blocks=offline) leaves new blocks offline.
		state: z.enum(HOTPLUG_STATES, {error: iss => required(iss.input, `one of ${HOTPLUG_STATES.join(', ')}`)}).default('offline'),
		/** Memory blocks of this add_memory() in another state than `state` (docs/topology-format.md). */
		blocks: z.array(blockStates, {error: iss => required(iss.input, 'a list of {start, size, state} block ranges')}).optional(),
		/** MHP_MEMMAP_ON_MEMORY: the memmap of each block in the block's first pages (v5.13+). */
		memmap_on_memory: flag.default(false),
	})
	.superRefine(sizeXorEnd);

const altmap = z.strictObject(
	{
		/** Default: the nvdimm info block, ALIGN(SZ_8K, PAGE_SIZE) (nd_info_block_reserve()). */
		reserve: bytes.optional(),
		free: autoOrBytes.default('auto'),
	},
	{error: iss => required(iss.input, 'a mapping with reserve and free')},
);

/** What a device is, whether the topology lists it or an operation creates it later. */
const deviceFields = {
	type: z.enum(DEVICE_TYPES, {error: iss => required(iss.input, `one of ${DEVICE_TYPES.join(', ')}`)}),
	...range,
	node: node.default(0),
	altmap: altmap.optional(),
	/** ndctl create-namespace --align: compound pages for device-dax above PAGE_SIZE (v5.17+). */
	align: bytes.optional(),
	state: z.enum(DEVICE_STATES, {error: iss => required(iss.input, `one of ${DEVICE_STATES.join(', ')}`)}).default('ready'),
};

const deviceEntry = z
	.strictObject({kind: z.literal('device'), ...deviceFields})
	.superRefine(sizeXorEnd);

export const entrySchema = z.discriminatedUnion('kind', [bootEntry, hotplugEntry, deviceEntry], {
	error: iss => (iss.code === 'invalid_union' ? 'kind must be one of boot, hotplug, device' : undefined),
});

/** What the kernel did after the first replay, in order (docs/topology-format.md "Operations"). */
export const OPERATION_KINDS = ['online', 'online_movable', 'offline', 'remove', 'teardown', 'create'] as const;

const blockOperation = z
	.strictObject({op: z.enum(['online', 'online_movable', 'offline']), ...range})
	.superRefine(sizeXorEnd);

/** remove and teardown name the range of the entry they end: its start (size or end optional). */
const endOperation = z.strictObject({op: z.enum(['remove', 'teardown']), start: bytes, size: bytes.optional(), end: bytes.optional()});

const createOperation = z
	.strictObject({op: z.literal('create'), ...deviceFields})
	.superRefine(sizeXorEnd);

const operation = z.union([blockOperation, endOperation, createOperation], {
	error: iss => (iss.code === 'invalid_union' ? `op must be one of ${OPERATION_KINDS.join(', ')}` : undefined),
});

const config = z.strictObject(
	{
		debug_vm: flag.default(true),
		vmemmap: flag.default(true),
		max_physmem_bits: smallInteger('a number of bits such as 46 or 52', 64).optional(),
		memory_block_size: autoOrBytes.default('auto'),
		/** X86_FEATURE_HYPERVISOR for probe_memory_block_size() (pfnaudit knob, not in docs/topology-format.md's list). */
		hypervisor: flag.default(false),
		/** CONFIG_DEFERRED_STRUCT_PAGE_INIT (source/model/deferred-init.ts). */
		deferred_struct_page_init: flag.default(false),
		/** HVO, hugetlb vmemmap optimization (source/model/hugetlb-vmemmap.ts). */
		hugetlb_vmemmap: flag.default(false),
		/** arm64's firmware DMA limit, inclusive (source/model/zones.ts arm64Zones()). */
		dma_limit: bytes.refine(value => value > 0, {error: 'must be the highest address DMA reaches, above 0 (such as 0x3fffffff for 30-bit DMA)'}).optional(),
		/**
		Which pfns a user can put behind a VM_PFNMAP mapping (source/walker/pfnmap.ts): CONFIG_STRICT_DEVMEM
		and CONFIG_IO_STRICT_DEVMEM (default per arch: resolved in load.ts), a driver's PFNMAP of device
		memory (default true), a driver's ioremap() of System RAM (default false).
		*/
		strict_devmem: flag.optional(),
		io_strict_devmem: flag.optional(),
		device_pfnmap: flag.default(true),
		ioremap_ram: flag.default(false),
	},
	{error: iss => required(iss.input, 'a mapping')},
);

export const NAME_PATTERN = /^[a-z0-9._-]+$/;

export const topologySchema = z.strictObject(
	{
		name: z
			.string({error: iss => required(iss.input, 'a name such as x86-pmem-fsdax')})
			.regex(NAME_PATTERN, {error: 'must match [a-z0-9._-]+ (lower case letters, digits, dot, underscore, dash)'}),
		description: z.string({error: iss => required(iss.input, 'text')}).default(''),
		arch: z.enum(ARCHES, {error: iss => required(iss.input, `one of ${ARCHES.join(', ')}`)}),
		kernel: z.string({error: iss => required(iss.input, 'a version "MAJOR.MINOR" such as "6.12"')}),
		config: config.default({debug_vm: true, vmemmap: true, memory_block_size: 'auto', hypervisor: false, deferred_struct_page_init: false, hugetlb_vmemmap: false, device_pfnmap: true, ioremap_ram: false}),
		patches: z.array(z.string({error: iss => required(iss.input, 'a patch name')}), {error: iss => required(iss.input, 'a list of patch names')}).default([]),
		memory: z
			.array(entrySchema, {error: iss => required(iss.input, 'a list of memory entries')})
			.min(1, {error: 'must list at least one boot entry: a machine without memblock.memory does not boot'}),
		operations: z.array(operation, {error: iss => required(iss.input, 'a list of operations ({op: online, start, size}, …)')}).default([]),
	},
	{error: iss => (iss.input === undefined || iss.input === null || typeof iss.input !== 'object' || Array.isArray(iss.input)
		? 'a topology file must be a mapping with name, arch, kernel and memory'
		: undefined)},
);

export type RawTopology = z.output<typeof topologySchema>;
export type RawEntry = RawTopology['memory'][number];
export type RawConfig = RawTopology['config'];
export type RawOperation = RawTopology['operations'][number];

/** topologySchema with `memory:` taken as it is: what parseTopologyShape() checks besides the entries. */
const shellSchema = topologySchema.extend({memory: z.unknown()});

/**
topologySchema.safeParse(value), with each memory entry read by plain-entries.ts where it can
(the entry schema where it cannot): the same data. Whatever fails is parsed again by
topologySchema whole, so the issues, and the message made of them, are the schema's own.
*/
export function parseTopologyShape(value: unknown): ReturnType<typeof topologySchema.safeParse> {
	const shell = shellSchema.safeParse(value);
	const memory = shell.success ? shell.data.memory : undefined;
	if (!shell.success || !Array.isArray(memory) || memory.length === 0) {
		return topologySchema.safeParse(value);
	}

	const entries: RawEntry[] = [];
	for (const item of memory) {
		const plain = plainEntry(item) as RawEntry | undefined;
		if (plain !== undefined) {
			entries.push(plain);
			continue;
		}

		const parsed = entrySchema.safeParse(item);
		if (!parsed.success) {
			return topologySchema.safeParse(value);
		}

		entries.push(parsed.data);
	}

	return {success: true, data: {...shell.data, memory: entries}};
}

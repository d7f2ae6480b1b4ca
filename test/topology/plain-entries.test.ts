/**
plainEntry() (source/topology/plain-entries.ts) reads memory entries without zod: for every entry it
reads, it must give what the entry schema gives (the same keys in the same order, the same
values), and it must leave to zod every entry zod refuses.
*/
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import {readDocument} from '../../source/topology/document.js';
import {plainEntry} from '../../source/topology/plain-entries.js';
import {entrySchema, parseTopologyShape, topologySchema} from '../../source/topology/schema.js';

/** The value with its keys in order: toEqual() does not look at the order of keys, JSON does. */
function ordered(value: unknown): string {
	return JSON.stringify(value, (_key, v: unknown) => (v === undefined ? '<undefined>' : v));
}

/** Values a topology key may hold, well formed or not. */
const scalar = fc.oneof(
	fc.constantFrom('0', '0x1000', '0x1_0000_0000', '128M', '4G', '2P', '0x20000000000000', '9007199254740992', ' 0x2000 ', '', '-4096', '1.5G', '4g', '0x_1'),
	fc.constantFrom('boot', 'hotplug', 'device', 'fsdax', 'devdax', 'generic', 'private', 'coherent', 'p2pdma', 'pmem'),
	fc.constantFrom('offline', 'online', 'online_movable', 'offlined', 'ready', 'initializing', 'teardown', 'auto', 'Auto'),
	fc.constantFrom('0', '1', '01', '1023', '1024', 'x'),
	fc.boolean(),
	fc.constant(null),
	fc.integer({min: 0, max: 4096}),
);

const KEYS = ['kind', 'type', 'start', 'size', 'end', 'node', 'state', 'altmap', 'align', 'memmap_on_memory', 'nomap', 'cma', 'hugetlb', 'blocks', 'page_size', 'free'];

const altmapValue = fc.oneof(
	fc.dictionary(fc.constantFrom('reserve', 'free', 'base'), scalar, {maxKeys: 3}),
	scalar,
	fc.constant([]),
);

/** A mapping of some of an entry's keys (and a few it must not have), most with a fitting kind. */
const entryArb = fc.tuple(
	fc.constantFrom('boot', 'hotplug', 'device', 'other', undefined),
	fc.dictionary(fc.constantFrom(...KEYS), scalar, {maxKeys: 6}),
	fc.option(altmapValue, {nil: undefined}),
	fc.option(fc.constantFrom([], [{start: '0', size: '4K'}]), {nil: undefined}),
).map(([kind, rest, altmap, list]) => {
	const entry: Record<string, unknown> = {...rest};
	if (kind !== undefined) {
		entry['kind'] = kind;
	}

	if (altmap !== undefined) {
		entry['altmap'] = altmap;
	}

	if (list !== undefined) {
		entry['nomap'] = list;
	}

	return entry;
});

/** Entries that are mostly well formed: one of each kind with its range and usual keys. */
const likelyEntryArb = fc.tuple(
	fc.constantFrom('boot', 'hotplug', 'device'),
	fc.constantFrom('0x1000', '0x1_0000_0000', '4G', ' 0x2000 ', '0x20000000000000'),
	fc.constantFrom('size', 'end', 'size', 'end', 'both'),
	fc.constantFrom('128M', '0x8000000', '2G', '0'),
	fc.option(fc.constantFrom('0', '3', '1023', '1024'), {nil: undefined}),
	fc.option(fc.constantFrom('online', 'offlined', 'ready', 'teardown', 'initializing'), {nil: undefined}),
	fc.option(fc.constantFrom('fsdax', 'devdax', 'p2pdma', 'pmem'), {nil: undefined}),
	fc.option(fc.constantFrom<Record<string, unknown>>({}, {free: 'auto'}, {reserve: '8K', free: '2M'}, {free: 'none'}), {nil: undefined}),
	fc.option(fc.constantFrom(true, false, 'yes'), {nil: undefined}),
	fc.integer({min: 0, max: 9}),
).map(([kind, start, sizeKey, size, node, state, type, altmap, onMemory, noise]) => {
	const entry: Record<string, unknown> = {kind, start};
	// Most keys go to the kind that has them; one entry in ten gets them whatever its kind.
	const any = noise === 0;
	if (sizeKey === 'both') {
		entry['size'] = size;
		entry['end'] = '8G';
	} else {
		entry[sizeKey] = size;
	}

	const keys = {
		node,
		state: any || kind !== 'boot' ? state : undefined,
		type: any || kind === 'device' ? type : undefined,
		altmap: any || kind === 'device' ? altmap : undefined,
		memmap_on_memory: any || kind === 'hotplug' ? onMemory : undefined,
	};
	for (const [key, value] of Object.entries(keys)) {
		if (value !== undefined) {
			entry[key] = value;
		}
	}

	return entry;
});

function expectAsSchema(entry: Record<string, unknown>): 'read' | 'left' {
	const plain = plainEntry(entry);
	const parsed = entrySchema.safeParse(entry);
	if (plain === undefined) {
		return 'left';
	}

	expect(parsed.success, `zod refuses ${ordered(entry)}, which plainEntry() read`).toBe(true);
	expect(ordered(plain)).toBe(ordered(parsed.data));
	expect(plain).toStrictEqual(parsed.data);
	return 'read';
}

describe('plainEntry', () => {
	test('A test over random entries, well formed or not. Expect every entry it reads to be read as the entry schema reads it, and the rest left to zod', () => {
		let read = 0;
		fc.assert(fc.property(fc.oneof(entryArb, likelyEntryArb), entry => {
			if (expectAsSchema(entry) === 'read') {
				read++;
			}
		}), {numRuns: 3000});
		// The property is about something: many of the entries were read without zod.
		expect(read).toBeGreaterThan(300);
	});

	test('A test over a generated 1 000-entry topology (boot, hotplug and device entries, altmaps). Expect every entry read without zod, as zod reads it', () => {
		const {value} = readDocument(generateTopology(1000).yaml, 'scale.yaml');
		const memory = (value as {memory: Array<Record<string, unknown>>}).memory;
		for (const entry of memory) {
			expect(expectAsSchema(entry)).toBe('read');
		}
	});

	test('A test of entries it leaves to zod: lists, an unknown key, both size and end, a bad number. Expect undefined', () => {
		const range = {start: '0', size: '4G'};
		expect(plainEntry({kind: 'boot', ...range, nomap: [{start: '0', size: '4K'}]})).toBeUndefined();
		expect(plainEntry({kind: 'hotplug', ...range, blocks: []})).toBeUndefined();
		expect(plainEntry({kind: 'boot', ...range, type: 'fsdax'})).toBeUndefined();
		expect(plainEntry({kind: 'boot', ...range, end: '8G'})).toBeUndefined();
		expect(plainEntry({kind: 'boot', start: '0x_1', size: '4G'})).toBeUndefined();
		expect(plainEntry({kind: 'device', type: 'pmem', ...range})).toBeUndefined();
	});
});

describe('parseTopologyShape', () => {
	const header = {name: 't', arch: 'x86_64', kernel: '6.12'};

	test('A test of a topology with entries read both ways (a boot entry with nomap: goes to zod). Expect the schema\'s own data, keys in order', () => {
		const value = {
			...header,
			memory: [
				{kind: 'boot', start: '0', size: '4G', nomap: [{start: '0x1000', size: '4K'}]},
				{kind: 'hotplug', start: '4G', size: '128M', state: 'online'},
				{kind: 'device', type: 'fsdax', start: '0x140000000', size: '256M', altmap: {}},
			],
		};
		const shape = parseTopologyShape(structuredClone(value));
		const schema = topologySchema.safeParse(structuredClone(value));
		expect(shape.success).toBe(true);
		expect(ordered(shape.data)).toBe(ordered(schema.data));
	});

	test('A test of topologies zod refuses, in an entry and beside the entries. Expect the schema\'s own issues', () => {
		for (const value of [
			{...header, memory: [{kind: 'boot', start: '0', size: '4G'}, {kind: 'device', type: 'fsdax', start: '0x_1', size: '128M'}]},
			{...header, memory: [{kind: 'boot', start: '0', size: '4G'}], config: {debugvm: false}},
			{...header, memory: []},
			{...header, memory: 'none'},
		]) {
			const shape = parseTopologyShape(value);
			expect(shape.success).toBe(false);
			expect(shape.error!.issues).toEqual(topologySchema.safeParse(value).error!.issues);
		}
	});
});

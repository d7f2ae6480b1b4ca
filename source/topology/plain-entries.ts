/**
The common memory entry read without zod (issue 10: zod's per-entry schema was a quarter of
reading a 10 000-entry topology, some 10 µs an entry). plainEntry() gives exactly what the entry
schema of schema.ts gives for an entry it can read — the same keys in the same order, the same
defaults and numbers — or undefined, and the caller then asks zod. It reads only what the
generated and imported topologies are made of: a boot, hotplug or device entry whose values are
strings of the accepted forms, with `altmap:` and without `nomap:`, `cma:`, `hugetlb:` or `blocks:`
lists. Anything else, and anything wrong, goes to zod, which also gives every message: this path
never reports an error. test/topology/plain-entries.test.ts checks it against the schema on
random entries.
*/
import {parseNumberText} from './numbers.js';
import {DEVICE_TYPES} from './types.js';

type Entry = Record<string, unknown>;

const BOOT_KEYS = new Set(['kind', 'start', 'size', 'end', 'node', 'nomap', 'cma', 'hugetlb']);
const HOTPLUG_KEYS = new Set(['kind', 'start', 'size', 'end', 'node', 'state', 'blocks', 'memmap_on_memory']);
const DEVICE_KEYS = new Set(['kind', 'type', 'start', 'size', 'end', 'node', 'altmap', 'align', 'state']);
const ALTMAP_KEYS = new Set(['reserve', 'free']);
const HOTPLUG_STATES = new Set(['offline', 'online', 'online_movable', 'offlined']);
const DEVICE_STATES = new Set(['ready', 'initializing', 'teardown']);
const TYPES = new Set<string>(DEVICE_TYPES);

/** A plain object whose every key is in `keys` and whose every value is defined (zod reads `in` and for…in alike then). */
function plainWith(value: unknown, keys: ReadonlySet<string>): value is Entry {
	if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
		return false;
	}

	for (const key in value) {
		if (!keys.has(key) || (value as Entry)[key] === undefined) {
			return false;
		}
	}

	return true;
}

/** NaN for what `bytes` of schema.ts refuses. */
function bytes(value: unknown): number {
	if (typeof value !== 'string') {
		return Number.NaN;
	}

	const result = parseNumberText(value);
	return result.ok ? result.value : Number.NaN;
}

/** The range keys as the schema writes them (start, then size or end, whichever is given), or false. */
function range(input: Entry, out: Entry): boolean {
	const start = bytes(input['start']);
	if (Number.isNaN(start)) {
		return false;
	}

	out['start'] = start;
	const hasSize = input['size'] !== undefined;
	const hasEnd = input['end'] !== undefined;
	if (hasSize === hasEnd) {
		return false; // sizeXorEnd()
	}

	const value = bytes(hasSize ? input['size'] : input['end']);
	if (Number.isNaN(value)) {
		return false;
	}

	out[hasSize ? 'size' : 'end'] = value;
	return true;
}

/** `node` of schema.ts: a decimal 0..1023, 0 when absent; NaN when refused. */
function node(value: unknown): number {
	if (value === undefined) {
		return 0;
	}

	return typeof value === 'string' && /^\d+$/.test(value) && Number(value) <= 1023 ? Number(value) : Number.NaN;
}

/** `altmap` of schema.ts: {reserve?, free}; undefined when refused. */
function altmap(value: unknown): Entry | undefined {
	if (!plainWith(value, ALTMAP_KEYS)) {
		return undefined;
	}

	const out: Entry = {};
	if (value['reserve'] !== undefined) {
		const reserve = bytes(value['reserve']);
		if (Number.isNaN(reserve)) {
			return undefined;
		}

		out['reserve'] = reserve;
	}

	const free = value['free'];
	if (free === undefined || free === 'auto') {
		out['free'] = 'auto';
	} else {
		const pages = bytes(free);
		if (Number.isNaN(pages)) {
			return undefined;
		}

		out['free'] = pages;
	}

	return out;
}

/** What the entry schema of schema.ts gives for `input`, or undefined: ask zod. */
export function plainEntry(input: unknown): Entry | undefined {
	if (input === null || typeof input !== 'object') {
		return undefined;
	}

	switch ((input as Entry)['kind']) {
		case 'boot': {
			return plainWith(input, BOOT_KEYS) ? boot(input) : undefined;
		}

		case 'hotplug': {
			return plainWith(input, HOTPLUG_KEYS) ? hotplug(input) : undefined;
		}

		case 'device': {
			return plainWith(input, DEVICE_KEYS) ? device(input) : undefined;
		}

		default: {
			return undefined;
		}
	}
}

function boot(input: Entry): Entry | undefined {
	if (input['nomap'] !== undefined || input['cma'] !== undefined || input['hugetlb'] !== undefined) {
		return undefined;
	}

	const out: Entry = {kind: 'boot'};
	const nid = node(input['node']);
	if (!range(input, out) || Number.isNaN(nid)) {
		return undefined;
	}

	out['node'] = nid;
	out['nomap'] = [];
	out['cma'] = [];
	out['hugetlb'] = [];
	return out;
}

function hotplug(input: Entry): Entry | undefined {
	if (input['blocks'] !== undefined) {
		return undefined;
	}

	const out: Entry = {kind: 'hotplug'};
	const nid = node(input['node']);
	const state = input['state'] ?? 'offline';
	const memmapOnMemory = input['memmap_on_memory'] ?? false;
	if (!range(input, out) || Number.isNaN(nid) || typeof state !== 'string' || !HOTPLUG_STATES.has(state) || typeof memmapOnMemory !== 'boolean') {
		return undefined;
	}

	out['node'] = nid;
	out['state'] = state;
	out['memmap_on_memory'] = memmapOnMemory;
	return out;
}

function device(input: Entry): Entry | undefined {
	const type = input['type'];
	if (typeof type !== 'string' || !TYPES.has(type)) {
		return undefined;
	}

	const out: Entry = {kind: 'device', type};
	const nid = node(input['node']);
	if (!range(input, out) || Number.isNaN(nid)) {
		return undefined;
	}

	out['node'] = nid;
	if (input['altmap'] !== undefined) {
		const map = altmap(input['altmap']);
		if (map === undefined) {
			return undefined;
		}

		out['altmap'] = map;
	}

	if (input['align'] !== undefined) {
		const align = bytes(input['align']);
		if (Number.isNaN(align)) {
			return undefined;
		}

		out['align'] = align;
	}

	const state = input['state'] ?? 'ready';
	if (typeof state !== 'string' || !DEVICE_STATES.has(state)) {
		return undefined;
	}

	out['state'] = state;
	return out;
}

/**
A Model as plain data and back, and as the bytes the thread that built a model sends to the
worker threads (source/engine/audit.ts, pool.ts) so that no worker replays the topology again.
*/
import {Buffer} from 'node:buffer';
import {deserialize, serialize} from 'node:v8';
import {InternalError} from '../errors/internal-error.js';
import {ALIGN, hex} from './geometry.js';
import {findRun, runStarts} from './runs.js';
import type {Topology, TopologyEntry} from '../topology/types.js';
import type {Model, PfnState, Phase, Run} from './types.js';

/** A Model without its method: plain data, what crosses to the worker threads (structured clone). */
export type ModelData = Omit<Model, 'runAt'>;

/** The data of a model, for v8.serialize() / postMessage(); it reads Model.phases (worked out on demand, thawModel()). */
export function modelData(model: Model): ModelData {
	const {runAt: _, ...data} = model;
	return data;
}

/**
What a worker thread needs of a model to walk it: the data without the topology's source text and
warnings, and with only the phase it is (Model.phases has an entry per operation of the replay:
220 000 at 100 000 entries). The audit's thread, which builds the report, keeps the whole model.
At 100 000 topology entries this is a third less to serialize, deserialize and hold in every
worker (issue 10: memory at scale). Copied field by field in the model's order, not spread: a
spread would read Model.phases, which a built model works out only when first read.
*/
export function workerModelData(model: Model): ModelData {
	const {source: _source, ...rest} = model.topology;
	const data: Record<string, unknown> = {};
	for (const key of Object.keys(model)) {
		if (key === 'phases') {
			data[key] = [model.phase];
		} else if (key === 'topology') {
			data[key] = {...rest, warnings: []};
		} else if (key !== 'runAt') {
			data[key] = model[key as keyof Model];
		}
	}

	return data as ModelData;
}

/** The data of a model whose phases are worked out when first read (buildModel()). */
export type PhasesOnDemand = Omit<ModelData, 'phases'> & {readonly phases: () => readonly Phase[]};

/**
A Model from its data (built here, or received from the thread that built it). When `phases` is a
function (buildModel()), Model.phases is a getter that calls it the first time it is read and is
then replaced by what it returned: an audit of the final state alone never reads them.
*/
export function thawModel(data: ModelData | PhasesOnDemand): Model {
	const {runs, end_pfn, phases: given} = data;
	const model: Model = {
		...data,
		phases: typeof given === 'function' ? [] : given,
		runAt(pfn: number): Run {
			if (!Number.isSafeInteger(pfn) || pfn < 0 || pfn >= end_pfn) {
				throw new InternalError(`runAt(${pfn}): outside the modelled space [0, ${hex(end_pfn)})`);
			}

			return findRun(runs, pfn);
		},
	};
	if (typeof given === 'function') {
		// Redefined in place, so that the property keeps its place among the model's keys; on the
		// first read it becomes the phases themselves.
		Object.defineProperty(model, 'phases', {
			enumerable: true,
			configurable: true,
			get(): readonly Phase[] {
				const phases = given();
				Object.defineProperty(model, 'phases', {value: phases, enumerable: true, writable: true, configurable: true});
				return phases;
			},
		});
	}

	return model;
}

// ---------------------------------------------------------------------------------------------
// The bytes the workers read

/** Words of the header of SharedModel.flat (Float64): runs, distinct states, state fields, bytes of reason text. */
const HEADER_WORDS = 4;

/** The column id of a state that lacks the field (PfnState.detail is optional). */
const ABSENT = 0xffff_ffff;

/** Where each part lies in SharedModel.flat (byte offsets, each a multiple of 8). */
function layout(runCount: number, stateCount: number, fieldCount: number, textBytes: number) {
	const starts = HEADER_WORDS * 8;
	const stateOf = starts + (runCount + 1) * 8;
	const reasonEnds = ALIGN(stateOf + runCount * 4, 8);
	const columns = ALIGN(reasonEnds + stateCount * 4, 8);
	const text = ALIGN(columns + fieldCount * stateCount * 4, 8);
	return {starts, stateOf, reasonEnds, columns, text, size: text + textBytes};
}

/**
The model of one phase as the worker threads get it (modelBytes()), in three SharedArrayBuffers
that every worker of the audit shares: `flat` and `entries` are read in place for as long as the
model is walked, `rest` is deserialized once by each worker and then let go (held in one buffer
with `flat`, it would stay resident for the whole audit).
*/
export type SharedModel = {
	/** Run bounds, the number of each run's state, each state's fields by number, the reason text of each state. */
	readonly flat: SharedArrayBuffer;
	/** The topology entries (Model.entries) by column (entryBytes()). */
	readonly entries: SharedArrayBuffer;
	/** Everything else, v8-serialized: what workerModelData() keeps but the runs and entries, and the distinct values of each state and entry field. */
	readonly rest: SharedArrayBuffer;
};

/** Bytes of a SharedModel (source/engine/pool.ts builtinHeapMb()). */
export function sharedModelBytes(shared: SharedModel): number {
	return shared.flat.byteLength + shared.entries.byteLength + shared.rest.byteLength;
}

/** What SharedModel.rest holds. */
type RestData = Omit<ModelData, 'runs' | 'entries' | 'topology'> & {
	/** The topology without its `memory` when that is Model.entries (read from SharedModel.entries). */
	readonly topology: Omit<Topology, 'memory'> & {readonly memory?: Topology['memory']};
	/** The fields of the states but `reason`, in the order of the columns. */
	readonly fields: readonly string[];
	/**
	Per field, its distinct values (objects by identity, as the model shares them): a column holds
	indexes into it. A field whose values are all flat records (the predicate answers, memmaps,
	sections) carries them packed (packRecords()).
	*/
	readonly values: ReadonlyArray<readonly unknown[] | PackedRecords>;
	/** How SharedModel.entries is laid out. */
	readonly entryLayout: EntryLayout;
};

/** Numbers distinct values (by identity) in the order they are first seen. */
class Numbering<T> {
	readonly values: T[] = [];
	private readonly numbers = new Map<T, number>();

	of(value: T): number {
		let n = this.numbers.get(value);
		if (n === undefined) {
			n = this.values.length;
			this.values.push(value);
			this.numbers.set(value, n);
		}

		return n;
	}
}

/**
The model of one phase for the worker threads, in SharedArrayBuffers they all read (source/
engine/pool.ts hands the same buffers to every worker): what workerModelData() keeps, with the
runs and their states laid out flat instead of serialized as objects.

- run bounds: one Float64Array (each run's start, then end_pfn), and the number of each run's
  state in a Uint32Array: a worker makes its runs from them instead of deserializing 225 000
  run objects at 100 000 topology entries;
- the distinct states (154 000 there) by column: per field a Uint32Array of indexes into the
  field's distinct values, the values (a few thousand objects: the model shares one object per
  distinct section, memmap, predicate answers and detail, source/model/runs.ts) serialized once.
  Serializing the states as objects took a copy of each and twice their serialized size at once
  in the audit's thread;
- the reason of each state (`PfnState.reason`, one sentence read only when a witness is
  written) as UTF-8 text, decoded when asked: a worker no longer holds the 136 000 sentences of a
  100 000-entry model (some 28 MiB each);
- the topology entries (Model.entries, the topology's `memory`) by column in a buffer of their
  own (entryBytes()), read through one Proxy an entry (entryViews()): deserialized, they were
  29 MiB of each worker's heap at 100 000 entries.
*/
export function modelBytes(model: Model): SharedModel {
	const {runs, ...data} = workerModelData(model);
	const numbering = new Numbering<PfnState>();
	const stateOf = new Uint32Array(runs.length);
	for (let i = 0; i < runs.length; i++) {
		stateOf[i] = numbering.of(runs[i]!.state);
	}

	const states = numbering.values;

	const fields: string[] = [];
	for (const state of states) {
		for (const key of Object.keys(state)) {
			if (key !== 'reason' && !fields.includes(key)) {
				fields.push(key);
			}
		}
	}

	let textBytes = 0;
	const reasonEnds = new Uint32Array(states.length);
	for (const [n, state] of states.entries()) {
		textBytes += Buffer.byteLength(state.reason, 'utf8');
		reasonEnds[n] = textBytes;
	}

	const at = layout(runs.length, states.length, fields.length, textBytes);
	const bytes = new SharedArrayBuffer(at.size);
	new Float64Array(bytes, 0, HEADER_WORDS).set([runs.length, states.length, fields.length, textBytes]);
	// A worker has only the starts: the runs must tile [0, end_pfn) (runStarts() checks).
	new Float64Array(bytes, at.starts, runs.length + 1).set(runStarts(runs, model.end_pfn));
	new Uint32Array(bytes, at.stateOf, runs.length).set(stateOf);
	new Uint32Array(bytes, at.reasonEnds, states.length).set(reasonEnds);
	const values = fields.map((field, f) => {
		const column = new Uint32Array(bytes, at.columns + f * states.length * 4, states.length);
		const distinct = new Numbering<unknown>();
		for (const [n, state] of states.entries()) {
			column[n] = Object.hasOwn(state, field) ? distinct.of((state as Record<string, unknown>)[field]) : ABSENT;
		}

		return distinct.values;
	});
	const text = Buffer.from(bytes, at.text, textBytes);
	let offset = 0;
	for (const state of states) {
		offset += text.write(state.reason, offset, 'utf8');
	}

	const {entries, topology, ...others} = data;
	const {memory, ...topologyRest} = topology;
	const laidOut = entryBytes(entries);
	const rest = serialize({
		...others,
		// Model.entries is the topology's `memory` (buildModel()); a hand-built model may differ.
		topology: memory === entries ? topologyRest : topology,
		fields,
		values: values.map(distinct => packRecords(distinct) ?? distinct),
		entryLayout: laidOut.layout,
	} satisfies RestData);
	const restBytes = new SharedArrayBuffer(rest.length);
	new Uint8Array(restBytes).set(rest);
	return {flat: bytes, entries: laidOut.bytes, rest: restBytes};
}

/**
Flat records (plain objects whose values are all primitives) as SharedModel.rest carries them:
their key lists, and per key its distinct values and each record's index into them.
v8.serialize() writes every key and value of every object: the 33 000 distinct predicate answers
of a 100 000-entry model (sixteen keys each) were 10.5 of the 19.8 MB of its `rest`, which the
audit's thread holds twice while it lays the model out (serialized, then copied into shared
memory) and then once for the whole audit (issue 10: memory at scale).
*/
type PackedRecords = {
	readonly count: number;
	/** The distinct key lists, in each record's own order. */
	readonly shapes: ReadonlyArray<readonly string[]>;
	readonly shapeOf: Uint32Array;
	readonly keys: readonly string[];
	/** Per key of `keys`, its distinct values (by SameValueZero: no -0 among them) … */
	readonly distinct: ReadonlyArray<readonly unknown[]>;
	/** … and each record's index into them (0 for a record without the key), in as few bytes as they need. */
	readonly ids: ReadonlyArray<Uint8Array | Uint16Array | Uint32Array>;
};

function isFlatRecord(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype || Object.getOwnPropertySymbols(value).length > 0) {
		return false;
	}

	for (const key of Object.getOwnPropertyNames(value)) {
		// Assigned back, an own `__proto__` would set the prototype instead.
		if (key === '__proto__') {
			return false;
		}

		const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
		const field = descriptor.value as unknown;
		if (!descriptor.enumerable || descriptor.get !== undefined || descriptor.set !== undefined || Object.is(field, -0) || (typeof field === 'object' && field !== null) || typeof field === 'function' || typeof field === 'symbol' || typeof field === 'bigint') {
			return false;
		}
	}

	return true;
}

/** Indexes below `count` in as few bytes each as they need. */
function narrowed(ids: Uint32Array, count: number): Uint8Array | Uint16Array | Uint32Array {
	return count <= 0x100 ? Uint8Array.from(ids) : count <= 0x1_0000 ? Uint16Array.from(ids) : ids;
}

/** `values` packed (PackedRecords), or undefined unless there are some and every one is a flat record. */
function packRecords(values: readonly unknown[]): PackedRecords | undefined {
	if (values.length === 0 || !values.every(isFlatRecord)) {
		return undefined;
	}

	const records = values as ReadonlyArray<Record<string, unknown>>;
	const count = records.length;
	const shapes = new Numbering<string>();
	const shapeKeys: string[][] = [];
	const shapeOf = new Uint32Array(count);
	const keys: string[] = [];
	const distinct: Array<Numbering<unknown>> = [];
	const ids: Uint32Array[] = [];
	for (let n = 0; n < count; n++) {
		const record = records[n]!;
		const own = Object.keys(record);
		const shape = shapes.of(own.join('\u0000'));
		if (shape === shapeKeys.length) {
			shapeKeys.push(own);
		}

		shapeOf[n] = shape;
		for (const key of own) {
			let k = keys.indexOf(key);
			if (k < 0) {
				k = keys.push(key) - 1;
				distinct.push(new Numbering<unknown>());
				ids.push(new Uint32Array(count));
			}

			ids[k]![n] = distinct[k]!.of(record[key]);
		}
	}

	return {count, shapes: shapeKeys, shapeOf, keys, distinct: distinct.map(numbering => numbering.values), ids: ids.map((column, k) => narrowed(column, distinct[k]!.values.length))};
}

function isPacked(values: readonly unknown[] | PackedRecords): values is PackedRecords {
	return !Array.isArray(values);
}

/** The records packRecords() packed, each a plain object with its keys in its own order. */
function unpackRecords(packed: PackedRecords): Array<Record<string, unknown>> {
	const {count, shapes, shapeOf, keys, distinct, ids} = packed;
	const keyIndexes = shapes.map(shape => shape.map(key => keys.indexOf(key)));
	const records: Array<Record<string, unknown>> = Array.from({length: count});
	for (let n = 0; n < count; n++) {
		const shape = shapeOf[n]!;
		const own = shapes[shape]!;
		const indexes = keyIndexes[shape]!;
		const record: Record<string, unknown> = {};
		for (let i = 0; i < own.length; i++) {
			const k = indexes[i]!;
			record[own[i]!] = distinct[k]![ids[k]![n]!];
		}

		records[n] = record;
	}

	return records;
}

/** The reason text of a shared model's states (SharedModel.flat), decoded when read. */
class Reasons {
	constructor(
		private readonly text: Buffer,
		private readonly ends: Uint32Array,
	) {}

	of(n: number): string {
		return this.text.toString('utf8', n === 0 ? 0 : this.ends[n - 1], this.ends[n]);
	}
}

/**
The states of a model read from modelBytes(): one small object per state (its number) whose
fields are read from the shared columns when asked, and its reason from the shared text. A worker
reads the predicate answers and memmap of every run once (source/engine/run-cursor.ts), the
category of each run it touches and the reason of each witness: holding each of the 154 000
states of a 100 000-entry model as an object of fifteen fields cost every worker some 25 MiB.
The fields are getters of the prototype: Object.keys() and JSON.stringify() of such a state show
none of them.
*/
function sharedStates(fields: readonly string[], values: ReadonlyArray<readonly unknown[]>, columns: readonly Uint32Array[], reasons: Reasons, count: number): PfnState[] {
	class SharedState {
		/** A getter of field f. */
		static field(f: number): (this: SharedState) => unknown {
			const column = columns[f]!;
			const distinct = values[f]!;
			return function (this: SharedState): unknown {
				const id = column[this.#n]!;
				return id === ABSENT ? undefined : distinct[id];
			};
		}

		readonly #n: number;

		constructor(n: number) {
			this.#n = n;
		}

		get reason(): string {
			return reasons.of(this.#n);
		}
	}

	for (const [f, field] of fields.entries()) {
		Object.defineProperty(SharedState.prototype, field, {get: SharedState.field(f)});
	}

	const states: PfnState[] = Array.from({length: count});
	for (let n = 0; n < count; n++) {
		states[n] = new SharedState(n) as unknown as PfnState;
	}

	return states;
}

/**
The runs of a model read from modelBytes(): bounds read in place from the shared Float64Array
`starts`, held by the class, not by each run: a run object is its index and state and no boxed
numbers (225 000 of them in each worker at 100 000 entries: a field of 8 bytes less is 1.7 MiB
of each worker's heap).
*/
function sharedRunClass(starts: Float64Array) {
	return class SharedRun implements Run {
		constructor(
			readonly index: number,
			readonly state: PfnState,
		) {}

		get start(): number {
			return starts[this.index]!;
		}

		get end(): number {
			return starts[this.index + 1]!;
		}
	};
}

/** The Model a worker walks, from modelBytes(); it keeps `shared.flat` and not `shared.rest`. */
export function modelFromBytes(shared: SharedModel): Model {
	const bytes = shared.flat;
	const [runCount, stateCount, fieldCount, textBytes] = new Float64Array(bytes, 0, HEADER_WORDS) as unknown as [number, number, number, number];
	const at = layout(runCount, stateCount, fieldCount, textBytes);
	const {fields, values: packed, entryLayout, topology, ...data} = deserialize(new Uint8Array(shared.rest)) as RestData;
	const values = packed.map(distinct => (isPacked(distinct) ? unpackRecords(distinct) : distinct));
	const entries = entryViews(shared.entries, entryLayout);
	const reasons = new Reasons(Buffer.from(bytes, at.text, textBytes), new Uint32Array(bytes, at.reasonEnds, stateCount));
	const columns = fields.map((_, f) => new Uint32Array(bytes, at.columns + f * stateCount * 4, stateCount));
	const states = sharedStates(fields, values, columns, reasons, stateCount);
	const starts = new Float64Array(bytes, at.starts, runCount + 1);
	const stateOf = new Uint32Array(bytes, at.stateOf, runCount);
	const SharedRun = sharedRunClass(starts);
	const runs: Run[] = Array.from({length: runCount});
	for (let i = 0; i < runCount; i++) {
		runs[i] = new SharedRun(i, states[stateOf[i]!]!);
	}

	return thawModel({...data, topology: {...topology, memory: topology.memory ?? entries}, entries, runs});
}

// ---------------------------------------------------------------------------------------------
// The topology entries the workers read

/**
How SharedModel.entries is laid out: each entry's keys (its shape), then its fields by kind —
numbers (and `pos`) as Float64 columns, `label` as UTF-8 text, the others as indexes into the
field's distinct values.
*/
type EntryLayout = {
	readonly count: number;
	/** The distinct key lists of the entries, in each entry's own order. */
	readonly shapes: ReadonlyArray<readonly string[]>;
	/** Fields every entry that has them holds a number in (Float64 columns). */
	readonly numbers: readonly string[];
	/** Whether `pos` is laid out as two Float64 columns (line, column): every entry's pos is {line, column}. */
	readonly pos: boolean;
	/** Whether `label` is laid out as text: every entry's label is a string. */
	readonly label: boolean;
	/** The other fields, in the order of their Uint32 columns. */
	readonly fields: readonly string[];
	/** Per field of `fields`, its distinct values: primitives by value, an empty array once, other objects by identity. */
	readonly values: ReadonlyArray<readonly unknown[]>;
	readonly textBytes: number;
};

/** Where each part of SharedModel.entries lies (byte offsets, each a multiple of 8). */
function entryOffsets(layout: Omit<EntryLayout, 'shapes' | 'values'>) {
	const {count} = layout;
	const numbers = 0;
	const shape = numbers + (layout.numbers.length + (layout.pos ? 2 : 0)) * count * 8;
	const fields = ALIGN(shape + count * 4, 8);
	const labelEnds = ALIGN(fields + layout.fields.length * count * 4, 8);
	const text = ALIGN(labelEnds + (layout.label ? count * 4 : 0), 8);
	return {numbers, shape, fields, labelEnds, text, size: text + layout.textBytes};
}

/** The key under which an entry's Proxy (entryViews()) gives its number, to this module only. */
const ENTRY = Symbol('entry');

/** An empty array of an entry field (nomap: [] of most boot entries): one, frozen, for all entries. */
const EMPTY = Object.freeze([]) as readonly unknown[];

function isPos(value: unknown): boolean {
	if (typeof value !== 'object' || value === null) {
		return false;
	}

	const keys = Object.keys(value);
	const {line, column} = value as {line?: unknown; column?: unknown};
	return keys.length === 2 && keys[0] === 'line' && keys[1] === 'column' && typeof line === 'number' && typeof column === 'number';
}

/**
The topology entries by column, for modelBytes(): at 100 000 entries, held as deserialized objects
they were some 30 MiB of each worker's heap (issue 10: memory at scale); read in place through
entryViews(), they are one small object each.
*/
function entryBytes(entries: readonly TopologyEntry[]): {bytes: SharedArrayBuffer; layout: EntryLayout} {
	const count = entries.length;
	/** The entries' key lists, joined, numbered; and each list as keys. */
	const shapes = new Numbering<string>();
	const shapeKeys: string[][] = [];
	const shapeOf = new Uint32Array(count);
	/** Per key, whether every entry that has it holds a number, a string, a {line, column}. */
	const kinds = new Map<string, {number: boolean; string: boolean; pos: boolean}>();
	let last: string[] | undefined;
	let lastId = 0;
	for (let n = 0; n < count; n++) {
		const entry = entries[n] as Record<string, unknown>;
		const keys = Object.keys(entry);
		// Most entries have the keys of the one before: no string joined for them.
		if (last === undefined || keys.length !== last.length || keys.some((key, k) => key !== last![k])) {
			lastId = shapes.of(keys.join('\u0000'));
			if (lastId === shapeKeys.length) {
				shapeKeys.push(keys);
			}

			last = shapeKeys[lastId]!;
		}

		shapeOf[n] = lastId;
		for (const key of keys) {
			const value = entry[key];
			let kind = kinds.get(key);
			if (kind === undefined) {
				kind = {number: true, string: true, pos: true};
				kinds.set(key, kind);
			}

			if (kind.number && typeof value !== 'number') {
				kind.number = false;
			}

			if (kind.string && typeof value !== 'string') {
				kind.string = false;
			}

			if (kind.pos && !isPos(value)) {
				kind.pos = false;
			}
		}
	}

	const pos = kinds.get('pos')?.pos ?? false;
	const label = kinds.get('label')?.string ?? false;
	const numbers = [...kinds].filter(([key, kind]) => key !== 'pos' && key !== 'label' && kind.number).map(([key]) => key);
	const fields = [...kinds.keys()].filter(key => !(key === 'pos' && pos) && !(key === 'label' && label) && !numbers.includes(key));
	// The labels in one string: written at once when they are ASCII (one byte a character).
	const labels = label ? entries.map(entry => entry.label).join('') : '';
	const textBytes = Buffer.byteLength(labels, 'utf8');

	const plan = {count: count, numbers, pos, label, fields, textBytes};
	const at = entryOffsets(plan);
	const bytes = new SharedArrayBuffer(at.size);
	new Uint32Array(bytes, at.shape, count).set(shapeOf);
	const numberColumn = (c: number) => new Float64Array(bytes, at.numbers + c * count * 8, count);
	for (const [c, key] of numbers.entries()) {
		const column = numberColumn(c);
		for (let n = 0; n < count; n++) {
			column[n] = (entries[n] as Record<string, unknown>)[key] as number;
		}
	}

	if (pos) {
		const lines = numberColumn(numbers.length);
		const columns = numberColumn(numbers.length + 1);
		for (let n = 0; n < count; n++) {
			const {pos: at} = entries[n]!;
			lines[n] = at?.line ?? Number.NaN;
			columns[n] = at?.column ?? Number.NaN;
		}
	}

	const values = fields.map((key, f) => {
		const column = new Uint32Array(bytes, at.fields + f * count * 4, count);
		const distinct = new Numbering<unknown>();
		for (let n = 0; n < count; n++) {
			const entry = entries[n]!;
			if (!Object.hasOwn(entry, key)) {
				column[n] = ABSENT;
				continue;
			}

			const value = (entry as Record<string, unknown>)[key];
			column[n] = distinct.of(Array.isArray(value) && value.length === 0 ? EMPTY : value);
		}

		return distinct.values;
	});
	if (label) {
		const ends = new Uint32Array(bytes, at.labelEnds, count);
		const text = Buffer.from(bytes, at.text, textBytes);
		const ascii = textBytes === labels.length;
		if (ascii) {
			text.write(labels, 0, 'latin1');
		}

		let offset = 0;
		for (let n = 0; n < count; n++) {
			offset += ascii ? entries[n]!.label.length : text.write(entries[n]!.label, offset, 'utf8');
			ends[n] = offset;
		}
	}

	return {bytes, layout: {...plan, shapes: shapeKeys, values}};
}

/**
The topology entries of a model read from modelBytes(): each entry a Proxy whose fields are read
from the shared columns when asked, so that a worker holds some 30 bytes per entry instead of a
copy of every entry (a plan reads a few fields of each entry, once). The Proxy answers as the
entry would: its own keys in their order (Object.keys(), spreading, JSON.stringify(), `in`,
Object.hasOwn(), util.inspect()), an absent optional field undefined and not own; it refuses
writes, as the model is immutable. Each read of `pos` makes a new {line, column}; an empty array field is one
frozen array for all entries.
*/
function entryViews(bytes: SharedArrayBuffer, layout: EntryLayout): TopologyEntry[] {
	const {count} = layout;
	const at = entryOffsets(layout);
	const shapeOf = new Uint32Array(bytes, at.shape, count);
	const numberColumn = (c: number) => new Float64Array(bytes, at.numbers + c * count * 8, count);
	const readers = new Map<string, (n: number) => unknown>();
	for (const [c, key] of layout.numbers.entries()) {
		const column = numberColumn(c);
		readers.set(key, n => column[n]);
	}

	if (layout.pos) {
		const lines = numberColumn(layout.numbers.length);
		const columns = numberColumn(layout.numbers.length + 1);
		readers.set('pos', n => ({line: lines[n], column: columns[n]}));
	}

	for (const [f, key] of layout.fields.entries()) {
		const column = new Uint32Array(bytes, at.fields + f * count * 4, count);
		const distinct = layout.values[f]!;
		readers.set(key, n => distinct[column[n]!]);
	}

	if (layout.label) {
		const labels = new Reasons(Buffer.from(bytes, at.text, layout.textBytes), new Uint32Array(bytes, at.labelEnds, count));
		readers.set('label', n => labels.of(n));
	}

	const keySets = layout.shapes.map(keys => new Set(keys));
	/** The reader of key if entry n has it. */
	const readerOf = (n: number, key: string | symbol): ((n: number) => unknown) | undefined =>
		typeof key === 'string' && keySets[shapeOf[n]!]!.has(key) ? readers.get(key) : undefined;
	/** Entry n as a plain object: what util.inspect() shows (it looks at a Proxy's target, not through it). */
	const plain = (n: number): Record<string, unknown> => Object.fromEntries(layout.shapes[shapeOf[n]!]!.map(key => [key, readers.get(key)!(n)]));
	class EntryTarget {
		constructor(readonly n: number) {}

		// Called on the Proxy (util.inspect() looks up the method on the target, calls it on the Proxy).
		[Symbol.for('nodejs.util.inspect.custom')](): Record<string, unknown> {
			return plain((this as unknown as Record<symbol, number | undefined>)[ENTRY] ?? this.n);
		}
	}

	const handler: ProxyHandler<EntryTarget> = {
		get(target, key, receiver) {
			if (key === ENTRY) {
				return target.n;
			}

			const read = readerOf(target.n, key);
			return read === undefined ? Reflect.get(Object.prototype, key, receiver) : read(target.n);
		},
		has(target, key) {
			return readerOf(target.n, key) !== undefined || key in Object.prototype;
		},
		ownKeys(target) {
			return [...layout.shapes[shapeOf[target.n]!]!];
		},
		getOwnPropertyDescriptor(target, key) {
			const read = readerOf(target.n, key);
			return read === undefined ? undefined : {value: read(target.n), writable: true, enumerable: true, configurable: true};
		},
		getPrototypeOf: () => Object.prototype,
		set: () => false,
		defineProperty: () => false,
		deleteProperty: () => false,
		setPrototypeOf: () => false,
		preventExtensions: () => false,
	};
	const entries: TopologyEntry[] = Array.from({length: count});
	for (let n = 0; n < count; n++) {
		entries[n] = new Proxy(new EntryTarget(n), handler) as unknown as TopologyEntry;
	}

	return entries;
}

/**
A Model as plain data and back, and as the bytes the thread that built a model sends to the
worker threads (source/engine/audit.ts, pool.ts) so that no worker replays the topology again.
*/
import {Buffer} from 'node:buffer';
import {deserialize, serialize} from 'node:v8';
import {InternalError} from '../errors/internal-error.js';
import {hex} from './geometry.js';
import {findRun, runStarts} from './runs.js';
import type {Model, PfnState, Run} from './types.js';

/** A Model without its method: plain data, what crosses to the worker threads (structured clone). */
export type ModelData = Omit<Model, 'runAt'>;

/** The data of a model, for v8.serialize() / postMessage(). */
export function modelData(model: Model): ModelData {
	const {runAt: _, ...data} = model;
	return data;
}

/**
What a worker thread needs of a model to walk it: the data without the topology's source text and
warnings, and with only the phase it is (Model.phases has an entry per operation of the replay:
220 000 at 100 000 entries). The audit's thread, which builds the report, keeps the whole model.
At 100 000 topology entries this is a third less to serialize, deserialize and hold in every
worker (issue 10: memory at scale).
*/
export function workerModelData(model: Model): ModelData {
	const {topology, phases: _phases, ...data} = modelData(model);
	const {source: _source, ...rest} = topology;
	return {...data, topology: {...rest, warnings: []}, phases: [model.phase]};
}

/** A Model from its data (built here, or received from the thread that built it). */
export function thawModel(data: ModelData): Model {
	const {runs, end_pfn} = data;
	return {
		...data,
		runAt(pfn: number): Run {
			if (!Number.isSafeInteger(pfn) || pfn < 0 || pfn >= end_pfn) {
				throw new InternalError(`runAt(${pfn}): outside the modelled space [0, ${hex(end_pfn)})`);
			}

			return findRun(runs, pfn);
		},
	};
}

// ---------------------------------------------------------------------------------------------
// The bytes the workers read

/** Words of the header of SharedModel.flat (Float64): runs, distinct states, state fields, bytes of reason text. */
const HEADER_WORDS = 4;

/** The column id of a state that lacks the field (PfnState.detail is optional). */
const ABSENT = 0xffff_ffff;

/** Where each part lies in SharedModel.flat (byte offsets, each a multiple of 8). */
function layout(runCount: number, stateCount: number, fieldCount: number, textBytes: number) {
	const align = (n: number) => Math.ceil(n / 8) * 8;
	const starts = HEADER_WORDS * 8;
	const stateOf = starts + (runCount + 1) * 8;
	const reasonEnds = align(stateOf + runCount * 4);
	const columns = align(reasonEnds + stateCount * 4);
	const text = align(columns + fieldCount * stateCount * 4);
	return {starts, stateOf, reasonEnds, columns, text, size: text + textBytes};
}

/**
The model of one phase as the worker threads get it (modelBytes()), in two SharedArrayBuffers
that every worker of the audit shares: `flat` is read in place for as long as the model is
walked, `rest` is deserialized once by each worker and then let go (held in one buffer with
`flat`, it would stay resident for the whole audit).
*/
export type SharedModel = {
	/** Run bounds, the number of each run's state, each state's fields by number, the reason text of each state. */
	readonly flat: SharedArrayBuffer;
	/** Everything else, v8-serialized: what workerModelData() keeps but the runs, and the distinct values of each state field. */
	readonly rest: SharedArrayBuffer;
};

/** Bytes of a SharedModel (source/engine/pool.ts builtinHeapMb()). */
export function sharedModelBytes(shared: SharedModel): number {
	return shared.flat.byteLength + shared.rest.byteLength;
}

/** What SharedModel.rest holds. */
type RestData = Omit<ModelData, 'runs'> & {
	/** The fields of the states but `reason`, in the order of the columns. */
	readonly fields: readonly string[];
	/** Per field, its distinct values (objects by identity, as the model shares them): a column holds indexes into it. */
	readonly values: ReadonlyArray<readonly unknown[]>;
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
  100 000-entry model (some 28 MiB each).
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

	const rest = serialize({...data, fields, values} satisfies RestData);
	const restBytes = new SharedArrayBuffer(rest.length);
	new Uint8Array(restBytes).set(rest);
	return {flat: bytes, rest: restBytes};
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
A run of a model read from modelBytes(): its bounds read in place from the shared Float64Array,
so that a run object is three fields and no boxed numbers.
*/
class SharedRun implements Run {
	constructor(
		private readonly starts: Float64Array,
		readonly index: number,
		readonly state: PfnState,
	) {}

	get start(): number {
		return this.starts[this.index]!;
	}

	get end(): number {
		return this.starts[this.index + 1]!;
	}
}

/** The Model a worker walks, from modelBytes(); it keeps `shared.flat` and not `shared.rest`. */
export function modelFromBytes(shared: SharedModel): Model {
	const bytes = shared.flat;
	const [runCount, stateCount, fieldCount, textBytes] = new Float64Array(bytes, 0, HEADER_WORDS) as unknown as [number, number, number, number];
	const at = layout(runCount, stateCount, fieldCount, textBytes);
	const {fields, values, ...data} = deserialize(new Uint8Array(shared.rest)) as RestData;
	const reasons = new Reasons(Buffer.from(bytes, at.text, textBytes), new Uint32Array(bytes, at.reasonEnds, stateCount));
	const columns = fields.map((_, f) => new Uint32Array(bytes, at.columns + f * stateCount * 4, stateCount));
	const states = sharedStates(fields, values, columns, reasons, stateCount);
	const starts = new Float64Array(bytes, at.starts, runCount + 1);
	const stateOf = new Uint32Array(bytes, at.stateOf, runCount);
	const runs: Run[] = Array.from({length: runCount});
	for (let i = 0; i < runCount; i++) {
		runs[i] = new SharedRun(starts, i, states[stateOf[i]!]!);
	}

	return thawModel({...data, runs});
}

/**
A Model as plain data and back, and as the bytes the thread that built a model sends to the
worker threads (source/engine/audit.ts, pool.ts) so that no worker replays the topology again.
*/
import {Buffer} from 'node:buffer';
import {deserialize, serialize} from 'node:v8';
import {InternalError} from '../errors/internal-error.js';
import {hex} from './geometry.js';
import {findRun} from './runs.js';
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

/** Words of the header of SharedModel.flat (Float64): runs, distinct states, bytes of reason text. */
const HEADER_WORDS = 3;

/** Where each part lies in SharedModel.flat (byte offsets, each a multiple of 8). */
function layout(runCount: number, stateCount: number, textBytes: number) {
	const align = (n: number) => Math.ceil(n / 8) * 8;
	const starts = HEADER_WORDS * 8;
	const stateOf = starts + (runCount + 1) * 8;
	const reasonEnds = align(stateOf + runCount * 4);
	const text = align(reasonEnds + stateCount * 4);
	return {starts, stateOf, reasonEnds, text, size: text + textBytes};
}

/**
The model of one phase as the worker threads get it (modelBytes()), in two SharedArrayBuffers
that every worker of the audit shares: `flat` is read in place for as long as the model is
walked, `rest` is deserialized once by each worker and then let go (held in one buffer with
`flat`, it would stay resident for the whole audit).
*/
export type SharedModel = {
	/** Run bounds, the number of each run's state, the reason text of each state. */
	readonly flat: SharedArrayBuffer;
	/** Everything else, v8-serialized. */
	readonly rest: SharedArrayBuffer;
};

/** Bytes of a SharedModel (source/engine/pool.ts builtinHeapMb()). */
export function sharedModelBytes(shared: SharedModel): number {
	return shared.flat.byteLength + shared.rest.byteLength;
}

/** A state as serialized for the workers: its reason left in the shared text, by the state's number. */
type StateData = Omit<PfnState, 'reason'> & {readonly reason_at: number};

/**
The model of one phase for the worker threads, in SharedArrayBuffers they all read (source/
engine/pool.ts hands the same buffers to every worker): what workerModelData() keeps, with the
runs and the reasons laid out flat instead of serialized as objects.

- run bounds: one Float64Array (each run's start, then end_pfn), and the number of each run's
  state in a Uint32Array: a worker makes its runs from them (sharedRuns()) instead of
  deserializing 225 000 run objects at 100 000 topology entries;
- the reason of each distinct state (`PfnState.reason`, one sentence read only when a witness is
  written) as UTF-8 text, decoded when asked: a worker no longer holds the 136 000 sentences of a
  100 000-entry model (some 28 MiB each);
- the rest (distinct states without their reason, topology, zones, pgmaps, ...) v8-serialized,
  shared sub-objects kept shared.
*/
export function modelBytes(model: Model): SharedModel {
	const {runs, ...data} = workerModelData(model);
	const numbers = new Map<PfnState, number>();
	const states: PfnState[] = [];
	const stateOf = new Uint32Array(runs.length);
	for (let i = 0; i < runs.length; i++) {
		const {state} = runs[i]!;
		let n = numbers.get(state);
		if (n === undefined) {
			n = states.length;
			states.push(state);
			numbers.set(state, n);
		}

		stateOf[i] = n;
	}

	const reasonEnds = new Uint32Array(states.length);
	let textBytes = 0;
	for (const [n, state] of states.entries()) {
		textBytes += Buffer.byteLength(state.reason, 'utf8');
		reasonEnds[n] = textBytes;
	}

	const rest = serialize({...data, states: states.map(({reason: _, ...state}, n): StateData => ({...state, reason_at: n}))});
	const at = layout(runs.length, states.length, textBytes);
	const bytes = new SharedArrayBuffer(at.size);
	new Float64Array(bytes, 0, HEADER_WORDS).set([runs.length, states.length, textBytes]);
	// A worker has only the starts: the runs must tile [0, end_pfn), as the run cursor checks.
	const starts = new Float64Array(bytes, at.starts, runs.length + 1);
	let expected = 0;
	for (let i = 0; i < runs.length; i++) {
		const run = runs[i]!;
		if (run.index !== i || run.start !== expected || !(run.end > run.start)) {
			throw new InternalError(`Model.runs[${i}] is [${hex(run.start)}, ${hex(run.end)}) with index ${run.index}; runs must tile [0, end_pfn) in order`);
		}

		starts[i] = run.start;
		expected = run.end;
	}

	if (expected !== model.end_pfn) {
		throw new InternalError(`Model.runs end at ${hex(expected)}, not at end_pfn ${hex(model.end_pfn)}`);
	}

	starts[runs.length] = expected;
	new Uint32Array(bytes, at.stateOf, runs.length).set(stateOf);
	new Uint32Array(bytes, at.reasonEnds, states.length).set(reasonEnds);
	const text = Buffer.from(bytes, at.text, textBytes);
	let offset = 0;
	for (const state of states) {
		offset += text.write(state.reason, offset, 'utf8');
	}

	const restBytes = new SharedArrayBuffer(rest.length);
	new Uint8Array(restBytes).set(rest);
	return {flat: bytes, rest: restBytes};
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
	const [runCount, stateCount, textBytes] = new Float64Array(bytes, 0, HEADER_WORDS) as unknown as [number, number, number];
	const at = layout(runCount, stateCount, textBytes);
	const {states, ...data} = deserialize(new Uint8Array(shared.rest)) as Omit<ModelData, 'runs'> & {states: StateData[]};
	const reasonEnds = new Uint32Array(bytes, at.reasonEnds, stateCount);
	const text = Buffer.from(bytes, at.text, textBytes);
	// The reason of a state is decoded from the shared text when it is read (a witness).
	const withReason = Object.create(Object.prototype, {
		reason: {
			get(this: StateData): string {
				const n = this.reason_at;
				return text.toString('utf8', n === 0 ? 0 : reasonEnds[n - 1], reasonEnds[n]);
			},
			enumerable: false,
		},
	}) as object;
	for (const state of states) {
		Object.setPrototypeOf(state, withReason);
	}

	const starts = new Float64Array(bytes, at.starts, runCount + 1);
	const stateOf = new Uint32Array(bytes, at.stateOf, runCount);
	const runs: Run[] = Array.from({length: runCount});
	for (let i = 0; i < runCount; i++) {
		runs[i] = new SharedRun(starts, i, states[stateOf[i]!] as unknown as PfnState);
	}

	return thawModel({...data, runs});
}

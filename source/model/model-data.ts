/**
A Model as plain data and back: what the thread that built a model sends to the worker threads
(serialized once, source/engine/pool.ts) so that no worker replays the topology again.
*/
import {InternalError} from '../errors/internal-error.js';
import {hex} from './geometry.js';
import {findRun} from './runs.js';
import type {Model, Run} from './types.js';

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

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

/**
test/helpers/fake-build.ts, counted, and refusing to run off the main thread: for the test that
an audit builds each phase's model once, in its own thread, and the workers only receive it.
*/
import {isMainThread} from 'node:worker_threads';
import type {Model, ModelOptions} from '../../source/model/types.js';
import type {Topology} from '../../source/topology/types.js';
import {buildModel as fakeBuild} from './fake-build.js';

export const builds: string[] = [];

export function buildModel(topology: Topology, options: ModelOptions = {}): Model {
	if (!isMainThread) {
		throw new Error('a worker thread built a model');
	}

	builds.push(options.phase ?? 'final');
	return fakeBuild(topology, options);
}

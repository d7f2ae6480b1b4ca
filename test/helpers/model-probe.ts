/**
Small accessors for model tests: the PfnState at a pfn (or a physical address), and a build at
several kernel versions.
*/
import {buildModel} from '../../source/model/build.js';
import type {Model, ModelOptions, PfnState} from '../../source/model/types.js';
import type {Topology} from '../../source/topology/types.js';

/** The PfnState of the run holding pfn. */
export function at(model: Model, pfn: number): PfnState {
	return model.runAt(pfn).state;
}

/** The PfnState of the run holding a physical address. */
export function atAddress(model: Model, address: number): PfnState {
	return at(model, Math.floor(address / model.geometry.PAGE_SIZE));
}

/** Build the same topology at another kernel version (what --kernel does). */
export function buildAt(topology: Topology, kernel: string, options: ModelOptions = {}): Model {
	return buildModel({...topology, kernel}, options);
}

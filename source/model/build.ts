/**
Replaying a topology into a Model (memory-model.md §4, §6.1): boot, then each operation in order,
stopping at the requested phase. Pure: no I/O, no clock.
*/
import type {Topology} from '../topology/types.js';
import type {Model, ModelOptions} from './types.js';

export function buildModel(_topology: Topology, _options: ModelOptions = {}): Model {
	throw new Error('internal: buildModel is not built yet');
}

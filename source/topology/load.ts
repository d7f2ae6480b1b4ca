/**
Reading topology files (SPEC §3): YAML or JSON → validated Topology, or an InputError naming
file:line:column and the rule. Implemented in source/topology/ (parse, schema, validate).
*/
import type {Topology} from './types.js';

export type LoadOptions = {
	/** CLI --kernel: overrides the topology's `kernel:`. */
	readonly kernel?: string;
	/** CLI --patch: added to the topology's `patches:`. */
	readonly patches?: readonly string[];
};

/** Parse and validate topology text. `file` is used in error messages. Throws InputError. */
export function parseTopology(_text: string, _file: string, _options: LoadOptions = {}): Topology {
	throw new Error('internal: parseTopology is not built yet');
}

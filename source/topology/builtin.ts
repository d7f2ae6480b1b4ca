/**
The built-in topologies in topologies/ (for `pfnaudit list topologies` and the default showcase).
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {InternalError} from '../errors/internal-error.js';
import {isInputError} from '../errors/input-error.js';
import {TOPOLOGIES_DIR} from '../paths.js';
import {topologyFiles} from './files.js';
import {parseTopology} from './load.js';

export type BuiltinTopology = {
	/** The topology's `name:`. */
	readonly name: string;
	/** Absolute path of the file. */
	readonly file: string;
	readonly description: string;
};

export {topologyFiles} from './files.js';

/**
Every built-in topology, parsed (so the list shows only files that load). A built-in file that
does not parse is a packaging bug, reported as an InternalError naming the file.
*/
export function listBuiltinTopologies(directory: string = TOPOLOGIES_DIR): BuiltinTopology[] {
	return topologyFiles(directory).map(file => {
		try {
			const topology = parseTopology(readFileSync(file, 'utf8'), file);
			return {name: topology.name, file, description: topology.description};
		} catch (error) {
			if (isInputError(error)) {
				throw new InternalError(`built-in topology ${path.basename(file)} does not load: ${(error as {format(): string}).format()}`, {cause: error});
			}

			throw error;
		}
	});
}

/**
The topology files of a directory (topologies/ by default), without reading them: a light module
for `pfnaudit list topologies` (manifest.ts) as well as builtin.ts.
*/
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {TOPOLOGIES_DIR} from '../paths.js';

/** Topology files in a directory: *.yaml, *.yml and *.json, sorted by file name. */
export function topologyFiles(directory: string = TOPOLOGIES_DIR): string[] {
	return readdirSync(directory)
		.filter(name => /\.(ya?ml|json)$/.test(name))
		.sort()
		.map(name => path.join(directory, name));
}

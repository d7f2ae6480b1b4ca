/**
The headers of the built-in topologies, recorded when `npm run build` runs (scripts/bundle.mjs
writes dist/topologies.json) so that `pfnaudit list topologies` need not parse and validate every
file again on each call: that was 6x the CPU of a bare `node -e 0` (issue 10: `list` ≤ 2x).

The manifest is used only while it still describes topologies/: the same files, each with the
same SHA-1 of its contents. Otherwise (running from source, a file added or edited since the build)
the caller parses the files as before.
*/
import {createHash} from 'node:crypto';
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {PACKAGE_ROOT} from '../paths.js';
import {topologyFiles} from './files.js';

/** One built-in topology as `list topologies` shows it. */
export type TopologyHeader = {
	readonly name: string;
	readonly arch: string;
	readonly kernel: string;
	/** File name in topologies/. */
	readonly base: string;
	readonly description: string;
	/** SHA-1 of the file's contents when the manifest was written. */
	readonly sha1: string;
};

/** dist/topologies.json. */
export const TOPOLOGY_MANIFEST = path.join(PACKAGE_ROOT, 'dist', 'topologies.json');

export function sha1Of(text: string): string {
	return createHash('sha1').update(text).digest('hex');
}

/** The manifest's headers if they match the files of `directory` exactly, else undefined. */
export function readTopologyManifest(directory: string, manifest: string = TOPOLOGY_MANIFEST): TopologyHeader[] | undefined {
	let headers: TopologyHeader[];
	try {
		headers = JSON.parse(readFileSync(manifest, 'utf8')) as TopologyHeader[];
	} catch {
		return undefined;
	}

	const files = topologyFiles(directory);
	if (!Array.isArray(headers) || headers.length !== files.length) {
		return undefined;
	}

	for (const [i, file] of files.entries()) {
		const header = headers[i]!;
		if (header?.base !== path.basename(file) || header.sha1 !== sha1Of(readFileSync(file, 'utf8'))) {
			return undefined;
		}
	}

	return headers;
}

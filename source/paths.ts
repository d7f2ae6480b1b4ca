/**
Where pfnaudit's own files are, whether it runs from source (tsx, vitest) or from dist/.
*/
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';

function findPackageRoot(from: string): string {
	let dir = from;
	for (;;) {
		if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'topologies'))) {
			return dir;
		}

		const parent = path.dirname(dir);
		if (parent === dir) {
			throw new Error(`internal: cannot find the pfnaudit package root above ${from}`);
		}

		dir = parent;
	}
}

/** The repository / installed package root (holds package.json, topologies/, walkers/). */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Built-in topologies. */
export const TOPOLOGIES_DIR = path.join(PACKAGE_ROOT, 'topologies');

/** The default topology of `pfnaudit` with no arguments (README.md, Commands). */
export const SHOWCASE_TOPOLOGY = path.join(TOPOLOGIES_DIR, 'showcase.yaml');

/** True when this module runs from TypeScript source (vitest, tsx) rather than dist/. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
The file: URL of one of pfnaudit's modules as tsc emits it, `engine/worker` →
dist/source/engine/worker.js: what a worker thread starts on. The command-line entry is bundled
(scripts/bundle.mjs: its chunks live in dist/bundle/), so code that may run inside the bundle
names its worker modules this way, never with `new URL('./x.js', import.meta.url)`.
*/
export function distModuleUrl(sourceModule: string): URL {
	return pathToFileURL(path.join(PACKAGE_ROOT, 'dist', 'source', `${sourceModule}.js`));
}

export const TOOL_VERSION: string = (
	JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string}
).version;

/**
Loading a user walker from a path (`--walker ./my_walker.ts`, docs/writing-a-walker.md): `.ts`/`.mts`/`.cts`
through tsx's tsImport (works from dist/ too), `.js`/`.mjs`/`.cjs` natively. The file must
default-export a WalkerDefinition, which then passes the same check as a built-in. Every failure
is an InputError naming the file (exit 2): missing file, syntax error (with line and column),
an import that fails, no default export, a definition whose getters or Proxy traps throw, a
malformed definition.

What is returned is a plain copy of the default export, read once (a getter that answers
differently on each read cannot pass the check with one value and run with another); `plan` is
the file's own function. The CLI never calls this in its own thread: isolate.ts does, in a
worker, and so do the audit's workers.
*/
import {statSync} from 'node:fs';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {InputError, type InputLocation} from '../errors/input-error.js';
import {walkerProblem} from './check.js';
import type {WalkerDefinition} from './contract.js';

const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs'];

/** True when a `--walker` value names a file rather than a built-in walker. */
export function looksLikeWalkerPath(value: string): boolean {
	const extension = path.extname(value);
	return value.includes('/') || value.includes(path.sep) || TS_EXTENSIONS.includes(extension) || JS_EXTENSIONS.includes(extension);
}

const HOW = 'see docs/writing-a-walker.md';

/** esbuild (through tsx) reports "<file>:<line>:<column>: ERROR: <text>". */
function transformErrorLocation(error: unknown, file: string): {location: InputLocation; text: string} | undefined {
	const message = error instanceof Error ? error.message : '';
	const match = /^(.*):(\d+):(\d+): ERROR: (.*)$/m.exec(message);
	return match ? {location: {file, line: Number(match[2]), column: Number(match[3]) + 1}, text: match[4]!} : undefined;
}

export function firstLine(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return text.split('\n')[0]!.trim();
}

async function importTs(url: string): Promise<Record<string, unknown>> {
	const {tsImport} = await import('tsx/esm/api');
	return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
}

/** Import a walker (or, with `kind`, a what-if patch) file; every failure an InputError naming it. */
export async function importFile(absolute: string, shown: string, kind = 'walker', how = HOW): Promise<Record<string, unknown>> {
	const url = pathToFileURL(absolute).href;
	const typescript = TS_EXTENSIONS.includes(path.extname(absolute));
	try {
		return typescript ? await importTs(url) : ((await import(url)) as Record<string, unknown>);
	} catch (error) {
		let located = transformErrorLocation(error, shown);
		if (!located && !typescript && error instanceof Error && (error.name === 'SyntaxError' || /syntax/i.test(error.message))) {
			// Node's SyntaxError for an ES module carries no position (nor does vite's, under
			// vitest); esbuild's parse of the same file does.
			located = await importTs(url).then(
				() => undefined,
				(error_: unknown) => transformErrorLocation(error_, shown),
			);
		}

		if (located) {
			throw new InputError(`syntax error in the ${kind} file: ${located.text}; fix it and run again`, located.location, {cause: error});
		}

		throw new InputError(`cannot load the ${kind} file: ${firstLine(error)}; fix the file (${how})`, {file: shown}, {cause: error});
	}
}

/**
The default export. Outside an ESM package tsx compiles a .ts file to CommonJS, and `default`
is then the whole exports object, marked `__esModule` by esbuild: its own `default` is the
file's default export (undefined when the file has none).
*/
export function defaultExport(module: Record<string, unknown>): unknown {
	const value = module.default;
	if (typeof value === 'object' && value !== null && (value as {__esModule?: unknown}).__esModule === true) {
		return (value as {default?: unknown}).default;
	}

	return value;
}

/** Deep enough for a definition: history[i].commits[j].subject. */
const COPY_DEPTH = 6;

/**
A plain copy of what a walker file exported: own enumerable keys of objects, arrays element by
element, functions and primitives as they are. Getters and Proxy traps run here, once; what they
throw propagates.
*/
export function plainCopy(value: unknown, depth = 0): unknown {
	if (typeof value !== 'object' || value === null || depth >= COPY_DEPTH) {
		return value;
	}

	if (Array.isArray(value)) {
		return Array.from(value as unknown[], item => plainCopy(item, depth + 1));
	}

	const copy: Record<string, unknown> = {};
	for (const key of Object.keys(value)) {
		copy[key] = plainCopy((value as Record<string, unknown>)[key], depth + 1);
	}

	return copy;
}

/**
Load and check a user walker. `file` is as the user gave it (used in messages); it is resolved
against `cwd`.
*/
export async function loadWalkerFile(file: string, cwd: string = process.cwd()): Promise<WalkerDefinition> {
	const absolute = checkWalkerPath(file, cwd);
	const module = await importFile(absolute, file);
	let definition: unknown;
	try {
		definition = plainCopy(defaultExport(module));
	} catch (error) {
		throw new InputError(
			`reading the walker's default export threw: ${firstLine(error)}; export a plain object made with defineWalker({...}) (${HOW})`,
			{file},
			{cause: error},
		);
	}

	if (definition === undefined) {
		throw new InputError(`the walker file has no default export; end it with 'export default defineWalker({...})' (${HOW})`, {file});
	}

	const problem = walkerProblem(definition);
	if (problem !== undefined) {
		throw new InputError(`${problem} (${HOW})`, {file});
	}

	return definition as WalkerDefinition;
}

/**
The checks of a walker path that run none of its code — its extension, that it is a file — so
that isolate.ts starts no worker for a path that cannot be a walker. Returns the absolute path.
*/
export function checkWalkerPath(file: string, cwd: string): string {
	const absolute = path.resolve(cwd, file);
	const extension = path.extname(absolute);
	if (!TS_EXTENSIONS.includes(extension) && !JS_EXTENSIONS.includes(extension)) {
		throw new InputError(`a walker file must end in ${[...TS_EXTENSIONS, ...JS_EXTENSIONS].join(', ')}; rename it or give a built-in walker name (pfnaudit list walkers)`, {file});
	}

	let isFile = false;
	try {
		isFile = statSync(absolute).isFile();
	} catch {
		throw new InputError(`the walker file does not exist; check the path (it is resolved against ${cwd})`, {file});
	}

	if (!isFile) {
		throw new InputError('the walker path is not a file; give the path of a .ts or .js file', {file});
	}

	return absolute;
}

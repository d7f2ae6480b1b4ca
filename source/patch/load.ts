/**
Loading a user what-if patch from a path (`--patch ./mine.ts`, docs/writing-a-patch.md), the way
user walkers are loaded (source/walker/load.ts, whose import and copy helpers it uses): `.ts`
through tsx, `.js` natively; the default export must be a definition made with
`defineWhatIf({...})` (source/model/user-patches.ts). Every failure is an InputError naming the
file (exit 2): missing file, wrong extension, syntax error with line and column, an import that
fails, no default export, a getter that throws, a malformed definition, a name that is taken.
A loaded patch is registered under its name; the value given on the command line is replaced
by that name.

Audits with a user patch run in-process (the audit's workers have no registry to find it in).
*/
import {statSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';
import {parseKernelVersion} from '../kernel/version.js';
import {PATCHES} from '../model/patches.js';
import {findUserPatch, registerUserPatch, type UserPatchDefinition} from '../model/user-patches.js';
import {defaultExport, firstLine, importFile, looksLikeWalkerPath, plainCopy} from '../walker/load.js';

const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];
const HOW = 'see docs/writing-a-patch.md';
const NAME = /^[a-z0-9][a-z0-9._-]*$/;

/** True when a `--patch` value names a file rather than a patch. */
export function looksLikePatchPath(value: string): boolean {
	return looksLikeWalkerPath(value);
}

/** Why `value` is not a patch definition (one clause), or undefined. */
export function patchDefinitionProblem(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) {
		return `the default export is ${value === null ? 'null' : typeof value}, not a definition`;
	}

	const definition = value as Record<string, unknown>;
	for (const key of Object.keys(definition)) {
		if (!['name', 'summary', 'source', 'versions', 'predicates', 'afterStep'].includes(key)) {
			return `unknown key '${key}' (a patch has name, summary, source, versions, predicates, afterStep)`;
		}
	}

	if (typeof definition['name'] !== 'string' || !NAME.test(definition['name'])) {
		return `name must be a string of [a-z0-9._-] starting with a letter or digit (got ${JSON.stringify(definition['name'])})`;
	}

	for (const key of ['summary', 'source'] as const) {
		if (typeof definition[key] !== 'string' || definition[key].trim() === '') {
			return `${key} must be a non-empty string (the ${key === 'source' ? 'posting it models: author, date, Message-ID' : 'one line for pfnaudit list patches'})`;
		}
	}

	for (const key of ['predicates', 'afterStep'] as const) {
		if (definition[key] !== undefined && typeof definition[key] !== 'function') {
			return `${key} must be a function`;
		}
	}

	if (definition['predicates'] === undefined && definition['afterStep'] === undefined) {
		return 'it overrides nothing: give predicates() or afterStep()';
	}

	const versions = definition['versions'];
	if (versions !== undefined) {
		const {from, to} = (versions ?? {}) as {from?: unknown; to?: unknown};
		const bad = [from, to].find(text => typeof text !== 'string' || !parseKernelVersion(text));
		if (bad !== undefined || typeof versions !== 'object') {
			return `versions must be {from, to} with modelled releases "MAJOR.MINOR" (got ${JSON.stringify(versions)})`;
		}
	}

	return undefined;
}

/** Load, check and register a patch file; returns its name. */
export async function loadPatchFile(file: string, cwd: string = process.cwd()): Promise<string> {
	const absolute = path.resolve(cwd, file);
	if (!EXTENSIONS.includes(path.extname(absolute))) {
		throw new InputError(`a what-if patch file must end in ${EXTENSIONS.join(', ')}; rename it or give a patch name (pfnaudit list patches)`, {file});
	}

	let isFile = false;
	try {
		isFile = statSync(absolute).isFile();
	} catch {
		throw new InputError(`the what-if patch file does not exist; check the path (it is resolved against ${cwd})`, {file});
	}

	if (!isFile) {
		throw new InputError('the what-if patch path is not a file; give the path of a .ts or .js file', {file});
	}

	const module = await importFile(absolute, file, 'what-if patch', HOW);
	let definition: unknown;
	try {
		definition = plainCopy(defaultExport(module));
	} catch (error) {
		throw new InputError(`reading the patch's default export threw: ${firstLine(error)}; export a plain object made with defineWhatIf({...}) (${HOW})`, {file}, {cause: error});
	}

	if (definition === undefined) {
		throw new InputError(`the what-if patch file has no default export; end it with 'export default defineWhatIf({...})' (${HOW})`, {file});
	}

	const problem = patchDefinitionProblem(definition);
	if (problem) {
		throw new InputError(`not a what-if patch: ${problem} (${HOW})`, {file});
	}

	const patch = definition as UserPatchDefinition;
	if (PATCHES.some(builtin => builtin.name === patch.name)) {
		throw new InputError(`the patch is named '${patch.name}', like a built-in patch; give it a name of its own (names identify patches in every report)`, {file});
	}

	const existing = findUserPatch(patch.name);
	if (existing && path.resolve(cwd, existing.file) !== absolute) {
		throw new InputError(`the patch is named '${patch.name}', like ${existing.file}; give it a name of its own`, {file});
	}

	registerUserPatch({definition: patch, file});
	return patch.name;
}

/**
`--patch` values with every path loaded and replaced by the patch's name (names pass through).
`loaded` is true when a file was among them: the audit must then run in-process.
*/
export async function resolvePatchValues(values: readonly string[], cwd: string): Promise<{names: string[]; loaded: boolean}> {
	const names: string[] = [];
	let loaded = false;
	for (const value of values) {
		if (looksLikePatchPath(value)) {
			// eslint-disable-next-line no-await-in-loop
			names.push(await loadPatchFile(value, cwd));
			loaded = true;
		} else {
			names.push(value);
		}
	}

	return {names, loaded};
}

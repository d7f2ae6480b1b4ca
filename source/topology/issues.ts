/**
zod issues → one InputError at the YAML node's line:column. When a file has several problems the
one that comes first in the file is reported (the user fixes files top to bottom).
*/
import type {z} from 'zod';
import {InputError} from '../errors/input-error.js';
import {formatPath, type Path, type PositionIndex} from './positions.js';
import type {SourcePosition} from './types.js';

const RANGE_KEYS = ['start', 'size', 'end'];

/** The keys each level of a topology accepts, for "unknown key" messages. */
function allowedKeys(path: Path, value: unknown): readonly string[] {
	const names = path.filter((part): part is string => typeof part === 'string');
	const last = names.at(-1);
	if (path.length === 0) {
		return ['name', 'description', 'arch', 'kernel', 'config', 'patches', 'memory'];
	}

	if (last === 'config') {
		return ['debug_vm', 'vmemmap', 'max_physmem_bits', 'memory_block_size', 'hypervisor', 'dma_limit', 'deferred_struct_page_init', 'hugetlb_vmemmap', 'strict_devmem', 'io_strict_devmem', 'device_pfnmap', 'ioremap_ram'];
	}

	if (last === 'altmap') {
		return ['reserve', 'free'];
	}

	if (last === 'nomap' || last === 'cma') {
		return RANGE_KEYS;
	}

	if (last === 'hugetlb') {
		return [...RANGE_KEYS, 'page_size'];
	}

	const kind = value && typeof value === 'object' ? (value as {kind?: unknown}).kind : undefined;
	switch (kind) {
		case 'boot': {
			return ['kind', ...RANGE_KEYS, 'node', 'nomap', 'cma', 'hugetlb'];
		}

		case 'hotplug': {
			return ['kind', ...RANGE_KEYS, 'node', 'state', 'blocks', 'memmap_on_memory'];
		}

		case 'device': {
			return ['kind', 'type', ...RANGE_KEYS, 'node', 'altmap', 'state', 'align'];
		}

		default: {
			return ['kind', ...RANGE_KEYS, 'node', 'nomap', 'state', 'type', 'altmap'];
		}
	}
}

function valueAt(root: unknown, path: Path): unknown {
	let current = root;
	for (const part of path) {
		if (current === null || typeof current !== 'object') {
			return undefined;
		}

		current = (current as Record<string | number, unknown>)[part];
	}

	return current;
}

/** Levenshtein distance, for "did you mean" on unknown keys. */
function distance(a: string, b: string): number {
	const row = Array.from({length: b.length + 1}, (_, i) => i);
	for (let i = 1; i <= a.length; i++) {
		let previous = row[0]!;
		row[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const current = row[j]!;
			row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
			previous = current;
		}
	}

	return row[b.length]!;
}

function suggestion(key: string, allowed: readonly string[]): string {
	const best = allowed
		.map(name => ({name, d: distance(key.toLowerCase(), name)}))
		.sort((a, b) => a.d - b.d)[0];
	return best && best.d <= 2 ? ` (did you mean ${best.name}?)` : '';
}

type Located = {readonly pos: SourcePosition; readonly message: string};

function locate(issue: z.core.$ZodIssue, root: unknown, index: PositionIndex): Located {
	const path = issue.path as Path;
	if (issue.code === 'unrecognized_keys') {
		const key = issue.keys[0] ?? '?';
		const allowed = allowedKeys(path, valueAt(root, path));
		const where = path.length === 0 ? 'the topology' : formatPath(path);
		return {
			pos: index.keyAt([...path, key]),
			message: `unknown key "${key}" in ${where}${suggestion(key, allowed)}; the keys allowed here are ${allowed.join(', ')}`,
		};
	}

	const target = formatPath(path);
	const text = issue.message;
	const joined = /^(is|must|needs|give) /.test(text) ? `${target} ${text}` : `${target}: ${text}`;
	return {pos: index.at(path), message: joined};
}

/** The InputError for a failed schema parse: the issue that comes first in the file. */
export function schemaError(error: z.ZodError, root: unknown, index: PositionIndex, file: string): InputError {
	// A misspelt key also makes the right one missing: report the unknown key (with its
	// suggestion), not "size is required" at the start of the same mapping.
	const withUnknownKeys = new Set(error.issues.filter(issue => issue.code === 'unrecognized_keys').map(issue => JSON.stringify(issue.path)));
	const issues = error.issues.filter(issue => !(
		issue.code !== 'unrecognized_keys'
		&& /^is required/.test(issue.message)
		&& withUnknownKeys.has(JSON.stringify(issue.path.slice(0, -1)))));
	const located = issues.map(issue => locate(issue, root, index));
	located.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
	const first = located[0]!;
	const more = located.length > 1 ? ` (${located.length - 1} more problem${located.length > 2 ? 's' : ''} after this one)` : '';
	return new InputError(`${first.message}${more}`, {file, line: first.pos.line, column: first.pos.column});
}

/**
YAML and JSON topology text → a plain value plus the position of every node.

JSON goes through the same `yaml` parseDocument (JSON is a YAML 1.2 subset), so positions,
duplicate-key detection and error messages are the same for both. Scalars that YAML resolves to
numbers are handed on as their *source text* (numbers.ts reads them exactly; YAML's own number
would lose bits above 2^53 and reads `6.10` as 6.1). Strings, booleans and null pass through.

Hostile text is refused with its line and column rather than expanded (issue 11 items 1 and 3):
- an alias that refers to a node containing it (`rec: &r [*r]`) would expand without end;
- aliases may copy at most MAX_ALIAS_EXPANSION values in all (ten levels of `&a [*a, *a, …]`
  expand to billions);
- nesting deeper than MAX_DEPTH (a topology is a few levels deep);
- tags (`!!str`, `!<tag:yaml.org,2002:float>`, `!`): the format is plain YAML without tags.
*/
import {type Alias, type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type YAMLError, type YAMLMap} from 'yaml';
import {InputError} from '../errors/input-error.js';
import {readPlainDocument} from './plain-document.js';
import {type Path, PositionIndex, positionAt} from './positions.js';
import type {SourcePosition} from './types.js';

export type ParsedText = {
	readonly value: unknown;
	readonly index: PositionIndex;
};

/** Values that aliases may copy into a topology, all aliases together. */
export const MAX_ALIAS_EXPANSION = 10_000;
/** Collections inside collections; a topology needs four or five. */
export const MAX_DEPTH = 64;

type Walk = {
	readonly text: string;
	readonly lines: LineCounter;
	readonly doc: Document;
	readonly index: PositionIndex;
	readonly file: string;
	/** Collections being converted, outermost first: an alias to one of them is recursive. */
	readonly open: Set<unknown>;
	/** Values copied through aliases so far. */
	expanded: number;
	/** Inside how many aliases the conversion is (their values count against the budget). */
	aliasDepth: number;
	/** Where the outermost alias being expanded is written: the place to blame for a bomb. */
	aliasAt?: number;
};

/**
Parse topology text. Throws InputError (with file:line:column) for a syntax error or a duplicate key.
Plain text (no anchors, aliases, tags or directives) is read by the fast path of plain-document.ts;
the rest, and anything that path is not sure of, by `yaml`. That path's check is coarse: any `&`,
`*` or `!` in the text sends it to `yaml`, in a comment or a description too (8 of the 28 shipped
topologies, showcase.yaml among them, whose description says `!pfn_valid`). Same value and
positions either way; only the cost differs.
*/
export function readDocument(text: string, file: string): ParsedText {
	return readPlainDocument(text, MAX_DEPTH) ?? readFullDocument(text, file);
}

/** readDocument() with `yaml` only: every check above, and the messages for what is wrong. */
export function readFullDocument(text: string, file: string): ParsedText {
	const lines = new LineCounter();
	const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true});
	const problem = doc.errors[0] ?? doc.warnings[0];
	if (problem) {
		throw syntaxError(problem, text, lines, file);
	}

	const index = new PositionIndex();
	const walk: Walk = {text, lines, doc, index, file, open: new Set(), expanded: 0, aliasDepth: 0};
	const value = convert(walk, doc.contents, [], 0);
	return {value, index};
}

function syntaxError(problem: YAMLError, text: string, lines: LineCounter, file: string): InputError {
	const {line, column} = positionAt(lines, problem.pos[0]);
	const location = {file, line, column};
	switch (problem.code) {
		case 'DUPLICATE_KEY': {
			const key = /^["']?([^"':,\s}]+)/.exec(text.slice(problem.pos[0]))?.[1] ?? '?';
			return new InputError(
				`duplicate key "${key}": each key may appear once in a mapping (a second value would silently replace the first); remove one of them`,
				location,
			);
		}

		case 'MULTIPLE_DOCS': {
			return new InputError('the file holds more than one YAML document (---); a topology file holds exactly one', location);
		}

		case 'TAG_RESOLVE_FAILED': {
			const tag = /^!(?:<[^>]*>|\S*)/.exec(text.slice(problem.pos[0]))?.[0];
			const name = tag === undefined ? problem.message : tag.replace(/^!<tag:yaml\.org,2002:(.*)>$/, '!!$1');
			return new InputError(`the tag ${name} is not allowed: topology files are plain YAML without tags; remove it`, location);
		}

		default: {
			return new InputError(`YAML/JSON syntax error (${problem.code}): ${problem.message}`, location);
		}
	}
}

function refuse(walk: Walk, offset: number | undefined, message: string): InputError {
	const where = offset === undefined ? {line: 1, column: 1} : positionAt(walk.lines, offset);
	return new InputError(message, {file: walk.file, line: where.line, column: where.column});
}

/** Where the tag of a node starts: the `!` before its value (`!!str 12`, `!<tag:…> x`). */
function tagOffset(text: string, valueStart: number): number {
	let end = valueStart;
	while (end > 0 && /\s/.test(text[end - 1]!)) {
		end--;
	}

	if (text[end - 1] === '>') {
		const start = text.lastIndexOf('!<', end);
		return start === -1 ? valueStart : start;
	}

	let start = end;
	while (start > 0 && !/[\s[\]{},]/.test(text[start - 1]!)) {
		start--;
	}

	return text[start] === '!' ? start : valueStart;
}

function alias(walk: Walk, node: Alias, path: Path, depth: number, key?: SourcePosition): unknown {
	const offset = node.range?.[0];
	const target = node.resolve(walk.doc);
	if (target === undefined) {
		throw refuse(walk, offset, `the alias *${node.source} has no anchor &${node.source} before it; define the anchor first or write the value out`);
	}

	if (walk.open.has(target)) {
		throw refuse(walk, offset, `the alias *${node.source} refers to a collection that contains it, which would repeat without end; write the value out instead of the alias`);
	}

	if (walk.aliasDepth === 0) {
		walk.aliasAt = offset;
	}

	walk.aliasDepth++;
	try {
		return convert(walk, target, path, depth, key);
	} finally {
		walk.aliasDepth--;
	}
}

function convert(walk: Walk, node: unknown, path: Path, depth: number, key?: SourcePosition): unknown {
	if (node === null || node === undefined) {
		return null;
	}

	if (isAlias(node)) {
		return alias(walk, node, path, depth, key);
	}

	const range = (node as {range?: [number, number, number] | null}).range;
	if (walk.aliasDepth > 0 && ++walk.expanded > MAX_ALIAS_EXPANSION) {
		throw refuse(walk, walk.aliasAt, `aliases copy more than ${MAX_ALIAS_EXPANSION} values into the topology (an alias of an alias of …); write the values out or use fewer aliases`);
	}

	if (range) {
		walk.index.set(path, positionAt(walk.lines, range[0]), key);
	}

	const tag = (node as {tag?: string}).tag;
	if (tag !== undefined && range) {
		const name = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice('tag:yaml.org,2002:'.length)}` : tag;
		throw refuse(walk, tagOffset(walk.text, range[0]), `the tag ${name} is not allowed: topology files are plain YAML without tags; remove it`);
	}

	if ((isMap(node) || isSeq(node)) && depth >= MAX_DEPTH) {
		throw refuse(walk, range?.[0], `collections are nested more than ${MAX_DEPTH} deep; a topology is a mapping of a few levels (docs/topology-format.md)`);
	}

	if (isMap(node) || isSeq(node)) {
		walk.open.add(node);
		try {
			return isMap(node) ? convertMap(walk, node, path, depth) : node.items.map((item, i) => convert(walk, item, [...path, i], depth + 1));
		} finally {
			walk.open.delete(node);
		}
	}

	if (isScalar(node)) {
		const {value} = node;
		if (typeof value === 'number' || typeof value === 'bigint') {
			// The literal as written: numbers.ts parses it exactly.
			return range ? walk.text.slice(range[0], range[1]).trim() : String(value);
		}

		if (value !== null && typeof value === 'object') {
			// !!binary, !!timestamp and other typed scalars: nothing in a topology is one.
			const where = walk.index.at(path);
			throw new InputError(`a ${(node.tag ?? 'tagged').replace('tag:yaml.org,2002:', '!!')} value is not a topology value: topology files use plain YAML without tags; remove the tag`, {
				file: walk.file,
				line: where.line,
				column: where.column,
			});
		}

		return value;
	}

	return null;
}

function convertMap(walk: Walk, node: YAMLMap, path: Path, depth: number): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const pair of node.items) {
		if (!isPair(pair)) {
			continue;
		}

		const name = keyName(walk, pair.key);
		const keyRange = (pair.key as {range?: [number, number, number] | null} | null)?.range;
		const keyPos = keyRange ? positionAt(walk.lines, keyRange[0]) : undefined;
		// Define, never assign: a key named __proto__ must stay an ordinary (unknown) key.
		Object.defineProperty(out, name, {
			value: convert(walk, pair.value, [...path, name], depth + 1, keyPos),
			enumerable: true,
			writable: true,
			configurable: true,
		});
		if (pair.value === null && keyPos) {
			walk.index.set([...path, name], keyPos, keyPos);
		}
	}

	return out;
}

function keyName(walk: Walk, key: unknown): string {
	if (isScalar(key)) {
		const range = key.range;
		if (key.tag !== undefined) {
			throw refuse(walk, range ? tagOffset(walk.text, range[0]) : undefined, `the tag ${key.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: topology files are plain YAML without tags; remove it`);
		}

		if (typeof key.value === 'string') {
			return key.value;
		}

		return range ? walk.text.slice(range[0], range[1]).trim() : String(key.value);
	}

	const range = (key as {range?: [number, number, number] | null} | null)?.range;
	const where = range ? positionAt(walk.lines, range[0]) : {line: 1, column: 1};
	throw new InputError('a mapping key must be a plain name, not a collection or an empty key', {
		file: walk.file,
		line: where.line,
		column: where.column,
	});
}

/**
YAML and JSON topology text → a plain value plus the position of every node.

JSON goes through the same `yaml` parseDocument (JSON is a YAML 1.2 subset), so positions,
duplicate-key detection and error messages are the same for both. Scalars that YAML resolves to
numbers are handed on as their *source text* (numbers.ts reads them exactly; YAML's own number
would lose bits above 2^53 and reads `6.10` as 6.1). Strings, booleans and null pass through.
*/
import {type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type YAMLError} from 'yaml';
import {InputError} from '../errors/input-error.js';
import {type Path, PositionIndex} from './positions.js';
import type {SourcePosition} from './types.js';

export type ParsedText = {
	readonly value: unknown;
	readonly index: PositionIndex;
};

type Walk = {
	readonly text: string;
	readonly lines: LineCounter;
	readonly doc: Document;
	readonly index: PositionIndex;
	readonly file: string;
};

/** Parse topology text. Throws InputError (with file:line:column) for a syntax error or a duplicate key. */
export function readDocument(text: string, file: string): ParsedText {
	const lines = new LineCounter();
	const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false, uniqueKeys: true, strict: true});
	const problem = doc.errors[0] ?? doc.warnings[0];
	if (problem) {
		throw syntaxError(problem, text, lines, file);
	}

	const index = new PositionIndex();
	const walk: Walk = {text, lines, doc, index, file};
	const value = convert(walk, doc.contents, []);
	return {value, index};
}

function position(lines: LineCounter, offset: number): SourcePosition {
	const {line, col} = lines.linePos(offset);
	return {line, column: col};
}

function syntaxError(problem: YAMLError, text: string, lines: LineCounter, file: string): InputError {
	const {line, column} = position(lines, problem.pos[0]);
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
			return new InputError(`${problem.message}: topology files use plain YAML without tags; remove the tag`, location);
		}

		default: {
			return new InputError(`YAML/JSON syntax error (${problem.code}): ${problem.message}`, location);
		}
	}
}

function convert(walk: Walk, node: unknown, path: Path, key?: SourcePosition): unknown {
	if (node === null || node === undefined) {
		return null;
	}

	if (isAlias(node)) {
		return convert(walk, node.resolve(walk.doc), path, key);
	}

	const range = (node as {range?: [number, number, number] | null}).range;
	if (range) {
		walk.index.set(path, position(walk.lines, range[0]), key);
	}

	if (isMap(node)) {
		const out: Record<string, unknown> = {};
		for (const pair of node.items) {
			if (!isPair(pair)) {
				continue;
			}

			const name = keyName(walk, pair.key);
			const keyRange = (pair.key as {range?: [number, number, number] | null} | null)?.range;
			const keyPos = keyRange ? position(walk.lines, keyRange[0]) : undefined;
			// Define, never assign: a key named __proto__ must stay an ordinary (unknown) key.
			Object.defineProperty(out, name, {
				value: convert(walk, pair.value, [...path, name], keyPos),
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

	if (isSeq(node)) {
		return node.items.map((item, i) => convert(walk, item, [...path, i]));
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

function keyName(walk: Walk, key: unknown): string {
	if (isScalar(key)) {
		const range = key.range;
		if (typeof key.value === 'string') {
			return key.value;
		}

		return range ? walk.text.slice(range[0], range[1]).trim() : String(key.value);
	}

	const range = (key as {range?: [number, number, number] | null} | null)?.range;
	const where = range ? position(walk.lines, range[0]) : {line: 1, column: 1};
	throw new InputError('a mapping key must be a plain name, not a collection or an empty key', {
		file: walk.file,
		line: where.line,
		column: where.column,
	});
}

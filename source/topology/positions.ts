/**
Where each value of a topology file sits (1-based line and column), by its path in the parsed
value: `['memory', 2, 'altmap', 'free']`. Filled while the YAML/JSON document is converted
(document.ts) and read by every error and warning.
*/
import type {LineCounter} from 'yaml';
import type {SourcePosition} from './types.js';

export type Path = ReadonlyArray<string | number>;

/** The 1-based line and column of an offset into a text whose line starts `lines` holds. */
export function positionAt(lines: LineCounter, offset: number): SourcePosition {
	const {line, col} = lines.linePos(offset);
	return {line, column: col};
}

/** "memory[2].altmap.free": how a path is named in messages. */
export function formatPath(path: Path): string {
	let out = '';
	for (const part of path) {
		out += typeof part === 'number' ? `[${part}]` : (out === '' ? part : `.${part}`);
	}

	return out === '' ? 'the topology' : out;
}

/**
Where a value or key starts: a position, or an offset into the text that the index turns into one
when asked (the plain-YAML path records offsets: most positions are never asked for).
*/
type Place = SourcePosition | number;

/** One node of the index: where its value (and key) start, and the nodes below it by item number and by key. */
export type PositionNode = {
	value?: Place;
	key?: Place;
	/** Sequence items by number. */
	items?: PositionNode[];
	/** Mapping entries by key (a Map: any string is a key, "2" included, which is no item number). */
	fields?: Map<string, PositionNode>;
};

/**
A tree keyed by path parts (item numbers apart from keys, so that the item 2 is not the key "2"):
recording and looking up a position walks the few parts of its path, with no key string built per
value.
*/
export class PositionIndex {
	private readonly root: PositionNode = {};

	/** `lines`: the line starts of the text, for the offsets record() is given. */
	constructor(private readonly lines?: LineCounter) {}

	/** Record where the value at `path` starts (and, for a map entry, where its key starts). */
	set(path: Path, value: SourcePosition, key?: SourcePosition): void {
		let node = this.root;
		for (const part of path) {
			node = this.child(node, part);
		}

		this.record(node, value, key);
	}

	/** The node of the topology itself (path []): with child() and record(), a reader that walks the document in order records each value without walking its path from the top. */
	top(): PositionNode {
		return this.root;
	}

	/** The node one part below `node` (made if new): child(child(top(), 'memory'), 2) is the node of ['memory', 2]. */
	child(node: PositionNode, part: string | number): PositionNode {
		let child: PositionNode | undefined;
		if (typeof part === 'number') {
			node.items ??= [];
			child = node.items[part];
			if (!child) {
				child = {};
				node.items[part] = child;
			}
		} else {
			node.fields ??= new Map();
			child = node.fields.get(part);
			if (!child) {
				child = {};
				node.fields.set(part, child);
			}
		}

		return child;
	}

	/** set() for a node child() gave; an offset needs the index's lineStarts. */
	record(node: PositionNode, value: Place, key?: Place): void {
		node.value = value;
		if (key !== undefined) {
			node.key = key;
		}
	}

	/**
	Where the value at `path` starts. A path that is not in the file (a missing key) resolves to
	its closest ancestor that is, so that "size is required" points at the entry that lacks it.
	*/
	at(path: Path): SourcePosition {
		let node: PositionNode | undefined = this.root;
		let found = this.root.value;
		for (const part of path) {
			node = below(node, part);
			if (!node) {
				break;
			}

			found = node.value ?? found;
		}

		return found === undefined ? {line: 1, column: 1} : this.position(found);
	}

	/** Where the key of the map entry at `path` starts; falls back to the value (sequence items). */
	keyAt(path: Path): SourcePosition {
		const key = this.find(path)?.key;
		return key === undefined ? this.at(path) : this.position(key);
	}

	/** True when the file has a value at exactly this path. */
	has(path: Path): boolean {
		return this.find(path)?.value !== undefined;
	}

	private find(path: Path): PositionNode | undefined {
		let node: PositionNode | undefined = this.root;
		for (const part of path) {
			node = below(node, part);
			if (!node) {
				return undefined;
			}
		}

		return node;
	}

	/** 1-based line and column of a place. */
	private position(place: Place): SourcePosition {
		if (typeof place !== 'number') {
			return place;
		}

		if (!this.lines) {
			throw new TypeError('PositionIndex: an offset was recorded without the line starts of its text');
		}

		return positionAt(this.lines, place);
	}
}

function below(node: PositionNode, part: string | number): PositionNode | undefined {
	return typeof part === 'number' ? node.items?.[part] : node.fields?.get(part);
}

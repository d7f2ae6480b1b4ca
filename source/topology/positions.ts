/**
Where each value of a topology file sits (1-based line and column), by its path in the parsed
value: `['memory', 2, 'altmap', 'free']`. Filled while the YAML/JSON document is converted
(document.ts) and read by every error and warning.
*/
import type {SourcePosition} from './types.js';

export type Path = ReadonlyArray<string | number>;

/** "memory[2].altmap.free": how a path is named in messages. */
export function formatPath(path: Path): string {
	let out = '';
	for (const part of path) {
		out += typeof part === 'number' ? `[${part}]` : (out === '' ? part : `.${part}`);
	}

	return out === '' ? 'the topology' : out;
}

/** One node of the index: where its value (and key) start, and the nodes below it by key or item number. */
export type PositionNode = {
	value?: SourcePosition;
	key?: SourcePosition;
	children?: Map<string | number, PositionNode>;
};

/**
A tree keyed by path parts (a Map tells the item number 2 from the key "2"): recording and looking
up a position walks the few parts of its path, with no key string built per value.
*/
export class PositionIndex {
	private readonly root: PositionNode = {};

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
		node.children ??= new Map();
		let child = node.children.get(part);
		if (!child) {
			child = {};
			node.children.set(part, child);
		}

		return child;
	}

	/** set() for a node child() gave. */
	record(node: PositionNode, value: SourcePosition, key?: SourcePosition): void {
		node.value = value;
		if (key) {
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
			node = node.children?.get(part);
			if (!node) {
				break;
			}

			found = node.value ?? found;
		}

		return found ?? {line: 1, column: 1};
	}

	/** Where the key of the map entry at `path` starts; falls back to the value (sequence items). */
	keyAt(path: Path): SourcePosition {
		return this.find(path)?.key ?? this.at(path);
	}

	/** True when the file has a value at exactly this path. */
	has(path: Path): boolean {
		return this.find(path)?.value !== undefined;
	}

	private find(path: Path): PositionNode | undefined {
		let node: PositionNode | undefined = this.root;
		for (const part of path) {
			node = node.children?.get(part);
			if (!node) {
				return undefined;
			}
		}

		return node;
	}
}

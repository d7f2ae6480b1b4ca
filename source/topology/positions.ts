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

function keyOf(path: Path): string {
	return JSON.stringify(path);
}

export class PositionIndex {
	private readonly values = new Map<string, SourcePosition>();
	private readonly keys = new Map<string, SourcePosition>();

	/** Record where the value at `path` starts (and, for a map entry, where its key starts). */
	set(path: Path, value: SourcePosition, key?: SourcePosition): void {
		this.values.set(keyOf(path), value);
		if (key) {
			this.keys.set(keyOf(path), key);
		}
	}

	/**
	Where the value at `path` starts. A path that is not in the file (a missing key) resolves to
	its closest ancestor that is, so that "size is required" points at the entry that lacks it.
	*/
	at(path: Path): SourcePosition {
		for (let length = path.length; length >= 0; length--) {
			const found = this.values.get(keyOf(path.slice(0, length)));
			if (found) {
				return found;
			}
		}

		return {line: 1, column: 1};
	}

	/** Where the key of the map entry at `path` starts; falls back to the value (sequence items). */
	keyAt(path: Path): SourcePosition {
		return this.keys.get(keyOf(path)) ?? this.at(path);
	}

	/** True when the file has a value at exactly this path. */
	has(path: Path): boolean {
		return this.values.has(keyOf(path));
	}
}

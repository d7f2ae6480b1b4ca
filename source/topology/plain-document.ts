/**
The fast path of document.ts for plain topology text (issue 10: at 100 000 entries `yaml`'s
parseDocument took 4.8 s of CPU and some 700 MiB of memory, most of the audit's peak; js-yaml reads
the same text in 0.35 s and 150 MiB). js-yaml's `listener` reports where each node opens and closes
with its result; that gives the position of every value and key, the same positions (line and
column) document.ts records from `yaml`'s node ranges, and the source text of every number.

Anything beyond plain YAML goes back to document.ts, which reads it with `yaml` as before and gives
the message for what is wrong: `undefined` is returned for text with an anchor, alias, tag or
directive character (`&`, `*`, `!`, a `%` line) or a byte order mark, for anything js-yaml refuses
or warns about (syntax, duplicate keys), for a key that is not a plain string, for nesting deeper
than MAX_DEPTH, and for any node whose events do not line up with the value read.
*/
import {CORE_SCHEMA, load, type State} from 'js-yaml';
import {PositionIndex, type PositionNode} from './positions.js';
import type {SourcePosition} from './types.js';

/** One node as js-yaml's listener saw it: where it opened, what it is, the nodes composed inside it. */
type Event = {
	readonly open: number;
	kind: string | null;
	result: unknown;
	readonly children: Event[];
};

class NotPlain extends Error {}

/** Characters that make text more than plain YAML (anchors, aliases, tags, directives). */
const NOT_PLAIN = /[&*!]|^%|^\uFEFF/m;

export type PlainDocument = {
	readonly value: unknown;
	readonly index: PositionIndex;
};

/** Plain topology text → the value and positions document.ts would give, or undefined to read it with `yaml`. */
export function readPlainDocument(text: string, maxDepth: number): PlainDocument | undefined {
	if (NOT_PLAIN.test(text)) {
		return undefined;
	}

	const root: Event = {open: 0, kind: null, result: undefined, children: []};
	const stack: Event[] = [root];
	let warned = false;
	try {
		load(text, {
			schema: CORE_SCHEMA,
			onWarning() {
				warned = true;
			},
			listener(type: 'open' | 'close', state: State) {
				if (type === 'open') {
					const event: Event = {open: state.position, kind: null, result: undefined, children: []};
					stack.at(-1)!.children.push(event);
					stack.push(event);
				} else {
					const event = stack.pop()!;
					event.kind = state.kind;
					event.result = state.result;
				}
			},
		});
	} catch {
		return undefined;
	}

	if (warned || stack.length !== 1 || root.children.length !== 1) {
		return undefined;
	}

	const reader = new Reader(text, maxDepth);
	try {
		const value = reader.convert(root.children[0]!, reader.index.top(), 0);
		return {value, index: reader.index};
	} catch (error) {
		if (error instanceof NotPlain) {
			return undefined;
		}

		throw error;
	}
}

class Reader {
	readonly index = new PositionIndex();
	/** Offsets where lines start, filled on first use. */
	private readonly lineStarts: number[] = [0];

	constructor(
		private readonly text: string,
		private readonly maxDepth: number,
	) {
		for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
			this.lineStarts.push(i + 1);
		}
	}

	/** The value of `event` as document.ts gives it (numbers as their source text); records positions at `node` (its path's). */
	convert(event: Event, node: PositionNode, depth: number, key?: SourcePosition): unknown {
		event = unwrap(event);
		if (event.kind === null) {
			// No content (`key:` with nothing after it): `yaml` has an empty scalar right after the colon.
			this.index.record(node, this.position(event.open), key);
			return null;
		}

		const start = this.skipSpace(event.open);
		this.index.record(node, this.position(start), key);
		const {result} = event;
		if (event.kind === 'scalar') {
			if (typeof result === 'number') {
				return this.plainText(start);
			}

			if (result === null || typeof result === 'string' || typeof result === 'boolean') {
				return result;
			}

			throw new NotPlain();
		}

		if (depth >= this.maxDepth) {
			throw new NotPlain();
		}

		if (event.kind === 'sequence' && Array.isArray(result)) {
			const {children} = event;
			if (children.length !== result.length) {
				throw new NotPlain();
			}

			for (let i = 0; i < children.length; i++) {
				const child = children[i]!;
				if (unwrap(child).result !== result[i]) {
					throw new NotPlain();
				}

				result[i] = this.convert(child, this.index.child(node, i), depth + 1);
			}

			return result;
		}

		if (event.kind === 'mapping' && result !== null && typeof result === 'object' && !Array.isArray(result)) {
			const map = result as Record<string, unknown>;
			const keys = Object.keys(map);
			const {children} = event;
			if (children.length !== 2 * keys.length) {
				throw new NotPlain();
			}

			for (let i = 0; i < keys.length; i++) {
				const name = keys[i]!;
				const keyEvent = unwrap(children[2 * i]!);
				const valueEvent = children[2 * i + 1]!;
				if (name === '__proto__' || keyEvent.kind !== 'scalar' || keyEvent.result !== name || unwrap(valueEvent).result !== map[name]) {
					throw new NotPlain();
				}

				const keyPos = this.position(this.skipSpace(keyEvent.open));
				map[name] = this.convert(valueEvent, this.index.child(node, name), depth + 1, keyPos);
			}

			return map;
		}

		throw new NotPlain();
	}

	/** The line position() found last: the document is read in order, so it is most often the line asked next, or the one after it. */
	private lastLine = 0;

	/** 1-based line and column of an offset. */
	private position(offset: number): SourcePosition {
		const starts = this.lineStarts;
		const h = this.lastLine;
		if (starts[h]! <= offset) {
			if (h + 1 === starts.length || offset < starts[h + 1]!) {
				return {line: h + 1, column: offset - starts[h]! + 1};
			}

			if (h + 2 === starts.length || offset < starts[h + 2]!) {
				this.lastLine = h + 1;
				return {line: h + 2, column: offset - starts[h + 1]! + 1};
			}
		}

		let lo = 0;
		let hi = starts.length - 1;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (starts[mid]! <= offset) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}

		this.lastLine = lo;
		return {line: lo + 1, column: offset - starts[lo]! + 1};
	}

	/** From where js-yaml opened a node to where its content starts: past spaces, line breaks and comments. */
	private skipSpace(offset: number): number {
		const {text} = this;
		for (;;) {
			const c = text[offset];
			if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
				offset++;
			} else if (c === '#') {
				const eol = text.indexOf('\n', offset);
				offset = eol === -1 ? text.length : eol;
			} else {
				return offset;
			}
		}
	}

	/** A plain scalar's source text (a number: on one line, without `,`, `]`, `}` or a comment). */
	private plainText(start: number): string {
		const {text} = this;
		let end = start;
		while (end < text.length) {
			const c = text[end]!;
			if (c === '\n' || c === '\r' || c === ',' || c === ']' || c === '}' || ((c === '#') && (text[end - 1] === ' ' || text[end - 1] === '\t'))) {
				break;
			}

			end++;
		}

		return text.slice(start, end).trim();
	}
}

/**
js-yaml tries a block mapping before other forms: a node that turned out to be something else holds
the node it composed on the way (the would-be key) with the same result. Its content is that node.
*/
function unwrap(event: Event): Event {
	while (event.kind !== 'scalar' && event.children.length === 1 && event.children[0]!.result === event.result && event.children[0]!.kind === event.kind) {
		event = event.children[0]!;
	}

	return event;
}

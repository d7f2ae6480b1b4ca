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
import {LineCounter} from 'yaml';
import {PositionIndex, type PositionNode} from './positions.js';

/** One node as js-yaml's listener saw it: where it opened, what it is, the nodes composed inside it (null: none, most nodes are scalars). */
type Event = {
	readonly open: number;
	kind: string | null;
	result: unknown;
	children: Event[] | null;
};

const NO_EVENTS: readonly Event[] = [];

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

	const root: Event = {open: 0, kind: null, result: undefined, children: null};
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
					const event: Event = {open: state.position, kind: null, result: undefined, children: null};
					const parent = stack[stack.length - 1]!;
					if (parent.children === null) {
						parent.children = [event];
					} else {
						parent.children.push(event);
					}

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

	if (warned || stack.length !== 1 || root.children?.length !== 1) {
		return undefined;
	}

	const reader = new Reader(text, maxDepth);
	try {
		const value = reader.convert(root.children![0]!, reader.index.top(), 0);
		return {value, index: reader.index};
	} catch (error) {
		if (error instanceof NotPlain) {
			return undefined;
		}

		throw error;
	}
}

class Reader {
	/** Positions as offsets, turned into lines and columns when asked for (most never are). */
	readonly index: PositionIndex;

	constructor(
		private readonly text: string,
		private readonly maxDepth: number,
	) {
		const lines = new LineCounter();
		lines.addNewLine(0);
		for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
			lines.addNewLine(i + 1);
		}

		this.index = new PositionIndex(lines);
	}

	/** The value of `event` as document.ts gives it (numbers as their source text); records positions at `node` (its path's). */
	convert(event: Event, node: PositionNode, depth: number, key?: number): unknown {
		event = unwrap(event);
		if (event.kind === null) {
			// No content (`key:` with nothing after it): `yaml` has an empty scalar right after the colon.
			this.index.record(node, event.open, key);
			return null;
		}

		const start = this.skipSpace(event.open);
		this.index.record(node, start, key);
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
			const children = event.children ?? NO_EVENTS;
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
			const children = event.children ?? NO_EVENTS;
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

				map[name] = this.convert(valueEvent, this.index.child(node, name), depth + 1, this.skipSpace(keyEvent.open));
			}

			return map;
		}

		throw new NotPlain();
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
	while (event.kind !== 'scalar' && event.children?.length === 1 && event.children[0]!.result === event.result && event.children[0]!.kind === event.kind) {
		event = event.children[0]!;
	}

	return event;
}

/**
Many strings kept as one (issue 10: memory at scale): their concatenation and where each ends,
each given back as a new string when asked. A list of 80 000 labels a model or an audit keeps is
80 000 string objects (each a header and, built by a template literal, a tree of parts); packed,
it is one string and one Uint32Array. Used for the span lists a model remembers for the walkers
(source/walker/ranges.ts packSpans()) and the memory map an audit keeps for its report
(source/engine/report.ts PackedMap).
*/
export class PackedStrings {
	readonly #text: string;
	readonly #ends: Uint32Array;

	constructor(strings: readonly string[]) {
		const n = strings.length;
		this.#ends = new Uint32Array(n);
		let end = 0;
		for (let i = 0; i < n; i++) {
			end += strings[i]!.length;
			this.#ends[i] = end;
		}

		this.#text = strings.join('');
	}

	get length(): number {
		return this.#ends.length;
	}

	/** The i-th string, equal to the one given. */
	at(i: number): string {
		return this.#text.slice(i === 0 ? 0 : this.#ends[i - 1], this.#ends[i]);
	}
}

/**
\`text\` made one flat string where V8 holds it as a rope (a ConsString, what template literals and
\`+\` build of parts): V8 flattens a string in place when it reads it as a number. A rope of many
parts is a node of 32 bytes a part, and keeps its parts alive; reading it as text (writing it into
a Buffer, measuring its UTF-8 length) flattens it anyway, allocating the flat copy then.
*/
export function flatten(text: string): void {
	Number(text);
}

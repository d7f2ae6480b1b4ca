/**
A map from half-open number ranges to values, held as maximal runs.

This is how pfnaudit keeps per-pfn state without growing with the number of pfns: a 2^52-byte
address space with tens of topology entries is a few hundred runs. Values are treated as
immutable; adjacent runs whose values are `equals` are merged.
*/
export type Segment<V> = {readonly start: number; readonly end: number; readonly value: V};

export class RangeMap<V> {
	/** starts[i] is where run i begins; run i ends where run i + 1 begins (the last run ends at `limit`). */
	private starts: number[];
	private values: V[];

	/**
	@param defaultValue value of every point in [0, limit) before any set()
	@param limit exclusive upper bound of the domain
	@param equals value equality used to merge adjacent runs
	*/
	constructor(
		defaultValue: V,
		readonly limit: number,
		private readonly equals: (a: V, b: V) => boolean = Object.is,
	) {
		this.starts = [0];
		this.values = [defaultValue];
	}

	/** Number of runs. */
	get size(): number {
		return this.starts.length;
	}

	/**
	The run the last indexOf() found: the replay and the runs visit pfns mostly in ascending order,
	so the run asked for next is most often that one or the one after it (a 10 000-entry build
	asks some 570 000 times, over maps of up to 20 000 runs). Only a guess: it is checked against
	the starts before it is used, so it stays right whatever set() and update() did in between.
	*/
	private hint = 0;

	/** Index of the run containing x (0 <= x < limit). */
	indexOf(x: number): number {
		const {starts} = this;
		const n = starts.length;
		const h = this.hint;
		if (h < n && starts[h]! <= x) {
			if (h + 1 === n || x < starts[h + 1]!) {
				return h;
			}

			if (h + 2 === n || x < starts[h + 2]!) {
				this.hint = h + 1;
				return h + 1;
			}
		}

		let lo = 0;
		let hi = n - 1;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (starts[mid]! <= x) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}

		this.hint = lo;
		return lo;
	}

	get(x: number): V {
		return this.values[this.indexOf(x)]!;
	}

	/** The run containing x. */
	segmentAt(x: number): Segment<V> {
		const i = this.indexOf(x);
		return {start: this.starts[i]!, end: this.starts[i + 1] ?? this.limit, value: this.values[i]!};
	}

	/**
	Replace the value of every run overlapping [start, end) by fn(old value), clipped to [start, end).
	Work is proportional to the runs inside the range (plus one splice): only the runs around the
	change are merged again, since every other pair of neighbours was already maximal.
	*/
	update(start: number, end: number, fn: (old: V, start: number, end: number) => V): void {
		start = Math.max(0, start);
		end = Math.min(this.limit, end);
		if (start >= end) {
			return;
		}

		this.split(start);
		this.split(end);
		const first = this.indexOf(start);
		let last = first;
		for (; last < this.starts.length && this.starts[last]! < end; last++) {
			this.values[last] = fn(this.values[last]!, this.starts[last]!, this.starts[last + 1] ?? this.limit);
		}

		// Runs [first, last) changed: merge within [first - 1, last] (the neighbours included).
		const from = Math.max(1, first);
		const to = Math.min(this.starts.length - 1, last);
		let write = from;
		for (let i = from; i <= to; i++) {
			if (this.equals(this.values[write - 1]!, this.values[i]!)) {
				continue;
			}

			this.starts[write] = this.starts[i]!;
			this.values[write] = this.values[i]!;
			write++;
		}

		const removed = to + 1 - write;
		if (removed > 0) {
			this.starts.splice(write, removed);
			this.values.splice(write, removed);
		}
	}

	/** Set [start, end) to value: one splice, the runs it covers replaced by one. */
	set(start: number, end: number, value: V): void {
		start = Math.max(0, start);
		end = Math.min(this.limit, end);
		if (start >= end) {
			return;
		}

		this.split(end);
		const i = this.indexOf(start);
		const j = end >= this.limit ? this.starts.length : this.indexOf(end);
		// Runs i..j-1 overlap [start, end); run i may begin before start.
		const head = this.starts[i]! < start;
		const keepFrom = head ? i + 1 : i;
		const mergePrevious = head ? this.equals(this.values[i]!, value) : i > 0 && this.equals(this.values[i - 1]!, value);
		const mergeNext = j < this.starts.length && this.equals(this.values[j]!, value);
		// Replace runs keepFrom..j-1 (and run j when it merges) by at most one run at `start`.
		const deleteCount = j - keepFrom + (mergeNext ? 1 : 0);
		if (mergePrevious) {
			this.starts.splice(keepFrom, deleteCount);
			this.values.splice(keepFrom, deleteCount);
		} else {
			this.starts.splice(keepFrom, deleteCount, start);
			this.values.splice(keepFrom, deleteCount, value);
		}
	}

	/** The first run boundary strictly after x and strictly before `before`, or undefined. */
	nextBoundary(x: number, before = this.limit): number | undefined {
		const next = x < 0 ? 1 : this.indexOf(Math.min(x, this.limit - 1)) + 1;
		const boundary = this.starts[next];
		return boundary !== undefined && boundary > x && boundary < before ? boundary : undefined;
	}

	/** The last run boundary strictly before x and strictly after `after`, or undefined. */
	previousBoundary(x: number, after = 0): number | undefined {
		if (x <= 0) {
			return undefined;
		}

		let i = this.indexOf(Math.min(x, this.limit) - 1);
		if (this.starts[i]! >= x) {
			i--;
		}

		const boundary = i >= 1 ? this.starts[i]! : undefined;
		return boundary !== undefined && boundary > after ? boundary : undefined;
	}

	/** Every run boundary strictly inside (start, end), ascending; pushed onto `out`. */
	boundariesIn(start: number, end: number, out: number[] = []): number[] {
		if (end <= start + 1) {
			return out;
		}

		for (let i = start < 0 ? 1 : this.indexOf(Math.min(start, this.limit - 1)) + 1; i < this.starts.length && this.starts[i]! < end; i++) {
			if (this.starts[i]! > start) {
				out.push(this.starts[i]!);
			}
		}

		return out;
	}

	/** Runs overlapping [start, end), clipped to it, in ascending order. */
	*segments(start = 0, end = this.limit): Generator<Segment<V>> {
		start = Math.max(0, start);
		end = Math.min(this.limit, end);
		if (start >= end) {
			return;
		}

		for (let i = this.indexOf(start); i < this.starts.length && this.starts[i]! < end; i++) {
			yield {
				start: Math.max(start, this.starts[i]!),
				end: Math.min(end, this.starts[i + 1] ?? this.limit),
				value: this.values[i]!,
			};
		}
	}

	/** Every run boundary strictly inside (0, limit). */
	boundaries(): number[] {
		return this.starts.slice(1);
	}

	/** A deep-enough copy: runs are copied, values are shared (they are immutable). */
	clone(): RangeMap<V> {
		const copy = new RangeMap<V>(this.values[0]!, this.limit, this.equals);
		copy.starts = [...this.starts];
		copy.values = [...this.values];
		return copy;
	}

	private split(x: number): void {
		if (x <= 0 || x >= this.limit) {
			return;
		}

		const i = this.indexOf(x);
		if (this.starts[i] === x) {
			return;
		}

		this.starts.splice(i + 1, 0, x);
		this.values.splice(i + 1, 0, this.values[i]!);
	}
}

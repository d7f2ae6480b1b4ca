/**
A map from half-open number ranges to values, held as maximal runs.

This is how pfnaudit keeps per-pfn state without growing with the number of pfns: a 2^52-byte
address space with tens of topology entries is a few hundred runs. Values are treated as
immutable; adjacent runs whose values are `equals` are merged.
*/
export type Segment<V> = {readonly start: number; readonly end: number; readonly value: V};

/**
An array whose insertions and deletions cost the distance from the previous one, not the length:
a gap buffer held as two stacks, the elements before the gap in `head` and the rest in `tail`,
last element first. A replay writes its ranges in ascending order, mostly in the middle of runs
laid down before (the boot memmap over the raw memmap of every boot section), and an array
splice there moved every later run: some 26 million moves in a 10 000-entry build, 2.6 billion
in a 100 000-entry one, most of its time (issue 10).
*/
class GapArray<T> {
	private head: T[];
	private tail: T[] = [];

	constructor(items: T[]) {
		this.head = items;
	}

	get length(): number {
		return this.head.length + this.tail.length;
	}

	/** Element i (0 <= i), or undefined past the end. */
	at(i: number): T | undefined {
		const {head} = this;
		if (i < head.length) {
			return head[i];
		}

		const {tail} = this;
		const j = tail.length - 1 - (i - head.length);
		return j >= 0 ? tail[j] : undefined;
	}

	/** Replace element i (0 <= i < length). */
	put(i: number, value: T): void {
		const {head} = this;
		if (i < head.length) {
			head[i] = value;
		} else {
			const {tail} = this;
			tail[tail.length - 1 - (i - head.length)] = value;
		}
	}

	/** splice(index, deleteCount) of an array, without its result (0 <= index <= length). */
	remove(index: number, deleteCount: number): void {
		this.moveGap(index);
		const {tail} = this;
		for (let k = 0; k < deleteCount && tail.length > 0; k++) {
			tail.pop();
		}
	}

	/** splice(index, deleteCount, item) of an array, without its result (0 <= index <= length). */
	replace(index: number, deleteCount: number, item: T): void {
		this.remove(index, deleteCount);
		this.head.push(item);
	}

	/** Move the gap to just before element `index`: the cost is the distance it moves. */
	private moveGap(index: number): void {
		const {head, tail} = this;
		while (head.length > index) {
			tail.push(head.pop()!);
		}

		while (head.length < index) {
			head.push(tail.pop()!);
		}
	}

	toArray(): T[] {
		const out = this.head.slice();
		for (let j = this.tail.length - 1; j >= 0; j--) {
			out.push(this.tail[j]!);
		}

		return out;
	}
}

export class RangeMap<V> {
	/** starts.at(i) is where run i begins; run i ends where run i + 1 begins (the last run ends at `limit`). */
	private starts: GapArray<number>;
	private values: GapArray<V>;

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
		this.starts = new GapArray([0]);
		this.values = new GapArray([defaultValue]);
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
		if (h < n && starts.at(h)! <= x) {
			if (h + 1 === n || x < starts.at(h + 1)!) {
				return h;
			}

			if (h + 2 === n || x < starts.at(h + 2)!) {
				this.hint = h + 1;
				return h + 1;
			}
		}

		let lo = 0;
		let hi = n - 1;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (starts.at(mid)! <= x) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}

		this.hint = lo;
		return lo;
	}

	get(x: number): V {
		return this.values.at(this.indexOf(x))!;
	}

	/** The run containing x. */
	segmentAt(x: number): Segment<V> {
		const i = this.indexOf(x);
		return {start: this.starts.at(i)!, end: this.starts.at(i + 1) ?? this.limit, value: this.values.at(i)!};
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
		const {starts, values} = this;
		const first = this.indexOf(start);
		let last = first;
		for (; last < starts.length && starts.at(last)! < end; last++) {
			values.put(last, fn(values.at(last)!, starts.at(last)!, starts.at(last + 1) ?? this.limit));
		}

		// Runs [first, last) changed: merge within [first - 1, last] (the neighbours included).
		const from = Math.max(1, first);
		const to = Math.min(starts.length - 1, last);
		let write = from;
		for (let i = from; i <= to; i++) {
			if (this.equals(values.at(write - 1)!, values.at(i)!)) {
				continue;
			}

			starts.put(write, starts.at(i)!);
			values.put(write, values.at(i)!);
			write++;
		}

		const removed = to + 1 - write;
		if (removed > 0) {
			starts.remove(write, removed);
			values.remove(write, removed);
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
		const {starts, values} = this;
		const i = this.indexOf(start);
		const j = end >= this.limit ? starts.length : this.indexOf(end);
		// Runs i..j-1 overlap [start, end); run i may begin before start.
		const head = starts.at(i)! < start;
		const keepFrom = head ? i + 1 : i;
		const mergePrevious = head ? this.equals(values.at(i)!, value) : i > 0 && this.equals(values.at(i - 1)!, value);
		const mergeNext = j < starts.length && this.equals(values.at(j)!, value);
		// Replace runs keepFrom..j-1 (and run j when it merges) by at most one run at `start`.
		const deleteCount = j - keepFrom + (mergeNext ? 1 : 0);
		if (mergePrevious) {
			starts.remove(keepFrom, deleteCount);
			values.remove(keepFrom, deleteCount);
		} else {
			starts.replace(keepFrom, deleteCount, start);
			values.replace(keepFrom, deleteCount, value);
		}
	}

	/** The first run boundary strictly after x and strictly before `before`, or undefined. */
	nextBoundary(x: number, before = this.limit): number | undefined {
		const next = x < 0 ? 1 : this.indexOf(Math.min(x, this.limit - 1)) + 1;
		const boundary = this.starts.at(next);
		return boundary !== undefined && boundary > x && boundary < before ? boundary : undefined;
	}

	/** The last run boundary strictly before x and strictly after `after`, or undefined. */
	previousBoundary(x: number, after = 0): number | undefined {
		if (x <= 0) {
			return undefined;
		}

		let i = this.indexOf(Math.min(x, this.limit) - 1);
		if (this.starts.at(i)! >= x) {
			i--;
		}

		const boundary = i >= 1 ? this.starts.at(i)! : undefined;
		return boundary !== undefined && boundary > after ? boundary : undefined;
	}

	/** Every run boundary strictly inside (start, end), ascending; pushed onto `out`. */
	boundariesIn(start: number, end: number, out: number[] = []): number[] {
		if (end <= start + 1) {
			return out;
		}

		const {starts} = this;
		for (let i = start < 0 ? 1 : this.indexOf(Math.min(start, this.limit - 1)) + 1; i < starts.length && starts.at(i)! < end; i++) {
			if (starts.at(i)! > start) {
				out.push(starts.at(i)!);
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

		for (let i = this.indexOf(start); i < this.starts.length && this.starts.at(i)! < end; i++) {
			yield {
				start: Math.max(start, this.starts.at(i)!),
				end: Math.min(end, this.starts.at(i + 1) ?? this.limit),
				value: this.values.at(i)!,
			};
		}
	}

	/** Every run boundary strictly inside (0, limit). */
	boundaries(): number[] {
		return this.starts.toArray().slice(1);
	}

	/** A deep-enough copy: runs are copied, values are shared (they are immutable). */
	clone(): RangeMap<V> {
		const copy = new RangeMap<V>(this.values.at(0)!, this.limit, this.equals);
		copy.starts = new GapArray(this.starts.toArray());
		copy.values = new GapArray(this.values.toArray());
		return copy;
	}

	private split(x: number): void {
		if (x <= 0 || x >= this.limit) {
			return;
		}

		const i = this.indexOf(x);
		if (this.starts.at(i) === x) {
			return;
		}

		this.starts.replace(i + 1, 0, x);
		this.values.replace(i + 1, 0, this.values.at(i)!);
	}
}

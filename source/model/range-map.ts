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

	/** Index of the run containing x (0 <= x < limit). */
	indexOf(x: number): number {
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (this.starts[mid]! <= x) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}

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

	/** Set [start, end) to value. */
	set(start: number, end: number, value: V): void {
		this.update(start, end, () => value);
	}

	/** Replace the value of every run overlapping [start, end) by fn(old value), clipped to [start, end). */
	update(start: number, end: number, fn: (old: V, start: number, end: number) => V): void {
		start = Math.max(0, start);
		end = Math.min(this.limit, end);
		if (start >= end) {
			return;
		}

		this.split(start);
		this.split(end);
		const first = this.indexOf(start);
		for (let i = first; i < this.starts.length && this.starts[i]! < end; i++) {
			this.values[i] = fn(this.values[i]!, this.starts[i]!, this.starts[i + 1] ?? this.limit);
		}

		this.coalesce();
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

	private coalesce(): void {
		const starts: number[] = [this.starts[0]!];
		const values: V[] = [this.values[0]!];
		for (let i = 1; i < this.starts.length; i++) {
			if (this.equals(values.at(-1)!, this.values[i]!)) {
				continue;
			}

			starts.push(this.starts[i]!);
			values.push(this.values[i]!);
		}

		this.starts = starts;
		this.values = values;
	}
}

/**
Entries by address, for the cross-entry checks (overlaps, shared sections) that would otherwise
compare every pair: kept sorted by start, found by binary search. Validated entries never overlap
each other, so sorting by start sorts their ends too; should an overlapping set ever be added the
index answers by visiting every item (same answers, only slower).
*/
import type {Span} from './ranges.js';

export type IndexedSpan = Span & {readonly index: number};

export class SpanIndex<T extends IndexedSpan> {
	private readonly added: T[] = [];
	private readonly sorted: T[] = [];
	private deleted: Set<number> | undefined;
	private disjoint = true;

	/** In insertion (file) order, without the deleted ones. */
	get items(): readonly T[] {
		const {deleted} = this;
		return deleted === undefined ? this.added : this.added.filter(item => !deleted.has(item.index));
	}

	add(item: T): void {
		this.added.push(item);
		if (item.end <= item.start) {
			this.disjoint = false;
		}

		// Entries usually come in address order: search from the end.
		let at = this.sorted.length;
		if (at > 0 && this.sorted[at - 1]!.start > item.start) {
			let lo = 0;
			let hi = at;
			while (lo < hi) {
				const mid = Math.floor((lo + hi) / 2);
				if (this.sorted[mid]!.start > item.start) {
					hi = mid;
				} else {
					lo = mid + 1;
				}
			}

			at = lo;
		}

		const previous = this.sorted[at - 1];
		const next = this.sorted[at];
		if ((previous && previous.end > item.start) || (next && next.start < item.end)) {
			this.disjoint = false;
		}

		this.sorted.splice(at, 0, item);
	}

	/**
	Take out the item with this start and index (a range removed or torn down by an operation):
	found by binary search while the items are disjoint.
	*/
	delete(item: IndexedSpan): void {
		const {sorted} = this;
		let at: number;
		if (this.disjoint) {
			let lo = 0;
			let hi = sorted.length;
			while (lo < hi) {
				const mid = Math.floor((lo + hi) / 2);
				if (sorted[mid]!.start < item.start) {
					lo = mid + 1;
				} else {
					hi = mid;
				}
			}

			at = lo;
			while (at < sorted.length && sorted[at]!.start === item.start && sorted[at]!.index !== item.index) {
				at++;
			}
		} else {
			at = sorted.findIndex(other => other.index === item.index);
		}

		if (at < 0 || at >= sorted.length || sorted[at]!.index !== item.index) {
			return;
		}

		sorted.splice(at, 1);
		this.deleted ??= new Set();
		this.deleted.add(item.index);
	}

	/** Every item that shares a byte with `span`, in insertion order. */
	overlapping(span: Span): T[] {
		if (!this.disjoint) {
			return this.items.filter(item => item.start < span.end && span.start < item.end);
		}

		const {sorted} = this;
		let lo = 0;
		let hi = sorted.length;
		while (lo < hi) {
			const mid = Math.floor((lo + hi) / 2);
			if (sorted[mid]!.end > span.start) {
				hi = mid;
			} else {
				lo = mid + 1;
			}
		}

		const out: T[] = [];
		for (let i = lo; i < sorted.length && sorted[i]!.start < span.end; i++) {
			out.push(sorted[i]!);
		}

		return out.sort((a, b) => a.index - b.index);
	}

	/** True when `span` shares no byte with any item. */
	isClear(span: Span): boolean {
		return this.overlapping(span).length === 0;
	}
}

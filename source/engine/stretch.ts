/**
Cutting a pass's range into stretches for the runs mode: maximal sequences of iteration points
over which the model run of the step pfn and of every anchor pfn stays the same.

The step pfn's run end follows by arithmetic. Anchors are monotone non-decreasing functions of
the step pfn (contract.ts), so "anchor still in its run" is true on a prefix of the stretch:
the last such point is found by a binary search over iteration indices (one anchor call per
probe, after a first probe of the stretch's end, which is the common case).

Anchor calls are most of the cost of a pass with many anchors (__reset_isolation_pfn() declares
over a hundred per pass), so each anchor's value at the last point it was found in its run is
kept: the runs mode's spot check at the stretch's last point reads it there instead of calling
the anchor again (valuesAtLast()).
*/
import {hex} from '../model/geometry.js';
import type {Anchor, Pass} from '../walker/contract.js';
import type {RunCursor} from './run-cursor.js';
import {ContractViolation} from './violation.js';

/** Iteration geometry of one range of a pass. */
export type RangeWalk = {
	readonly start: number;
	readonly end: number;
	readonly stride: number;
	readonly up: boolean;
	/** Number of iteration points. */
	readonly n: number;
};

/** The pfn of iteration point k. */
export function pointAt(r: RangeWalk, k: number): number {
	return r.up ? r.start + k * r.stride : r.end - 1 - k * r.stride;
}

/** No slots: most passes declare no anchors, and an empty array is never written. */
const NO_SLOTS: number[] = [];

/** n slots holding 0 (one array per pass and purpose; shared while n is 0). */
function slots(n: number): number[] {
	return n === 0 ? NO_SLOTS : Array.from({length: n}, () => 0);
}

export class StretchFinder {
	/** anchor values at the first point of the last stretch found */
	readonly anchorValues: number[];
	/** anchor values at the first point of the previous stretch of the range (monotonicity across stretches), when `havePrevious` */
	private readonly previous: number[];
	private havePrevious = false;
	private previousPfn = -1;
	/** Per anchor: the iteration index of the last point found in its run by end(), and its value there. */
	private readonly probedAt: number[];
	private readonly probedValue: number[];
	private readonly anchors: readonly Anchor[];
	/** The anchor value inRun() last computed. */
	private probed = 0;

	constructor(
		private readonly cursor: RunCursor,
		private readonly pass: Pass,
		private readonly endPfn: number,
	) {
		this.anchors = pass.anchors ?? [];
		// One slot per anchor, sized once per pass: a length store per stretch is a runtime call.
		const n = this.anchors.length;
		this.anchorValues = slots(n);
		this.previous = slots(n);
		this.probedAt = slots(n);
		this.probedValue = slots(n);
	}

	/** Anchor i at pfn, checked to be a modelled pfn. */
	anchorAt(i: number, pfn: number): number {
		const anchor = this.anchors[i]!;
		const value = anchor(pfn);
		if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < this.endPfn)) {
			throw new ContractViolation(
				`anchor ${i} of pass ${JSON.stringify(this.pass.label)} maps pfn ${hex(pfn)} to ${String(value)}, not a pfn in [0x0, ${hex(this.endPfn)})`,
				true,
			);
		}

		return value;
	}

	/**
	The index of the last iteration point of the stretch that starts at point k. Also fills
	`anchorValues` with the anchors of point k.
	*/
	end(r: RangeWalk, k: number): number {
		const p = pointAt(r, k);
		if (k === 0) {
			this.havePrevious = false;
		}

		const run = this.cursor.at(p);
		const inRun = r.up ? Math.floor((run.end - 1 - p) / r.stride) : Math.floor((p - run.start) / r.stride);
		let last = Math.min(r.n - 1, k + inRun);
		const {anchors, probedAt, probedValue} = this;
		for (let i = 0; i < anchors.length; i++) {
			const value = this.anchorAt(i, p);
			const before = this.previous[i]!;
			if (this.havePrevious && (r.up ? value < before : value > before)) {
				throw this.notMonotone(i, this.previousPfn, before, p, value);
			}

			this.anchorValues[i] = value;
			this.previous[i] = value;
			probedAt[i] = k;
			probedValue[i] = value;
			if (last > k) {
				last = this.anchorEnd(r, k, last, i, value);
			}
		}

		this.previousPfn = p;
		this.havePrevious = true;
		return last;
	}

	/**
	The anchors at point `last`, the value end(r, k) just returned, into `out`: a value end() saw
	there is reused, any other is computed (and checked) as anchorAt() does. Anchors are functions
	of the pfn, so the values are those anchorAt() would give.
	*/
	valuesAtLast(r: RangeWalk, last: number, out: number[]): void {
		const {anchors, probedAt, probedValue} = this;
		if (out.length !== anchors.length) {
			out.length = anchors.length;
		}
		let q = -1;
		for (let i = 0; i < anchors.length; i++) {
			if (probedAt[i] === last) {
				out[i] = probedValue[i]!;
			} else {
				if (q < 0) {
					q = pointAt(r, last);
				}

				out[i] = this.anchorAt(i, q);
			}
		}
	}

	private notMonotone(i: number, pfn: number, value: number, laterPfn: number, laterValue: number): ContractViolation {
		return new ContractViolation(
			`anchor ${i} of pass ${JSON.stringify(this.pass.label)} is not monotone: it maps pfn ${hex(pfn)} to ${hex(value)} but pfn ${hex(laterPfn)} to ${hex(laterValue)}`,
			true,
		);
	}

	/** Largest index in [k, last] whose anchor i lies in the run of `value` (anchor i at point k). */
	private anchorEnd(r: RangeWalk, k: number, last: number, i: number, value: number): number {
		const run = this.cursor.at(value);
		if (this.inRun(r, k, last, i, value, run)) {
			this.probedAt[i] = last;
			this.probedValue[i] = this.probed;
			return last;
		}

		let lo = k;
		let hi = last;
		while (hi - lo > 1) {
			const mid = lo + Math.floor((hi - lo) / 2);
			if (this.inRun(r, k, mid, i, value, run)) {
				lo = mid;
				this.probedAt[i] = mid;
				this.probedValue[i] = this.probed;
			} else {
				hi = mid;
			}
		}

		return lo;
	}

	/**
	Whether anchor i at point `at` lies in `run`, the run of its value `value` at point k (a method,
	not a closure per anchor and stretch: anchorEnd() runs for every anchor of every stretch).
	*/
	private inRun(r: RangeWalk, k: number, at: number, i: number, value: number, run: {readonly start: number; readonly end: number}): boolean {
		const pfn = pointAt(r, at);
		const v = this.anchorAt(i, pfn);
		this.probed = v;
		// Walking up the pfns grow, walking down they shrink: a monotone non-decreasing anchor
		// moves the same way (or stays).
		if (r.up ? v < value : v > value) {
			throw this.notMonotone(i, pointAt(r, k), value, pfn, v);
		}

		return v >= run.start && v < run.end;
	}
}

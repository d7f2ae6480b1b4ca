/**
Cutting a pass's range into stretches for the runs mode: maximal sequences of iteration points
over which the model run of the step pfn and of every anchor pfn stays the same.

The step pfn's run end follows by arithmetic. Each anchor of a pass is a base — a monotone
non-decreasing function of the step pfn (contract.ts Anchor), or the step pfn itself — plus the
offsets of a series (contract.ts AnchorSeries; a plain Anchor is the series of the one offset 0).
Every pfn of a series stays in its run while the base moves by at most the series' slack: the
room, in the walk's direction, between each offset's pfn and the end of its run (one run lookup
per run the series' pfns fall in, not one per pfn). A base that is the step pfn moves by the
stride per point, so its stretch end is arithmetic; any other base is monotone, so "moved by at
most the slack" is true on a prefix of the stretch, found by a binary search over iteration
indices (one base call per probe, after a first probe of the stretch's end, the common case).

Each base's value at the last point it was probed is kept: the runs mode's spot check at the
stretch's last point reads it there instead of calling the base again (valuesAtLast()).

One finder serves every pass of a walker (reset() per pass): its per-base arrays grow to the
largest pass and are reused, not allocated per pass (a form may have thousands of passes).
*/
import {hex} from '../model/geometry.js';
import type {Anchor, Pass} from '../walker/contract.js';
import type {RunCursor} from './run-cursor.js';
import {ContractViolation} from './violation.js';

/** Iteration geometry of one range of a pass (set per range, see walkPassRuns()). */
export type RangeWalk = {
	start: number;
	end: number;
	stride: number;
	up: boolean;
	/** Number of iteration points. */
	n: number;
};

/** The pfn of iteration point k. */
export function pointAt(r: RangeWalk, k: number): number {
	return r.up ? r.start + k * r.stride : r.end - 1 - k * r.stride;
}

/** Grow a per-base array to n slots (never shrinks: one array serves every pass). */
function grow<T>(array: T[], n: number, fill: T): void {
	while (array.length < n) {
		array.push(fill);
	}
}

/**
The bases of a pass's anchors, in the order the runs mode reads them: the plain Anchors first
(`singles` of them, each one pfn: PfnGuard looks their values up), then the series.
*/
export class StretchFinder {
	/** Per base: its value at the first point of the last stretch found. */
	readonly values: number[] = [];
	/** Bases in use by the current pass; the first `singles` are plain Anchors (first = last = 0). */
	count = 0;
	singles = 0;
	/** Per base: its function (undefined: the step pfn), its series offsets, and its index in Pass.anchors (for messages). */
	readonly bases: Array<Anchor | undefined> = [];
	readonly firsts: number[] = [];
	readonly lasts: number[] = [];
	readonly steps: number[] = [];
	private readonly declared: number[] = [];
	/** Per base: its value at the first point of the previous stretch of the range (monotonicity across stretches), when `havePrevious`. */
	private readonly previous: number[] = [];
	private havePrevious = false;
	private previousPfn = -1;
	/** Per base: the iteration index of the last point found within its slack by end(), and its value there. */
	private readonly probedAt: number[] = [];
	private readonly probedValue: number[] = [];
	private pass: Pass | undefined;
	/** The base value within() last computed. */
	private probed = 0;

	constructor(
		private readonly cursor: RunCursor,
		private readonly endPfn: number,
	) {}

	/** Take the anchors of `pass` (checked by checkForm()); called before each pass. */
	reset(pass: Pass): void {
		this.pass = pass;
		this.havePrevious = false;
		const anchors = pass.anchors ?? [];
		const n = anchors.length;
		for (const list of [this.values, this.firsts, this.lasts, this.steps, this.declared, this.previous, this.probedAt, this.probedValue]) {
			grow(list, n, 0);
		}

		grow(this.bases, n, undefined);
		let at = 0;
		for (let pick = 0; pick < 2; pick++) {
			for (let i = 0; i < n; i++) {
				const anchor = anchors[i]!;
				const single = typeof anchor === 'function';
				if (single !== (pick === 0)) {
					continue;
				}

				this.declared[at] = i;
				if (typeof anchor === 'function') {
					this.bases[at] = anchor;
					this.firsts[at] = 0;
					this.lasts[at] = 0;
					this.steps[at] = 1;
				} else {
					this.bases[at] = anchor.base;
					this.firsts[at] = anchor.first;
					this.lasts[at] = anchor.last;
					this.steps[at] = anchor.step;
				}

				at++;
			}

			if (pick === 0) {
				this.singles = at;
			}
		}

		this.count = n;
	}

	/** Base i at pfn, checked to put every pfn of its series in the modelled pfns. */
	private baseAt(i: number, pfn: number): number {
		const base = this.bases[i];
		const value = base === undefined ? pfn : base(pfn);
		if (!(typeof value === 'number' && Number.isSafeInteger(value) && value + this.firsts[i]! >= 0 && value + this.lasts[i]! < this.endPfn)) {
			throw this.outside(i, pfn, value);
		}

		return value;
	}

	private outside(i: number, pfn: number, value: unknown): ContractViolation {
		const label = JSON.stringify(this.pass!.label);
		const what = `anchor ${this.declared[i]!} of pass ${label}`;
		const range = `[0x0, ${hex(this.endPfn)})`;
		if (i < this.singles) {
			return new ContractViolation(`${what} maps pfn ${hex(pfn)} to ${String(value)}, not a pfn in ${range}`, true);
		}

		const shown = typeof value === 'number' && Number.isSafeInteger(value) ? `${value + this.firsts[i]!}..${value + this.lasts[i]!}` : String(value);
		return new ContractViolation(`${what} maps pfn ${hex(pfn)} to the pfns ${shown}, not all pfns in ${range}`, true);
	}

	/**
	The index of the last iteration point of the stretch that starts at point k. Also fills
	`values` with the bases of point k.
	*/
	end(r: RangeWalk, k: number): number {
		const p = pointAt(r, k);
		if (k === 0) {
			this.havePrevious = false;
		}

		const {cursor} = this;
		cursor.seek(p);
		const inRun = r.up ? Math.floor((cursor.end - 1 - p) / r.stride) : Math.floor((p - cursor.start) / r.stride);
		let last = Math.min(r.n - 1, k + inRun);
		const {previous, probedAt, probedValue, values} = this;
		for (let i = 0, n = this.count; i < n; i++) {
			const value = this.baseAt(i, p);
			const before = previous[i]!;
			if (this.havePrevious && (r.up ? value < before : value > before)) {
				throw this.notMonotone(i, this.previousPfn, before, p, value);
			}

			values[i] = value;
			previous[i] = value;
			probedAt[i] = k;
			probedValue[i] = value;
			if (last > k) {
				last = this.baseEnd(r, k, last, i, value);
			}
		}

		this.previousPfn = p;
		this.havePrevious = true;
		return last;
	}

	/**
	The bases at point `last`, the value end(r, k) just returned, into `out`: a value end() saw
	there is reused, any other is computed (and checked) as baseAt() does. Bases are functions of
	the pfn, so the values are those baseAt() would give.
	*/
	valuesAtLast(r: RangeWalk, last: number, out: number[]): void {
		const {probedAt, probedValue} = this;
		const n = this.count;
		grow(out, n, 0);
		const q = pointAt(r, last);
		for (let i = 0; i < n; i++) {
			out[i] = probedAt[i] === last ? probedValue[i]! : this.bases[i] === undefined ? q : this.baseAt(i, q);
		}
	}

	private notMonotone(i: number, pfn: number, value: number, laterPfn: number, laterValue: number): ContractViolation {
		return new ContractViolation(
			`anchor ${this.declared[i]!} of pass ${JSON.stringify(this.pass!.label)} is not monotone: it maps pfn ${hex(pfn)} to ${hex(value)} but pfn ${hex(laterPfn)} to ${hex(laterValue)}`,
			true,
		);
	}

	/**
	How far base i may move from `value` in the walk's direction with every pfn of its series
	staying in its run: per run the series' pfns fall in, the room beyond the last of them (up) or
	below the first (down). The pfns were checked to be modelled (baseAt()).
	*/
	private slack(i: number, value: number, up: boolean): number {
		const {cursor} = this;
		const step = this.steps[i]!;
		const top = value + this.lasts[i]!;
		let room = Number.POSITIVE_INFINITY;
		for (let v = value + this.firsts[i]!; v <= top; ) {
			cursor.seek(v);
			const runEnd = cursor.end;
			// The series' highest pfn in this run.
			const highest = v + step * Math.floor((Math.min(runEnd - 1, top) - v) / step);
			room = Math.min(room, up ? runEnd - 1 - highest : v - cursor.start);
			if (room === 0) {
				return 0;
			}

			v = highest + step;
		}

		return room;
	}

	/** Largest index in [k, last] at which base i has moved from `value` (its value at point k) by at most its slack. */
	private baseEnd(r: RangeWalk, k: number, last: number, i: number, value: number): number {
		const room = this.slack(i, value, r.up);
		if (this.bases[i] === undefined) {
			// The step pfn moves by the stride per point.
			return Math.min(last, k + Math.floor(room / r.stride));
		}

		if (this.within(r, k, last, i, value, room)) {
			this.probedAt[i] = last;
			this.probedValue[i] = this.probed;
			return last;
		}

		let lo = k;
		let hi = last;
		while (hi - lo > 1) {
			const mid = lo + Math.floor((hi - lo) / 2);
			if (this.within(r, k, mid, i, value, room)) {
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
	Whether base i at point `at` has moved from `value`, its value at point k, by at most `room`
	(a method, not a closure per anchor and stretch: baseEnd() runs for every base of every stretch).
	*/
	private within(r: RangeWalk, k: number, at: number, i: number, value: number, room: number): boolean {
		const pfn = pointAt(r, at);
		const v = this.baseAt(i, pfn);
		this.probed = v;
		// Walking up the pfns grow, walking down they shrink: a monotone non-decreasing base moves
		// the same way (or stays).
		if (r.up ? v < value : v > value) {
			throw this.notMonotone(i, pointAt(r, k), value, pfn, v);
		}

		return r.up ? v - value <= room : value - v <= room;
	}
}

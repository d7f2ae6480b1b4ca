/**
The fast evaluation mode: one step per stretch (stretch.ts) instead of one per pfn, its touches
counted once per iteration point of the stretch.

Sound only for steps that look at nothing but their own pfn and their pass's anchors, and whose
behaviour depends only on the model state there. The first is enforced (`guardPfn`: any other
pfn makes the walker `malformed`); the second is spot-checked: the step also runs at the
stretch's last point and must touch the same runs with the same fields, via and access, and
stop the same way — a step that branches on pfn arithmetic fails that check and is reported
`malformed` rather than silently miscounted.

Every struct page read is one touch (context.ts does not merge two reads of one pfn), so
whether two looked-at pfns coincide — the pageblock start equals the step pfn only at aligned
pfns — never changes what a step counts, and one step per stretch is exact.
*/
import {hex} from '../model/geometry.js';
import type {Pass} from '../walker/contract.js';
import type {RecordingContext} from './context.js';
import {pointCount, rangesInWalkOrder} from './form-check.js';
import type {RunCursor} from './run-cursor.js';
import {pointAt, type RangeWalk, StretchFinder} from './stretch.js';
import {ContractViolation} from './violation.js';
import type {WalkState} from './walk-state.js';

/** Stretches between two clock checks. */
const CHUNK = 256;

/** Anchor lists longer than this are looked up by binary search in a sorted copy rather than scanned. */
const SCAN_LIMIT = 8;

/** Index of the first element of sorted[0, n) that is >= value (n when none). */
function lowerBound(sorted: Float64Array, n: number, value: number): number {
	let lo = 0;
	let hi = n;
	while (lo < hi) {
		const mid = lo + Math.floor((hi - lo) / 2);
		if (sorted[mid]! < value) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}

	return lo;
}

/** The sorted anchor buffer of a guard that has not needed one yet (passes without many anchors, most of them). */
const NO_ANCHORS = new Float64Array(0);

/** Sorted entries a lookup steps over from its hint before it falls back to a binary search. */
const HINT_STEPS = 4;

/**
Sort sorted[0, n) ascending. A pass's anchors mostly come in ascending order already (offsets
from the step pfn or its block, declared lowest first), so an insertion sort does it in a few
moves per entry; past a budget of moves the typed array's own sort finishes the job (same order:
the values are numbers, no NaN).
*/
function sortNearlySorted(sorted: Float64Array, n: number): void {
	let budget = 4 * n;
	for (let i = 1; i < n; i++) {
		const value = sorted[i]!;
		let j = i - 1;
		while (j >= 0 && sorted[j]! > value) {
			sorted[j + 1] = sorted[j]!;
			j--;
		}

		sorted[j + 1] = value;
		budget -= i - 1 - j;
		if (budget < 0) {
			sorted.subarray(0, n).sort();
			return;
		}
	}
}

/**
Accepts the step pfn and the anchors of the current point, rejects every other pfn. One guard
serves every pass of a walker (reset() per pass).
*/
class PfnGuard {
	stepPfn = -1;
	/** The bases of the current point (StretchFinder.values, or the spot check's copy): read, not copied. */
	private values: readonly number[] = [];
	private pass: Pass | undefined;
	/**
	The plain anchors in ascending order, for lists longer than SCAN_LIMIT: sorted only when a step
	looks at a pfn other than its own (many steps return before they do), at most once per point,
	into one buffer kept across stretches and passes.
	*/
	private sorted = NO_ANCHORS;
	private sortedValid = false;
	/**
	Where the last lookup in `sorted` ended: a step reads its pfns mostly in ascending order, so the
	next one is usually at or just after it, found without a binary search.
	*/
	private hint = 0;

	constructor(
		private readonly ctx: RecordingContext,
		/** The finder whose bases the values are: how many are plain anchors, and each series' offsets. */
		private readonly finder: StretchFinder,
		private readonly walker: string,
	) {}

	/** Before each pass (after the finder's reset()). */
	reset(pass: Pass): void {
		this.pass = pass;
		this.sortedValid = false;
	}

	/** The step pfn and its base values (read, not copied: valid until the next call). */
	at(stepPfn: number, values: readonly number[]): void {
		this.stepPfn = stepPfn;
		this.values = values;
		this.sortedValid = false;
	}

	/** Whether pfn is one of the anchors. */
	private isAnchor(pfn: number): boolean {
		const {finder, values} = this;
		const n = finder.singles;
		if (n <= SCAN_LIMIT) {
			for (let i = 0; i < n; i++) {
				if (pfn === values[i]) {
					return true;
				}
			}
		} else if (this.isSortedAnchor(pfn, n)) {
			return true;
		}

		// A series: base + first, base + first + step, …, base + last.
		const {firsts, lasts, steps} = finder;
		for (let i = n, count = finder.count; i < count; i++) {
			const offset = pfn - values[i]! - firsts[i]!;
			if (offset >= 0 && offset <= lasts[i]! - firsts[i]! && offset % steps[i]! === 0) {
				return true;
			}
		}

		return false;
	}

	/** Whether pfn is one of the n plain anchors, looked up in their sorted copy. */
	private isSortedAnchor(pfn: number, n: number): boolean {
		if (!this.sortedValid) {
			if (this.sorted.length < n) {
				this.sorted = new Float64Array(n);
			}

			const {sorted, values} = this;
			for (let i = 0; i < n; i++) {
				sorted[i] = values[i]!;
			}

			sortNearlySorted(sorted, n);
			this.sortedValid = true;
			this.hint = 0;
		}

		const {sorted} = this;
		// From the hint up, while the entries are below pfn: a few steps at most, then a binary
		// search of the rest; either way i ends at the first entry >= pfn, as lowerBound() over
		// all of them gives.
		let i = this.hint;
		if (i < n && sorted[i]! <= pfn && (i === 0 || sorted[i - 1]! < pfn)) {
			const stop = Math.min(n, i + HINT_STEPS);
			while (i < stop && sorted[i]! < pfn) {
				i++;
			}

			if (i === stop && i < n) {
				i = lowerBound(sorted, n, pfn);
			}
		} else {
			i = lowerBound(sorted, n, pfn);
		}

		this.hint = i;
		return i < n && sorted[i] === pfn;
	}

	readonly check = (pfn: number): void => {
		if (pfn === this.stepPfn) {
			return;
		}

		if (this.isAnchor(pfn)) {
			return;
		}

		const shown = Number.isSafeInteger(pfn) && pfn >= 0 ? hex(pfn) : String(pfn);
		const message =
			`${this.walker} looks at pfn ${shown} while stepping pfn ${hex(this.stepPfn)} in pass ${JSON.stringify(this.pass!.label)}: ` +
			`a step may only look at its own pfn and the pfns its pass declares as anchors (declare an anchor for ${shown})`;
		this.ctx.violation ??= message;
		throw new ContractViolation(message);
	};
}

function sameFields(a: readonly string[], b: readonly string[]): boolean {
	if (a === b) {
		return true;
	}

	return a.length === b.length && a.every((field, i) => field === b[i]);
}

/** Whether two steps touched the same runs the same way (the stretch is uniform for the walker). */
function sameEffect(a: RecordingContext, b: RecordingContext): boolean {
	if (a.touchCount !== b.touchCount || a.stopped !== b.stopped) {
		return false;
	}

	for (let i = 0; i < a.touchCount; i++) {
		const x = a.touchAt(i);
		const y = b.touchAt(i);
		if (x.run !== y.run || x.via !== y.via || x.access !== y.access || !sameFields(x.fields, y.fields)) {
			return false;
		}
	}

	return true;
}

/** What the runs mode keeps across the passes of one walker's evaluation. */
export class RunsEnv {
	readonly finder: StretchFinder;
	readonly guard: PfnGuard;
	readonly checkGuard: PfnGuard;
	/** The bases at a stretch's last point, for the spot check. */
	readonly checkValues: number[] = [];
	/** The range being walked (one object, set per range). */
	readonly range: RangeWalk = {start: 0, end: 0, stride: 1, up: true, n: 0};
	/**
	Stretches walked by this walker so far, across its passes: the clock is checked every CHUNK of
	them. Counted per pass, a walker of many short passes (one a memory block: 40 000–80 000 of a
	few stretches each at 100 000 topology entries) never reached CHUNK in any pass, and walked to
	its end without a progress report, a pause or a check of its time limit.
	*/
	stretches = 0;

	constructor(
		readonly walker: string,
		ctx: RecordingContext,
		/** A second context for the spot check at the last point of a stretch. */
		readonly check: RecordingContext,
		/** A cursor for stretch computation, separate from the contexts' cursors. */
		cursor: RunCursor,
		endPfn: number,
	) {
		this.finder = new StretchFinder(cursor, endPfn);
		this.guard = new PfnGuard(ctx, this.finder, walker);
		this.checkGuard = new PfnGuard(check, this.finder, walker);
	}
}

/** Walk one pass in runs mode; returns true when a step called stop(). */
export function walkPassRuns(w: WalkState, pass: Pass, env: RunsEnv): boolean {
	const {ctx} = w;
	const {finder, guard, checkGuard, checkValues, check} = env;
	finder.reset(pass);
	guard.reset(pass);
	checkGuard.reset(pass);
	ctx.guardPfn = guard.check;
	check.guardPfn = checkGuard.check;
	const r = env.range;
	r.stride = pass.stride;
	r.up = pass.direction === 'up';
	for (const range of rangesInWalkOrder(pass)) {
		r.start = range.start;
		r.end = range.end;
		r.n = pointCount(range.start, range.end, pass.stride);
		let k = 0;
		while (k < r.n) {
			const p = pointAt(r, k);
			w.currentPfn = p;
			const last = finder.end(r, k);
			guard.at(p, finder.values);
			ctx.reset();
			pass.step(ctx, p);
			w.checkViolation(ctx);
			if (ctx.stopped) {
				w.account(1);
				return true;
			}

			if (last > k) {
				const q = pointAt(r, last);
				finder.valuesAtLast(r, last, checkValues);

				checkGuard.at(q, checkValues);
				check.reset();
				w.currentPfn = q;
				pass.step(check, q);
				w.checkViolation(check);
				if (!sameEffect(ctx, check)) {
					throw new ContractViolation(
						`${env.walker} behaves differently at pfn ${hex(p)} and pfn ${hex(q)} of pass ${JSON.stringify(pass.label)} although both (and their anchors) lie in the same model runs: ` +
							'a step may depend only on the model state at its pfn and its anchors, not on pfn arithmetic (declare an anchor, or split the pass)',
					);
				}
			}

			w.account(last - k + 1);
			k = last + 1;
			if (++env.stretches % CHUNK === 0) {
				w.pacer.tick();
			}
		}
	}

	return false;
}

/**
The reference evaluation mode: step() at every iteration point of a pass, in walk order. Fast
anyway: the context looks runs up through a cursor, touches are counted per model run, nothing
is reset between steps, and the clock is read once per chunk.
*/
import type {Pass} from '../walker/contract.js';
import type {CountingContext} from './context.js';
import {pointCount, rangesInWalkOrder} from './form-check.js';
import type {WalkState} from './walk-state.js';

/** Iteration points between two clock checks. */
const CHUNK = 1 << 15;

/** Steps `count` points from `pfn`, `delta` apart; returns how many it stepped (see stepLoop). */
type StepLoop = (ctx: CountingContext, pass: Pass, pfn: number, delta: number, count: number, progress: {stepped: number}) => number;

/**
The hot loop: steps up to `count` points and returns how many it stepped, all of them unless a
step left work for the engine (a contract violation, the first touch of a run, stop()), which
walkPassPerPfn() does before it calls the loop again. A step that throws leaves the number of
points stepped before it in `progress.stepped`.

It is one loop with nothing in it but the step and one field check, and it is self-contained
(everything it uses comes in as a parameter) so that it can be compiled afresh per pass (see
freshLoop()). Both matter for V8's inlining: TurboFan inlines the step, its StepContext methods
and their lookups into this loop within a budget of bytecode per optimized function
(`--max-inlined-bytecode-size-cumulative`, 920 bytes), and every call the loop holds competes for
it. The loop of the pass, the range and the chunk in one function, compiled on stack
replacement, inlined the step's ~450 bytes of bytecode once per copy V8 made of the inner loop
(up to three), plus the engine's rare paths (a run's first touch, the pacer) once they had run:
the budget ran out, and the walk's third evaluation in a thread called lookup() and touch()
instead of inlining them (2^27 pfns, `pfn_valid(), then page->flags`: 77 M pfns/s against
130–140 M for the first two; `node --trace-turbo-inlining`).
*/
const stepLoop: StepLoop = (ctx, pass, pfn, delta, count, progress) => {
	let k = 0;
	try {
		while (k < count) {
			pass.step(ctx, pfn);
			k++;
			if (ctx.attention !== 0) {
				break;
			}

			pfn += delta;
		}
	} catch (error) {
		progress.stepped = k;
		throw error;
	}

	return k;
};

/**
A fresh copy of the loop for every pass. V8 keeps type feedback per function: with one shared
loop, the `pass.step(ctx, pfn)` call site sees every walker's step, turns megamorphic and is no
longer inlined, which halves the per-pfn rate once a worker has run a few walkers. A copy
compiled from the same source has its own feedback and stays monomorphic. (Falls back to the
shared loop if code generation is not allowed.)
*/
function freshLoop(): StepLoop {
	try {
		// eslint-disable-next-line no-new-func
		return new Function(`return (${stepLoop.toString()})`)() as StepLoop;
	} catch {
		return stepLoop;
	}
}

/** Walk one pass; returns true when a step called stop(). */
export function walkPassPerPfn(w: WalkState, pass: Pass): boolean {
	const {ctx, tally} = w;
	ctx.guardPfn = undefined;
	// Once per pass, not per pfn: while counting, a step leaves nothing to clear behind it — its
	// touches are counted into their runs, first touches are taken (and firstCount cleared) by the
	// tally, and a violation or stop() ends the pass.
	ctx.reset();
	ctx.counts = tally.runTouches;
	ctx.writeCounts = tally.runWrites;
	try {
		return walkRanges(w, pass);
	} finally {
		// Also on a throw: the result is summed from the counts.
		ctx.counts = undefined;
		ctx.writeCounts = undefined;
	}
}

/** The ranges of a pass in walk order, a chunk of CHUNK points between two clock checks; true when a step called stop(). */
function walkRanges(w: WalkState, pass: Pass): boolean {
	const loop = freshLoop();
	const {ctx, tally} = w;
	const {stride} = pass;
	const up = pass.direction === 'up';
	const delta = up ? stride : -stride;
	const progress = {stepped: 0};
	let stopped = false;
	for (const range of rangesInWalkOrder(pass)) {
		const n = pointCount(range.start, range.end, stride);
		const at = (k: number): number => (up ? range.start + k * stride : range.end - 1 - k * stride);
		let k = 0;
		while (k < n) {
			const first = k;
			const chunkEnd = Math.min(n, k + CHUNK);
			try {
				while (k < chunkEnd) {
					progress.stepped = 0;
					try {
						k += loop(ctx, pass, at(k), delta, chunkEnd - k, progress);
					} catch (error) {
						k += progress.stepped;
						throw error;
					}

					if (ctx.attention !== 0) {
						// The last step left work: done as after that step, with k still at it (a violation
						// or a failure here names its pfn and does not count it as visited).
						ctx.attention = 0;
						k--;
						if (ctx.violation !== undefined) {
							w.checkViolation(ctx);
						}

						if (ctx.firstCount !== 0) {
							tally.firstTouches(ctx);
						}

						k++;
						if (ctx.stopped) {
							stopped = true;
							return true;
						}
					}
				}
			} finally {
				// Also on a throw: the points before the failing one were visited, and the failing
				// pfn is the one to name; after stop(), the pfn of the step that called it.
				w.visited += k - first;
				w.done += k - first;
				w.currentPfn = at(stopped ? k - 1 : k);
			}

			// A progress report sums the counts.
			ctx.flushCounts();
			w.pacer.tick();
		}
	}

	return false;
}

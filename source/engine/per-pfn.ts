/**
The reference evaluation mode: step() at every iteration point of a pass, in walk order. Fast
anyway: the context looks runs up through a cursor, touches are counted per model run, nothing
is reset between steps, and the clock is read once per chunk.
*/
import type {Pass} from '../walker/contract.js';
import {pointCount, rangesInWalkOrder} from './form-check.js';
import type {WalkState} from './walk-state.js';

/** Iteration points between two clock checks. */
const CHUNK = 1 << 15;

type Loop = (
	w: WalkState,
	pass: Pass,
	pointCount: (start: number, end: number, stride: number) => number,
	rangesInWalkOrder: (pass: Pass) => ReadonlyArray<{readonly start: number; readonly end: number}>,
	CHUNK: number,
) => boolean;

/**
The loop. Self-contained (everything it uses comes in as a parameter) so that it can be
compiled afresh per pass, see walkPassPerPfn.
*/
const walkLoop: Loop = (w, pass, pointCount, rangesInWalkOrder, CHUNK) => {
	const {ctx, tally} = w;
	const {stride} = pass;
	const up = pass.direction === 'up';
	const delta = up ? stride : -stride;
	ctx.guardPfn = undefined;
	// Once per pass, not per pfn: while counting, a step leaves nothing to clear behind it — its
	// touches are counted into their runs, first touches are taken (and firstCount cleared) by the
	// tally, and a violation or stop() ends the pass.
	ctx.reset();
	ctx.counts = tally.runTouches;
	ctx.writeCounts = tally.runWrites;
	for (const range of rangesInWalkOrder(pass)) {
		const n = pointCount(range.start, range.end, stride);
		let k = 0;
		while (k < n) {
			const first = k;
			const chunkEnd = Math.min(n, k + CHUNK);
			let pfn = up ? range.start + k * stride : range.end - 1 - k * stride;
			try {
				for (; k < chunkEnd; k++, pfn += delta) {
					pass.step(ctx, pfn);
					if (ctx.violation !== undefined) {
						w.checkViolation(ctx);
					}

					if (ctx.firstCount !== 0) {
						tally.firstTouches(ctx);
					}

					if (ctx.stopped) {
						k++;
						ctx.counts = undefined;
						ctx.writeCounts = undefined;
						return true;
					}
				}
			} finally {
				// Also on a throw: the points before the failing one were visited, and the failing
				// pfn is the one to name.
				w.visited += k - first;
				w.done += k - first;
				w.currentPfn = pfn;
			}

			w.pacer.tick();
		}
	}

	ctx.counts = undefined;
	ctx.writeCounts = undefined;
	return false;
};

/**
A fresh copy of the loop for every pass. V8 keeps type feedback per function: with one shared
loop, the `pass.step(ctx, pfn)` call site sees every walker's step, turns megamorphic and is no
longer inlined, which halves the per-pfn rate once a worker has run a few walkers. A copy
compiled from the same source has its own feedback and stays monomorphic. (Falls back to the
shared loop if code generation is not allowed.)
*/
function freshLoop(): Loop {
	try {
		// eslint-disable-next-line no-new-func
		return new Function(`return (${walkLoop.toString()})`)() as Loop;
	} catch {
		return walkLoop;
	}
}

/** Walk one pass; returns true when a step called stop(). */
export function walkPassPerPfn(w: WalkState, pass: Pass): boolean {
	return freshLoop()(w, pass, pointCount, rangesInWalkOrder, CHUNK);
}

/**
The reference evaluation mode: step() at every iteration point of a pass, in walk order. Fast
anyway: the context looks runs up through a cursor, touches are counted per model run, and the
clock is read once per chunk.
*/
import type {Pass} from '../walker/contract.js';
import {pointCount, rangesInWalkOrder} from './form-check.js';
import type {WalkState} from './walk-state.js';

/** Iteration points between two clock checks. */
const CHUNK = 1 << 15;

/** Walk one pass; returns true when a step called stop(). */
function walkLoop(w: WalkState, pass: Pass, pointCount: (a: number, b: number, c: number) => number, rangesInWalkOrder: (p: Pass) => ReadonlyArray<{readonly start: number; readonly end: number}>, CHUNK: number): boolean {
	const {ctx, tally} = w;
	const {stride} = pass;
	const up = pass.direction === 'up';
	const delta = up ? stride : -stride;
	ctx.guardPfn = undefined;
	ctx.counts = tally.runTouches;
	for (const range of rangesInWalkOrder(pass)) {
		const n = pointCount(range.start, range.end, stride);
		let k = 0;
		while (k < n) {
			const first = k;
			const chunkEnd = Math.min(n, k + CHUNK);
			let pfn = up ? range.start + k * stride : range.end - 1 - k * stride;
			try {
				for (; k < chunkEnd; k++, pfn += delta) {
					ctx.reset();
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
	return false;
}

export function walkPassPerPfn(w: WalkState, pass: Pass): boolean {
	// eslint-disable-next-line no-new-func
	const clone = new Function(`return (${walkLoop.toString()})`)() as typeof walkLoop;
	return clone(w, pass, pointCount, rangesInWalkOrder, CHUNK);
}

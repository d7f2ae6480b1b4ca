/**
The mutable state of one walker's evaluation at one phase, shared by both modes: the step
context, the tally, the pacer and the counters. A class so that the hot loops see one
monomorphic shape.
*/
import {hex} from '../model/geometry.js';
import type {Pass} from '../walker/contract.js';
import type {CountingContext, RecordingContext} from './context.js';
import type {Pacer} from './pacer.js';
import type {TouchTally} from './tally.js';
import {ContractViolation} from './violation.js';

export class WalkState {
	/** Iteration points stepped (or counted through a stretch). */
	visited = 0;
	/** Iteration points done or skipped by stop(): the numerator of `fraction`. */
	done = 0;
	/** The pfn being stepped, for error messages. */
	currentPfn = -1;
	currentPass: Pass | undefined;

	constructor(
		readonly ctx: CountingContext,
		readonly tally: TouchTally,
		readonly pacer: Pacer,
		readonly total: number,
	) {}

	/** After a step: a violation the walker caught is still a violation. */
	checkViolation(ctx: RecordingContext): void {
		if (ctx.violation !== undefined) {
			throw new ContractViolation(ctx.violation);
		}
	}

	/** Count every touch of the step just taken `times` times. */
	account(times: number): void {
		const {ctx, tally} = this;
		for (let i = 0, n = ctx.touchCount; i < n; i++) {
			tally.add(ctx.touchAt(i), times);
		}

		this.visited += times;
		this.done += times;
	}

	/** " while stepping pfn 0x… in pass "…"" for messages. */
	where(): string {
		const pass = this.currentPass ? ` in pass ${JSON.stringify(this.currentPass.label)}` : '';
		return this.currentPfn >= 0 ? ` while stepping pfn ${hex(this.currentPfn)}${pass}` : pass;
	}
}

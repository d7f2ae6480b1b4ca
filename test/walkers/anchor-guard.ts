/**
A stand-in for the engine's runs-mode check, for walker tests: runs every iteration point of a
walker's form and fails if a step looks at (calls a predicate on, touches, or reads the model
state of) a pfn other than its own and its pass's anchors, or if an anchor is not monotone.
*/
import {createStepContext} from '../../source/engine/context.js';
import {hex} from '../../source/model/geometry.js';
import type {Model} from '../../source/model/types.js';
import {anchorPfns, type WalkerDefinition} from '../../source/walker/contract.js';
import {points} from '../helpers/run-walker.js';

export function checkAnchors(walker: WalkerDefinition, model: Model): number {
	const form = walker.plan(model);
	if (!form) {
		return 0;
	}

	let allowed = new Set<number>();
	let where = '';
	const guarded: Model = {
		...model,
		runAt(pfn) {
			if (!allowed.has(pfn)) {
				throw new Error(`${where} looked at undeclared pfn ${hex(pfn)}`);
			}

			return model.runAt(pfn);
		},
	};
	const ctx = createStepContext(guarded);
	let steps = 0;
	for (const pass of form.passes) {
		const anchors = pass.anchors ?? [];
		const previous: number[] = [];
		const ranges = pass.direction === 'up' ? pass.ranges : [...pass.ranges].reverse();
		walk: for (const range of ranges) {
			for (const pfn of points(range.start, range.end, pass.stride, pass.direction)) {
				const pfns = anchors.map(anchor => anchorPfns(anchor, pfn));
				// A series moves as its base does: its lowest pfn stands for it.
				pfns.forEach(([value = 0], i) => {
					const before = previous[i];
					const monotone = before === undefined || (pass.direction === 'up' ? value >= before : value <= before);
					if (!monotone) {
						throw new Error(`${pass.label}: anchor ${i} is not monotone at ${hex(pfn)}`);
					}

					previous[i] = value;
				});
				allowed = new Set([pfn, ...pfns.flat()]);
				where = `${pass.label}: step at ${hex(pfn)}`;
				ctx.reset();
				pass.step(ctx, pfn);
				steps++;
				if (ctx.stopped) {
					break walk;
				}
			}
		}
	}

	return steps;
}

/**
A deliberately naive per-pfn runner for tests: every iteration point of every pass, one step at
a time, through the reference StepContext. It is the oracle the engine's fast modes are checked
against, so keep it obviously correct rather than fast (small topologies only).
*/
import {createStepContext, type Touch} from '../../source/engine/context.js';
import {CATEGORY_IDS, type CategoryId} from '../../source/model/categories.js';
import type {Model} from '../../source/model/types.js';
import type {WalkerDefinition, WalkerForm} from '../../source/walker/contract.js';

export type NaiveResult = {
	form: WalkerForm | null;
	visited: number;
	touches: Record<CategoryId, number>;
	/** Every touch in order (pfn, category, via, fields). */
	log: Array<{pfn: number; category: CategoryId; via: string; fields: readonly string[]; access: string}>;
};

/** Iteration points of a range, in walk order. */
export function* points(start: number, end: number, stride: number, direction: 'up' | 'down'): Generator<number> {
	if (direction === 'up') {
		for (let pfn = start; pfn < end; pfn += stride) {
			yield pfn;
		}
	} else {
		for (let pfn = end - 1; pfn >= start; pfn -= stride) {
			yield pfn;
		}
	}
}

export function runNaive(walker: WalkerDefinition, model: Model, options: {maxPoints?: number; log?: boolean} = {}): NaiveResult {
	const maxPoints = options.maxPoints ?? 50_000_000;
	/** `log: false` keeps the tallies only (for big property tests): `log` stays empty. */
	const keepLog = options.log ?? true;
	const form = walker.plan(model);
	const touches = Object.fromEntries(CATEGORY_IDS.map(id => [id, 0])) as Record<CategoryId, number>;
	const log: NaiveResult['log'] = [];
	let visited = 0;
	if (!form) {
		return {form, visited, touches, log};
	}

	const ctx = createStepContext(model);
	for (const pass of form.passes) {
		const ranges = pass.direction === 'up' ? pass.ranges : [...pass.ranges].reverse();
		walk: for (const range of ranges) {
			for (const pfn of points(range.start, range.end, pass.stride, pass.direction)) {
				if (++visited > maxPoints) {
					throw new Error(`runNaive: more than ${maxPoints} iteration points; use a smaller topology`);
				}

				ctx.reset();
				pass.step(ctx, pfn);
				for (let i = 0; i < ctx.touchCount; i++) {
					const touch: Touch = ctx.touchAt(i);
					const category = touch.run.state.category;
					touches[category]++;
					if (keepLog) {
						log.push({pfn: touch.pfn, category, via: touch.via, fields: touch.fields, access: touch.access});
					}
				}

				if (ctx.stopped) {
					break walk;
				}
			}
		}
	}

	return {form, visited, touches, log};
}

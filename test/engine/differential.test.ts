import fc from 'fast-check';
import {describe, it} from 'vitest';
import type {CategoryId} from '../../source/model/categories.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {ALIGN_DOWN} from '../../source/model/geometry.js';
import type {MemmapState, PfnState} from '../../source/model/types.js';
import {type Access, type Anchor, anchorPfns, type PageField, type PassAnchor, type StepContext} from '../../source/walker/contract.js';
import {fakeModel, state} from '../helpers/fake-model.js';
import {expectModesAgree, testWalker} from './oracle.js';

// A differential property test: random hand-made models (random runs with random states) and
// random synthetic walkers (random stride, direction, ranges, anchors and anchor series, guards, touches and
// stops). Expect the runs mode, the per-pfn mode and the naive oracle (test/helpers/
// run-walker.ts) to agree on pfns visited, touches, failing touches and witnesses.
//
//   |  run  | run |    run    | run |  ...  | UNBACKED up to end_pfn
//   0x0                                    ≤ 0x800
//
// Runs are short (1–300 pfns) so that strides, anchors and range ends land on every kind of
// boundary.

const SPAN = 0x800;
const MEMMAPS: MemmapState[] = [
	{content: 'init', zone: 'Normal', nid: 0, writer: 'memmap_init_range'},
	{content: 'init', zone: 'Device', nid: 1, pgmap: 0, reserved: true, writer: 'memmap_init_zone_device'},
	{content: 'poison', writer: 'page_init_poison'},
	{content: 'garbage', writer: 'none'},
	{content: 'unbacked', writer: 'none'},
];

const stateArb: fc.Arbitrary<PfnState> = fc
	.record({
		category: fc.constantFrom<CategoryId>(...CATEGORY_IDS),
		memmap: fc.constantFrom(...MEMMAPS),
		uninitialized: fc.boolean(),
		pfn_valid: fc.boolean(),
		pfn_valid_oob: fc.boolean(),
		online: fc.boolean(),
		online_oob: fc.boolean(),
		pgmap: fc.constantFrom(null, 0, 1),
		pgmap_valid: fc.boolean(),
		early: fc.boolean(),
	})
	.map(s =>
		state({
			category: s.category,
			memmap: s.memmap,
			uninitialized: s.uninitialized,
			reason: `random ${s.category} run`,
			predicates: {
				pfn_valid: s.pfn_valid,
				pfn_valid_oob: s.pfn_valid_oob,
				pfn_to_online_page: s.online,
				pfn_to_online_page_oob: s.online_oob,
				get_dev_pagemap: s.pgmap,
				pgmap_pfn_valid: s.pgmap_valid,
				early_section: s.early,
			},
		}),
	);

const modelArb = fc.array(fc.tuple(fc.integer({min: 1, max: 300}), stateArb), {minLength: 1, maxLength: 12}).map(parts => {
	let start = 0;
	const runs = parts.map(([length, s]) => {
		const run = {start, end: start + length, state: s};
		start += length;
		return run;
	});
	return fakeModel({runs: runs.filter(run => run.start < SPAN).map(run => ({...run, end: Math.min(run.end, SPAN)}))});
});

/** Monotone non-decreasing anchors, clamped to [0, SPAN). */
const anchorArb: fc.Arbitrary<{label: string; anchor: Anchor}> = fc.oneof(
	fc.constantFrom(2, 8, 64, 512).map(block => ({label: `block end /${block}`, anchor: (p: number) => Math.min(ALIGN_DOWN(p, block) + block - 1, SPAN - 1)})),
	fc.constantFrom(4, 16, 256).map(block => ({label: `block start /${block}`, anchor: (p: number) => ALIGN_DOWN(p, block)})),
	fc.integer({min: -200, max: 200}).map(d => ({label: `shift ${d}`, anchor: (p: number) => Math.min(Math.max(p + d, 0), SPAN - 1)})),
	fc.constant({label: 'constant 0x10', anchor: () => 0x10}),
);

/**
Anchor series (AnchorSeries): count pfns `step` apart from base(p) + first, with base the step pfn
itself or one of the anchors above clamped so that every pfn of the series stays in [0, SPAN). A
pass with a series on the step pfn walks only the pfns whose series fits (`fits`).
*/
const seriesArb: fc.Arbitrary<{label: string; anchor: PassAnchor; fits?: {start: number; end: number}}> = fc
	.record({
		first: fc.integer({min: -64, max: 64}),
		step: fc.constantFrom(1, 2, 8, 64),
		count: fc.integer({min: 1, max: 9}),
		base: fc.option(anchorArb, {nil: undefined}),
	})
	.map(({first, step, count, base}) => {
		const last = first + step * (count - 1);
		const lo = Math.max(0, -first);
		const hi = SPAN - 1 - last;
		const label = `series ${first}..${last} by ${step}`;
		if (base === undefined) {
			return {label: `${label} from the step pfn`, anchor: {first, last, step}, fits: {start: lo, end: hi + 1}};
		}

		const f = base.anchor;
		return {label: `${label} from ${base.label}`, anchor: {base: (p: number) => Math.min(Math.max(f(p), lo), hi), first, last, step}};
	});

const PREDICATES = ['pfn_valid', 'pfn_to_online_page', 'get_dev_pagemap', 'pgmap_pfn_valid', 'early_section', 'page'] as const;
type Instruction = {
	/** -1: the step pfn; i: anchor i (mod the number of anchors). */
	target: number;
	/** Which pfn of a series anchor (mod its length). */
	sample: number;
	predicate: (typeof PREDICATES)[number];
	/** Return from the step unless the predicate holds. */
	guard: boolean;
	touch: readonly PageField[] | undefined;
	access: Access;
	/** Call stop() when the touched page is poisoned. */
	stopOnPoison: boolean;
};

const instructionArb: fc.Arbitrary<Instruction> = fc.record({
	target: fc.integer({min: -1, max: 2}),
	sample: fc.nat(16),
	predicate: fc.constantFrom(...PREDICATES),
	guard: fc.boolean(),
	touch: fc.option(fc.subarray(['flags', 'compound_head', 'mapping', '_refcount'] as PageField[], {minLength: 1}), {nil: undefined}),
	access: fc.constantFrom<Access>('read', 'write'),
	stopOnPoison: fc.boolean(),
});

const rangeArb = fc.tuple(fc.integer({min: 0, max: SPAN + 64}), fc.integer({min: 0, max: SPAN + 64})).map(([a, b]) => ({start: Math.min(a, b), end: Math.max(a, b)}));

const passArb = fc.record({
	stride: fc.constantFrom(1, 1, 2, 3, 7, 64, 512),
	direction: fc.constantFrom<'up' | 'down'>('up', 'down'),
	ranges: fc.array(rangeArb, {minLength: 1, maxLength: 3}),
	anchors: fc.array(fc.oneof(anchorArb, seriesArb), {maxLength: 2}),
	program: fc.array(instructionArb, {minLength: 1, maxLength: 4}),
});

function stepOf(anchors: readonly PassAnchor[], program: readonly Instruction[]) {
	return (ctx: StepContext, pfn: number) => {
		for (const ins of program) {
			let target = pfn;
			if (ins.target >= 0 && anchors.length > 0) {
				const pfns = anchorPfns(anchors[ins.target % anchors.length]!, pfn);
				target = pfns[ins.sample % pfns.length]!;
			}

			let holds: boolean;
			switch (ins.predicate) {
				case 'get_dev_pagemap': {
					holds = ctx.get_dev_pagemap(target) !== null;
					break;
				}

				case 'pgmap_pfn_valid': {
					holds = ctx.pgmap_pfn_valid(0, target);
					break;
				}

				case 'page': {
					holds = ctx.page_zone(target, 'page_zone') !== undefined;
					break;
				}

				default: {
					holds = ctx[ins.predicate](target);
				}
			}

			if (ins.guard && !holds) {
				return;
			}

			if (ins.touch) {
				const view = ctx.page(target, ins.touch, `touch_${ins.access}`, ins.access);
				if (ins.stopOnPoison && view.poisoned) {
					ctx.stop();
					return;
				}
			}
		}
	};
}

describe('differential: runs mode = per-pfn mode = naive oracle', () => {
	it('agrees on random models and random walkers', () => {
		fc.assert(
			fc.property(modelArb, fc.array(passArb, {minLength: 1, maxLength: 2}), (model, passes) => {
				const walker = testWalker(
					'random_walker',
					passes.map(pass => {
						const anchors = pass.anchors.map(a => a.anchor);
						// Only the pfns where every series on the step pfn fits.
						let ranges = pass.ranges;
						for (const a of pass.anchors) {
							const fits = 'fits' in a ? a.fits : undefined;
							if (fits !== undefined) {
								ranges = ranges.map(r => {
									const start = Math.min(Math.max(r.start, fits.start), fits.end);
									return {start, end: Math.max(start, Math.min(r.end, fits.end))};
								});
							}
						}

						return {stride: pass.stride, direction: pass.direction, ranges, anchors, step: stepOf(anchors, pass.program)};
					}),
				);
				expectModesAgree(walker, model);
			}),
			{numRuns: Number(process.env.DIFF_RUNS ?? 300)},
		);
	});
});

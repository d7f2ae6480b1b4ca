import {describe, expect, it} from 'vitest';
import {createStepContext} from '../../source/engine/context.js';
import {TouchTally} from '../../source/engine/tally.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';

// A test that touches an online pfn and a hot-added, never-onlined pfn through the reference
// StepContext.
//
//   |   boot RAM (ok)   | hotplug, offline (C1) |   unbacked ...
//   0x0             0x8000                  0x10000
//
// Expect one touch per distinct pfn, fields merged, views reflecting the memmap content.
describe('createStepContext', () => {
	const model = fakeModel({
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 0x8000, end: 0x10000, state: C1_POISON},
		],
	});

	// A test of the touch rule: every struct page read is one touch, also a second read of the
	// same pfn in the same step (page_zone() then page_folio() of pfn 0x10 are two kernel reads).
	// Expect three touches in call order, the fields of each as given.
	it('records one touch per read, never merging reads of one pfn', () => {
		const ctx = createStepContext(model);
		expect(ctx.page_zone(0x10, 'page_zone')).toBe('Normal');
		ctx.page(0x10, ['compound_head'], 'page_folio');
		const poisoned = ctx.page(0x8000, ['flags'], 'stable_page_flags', 'write');
		expect(poisoned.poisoned).toBe(true);
		expect(poisoned.zone).toBeUndefined();
		expect(ctx.touches.map(t => [t.pfn, t.fields, t.access, t.run.state.category])).toEqual([
			[0x10, ['flags'], 'read', 'ok'],
			[0x10, ['compound_head'], 'read', 'ok'],
			[0x8000, ['flags'], 'write', 'C1'],
		]);
		ctx.reset();
		expect(ctx.touches).toHaveLength(0);
	});

	it('answers predicates from the run of the pfn and lets a guard reject pfns', () => {
		const ctx = createStepContext(model);
		expect(ctx.pfn_valid(0x8001)).toBe(true);
		expect(ctx.pfn_to_online_page(0x8001)).toBe(false);
		expect(ctx.pfn_valid(0x10000)).toBe(false);
		ctx.guardPfn = pfn => {
			if (pfn !== 1) {
				throw new Error(`undeclared pfn ${pfn}`);
			}
		};

		expect(() => ctx.pfn_valid(2)).toThrow('undeclared pfn 2');
		expect(ctx.touches).toHaveLength(0);
	});

	// A test of counting (per-pfn mode), where nothing is reset between steps: three steps over
	// the map above, touching 0x10 twice, then 0x11, then 0x8000 and 0x10 again. Expect the counts
	// per run (ok 4, C1 1) once the engine stops counting: before that the array holds ok 3, C1 1,
	// each written when the lookup left its run, and the last touch of ok is written when counting
	// stops (the run looked up last keeps its count in the context until then), a witness
	// from the first touch of each run only (0x10 and 0x8000, each taken by the tally after the
	// step that made it), and no touch recorded one by one.
	it('counts touches per run without a per-step reset, and hands over only first touches', () => {
		const ctx = createStepContext(model);
		const tally = new TouchTally(model, new Set(['C1']), 5, {walker: 'test', guard: 'guards with pfn_valid()', kernel: '6.12', phase: 'final', g: model.geometry});
		ctx.counts = tally.runTouches;
		const steps = [
			() => {
				ctx.page_zone(0x10, 'page_zone');
				ctx.page(0x10, ['compound_head'], 'page_folio');
			},
			() => ctx.page(0x11, ['flags'], 'stable_page_flags'),
			() => {
				ctx.page(0x8000, ['flags'], 'stable_page_flags');
				ctx.page(0x10, ['flags'], 'stable_page_flags');
			},
		];
		const firstsPerStep: number[] = [];
		for (const step of steps) {
			step();
			firstsPerStep.push(ctx.firstCount);
			tally.firstTouches(ctx);
			expect(ctx.firstCount).toBe(0);
		}

		expect(firstsPerStep).toEqual([1, 0, 1]);
		expect(ctx.touchCount).toBe(0);
		expect([...tally.runTouches].slice(0, 2)).toEqual([3, 1]);
		ctx.counts = undefined;
		expect([...tally.runTouches].slice(0, 2)).toEqual([4, 1]);
		expect(tally.touches).toMatchObject({ok: 4, C1: 1});
		expect(tally.takeFresh().map(witness => [witness.pfn, witness.category, witness.chain.at(-1)])).toEqual([[0x8000, 'C1', 'stable_page_flags']]);
	});
});

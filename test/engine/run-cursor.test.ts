import {describe, expect, it} from 'vitest';
import {createStepContext} from '../../source/engine/context.js';
import {RunCursor} from '../../source/engine/run-cursor.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';

// A test of the run cursor over five runs of two states, the ok state recurring away from itself
// (as every hot-added block in one state does in a big topology):
//
//   |  ok  |  C1  |  ok  |  C1  |  ok  ...      | unbacked ...     |
//   0x0  0x100  0x200  0x300  0x400          0x10000          end_pfn
//
// Expect the model's own Run at every pfn, whether the cursor steps to a neighbour (up or down) or
// jumps, the bounds of that run, one RunInfo shared by the runs of one state, and a pfn outside
// [0, end_pfn) refused.
describe('RunCursor', () => {
	const model = fakeModel({
		runs: [
			{start: 0, end: 0x100, state: OK},
			{start: 0x100, end: 0x200, state: C1_POISON},
			{start: 0x200, end: 0x300, state: OK},
			{start: 0x300, end: 0x400, state: C1_POISON},
			{start: 0x400, end: 0x1_0000, state: OK},
		],
	});

	it('finds the run of a pfn walking up, walking down and jumping', () => {
		const cursor = new RunCursor(model);
		for (const pfn of [0, 0x100, 0x1ff, 0x200, 0x3ff, 0x400, 0xffff, 0x300, 0x2ff, 0x100, 0, 0x8000, 0x150]) {
			const run = cursor.at(pfn);
			expect(run).toBe(model.runAt(pfn));
			expect([cursor.start, cursor.end, cursor.index]).toEqual([run.start, run.end, run.index]);
		}

		expect(cursor.at(0x1_0000).state.category).toBe('unbacked');
		expect(() => cursor.at(model.end_pfn)).toThrow(`outside the modelled pfns [0x0, 0x${model.end_pfn.toString(16)})`);
		expect(() => cursor.at(-1)).toThrow('outside the modelled pfns');
	});

	it('shares one RunInfo between the runs whose states share predicates and memmap', () => {
		const cursor = new RunCursor(model);
		const infos = [0, 0x100, 0x200, 0x300, 0x400].map(pfn => {
			cursor.seek(pfn);
			return cursor.info;
		});
		expect(infos[0]).toBe(infos[2]);
		expect(infos[0]).toBe(infos[4]);
		expect(infos[1]).toBe(infos[3]);
		expect(infos[0]).not.toBe(infos[1]);
		expect([infos[0]!.pfn_to_online_page, infos[1]!.pfn_to_online_page]).toEqual([true, false]);
	});

	// A test that a touch still names the model's run, not the shared RunInfo: touching 0x10 and
	// 0x210 (the same state, two runs). Expect runs 0 and 2.
	it('records touches against the run of the pfn', () => {
		const ctx = createStepContext(model);
		ctx.page(0x10, ['flags'], 'test');
		ctx.page(0x210, ['flags'], 'test');
		ctx.page(0x150, ['flags'], 'test');
		expect(ctx.touches.map(touch => touch.run.index)).toEqual([0, 2, 1]);
	});
});

import {describe, expect, it} from 'vitest';
import {modelBytes, modelFromBytes} from '../../source/model/model-data.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';

// A test of the model as the audit's workers get it (modelBytes(), read back with
// modelFromBytes()), over four runs of three states, one of them recurring and one with a reason
// outside ASCII:
//
//   |  ok  |  C1  |  ok  | odd (reason "…µ…") |  unbacked ...
//   0x0  0x100  0x200  0x300               0x400            end_pfn
//
// Expect every run back with its bounds, index and state (the recurring state one object, as in
// the model), every reason back as written, the runs and zones of the model, and runAt() answering.
describe('modelBytes', () => {
	const odd = state({category: 'C1', reason: 'a reason with µ and → in it'});
	const model = fakeModel({
		runs: [
			{start: 0, end: 0x100, state: OK},
			{start: 0x100, end: 0x200, state: C1_POISON},
			{start: 0x200, end: 0x300, state: OK},
			{start: 0x300, end: 0x400, state: odd},
		],
		zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x400, populated: true, contiguous: false}],
	});

	it('reads back the runs, their states and reasons', () => {
		const copy = modelFromBytes(modelBytes(model));
		expect(copy.runs.map(run => [run.start, run.end, run.index])).toEqual(model.runs.map(run => [run.start, run.end, run.index]));
		expect(copy.runs.map(run => run.state.reason)).toEqual(model.runs.map(run => run.state.reason));
		expect(copy.runs[3]!.state.reason).toBe('a reason with µ and → in it');
		expect(copy.runs.map(run => run.state.category)).toEqual(model.runs.map(run => run.state.category));
		expect(copy.runs[0]!.state).toBe(copy.runs[2]!.state);
		expect(copy.runs[0]!.state.predicates).toEqual(OK.predicates);
		expect(copy.runs[1]!.state.memmap).toEqual(C1_POISON.memmap);
		expect(copy.zones).toEqual(model.zones);
		expect(copy.end_pfn).toBe(model.end_pfn);
		expect(copy.runAt(0x250)).toBe(copy.runs[2]);
		expect(copy.runAt(model.end_pfn - 1)).toBe(copy.runs.at(-1));
	});

	// A test of runs that leave a gap ([0x100, 0x180) missing). Expect modelBytes() to refuse
	// them: a worker has only the starts and would see no gap.
	it('refuses runs that do not tile the pfns', () => {
		const gap = {...model, runs: model.runs.map(run => (run.index === 1 ? {...run, start: 0x180} : run))};
		expect(() => modelBytes(gap)).toThrow('Model.runs[1] is [0x180, 0x200) with index 1; runs must tile [0, end_pfn) in order');
	});
});

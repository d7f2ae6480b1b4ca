import {describe, expect, it} from 'vitest';
import {overallVerdict, RunStore} from '../../../source/ui/state/run-store.js';
import {failingOf, tally, witness} from '../helpers/fixtures.js';

function progress(walker: string, counts: Parameters<typeof tally>[0], witnesses = [] as ReturnType<typeof witness>[]) {
	const touches = tally(counts);
	return {type: 'progress', walker, phase: 'final', pfns_visited: 5, fraction: 0.5, touches, failing: failingOf(touches), witnesses} as const;
}

describe('RunStore', () => {
	it('keeps the start event order while counts and finish order change', () => {
		const store = new RunStore();
		store.apply({type: 'start', walkers: ['a', 'b', 'c'].map(name => ({name, models: '', form: ''})), phases: ['final']});
		store.apply(progress('c', {C1: 900}));
		store.apply(progress('a', {C1: 1}));
		store.apply(progress('b', {ok: 5}));
		expect(store.snapshot().rows.map(row => row.name)).toEqual(['a', 'b', 'c']);
	});

	it('marks a running row fail as soon as it has a failing touch, pending before', () => {
		const store = new RunStore();
		store.apply(progress('a', {ok: 10, C2: 3}));
		expect(store.snapshot().rows[0]!.verdict).toBe('pending');
		store.apply(progress('a', {ok: 10, C2: 3, C5: 1}));
		expect(store.snapshot().rows[0]!.verdict).toBe('fail');
		expect(overallVerdict(store.snapshot())).toBe('fail');
	});

	it('indexes witnesses by category as they arrive and takes the result list as final', () => {
		const store = new RunStore();
		store.apply(progress('a', {C5: 2}, [witness(0x30_0000, 'C5'), witness(0x9f, 'hole')]));
		store.apply(progress('a', {C5: 2}, [witness(0x30_0001, 'C5')]));
		let row = store.snapshot().rows[0]!;
		expect(row.witnessCount).toBe(3);
		expect(row.byCategory.get('C5')?.map(item => item.pfn)).toEqual([0x30_0000, 0x30_0001]);
		const touches = tally({C5: 2});
		store.apply({
			type: 'walker-done',
			result: {name: 'a', models: 'm', form: 'f', guard: 'g', file: 'x', builtin: true, status: 'ok', pfns_visited: 9, touches, failing: failingOf(touches), witnesses: [witness(0x30_0001, 'C5')], verdict: 'fail'},
		});
		row = store.snapshot().rows[0]!;
		expect(row.witnessCount).toBe(1);
		expect(row.byCategory.get('hole')).toBeUndefined();
		expect(row.status).toBe('ok');
		expect(row.fraction).toBe(1);
	});

	// A test of three walkers a, b, c of which only b reports between two snapshots. Expect a and
	// c to be the same row objects in both (the tally draws again only b's row) and b a new one
	// with its new counts.
	it('hands out the same row object until an event touches that row', () => {
		const store = new RunStore();
		store.apply({type: 'start', walkers: ['a', 'b', 'c'].map(name => ({name, models: '', form: ''})), phases: ['final']});
		store.apply(progress('a', {C1: 1}));
		store.apply(progress('b', {ok: 5}));
		const before = store.snapshot().rows;
		store.apply(progress('b', {ok: 9}));
		const after = store.snapshot().rows;
		expect(after[0]).toBe(before[0]);
		expect(after[2]).toBe(before[2]);
		expect(after[1]).not.toBe(before[1]);
		expect(after[1]!.touches.ok).toBe(9);
		expect(before[1]!.touches.ok).toBe(5);
	});

	it('reports pending overall until the report arrives, then the report verdict', () => {
		const store = new RunStore();
		store.apply(progress('a', {ok: 1}));
		expect(overallVerdict(store.snapshot())).toBe('pending');
		expect(store.version).toBe(1);
	});
});

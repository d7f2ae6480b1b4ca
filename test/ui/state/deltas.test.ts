import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../../source/engine/types.js';
import {baselineOf, cellDelta, describeBaseline, groupDelta, verdictChange} from '../../../source/ui/state/deltas.js';
import {failingOf, rows, showcaseMeta, tally} from '../helpers/fixtures.js';

function report(kernel: string, c5: number): AuditReport {
	const touches = tally({C5: c5, hole: 4});
	return {
		...showcaseMeta(kernel),
		walkers: [
			{name: 'memunmap_pages', models: '', form: '', guard: '', file: '', builtin: true, status: 'ok', pfns_visited: 1, touches, failing: failingOf(touches), witnesses: [], verdict: c5 > 0 ? 'fail' : 'pass'},
		],
		verdict: c5 > 0 ? 'fail' : 'pass',
		elapsed_ms: 1,
		pfns_per_second: 1,
	};
}

describe('deltas against the previous run', () => {
	const baseline = baselineOf(report('5.3', 1), 'showcase.yaml');

	it('compares finished rows only', () => {
		const [running] = rows({name: 'memunmap_pages', touches: {C5: 0}, fraction: 0.5});
		expect(cellDelta(baseline, running!, 'C5')).toBeUndefined();
		const [finished] = rows({name: 'memunmap_pages', touches: {C2: 1, hole: 4}, done: true});
		expect(cellDelta(baseline, finished!, 'C5')).toBe(-1);
		expect(cellDelta(baseline, finished!, 'C2')).toBe(1);
		expect(cellDelta(baseline, finished!, 'hole')).toBe(0);
		expect(groupDelta(baseline, finished!, ['C2', 'C5'])).toBe(0);
		expect(verdictChange(baseline, finished!)).toBe('fail');
	});

	it('has nothing to say about a walker the previous run did not have', () => {
		const [other] = rows({name: 'damon_get_folio', done: true});
		expect(cellDelta(baseline, other!, 'ok')).toBeUndefined();
		expect(cellDelta(undefined, other!, 'ok')).toBeUndefined();
	});

	it('names the previous run by kernel and patches', () => {
		expect(describeBaseline(baseline)).toBe('v5.3');
		expect(describeBaseline({...baseline, patches: ['arm64-pfn-valid-v2']})).toBe('v5.3 + arm64-pfn-valid-v2');
	});
});

/**
Issue 10: building a model must not grow quadratically in the number of topology entries. Wall
time is never asserted: the test compares the CPU time of two sizes measured in this process, as a
ratio. 8x the entries may cost at most 8 * log(2400) / log(300) = 10.9x (O(n log n)); it measures
about 6x (fixed costs weigh more at 300). Each of the quadratic paths this guards against, put
back alone, measured 14x-16x: stateBoundaries() over the whole state from set_zone_contiguous()
and shrink_zone_span(), and the pairwise overlap check.
*/
import {describe, expect, it} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import {buildModel} from '../../source/model/build.js';
import {parseTopology} from '../../source/topology/load.js';

/** Least CPU milliseconds of `repeat` parse + build runs of an n-entry generated topology. */
function cost(entries: number, repeat: number): number {
	const {yaml} = generateTopology(entries);
	let best = Number.POSITIVE_INFINITY;
	for (let i = 0; i < repeat; i++) {
		const started = process.cpuUsage();
		buildModel(parseTopology(yaml, `growth-${entries}.yaml`));
		const used = process.cpuUsage(started);
		best = Math.min(best, (used.user + used.system) / 1000);
	}

	return best;
}

describe('model building grows O(n log n) in topology entries', () => {
	it('A test that parses and builds generated topologies of 300 and 2 400 entries (boot ranges with holes, hotplug blocks in every state, devices with altmaps). Expect 8x the entries to cost at most 10.9x the CPU time (n log n)', () => {
		cost(300, 2); // warm the JIT up
		const small = cost(300, 5);
		const large = cost(2400, 5);
		expect(large / small, `300 entries: ${small.toFixed(0)} ms, 2 400 entries: ${large.toFixed(0)} ms`).toBeLessThanOrEqual(10.9);
	}, 120_000);
});

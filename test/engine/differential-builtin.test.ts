import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {evaluateWalker, type JobResult} from '../../source/engine/evaluate.js';
import {DEFAULT_FAIL_SET} from '../../source/engine/fail-on.js';
import {v} from '../../source/kernel/version.js';
import {buildModel} from '../../source/model/build.js';
import {geometryFor} from '../../source/model/geometry.js';
import type {Model} from '../../source/model/types.js';
import type {Topology} from '../../source/topology/types.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {arbitraryTopology} from '../helpers/arbitrary-topology.js';
import {runNaive} from '../helpers/run-walker.js';

// A differential property test with the real model and every built-in walker: random valid
// topologies (test/helpers/arbitrary-topology.ts: random arch, kernel version, config, and a
// row of boot / hole / hotplug / device / mixed sections in random states) at a random phase of
// their replay. Expect, for each of the 22 walkers, runs mode and per-pfn mode to give the same
// status, pfns visited, touches, failing touches and witnesses, and both to equal the tallies
// of the naive oracle (test/helpers/run-walker.ts: every iteration point, one step each).
//
//   | sec 0 | sec 1 | ... | sec n-1 | nothing ... 2^(MAX_PHYSMEM_BITS - PAGE_SHIFT) | boundary pfns
//   0x0                                                                        (the sweeps' end)
//
// The physical address space is kept small so that per-pfn mode and the oracle stay fast:
// MAX_PHYSMEM_BITS is set to SECTION_SIZE_BITS plus the bits of the layout's 2–8 sections (no
// real configuration is that small; the model takes the value as given), so a sweep of the whole
// address space is 2^17–2^20 pfns, plus the boundary pfns beyond it.

/** Pfns of the whole layout at most (a sweep of the address space walks this many points). */
const BUDGET = 2 ** 19;

/** The topology with the smallest MAX_PHYSMEM_BITS that still holds its layout (a power of two of sections). */
function shrink(topology: Topology): Topology {
	const g = geometryFor(topology.arch, v(topology.kernel));
	const layoutEnd = Math.max(...topology.memory.map(entry => entry.end_pfn));
	const sections = 2 ** Math.max(1, Math.ceil(Math.log2(Math.ceil(layoutEnd / g.PAGES_PER_SECTION))));
	return {...topology, config: {...topology.config, max_physmem_bits: g.SECTION_SIZE_BITS + Math.log2(sections)}};
}

/** Sections per layout so that the address space stays within BUDGET pfns (at least 2). */
function maxSections(topology: Topology): number {
	const g = geometryFor(topology.arch, v(topology.kernel));
	return Math.max(2, Math.min(8, Math.floor(BUDGET / g.PAGES_PER_SECTION)));
}

const smallTopology = arbitraryTopology({maxSections: 8})
	.filter(topology => {
		const g = geometryFor(topology.arch, v(topology.kernel));
		const sections = Math.ceil(Math.max(...topology.memory.map(entry => entry.end_pfn)) / g.PAGES_PER_SECTION);
		return sections <= maxSections(topology);
	})
	.map(shrink);

/** A model of a small topology at a random phase of its replay. */
const modelArb = smallTopology.chain(topology => {
	const phases = buildModel(topology).phases.map(phase => phase.id);
	return fc.constantFrom(...phases).map(phase => buildModel(topology, {phase}));
});

/** What both modes must agree on (elapsed time and the planner's thread aside). */
function comparable(result: JobResult) {
	const {elapsed_ms: _elapsed, ...rest} = result;
	return rest;
}

function where(model: Model, walker: string): string {
	const t = model.topology;
	return `${walker} on ${t.arch} v${t.kernel} (MAX_PHYSMEM_BITS ${model.geometry.MAX_PHYSMEM_BITS}) at phase ${model.phase.id}: ${t.memory.map(e => e.label).join(', ')}`;
}

describe('differential: the built-in walkers on the real model', () => {
	it('give the same results in runs mode, per-pfn mode and the naive oracle', () => {
		let checked = 0;
		fc.assert(
			fc.property(modelArb, model => {
				for (const walker of BUILTIN_WALKERS) {
					const options = {failOn: DEFAULT_FAIL_SET} as const;
					const runs = evaluateWalker(walker, model, {...options, mode: 'runs'});
					const perPfn = evaluateWalker(walker, model, {...options, mode: 'per-pfn'});
					const context = where(model, walker.name);
					expect(runs.error, context).toBeUndefined();
					expect(['ok', 'absent'], context).toContain(runs.status);
					expect(comparable(runs), context).toEqual(comparable(perPfn));
					const naive = runNaive(walker, model, {log: false});
					expect(runs.pfns_visited, context).toBe(naive.visited);
					expect(runs.touches, context).toEqual(naive.touches);
					checked++;
				}
			}),
			{numRuns: Number(process.env.DIFF_BUILTIN_RUNS ?? 24), seed: Number(process.env.DIFF_BUILTIN_SEED ?? 0x5eed_0b17), endOnFailure: true},
		);
		expect(checked).toBeGreaterThanOrEqual(22);
	}, 240_000);
});

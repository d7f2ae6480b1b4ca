import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {replayState} from '../../source/model/build.js';
import {nextStateBoundary, previousStateBoundary, stateBoundaries} from '../../source/model/facts.js';
import {SECTION_ALIGN_DOWN, SECTION_ALIGN_UP} from '../../source/model/geometry.js';
import type {ModelState} from '../../source/model/state.js';
import {arbitraryTopology} from '../helpers/arbitrary-topology.js';

/** The whole-state form stateBoundaries() had before issue 10: every boundary of every map and pgmap, then filtered. */
function everyBoundary(state: ModelState, start: number, end: number): number[] {
	const {g} = state.ctx;
	const points = [g.NR_MEM_SECTIONS * g.PAGES_PER_SECTION, g.NR_SECTION_ROOTS * g.SECTIONS_PER_ROOT * g.PAGES_PER_SECTION, g.pfn_upper_bits_limit];
	points.push(...state.sections.boundaries().map(nr => nr * g.PAGES_PER_SECTION), ...state.bootSections.boundaries().map(nr => nr * g.PAGES_PER_SECTION));
	points.push(...state.subsections.boundaries(), ...state.memmap.boundaries(), ...state.memblock.boundaries(), ...state.owner.boundaries());
	for (const p of state.pgmaps) {
		points.push(p.start_pfn, p.end_pfn, p.span_start, p.span_end, SECTION_ALIGN_DOWN(g, p.span_start), SECTION_ALIGN_UP(g, p.span_end), p.init_start, p.init_cursor, p.init_end);
		if (p.altmap) {
			points.push(p.altmap.base_pfn + p.altmap.reserve, p.altmap.base_pfn + p.altmap.reserve + p.altmap.free);
		}
	}

	return [...new Set(points.filter(p => p > start && p < end))].sort((a, b) => a - b);
}

/** A replay state at a random phase, and a window of pfns around its entries. */
const stateAndWindow = arbitraryTopology().chain(topology => {
	const {steps} = replayState(topology);
	const last = topology.memory.reduce((end, entry) => Math.max(end, entry.end_pfn), 0);
	return fc.tuple(
		fc.constantFrom(...steps.map(step => step.id)),
		fc.integer({min: 0, max: last + 1}),
		fc.integer({min: 0, max: last + 1}),
	).map(([phase, a, b]) => ({state: replayState(topology, {phase}).state, a: Math.min(a, b), b: Math.max(a, b)}));
});

describe('state boundaries visit only the range asked', () => {
	it('A test that asks random replay states for the boundaries inside random windows. Expect the whole-state answer, and next/previous boundaries equal to its first/last element', () => {
		fc.assert(
			fc.property(stateAndWindow, ({state, a, b}) => {
				const expected = everyBoundary(state, a, b);
				expect(stateBoundaries(state, a, b)).toEqual(expected);
				expect(nextStateBoundary(state, a, b)).toBe(expected[0] ?? b);
				expect(previousStateBoundary(state, a, b)).toBe(expected.at(-1) ?? a);
				const whole = everyBoundary(state, 0, state.pfnLimit);
				expect(stateBoundaries(state, 0, state.pfnLimit)).toEqual(whole);
				// From every boundary and from the middle of every stretch: the neighbours either side.
				const cuts = [0, ...whole, state.pfnLimit];
				for (let i = 0; i + 1 < cuts.length; i++) {
					const [from, to] = [cuts[i]!, cuts[i + 1]!];
					const middle = from + Math.floor((to - from) / 2);
					expect(nextStateBoundary(state, from, state.pfnLimit)).toBe(to);
					expect(previousStateBoundary(state, 0, to)).toBe(from);
					if (middle > from) {
						expect(nextStateBoundary(state, middle, state.pfnLimit)).toBe(to);
						expect(previousStateBoundary(state, 0, middle)).toBe(from);
					}
				}
			}),
			{numRuns: 150, seed: 0xb0da},
		);
	});
});

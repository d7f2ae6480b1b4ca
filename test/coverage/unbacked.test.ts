/**
`unbacked` is unreachable for the built-in walkers (test/coverage/matrix.ts UNREACHABLE): over
random valid topologies — every arch, every modelled kernel version, SPARSEMEM_VMEMMAP on or off,
holes, hotplug in every state, devices partially covering sections, collisions with early
sections — at a random phase of the replay (so memremap_pages() P1-P7 and memunmap_pages() T1-T2
included), no built-in walker touches a pfn without a memmap. Where a layout has such pfns inside
a present section the model classifies them C3 or C4, and those stay reachable.
*/
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {evaluateWalker} from '../../source/engine/evaluate.js';
import {DEFAULT_FAIL_SET} from '../../source/engine/fail-on.js';
import {buildModel} from '../../source/model/build.js';
import {hex} from '../../source/model/geometry.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {arbitraryTopology} from '../helpers/arbitrary-topology.js';

const modelAtRandomPhase = arbitraryTopology({maxSections: 8}).chain(topology => {
	const phases = buildModel(topology).phases.map(phase => phase.id);
	return fc.constantFrom(...phases).map(phase => buildModel(topology, {phase}));
});

describe('unbacked is unreachable for the built-in walkers', () => {
	// A test over random topologies of 2-8 sections from pfn 0 (boot RAM with head/tail holes and
	// NOMAP, holes, hotplug blocks, devices, collisions), e.g.
	//
	//   | boot+hole | hole | hotplug | device (partial) | boot | ram+device |  ... past NR_MEM_SECTIONS
	//   0x0       1 sec  2 sec    3 sec             4 sec  5 sec        6 sec
	//
	// Expect no walker to touch `unbacked` (and none to throw or break its contract), while the
	// memmap-less pfns of present sections (C3) or of registered pgmaps before sparse_add_section()
	// (C4) remain what walkers can reach.
	it('no built-in walker touches a pfn without a memmap, at any version and phase', () => {
		const reached = {C3: 0, C4: 0};
		fc.assert(
			fc.property(modelAtRandomPhase, model => {
				for (const walker of BUILTIN_WALKERS) {
					const result = evaluateWalker(walker, model, {mode: 'runs', failOn: DEFAULT_FAIL_SET});
					reached.C3 += result.touches.C3;
					reached.C4 += result.touches.C4;
					expect(['ok', 'absent'], `${walker.name}: ${result.error ?? ''}`).toContain(result.status);
					const where = result.witnesses.filter(w => w.category === 'unbacked').map(w => hex(w.pfn));
					expect(result.touches.unbacked, `${walker.name} at v${model.kernel.label} ${model.topology.arch} phase ${model.phase.id}: ${where.join(', ')}`).toBe(0);
				}
			}),
			{numRuns: 60, seed: 0xc0de},
		);
		// Not vacuous: the random layouts do put walkers on memmap-less and uninitialized device pfns.
		expect(reached.C3).toBeGreaterThan(0);
		expect(reached.C4).toBeGreaterThan(0);
	}, 600_000);
});

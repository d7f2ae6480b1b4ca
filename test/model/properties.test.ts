import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {buildModel} from '../../source/model/build.js';
import {atLeast} from '../../source/kernel/version.js';
import type {Model, Run} from '../../source/model/types.js';
import {arbitraryTopology} from '../helpers/arbitrary-topology.js';

const runsConfig = {numRuns: 120, seed: 0x5eed};

/** A model at a random phase of its replay. */
const modelAtRandomPhase = arbitraryTopology().chain(topology => {
	const phases = buildModel(topology).phases.map(phase => phase.id);
	return fc.constantFrom(...phases).map(phase => buildModel(topology, {phase}));
});

/**
The documented windows in which pfn_to_online_page() (v5.12+) may return a page whose memmap is
not initialized:
- memunmap_pages(): once percpu_ref_kill() ran, get_dev_pagemap() is NULL and the
  SECTION_TAINT_ZONE_DEVICE slow path returns the ZONE_DEVICE page (memory-model.md §6.3 H12);
- memremap_pages() P3 of a device sharing an early section: sparse_add_section() has set the
  subsection bits, move_pfn_range_to_zone() has not yet set SECTION_TAINT_ZONE_DEVICE (both under
  mem_hotplug_lock, so only lock-free walkers see it).
*/
function documentedWindow(model: Model, run: Run): boolean {
	if (run.state.category === 'teardown') {
		return true;
	}

	return model.phase.step === 'P3' && run.state.pgmap !== null && run.state.pgmap === model.pgmaps.at(-1)?.id;
}

describe('model properties over random valid topologies', () => {
	it('tiles [0, end_pfn) with runs that differ from their neighbours, every run classified', () => {
		fc.assert(
			fc.property(modelAtRandomPhase, model => {
				expect(model.runs[0]!.start).toBe(0);
				expect(model.runs.at(-1)!.end).toBe(model.end_pfn);
				model.runs.forEach((run, index) => {
					expect(run.index).toBe(index);
					expect(run.start).toBeLessThan(run.end);
					expect(CATEGORY_IDS).toContain(run.state.category);
					expect(run.state.reason.length).toBeGreaterThan(0);
					expect(run.state.uninitialized).toBe(run.state.memmap.content !== 'init');
					if (index > 0) {
						expect(model.runs[index - 1]!.end).toBe(run.start);
						expect(JSON.stringify(model.runs[index - 1]!.state)).not.toBe(JSON.stringify(run.state));
					}
				});
				const probe = model.runs[Math.floor(model.runs.length / 2)]!;
				expect(model.runAt(probe.start)).toBe(probe);
				expect(model.runAt(probe.end - 1)).toBe(probe);
			}),
			runsConfig,
		);
	});

	it('keeps early sections fully pfn_valid() with the generic pfn_valid()', () => {
		fc.assert(
			fc.property(modelAtRandomPhase, model => {
				const archPfnValid = model.geometry.arch.startsWith('arm64') && !atLeast(model.kernel, '5.16');
				for (const run of model.runs) {
					if (run.state.predicates.early_section && !archPfnValid) {
						expect(run.state.predicates.pfn_valid).toBe(true);
					}

					// Before v5.3 validity is per section: every pfn of a valid section.
					if (!atLeast(model.kernel, '5.3') && run.state.predicates.valid_section && !archPfnValid) {
						expect(run.state.predicates.pfn_valid).toBe(true);
					}
				}
			}),
			runsConfig,
		);
	});

	it('never gets an initialized memmap from pfn_to_online_page() from v5.12 outside the documented windows', () => {
		fc.assert(
			fc.property(modelAtRandomPhase, model => {
				if (!atLeast(model.kernel, '5.12')) {
					return;
				}

				for (const run of model.runs) {
					if (run.state.predicates.pfn_to_online_page && run.state.uninitialized) {
						expect(documentedWindow(model, run), `${run.state.category} ${run.state.reason}`).toBe(true);
					}
				}
			}),
			runsConfig,
		);
	});

	it('classifies C4 only while a device is between P1 and P6, and C2 only with page->pgmap set', () => {
		fc.assert(
			fc.property(modelAtRandomPhase, model => {
				for (const run of model.runs) {
					if (run.state.category === 'C4') {
						const pgmap = model.pgmaps[run.state.pgmap!]!;
						expect(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']).toContain(pgmap.phase);
					}

					if (run.state.category === 'C2') {
						expect(run.state.memmap.pgmap).toBe(run.state.pgmap);
					}
				}
			}),
			runsConfig,
		);
	});

	it('is deterministic', () => {
		fc.assert(
			fc.property(arbitraryTopology(), topology => {
				const a = buildModel(topology);
				const b = buildModel(topology);
				const view = (m: Model) => JSON.stringify({runs: m.runs, zones: m.zones, nodes: m.nodes, max_pfn: m.max_pfn, pgmaps: m.pgmaps});
				expect(view(a)).toBe(view(b));
			}),
			{numRuns: 40, seed: 0x5eed},
		);
	});
});

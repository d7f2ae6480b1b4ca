import {describe, expect, it} from 'vitest';
import {v} from '../../source/kernel/version.js';
import type {ModelContext} from '../../source/model/context.js';
import {geometryFor} from '../../source/model/geometry.js';
import {deviceStep} from '../../source/model/memremap.js';
import {planSteps, replayThrough} from '../../source/model/phases.js';
import {computeRuns, findRun} from '../../source/model/runs.js';
import {ModelState} from '../../source/model/state.js';
import type {DeviceEntry, Topology} from '../../source/topology/types.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

/** Replay a topology to its end, then run extra memunmap_pages() steps no declared state reaches. */
function replayWith(t: Topology, extra: Array<'T3' | 'T4'>) {
	const kernel = v(t.kernel);
	const g = geometryFor(t.arch, kernel, t.config.max_physmem_bits);
	const ctx: ModelContext = {kernel, arch: t.arch, g, config: t.config, patches: new Set(), knobs: {}};
	const state = new ModelState(ctx, g.pfn_upper_bits_limit + g.PAGES_PER_SECTION);
	const steps = planSteps(t);
	replayThrough(state, steps, steps.length - 1);
	const device = t.memory.find((entry): entry is DeviceEntry => entry.kind === 'device')!;
	for (const step of extra) {
		deviceStep(state, device, step);
	}

	const runs = computeRuns(state, t.memory);
	return (pfn: number) => findRun(runs, pfn).state;
}

// An fsdax namespace colliding with boot RAM in section 31 (early) and spilling into section 32
// (non-early), torn down at v6.12.
//
//   | boot RAM     | fsdax (teardown)                                  |
//   0xf8000   0xfc000                  0x100000                   0x104000
//   section 31 (early, shared)         section 32 (hot-added)
const t = topology({kernel: '6.12'})
	.boot(0, 4 * GiB - 64 * MiB)
	.device('fsdax', 4 * GiB - 64 * MiB, 128 * MiB, {state: 'teardown'})
	.build();

describe('memunmap_pages() T3/T4 (section_deactivate(), pgmap_array_delete())', () => {
	// Expect after T3 the early section keeps its (poisoned) boot memmap and stays pfn_valid() for the
	// device subsections (early_section()), the non-early section emptied (not present, unbacked);
	// the pfns are still in the xarray with a dead ref: teardown.
	it('keeps the boot memmap of an early section and drops the hot-added section', () => {
		const after = replayWith(t, ['T3']);
		expect(after(0xf_d000).category).toBe('teardown');
		expect(after(0xf_d000).memmap.content).toBe('poison');
		expect(after(0xf_d000).predicates.pfn_valid).toBe(true);
		expect(after(0xf_d000).subsection_valid).toBe(false);
		expect(after(0xf_d000).section.taint_zone_device).toBe(true);
		expect(after(0x10_1000).section.present).toBe(false);
		expect(after(0x10_1000).memmap.content).toBe('unbacked');
	});

	// Expect after T4 the removed subsections of the early section to be a hole (pfn_valid() true,
	// poisoned memmap: memory-model.md H10) and the hot-added part unbacked.
	it('leaves a poisoned hole in the early section (H10)', () => {
		const after = replayWith(t, ['T3', 'T4']);
		expect(after(0xf_d000).category).toBe('hole');
		expect(after(0xf_d000).uninitialized).toBe(true);
		expect(after(0xf_d000).predicates.pfn_valid).toBe(true);
		expect(after(0xf_d000).predicates.get_dev_pagemap).toBe(null);
		expect(after(0x10_1000).category).toBe('unbacked');
	});
});

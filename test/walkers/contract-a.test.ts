import {describe, expect, it} from 'vitest';
import {createStepContext} from '../../source/engine/context.js';
import {KERNEL_VERSIONS} from '../../source/kernel/version.js';
import type {Model} from '../../source/model/types.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import damon_get_folio from '../../walkers/damon_get_folio.js';
import hwpoison_inject from '../../walkers/hwpoison_inject.js';
import kmemleak_scan from '../../walkers/kmemleak_scan.js';
import memory_failure from '../../walkers/memory_failure.js';
import memunmap_pages from '../../walkers/memunmap_pages.js';
import pfn_range_valid_contig from '../../walkers/pfn_range_valid_contig.js';
import saveable_page from '../../walkers/saveable_page.js';
import shrink_pgdat_span from '../../walkers/shrink_pgdat_span.js';
import shrink_zone_span from '../../walkers/shrink_zone_span.js';
import soft_offline_page from '../../walkers/soft_offline_page.js';
import unpoison_memory from '../../walkers/unpoison_memory.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {GiB, MiB, topology} from '../helpers/topology.js';
import {fsdax, hole, OFFLINED, zoneDevice} from './states-a.js';

const WALKERS: WalkerDefinition[] = [
	memory_failure,
	soft_offline_page,
	unpoison_memory,
	hwpoison_inject,
	shrink_zone_span,
	shrink_pgdat_span,
	memunmap_pages,
	pfn_range_valid_contig,
	damon_get_folio,
	kmemleak_scan,
	saveable_page,
];

// Every category of slice A in one x86-64 layout (MAX_PHYSMEM_BITS 32), used to check the
// contract at every modelled release:
//
//   | boot | hole | boot RAM | C1 | offlined | fsdax: rsv | free | C2 | C4 | collision C2 | boot | unbacked
//   0x0  0x200 0x400    0x40000 0x48000 0x50000  0x58000 +2   +0x400 0x5c000 0x60000 0x64000 0x68000 0x80000
function layout(kernel: string): Model {
	const model = fakeModel({
		kernel,
		max_physmem_bits: 32,
		runs: [
			{start: 0, end: 0x200, state: OK},
			{start: 0x200, end: 0x400, state: hole(kernel)},
			{start: 0x400, end: 0x40000, state: OK},
			{start: 0x40000, end: 0x48000, state: C1_POISON},
			{start: 0x48000, end: 0x50000, state: OFFLINED},
			{start: 0x58000, end: 0x58002, state: zoneDevice('C5', kernel)},
			{start: 0x58002, end: 0x58400, state: zoneDevice('metadata', kernel)},
			{start: 0x58400, end: 0x5c000, state: zoneDevice('C2', kernel)},
			{start: 0x5c000, end: 0x60000, state: zoneDevice('C4', kernel)},
			{start: 0x60000, end: 0x64000, state: zoneDevice('C2', kernel, {collision: true})},
			{start: 0x64000, end: 0x80000, state: OK},
		],
		zones: [
			{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x80000, populated: true, contiguous: false},
			{nid: 0, name: 'Device', zone_start_pfn: 0x58000, zone_end_pfn: 0x64000, populated: false, contiguous: false},
		],
		nodes: [{nid: 0, node_start_pfn: 0, node_end_pfn: 0x80000}],
		pgmaps: [fsdax(0x58000, 0x60000, {reserve: 2, free: 0x3fe}), {...fsdax(0x60000, 0x64000, undefined), id: 1}],
	});
	const entries = topology({kernel})
		.boot(0, GiB)
		.hotplug(GiB, 128 * MiB, 'offline')
		.hotplug(GiB + 128 * MiB, 128 * MiB, 'offlined')
		.boot(0x64000 * 4096, 0x1c000 * 4096)
		.build().memory;
	return {...model, entries};
}

/** The first, a middle and the last iteration point of a pass range that fall in [start, end). */
function samplePoints(range: {start: number; end: number}, stride: number, direction: 'up' | 'down', start: number, end: number): number[] {
	const at = (k: number) => (direction === 'up' ? range.start + k * stride : range.end - 1 - k * stride);
	const kFirst = direction === 'up' ? Math.ceil((start - range.start) / stride) : Math.ceil((range.end - end) / stride);
	const kLast = direction === 'up' ? Math.floor((end - 1 - range.start) / stride) : Math.floor((range.end - 1 - start) / stride);
	if (kFirst > kLast) {
		return [];
	}

	return [at(kFirst), at(Math.floor((kFirst + kLast) / 2)), at(kLast)];
}

/** One step at `pfn`, refusing any pfn but its own (the runs-mode rule for passes without anchors). */
function stepAt(model: Model, step: (ctx: ReturnType<typeof createStepContext>, pfn: number) => void, pfn: number) {
	const ctx = createStepContext(model);
	ctx.guardPfn = looked => {
		if (looked !== pfn) {
			throw new Error(`step at ${pfn.toString(16)} looked at ${looked.toString(16)}`);
		}
	};

	ctx.reset();
	step(ctx, pfn);
	return {touches: ctx.touches.map(t => ({fields: t.fields, via: t.via, access: t.access, category: t.run.state.category})), stopped: ctx.stopped};
}

describe('slice A walkers and the walker contract', () => {
	it.each(WALKERS.map(w => [w.name, w] as const))('%s: names, models and history are well formed', (name, walker) => {
		expect(walker.models).toContain(`:${name}()`);
		expect(walker.fields.length).toBeGreaterThan(0);
		const since = walker.history.map(h => KERNEL_VERSIONS.indexOf(h.since));
		expect(since.every(i => i >= 0)).toBe(true);
		expect([...since].sort((a, b) => a - b)).toEqual(since);
	});

	// A test that every step looks only at its own pfn and gives the same result at every
	// iteration point of a run (so the engine's runs mode is exact): at the first, a middle and
	// the last iteration point of every run a pass crosses, at every modelled release.
	it.each(WALKERS.map(w => [w.name, w] as const))('%s: steps are stateless and uniform per run, at every release', (_name, walker) => {
		for (const kernel of KERNEL_VERSIONS) {
			const model = layout(kernel);
			const form = walker.plan(model);
			if (!form) {
				continue;
			}

			expect(form.label.length).toBeGreaterThan(0);
			for (const pass of form.passes) {
				expect(pass.anchors ?? []).toEqual([]);
				for (const range of pass.ranges) {
					const cut = model.runs.filter(run => run.start < range.end && range.start < run.end);
					for (const run of cut) {
						const start = Math.max(run.start, range.start);
						const end = Math.min(run.end, range.end);
						const sample = samplePoints(range, pass.stride, pass.direction, start, end);
						if (sample.length === 0) {
							continue;
						}

						const results = sample.map(pfn => stepAt(model, pass.step, pfn));
						for (const pfn of sample) {
							expect(pfn >= start && pfn < end).toBe(true);
						}

						expect(results[1]).toEqual(results[0]);
						expect(results[2]).toEqual(results[0]);
					}
				}
			}
		}
	}, 120_000);
});

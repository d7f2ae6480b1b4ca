import {describe, expect, it} from 'vitest';
import {createStepContext} from '../../source/engine/context.js';
import {KERNEL_VERSIONS, v} from '../../source/kernel/version.js';
import {pageblockChecksStartPfnValid} from '../../source/model/contiguous.js';
import type {Zone} from '../../source/model/types.js';
import walker from '../../walkers/set_zone_contiguous.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {checkAnchors} from './anchor-guard.js';

const normal = (start: number, end: number, extra: Partial<Zone> = {}): Zone => ({
	nid: 0,
	name: 'Normal',
	zone_start_pfn: start,
	zone_end_pfn: end,
	populated: true,
	contiguous: false,
	...extra,
});

// A ZONE_DEVICE subsection that shares an early (online) section with RAM, memmap not yet
// initialized (memremap_pages() between sparse_add_section() and memmap_init_zone_device()).
const C4_COLLISION = state({
	section: {present: true, valid: true, online: true, early: true, usage: true, taint_zone_device: true},
	subsection_valid: true,
	memmap: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'},
	pgmap: 0,
	category: 'C4',
	reason: 'ZONE_DEVICE subsection of an early section, memmap not yet initialized',
	predicates: {pfn_valid: true, get_dev_pagemap: 0, present_section: true, valid_section: true, online_section: true, early_section: true},
});

describe('set_zone_contiguous', () => {
	// A test that recomputes zone->contiguous for a Normal zone whose upper half is a hot-added,
	// never-onlined memory block (its memmap poisoned by sparse_add_section()), at v5.3 and v6.12.
	//
	//   |      boot RAM (ok)      |   hotplug, offline (C1)  |
	//   0x0                    0x8000                    0x10000
	//   |<------------------ zone Normal ------------------>|
	//
	// Expect the walk to stop at the first offline pageblock (pfn_to_online_page() fails there)
	// without reading it: 65 pageblocks visited, no C1 touch.
	it.each(['5.3', '6.12'])('stops at the first offline pageblock without touching it (v%s)', kernel => {
		const model = fakeModel({
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
			],
			zones: [normal(0, 0x10000)],
		});
		const result = runNaive(walker, model);
		expect(result.visited).toBe(0x8000 / 0x200 + 1);
		expect(result.touches.C1).toBe(0);
		// The start and the last pfn of each of the 64 online blocks.
		expect(result.touches.ok).toBe(64 * 2);
		expect(result.log.at(-1)).toMatchObject({pfn: 0x7fff, via: '__pageblock_pfn_to_page', fields: ['flags']});
		expect(checkAnchors(walker, model)).toBe(65);
	});

	// A test of the multi-subsection pageblock case on arm64 with 64K pages at v6.12: a pageblock is
	// 512 MiB (8192 pfns) and equals the section; a subsection is 2 MiB (32 pfns). The last
	// subsection of the boot section is ZONE_DEVICE whose memmap is not initialized yet.
	//
	//   |              boot RAM (ok)               | C4 |      boot RAM (ok)       |
	//   0x0                                    0x1fe0 0x2000                    0x4000
	//   |<----------- pageblock 0 ----------------------->|<------ pageblock 1 ---->|
	//
	// Expect __pageblock_pfn_to_page() to pass pfn_valid() on the block's last pfn (early section)
	// and read its flags for page_zone_id(): one C4 touch, then the block fails on the zone and the
	// walk stops. This is walkers.md's [A] finding (no report found), reproduced here as modelled.
	it('reads the flags of a ZONE_DEVICE last pfn when a pageblock spans several subsections [A]', () => {
		const model = fakeModel({
			arch: 'arm64-64k',
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x1fe0, state: OK},
				{start: 0x1fe0, end: 0x2000, state: C4_COLLISION},
				{start: 0x2000, end: 0x4000, state: OK},
			],
			zones: [normal(0, 0x4000)],
		});
		expect(model.geometry.pageblock_nr_pages).toBe(0x2000);
		const result = runNaive(walker, model);
		expect(result.touches.C4).toBe(1);
		expect(result.log.filter(t => t.category === 'C4')).toEqual([
			{pfn: 0x1fff, category: 'C4', via: '__pageblock_pfn_to_page', fields: ['flags'], access: 'read'},
		]);
		expect(result.visited).toBe(1);
	});

	// A test of which zones are walked: populated zones and the ZONE_DEVICE zone (memremap_pages()
	// calls move_pfn_range_to_zone()), not an empty or unpopulated one.
	//
	//   | DMA32 (ok) |  Normal (ok)  | Device (C4) |
	//   0x0      0x1000          0x8000        0x8400
	//
	// Expect three passes; the Device pass stops at its first block (pfn_to_online_page() is NULL).
	it('walks populated zones and the ZONE_DEVICE zone', () => {
		const model = fakeModel({
			kernel: '6.12',
			runs: [
				{start: 0, end: 0x1000, state: {...OK, memmap: {...OK.memmap, zone: 'DMA32'}}},
				{start: 0x1000, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x8400, state: {...C4_COLLISION, predicates: {...C4_COLLISION.predicates, online_section: false}}},
			],
			zones: [
				{...normal(0, 0x1000), name: 'DMA32'},
				normal(0x1000, 0x8000),
				{...normal(0x8000, 0x8400), name: 'Device', populated: false},
				{...normal(0x8400, 0x8400), name: 'Movable', populated: false},
			],
		});
		const form = walker.plan(model)!;
		expect(form.passes.map(p => p.label)).toEqual([
			'zone DMA32 (node 0) [0x0, 0x1000)',
			'zone Normal (node 0) [0x1000, 0x8000)',
			'zone Device (node 0) [0x8000, 0x8400)',
		]);
		const result = runNaive(walker, model);
		expect(result.touches.C4).toBe(0);
		expect(result.visited).toBe(0x1000 / 0x200 + 0x7000 / 0x200 + 1);
	});

	// A test of the first and last pageblock clipping: a zone [0x100, 0x550) has blocks
	// [0x100, 0x200), [0x200, 0x400), [0x400, 0x550).
	//
	// Expect iteration points 0x100, 0x200, 0x400 and reads of 0x100/0x1ff, 0x200/0x3ff, 0x400/0x54f.
	it('clips the first and last pageblock to the zone', () => {
		const model = fakeModel({kernel: '5.10', runs: [{start: 0, end: 0x1000, state: OK}], zones: [normal(0x100, 0x550)]});
		const result = runNaive(walker, model);
		expect(result.log.map(t => t.pfn)).toEqual([0x100, 0x1ff, 0x200, 0x3ff, 0x400, 0x54f]);
		expect(checkAnchors(walker, model)).toBe(3);
	});

	it('labels the __pageblock_pfn_to_page() form by version', () => {
		const label = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!.label;
		expect(label('4.13')).toBe('v4.13-v6.4: pfn_valid(start) && pfn_valid(end) && pfn_to_online_page(start)');
		expect(label('6.4')).toBe('v4.13-v6.4: pfn_valid(start) && pfn_valid(end) && pfn_to_online_page(start)');
		expect(label('6.5')).toBe('v6.5+: pfn_valid(end) && pfn_to_online_page(start)');
		expect(walker.history.map(h => h.since)).toEqual(['4.13', '6.5']);
	});

	// A test that the walker and the model's zone->contiguous replay (what `explain` prints) take
	// the same __pageblock_pfn_to_page() form: pfn_valid(start) is asked exactly where
	// contiguous.ts pageblockChecksStartPfnValid() says, at every modelled version (up to v6.4,
	// dropped in v6.5). One pageblock of boot RAM:
	//
	//   | boot RAM (ok), one pageblock |
	//   0x0                       0x200
	//
	// Expect pfn_valid() asked of 0x0 and 0x1ff up to v6.4, of 0x1ff only from v6.5.
	it('asks pfn_valid(start) where the model does, at every version', () => {
		for (const kernel of KERNEL_VERSIONS) {
			const model = fakeModel({kernel, runs: [{start: 0, end: 0x200, state: OK}], zones: [normal(0, 0x200)]});
			const ctx = createStepContext(model);
			const asked: number[] = [];
			const pfnValid = ctx.pfn_valid.bind(ctx);
			ctx.pfn_valid = (pfn: number) => {
				asked.push(pfn);
				return pfnValid(pfn);
			};

			ctx.reset();
			walker.plan(model)!.passes[0]!.step(ctx, 0);
			expect(asked, `v${kernel}`).toEqual(pageblockChecksStartPfnValid(v(kernel)) ? [0, 0x1ff] : [0x1ff]);
		}

		expect(pageblockChecksStartPfnValid(v('6.4'))).toBe(true);
		expect(pageblockChecksStartPfnValid(v('6.5'))).toBe(false);
	});
});

import {describe, expect, it} from 'vitest';
import {ALIGN_DOWN} from '../../source/model/geometry.js';
import type {PageField, StepContext} from '../../source/walker/contract.js';
import {C2_DEVICE, C5_RESERVE, METADATA} from '../helpers/fake-build.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {expectModesAgree, testWalker} from './oracle.js';

const FLAGS: readonly PageField[] = ['flags'];

// The model most tests below walk: boot RAM, a never-onlined hot-added block, a gap with no
// memmap, then an fsdax namespace with an altmap (2 reserve pages, 0xfe memmap-storage pages).
//
//   | boot RAM (ok) | hotplug, offline (C1) | no memmap | reserve (C5) | free (metadata) | fsdax data (C2) |
//   0x0        0x8000                  0x10000     0x18000        0x18002           0x18100          0x20000
const model = fakeModel({
	kernel: '6.12',
	runs: [
		{start: 0, end: 0x8000, state: OK},
		{start: 0x8000, end: 0x1_0000, state: C1_POISON},
		{start: 0x1_8000, end: 0x1_8002, state: C5_RESERVE},
		{start: 0x1_8002, end: 0x1_8100, state: METADATA},
		{start: 0x1_8100, end: 0x2_0000, state: C2_DEVICE},
	],
});

/** kpageflags_read before v5.4: pfn_valid(), then page->flags. */
const kpageflags = (ctx: StepContext, pfn: number) => {
	if (ctx.pfn_valid(pfn)) {
		ctx.page(pfn, FLAGS, 'stable_page_flags');
	}
};

describe('runs mode and per-pfn mode', () => {
	// A test that sweeps [0, 0x20000) with stride 1, reading page->flags of every pfn_valid() pfn.
	// Expect one touch per valid pfn in its category, nothing in the gap, and one witness per run
	// except the ok one (ok cells have no witnesses).
	it('counts every iteration point of a stride-1 sweep', () => {
		const walker = testWalker('t_kpageflags', [{ranges: [{start: 0, end: 0x2_0000}], step: kpageflags}]);
		const result = expectModesAgree(walker, model);
		expect(result.pfns_visited).toBe(0x2_0000);
		expect(result.touches).toMatchObject({ok: 0x8000, C1: 0x8000, C5: 2, metadata: 0xfe, C2: 0x7f00, unbacked: 0});
		expect(result.failing).toMatchObject({ok: 0, C1: 0x8000, C5: 2, metadata: 0xfe, C2: 0});
		expect(result.witnesses.map(w => [w.category, w.pfn])).toEqual([
			['C1', 0x8000],
			['C5', 0x1_8000],
			['metadata', 0x1_8002],
			['C2', 0x1_8100],
		]);
		expect(result.witnesses[1]!.why).toBe(
			't_kpageflags → stable_page_flags reads page->flags of pfn 0x18000: altmap reserve of the namespace, never initialized (v6.12 guards with pfn_valid())',
		);
		expect(result.witnesses[1]).toMatchObject({section_nr: 3, chain: ['t_kpageflags', 'stable_page_flags'], failing: true, phase: 'final'});
	});

	// A test that walks with stride 3 across the ok/C1 boundary and across the reserve/free
	// boundary of the altmap, in two ranges.
	//
	//        ok | C1                     gap | C5 |C5| metadata
	//   0x7ff0 0x8000 0x8010        0x17ffe 0x18000 0x18002 0x18005
	//
	// Expect the points 0x7ff0, 0x7ff3, … (6 ok, 0x8002 … 5 C1) and 0x17ffe, 0x18001, 0x18004.
	it('respects the stride', () => {
		const walker = testWalker('t_stride', [
			{
				stride: 3,
				ranges: [
					{start: 0x7ff0, end: 0x8010},
					{start: 0x1_7ffe, end: 0x1_8005},
				],
				step: kpageflags,
			},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.pfns_visited).toBe(11 + 3);
		expect(result.touches).toMatchObject({ok: 6, C1: 5, C5: 1, metadata: 1});
		expect(result.witnesses.map(w => w.pfn)).toEqual([0x8002, 0x1_8001, 0x1_8004]);
	});

	// A test that walks the same two ranges top-down with stride 3: the second range first, each
	// from end - 1 down. Expect points 0x18004, 0x18001, 0x17ffe, then 0x800f, 0x800c, …
	// Witnesses are in walk order: metadata first (and none for ok).
	it('walks down: ranges reversed, each from its end', () => {
		const walker = testWalker('t_down', [
			{
				direction: 'down',
				stride: 3,
				ranges: [
					{start: 0x7ff0, end: 0x8010},
					{start: 0x1_7ffe, end: 0x1_8005},
				],
				step: kpageflags,
			},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.touches).toMatchObject({C5: 1, metadata: 1, C1: 6, ok: 5});
		expect(result.witnesses.map(w => [w.category, w.pfn])).toEqual([
			['metadata', 0x1_8004],
			['C5', 0x1_8001],
			['C1', 0x800f],
		]);
	});

	// A test of a pageblock walker like set_zone_contiguous(): one step per pageblock (stride
	// 0x200), reading page_zone() of the first pfn and of the last pfn of the block (an anchor).
	// The altmap's reserve/free/data boundaries (0x18002, 0x18100) are not pageblock aligned:
	//
	//   pageblock 0x18000: | C5 C5 | metadata ... | C2 ... |
	//                    0x18000 0x18002       0x18100   0x181ff <- anchor
	//
	// Expect the anchor's category to change exactly where the end pfn crosses a run, in both
	// modes, and runs mode to agree with the oracle.
	it('handles anchors that cross run boundaries', () => {
		const blockEnd = (pfn: number) => Math.min(ALIGN_DOWN(pfn, 0x200) + 0x1ff, 0x1_ffff);
		const walker = testWalker('t_pageblock', [
			{
				stride: 0x200,
				ranges: [{start: 0, end: 0x2_0000}],
				anchors: [blockEnd],
				step(ctx, pfn) {
					const end = blockEnd(pfn);
					if (ctx.pfn_valid(pfn) && ctx.pfn_valid(end)) {
						ctx.page_zone(pfn, '__pageblock_pfn_to_page');
						ctx.page_zone(end, '__pageblock_pfn_to_page');
					}
				},
			},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.pfns_visited).toBe(0x100);
		// 0x40 ok blocks and 0x40 C1 blocks (two touches each), the gap has none, block 0x18000
		// touches C5 at its start and C2 at its end, the 0x3f blocks above touch C2 twice.
		expect(result.touches).toMatchObject({ok: 0x80, C1: 0x80, C5: 1, metadata: 0, C2: 1 + 0x7e});
	});

	// A test of an anchor that runs ahead of the step pfn by 0x101 pfns (a lookahead), so that it
	// crosses each run boundary 0x101 pfns before the step pfn does.
	//
	//   step pfn:  ... ok ... | C1 ...
	//   anchor:    ... ok | C1 ...
	//                  0x7eff 0x8000
	//
	// Expect the stretch to be cut where the anchor crosses, and counts equal to the oracle's.
	it('cuts stretches where an anchor crosses a run', () => {
		const ahead = (pfn: number) => Math.min(pfn + 0x101, 0x1_ffff);
		const walker = testWalker('t_ahead', [
			{
				ranges: [{start: 0, end: 0x2_0000}],
				anchors: [ahead],
				step(ctx, pfn) {
					if (ctx.pfn_valid(ahead(pfn))) {
						ctx.page(ahead(pfn), ['flags', '_refcount'], 'page_count');
					}
				},
			},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.touches.C1).toBe(0x8000);
		expect(result.touches.ok).toBe(0x8000 - 0x101);
	});

	// A test of an anchor that coincides with the step pfn at some points only: the pageblock
	// start (0x200 pfns) of every pfn, read after the pfn itself. Every read is a touch, so an
	// aligned pfn, where the anchor is the pfn itself, is read twice like every other pfn.
	//
	//   pfn:     0x0 0x1 ... 0x1ff | 0x200 0x201 ...
	//   anchor:  0x0 0x0 ... 0x0   | 0x200 0x200 ...
	//   touches:  2   2  ...  2    |   2     2   ...
	//
	// Expect 2 × 0x8000 touches in boot RAM in both modes and in the oracle, runs mode taking
	// one step per stretch (the stretches do not split at the coinciding points), and the C1
	// witness at 0x8000 being the step pfn's own read.
	it('counts every read where an anchor coincides with the step pfn', () => {
		const blockStart = (pfn: number) => ALIGN_DOWN(pfn, 0x200);
		const walker = testWalker('t_coincide', [
			{
				ranges: [{start: 0, end: 0x1_0000}],
				anchors: [blockStart],
				step(ctx, pfn) {
					ctx.page(pfn, FLAGS, 'self');
					ctx.page(blockStart(pfn), ['_refcount'], 'block');
				},
			},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.touches).toMatchObject({ok: 2 * 0x8000, C1: 2 * 0x8000});
		expect(result.witnesses).toHaveLength(1);
		expect(result.witnesses[0]).toMatchObject({category: 'C1', pfn: 0x8000, fields: ['flags'], chain: ['t_coincide', 'self']});
	});

	// A test of a walker that returns at its first match, like memory_failure() on a range: the
	// first pfn that pfn_to_online_page() refuses is read and the pass stops. A second pass
	// still runs (stop() ends the pass, not the walker).
	//
	//   pass 0: | ok ... (no touch) | C1 <- read, stop
	//           0x0              0x8000
	//   pass 1: [0x18000, 0x18010): C5, C5, metadata × 14
	//
	// Expect 0x8001 + 0x10 points visited and one C1 touch.
	it('stops a pass at stop() and goes on with the next pass', () => {
		const firstOffline = (ctx: StepContext, pfn: number) => {
			if (!ctx.pfn_to_online_page(pfn)) {
				ctx.page(pfn, FLAGS, 'memory_failure', 'write');
				ctx.stop();
			}
		};

		const walker = testWalker('t_stop', [
			{ranges: [{start: 0, end: 0x2_0000}], step: firstOffline},
			{ranges: [{start: 0x1_8000, end: 0x1_8010}], step: kpageflags},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.pfns_visited).toBe(0x8001 + 0x10);
		expect(result.touches).toMatchObject({ok: 0, C1: 1, C5: 2, metadata: 14});
		expect(result.witnesses[0]).toMatchObject({category: 'C1', pfn: 0x8000, access: 'write', chain: ['t_stop', 'memory_failure']});
	});

	// A test of two passes over several ranges with gaps, one pass going up and one going down,
	// each step reading its pfn twice with different fields (two touches, never merged).
	//
	//   | ok | . | C1 | . | C5 C5 metadata... |
	//   0x10..0x20  0x8000..0x8008  0x18000..0x18004
	//
	// Expect each pfn counted twice per pass, and the witness of a run being the first read.
	it('walks several passes and ranges, two touches per read pfn', () => {
		const twice = (ctx: StepContext, pfn: number) => {
			if (ctx.pfn_valid(pfn)) {
				ctx.page(pfn, FLAGS, 'dump_page');
				ctx.page(pfn, ['mapping'], 'dump_page');
			}
		};

		const ranges = [
			{start: 0x10, end: 0x20},
			{start: 0x8000, end: 0x8008},
			{start: 0x1_8000, end: 0x1_8004},
		];
		const walker = testWalker('t_passes', [
			{ranges, step: twice},
			{ranges, direction: 'down', stride: 2, step: twice},
		]);
		const result = expectModesAgree(walker, model);
		expect(result.touches).toMatchObject({ok: 2 * (0x10 + 8), C1: 2 * (8 + 4), C5: 2 * (2 + 1), metadata: 2 * (2 + 1)});
		expect(result.witnesses[0]).toMatchObject({category: 'C1', pfn: 0x8000, fields: ['flags']});
	});
});

// A test of pfn_valid() on boundary pfns beyond the physical address space, on a kernel where
// the section lookup runs before the NR_MEM_SECTIONS bound (the arm64 v2 patch, seeds/000).
//
//   | ok | no memmap ...                 | section nr >= NR_MEM_SECTIONS (oob) |
//   0x0 0x8000                     0x400000000                     0x400008000
//
// Expect an `oob` touch through __nr_to_section for each boundary pfn, and a witness sentence
// that names the mem_section entry.
describe('oob touches from predicates', () => {
	const OOB = state({
		section_nr_in_range: false,
		category: 'oob',
		reason: 'section number 0x80000 is >= NR_MEM_SECTIONS: __nr_to_section() reads past mem_section[]',
		predicates: {pfn_valid_oob: true},
	});
	const oobModel = fakeModel({
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 2 ** 34, end: 2 ** 34 + 2 ** 15, state: OOB},
		],
	});

	it('counts oob touches made by pfn_valid()', () => {
		const walker = testWalker('t_oob', [
			{
				ranges: [
					{start: 0x7fff, end: 0x8001},
					{start: 2 ** 34, end: 2 ** 34 + 2},
				],
				step: kpageflags,
			},
		]);
		const result = expectModesAgree(walker, oobModel);
		expect(result.touches).toMatchObject({ok: 1, oob: 2});
		expect(result.failing.oob).toBe(2);
		expect(result.witnesses[0]).toMatchObject({
			category: 'oob',
			pfn: 2 ** 34,
			section_nr: 0x8_0000,
			chain: ['t_oob', '__nr_to_section'],
			fields: ['mem_section'],
		});
		expect(result.witnesses[0]!.why).toBe(
			't_oob → __nr_to_section reads the mem_section entry of section 0x80000 for pfn 0x400000000: section number 0x80000 is >= NR_MEM_SECTIONS: __nr_to_section() reads past mem_section[] (v6.12 guards with pfn_valid())',
		);
	});
});

/**
mm/compaction.c:__reset_isolation_suitable() and, from v5.1, __reset_isolation_pfn().
It clears the pageblock skip hints of a populated zone when compaction restarts
after deferral, or from kswapd before it sleeps (reset_isolation_suitable()), if
zone->compact_blockskip_flush is set (assumed set here).

Forms:
- v4.13-v5.0: one walk from zone_start_pfn in steps of pageblock_nr_pages (not re-aligned when the
  zone starts mid-block): pfn_to_online_page(pfn), page_zone(page) == zone, then (v4.15+)
  pageblock_skip_persistent() reads PageCompound() [P: "mm, compaction: skip over holes in
  __reset_isolation_suitable" (Michal Hocko, v4.13 series); 21dc7e023611/b527cfe5bc23, v4.15],
  then clear_pageblock_skip(page) on every block that got that far. That goes through
  set_pageblock_flags_group() → set_pfnblock_flags_mask(), whose
  VM_BUG_ON_PAGE(!zone_spans_pfn(page_zone(page), pfn), page) reads page->flags once more with
  CONFIG_DEBUG_VM (compiled out without it) [P: the v4.15 diff context shows the unconditional
  clear_pageblock_skip(); set_pfnblock_flags_mask() of the end_bitidx era read in a public copy;
  the same line in 5.10.262 [V]]. The bitmap itself is the section's pageblock_flags (no struct
  page). From v5.1 clear_pageblock_skip() runs only at a sample that is PageLRU()/PageBuddy(),
  which the model cannot decide (see below), and is not modelled.
- v5.1-v5.3: two cursors, migrate_pfn up from zone_start_pfn and free_pfn down from
  zone_end_pfn - 1, one pageblock per step each, until they meet; each cursor pfn goes through
  __reset_isolation_pfn() [P: e332f741a8dd "mm, compaction: be selective about what pageblocks to
  clear skip hints" and 6b0868c820ff "mm/compaction.c: correct zone boundary handling when
  resetting pageblock skip hints", both in v5.1]:
    page = pfn_to_online_page(pfn); page_zone(page) == zone; pageblock_skip_persistent(page);
    block_pfn = pageblock_start_pfn(pfn); block_page = pfn_to_online_page(max(block_pfn, zone start));
    if block_page: page = block_page, pfn = block_pfn (NOT clamped: page and pfn can differ);
    end = min(block_pfn + pageblock_nr_pages, zone_end - 1): the first pfn of the NEXT block;
    pfn_to_online_page(end) or give up;
    sample: do { if pfn_valid_within(pfn): PageLRU(page), PageBuddy(page); page += 8; pfn += 8 }
            while (page < end_page).
- v5.4+: a2e9a5afce08 "mm, compaction: fix wrong pfn handling in __reset_isolation_pfn()"
  (Vlastimil Babka, stable) [P diff read]: block_pfn is clamped before it is used for both page
  and pfn; end = min(pageblock_end_pfn(pfn) - 1, zone_end - 1), the current block's last pfn; the
  loop runs while page <= end_page. Same in 5.10.223, 6.1.192, 6.12.117 [V].
- v5.15+: the sample loop loses its pfn_valid_within() test (859a85ddf90e) [P; V 6.12].

What the v5.4 fix changes in this model. With a virtually contiguous memmap (VMEMMAP) the v5.1-v5.3
sample loop never reads past the block: samples stay below the next block's first pfn. The two
bugs the changelog names are (1) the online check of the block end is made on the next block's
first pfn, not on the last pfn of the block being sampled, and (2) when the zone starts
mid-pageblock, pfn_valid_within() tests pfns 8k above the unclamped block start while the pages
read are 8k above the zone start: with CONFIG_HOLES_IN_ZONE (arm64) an invalid, uninitialized pfn
can be read although a different pfn was tested. Both are modelled. The "wander off actual struct
page arrays" case needs classic SPARSEMEM, where the next block's struct page lives in another
section's mem_map and `page < end_page` compares pointers into different arrays; the model has no
pfn for the memory past a section's mem_map, so that case is not modelled (documented gap).

Simplifications (stateless steps):
- The skip bit and migratetype tests (pageblock bitmap, not memmap) are assumed to let
  __reset_isolation_pfn() go on to sample the block.
- pageblock_skip_persistent() is assumed false (PageCompound() is read, its answer ignored).
- The sample loop is modelled to the end of the block: the kernel returns at the first sample
  that is PageLRU (source) or PageBuddy (target), which depends on struct page contents.
*/
import {atLeast, before, type KernelVersion} from '../source/kernel/version.js';
import {ALIGN_DOWN} from '../source/model/geometry.js';
import type {Zone} from '../source/model/types.js';
import {type Anchor, defineWalker, orNothingToWalk, type Pass, type PassAnchor, type StepContext, type WalkerForm} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';

/** 1 << PAGE_ALLOC_COSTLY_ORDER: the sample stride of __reset_isolation_pfn(). */
const SAMPLE_STRIDE = 8;

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const FLAGS_HEAD = ['flags', 'compound_head'] as const;
const FLAGS_HEAD_TYPE = ['flags', 'compound_head', 'page_type'] as const;

type Geo = {readonly pb: number; readonly zone: Zone};

/** The cursor's own page: pfn_to_online_page(), page_zone(), and (v4.15+) PageCompound(). */
function checkCursor(ctx: StepContext, pfn: number, zone: Zone, via: string): boolean {
	if (!ctx.pfn_to_online_page(pfn)) {
		return false;
	}

	const view = ctx.page(pfn, FLAGS, via);
	if (view.zone !== zone.name || view.nid !== zone.nid) {
		return false;
	}

	if (atLeast(ctx.kernel, '4.15')) {
		// pageblock_skip_persistent(): PageCompound() reads flags and compound_head.
		ctx.page(pfn, FLAGS_HEAD, via);
	}

	return true;
}

/** The per-pfn form of v4.13-v5.0; `debugVm`: CONFIG_DEBUG_VM (clear_pageblock_skip()'s page_zone() read). */
function resetPageblock(ctx: StepContext, pfn: number, zone: Zone, debugVm: boolean): void {
	if (checkCursor(ctx, pfn, zone, '__reset_isolation_suitable') && debugVm) {
		ctx.page(pfn, FLAGS, 'clear_pageblock_skip');
	}
}

/** __reset_isolation_pfn() at the cursor pfn, v5.1+. */
function resetIsolationPfn(ctx: StepContext, pfn: number, {pb, zone}: Geo): void {
	const k = ctx.kernel;
	if (!checkCursor(ctx, pfn, zone, '__reset_isolation_pfn')) {
		return;
	}

	const fixed = atLeast(k, '5.4');
	// pfn_valid_within() on each sample up to v5.14 (859a85ddf90e), decided once per step.
	const withinCheck = before(k, '5.15');
	const unclamped = ALIGN_DOWN(pfn, pb);
	const blockPfn = Math.max(unclamped, zone.zone_start_pfn);
	const blockOnline = ctx.pfn_to_online_page(blockPfn);
	// The page the samples start at, and the pfn pfn_valid_within() is asked about.
	const base = blockOnline ? blockPfn : pfn;
	const testBase = blockOnline && !fixed ? unclamped : base;
	const end = fixed ? Math.min(unclamped + pb - 1, zone.zone_end_pfn - 1) : Math.min(unclamped + pb, zone.zone_end_pfn - 1);
	if (!ctx.pfn_to_online_page(end)) {
		return;
	}

	for (let i = 0; ; i++) {
		const page = base + i * SAMPLE_STRIDE;
		if (i > 0 && (fixed ? page > end : page >= end)) {
			break;
		}

		if (withinCheck && !ctx.pfn_valid_within(testBase + i * SAMPLE_STRIDE)) {
			continue;
		}

		// PageLRU() (flags through compound_head) and PageBuddy() (page_type).
		ctx.page(page, FLAGS_HEAD_TYPE, '__reset_isolation_pfn');
	}
}

/**
Every pfn __reset_isolation_pfn() may look at, as monotone functions of the cursor pfn: the block
start and end it checks, and the samples every SAMPLE_STRIDE pages from the block start, from the
cursor pfn (a block that is not online samples from there) and, before v5.4, from the unclamped
block start pfn_valid_within() is asked about — each a series (AnchorSeries) reaching one block
on, as far as the loop can go.
*/
function resetAnchors(kernel: KernelVersion, {pb, zone}: Geo): PassAnchor[] {
	const blockPfn: Anchor = p => Math.max(ALIGN_DOWN(p, pb), zone.zone_start_pfn);
	const end: Anchor = atLeast(kernel, '5.4')
		? p => Math.min(ALIGN_DOWN(p, pb) + pb - 1, zone.zone_end_pfn - 1)
		: p => Math.min(ALIGN_DOWN(p, pb) + pb, zone.zone_end_pfn - 1);
	const samples = {first: 0, last: SAMPLE_STRIDE * Math.floor(pb / SAMPLE_STRIDE), step: SAMPLE_STRIDE};
	const anchors: PassAnchor[] = [blockPfn, end, {base: blockPfn, ...samples}, samples];
	if (before(kernel, '5.4')) {
		anchors.push({base: p => ALIGN_DOWN(p, pb), ...samples});
	}

	return anchors;
}

/**
The points lo, lo + stride, ..., lo + (n - 1) * stride as ascending ranges, the lowest and the
highest point each in a range of its own. Only a cursor's first and last block can be clipped by
the zone (block start clamped to zone_start_pfn, block end to zone_end_pfn - 1), which changes how
many samples __reset_isolation_pfn() takes by pfn arithmetic; every other block is sampled alike,
so isolating the two end points keeps each stretch uniform for the runs mode.
*/
function endsApart(lo: number, stride: number, n: number): Array<{start: number; end: number}> {
	const point = (k: number) => ({start: lo + k * stride, end: lo + k * stride + 1});
	if (n <= 2) {
		return Array.from({length: n}, (_, k) => point(k));
	}

	return [point(0), {start: lo + stride, end: lo + (n - 2) * stride + 1}, point(n - 1)];
}

/** The two cursors of v5.1+: iterations while migrate_pfn < free_pfn. */
function cursorPasses(kernel: KernelVersion, geo: Geo): Pass[] {
	const {pb, zone} = geo;
	const first = zone.zone_start_pfn;
	const last = zone.zone_end_pfn - 1;
	// Smallest n with first + n*pb >= last - n*pb.
	const n = Math.max(0, Math.ceil((last - first) / (2 * pb)));
	if (n === 0) {
		return [];
	}

	const anchors = resetAnchors(kernel, geo);
	const step = (ctx: StepContext, pfn: number) => {
		resetIsolationPfn(ctx, pfn, geo);
	};

	return [
		{
			label: `${zoneLabel(zone)}: migrate_pfn cursor`,
			ranges: endsApart(first, pb, n),
			direction: 'up',
			stride: pb,
			anchors,
			step,
		},
		{
			label: `${zoneLabel(zone)}: free_pfn cursor`,
			ranges: endsApart(last - (n - 1) * pb, pb, n),
			direction: 'down',
			stride: pb,
			anchors,
			step,
		},
	];
}

function form(kernel: KernelVersion): Omit<WalkerForm, 'passes'> {
	if (before(kernel, '5.1')) {
		return {
			label: 'v4.13-v5.0: pfn_to_online_page() per pageblock',
			guard: 'guards each pageblock start with pfn_to_online_page()',
		};
	}

	if (before(kernel, '5.4')) {
		return {
			label: 'v5.1-v5.3: __reset_isolation_pfn() with the end check on the next pageblock',
			guard: 'checks the cursor, the block start and the next block start with pfn_to_online_page(), then samples every 8th page',
			fixed_by: {id: 'a2e9a5afce08', subject: 'mm, compaction: fix wrong pfn handling in __reset_isolation_pfn()', version: '5.4'},
		};
	}

	return {
		label: `v5.4+: __reset_isolation_pfn() on cursor, block start and block end${before(kernel, '5.15') ? ' (+ pfn_valid_within() per sample)' : ''}`,
		guard: 'checks the cursor, the block start and the block end with pfn_to_online_page(), then samples every 8th page',
		// v5.4–v5.11: the colliding ZONE_DEVICE pfns still pass pfn_to_online_page() (v5.3 names a2e9a5afce08, the earlier fix).
		...collisionFixedBy(kernel),
	};
}

export default defineWalker({
	name: '__reset_isolation_suitable',
	models: 'mm/compaction.c:__reset_isolation_suitable()',
	trigger: 'compaction restarting after deferral (compact_zone), or kswapd about to sleep (reset_isolation_suitable), when compact_blockskip_flush is set',
	reachability: 'indirect',
	shape:
		'v4.13-v5.0: each populated zone, one pfn per pageblock; v5.1+: two cursors per zone (up from the start, down from the end, one pageblock per step) meeting in the middle, each sampling every 8th page of its block',
	fields: ['flags', 'compound_head', 'page_type'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_to_online_page(pfn) per pageblock, then page_zone()',
			commits: [{subject: 'mm, compaction: skip over holes in __reset_isolation_suitable'}],
			confidence: 'P',
			note: 'Michal Hocko, part of the v4.13 hotplug rework (f1dd2cd13c4b series); before it pfn_valid() + pfn_to_page().',
		},
		{
			since: '5.1',
			guard: 'two cursors; __reset_isolation_pfn(): pfn_to_online_page() on the cursor, the block start and the next block start; samples every 8th page',
			commits: [
				{id: 'e332f741a8dd', subject: 'mm, compaction: be selective about what pageblocks to clear skip hints'},
				{id: '6b0868c820ff', subject: 'mm/compaction.c: correct zone boundary handling when resetting pageblock skip hints'},
			],
			confidence: 'P',
			note: '6b0868c820ff was merged for v5.1 (Mel Gorman, May 2019 mail), so no release has the e332f741a8dd form alone.',
		},
		{
			since: '5.4',
			guard: 'pfn_to_online_page() on the cursor, the clamped block start and the block\'s last pfn; samples up to and including it',
			commits: [{id: 'a2e9a5afce08', subject: 'mm, compaction: fix wrong pfn handling in __reset_isolation_pfn()'}],
			confidence: 'P',
			note: 'Reported as a NULL dereference by Florian Weimer and Dave Chinner; Cc stable.',
		},
		{
			since: '5.15',
			guard: 'as v5.4, without pfn_valid_within() on the samples',
			commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
			confidence: 'P',
		},
	],
	plan(model) {
		const pb = model.geometry.pageblock_nr_pages;
		const passes: Pass[] = [];
		for (const zone of populatedZones(model)) {
			if (before(model.kernel, '5.1')) {
				const debugVm = model.topology.config.debug_vm;
				passes.push({
					label: zoneLabel(zone),
					ranges: [{start: zone.zone_start_pfn, end: zone.zone_end_pfn}],
					direction: 'up',
					stride: pb,
					step(ctx, pfn) {
						resetPageblock(ctx, pfn, zone, debugVm);
					},
				});
			} else {
				passes.push(...cursorPasses(model.kernel, {pb, zone}));
			}
		}

		return {...form(model.kernel), passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

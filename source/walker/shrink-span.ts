/**
The scans mm/memory_hotplug.c:shrink_zone_span() and shrink_pgdat_span() (≤v5.3) share, as
passes: find_smallest_section_pfn() / find_biggest_section_pfn() from the removed range towards
the other end of the span, the range a ZONE_DEVICE teardown removes, and the iteration ranges of
the "only holes left?" loop (walkers/shrink_zone_span.ts, walkers/shrink_pgdat_span.ts).
*/
import {before} from '../kernel/version.js';
import {SECTION_ALIGN_DOWN, SECTION_ALIGN_UP} from '../model/geometry.js';
import type {DevPagemap, Model} from '../model/types.js';
import type {Pass, StepContext} from './contract.js';
import type {PfnSpan} from './ranges.js';

/**
The range memunmap_pages()/devm_memremap_pages_release() → arch_remove_memory() removes for a
pgmap: before sub-section hotplug (v5.3) a pgmap was mapped and removed in whole sections.
*/
export function teardownRange(model: Model, pgmap: DevPagemap): PfnSpan {
	return before(model.kernel, '5.3')
		? {start: SECTION_ALIGN_DOWN(model.geometry, pgmap.start_pfn), end: SECTION_ALIGN_UP(model.geometry, pgmap.end_pfn)}
		: {start: pgmap.start_pfn, end: pgmap.end_pfn};
}

/**
The kernel's "only holes" loop skips the removed range's start pfn by value. To keep steps
uniform over a run (the engine's runs mode counts one step for a whole stretch), that pfn gets a
range of its own when it is an iteration point: the ranges before and after it keep the loop's
iteration points, and no stretch holds both it and another pfn.
*/
export function isolating(span: PfnSpan, stride: number, pfn: number): PfnSpan[] {
	if (pfn < span.start || pfn >= span.end || (pfn - span.start) % stride !== 0) {
		return [span];
	}

	return [
		{start: span.start, end: pfn},
		{start: pfn, end: pfn + 1},
		{start: pfn + stride, end: span.end},
	].filter(r => r.end > r.start);
}

/**
The search for the span's new first pfn (find_smallest_section_pfn(), upward from the removed
range's end, when the range was at the span's start) or new last pfn (find_biggest_section_pfn(),
downward from the removed range's start, when it was at the span's end); none when the range
leaves the span at neither end. `found(ctx, pfn, via)` is the caller's guard and nid/zone test,
touching what the kernel touches; the first pfn it accepts ends the scan.
*/
export function boundaryScan(
	span: PfnSpan,
	removed: PfnSpan,
	where: string,
	stride: number,
	found: (ctx: StepContext, pfn: number, via: string) => boolean,
): Pass[] {
	if (span.start === removed.start && removed.end < span.end) {
		return [
			{
				label: `find_smallest_section_pfn: ${where}`,
				ranges: [{start: removed.end, end: span.end}],
				direction: 'up',
				stride,
				step(ctx, pfn) {
					if (found(ctx, pfn, 'find_smallest_section_pfn')) {
						ctx.stop();
					}
				},
			},
		];
	}

	if (span.end === removed.end && span.start < removed.start) {
		return [
			{
				label: `find_biggest_section_pfn: ${where}`,
				ranges: [{start: span.start, end: removed.start}],
				direction: 'down',
				stride,
				step(ctx, pfn) {
					if (found(ctx, pfn, 'find_biggest_section_pfn')) {
						ctx.stop();
					}
				},
			},
		];
	}

	return [];
}

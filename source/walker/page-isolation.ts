/**
The pageblock loop of mm/page_isolation.c that start_isolate_page_range() (through
set_migratetype_isolate() → has_unmovable_pages()) and test_pages_isolated() (through
__test_page_isolated_in_pageblock()) both run over a range offline_pages() accepts: each
pageblock's first pfn through __first_valid_page() (pfn_to_online_page() from 2ce13640b3f4
"mm: __first_valid_page skip over offline pages", v4.13; 6.1 and 6.12 read), then the pfns of a
block that passed read. The walker files keep their own histories; they differ in the fields read
and the function that reads them.
*/
import {ALIGN_DOWN} from '../model/geometry.js';
import type {Model} from '../model/types.js';
import {type Anchor, orNothingToWalk, type PageField, type Pass, passLabel, type StepContext, type WalkerForm} from './contract.js';
import {offlinableBlocks} from './ranges.js';

/** Each offlinable block as one pass: `fields` read by `via` at each pfn of a pageblock whose first pfn is online. */
export function pageIsolationForm(model: Model, verb: string, fields: readonly PageField[], via: string): WalkerForm {
	const pb = model.geometry.pageblock_nr_pages;
	const blockStart: Anchor = p => ALIGN_DOWN(p, pb);
	// One step and one anchors array for every pass, and flat labels: a pass per offlinable block
	// is 40 000 passes at 100 000 topology entries (docs/scale.md).
	const anchors = [blockStart];
	const step = (ctx: StepContext, pfn: number) => {
		if (ctx.pfn_to_online_page(blockStart(pfn))) {
			ctx.page(pfn, fields, via);
		}
	};
	const passes: Pass[] = offlinableBlocks(model).map(block => ({
		label: passLabel(verb, ' [', block.start.toString(16), ', ', block.end.toString(16), ') (', block.label, ')'),
		ranges: [{start: block.start, end: block.end}],
		direction: 'up',
		stride: 1,
		anchors,
		step,
	}));
	return {
		label: 'v4.13+: __first_valid_page() (pfn_to_online_page()) per pageblock',
		guard: 'guards each pageblock with pfn_to_online_page()',
		passes: orNothingToWalk(passes, 'no online memory block that offline_pages() accepts'),
	};
}

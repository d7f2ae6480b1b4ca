/**
mm/memory_hotplug.c:shrink_pgdat_span(), the node-span sibling of shrink_zone_span(), called
right after it from __remove_zone() at memory removal (≤v5.3). Like shrink_zone_span() it looks
for the node's new first or last pfn from the removed range outwards, with zone = NULL (only the
nid of pfn_to_nid() is compared: a page->flags read with the PagePoisoned check), then runs a
whole-node "only holes left?" loop that stops at the first valid pfn of the node other than the
removed start. The node span always covers the node's ZONE_DEVICE ranges (resize_pgdat_range()),
so every pgmap of the node is in reach.

Operations, as for walkers/shrink_zone_span.ts: the removal that follows each `offlined`
hotplug entry, and the ZONE_DEVICE teardown that would come next for every pgmap (ranges.ts
pgmapsForTeardown), modelled as one call per removed range; the node span before the removal is
the hull of the model's node span and the removed range.

Guards: ≤v5.2 valid_section() per PAGES_PER_SECTION; v5.3 pfn_valid() per PAGES_PER_SUBSECTION
(Dan Williams, "mm/hotplug: Prepare shrink_{zone,pgdat}_span for sub-section removal" [P]).

v5.4+: returns null. 00d6c019b5bc ("mm/memory_hotplug: don't access uninitialized memmaps in
shrink_pgdat_span()", David Hildenbrand, v5.4-rc4 batch [P]) replaced it with
update_pgdat_span(), which takes min/max over the zone spans and touches no memmap: the
function, and the walker, no longer exist. update_pgdat_span() verified in 5.10.262 and
6.12.117.
*/
import {before} from '../source/kernel/version.js';
import {hex} from '../source/model/geometry.js';
import type {Model, NodeSpan} from '../source/model/types.js';
import type {Pass, StepContext} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {type PfnSpan, hull, nodeLabel, nodeSpan, offlinedBlocks, pgmapsForTeardown} from '../source/walker/ranges.js';
import {boundaryScan, isolating, teardownRange} from '../source/walker/shrink-span.js';

type Operation = {readonly what: string; readonly removed: PfnSpan; readonly node: NodeSpan};

function operations(model: Model): Operation[] {
	const ops: Operation[] = [];
	const nodeOf = (nid: number) => model.nodes.find(node => node.nid === nid);
	for (const block of offlinedBlocks(model)) {
		const node = nodeOf(block.node);
		if (node) {
			ops.push({what: `removal of offlined ${block.label}`, removed: {start: block.start_pfn, end: block.end_pfn}, node});
		}
	}

	for (const pgmap of pgmapsForTeardown(model)) {
		const node = nodeOf(pgmap.nid);
		if (!node) {
			continue;
		}

		ops.push({what: `teardown of ${pgmap.label}`, removed: teardownRange(model, pgmap), node});
	}

	return ops;
}

function passesFor(op: Operation, sectionGranular: boolean, stride: number): Pass[] {
	const {node, removed} = op;
	const span = hull(nodeSpan(node), removed);
	const where = `${nodeLabel(node)}, ${op.what} [${hex(removed.start)}, ${hex(removed.end)})`;
	const guard = (ctx: StepContext, pfn: number) => (sectionGranular ? ctx.valid_section(pfn) : ctx.pfn_valid(pfn));
	const sameNode = (ctx: StepContext, pfn: number, via: string) => ctx.pfn_to_nid(pfn, via) === node.nid;
	const passes = boundaryScan(span, removed, where, stride, (ctx, pfn, via) => guard(ctx, pfn) && sameNode(ctx, pfn, via));
	passes.push({
		label: `shrink_pgdat_span (only holes left?): ${where}`,
		ranges: isolating(span, stride, removed.start),
		direction: 'up',
		stride,
		step(ctx, pfn) {
			if (guard(ctx, pfn) && sameNode(ctx, pfn, 'shrink_pgdat_span') && pfn !== removed.start) {
				ctx.stop();
			}
		},
	});
	return passes;
}

export default defineWalker({
	name: 'shrink_pgdat_span',
	models: 'mm/memory_hotplug.c:shrink_pgdat_span()',
	trigger: 'memory hot-remove of an offlined block, or ZONE_DEVICE teardown (ndctl destroy-namespace, driver unbind)',
	reachability: 'root',
	shape:
		'node span from the removed range outwards, one pfn per section (≤v5.2) or subsection (v5.3), until the first valid pfn of the node; then a whole-node loop',
	fields: ['flags'],
	history: [
		{since: '4.13', guard: 'valid_section(), stride PAGES_PER_SECTION', confidence: 'P'},
		{
			since: '5.3',
			guard: 'pfn_valid(), stride PAGES_PER_SUBSECTION',
			commits: [{subject: 'mm/hotplug: Prepare shrink_{zone,pgdat}_span for sub-section removal'}],
			confidence: 'P',
		},
		{
			since: '5.4',
			guard: 'none: replaced by update_pgdat_span(), which touches no memmap',
			commits: [{id: '00d6c019b5bc', subject: "mm/memory_hotplug: don't access uninitialized memmaps in shrink_pgdat_span()"}],
			confidence: 'P',
			note: 'update_pgdat_span() verified in 5.10.262 and 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		if (!before(k, '5.4')) {
			return null;
		}

		const sectionGranular = before(k, '5.3');
		const g = model.geometry;
		const stride = sectionGranular ? g.PAGES_PER_SECTION : g.PAGES_PER_SUBSECTION;
		return {
			label: sectionGranular ? '≤v5.2: valid_section() per section, node span' : 'v5.3: pfn_valid() per subsection, node span',
			guard: sectionGranular ? 'guards with valid_section()' : 'guards with pfn_valid()',
			fixed_by: {id: '00d6c019b5bc', subject: "mm/memory_hotplug: don't access uninitialized memmaps in shrink_pgdat_span()", version: '5.4'},
			passes: orNothingToWalk(
				operations(model).flatMap(op => passesFor(op, sectionGranular, stride)),
				'no memory is removed in this topology',
			),
		};
	},
});

/**
mm/memory_hotplug.c:shrink_zone_span() with find_smallest_section_pfn() /
find_biggest_section_pfn(): when a pfn range leaves a zone at one of its ends, the zone's new
boundary is searched pfn by pfn (one pfn per section, later per subsection) from the removed
range towards the other end of the zone; the first pfn that passes the guard, has the zone's nid
(pfn_to_nid(): a page->flags read with the PagePoisoned check) and page_zone() == zone ends the
scan.

What it runs for, per version (the operations pfnaudit derives from the topology):
- v5.5+: offline_pages() → remove_pfn_range_from_zone() (David Hildenbrand, "mm/memory_hotplug:
  Shrink zones when offlining memory", v6 series): one call per `offlined` hotplug entry.
  ZONE_DEVICE zones are never shrunk (memunmap_pages() → remove_pfn_range_from_zone() returns
  early for them).
- ≤v5.4: at memory removal (__remove_pages() → __remove_section() → __remove_zone()). pfnaudit
  runs it for the removal that follows each `offlined` entry and, ≤v5.3, for the ZONE_DEVICE
  teardown that would come next for every pgmap (memunmap_pages()/devm_memremap_pages_release()
  → arch_remove_memory(); see ranges.ts pgmapsForTeardown). v5.4 (its final release) returns
  early for ZONE_DEVICE ("zone shrinking code cannot properly deal with ZONE_DEVICE").
  ≤v5.4 also ends with a third loop over the whole zone span looking for any valid pfn of the
  zone other than the removed start ("the zone has only hole data"); it stops at the first one.

Modelled simplifications (documented, not hidden):
- The kernel calls __remove_zone() once per section of a removed range (≤v5.4) and offline_pages()
  once per memory block (v5.5+); pfnaudit models one call for the whole range. The scans it adds
  cover the same pfns apart from the removed range's own sections.
- Which zone an offlined block was onlined to is not recorded by the model: the non-device zones
  of its node whose span still holds part of it, else the node's ZONE_NORMAL, the default online
  target (ranges.ts zonesHolding). The zone span before the shrink is the hull of the model's
  zone span and the block, which is exact whether or not the model shows the span shrunk. A block
  onlined movable into a ZONE_MOVABLE the model shows emptied is attributed to ZONE_NORMAL.

Guards: ≤v5.2 valid_section() per PAGES_PER_SECTION; v5.3 pfn_valid() per PAGES_PER_SUBSECTION
(Dan Williams, "mm/hotplug: Prepare shrink_{zone,pgdat}_span for sub-section removal"); v5.4+
pfn_to_online_page() ("mm/memory_hotplug: don't access uninitialized memmaps in
shrink_zone_span()", David Hildenbrand, Nov 2019; id not verified). Verified unchanged in
substance in 5.10.262 and 6.12.117 (find_smallest_section_pfn/find_biggest_section_pfn).
*/
import {before} from '../source/kernel/version.js';
import {hex} from '../source/model/geometry.js';
import type {Model, Zone} from '../source/model/types.js';
import type {Pass, StepContext} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {type PfnSpan, hull, offlinedBlocks, pgmapsForTeardown, zoneLabel, zoneSpan, zonesHolding} from '../source/walker/ranges.js';
import {boundaryScan, isolating, teardownRange} from '../source/walker/shrink-span.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;

type Guard = 'valid_section' | 'pfn_valid' | 'pfn_to_online_page';

function guardPasses(ctx: StepContext, guard: Guard, pfn: number): boolean {
	switch (guard) {
		case 'valid_section': {
			return ctx.valid_section(pfn);
		}

		case 'pfn_valid': {
			return ctx.pfn_valid(pfn);
		}

		case 'pfn_to_online_page': {
			return ctx.pfn_to_online_page(pfn);
		}
	}
}

/** One shrink_zone_span() call: zone `zone` loses `removed`. */
type Operation = {readonly what: string; readonly removed: PfnSpan; readonly zone: Zone};

function operations(model: Model): Operation[] {
	const k = model.kernel;
	const ops: Operation[] = [];
	for (const block of offlinedBlocks(model)) {
		const removed = {start: block.start_pfn, end: block.end_pfn};
		for (const zone of zonesHolding(model, removed, block.node)) {
			ops.push({what: before(k, '5.5') ? `removal of offlined ${block.label}` : `offline of ${block.label}`, removed, zone});
		}
	}

	if (before(k, '5.4')) {
		for (const pgmap of pgmapsForTeardown(model)) {
			const zone = model.zones.find(z => z.nid === pgmap.nid && z.name === 'Device');
			if (!zone) {
				continue;
			}

			ops.push({what: `teardown of ${pgmap.label}`, removed: teardownRange(model, pgmap), zone});
		}
	}

	return ops;
}

/** The three loops of one call, as passes. */
function passesFor(op: Operation, guard: Guard, stride: number, allHolesLoop: boolean): Pass[] {
	const {zone, removed} = op;
	const span = hull(zoneSpan(zone), removed);
	const where = `${zoneLabel(zone)}, ${op.what} [${hex(removed.start)}, ${hex(removed.end)})`;
	const matches = (ctx: StepContext, pfn: number, via: string): boolean =>
		// pfn_to_nid() != nid, then, for a page of the node, page_zone() != zone: two reads of
		// page->flags, two touches.
		ctx.pfn_to_nid(pfn, via) === zone.nid && ctx.page_zone(pfn, via) === zone.name;

	const passes = boundaryScan(span, removed, where, stride, (ctx, pfn, via) => guardPasses(ctx, guard, pfn) && matches(ctx, pfn, via));
	if (allHolesLoop) {
		passes.push({
			label: `shrink_zone_span (only holes left?): ${where}`,
			ranges: isolating(span, stride, removed.start),
			direction: 'up',
			stride,
			step(ctx, pfn) {
				if (!guardPasses(ctx, guard, pfn)) {
					return;
				}

				// No nid test in this loop: page_zone() != zone, then "the section is current section".
				const view = ctx.page(pfn, FLAGS, 'shrink_zone_span');
				if (view.nid === zone.nid && view.zone === zone.name && pfn !== removed.start) {
					ctx.stop();
				}
			},
		});
	}

	return passes;
}

export default defineWalker({
	name: 'shrink_zone_span',
	models: 'mm/memory_hotplug.c:shrink_zone_span()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state (v5.5+); memory hot-remove or ZONE_DEVICE teardown (≤v5.4)',
	reachability: 'root',
	shape:
		'from the end of the removed range to the zone end (or from its start down to the zone start), one pfn per section/subsection, until the first valid pfn of the zone; ≤v5.4 also a whole-zone "only holes?" loop',
	fields: ['flags'],
	history: [
		{since: '4.13', guard: 'valid_section(), stride PAGES_PER_SECTION, at removal, ZONE_DEVICE included', confidence: 'P'},
		{
			since: '5.3',
			guard: 'pfn_valid(), stride PAGES_PER_SUBSECTION, at removal, ZONE_DEVICE included',
			commits: [{subject: 'mm/hotplug: Prepare shrink_{zone,pgdat}_span for sub-section removal'}],
			confidence: 'P',
		},
		{
			since: '5.4',
			guard: 'pfn_to_online_page(), at removal, ZONE_DEVICE not shrunk',
			commits: [{subject: "mm/memory_hotplug: don't access uninitialized memmaps in shrink_zone_span()"}],
			confidence: 'P',
		},
		{
			since: '5.5',
			guard: 'pfn_to_online_page(), at offline_pages() (remove_pfn_range_from_zone), no "only holes" loop',
			commits: [
				{subject: 'mm/memory_hotplug: Shrink zones when offlining memory'},
				{subject: "mm/memory_hotplug: Don't check for \"all holes\" in shrink_zone_span()"},
			],
			confidence: 'P',
			note: 'verified in 5.10.262 and 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		const g = model.geometry;
		let guard: Guard = 'pfn_to_online_page';
		let stride = g.PAGES_PER_SUBSECTION;
		let label = 'v5.5+: pfn_to_online_page(), at offline_pages()';
		if (before(k, '5.3')) {
			guard = 'valid_section';
			stride = g.PAGES_PER_SECTION;
			label = '≤v5.2: valid_section() per section, at memory removal (ZONE_DEVICE included)';
		} else if (before(k, '5.4')) {
			guard = 'pfn_valid';
			label = 'v5.3: pfn_valid() per subsection, at memory removal (ZONE_DEVICE included)';
		} else if (before(k, '5.5')) {
			label = 'v5.4: pfn_to_online_page(), at memory removal, ZONE_DEVICE not shrunk';
		}

		const allHolesLoop = before(k, '5.5');
		const passes = orNothingToWalk(
			operations(model).flatMap(op => passesFor(op, guard, stride, allHolesLoop)),
			before(k, '5.5') ? 'no memory is removed in this topology' : 'no memory is offlined or removed in this topology',
		);
		return {
			label,
			guard: `guards with ${guard}()`,
			...(before(k, '5.4')
				? {fixed_by: {subject: "mm/memory_hotplug: don't access uninitialized memmaps in shrink_zone_span()", version: '5.4'}}
				: collisionFixedBy(k)), // 1f90a3477df3 (v5.12) at v5.4–v5.11, source/walker/fixes.ts
			passes,
		};
	},
});

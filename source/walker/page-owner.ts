/**
The zone loop mm/page_owner.c runs twice — pagetypeinfo_showmixedcount_print() (behind
/proc/pagetypeinfo with page_owner) and init_pages_in_zone() (at boot) — as passes for the runs
engine: for each populated zone, pageblock by pageblock from the zone start, a check of the
pageblock's first pfn (clamped up to the zone start; pfn_valid() or pfn_to_online_page() by
walker and release), a per-pfn pfn_valid_within() before v5.15 (859a85ddf90e "mm: remove
pfn_valid_within() and CONFIG_HOLES_IN_ZONE"), then page_zone() of the pfn read and, in the
zone, its buddy/flags fields read. The walker files keep their own kernel history and forms.
*/
import {before} from '../kernel/version.js';
import {ALIGN_DOWN, type Geometry} from '../model/geometry.js';
import type {Model} from '../model/types.js';
import {type Anchor, PageBuddy_field, type Pass, type StepContext} from './contract.js';
import {populatedZones, zoneLabel} from './ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;

/**
The pageblock checks as the runs engine needs them: `checks[j](pfn)` is the pfn tested for the
j-th pageblock of pfn's MAX_ORDER_NR_PAGES area (an anchor), and `made(pfn)` how many of those
checks the loop has made by the time it reads pfn (those at or below pfn's own pageblock).
*/
export function pageblockChecks(g: Geometry, zoneStart: number): {checks: Anchor[]; made: (pfn: number) => number} {
	const pb = g.pageblock_nr_pages;
	const mo = g.MAX_ORDER_NR_PAGES;
	const checks: Anchor[] = [];
	for (let j = 0; j < Math.max(1, mo / pb); j++) {
		checks.push(p => Math.max(ALIGN_DOWN(p, mo) + j * pb, zoneStart));
	}

	return {checks, made: pfn => Math.min(checks.length, (ALIGN_DOWN(pfn, pb) - ALIGN_DOWN(pfn, mo)) / pb + 1)};
}

/** One pass per populated zone; `pageblockOk` is the walker's check of a pageblock's first pfn. */
export function pageOwnerZonePasses(model: Model, via: string, pageblockOk: (ctx: StepContext, pfn: number) => boolean): Pass[] {
	const withinCheck = before(model.kernel, '5.15');
	const buddyFlags = [PageBuddy_field(model.kernel), 'flags'] as const;
	return populatedZones(model).map(zone => {
		const {checks, made} = pageblockChecks(model.geometry, zone.zone_start_pfn);
		return {
			label: zoneLabel(zone),
			ranges: [{start: zone.zone_start_pfn, end: zone.zone_end_pfn}],
			direction: 'up',
			stride: 1,
			anchors: checks,
			step(ctx, pfn) {
				for (let j = 0; j < made(pfn); j++) {
					if (!pageblockOk(ctx, checks[j]!(pfn))) {
						return;
					}
				}

				if (withinCheck && !ctx.pfn_valid_within(pfn)) {
					return;
				}

				const view = ctx.page(pfn, FLAGS, via);
				if (view.zone === zone.name && view.nid === zone.nid) {
					ctx.page(pfn, buddyFlags, via);
				}
			},
		};
	});
}

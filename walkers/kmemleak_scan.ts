/**
mm/kmemleak.c:kmemleak_scan(), the struct-page part: with CONFIG_DEBUG_KMEMLEAK the kmemleak
kthread (every 600 s by default) and `echo scan > /sys/kernel/debug/kmemleak` scan every struct
page in use for pointers, under get_online_mems().

Forms:
- v4.13–v4.20: for_each_online_node(), the node span (which covers ZONE_DEVICE ranges), stride
  1: pfn_valid(), page_to_nid() == node, page_count() != 0, then scan_block() over the struct
  page itself.
- v5.0–v5.16: 9f1eb38e0e11 ("mm, kmemleak: little optimization while scanning", Oscar
  Salvador) uses pfn_to_online_page() instead of pfn_valid(). It is v5.0, not v4.20: the patch
  was posted on 6 Dec 2018 (<20181206131918.25099-1-osalvador@suse.de>), after the v4.20 merge
  window, and Qian Cai reported its arm64 crash on 17 Jan 2019 against a v5.0-rc kernel; Pavel
  Machek notes it is not in 4.19-stable [M]. On arm64 it exposed NOMAP pfns during v5.0-rc; the
  fix inside pfn_to_online_page(), b13bc35193d9 "mm/hotplug: invalid PFNs from
  pfn_to_online_page()" (Qian Cai, Jan 2019), is in v5.0 too, so no release has that window.
- v5.17+: c10a0f877fe0 ("mm/kmemleak: avoid scanning potential huge holes", Lang Yu; merged
  Feb 2022 for v5.17 [P: mainline shortlog]; in 5.10.y stable too) walks
  for_each_populated_zone() spans and compares page_zone() with the zone.
Verified in 5.10.262, 6.1.176 and 6.12.117.

page_count() reads compound_head and _refcount; the model holds no refcounts, so every page that
passes the node/zone test is taken as in use and scanned whole (the 'struct page' field) — the
worst case.
*/
import {before} from '../source/kernel/version.js';
import type {Pass, StepContext} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk} from '../source/walker/contract.js';
import {COLLISION_FIX} from '../source/walker/fixes.js';
import {nodeLabel, nodeSpan, populatedZones, zoneLabel, zoneSpan} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;
const STRUCT_PAGE = ['struct page'] as const;

function scanBlock(ctx: StepContext, pfn: number): void {
	ctx.page(pfn, HEAD_REFCOUNT, 'page_count');
	ctx.page(pfn, STRUCT_PAGE, 'scan_block');
}

export default defineWalker({
	name: 'kmemleak_scan',
	models: 'mm/kmemleak.c:kmemleak_scan()',
	trigger: 'echo scan > /sys/kernel/debug/kmemleak, or the kmemleak thread (CONFIG_DEBUG_KMEMLEAK)',
	reachability: 'root',
	shape: 'node spans (≤v5.16) or populated zone spans (v5.17+), stride 1, pages of that node/zone in use are scanned whole',
	fields: ['flags', 'compound_head', '_refcount', 'struct page'],
	history: [
		{since: '4.13', guard: 'pfn_valid() && page_to_nid() == node (node span)', confidence: 'P'},
		{
			since: '5.0',
			guard: 'pfn_to_online_page() && page_to_nid() == node (node span)',
			commits: [{id: '9f1eb38e0e11', subject: 'mm, kmemleak: little optimization while scanning'}],
			confidence: 'P',
			note: 'v5.0, not v4.20: posted 6 Dec 2018 (<20181206131918.25099-1-osalvador@suse.de>), after the v4.20 merge window; its crash report (Qian Cai, 17 Jan 2019) is against v5.0-rc',
		},
		{
			since: '5.17',
			guard: 'pfn_to_online_page() && page_zone() == zone (populated zone span)',
			commits: [{id: 'c10a0f877fe0', subject: 'mm/kmemleak: avoid scanning potential huge holes'}],
			confidence: 'P',
			note: 'verified in 5.10.262 (stable), 6.1.176, 6.12.117',
		},
	],
	plan(model) {
		const k = model.kernel;
		const guard = before(k, '5.0')
			? (ctx: StepContext, pfn: number) => ctx.pfn_valid(pfn)
			: (ctx: StepContext, pfn: number) => ctx.pfn_to_online_page(pfn);
		const guardName = before(k, '5.0') ? 'pfn_valid()' : 'pfn_to_online_page()';
		if (before(k, '5.17')) {
			const passes: Pass[] = model.nodes
				.filter(node => node.node_end_pfn > node.node_start_pfn)
				.map(node => ({
					label: `for_each_online_node: ${nodeLabel(node)}`,
					ranges: [nodeSpan(node)],
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (!guard(ctx, pfn)) {
							return;
						}

						if (ctx.pfn_to_nid(pfn, 'page_to_nid') === node.nid) {
							scanBlock(ctx, pfn);
						}
					},
				}));
			return {
				label: before(k, '5.0') ? '≤v4.20: node span, pfn_valid()' : 'v5.0–v5.16: node span, pfn_to_online_page()',
				guard: `guards with ${guardName}`,
				// ≤v4.20 the guard lets C1 and every ZONE_DEVICE pfn of the node through; v5.0–v5.11
				// still ZONE_DEVICE pfns of sections shared with online RAM (pfn_to_online_page() macro).
				...(before(k, '5.0')
					? {fixed_by: {id: '9f1eb38e0e11', subject: 'mm, kmemleak: little optimization while scanning', version: '5.0'}}
					: before(k, '5.12')
						? {fixed_by: COLLISION_FIX} // 1f90a3477df3 (v5.12), source/walker/fixes.ts
						: {}),
				passes: orNothingToWalk(passes, 'no online node spans memory in this model'),
			};
		}

		return {
			label: 'v5.17+: populated zone spans, pfn_to_online_page()',
			guard: 'guards with pfn_to_online_page()',
			passes: orNothingToWalk(
				populatedZones(model).map(zone => ({
					label: `for_each_populated_zone: ${zoneLabel(zone)}`,
					ranges: [zoneSpan(zone)],
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (!ctx.pfn_to_online_page(pfn)) {
							return;
						}

						const view = ctx.page(pfn, FLAGS, 'page_zone');
						if (view.zone === zone.name && view.nid === zone.nid) {
							scanBlock(ctx, pfn);
						}
					},
				})),
				'no populated zone in this model',
			),
		};
	},
});

/**
mm/compaction.c:isolate_freepages_block(), reached from isolate_freepages(), the free scanner of
compact_zone().

The scanner walks a populated zone downward, pageblock by pageblock, from
pageblock_start_pfn(zone_end_pfn - 1) (or its cached position) while the block starts at or above
pageblock_end_pfn(migrate_pfn); with the migration scanner at the zone start that is every block
but the first [V 6.12 compact_zone(), isolate_freepages()]. Each block (the last one clipped to
the zone end) is guarded by pageblock_pfn_to_page() (set_zone_contiguous.ts: no check at all when
zone->contiguous) and then read upward from its first pfn; until v5.14 each pfn was first tested
with pfn_valid_within() [V 5.10], removed by 859a85ddf90e in v5.15 [P].

Two passes per zone, both top-down:
1. per pageblock (stride pageblock_nr_pages, iteration point = the block's last pfn): the
   pageblock_pfn_to_page() decision and its touches;
2. pfn by pfn: pfns of the blocks that pass (the decision re-derived from the anchors without
   counting its touches again), then the per-pfn reads.

Simplifications (the result depends only on the model state of a pfn and its anchors):
- Stride 1, as in sync compaction and strict (alloc_contig) isolation. Async compaction samples
  with a stride of up to COMPACT_CLUSTER_MAX; stride 1 is the superset.
- Every pfn of an accepted block is read: the kernel's skips by compound or buddy order and its
  early stop once enough pages are isolated depend on struct page contents.
- Inside a block the model walks top-down, the kernel bottom-up: the set of touches is the same,
  only the order of witnesses inside one block differs.
- The per-pfn reads are PageCompound() (flags, compound_head) and PageBuddy() (page_type; _mapcount before v4.18), taken
  for every pfn; the buddy order (private) and the isolation itself (lru, W) are conditional.
- suitable_migration_target() reads PageBuddy() of the block's first page, which the per-pfn pass
  reads anyway; the pageblock bitmap (skip bit, migratetype) is not memmap and is assumed to let
  the scan proceed. skip_offline_sections_reverse() (v6.5+ [U]) only skips blocks of offline
  sections, whose check fails anyway.
- fast_isolate_freepages() (v5.1+) is a walker of its own (walkers/fast_isolate_freepages.ts): its
  free-list candidates are initialized pages, but its min_pfn fallback is a pageblock computed
  from the scanner positions, guarded by pfn_valid(min_pfn) and pageblock_pfn_to_page() only,
  and fast_isolate_around() then reads that block through isolate_freepages_block().
*/
import {ALIGN, ALIGN_DOWN} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';
import {
	blockLastInZone,
	pageblock_pfn_to_page,
	scannerForm,
	scannerPfnPass,
} from './set_zone_contiguous.js';

export default defineWalker({
	name: 'isolate_freepages_block',
	models: 'mm/compaction.c:isolate_freepages_block()',
	trigger:
		'compaction: direct compaction on a costly allocation (any task, e.g. a THP fault), kcompactd, /proc/sys/vm/compact_memory; alloc_contig_range() (CMA, gigantic pages) through isolate_freepages_range()',
	reachability: 'unprivileged',
	shape: 'free scanner: each populated zone downward, pageblock by pageblock above the first block; pfn by pfn inside a block',
	fields: ['flags', 'compound_head', 'page_type', '_mapcount', 'private', 'lru'],
	history: [
		{
			since: '4.13',
			guard: 'pageblock_pfn_to_page() per block (nothing if zone->contiguous), pfn_valid_within() per pfn',
			commits: [{id: '2d070eab2e82', subject: 'mm: consider zone which is not fully populated to have holes'}],
			confidence: 'P',
			note: 'The zone->contiguous fast path predates v4.13. pfn_valid_within() is pfn_valid() only with CONFIG_HOLES_IN_ZONE (arm64 up to v5.13: a7d9f306ba70 dropped it for v5.14 per ia64); the model answers it per arch and version.',
		},
		{
			since: '5.15',
			guard: 'pageblock_pfn_to_page() per block only; no per-pfn check',
			commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
			confidence: 'P',
		},
		{
			since: '6.5',
			guard: 'pageblock_pfn_to_page() per block, now without pfn_valid(start) (nothing if zone->contiguous)',
			commits: [{subject: 'mm/page_alloc: drop the unnecessary pfn_valid() for start pfn'}],
			confidence: 'P',
		},
	],
	plan(model) {
		const g = model.geometry;
		const pb = g.pageblock_nr_pages;
		const passes: Pass[] = [];
		for (const zone of populatedZones(model)) {
			// low_pfn = pageblock_end_pfn(migrate_pfn) with migrate_pfn = zone_start_pfn.
			const start = ALIGN(zone.zone_start_pfn + 1, pb);
			if (start >= zone.zone_end_pfn) {
				continue;
			}

			// Free-scanner blocks are pageblock-aligned (they start at or above `start`); the last one
			// is clipped to the zone end.
			const blockStart = (pfn: number) => ALIGN_DOWN(pfn, pb);
			const blockLast = blockLastInZone(g, zone);
			const lastBlockStart = ALIGN_DOWN(zone.zone_end_pfn - 1, pb);
			// Walked top-down: [lastBlockStart, zone_end) yields zone_end - 1 only, the other range
			// every block's last pfn.
			const blockRanges = [{start, end: lastBlockStart}, {start: lastBlockStart, end: zone.zone_end_pfn}].filter(
				range => range.start < range.end,
			);
			passes.push(
				{
					label: `${zoneLabel(zone)}: pageblock_pfn_to_page()`,
					ranges: blockRanges,
					direction: 'down',
					stride: pb,
					anchors: [blockStart],
					step(ctx, pfn) {
						pageblock_pfn_to_page(ctx, blockStart(pfn), pfn, zone);
					},
				},
				scannerPfnPass(model.kernel, zone, {start, end: zone.zone_end_pfn}, 'down', blockStart, blockLast, 'isolate_freepages_block'),
			);
		}

		return {...scannerForm(model.kernel), passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

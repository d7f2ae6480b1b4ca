/**
mm/compaction.c:isolate_migratepages_block(), reached from isolate_migratepages(), the migration
scanner of compact_zone().

The scanner walks a populated zone upward, pageblock by pageblock, from zone_start_pfn (or its
cached position) while the block ends at or below the free scanner's position; compact_zone()
starts the free scanner at pageblock_start_pfn(zone_end_pfn - 1) [V 6.12], so over repeated
compactions the migration scanner can reach every block below the zone's last pageblock. Each
block is guarded by pageblock_pfn_to_page() (set_zone_contiguous.ts: no check at all when
zone->contiguous) and then read pfn by pfn; until v5.14 each pfn was first tested with
pfn_valid_within() [V 5.10], which 859a85ddf90e ("mm: remove pfn_valid_within() and
CONFIG_HOLES_IN_ZONE", v5.15) removed [P].

Two passes per zone:
1. per pageblock (stride pageblock_nr_pages): the pageblock_pfn_to_page() decision and its touches;
2. pfn by pfn: pfns of the blocks that pass (the decision re-derived from the anchors without
   counting its touches again), then the per-pfn reads.

Simplifications (the result depends only on the model state of a pfn and its anchors):
- Every pfn of an accepted block is read. The kernel skips free buddy blocks and compound pages
  by their order and stops a block once enough pages are isolated; those skips depend on what the
  struct pages hold, so the model reports the superset.
- The per-pfn reads are the ones taken for every pfn before any content-dependent branch:
  PageHuge()/PageCompound() (flags, compound_head) and PageBuddy() (page_type; _mapcount before
  v4.18). The conditional
  ones (buddy order in private, __PageMovable() on mapping, folio_try_get() on _refcount) are
  listed in `fields` but not recorded per step.
- The skip bit (isolation_suitable()) and migratetype (suitable_migration_source()) live in the
  section's pageblock bitmap, not in the memmap, and are assumed to let the scan proceed.
- fast_find_migrateblock() (v5.1+) takes its candidates from the free lists (initialized
  memmaps) and is not modelled here; skip_offline_sections() (v6.5+, "mm: compaction: skip memory
  hole rapidly when isolating migratable pages", Baolin Wang, MM pull for 6.5-rc1 [P]) only skips
  blocks of offline sections, whose check fails anyway.
*/
import {ALIGN_DOWN} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';
import {
	blockStartInZone,
	pageblock_pfn_to_page,
	pageblockRanges,
	scannerForm,
	scannerPfnPass,
} from './set_zone_contiguous.js';

export default defineWalker({
	name: 'isolate_migratepages_block',
	models: 'mm/compaction.c:isolate_migratepages_block()',
	trigger:
		'compaction: direct compaction on a costly allocation (any task, e.g. a THP fault), kcompactd, /proc/sys/vm/compact_memory',
	reachability: 'unprivileged',
	shape: 'migration scanner: each populated zone upward, pageblock by pageblock below the last block; pfn by pfn inside a block',
	fields: ['flags', 'compound_head', 'page_type', '_mapcount', 'private', 'mapping', 'lru', '_refcount'],
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
			note: 'Posted July 2021, in the v5.15 merge window [P]; a later move_freepages() fix carries Fixes: 859a85ddf90e.',
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
		const passes: Pass[] = [];
		for (const zone of populatedZones(model)) {
			// Blocks ending at or below pageblock_start_pfn(zone_end_pfn - 1), the free scanner's start.
			const end = ALIGN_DOWN(zone.zone_end_pfn - 1, g.pageblock_nr_pages);
			if (end <= zone.zone_start_pfn) {
				continue;
			}

			const blockStart = blockStartInZone(g, zone);
			// The migration scanner's block_end_pfn is pageblock_end_pfn(low_pfn), never clipped:
			// every block it walks lies below `end`, so it is whole above the zone start.
			const blockLast = (pfn: number) => ALIGN_DOWN(pfn, g.pageblock_nr_pages) + g.pageblock_nr_pages - 1;
			passes.push(
				{
					label: `${zoneLabel(zone)}: pageblock_pfn_to_page()`,
					ranges: pageblockRanges(g, zone.zone_start_pfn, end),
					direction: 'up',
					stride: g.pageblock_nr_pages,
					anchors: [blockLast],
					step(ctx, pfn) {
						pageblock_pfn_to_page(ctx, pfn, blockLast(pfn), zone);
					},
				},
				scannerPfnPass(model.kernel, zone, {start: zone.zone_start_pfn, end}, 'up', blockStart, blockLast, 'isolate_migratepages_block'),
			);
		}

		return {...scannerForm(model.kernel), passes: orNothingToWalk(passes, 'no populated zone in this model')};
	},
});

/**
mm/compaction.c:fast_isolate_freepages(), its min_pfn fallback, and the fast_isolate_around() it
hands the chosen block to (v5.1+, 5a811889de10 "mm, compaction: use free lists to quickly locate a
migration target", Mel Gorman [P]).

The fast search takes its candidates from the MIGRATE_MOVABLE buddy free lists, whose struct
pages are initialized; walkers/isolate_freepages_block.ts models the free scanner itself. When
the search finds nothing and scan_start is set, direct compaction (cc->direct_compaction only:
not kcompactd, not /proc/sys/vm/compact_memory) falls back to the "min mark",
min_pfn = pageblock_start_pfn(free_pfn - (free_pfn - migrate_pfn) / 2): a pageblock start computed
from the two scanner positions, not taken from a free list. As the scanners move, min_pfn can be
any pageblock of the zone above its first one; the model takes every such block (the superset).
For that block, by version [V 6.1.192 and 6.12.118 mm/compaction.c; the older forms from the
patch diffs, P]:
- v5.1-v5.6: pfn_valid(min_pfn), then page = pfn_to_page(min_pfn), and fast_isolate_around()
  runs isolate_freepages_block() over the block with no block check at all.
- v5.7+: pfn_valid(min_pfn) && pageblock_pfn_to_page(min_pfn, ...) (Baoquan He, "mm/compaction:
  Fix the incorrect hole in fast_isolate_freepages()", Message-ID
  <20200521014407.29690-1-bhe@redhat.com>, a v5.7-rc fix [P]).
- v5.12+: fast_isolate_around() checks the block again with pageblock_pfn_to_page(), clipped to
  the zone (6e2b7044c199 "mm, compaction: make fast_isolate_freepages() stay within zone",
  Vlastimil Babka, stable to 5.10.y [P]).
- v6.8+: suitable_migration_target() reads PageBuddy() (and the buddy order) of min_pfn's page
  before the block is used (Barry Song, "mm: compaction: avoid fast_isolate_freepages blindly
  choose improper pageblock", Message-ID <20231206110054.61617-1-v-songbaohua@oppo.com>, in the MM
  pull for 6.8 [P]; absent in 6.1.192, present in 6.12.118 [V]).

pageblock_pfn_to_page() checks nothing when zone->contiguous is set (walkers/set_zone_contiguous.ts),
so on such a zone pfn_valid(min_pfn) is the only guard before every pfn of the block is read
through isolate_freepages_block() [A].

Two passes per populated zone, both upward:
1. per pageblock (stride pageblock_nr_pages, iteration point = min_pfn, the block start): the
   pfn_valid() and pageblock_pfn_to_page() decisions and their touches, then
   suitable_migration_target() (v6.8+), then fast_isolate_around()'s own pageblock_pfn_to_page()
   (v5.12+);
2. pfn by pfn: the pfns of blocks that pass (re-derived from the anchors without counting the
   block checks again), read by isolate_freepages_block() as in the free scanner: PageCompound()
   and PageBuddy(), after pfn_valid_within() up to v5.14.

Simplifications: suitable_migration_target() is taken to accept the block (the migratetype lives in
the section's pageblock bitmap, not in the struct page; a large free buddy at min_pfn is refused,
a case that needs initialized memory). The v5.1-v5.11 fast_isolate_around() stopped one pfn short
of the block end (end_pfn - 1); the model reads the whole block. The early returns on
cc->nr_freepages and MIGRATE_ASYNC are taken not to fire (sync direct compaction).
*/
import {atLeast, before} from '../source/kernel/version.js';
import {ALIGN, ALIGN_DOWN} from '../source/model/geometry.js';
import {defineWalker, orNothingToWalk, PageBuddy_field, type Pass} from '../source/walker/contract.js';
import {populatedZones, zoneLabel} from '../source/walker/ranges.js';
import {blockLastInZone, pageblock_pfn_to_page, pageblockPassesQuietly} from './set_zone_contiguous.js';

const FORMS = [
	{since: '6.8', label: 'v6.8+: pfn_valid(min_pfn), pageblock_pfn_to_page() (none if zone->contiguous), suitable_migration_target(), pageblock_pfn_to_page() again'},
	{since: '5.12', label: 'v5.12-v6.7: pfn_valid(min_pfn), pageblock_pfn_to_page() twice (none if zone->contiguous)'},
	{since: '5.7', label: 'v5.7-v5.11: pfn_valid(min_pfn), pageblock_pfn_to_page() (none if zone->contiguous)'},
	{since: '5.1', label: 'v5.1-v5.6: pfn_valid(min_pfn) only'},
] as const;

export default defineWalker({
	name: 'fast_isolate_freepages',
	models: 'mm/compaction.c:fast_isolate_freepages()',
	trigger:
		'direct compaction on a costly allocation (any task, e.g. a THP fault) whose fast free-list search finds nothing: the min_pfn fallback, then fast_isolate_around()',
	reachability: 'unprivileged',
	shape: 'the min_pfn pageblock between the two compaction scanners: every pageblock of each populated zone above its first, then pfn by pfn inside an accepted block',
	fields: ['flags', 'compound_head', 'page_type', '_mapcount', 'private', 'lru'],
	history: [
		{
			since: '5.1',
			guard: 'pfn_valid(min_pfn) only; fast_isolate_around() reads the block unchecked',
			commits: [{id: '5a811889de10', subject: 'mm, compaction: use free lists to quickly locate a migration target'}],
			confidence: 'P',
		},
		{
			since: '5.7',
			guard: 'pfn_valid(min_pfn) && pageblock_pfn_to_page() (nothing if zone->contiguous)',
			commits: [{subject: 'mm/compaction: Fix the incorrect hole in fast_isolate_freepages()'}],
			confidence: 'P',
			note: 'Baoquan He, May 2020, Message-ID <20200521014407.29690-1-bhe@redhat.com>; mainline id not found',
		},
		{
			since: '5.12',
			guard: 'pfn_valid(min_pfn) && pageblock_pfn_to_page(), and pageblock_pfn_to_page() again in fast_isolate_around()',
			commits: [{id: '6e2b7044c199', subject: 'mm, compaction: make fast_isolate_freepages() stay within zone'}],
			confidence: 'P',
			note: 'read in 6.1.192 [V]',
		},
		{
			since: '6.8',
			guard: 'as v5.12, plus suitable_migration_target() on the min_pfn page',
			commits: [{subject: 'mm: compaction: avoid fast_isolate_freepages blindly choose improper pageblock'}],
			confidence: 'P',
			note: 'Barry Song, Message-ID <20231206110054.61617-1-v-songbaohua@oppo.com>; read in 6.12.118 [V]',
		},
	],
	plan(model) {
		const k = model.kernel;
		if (before(k, '5.1')) {
			return null;
		}

		const form = FORMS.find(f => atLeast(k, f.since))!;
		const checksMinPfnBlock = atLeast(k, '5.7');
		const aroundChecksBlock = atLeast(k, '5.12');
		const suitable = atLeast(k, '6.8');
		const withinCheck = before(k, '5.15');
		const buddy = [PageBuddy_field(k), 'private'] as const;
		const perPfn = ['flags', 'compound_head', PageBuddy_field(k)] as const;
		const g = model.geometry;
		const pb = g.pageblock_nr_pages;
		const blockStart = (pfn: number) => ALIGN_DOWN(pfn, pb);
		const passes: Pass[] = [];
		for (const zone of populatedZones(model)) {
			// min_pfn >= pageblock_end_pfn(migrate_pfn) with the migration scanner at the zone start.
			const start = ALIGN(zone.zone_start_pfn + 1, pb);
			if (start >= zone.zone_end_pfn) {
				continue;
			}

			const blockLast = blockLastInZone(g, zone);
			passes.push(
				{
					label: `${zoneLabel(zone)}: min_pfn block checks`,
					ranges: [{start, end: zone.zone_end_pfn}],
					direction: 'up',
					stride: pb,
					anchors: [blockLast],
					step(ctx, pfn) {
						if (!ctx.pfn_valid(pfn)) {
							return;
						}

						if (checksMinPfnBlock && !pageblock_pfn_to_page(ctx, pfn, blockLast(pfn), zone)) {
							return;
						}

						if (suitable) {
							ctx.page(pfn, buddy, 'suitable_migration_target');
						}

						if (aroundChecksBlock) {
							pageblock_pfn_to_page(ctx, pfn, blockLast(pfn), zone);
						}
					},
				},
				{
					label: `${zoneLabel(zone)}: fast_isolate_around() pfn by pfn`,
					ranges: [{start, end: zone.zone_end_pfn}],
					direction: 'up',
					stride: 1,
					anchors: [blockStart, blockLast],
					step(ctx, pfn) {
						const first = blockStart(pfn);
						if (!ctx.pfn_valid(first)) {
							return;
						}

						if (checksMinPfnBlock && !pageblockPassesQuietly(ctx, first, blockLast(pfn), zone)) {
							return;
						}

						if (withinCheck && !ctx.pfn_valid_within(pfn)) {
							return;
						}

						ctx.page(pfn, perPfn, 'isolate_freepages_block');
					},
				},
			);
		}

		return {
			label: form.label,
			guard: checksMinPfnBlock
				? 'guards the min_pfn block with pfn_valid(min_pfn) and pageblock_pfn_to_page(), which checks nothing when zone->contiguous is set'
				: 'guards the min_pfn block with pfn_valid(min_pfn) only',
			passes: orNothingToWalk(passes, 'no populated zone in this model'),
		};
	},
});

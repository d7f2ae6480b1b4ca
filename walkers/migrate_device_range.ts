/**
mm/migrate_device.c:migrate_device_range(): a device driver evicts its device memory by migrating
every page of its DEVICE_PRIVATE (or, in lib/test_hmm.c, DEVICE_COHERENT) range back to system
memory — nouveau_dmem_evict_chunk() (drivers/gpu/drm/nouveau/nouveau_dmem.c) and
dmirror_device_evict_chunk() (lib/test_hmm.c) in 6.1 and 6.12 [V].

Shape, pfn by pfn over [start, start + npages), no check of its own:
- 6.1 [V lines 911-937]: pfn_to_page(), get_page_unless_zero() (a _refcount increment on a page
  in use), then trylock_page() (compound_head, flags).
- 6.12 [V lines 900-926]: folio_get_nontail_page(pfn_to_page()) (compound_head, then a _refcount
  increment), then folio_trylock() (flags).
Both read and write the same fields. The range is the driver's own pgmap, evicted while it is
registered and after memremap_pages() initialized its memmap.

The model walks the data pfns of every registered DEVICE_PRIVATE and DEVICE_COHERENT pgmap whose
memremap_pages() returned and whose teardown has not started (source/walker/ranges.ts
readyPgmaps()).

History: added by "mm/migrate_device.c: add migrate_device_range()" (Alistair Popple; [PATCH v2
5/8], 28 Sep 2022, <868116aab70b0c8ee467d62498bb2cf0ef907295.1664366292.git-series.apopple@nvidia.com>)
[U: the mainline id; the release v6.1 follows from 6.1.192 having it]. The folio form of 6.12 is
a later conversion whose commit is not identified [U]; it changes no field.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, type Pass} from '../source/walker/contract.js';
import {pgmapData, readyPgmaps} from '../source/walker/ranges.js';

/** The reference and the page lock: allocated once. */
const GET_LOCK = ['compound_head', '_refcount', 'flags'] as const;

export default defineWalker({
	name: 'migrate_device_range',
	models: 'mm/migrate_device.c:migrate_device_range()',
	trigger: 'a device driver evicting its DEVICE_PRIVATE/COHERENT memory (nouveau_dmem_evict_chunk(), lib/test_hmm.c) before memunmap_pages()',
	reachability: 'kernel-only',
	shape: 'the data pfns of the driver\'s pgmap, stride 1',
	fields: ['compound_head', '_refcount', 'flags'],
	history: [
		{
			since: '6.1',
			guard: 'none of its own: the driver\'s own pgmap, memmap initialized by memremap_pages()',
			commits: [{subject: 'mm/migrate_device.c: add migrate_device_range()'}],
			confidence: 'U',
			note: 'Posted 28 Sep 2022; in 6.1.192 [V], the mainline id is not confirmed. 6.1 uses get_page_unless_zero()/trylock_page(), 6.12 folio_get_nontail_page()/folio_trylock() [V]: the same fields.',
		},
	],
	plan(model) {
		if (before(model.kernel, '6.1')) {
			return null;
		}

		const passes: Pass[] = readyPgmaps(model, ['private', 'coherent']).map(pgmap => ({
			label: `pgmap ${pgmap.label}`,
			ranges: [pgmapData(pgmap)],
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				ctx.page(pfn, GET_LOCK, 'migrate_device_range', 'write');
			},
		}));
		return {
			label: 'v6.1+: the driver\'s own pgmap, no check',
			guard: 'has no check of its own (a registered, initialized pgmap)',
			passes: orNothingToWalk(passes, 'no initialized DEVICE_PRIVATE or DEVICE_COHERENT pgmap in this model'),
		};
	},
});

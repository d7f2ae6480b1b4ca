/**
The memory-hotplug and memory-offline walkers of the census of 6.12.118 (source/walker/census.ts,
issue 17), all guarded there: the auto-movable zone choice, try_offline_memory_block(), the
virtio-mem Big Block Mode scans, and offline_pages()' own loops (do_migrate_range(),
dissolve_free_hugetlb_folios(), page isolation). An audit shows them as guarded — on the showcase
and on a topology with a hot-added block left offline they touch no uninitialized struct page.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import auto_movable_zone_for_pfn from '../../walkers/auto_movable_zone_for_pfn.js';
import dissolve_free_hugetlb_folios from '../../walkers/dissolve_free_hugetlb_folios.js';
import do_migrate_range from '../../walkers/do_migrate_range.js';
import start_isolate_page_range from '../../walkers/start_isolate_page_range.js';
import test_pages_isolated from '../../walkers/test_pages_isolated.js';
import try_offline_memory_block from '../../walkers/try_offline_memory_block.js';
import virtio_mem_bbm_bb_is_movable from '../../walkers/virtio_mem_bbm_bb_is_movable.js';
import {buildModel} from '../../source/model/build.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched, stepAt} from './harness.js';
import {offlineInZoneSpan} from './layouts.js';

const showcase = () => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'showcase.yaml'));

/** They walk hot-added memory by its sections or blocks, whatever their state. */
const HOTPLUG: readonly WalkerDefinition[] = [auto_movable_zone_for_pfn, try_offline_memory_block, virtio_mem_bbm_bb_is_movable];

/** They walk the memory blocks offline_pages() accepts. */
const OFFLINE: readonly WalkerDefinition[] = [do_migrate_range, dissolve_free_hugetlb_folios, start_isolate_page_range, test_pages_isolated];

const named = (walkers: readonly WalkerDefinition[]) => walkers.map(walker => [walker.name, walker] as const);

describe('the memory-hotplug and memory-offline walkers of the census', () => {
	// A test of each on the showcase (arm64-4k) at v6.12 and at its own release v5.15. The showcase
	// has offline hot-added blocks (C1), ZONE_DEVICE ranges in every state (C2-C5), a raw hole
	// pageblock and NOMAP pages.
	//
	// Expect no failing touch and none of the offline blocks' (C1) or the initializing device's
	// (C4) pfns read. The offline_pages() loops read initialized struct pages of the boot blocks
	// at v6.12; the hotplug walkers walk the showcase's hot-added memory, all of it offline (C1),
	// and read nothing.
	it.each(named([...HOTPLUG, ...OFFLINE]))('%s touches nothing uninitialized on the showcase', (_name, walker) => {
		for (const kernel of ['5.15', '6.12']) {
			const {model, result} = audit(walker, showcase(), kernel);
			expectNoFailing(result);
			expectUntouched(result, 'C1', 'C4');
			expect(walker.plan(model)!.passes.some(pass => pass.ranges.length > 0)).toBe(true);
		}

		const {result} = audit(walker, showcase(), '6.12');
		if (HOTPLUG.includes(walker)) {
			expect(Object.values(result.touches).reduce((a, b) => a + b, 0)).toBe(0);
		} else {
			expectTouchedNotFailing(result, 'ok');
		}
	});

	// A test of each with layouts.ts offlineInZoneSpan() at v6.12.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect no failing touch, B (C1) untouched, and initialized struct pages read.
	it.each(named([...HOTPLUG, ...OFFLINE]))('%s skips a hot-added block left offline', (_name, walker) => {
		const {result} = audit(walker, offlineInZoneSpan(), '6.12');
		expect(result.status).toBe('ok');
		expectNoFailing(result);
		expectUntouched(result, 'C1');
		expectTouchedNotFailing(result, 'ok');
	});

	// A test of the hotplug walkers' guard, one step at a time, on offlineInZoneSpan() at v6.12:
	// they do walk B (it is hot-added memory), and pfn_to_online_page() is what refuses it.
	//
	//   0x100000 (A, online): pfn_to_online_page() answers, then page->flags is read (the zone)
	//   0x108000 (B, offline): pfn_to_online_page() is NULL, nothing is read
	//
	// Expect a flags read at A's first pfn and no struct page touch at B's.
	it.each(named(HOTPLUG))('%s reads A and refuses B with pfn_to_online_page()', (_name, walker) => {
		const model = buildModel({...offlineInZoneSpan(), kernel: '6.12'});
		const atA = stepAt(walker, model, 0x10_0000);
		expect(atA.some(touch => touch.pfn === 0x10_0000 && touch.fields.includes('flags'))).toBe(true);
		expect(stepAt(walker, model, 0x10_8000).filter(touch => touch.pfn === 0x10_8000)).toEqual([]);
	});

	// A test of the offline_pages() loops' domain on offlineInZoneSpan() at v6.12: offline_pages()
	// only runs for an online block (device_offline() of an offline one returns first).
	//
	// Expect A and C among the ranges walked, and no pass over any pfn of B.
	it.each(named(OFFLINE))('%s walks only the blocks offline_pages() accepts', (_name, walker) => {
		const model = buildModel({...offlineInZoneSpan(), kernel: '6.12'});
		const ranges = walker.plan(model)!.passes.flatMap(pass => pass.ranges);
		expect(ranges.some(range => range.start <= 0x10_0000 && range.end >= 0x10_8000)).toBe(true);
		expect(ranges.some(range => range.start <= 0x11_0000 && range.end >= 0x11_8000)).toBe(true);
		expect(ranges.filter(range => range.start < 0x11_0000 && range.end > 0x10_8000)).toEqual([]);
	});
});

/**
The ZONE_DEVICE walkers of the census of 6.12.118 (source/walker/census.ts, issue 17) that walk a
device's own range: migrate_device_range() (a driver evicting its DEVICE_PRIVATE/COHERENT memory)
and dax_set_mapping() (a fault on a device-dax mapping). Neither checks the pfn; both are guarded
by where they run — a registered pgmap whose memremap_pages() returned — and an audit shows them
as such: they touch initialized ZONE_DEVICE pages (C2) and nothing uninitialized.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import {buildModel} from '../../source/model/build.js';
import {pgmapData} from '../../source/walker/ranges.js';
import dax_set_mapping from '../../walkers/dax_set_mapping.js';
import migrate_device_range from '../../walkers/migrate_device_range.js';
import page_table_check_clear from '../../walkers/page_table_check_clear.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched, stepAt} from './harness.js';

const showcase = () => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'showcase.yaml'));

describe('the device-range walkers of the census', () => {
	// A test of each on the showcase (arm64-4k) at v6.12. Its ZONE_DEVICE ranges:
	//
	//   0x13e000  devdax 32M (ready)        0x300000 fsdax 2G, altmap (ready)
	//   0x400000  devdax 1G (initializing)  0x504000 devdax 62M (ready)
	//   0x600000  fsdax 1G (teardown)       0xffffc0000 private 1G (ready)
	//
	// Expect initialized ZONE_DEVICE pages touched (C2), no failing touch, and none of the
	// initializing device's (C4) or the torn-down device's (C3) pfns read.
	it.each([['migrate_device_range', migrate_device_range], ['dax_set_mapping', dax_set_mapping]] as const)('%s touches only its initialized device pages on the showcase', (_name, walker) => {
		const {result} = audit(walker, showcase(), '6.12');
		expectNoFailing(result);
		expectTouchedNotFailing(result, 'C2');
		expectUntouched(result, 'C1', 'C3', 'C4', 'C5');
	});

	// A test of which pgmaps each walks, on the showcase at v6.12: migrate_device_range() the
	// DEVICE_PRIVATE range only, dax_set_mapping() the two ready device-dax ranges, not the one
	// still in memmap_init_zone_device().
	//
	// Expect those data ranges as the passes, nothing else.
	it('walks the pgmaps its callers own', () => {
		const model = buildModel({...showcase(), kernel: '6.12'});
		const spans = (types: readonly string[], ready: boolean) => model.pgmaps
			.filter(pgmap => types.includes(pgmap.type) && (pgmap.init_cursor >= pgmap.end_pfn) === ready)
			.map(pgmap => pgmapData(pgmap));
		const walked = (walker: typeof dax_set_mapping) => walker.plan(model)!.passes.flatMap(pass => pass.ranges);
		expect(walked(migrate_device_range)).toEqual(spans(['private', 'coherent'], true));
		expect(walked(dax_set_mapping)).toEqual(spans(['devdax'], true));
		expect(walked(dax_set_mapping)).toHaveLength(2);
		const initializing = spans(['devdax'], false)[0]!;
		expect(walked(dax_set_mapping).some(range => range.start <= initializing.start && range.end > initializing.start)).toBe(false);
	});

	// A test of the versions: migrate_device_range() appeared in v6.1, dax_set_mapping() (as a
	// function) in v5.17 [U]. Expect both absent at v5.15, dax_set_mapping() present and
	// migrate_device_range() absent at v5.19.
	it('exists from the release that added it', () => {
		expect(audit(migrate_device_range, showcase(), '5.15').result.status).toBe('absent');
		expect(audit(dax_set_mapping, showcase(), '5.15').result.status).toBe('absent');
		expect(audit(migrate_device_range, showcase(), '5.19').result.status).toBe('absent');
		expect(audit(dax_set_mapping, showcase(), '5.19').result.status).toBe('ok');
	});
});

describe('page_table_check_clear', () => {
	// A test of it on the showcase at v6.1 and v6.12, over the pfns user page tables map: online
	// System RAM and the ready device-dax and fsdax ranges.
	//
	// The showcase's ready device ranges lie in sections without page_ext (not online).
	//
	// Expect initialized RAM (ok) touched, no failing touch, and none of the offline hot-added
	// (C1), poisoned (C3), initializing (C4) or reserve (C5) pfns read; the device pages (C2)
	// untouched at v6.1 and read (compound_head only) at v6.12.
	it.each(['6.1', '6.12'])('touches nothing uninitialized on the showcase at v%s', kernel => {
		const {result} = audit(page_table_check_clear, showcase(), kernel);
		expectNoFailing(result);
		expectTouchedNotFailing(result, 'ok');
		expectUntouched(result, 'C1', 'C3', 'C4', 'C5');
		if (kernel === '6.1') {
			expectUntouched(result, 'C2');
		} else {
			expectTouchedNotFailing(result, 'C2');
		}
	});

	// A test of the page_ext guard, one pfn at a time, on the showcase:
	//
	//   0x130000  boot RAM, online section (page_ext from page_ext_init())
	//   fsdax     its first data pfn past the altmap, in its own sections, never online (no page_ext)
	//
	// Expect page->flags read at 0x130000;  at the fsdax pfn nothing at v6.1 and only compound_head
	// (is_huge_zero_folio(pfn_folio())) at v6.12, before page_ext_get() returns NULL.
	it('reads the page only where page_ext exists', () => {
		const at = (kernel: string, pfn: number) => stepAt(page_table_check_clear, buildModel({...showcase(), kernel}), pfn).filter(touch => touch.pfn === pfn);
		expect(at('6.12', 0x13_0000).some(touch => touch.fields.includes('flags'))).toBe(true);
		const fsdax = pgmapData(buildModel({...showcase(), kernel: '6.12'}).pgmaps.find(pgmap => pgmap.start_pfn === 0x30_0000)!).start;
		expect(at('6.1', fsdax)).toEqual([]);
		const v612 = at('6.12', fsdax);
		expect(v612.length).toBeGreaterThan(0);
		expect(v612.flatMap(touch => touch.fields)).toEqual(['compound_head']);
	});
});

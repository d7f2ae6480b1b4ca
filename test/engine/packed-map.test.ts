import {describe, expect, it} from 'vitest';
import {memoryMap, PackedMap} from '../../source/engine/report.js';
import type {MapRegion} from '../../source/engine/types.js';
import {buildModel} from '../../source/model/build.js';
import {SHOWCASE_TOPOLOGY} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';

describe('the memory map an audit keeps while its workers walk', () => {
	// A test of PackedMap on the showcase's map at the final phase (holes, boot memory, hot-added
	// blocks, devices with altmap parts) and on hand-made regions: an empty label, labels outside
	// Latin-1, bounds above 2^32 pfns. Expect regions() equal to the regions given, in order, with
	// their keys in the order memoryMap() gives them (the JSON report prints them so).
	it('gives back the regions it was made of', () => {
		const map = memoryMap(buildModel(loadTopologyFile(SHOWCASE_TOPOLOGY)));
		expect(map.length).toBeGreaterThan(10);
		const unpacked = new PackedMap(map).regions();
		expect(unpacked).toEqual(map);
		expect(JSON.stringify(unpacked)).toBe(JSON.stringify(map));

		const made: MapRegion[] = [
			{start_pfn: 0, end_pfn: 1, category: 'hole', label: ''},
			{start_pfn: 1, end_pfn: 2 ** 33, category: 'ok', label: 'boot@0x1000 — nœud 1'},
			{start_pfn: 2 ** 33, end_pfn: 2 ** 40 + 3, category: 'unbacked', label: 'fsdax@0x200000000000 reserve ✓'},
			{start_pfn: 2 ** 40 + 3, end_pfn: 2 ** 52, category: 'hole', label: 'hole'},
		];
		expect(new PackedMap(made).regions()).toEqual(made);
		expect(new PackedMap([]).regions()).toEqual([]);
	});
});

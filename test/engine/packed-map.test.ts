import {describe, expect, it} from 'vitest';
import {type MapColumns, memoryMap, PackedMap} from '../../source/engine/report.js';
import type {MapRegion} from '../../source/engine/types.js';
import {buildModel} from '../../source/model/build.js';
import {SHOWCASE_TOPOLOGY} from '../../source/paths.js';
import {loadTopologyFile, parseTopology} from '../../source/topology/load.js';
import {generateTopology} from '../../bench/topology-gen.js';

/** `regions` as the columns a PackedMap is made of. */
function columnsOf(regions: readonly MapRegion[]): MapColumns {
	return {
		starts: regions.map(region => region.start_pfn),
		ends: regions.map(region => region.end_pfn),
		categories: regions.map(region => region.category),
		labels: regions.map(region => region.label),
	};
}

describe('the memory map an audit keeps while its workers walk', () => {
	// A test of PackedMap on the showcase's map at the final phase (holes, boot memory, hot-added
	// blocks, devices with altmap parts) and on hand-made regions: an empty label, labels outside
	// Latin-1, bounds above 2^32 pfns. Expect regions() equal to the regions given, in order, with
	// their keys in the order memoryMap() gives them (the JSON report prints them so).
	it('gives back the regions it was made of', () => {
		const map = memoryMap(buildModel(loadTopologyFile(SHOWCASE_TOPOLOGY)));
		expect(map.length).toBeGreaterThan(10);
		const unpacked = new PackedMap(columnsOf(map)).regions();
		expect(unpacked).toEqual(map);
		expect(JSON.stringify(unpacked)).toBe(JSON.stringify(map));

		const made: MapRegion[] = [
			{start_pfn: 0, end_pfn: 1, category: 'hole', label: ''},
			{start_pfn: 1, end_pfn: 2 ** 33, category: 'ok', label: 'boot@0x1000 — nœud 1'},
			{start_pfn: 2 ** 33, end_pfn: 2 ** 40 + 3, category: 'unbacked', label: 'fsdax@0x200000000000 reserve ✓'},
			{start_pfn: 2 ** 40 + 3, end_pfn: 2 ** 52, category: 'hole', label: 'hole'},
		];
		expect(new PackedMap(columnsOf(made)).regions()).toEqual(made);
		expect(new PackedMap(columnsOf([])).regions()).toEqual([]);
	});

	// A test of the map packed as it is worked out from the model (PackedMap.of(), what the audit
	// keeps: never the region objects), on the showcase and on a generated 1 000-entry topology
	// (bench/topology-gen.ts: boot ranges with holes, hot-added blocks in every state, fsdax and
	// devdax ranges with altmap parts, whose adjacent runs merge). Expect regions() equal to
	// memoryMap() of the same model, key order included.
	it('packs the map of a model as memoryMap() gives it', () => {
		for (const model of [buildModel(loadTopologyFile(SHOWCASE_TOPOLOGY)), buildModel(parseTopology(generateTopology(1000).yaml, 'generated.yaml'))]) {
			const map = memoryMap(model);
			expect(map.length).toBeLessThan(model.runs.length);
			expect(JSON.stringify(PackedMap.of(model).regions())).toBe(JSON.stringify(map));
		}
	});
});

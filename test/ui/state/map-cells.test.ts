import {describe, expect, it} from 'vitest';
import type {MapRegion} from '../../../source/engine/types.js';
import {DEFAULT_FAIL_ON} from '../../../source/model/categories.js';
import {cellIndexOf, linearWindow, mapCells, mapEnd, maxZoom} from '../../../source/ui/state/map-cells.js';

// A test that lays out a map where a 2-page altmap reserve sits between 4 GiB of RAM and 16 GiB
// of fsdax data, with a hole (gap) before the device.
//
//   |   boot RAM (ok)   |  not present  | reserve (C5) |    data (C2)     |
//   0x0          0x100000         0x240000      0x240002          0x640000
//
// Expect every run on the strip, the cells contiguous, and a linear zoom that shows the most
// severe category in a cell.
const map: MapRegion[] = [
	{start_pfn: 0, end_pfn: 0x10_0000, category: 'ok', label: 'boot@0x0'},
	{start_pfn: 0x24_0000, end_pfn: 0x24_0002, category: 'C5', label: 'fsdax reserve'},
	{start_pfn: 0x24_0002, end_pfn: 0x64_0000, category: 'C2', label: 'fsdax data'},
];

describe('mapCells', () => {
	it('gives every run at least one cell in the regions view, and exactly `width` cells', () => {
		for (const width of [4, 10, 80, 200]) {
			const cells = mapCells(map, width, {zoom: 0, center: 0}, DEFAULT_FAIL_ON);
			expect(cells).toHaveLength(width);
			const categories = new Set(cells.map(cell => cell.category));
			expect(categories).toEqual(new Set(['ok', undefined, 'C5', 'C2']));
			for (let index = 1; index < cells.length; index++) {
				expect(cells[index]!.start_pfn).toBe(cells[index - 1]!.end_pfn);
			}
		}
	});

	it('shows the failing reserve in the linear cell that also holds initialized data', () => {
		const cells = mapCells(map, 10, {zoom: 1, center: 0}, DEFAULT_FAIL_ON);
		const index = cellIndexOf(cells, 0x24_0000);
		expect(cells[index]!.category).toBe('C5');
		expect(cells.at(-1)!.category).toBe('C2');
		expect(cells[2]!.category).toBeUndefined();
	});

	// The same cell holds the 2-page reserve and 0x40000 pages of data: expect it marked mixed with
	// both categories, the failing C5 first; a cell of data only, or of RAM and absent pfns, is not.
	it('marks a linear cell holding several categories as mixed, naming each', () => {
		const cells = mapCells(map, 10, {zoom: 1, center: 0}, DEFAULT_FAIL_ON);
		expect(cells[cellIndexOf(cells, 0x24_0000)]!.mixed).toEqual(['C5', 'C2']);
		expect(cells.at(-1)!.mixed).toBeUndefined();
		expect(cells[cellIndexOf(cells, 0x0)]!.mixed).toBeUndefined();
	});

	it('magnifies 4x per zoom level around the centre, clamped to the map', () => {
		const end = mapEnd(map);
		expect(linearWindow(end, {zoom: 1, center: 0})).toEqual({start: 0, end});
		expect(linearWindow(end, {zoom: 2, center: end / 2})).toEqual({start: (end * 3) / 8, end: (end * 5) / 8});
		expect(linearWindow(end, {zoom: 2, center: 0}).start).toBe(0);
		expect(linearWindow(end, {zoom: 2, center: end}).end).toBe(end);
		expect(end / 4 ** (maxZoom(end, 80) - 1)).toBeGreaterThanOrEqual(80 / 4);
		expect(end / 4 ** maxZoom(end, 80)).toBeLessThan(80);
	});

	it('finds the cell of a pfn and -1 outside the map', () => {
		const cells = mapCells(map, 80, {zoom: 0, center: 0}, DEFAULT_FAIL_ON);
		expect(cells[cellIndexOf(cells, 0x24_0001)]!.category).toBe('C5');
		expect(cellIndexOf(cells, 0x64_0000)).toBe(-1);
	});
});

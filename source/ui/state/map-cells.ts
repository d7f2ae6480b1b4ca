/**
The memory-map strip: the engine's map regions laid out on a row of character cells.

Zoom 0 ("regions") gives every merged run of one category (and every gap between them) at least
one cell and shares the rest by log2 of its size, so a 2-page altmap reserve is as visible as
16 GiB of RAM. Zoom 1 is a linear axis over the whole map; each further level magnifies 4× around
the map cursor. A linear cell spanning several categories shows the most severe one (failing
categories of the audit's --fail-on set first): the strip is for finding hazards. Such a cell is
marked mixed and lists every category it holds, so that a cell of boot RAM and pmem does not
read as all pmem.
*/
import type {MapRegion} from '../../engine/types.js';
import type {CategoryId} from '../../model/categories.js';

export type MapCell = {
	readonly start_pfn: number;
	readonly end_pfn: number;
	/** undefined: no region (not present in the topology). */
	readonly category: CategoryId | undefined;
	/** Label of the region that decided the category. */
	readonly label: string;
	/** The merged run the cell belongs to (regions view); the cell itself on a linear axis. */
	readonly run_start: number;
	readonly run_end: number;
	/** A linear cell holding several categories: all of them, most severe first (`category` is the first). */
	readonly mixed?: readonly CategoryId[];
};

export type MapView = {readonly zoom: number; readonly center: number};

/** Deepest useful zoom: one pfn per cell. */
export function maxZoom(end: number, width: number): number {
	let zoom = 1;
	while (end / 4 ** zoom >= width) {
		zoom++;
	}

	return zoom;
}

/** Presentation order for "most severe in the cell", after the failing/non-failing split. */
const SEVERITY: readonly CategoryId[] = ['oob', 'unbacked', 'teardown', 'C4', 'C5', 'C3', 'C1', 'metadata', 'hvo', 'nomap', 'hole', 'C2', 'ok'];

function rank(category: CategoryId, failOn: ReadonlySet<CategoryId>): number {
	return (failOn.has(category) ? 0 : SEVERITY.length) + SEVERITY.indexOf(category);
}

type Run = {start_pfn: number; end_pfn: number; category: CategoryId | undefined; label: string};

function runsOf(map: readonly MapRegion[]): Run[] {
	const sorted = [...map].sort((a, b) => a.start_pfn - b.start_pfn);
	const runs: Run[] = [];
	let cursor = 0;
	for (const region of sorted) {
		if (region.start_pfn > cursor) {
			runs.push({start_pfn: cursor, end_pfn: region.start_pfn, category: undefined, label: 'not present'});
		}

		const last = runs.at(-1);
		if (last && last.category === region.category && last.end_pfn === region.start_pfn) {
			last.end_pfn = region.end_pfn;
		} else {
			runs.push({start_pfn: region.start_pfn, end_pfn: region.end_pfn, category: region.category, label: region.label});
		}

		cursor = Math.max(cursor, region.end_pfn);
	}

	return runs;
}

/** First pfn after the map: the right edge of the linear axis. */
export function mapEnd(map: readonly MapRegion[]): number {
	return map.reduce((end, region) => Math.max(end, region.end_pfn), 0);
}

function regionCells(runs: readonly Run[], width: number): MapCell[] {
	const weights = runs.map(run => Math.log2(Math.max(2, run.end_pfn - run.start_pfn)));
	const total = weights.reduce((sum, weight) => sum + weight, 0);
	const spare = width - runs.length;
	const shares = weights.map(weight => (spare * weight) / total);
	const widths = shares.map(share => 1 + Math.floor(share));
	// Largest remainder: hand the cells lost to rounding to the runs that lost most.
	let left = width - widths.reduce((sum, count) => sum + count, 0);
	const order = shares.map((share, index) => ({index, rest: share - Math.floor(share)})).sort((a, b) => b.rest - a.rest);
	for (const {index} of order) {
		if (left <= 0) {
			break;
		}

		widths[index]!++;
		left--;
	}

	const cells: MapCell[] = [];
	runs.forEach((run, index) => {
		const count = widths[index]!;
		const span = run.end_pfn - run.start_pfn;
		for (let k = 0; k < count; k++) {
			cells.push({
				start_pfn: run.start_pfn + Math.floor((span * k) / count),
				end_pfn: run.start_pfn + Math.floor((span * (k + 1)) / count),
				category: run.category,
				label: run.label,
				run_start: run.start_pfn,
				run_end: run.end_pfn,
			});
		}
	});
	return cells;
}

/** [start, end) of the linear view at `zoom` (≥ 1) around `center`. */
export function linearWindow(end: number, view: MapView): {start: number; end: number} {
	const span = Math.max(1, end / 4 ** (view.zoom - 1));
	const start = Math.min(Math.max(0, view.center - span / 2), Math.max(0, end - span));
	return {start, end: start + span};
}

function linearCells(map: readonly MapRegion[], width: number, view: MapView, failOn: ReadonlySet<CategoryId>): MapCell[] {
	const window = linearWindow(mapEnd(map), view);
	const step = (window.end - window.start) / width;
	const cells: MapCell[] = [];
	for (let k = 0; k < width; k++) {
		const start = Math.floor(window.start + step * k);
		const end = Math.max(start + 1, Math.floor(window.start + step * (k + 1)));
		let best: MapRegion | undefined;
		const held = new Set<CategoryId>();
		for (const region of map) {
			if (region.start_pfn < end && region.end_pfn > start) {
				held.add(region.category);
				if (!best || rank(region.category, failOn) < rank(best.category, failOn)) {
					best = region;
				}
			}
		}

		const mixed = held.size > 1 ? [...held].sort((a, b) => rank(a, failOn) - rank(b, failOn)) : undefined;
		cells.push({start_pfn: start, end_pfn: end, category: best?.category, label: best?.label ?? 'not present', run_start: start, run_end: end, ...(mixed ? {mixed} : {})});
	}

	return cells;
}

/** Lay the map out on `width` cells. */
export function mapCells(map: readonly MapRegion[], width: number, view: MapView, failOn: readonly CategoryId[]): MapCell[] {
	if (map.length === 0 || width <= 0) {
		return [];
	}

	const runs = runsOf(map);
	if (view.zoom === 0 && runs.length <= width) {
		return regionCells(runs, width);
	}

	return linearCells(map, width, {zoom: Math.max(1, view.zoom), center: view.center}, new Set(failOn));
}

/** Index of the cell holding `pfn`, or -1. Cells are sorted and contiguous. */
export function cellIndexOf(cells: readonly MapCell[], pfn: number): number {
	let low = 0;
	let high = cells.length - 1;
	while (low <= high) {
		const middle = Math.floor((low + high) / 2);
		const cell = cells[middle]!;
		if (pfn < cell.start_pfn) {
			high = middle - 1;
		} else if (pfn >= cell.end_pfn) {
			low = middle + 1;
		} else {
			return middle;
		}
	}

	return -1;
}

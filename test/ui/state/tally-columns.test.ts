import {describe, expect, it} from 'vitest';
import {columnOf, tallyLayout} from '../../../source/ui/state/tally-columns.js';

function rowWidth(width: number): number {
	const layout = tallyLayout(width);
	return (
		layout.markerWidth +
		layout.nameWidth +
		(layout.formWidth > 0 ? 1 + layout.formWidth : 0) +
		1 +
		layout.progressWidth +
		layout.columns.length * (1 + layout.cellWidth) +
		1 +
		layout.verdictWidth
	);
}

describe('tallyLayout', () => {
	it('never lays out a row wider than the terminal from 70 to 260 columns', () => {
		for (let width = 70; width <= 260; width++) {
			expect(rowWidth(width), `at ${width}`).toBeLessThanOrEqual(width);
		}
	});

	it('groups the hazards at 80 columns and splits them out, with ok and the form, at 200', () => {
		const narrow = tallyLayout(80);
		expect(narrow.columns.map(column => column.title)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'haz']);
		expect(narrow.formWidth).toBe(0);
		expect(columnOf(narrow, 'teardown')).toBe(5);
		const wide = tallyLayout(200);
		expect(wide.columns.map(column => column.title)).toEqual(['C1', 'C2', 'C3', 'C4', 'C5', 'meta', 'hole', 'nomap', 'tdown', 'unbck', 'oob', 'hvo', 'ok']);
		expect(wide.formWidth).toBeGreaterThan(20);
		expect(columnOf(wide, undefined)).toBe(-1);
	});
});

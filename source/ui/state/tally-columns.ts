/**
Which columns the tally table shows at a given width. Every width shows C1–C5; the further
hazards get a column each from 130 columns on and share one "haz" column from 78 (below that,
the detail pane's counts line is where they show); the `ok`
column and the walker's version form appear from 170 columns.
*/
import {CATEGORY_SHORT, type CategoryId, FIVE_CATEGORIES, HAZARDS} from '../../model/categories.js';

export type TallyColumn = {
	readonly title: string;
	/** Categories summed into this column (one, except the grouped hazards column). */
	readonly categories: readonly CategoryId[];
};

export type TallyLayout = {
	/** "▶ " before the name. */
	readonly markerWidth: number;
	readonly nameWidth: number;
	/** 0 = hidden. */
	readonly formWidth: number;
	readonly progressWidth: number;
	/** Count (5) + failing mark (1) + changed mark (1). */
	readonly cellWidth: number;
	readonly columns: readonly TallyColumn[];
	readonly verdictWidth: number;
};

/** Every category the cursor can select, in column order; index 0 of the cursor is "all". */
export const SELECTABLE_CATEGORIES: readonly CategoryId[] = [...FIVE_CATEGORIES, ...HAZARDS, 'ok'];

const CELL = 7;
const GAP = 1;

export function tallyLayout(width: number): TallyLayout {
	const single = (id: CategoryId): TallyColumn => ({title: CATEGORY_SHORT[id], categories: [id]});
	const wide = width >= 170;
	const medium = width >= 130;
	const columns: TallyColumn[] = [
		...FIVE_CATEGORIES.map(single),
		...(medium ? HAZARDS.map(single) : width >= 78 ? [{title: 'haz', categories: HAZARDS}] : []),
		...(wide ? [single('ok')] : []),
	];
	const markerWidth = 2;
	const verdictWidth = medium ? 7 : 5;
	const progressWidth = wide ? 15 : (medium ? 12 : 6);
	const fixed = markerWidth + progressWidth + GAP + columns.length * (CELL + GAP) + verdictWidth;
	const room = Math.max(8, width - fixed - GAP);
	const nameWidth = wide ? Math.min(34, Math.max(20, Math.floor(room * 0.45))) : Math.min(34, room);
	const formWidth = wide ? Math.max(0, room - nameWidth - GAP) : 0;
	return {markerWidth, nameWidth, formWidth, progressWidth, cellWidth: CELL, columns, verdictWidth};
}

/** The column showing `category` (the grouped hazards column when hazards share one). */
export function columnOf(layout: TallyLayout, category: CategoryId | undefined): number {
	if (category === undefined) {
		return -1;
	}

	return layout.columns.findIndex(column => column.categories.includes(category));
}

/**
The walker × category table of the text report, fitted to a column budget: category columns that
are zero for every walker are left out (and named below the table), counts are compacted to five
characters, a failing cell carries a `*`, a walker name too long for its column gets a line of
its own, and when the columns still do not fit the table is split into stacked parts.
*/
import type {WalkerResult} from '../engine/types.js';

/** What a row of the table needs (a WalkerResult, or a column of a comparison). */
export type TableRow = Pick<WalkerResult, 'name' | 'touches' | 'failing'>;
import {CATEGORY_IDS, CATEGORY_SHORT, type CategoryId} from '../model/categories.js';
import {compactCount, isFailingCell} from './common.js';
import {toAscii} from './escape.js';

export type Paint = (text: string, style: 'fail' | 'pass' | 'error' | 'dim' | 'bold') => string;

/** The narrowest a walker-name column may get before the table is split instead. */
const MIN_NAME_WIDTH = 16;

function cellText(walker: TableRow, id: CategoryId): {text: string; failing: boolean} {
	const count = walker.touches[id];
	const failing = isFailingCell(walker, id);
	// The marker column keeps numbers right-aligned whether or not they fail.
	return {text: count === 0 ? '. ' : `${compactCount(count)}${failing ? '*' : ' '}`, failing};
}

/** Categories with a touch by any walker. */
export function shownCategories(walkers: readonly TableRow[]): CategoryId[] {
	const shown = CATEGORY_IDS.filter(id => walkers.some(walker => walker.touches[id] > 0 || walker.failing[id] > 0));
	return shown.length === 0 ? ['ok'] : shown;
}

function columnWidth(walkers: readonly TableRow[], id: CategoryId): number {
	return Math.max(CATEGORY_SHORT[id].length + 1, ...walkers.map(walker => cellText(walker, id).text.length));
}

/** Split the columns into parts that each fit `width` beside a name column of `nameWidth`. */
function splitColumns(columns: readonly CategoryId[], widths: Map<CategoryId, number>, room: number): CategoryId[][] {
	const parts: CategoryId[][] = [];
	let part: CategoryId[] = [];
	let used = 0;
	for (const id of columns) {
		const needed = (widths.get(id) ?? 0) + 1;
		if (part.length > 0 && used + needed > room) {
			parts.push(part);
			part = [];
			used = 0;
		}

		part.push(id);
		used += needed;
	}

	if (part.length > 0) {
		parts.push(part);
	}

	return parts;
}

/**
The table as lines of at most `width` columns (SGR sequences from `paint` excluded). `walkers`
are the rows, in the order given.
*/
export function renderTable(walkers: readonly TableRow[], width: number, paint: Paint): string[] {
	const columns = shownCategories(walkers);
	const widths = new Map(columns.map(id => [id, columnWidth(walkers, id)] as const));
	const longestName = Math.max('walker'.length, ...walkers.map(walker => toAscii(walker.name).length));
	const allColumns = columns.reduce((sum, id) => sum + (widths.get(id) ?? 0) + 1, 0);
	const nameWidth = Math.min(longestName, Math.max(MIN_NAME_WIDTH, width - allColumns));
	const parts = splitColumns(columns, widths, width - nameWidth);
	const lines: string[] = [];
	for (const [index, part] of parts.entries()) {
		if (index > 0) {
			lines.push('');
		}

		const header = 'walker'.padEnd(nameWidth) + part.map(id => ` ${`${CATEGORY_SHORT[id]} `.padStart(widths.get(id) ?? 0)}`).join('');
		lines.push(paint(header.trimEnd(), 'bold'));
		for (const walker of walkers) {
			const name = toAscii(walker.name);
			const cells = part
				.map(id => {
					const cell = cellText(walker, id);
					const padded = cell.text.padStart(widths.get(id) ?? 0);
					return ` ${cell.failing ? paint(padded, 'fail') : padded}`;
				})
				.join('');
			if (name.length > nameWidth) {
				for (let start = 0; start < name.length; start += width) {
					lines.push(name.slice(start, start + width));
				}

				lines.push(`${' '.repeat(nameWidth)}${cells}`.trimEnd());
			} else {
				lines.push(`${name.padEnd(nameWidth)}${cells}`.trimEnd());
			}
		}
	}

	const hidden = CATEGORY_IDS.filter(id => !columns.includes(id));
	if (hidden.length > 0) {
		lines.push(`(zero for every walker: ${hidden.map(id => CATEGORY_SHORT[id]).join(' ')})`);
	}

	return lines;
}

/**
How the terminal's rows are shared between the panes. The frame is one row shorter than the
terminal: ink 6.8 clears the whole screen on every frame once the output reaches the terminal
height (ink.js onRender, `lastOutputHeight >= stdout.rows`), which flickers.
*/

export const MIN_COLUMNS = 70;
export const MIN_ROWS = 12;

export type Layout = {
	readonly tooSmall: boolean;
	readonly width: number;
	/** Rows of the whole frame (terminal rows − 1). */
	readonly height: number;
	readonly header: number;
	/** 0 when the terminal is too short for the map. */
	readonly map: number;
	readonly tally: number;
	readonly detail: number;
	/** Rows for overlays (help, choosers, explain): everything between header and key bar. */
	readonly body: number;
	/** Rows of model notes at the bottom of the header (counted in `header`); 0 without notes. */
	readonly notes: number;
};

/** Rows the model notes may take: 3 from 40 rows, 2 from 24, 1 from 16, none below (`?` lists them all). */
function noteRowsFor(rows: number): number {
	return rows >= 40 ? 3 : rows >= 24 ? 2 : rows >= 16 ? 1 : 0;
}

/**
Rows the witnesses pane needs for `witnessCount` witnesses: title, models, counts, the list, and
the selected witness's sentence in full (DetailPane).
*/
export function detailRowsFor(witnessCount: number): number {
	return witnessCount === 0 ? 4 : 3 + witnessCount + 3;
}

/**
`noteLines`: the wrapped lines the model notes would take in full (format.ts noteLines()).
`witnessCount`: witnesses of the selected walker (undefined: as many as fill the pane). The
tally comes first: it gets a row per walker; the witnesses pane gets what it needs up to a few
rows (8 from 24 pane rows, 40% below), more only when every walker has its row.
*/
export function computeLayout(columns: number, rows: number, walkerCount: number, noteLines = 0, witnessCount?: number): Layout {
	const width = Math.max(1, columns);
	const height = Math.max(1, rows - 1);
	const tooSmall = columns < MIN_COLUMNS || rows < MIN_ROWS;
	const notes = Math.min(noteLines, noteRowsFor(rows));
	const header = (rows >= 40 ? 3 : 2) + notes;
	const map = rows >= 40 ? 5 : (rows >= 20 ? 4 : 0);
	const body = Math.max(0, height - header - 1);
	const panes = Math.max(0, body - map);
	const need = witnessCount === undefined ? Number.POSITIVE_INFINITY : detailRowsFor(witnessCount);
	const floor = panes >= 24 ? 8 : Math.max(5, Math.floor(panes * 0.4));
	let detail = Math.min(panes, Math.max(panes - (walkerCount + 2), Math.min(need, floor)));
	let tally = panes - detail;
	if (tally < 4 || detail < 3) {
		tally = Math.min(panes, Math.max(4, tally));
		detail = panes - tally;
	}

	if (detail < 3) {
		tally = panes;
		detail = 0;
	}

	return {tooSmall, width, height, header, map, tally, detail, body, notes};
}

/**
`pfnaudit compare` output: text (80 columns, ready for a mail), md, json and html, each a pure
function of Comparisons (compare.ts).

JSON (README.md, Commands): one comparison is one object,
	{"schema": "pfnaudit-compare/1", "topology": {"name", "file"}, "arch",
	 "columns": [{"kernel", "patches", "verdict"}],
	 "walkers": [{"name", "touches": [{<category id>: n, ...} one per column],
	              "verdicts": [...], "forms": [...], "deltas": [{<category id>: n} one per column]}]}
`touches` carries every category key; `deltas[i]` is column i minus column 0 and lists only the
categories that differ (empty for column 0 and for columns equal to it). Several topologies give
`{"schema": "pfnaudit-compare/1", "comparisons": [...]}`.
*/
import type {Tally} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_SHORT, CATEGORY_TITLES, type CategoryId} from '../model/categories.js';
import {compactCount} from '../report/common.js';
import {htmlText, mdCode, mdText, toAscii} from '../report/escape.js';
import {renderTable} from '../report/text-table.js';
import {TOOL_VERSION} from '../paths.js';
import {type Comparison, type ComparisonRow, nonZero} from './compare.js';

export const COMPARE_FORMATS = ['text', 'md', 'json', 'html'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];
export const COMPARE_SCHEMA = 'pfnaudit-compare/1';

export function renderComparisons(comparisons: readonly Comparison[], format: CompareFormat, columns = 80): string {
	switch (format) {
		case 'json': {
			return renderJson(comparisons);
		}

		case 'md': {
			return comparisons.map(comparison => renderMarkdown(comparison)).join('\n');
		}

		case 'html': {
			return renderHtml(comparisons);
		}

		case 'text': {
			return comparisons.map(comparison => renderText(comparison, columns)).join('\n');
		}
	}
}

// ---------------------------------------------------------------------------------------------
// JSON

function sparse(tally: Tally): Partial<Tally> {
	return Object.fromEntries(nonZero(tally).map(id => [id, tally[id]]));
}

export function toJsonComparison(comparison: Comparison) {
	return {
		schema: COMPARE_SCHEMA,
		tool: {name: 'pfnaudit', version: TOOL_VERSION},
		topology: comparison.topology,
		arch: comparison.arch,
		columns: comparison.columns.map(column => ({kernel: column.kernel, patches: column.patches, verdict: column.verdict})),
		walkers: comparison.walkers.map(row => ({
			name: row.name,
			touches: row.touches.map(tally => Object.fromEntries(CATEGORY_IDS.map(id => [id, tally[id]]))),
			verdicts: row.verdicts,
			forms: row.forms,
			deltas: row.deltas.map(delta => sparse(delta)),
		})),
	};
}

function renderJson(comparisons: readonly Comparison[]): string {
	const body = comparisons.length === 1 ? toJsonComparison(comparisons[0]!) : {schema: COMPARE_SCHEMA, comparisons: comparisons.map(c => toJsonComparison(c))};
	return `${JSON.stringify(body, null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// What differs

/** One line of the difference table: a walker's category (or its verdict) across the columns. */
export type DifferenceLine = {
	readonly walker: string;
	/** A category id, or "verdict". */
	readonly what: CategoryId | 'verdict';
	readonly values: readonly string[];
	/** Signed change of the last column against the first (categories only). */
	readonly delta?: number;
};

/** Every count and verdict that differs between the columns, walker by walker. */
export function differenceLines(comparison: Comparison): DifferenceLine[] {
	const lines: DifferenceLine[] = [];
	for (const row of comparison.walkers) {
		if (!row.changed) {
			continue;
		}

		if (row.verdicts.some(verdict => verdict !== row.verdicts[0])) {
			lines.push({walker: row.name, what: 'verdict', values: row.verdicts});
		}

		for (const id of differingCategories(row)) {
			lines.push({walker: row.name, what: id, values: row.touches.map(tally => String(tally[id])), delta: row.deltas.at(-1)![id]});
		}
	}

	return lines;
}

function differingCategories(row: ComparisonRow): CategoryId[] {
	return CATEGORY_IDS.filter(id => row.deltas.some(delta => delta[id] !== 0));
}

function signed(n: number): string {
	return n > 0 ? `+${compactCount(n)}` : n < 0 ? `-${compactCount(-n)}` : '0';
}

// ---------------------------------------------------------------------------------------------
// Text

function renderText(comparison: Comparison, width: number): string {
	const lines: string[] = [];
	const {columns} = comparison;
	lines.push(toAscii(`pfnaudit compare: ${comparison.topology.name} (${comparison.arch}), ${columns.length} columns`));
	const labelWidth = Math.max(...columns.map(column => column.label.length));
	for (const [i, column] of columns.entries()) {
		lines.push(toAscii(`  [${i + 1}] ${column.label.padEnd(labelWidth)}  ${column.verdict.toUpperCase()}`));
	}

	for (const [i, column] of columns.entries()) {
		lines.push('', toAscii(`[${i + 1}] ${column.label}: touches per walker and category (* failing)`));
		const rows = comparison.walkers.map(row => ({name: row.name, touches: row.touches[i]!, failing: row.failing[i]!}));
		lines.push(...renderTable(rows, width, text => text));
	}

	lines.push('', columns.length === 2 ? 'Differences, [2] against [1]:' : 'Differences between the columns:');
	const diff = differenceLines(comparison);
	if (diff.length === 0) {
		lines.push('  none: every walker has the same counts and verdict in every column');
	} else {
		const nameWidth = Math.min(34, Math.max('walker'.length, ...diff.map(line => line.walker.length)));
		const cell = Math.max(6, ...diff.flatMap(line => line.values.map(value => compactValue(value).length + 1)));
		const header = `${'walker'.padEnd(nameWidth)} ${'cat'.padEnd(7)}${columns.map((_, i) => `[${i + 1}]`.padStart(cell)).join('')}${columns.length === 2 ? 'delta'.padStart(8) : ''}`;
		lines.push(header.trimEnd());
		let previous = '';
		for (const line of diff) {
			const name = line.walker === previous ? '' : line.walker;
			previous = line.walker;
			const what = line.what === 'verdict' ? 'verdict' : CATEGORY_SHORT[line.what];
			const values = line.values.map(value => compactValue(value).padStart(cell)).join('');
			const delta = columns.length === 2 && line.delta !== undefined ? signed(line.delta).padStart(8) : '';
			const text = `${toAscii(name).padEnd(nameWidth)} ${what.padEnd(7)}${values}${delta}`;
			lines.push(text.trimEnd());
		}
	}

	const unchanged = comparison.walkers.filter(row => !row.changed).length;
	if (unchanged > 0 && diff.length > 0) {
		lines.push(`(${unchanged} walker${unchanged === 1 ? '' : 's'} unchanged)`);
	}

	return `${lines.join('\n')}\n`;
}

function compactValue(value: string): string {
	return /^\d+$/.test(value) ? compactCount(Number(value)) : value;
}

// ---------------------------------------------------------------------------------------------
// Markdown

function mdTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, numeric: (column: number) => boolean): string[] {
	return [
		`| ${header.join(' | ')} |`,
		`|${header.map((_, i) => (numeric(i) ? '---:' : ':---')).join('|')}|`,
		...rows.map(row => `| ${row.join(' | ')} |`),
	];
}

function shownIn(comparison: Comparison, column: number): CategoryId[] {
	const shown = CATEGORY_IDS.filter(id => comparison.walkers.some(row => row.touches[column]![id] > 0));
	return shown.length === 0 ? ['ok'] : shown;
}

function renderMarkdown(comparison: Comparison): string {
	const out: string[] = [];
	out.push(`## pfnaudit compare: ${mdCode(comparison.topology.name)} (${comparison.arch})`, '');
	out.push(...comparison.columns.map((column, i) => `${i + 1}. ${mdText(column.label)}: **${column.verdict}**`), '');
	for (const [i, column] of comparison.columns.entries()) {
		out.push(`### [${i + 1}] ${mdText(column.label)}`, '');
		const shown = shownIn(comparison, i);
		const rows = comparison.walkers.map(row => [
			mdCode(row.name),
			...shown.map(id => {
				const count = row.touches[i]![id];
				return count === 0 ? '.' : row.failing[i]![id] > 0 ? `**${count}**` : String(count);
			}),
			row.verdicts[i]!,
		]);
		out.push(...mdTable(['walker', ...shown.map(id => id), 'verdict'], rows, c => c > 0 && c <= shown.length), '');
	}

	out.push(comparison.columns.length === 2 ? '### Differences, [2] against [1]' : '### Differences between the columns', '');
	const diff = differenceLines(comparison);
	if (diff.length === 0) {
		out.push('None: every walker has the same counts and verdict in every column.', '');
	} else {
		const two = comparison.columns.length === 2;
		const rows = diff.map(line => [mdCode(line.walker), line.what, ...line.values, ...(two ? [line.delta === undefined ? '' : signed(line.delta)] : [])]);
		out.push(...mdTable(['walker', 'category', ...comparison.columns.map((_, i) => `[${i + 1}]`), ...(two ? ['delta'] : [])], rows, c => c >= 2), '');
	}

	return `${out.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// HTML

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 0 auto; max-width: 84rem; padding: 1rem 1.5rem 3rem; color: #212121; }
code, td.num { font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #cfd8dc; margin-top: 2rem; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #cfd8dc; padding: 0.15rem 0.5rem; }
th { background: #eceff1; } td.num { text-align: right; } td.zero { color: #90a4ae; }
td.fail, .fail { color: #b71c1c; font-weight: 700; } .pass { color: #1b5e20; }
td.up { background: #ffebee; } td.down { background: #e8f5e9; }
`;

function htmlCell(count: number, failing: boolean): string {
	return count === 0 ? '<td class="num zero">.</td>' : `<td class="num${failing ? ' fail' : ''}">${count}</td>`;
}

function htmlComparison(comparison: Comparison): string {
	const out: string[] = [];
	out.push(`<section><h2>${htmlText(comparison.topology.name)} (${htmlText(comparison.arch)})</h2>`, '<ol>');
	for (const column of comparison.columns) {
		out.push(`<li>${htmlText(column.label)}: <span class="${column.verdict}">${column.verdict}</span></li>`);
	}

	out.push('</ol>');
	for (const [i, column] of comparison.columns.entries()) {
		const shown = shownIn(comparison, i);
		out.push(`<h3>[${i + 1}] ${htmlText(column.label)}</h3>`, '<table>');
		out.push(`<tr><th>walker</th>${shown.map(id => `<th title="${htmlText(CATEGORY_TITLES[id])}">${id}</th>`).join('')}<th>verdict</th></tr>`);
		for (const row of comparison.walkers) {
			const cells = shown.map(id => htmlCell(row.touches[i]![id], row.failing[i]![id] > 0)).join('');
			out.push(`<tr><td><code>${htmlText(row.name)}</code></td>${cells}<td class="${row.verdicts[i]}">${row.verdicts[i]}</td></tr>`);
		}

		out.push('</table>');
	}

	const diff = differenceLines(comparison);
	out.push('<h3>Differences</h3>');
	if (diff.length === 0) {
		out.push('<p>None: every walker has the same counts and verdict in every column.</p>');
	} else {
		out.push('<table>', `<tr><th>walker</th><th>category</th>${comparison.columns.map((_, i) => `<th>[${i + 1}]</th>`).join('')}<th>last − first</th></tr>`);
		for (const line of diff) {
			const delta = line.delta === undefined ? '<td></td>' : `<td class="num ${line.delta > 0 ? 'up' : 'down'}">${signed(line.delta)}</td>`;
			out.push(`<tr><td><code>${htmlText(line.walker)}</code></td><td>${line.what}</td>${line.values.map(value => `<td class="num">${htmlText(value)}</td>`).join('')}${delta}</tr>`);
		}

		out.push('</table>');
	}

	out.push('</section>');
	return out.join('\n');
}

function renderHtml(comparisons: readonly Comparison[]): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en"><head><meta charset="utf-8" />',
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />`,
		'<title>pfnaudit compare</title>',
		`<style>${STYLE}</style></head><body>`,
		`<h1>pfnaudit compare</h1>`,
		...comparisons.map(comparison => htmlComparison(comparison)),
		'</body></html>',
		'',
	].join('\n');
}

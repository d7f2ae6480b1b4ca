import {Box, Text} from 'ink';
import React from 'react';
import type {CategoryId} from '../../model/categories.js';
import {fit, fitRight, formatCount, formatDelta} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import {type Baseline, groupDelta, verdictChange} from '../state/deltas.js';
import {windowStart} from '../state/list-window.js';
import type {WalkerRow} from '../state/run-store.js';
import {columnOf, type TallyColumn, type TallyLayout} from '../state/tally-columns.js';
import type {Glyphs} from '../theme.js';
import PaneTitle from './PaneTitle.js';

export type TallyTableProps = {
	/** Rows to show (already filtered), in the engine's order. */
	readonly rows: readonly WalkerRow[];
	readonly totalRows: number;
	readonly selected: string | undefined;
	/** undefined = all categories. */
	readonly category: CategoryId | undefined;
	readonly layout: TallyLayout;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly baseline?: Baseline;
	/** Cells show the signed change against the baseline instead of the count. */
	readonly showDeltas: boolean;
	readonly filter: string;
	/** How `rows` are sorted (the title says so). Default walk order. */
	readonly order?: 'failing' | 'walk';
	/** What the empty table says while the audit loads ("building the model of 10,000 entries"); default "waiting for the engine". */
	readonly waiting?: string;
};

function sum(row: WalkerRow, column: TallyColumn, what: 'touches' | 'failing'): number {
	return column.categories.reduce((total, id) => total + row[what][id], 0);
}

/**
What a cell shows: its count, and whether that count is failing. A column of one category shows
its touches, failing or not. The grouped hazards column ("haz", under 130 columns) holds failing
and non-failing categories (1024 nomap touches of a mapped range, 2 failing oob): it shows the
failing part when there is one (2!), else the non-failing sum; the witnesses pane's counts line
has each category.
*/
export function cellCount(row: WalkerRow, column: TallyColumn): {count: number; failing: boolean} {
	const failing = sum(row, column, 'failing');
	if (column.categories.length > 1 && failing > 0) {
		return {count: failing, failing: true};
	}

	return {count: sum(row, column, 'touches'), failing: failing > 0};
}

function progressText(row: WalkerRow, width: number, glyphs: Glyphs): {text: string; color?: string} {
	// `short` for the 6-column progress cell of narrow terminals: "timeo…" read like a typo.
	const words: Partial<Record<WalkerRow['status'], {text: string; short?: string; color: string}>> = {
		pending: {text: 'queued', color: 'gray'},
		absent: {text: 'absent', color: 'gray'},
		threw: {text: 'threw', color: 'magenta'},
		timeout: {text: 'timeout', short: 't/out', color: 'magenta'},
		malformed: {text: 'malformed', short: 'malfrm', color: 'magenta'},
		cancelled: {text: 'cancelled', short: 'cancel', color: 'yellow'},
	};
	const word = words[row.status];
	if (word) {
		const text = word.short !== undefined && word.text.length > width ? word.short : word.text;
		return {text: fit(text, width, glyphs.ellipsis), color: word.color};
	}

	const percent = `${Math.floor(row.fraction * 100)}%`.padStart(5);
	const barWidth = width >= 10 ? width - percent.length : width;
	const full = Math.round(row.fraction * barWidth);
	const bar = glyphs.bar.repeat(full) + glyphs.barEmpty.repeat(barWidth - full);
	return {text: width >= 10 ? bar + percent : bar, ...(row.status === 'ok' ? {color: 'green'} : {})};
}

function verdictText(row: WalkerRow): {text: string; color: string} {
	switch (row.verdict) {
		case 'fail': {
			return {text: 'FAIL', color: 'red'};
		}

		case 'pass': {
			return {text: row.status === 'absent' ? 'n/a' : 'pass', color: row.status === 'absent' ? 'gray' : 'green'};
		}

		case 'error': {
			return {text: 'ERR', color: 'magenta'};
		}

		case 'pending': {
			return {text: '...', color: 'gray'};
		}
	}
}

type RowProps = {row: WalkerRow; selected: boolean; selectedColumn: number} & Pick<TallyTableProps, 'layout' | 'baseline' | 'showDeltas'>;

/**
One walker's row. Memoized: a cursor move changes the props of two rows (the row objects are the
run's snapshot, the same until the next tally update), so only those two are drawn again.
*/
const Row = React.memo(function Row(props: RowProps) {
	const {glyphs} = useTheme();
	const {row, layout, baseline} = props;
	const progress = progressText(row, layout.progressWidth, glyphs);
	const verdict = verdictText(row);
	const previous = verdictChange(baseline, row);
	return (
		<Text wrap="truncate">
			<Text color="cyan">{props.selected ? `${glyphs.pointer} ` : '  '}</Text>
			<Text bold={props.selected}>{fit(row.name, layout.nameWidth, glyphs.ellipsis)}</Text>
			{layout.formWidth > 0 ? <Text dimColor> {fit(row.form, layout.formWidth, glyphs.ellipsis)}</Text> : null}
			<Text color={progress.color}> {fit(progress.text, layout.progressWidth, glyphs.ellipsis)}</Text>
			{layout.columns.map((column, index) => {
				const {count, failing} = cellCount(row, column);
				const delta = groupDelta(baseline, row, column.categories);
				const value = props.showDeltas ? (delta === undefined ? '' : formatDelta(delta)) : count === 0 ? '.' : formatCount(count);
				const changed = delta === undefined || delta === 0 ? ' ' : delta > 0 ? glyphs.up : glyphs.down;
				const selectedCell = props.selected && index === props.selectedColumn;
				return (
					<Text key={column.title}>
						{' '}
						<Text inverse={selectedCell} color={failing ? 'red' : count === 0 ? 'gray' : undefined} bold={failing}>
							{fitRight(value, layout.cellWidth - 2, glyphs.ellipsis)}
							{failing ? '!' : ' '}
						</Text>
						<Text color="yellow">{changed}</Text>
					</Text>
				);
			})}
			<Text> </Text>
			<Text bold color={verdict.color}>
				{fit(verdict.text + (previous ? (row.verdict === 'fail' ? glyphs.up : glyphs.down) : ''), layout.verdictWidth, glyphs.ellipsis)}
			</Text>
		</Text>
	);
});

/**
One row per walker, one column per category; counts update live, failing cells carry "!",
changed cells an arrow (with `d`, the signed change itself). Rows come sorted by the caller (failing first or walk order) and never move while counts change otherwise.
*/
export default function TallyTable(props: TallyTableProps) {
	const {glyphs} = useTheme();
	const {layout, rows, width} = props;
	const selectedColumn = columnOf(layout, props.category);
	const bodyHeight = Math.max(0, props.height - 2);
	const cursor = Math.max(0, rows.findIndex(row => row.name === props.selected));
	const first = windowStart(rows.length, cursor, bodyHeight);
	const visible = rows.slice(first, first + bodyHeight);
	const failing = rows.filter(row => row.verdict === 'fail').length;
	const errors = rows.filter(row => row.verdict === 'error').length;
	// Finished walkers, while some still run: a narrow terminal shows only a few rows, and the
	// walk goes on below them.
	const finished = rows.filter(row => row.status !== 'pending' && row.status !== 'running').length;
	const info = [
		`${rows.length}${rows.length === props.totalRows ? '' : `/${props.totalRows}`} walkers`,
		...(finished < rows.length ? [`${finished} done`] : []),
		`${failing} failing`,
		...(errors > 0 ? [`${errors} error`] : []),
		...(props.filter ? [`filter "${props.filter}"`] : []),
		...(props.order === 'failing' ? ['failing first'] : []),
		...(props.baseline ? [props.showDeltas ? `${glyphs.delta} shown` : `d: show ${glyphs.delta}`] : []),
		...(rows.length > bodyHeight ? [`${first + 1}-${first + visible.length} of ${rows.length}`] : []),
	].join(` ${glyphs.dot} `);
	const headerCells = layout.columns.map((column, index) => {
		// Brackets mark the selected column without colour; they may use the marks' position.
		return index === selectedColumn ? ` ${fitRight(`[${column.title}]`, layout.cellWidth, glyphs.ellipsis)}` : ` ${fitRight(column.title, layout.cellWidth - 1, glyphs.ellipsis)} `;
	});
	return (
		<Box flexDirection="column" width={width} height={props.height}>
			<PaneTitle title="Tally" info={info} width={width} focused={props.focused} />
			<Text wrap="truncate" bold>
				{'  '}
				{fit('walker', layout.nameWidth, glyphs.ellipsis)}
				{layout.formWidth > 0 ? ` ${fit('form in use', layout.formWidth, glyphs.ellipsis)}` : ''}
				{` ${fit(layout.progressWidth >= 8 ? 'progress' : 'prog.', layout.progressWidth, glyphs.ellipsis)}`}
				{headerCells.join('')}
				{` ${fit(layout.verdictWidth >= 7 ? 'verdict' : 'vrdct', layout.verdictWidth, glyphs.ellipsis)}`}
			</Text>
			{visible.length === 0 ? (
				<Text dimColor wrap="truncate">
					{props.filter ? `  no walker matches "${props.filter}" (Esc clears the filter)` : `  ${props.waiting ?? 'waiting for the engine'}${glyphs.ellipsis}`}
				</Text>
			) : (
				visible.map(row => (
					<Row
						key={row.name}
						row={row}
						selected={row.name === props.selected}
						selectedColumn={selectedColumn}
						layout={layout}
						baseline={props.baseline}
						showDeltas={props.showDeltas}
					/>
				))
			)}
		</Box>
	);
}

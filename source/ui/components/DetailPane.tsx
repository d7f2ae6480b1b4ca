import {Box, Text} from 'ink';
import React from 'react';
import type {Witness} from '../../engine/types.js';
import {CATEGORY_IDS, CATEGORY_SHORT, type CategoryId} from '../../model/categories.js';
import {hex} from '../../model/geometry.js';
import {fit, formatCount, wrapText} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import {windowStart} from '../state/list-window.js';
import type {WalkerRow} from '../state/run-store.js';
import PaneTitle from './PaneTitle.js';

/** 'sec 0x200000': section numbers in hex, as the reports and the engine's sentences write them. */
const SECTION_WIDTH = 12;

export type DetailPaneProps = {
	readonly row: WalkerRow | undefined;
	/** undefined = witnesses of every category. */
	readonly category: CategoryId | undefined;
	/** The witnesses shown (the row's, filtered by category by the caller). */
	readonly witnesses: readonly Witness[];
	readonly cursor: number;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
};

/** wrapText(), the last line ending in `ellipsis` when the text needs more than `lines`. */
function wrapCut(text: string, width: number, lines: number, ellipsis: string): string[] {
	const all = wrapText(text, width, Number.POSITIVE_INFINITY);
	if (all.length <= lines) {
		return all;
	}

	const shown = all.slice(0, lines);
	shown[lines - 1] = `${shown[lines - 1]!.slice(0, Math.max(0, width - ellipsis.length)).trimEnd()}${ellipsis}`;
	return shown;
}

/**
The selected walker's counts per category and its witnesses (pfn, section, category, call chain,
why), windowed: only the visible slice of a list of thousands is rendered.
*/
export default function DetailPane(props: DetailPaneProps) {
	const {glyphs} = useTheme();
	const {row, width, witnesses} = props;
	if (!row) {
		return (
			<Box flexDirection="column" width={width} height={props.height}>
				<PaneTitle title="Witnesses" width={width} focused={props.focused} />
				<Text dimColor>  select a walker</Text>
			</Box>
		);
	}

	const scope = props.category ?? 'all categories';
	const selected = witnesses[props.cursor];
	// The selected witness's sentence in full under the list (list rows cut it to the width): 3
	// lines from 12 rows, 2 from 8 or while the pane has the focus.
	const whyMax = props.height >= 12 ? 3 : props.height >= 8 || props.focused ? 2 : 0;
	const whyLines = whyMax > 0 && selected ? wrapCut(`why: ${selected.why}`, width - 2, whyMax, glyphs.ellipsis) : [];
	const errorLines = row.error ? wrapText(`${row.status}: ${row.error}`, width - 2, 2) : [];
	// The models line gives way first when the pane is short.
	const showModels = props.height - 3 - whyLines.length - errorLines.length >= 2;
	const listHeight = Math.max(0, props.height - (showModels ? 3 : 2) - whyLines.length - errorLines.length);
	const first = windowStart(witnesses.length, props.cursor, listHeight);
	const visible = witnesses.slice(first, first + listHeight);
	const position = witnesses.length > 0 ? `${props.cursor + 1} of ${witnesses.length}` : 'none';
	const counts = CATEGORY_IDS.filter(id => row.touches[id] > 0 || id === props.category);
	const pfnWidth = Math.max(10, ...visible.map(witness => hex(witness.pfn).length));
	// Below 100 columns the why (which names the innermost function) gets the room.
	const chainWidth = width < 100 ? 0 : Math.min(40, Math.max(12, Math.floor((width - pfnWidth - 20) * 0.3)));
	return (
		<Box flexDirection="column" width={width} height={props.height}>
			<PaneTitle title={`Witnesses ${glyphs.dot} ${row.name} ${glyphs.dot} ${scope}`} info={position} width={width} focused={props.focused} />
			{showModels ? (
				<Text wrap="truncate" dimColor>
					{fit(`  ${row.models}${row.form ? `  ${glyphs.dot} form ${row.form}` : ''}`, width, glyphs.ellipsis)}
				</Text>
			) : null}
			<Text wrap="truncate">
				{'  '}
				{counts.length === 0 ? <Text dimColor>no touches yet</Text> : null}
				{counts.map(id => (
					<Text key={id} color={row.failing[id] > 0 ? 'red' : undefined} inverse={id === props.category}>
						{CATEGORY_SHORT[id]} {formatCount(row.touches[id])}
						{row.failing[id] > 0 ? '!' : ''}
						{row.writes[id] > 0 ? 'w' : ''}{' '}
					</Text>
				))}
			</Text>
			{errorLines.map(line => (
				<Text key={line} color="magenta" wrap="truncate">
					{'  '}
					{line}
				</Text>
			))}
			{listHeight === 0 ? null : visible.length === 0 ? (
				<Text dimColor wrap="truncate">
					{`  no witnesses${props.category ? ` in ${props.category}` : ''}${row.status === 'running' ? ' yet' : ''}`}
				</Text>
			) : (
				visible.map((witness, offset) => {
					const index = first + offset;
					const isCursor = index === props.cursor;
					return (
						<Text key={index} wrap="truncate" inverse={isCursor && props.focused}>
							<Text color="cyan">{isCursor ? `${glyphs.pointer} ` : '  '}</Text>
							{fit(hex(witness.pfn), pfnWidth, glyphs.ellipsis)} {fit(`sec ${hex(witness.section_nr)}`, SECTION_WIDTH, glyphs.ellipsis)}{' '}
							<Text color={witness.failing ? 'red' : undefined}>{fit(CATEGORY_SHORT[witness.category] + (witness.failing ? '!' : ''), 6, glyphs.ellipsis)}</Text>{' '}
							{chainWidth > 0 ? <Text dimColor>{fit(witness.chain.join(glyphs.chain.trim()), chainWidth, glyphs.ellipsis)} </Text> : null}
							{fit(witness.why, Math.max(0, width - (2 + pfnWidth + 1 + SECTION_WIDTH + 1 + 6 + 1 + (chainWidth > 0 ? chainWidth + 1 : 0))), glyphs.ellipsis)}
						</Text>
					);
				})
			)}
			{whyLines.map((line, index) => (
				<Text key={`why${index}`} wrap="truncate" color="yellow">
					{'  '}
					{line}
				</Text>
			))}
		</Box>
	);
}

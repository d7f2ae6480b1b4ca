import {Box, Text} from 'ink';
import React, {useMemo} from 'react';
import type {MapRegion} from '../../engine/types.js';
import {CATEGORY_SHORT, type CategoryId} from '../../model/categories.js';
import {hex} from '../../model/geometry.js';
import {fit, formatCount} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import {cellIndexOf, linearWindow, type MapCell, mapCells, mapEnd, type MapView} from '../state/map-cells.js';
import {CATEGORY_COLOR, CATEGORY_FOREGROUND, MAP_GLYPH, MIXED_GLYPH} from '../theme.js';
import PaneTitle from './PaneTitle.js';

export type MemoryMapProps = {
	readonly map: readonly MapRegion[];
	readonly failOn: readonly CategoryId[];
	readonly width: number;
	/** 4 rows (title, strip, touches, legend) or 5 (plus an address axis). */
	readonly height: number;
	readonly view: MapView;
	/** The pfn under the map cursor. */
	readonly cursorPfn: number;
	readonly focused: boolean;
	/** pfns of the selected walker's witnesses (in the selected category), to highlight. */
	readonly touches: readonly number[];
	/** "read_page_owner C5" */
	readonly touchLabel: string;
};

type Segment = {text: string; category: CategoryId | undefined; cursor: boolean; mixed: boolean};

/** Consecutive cells of one category become one <Text>: a 200-column strip is a handful of nodes. */
function segmentsOf(cells: readonly MapCell[], cursor: number): Segment[] {
	const segments: Segment[] = [];
	cells.forEach((cell, index) => {
		const mixed = cell.mixed !== undefined;
		const glyph = mixed ? MIXED_GLYPH : cell.category ? MAP_GLYPH[cell.category] : ' ';
		const last = segments.at(-1);
		const isCursor = index === cursor;
		if (last && !isCursor && !last.cursor && last.category === cell.category && last.mixed === mixed) {
			last.text += glyph;
		} else {
			segments.push({text: glyph, category: cell.category, cursor: isCursor, mixed});
		}
	});
	return segments;
}

/**
The physical address space as a strip of cells coloured (and lettered) by category, the
selected walker's witnesses marked under it, a legend, and the region under the cursor.
*/
export default function MemoryMap(props: MemoryMapProps) {
	const {glyphs} = useTheme();
	const {width, map, view} = props;
	const cells = useMemo(() => mapCells(map, width, view, props.failOn), [map, width, view, props.failOn]);
	const cursor = cellIndexOf(cells, props.cursorPfn);
	const touched = useMemo(() => {
		const marks = new Set<number>();
		for (const pfn of props.touches) {
			const index = cellIndexOf(cells, pfn);
			if (index >= 0) {
				marks.add(index);
			}
		}

		return marks;
	}, [cells, props.touches]);
	const under = cells[cursor];
	const mode = view.zoom === 0 ? 'regions (log widths)' : `linear x${4 ** (view.zoom - 1)}`;
	const category = under?.category ?? 'absent';
	const count = under ? under.run_end - under.run_start : 0;
	const what = under?.mixed ? `mixed: ${under.mixed.map(id => CATEGORY_SHORT[id]).join(' ')}` : under?.label === category ? category : `${category} ${under?.label ?? ''}`;
	const info = under ? `${mode} ${glyphs.dot} ${what} [${hex(under.run_start)}, ${hex(under.run_end)}) ${formatCount(count)} ${count === 1 ? 'pfn' : 'pfns'}` : mode;
	const anyMixed = cells.some(cell => cell.mixed !== undefined);
	// Once per map, not per frame: a 10 000-entry topology has as many regions, and every cursor
	// move draws the map again (its witnesses' marks change).
	const present = useMemo(() => [...new Set(map.map(region => region.category))], [map]);
	const end = useMemo(() => mapEnd(map), [map]);
	const touchLine =
		touched.size > 0
			? cells.map((_, index) => (touched.has(index) ? glyphs.touch : ' ')).join('')
			: fit(props.touchLabel ? `  no witnesses of ${props.touchLabel} to mark` : '', width, glyphs.ellipsis);
	const window = view.zoom === 0 ? {start: 0, end} : linearWindow(end, view);
	const left = `pfn ${hex(Math.floor(window.start))}`;
	const rightLabel = `pfn ${hex(Math.ceil(window.end))}`;
	return (
		<Box flexDirection="column" width={width} height={props.height}>
			<PaneTitle title="Map" info={info} width={width} focused={props.focused} />
			<Text wrap="truncate">
				{segmentsOf(cells, cursor).map((segment, index) => (
					<Text
						key={index}
						inverse={segment.cursor}
						color={segment.category ? CATEGORY_FOREGROUND[segment.category] : undefined}
						backgroundColor={segment.category ? CATEGORY_COLOR[segment.category] : undefined}
					>
						{segment.text}
					</Text>
				))}
			</Text>
			<Text wrap="truncate" color="cyan">
				{touchLine}
			</Text>
			{props.height >= 5 ? (
				<Text wrap="truncate" dimColor>
					{left + rightLabel.padStart(Math.max(0, width - left.length))}
				</Text>
			) : null}
			<Text wrap="truncate">
				{present.map(category => (
					<Text key={category}>
						<Text color={CATEGORY_FOREGROUND[category]} backgroundColor={CATEGORY_COLOR[category]}>
							{MAP_GLYPH[category]}
						</Text>
						<Text> {CATEGORY_SHORT[category]} </Text>
					</Text>
				))}
				{anyMixed ? <Text>{`${MIXED_GLYPH} mixed `}</Text> : null}
				<Text dimColor> blank = not present</Text>
			</Text>
		</Box>
	);
}

import React from 'react';
import {CATEGORY_IDS, CATEGORY_SHORT, CATEGORY_TITLES} from '../../model/categories.js';
import {useTheme} from '../hooks/use-theme.js';
import {MAP_GLYPH} from '../theme.js';
import Overlay from './Overlay.js';
import ScrollText from './ScrollText.js';
import {noteLines, wrapText} from '../format.js';

export type HelpViewProps = {
	readonly width: number;
	readonly height: number;
	/** The model notes of the current run (AuditMeta.notes), listed in full first. */
	readonly notes?: readonly string[];
	readonly onClose: () => void;
};

/** `  key              what`, the text wrapped under itself to fit `width`. */
function entry(key: string, what: string, width: number, indent = 19): string[] {
	return wrapText(what, Math.max(20, width - indent), Number.POSITIVE_INFINITY).map((line, index) => `${index === 0 ? `  ${key.padEnd(indent - 3)} ` : ' '.repeat(indent)}${line}`);
}

/** `?`: every key, the table marks and the categories (source/model/categories.ts titles). */
export default function HelpView({width, height, notes = [], onClose}: HelpViewProps) {
	const {glyphs} = useTheme();
	const keys: Array<[string, string]> = [
		[`${glyphs.arrows}  j k`, 'move down / up: walkers, witnesses, list items'],
		['g G  Home End', 'first / last row'],
		[`${glyphs.leftRight}  h l`, 'choose the category column (first position: all categories)'],
		['Tab  Shift+Tab', 'next / previous pane: tally, witnesses, map'],
		[glyphs.enter, 'drill in: walker -> its witnesses -> explain the pfn'],
		['Esc', 'back; in the tally it clears the filter'],
		[glyphs.space, 'pause / resume the walk'],
		['r', 'rerun the audit (the tally shows the change against this run)'],
		['v', 'choose the kernel version and rerun (p in the chooser pins it for every topology)'],
		['p', 'toggle what-if patches and rerun'],
		['t', 'choose another topology'],
		['/', 'filter walkers by name or modelled function'],
		['s', 'tally order: failing walkers first (default) or walk order'],
		['d', 'cells show the signed change against the previous run'],
		['+ -', 'zoom the memory map; <- -> move the map cursor when the map pane is focused'],
		['e', 'export the results: text json md html ktap junit sarif'],
		['w', 'the topology warnings (file:line:column), counted in the header'],
		['?', 'this help'],
		['q', 'quit (Ctrl+C also quits)'],
	];
	const lines = [
		...(notes.length > 0 ? ['Model notes (what pfnaudit does not know about this kernel selection)', ...noteLines(notes, Math.max(20, width - 2)).map(line => `  ${line}`), ''] : []),
		'Keys',
		...keys.flatMap(([key, what]) => entry(key, what, width)),
		'',
		'Table marks',
		...entry('!', 'failing touches (the audit\'s --fail-on set; hole and nomap only where uninitialized)', width),
		...entry('w', 'witnesses pane counts: the walker reaches that category through a write (get_page(), SetPageDirty(), ...)', width),
		...entry(`${glyphs.up} ${glyphs.down}`, 'the count rose / fell against the previous run', width),
		...entry('.', 'no touches', width),
		...entry(
			'haz',
			'under 130 columns the hazards (meta hole nomap tdown unbck oob) share one column: it shows the failing touches among them, marked !, or else all their touches. The witnesses pane lists each category; from 130 columns each has its own column.',
			width,
		),
		...entry('FAIL pass ERR', 'verdict per walker; n/a = the walker does not exist at this kernel version', width),
		'',
		'Categories',
		...CATEGORY_IDS.flatMap(id => entry(`${MAP_GLYPH[id]} ${CATEGORY_SHORT[id].padEnd(6)} ${id}`, CATEGORY_TITLES[id], width, 22)),
	];
	return (
		<Overlay title="Help" hint="arrows/j/k scroll  Esc or q: back" width={width} height={height}>
			<ScrollText lines={lines} width={width} height={Math.max(1, height - 2)} onClose={onClose} />
		</Overlay>
	);
}

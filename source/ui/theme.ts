/**
Glyphs and colours. Colours are the 16 basic ANSI names only (a 16-colour terminal renders every
one of them); chalk drops them entirely under NO_COLOR / --color never / TERM=dumb, so every
colour has a textual twin: a glyph per category on the map, a "!" on failing cells, a ">" on the
selected row, brackets on the selected column.
*/
import {createContext} from 'react';
import type {CategoryId} from '../model/categories.js';

export type Glyphs = {
	readonly bar: string;
	readonly barEmpty: string;
	readonly rule: string;
	readonly ellipsis: string;
	readonly pointer: string;
	readonly up: string;
	readonly down: string;
	readonly touch: string;
	readonly delta: string;
	readonly enter: string;
	readonly arrows: string;
	readonly leftRight: string;
	readonly space: string;
	readonly dot: string;
	/** Between the functions of a call chain. */
	readonly chain: string;
	readonly check: string;
	readonly uncheck: string;
	readonly cursor: string;
};

const UNICODE: Glyphs = {
	bar: '█',
	barEmpty: '░',
	rule: '─',
	ellipsis: '…',
	pointer: '▶',
	up: '▲',
	down: '▼',
	touch: '▴',
	delta: 'Δ',
	enter: '⏎',
	arrows: '↑↓',
	leftRight: '←→',
	space: '␣',
	dot: '·',
	chain: ' › ',
	check: '[x]',
	uncheck: '[ ]',
	cursor: '█',
};

const ASCII: Glyphs = {
	bar: '#',
	barEmpty: '-',
	rule: '-',
	ellipsis: '~',
	pointer: '>',
	up: '^',
	down: 'v',
	touch: '^',
	delta: 'd',
	enter: 'Enter',
	arrows: 'Up/Dn',
	leftRight: '<- ->',
	space: 'Space',
	dot: '-',
	chain: ' > ',
	check: '[x]',
	uncheck: '[ ]',
	cursor: '_',
};

/** One character per category on the memory map: readable without colour. */
export const MAP_GLYPH: Readonly<Record<CategoryId, string>> = {
	ok: '=',
	C1: '1',
	C2: '2',
	C3: '3',
	C4: '4',
	C5: '5',
	metadata: 'm',
	hole: 'h',
	nomap: 'n',
	teardown: 't',
	unbacked: 'u',
	oob: 'o',
	hvo: 'v',
};

export type Color = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'white' | 'gray' | 'redBright' | 'yellowBright' | 'blueBright' | 'magentaBright' | 'cyanBright';

/** Map background per category; failing categories are warm, safe ones cool. */
export const CATEGORY_COLOR: Readonly<Record<CategoryId, Color>> = {
	ok: 'green',
	C1: 'yellow',
	C2: 'cyan',
	C3: 'magenta',
	C4: 'redBright',
	C5: 'red',
	metadata: 'blue',
	hole: 'gray',
	nomap: 'blueBright',
	teardown: 'magentaBright',
	unbacked: 'white',
	oob: 'yellowBright',
	hvo: 'cyanBright',
};

/** On the map cell of a category holding several (map-cells.ts MapCell.mixed), in place of its glyph. */
export const MIXED_GLYPH = '*';

/** Letters on the map: black on the light backgrounds, white on the dark ones (grey, blue, red, magenta). */
export const CATEGORY_FOREGROUND: Readonly<Record<CategoryId, 'black' | 'whiteBright'>> = {
	ok: 'black',
	C1: 'black',
	C2: 'black',
	C3: 'whiteBright',
	C4: 'black',
	C5: 'whiteBright',
	metadata: 'whiteBright',
	hole: 'whiteBright',
	nomap: 'black',
	teardown: 'black',
	unbacked: 'black',
	oob: 'black',
	hvo: 'black',
};

export type Theme = {readonly ascii: boolean; readonly glyphs: Glyphs};

export function makeTheme(ascii: boolean): Theme {
	return {ascii, glyphs: ascii ? ASCII : UNICODE};
}

export const ThemeContext = createContext<Theme>(makeTheme(false));

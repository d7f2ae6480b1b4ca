import {describe, expect, it} from 'vitest';
import {fit, fitRight, formatBytes, formatCount, formatDelta, wrapText} from '../../../source/ui/format.js';
import {compactCount} from '../../../source/report/common.js';
import {computeLayout} from '../../../source/ui/layout.js';
import {isAsciiOnly, isCiEnvironment} from '../../../source/ui/terminal.js';

describe('cell formatting', () => {
	it('keeps every count within 5 characters', () => {
		for (const n of [0, 9999, 10_000, 99_999, 999_999, 1_000_000, 9_999_999, 123_456_789, 2 ** 40, 2 ** 52]) {
			expect(formatCount(n).length, String(n)).toBeLessThanOrEqual(5);
		}

		expect(formatCount(9999)).toBe('9999');
		expect(formatCount(65_536)).toBe('65.5k');
		expect(formatCount(262_144)).toBe('262k');
		expect(formatCount(4_406_782)).toBe('4.41M');
		expect(formatDelta(0)).toBe('=');
		expect(formatDelta(-65_536)).toBe('-66k');
		expect(formatDelta(999)).toBe('+999');
	});

	// A test of issue 12 item 4: the dashboard truncated 1,587,200 to `1.5M` where the text
	// report rounded it to `1.59M`. Expect one function behind both, rounding.
	it('formats counts with the same function as the reports', () => {
		expect(formatCount).toBe(compactCount);
		expect(formatCount(1_587_200)).toBe('1.59M');
		expect(formatCount(999_999)).toBe('1.00M');
		expect(formatDelta(1_587_200)).toBe('+1.6M');
		for (const n of [1, 999, 1000, 9960, 99_949, 999_500, 2 ** 52]) {
			expect(formatDelta(n).length, String(n)).toBeLessThanOrEqual(5);
		}
	});

	it('fits text to an exact width', () => {
		expect(fit('abcdef', 4, '…')).toBe('abc…');
		expect(fit('ab', 4, '…')).toBe('ab  ');
		expect(fitRight('ab', 4, '…')).toBe('  ab');
		expect(fit('abcdef', 4, '~')).toBe('abc~');
		expect(formatBytes(2 ** 27)).toBe('128M');
		expect(formatBytes(2 ** 21)).toBe('2M');
		expect(wrapText('one two three four', 9, 2)).toEqual(['one two', 'three']);
	});
});

describe('computeLayout', () => {
	it('keeps the frame one row shorter than the terminal and shares it without overlap', () => {
		for (const [columns, rows] of [[80, 24], [200, 60], [100, 30], [70, 12], [120, 19]] as const) {
			const layout = computeLayout(columns, rows, 23);
			expect(layout.height).toBe(rows - 1);
			expect(layout.header + layout.body + 1).toBe(layout.height);
			expect(layout.map + layout.tally + layout.detail).toBe(layout.body);
		}

		expect(computeLayout(80, 24, 23)).toMatchObject({header: 2, map: 4, tally: 10, detail: 6});
		expect(computeLayout(200, 60, 23)).toMatchObject({header: 3, map: 5, tally: 25});
		expect(computeLayout(69, 24, 23).tooSmall).toBe(true);
	});

	// A test at 120x40 with 22 walkers and three note rows (the showcase): 27 rows for tally and
	// witnesses. Expect the tally to come first (19 rows: 17 walkers, it had 15) and the witnesses
	// pane to get what its witnesses need (1 witness: 7 rows; none: 4), at most 8 rows while
	// walkers are left without a row; with every walker in its row the witnesses get the rest.
	it('gives the tally its rows first and the witnesses what they need', () => {
		expect(computeLayout(120, 40, 22, 3, 6)).toMatchObject({tally: 19, detail: 8});
		expect(computeLayout(120, 40, 22, 3, 1)).toMatchObject({tally: 20, detail: 7});
		expect(computeLayout(120, 40, 22, 3, 0)).toMatchObject({tally: 23, detail: 4});
		expect(computeLayout(200, 60, 22, 3, 1)).toMatchObject({tally: 24, detail: 23});
	});

	// Model notes take header rows: as many as they need, at most 3 from 40 rows, 2 from 24, 1
	// from 16, none below; the frame stays one row shorter than the terminal.
	it('gives the model notes header rows as the terminal allows', () => {
		for (const [rows, lines, notes] of [[60, 5, 3], [60, 1, 1], [30, 4, 2], [24, 4, 2], [19, 4, 1], [14, 4, 0], [30, 0, 0]] as const) {
			const layout = computeLayout(100, rows, 23, lines);
			expect(layout.notes, `${rows} rows, ${lines} note lines`).toBe(notes);
			expect(layout.header).toBe((rows >= 40 ? 3 : 2) + notes);
			expect(layout.header + layout.body + 1).toBe(layout.height);
			expect(layout.map + layout.tally + layout.detail).toBe(layout.body);
		}
	});
});

describe('terminal detection', () => {
	it('follows is-in-ci: an empty CI counts, 0 and false do not', () => {
		expect(isCiEnvironment({CI: ''})).toBe(true);
		expect(isCiEnvironment({CI: 'true'})).toBe(true);
		expect(isCiEnvironment({CONTINUOUS_INTEGRATION: '1'})).toBe(true);
		expect(isCiEnvironment({CI: '0'})).toBe(false);
		expect(isCiEnvironment({CI: 'false'})).toBe(false);
		expect(isCiEnvironment({})).toBe(false);
	});

	it('goes ASCII-only on dumb terminals and non-UTF-8 locales', () => {
		expect(isAsciiOnly({TERM: 'dumb'})).toBe(true);
		expect(isAsciiOnly({TERM: 'xterm-256color', LANG: 'C.UTF-8'})).toBe(false);
		expect(isAsciiOnly({TERM: 'xterm', LC_ALL: 'C'})).toBe(true);
		expect(isAsciiOnly({TERM: 'xterm', LC_ALL: '', LANG: 'en_US.utf8'})).toBe(false);
		expect(isAsciiOnly({TERM: 'xterm'})).toBe(false);
		expect(isAsciiOnly({TERM: 'xterm', PFNAUDIT_ASCII: '1'})).toBe(true);
	});
});

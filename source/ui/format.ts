/**
Text formatting for fixed-width cells. Presentation only: no value here is a domain fact.
*/
import path from 'node:path';
import {compactCount} from '../format/count.js';

/** A file as a user would type it: relative to the working directory when it lies inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
	const relative = path.relative(cwd, path.resolve(cwd, file));
	return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/**
A count in at most 5 characters, rounded to three significant digits: the one formatter every
surface uses (source/format/count.ts), so the dashboard and the reports print the same `1.59M`.
*/
export {compactCount as formatCount} from '../format/count.js';

/** "+12", "-66k", "+1.6M", "=" for no change: a sign and four characters, the width of a count cell. */
export function formatDelta(delta: number): string {
	if (delta === 0) {
		return '=';
	}

	return `${delta > 0 ? '+' : '-'}${compactCount(Math.abs(delta), 4)}`;
}

/** Cut to `width` (ending with `ellipsis` when cut) and pad with spaces to exactly `width`. */
export function fit(text: string, width: number, ellipsis: string): string {
	if (width <= 0) {
		return '';
	}

	if (text.length > width) {
		return width <= ellipsis.length ? text.slice(0, width) : text.slice(0, width - ellipsis.length) + ellipsis;
	}

	return text.padEnd(width);
}

/** Like fit(), right-aligned. */
export function fitRight(text: string, width: number, ellipsis: string): string {
	return text.length > width ? fit(text, width, ellipsis) : text.padStart(width);
}

/** Bytes with a binary suffix as topology files write them: 4K, 128M, 2G, 64T. */
export function formatBytes(bytes: number): string {
	const units = ['', 'K', 'M', 'G', 'T', 'P', 'E'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && Number.isInteger(value / 1024) && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	if (value >= 1024 && unit < units.length - 1) {
		return `${(value / 1024).toFixed(1)}${units[unit + 1]}`;
	}

	return `${value}${units[unit]}`;
}

/** "4.2s", "1m05s". */
export function formatDuration(ms: number): string {
	const seconds = ms / 1000;
	if (seconds < 60) {
		return `${seconds.toFixed(1)}s`;
	}

	const whole = Math.floor(seconds);
	return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
}

/** "12.3M pfn/s". */
export function formatRate(perSecond: number): string {
	return `${compactCount(Math.round(perSecond))} pfn/s`;
}

/**
The model notes (AuditMeta.notes) as the header shows them: each note wrapped to `width` after a
`note: ` label, continuation lines indented under it.
*/
export function noteLines(notes: readonly string[], width: number): string[] {
	const label = 'note: ';
	const room = Math.max(10, width - label.length);
	return notes.flatMap(note => wrapText(note.replaceAll(/\s+/g, ' ').trim(), room, Number.POSITIVE_INFINITY).map((line, index) => `${index === 0 ? label : ' '.repeat(label.length)}${line}`));
}

/**
The first `rows` of noteLines(); when some are left out, the last row ends with `hint` (where to
read them all), cut to fit.
*/
export function shownNoteLines(notes: readonly string[], width: number, rows: number, hint: string, ellipsis: string): string[] {
	const all = noteLines(notes, width);
	if (all.length <= rows) {
		return all;
	}

	const shown = all.slice(0, rows);
	const last = shown.at(-1) ?? '';
	shown[shown.length - 1] = `${fit(last, Math.max(0, width - hint.length - 1), ellipsis).trimEnd()} ${hint}`;
	return shown;
}

/** Word-wrap `text` to `width`, at most `lines` lines (the rest is dropped). */
export function wrapText(text: string, width: number, lines: number): string[] {
	const out: string[] = [];
	let rest = text;
	while (rest.length > 0 && out.length < lines) {
		if (rest.length <= width) {
			out.push(rest);
			break;
		}

		const cut = rest.lastIndexOf(' ', width);
		const at = cut > width / 2 ? cut : width;
		out.push(rest.slice(0, at));
		rest = rest.slice(at).trimStart();
	}

	return out;
}

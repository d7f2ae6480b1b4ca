/**
Shared helpers of the capture parsers (source/import/): lines with their 1-based numbers, the
`#` comment lines a capture file may start with (where it came from), and the error every parser
throws — an InputError at file:line naming what was expected and how to fix it.
*/
import {InputError} from '../errors/input-error.js';

/** Where a fact came from: the capture-relative file name and its 1-based line. */
export type Source = {readonly file: string; readonly line: number};

export type Line = {readonly text: string; readonly line: number};

/** Every line with its number; a trailing newline does not make an empty last line. */
export function numberedLines(text: string): Line[] {
	const parts = text.split(/\r?\n/);
	if (parts.length > 0 && parts.at(-1) === '') {
		parts.pop();
	}

	return parts.map((line, index) => ({text: line, line: index + 1}));
}

/**
The lines after the leading `#` comment lines (a capture file may name its source on its first
lines, e.g. `# source: …`). Blank lines among them are skipped too.
*/
export function contentLines(text: string): Line[] {
	const lines = numberedLines(text);
	let first = 0;
	while (first < lines.length && (lines[first]!.text.startsWith('#') || lines[first]!.text.trim() === '')) {
		first++;
	}

	return lines.slice(first);
}

export function parseError(file: string, line: number | undefined, message: string): InputError {
	return new InputError(message, line === undefined ? {file} : {file, line, column: 1});
}

/** Hex without or with 0x as a safe integer, or undefined. */
export function parseHex(text: string): number | undefined {
	const digits = text.startsWith('0x') || text.startsWith('0X') ? text.slice(2) : text;
	if (!/^[\da-fA-F]+$/.test(digits)) {
		return undefined;
	}

	const value = Number.parseInt(digits, 16);
	return Number.isSafeInteger(value) ? value : undefined;
}

export function isPowerOfTwo(value: number): boolean {
	if (!Number.isSafeInteger(value) || value < 1) {
		return false;
	}

	let v = value;
	while (v > 1) {
		if (v % 2 !== 0) {
			return false;
		}

		v /= 2;
	}

	return true;
}

/** "0x1_4000_0000"-style hex for comments and messages. */
export function hexAddress(value: number): string {
	return `0x${value.toString(16)}`;
}

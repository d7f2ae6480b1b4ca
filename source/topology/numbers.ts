/**
Numbers in topology files (docs/topology-format.md): decimal, `0x` hex with optional `_` separators, or a
decimal size with one binary suffix K M G T P (`128M` = 2^27). Every address and size is in bytes.

Values are read from the scalar's *source text*, never from the YAML parser's own number: YAML 1.2
reads `0xfffffffffffff001` as a float and silently loses the low bits,
and `0x8000_0000` is not a YAML int at all. Arithmetic here is in BigInt so that a value that does
not fit a JavaScript safe integer is reported, never rounded.
*/

const SUFFIX_SHIFT: Readonly<Record<string, bigint>> = {K: 10n, M: 20n, G: 30n, T: 40n, P: 50n};

const HEX = /^0[xX]([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)$/;
const DECIMAL = /^(\d+)([KMGTP])?$/;

export type NumberResult = {readonly ok: true; readonly value: number} | {readonly ok: false; readonly error: string};

/** The form every error about a number ends with. */
export const NUMBER_FORMS = 'a decimal (4096), 0x hex with optional _ separators (0x2_4000_0000) or a size with a binary suffix K M G T P (128M = 2^27)';

/**
Parse one number from its source text. Returns the exact value or a one-sentence reason
(without the "where", which the caller adds).
*/
export function parseNumberText(raw: string): NumberResult {
	const text = raw.trim();
	if (text === '') {
		return {ok: false, error: `an empty value is not a number; write ${NUMBER_FORMS}`};
	}

	// Up to 13 hex or 15 decimal digits a Number holds exactly, and so does that times a power of
	// two up to 2^53 - 1: no BigInt for the numbers of a topology (two or three an entry).
	let value: bigint;
	const hex = HEX.exec(text);
	const decimal = hex ? null : DECIMAL.exec(text);
	if (hex) {
		const digits = hex[1]!.replaceAll('_', '');
		if (digits.length <= 13) {
			return {ok: true, value: Number.parseInt(digits, 16)};
		}

		value = BigInt(`0x${digits}`);
	} else if (decimal) {
		const shift = decimal[2] ? SUFFIX_SHIFT[decimal[2]]! : 0n;
		if (decimal[1]!.length <= 15) {
			const exact = Number(decimal[1]!) * 2 ** Number(shift);
			if (exact <= Number.MAX_SAFE_INTEGER) {
				return {ok: true, value: exact};
			}
		}

		value = BigInt(decimal[1]!) * 2n ** shift;
	} else {
		return {ok: false, error: whyNotANumber(text)};
	}

	if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
		return {
			ok: false,
			error: `${text} is ${hexBig(value)}, beyond the largest safe integer 2^53 - 1: pfnaudit never rounds a value, and no modelled address space reaches that far`,
		};
	}

	return {ok: true, value: Number(value)};
}

/** Explain the most likely mistake in a value that is not one of the accepted forms. */
function whyNotANumber(text: string): string {
	if (text.startsWith('-')) {
		return `${text} is negative; addresses and sizes are unsigned byte counts`;
	}

	if (/^\d+(?:\.\d+)?[eE][+-]?\d+$/.test(text)) {
		return `${text} uses exponent notation; write ${NUMBER_FORMS}`;
	}

	const fraction = /^(\d+)\.(\d+)([KMGTP])?$/.exec(text);
	if (fraction) {
		return `${text} is not a whole number of bytes; write it with a smaller suffix (e.g. 1536M instead of 1.5G) or in hex`;
	}

	if (/^\d+[kmgtp]$/.test(text)) {
		return `${text} has a lower-case suffix; suffixes are upper case binary multiples (${text.slice(0, -1)}${text.slice(-1).toUpperCase()})`;
	}

	if (/^\d+(?:[KMGTP]i?B|[KMGTP]i)$/i.test(text)) {
		return `${text} has a unit; write only the suffix letter (${text.replace(/i?B$|i$/i, '').toUpperCase()})`;
	}

	if (/^0[xX].*_$/.test(text) || /^0[xX]_/.test(text) || /__/.test(text)) {
		return `${text}: an _ separator must stand between two hex digits`;
	}

	if (/^\d[\d_]*_\d/.test(text)) {
		return `${text}: _ separators are accepted in 0x hex only`;
	}

	return `${JSON.stringify(text)} is not a number; write ${NUMBER_FORMS}`;
}

function hexBig(value: bigint): string {
	return `0x${value.toString(16)}`;
}

const SIZE_UNITS: ReadonlyArray<[string, number]> = [
	['PiB', 2 ** 50],
	['TiB', 2 ** 40],
	['GiB', 2 ** 30],
	['MiB', 2 ** 20],
	['KiB', 2 ** 10],
];

/** "128 MiB", "2 GiB", "8 KiB", "4097 bytes": exact, in the largest binary unit that divides. */
export function formatSize(bytes: number): string {
	for (const [unit, size] of SIZE_UNITS) {
		if (bytes >= size && bytes % size === 0) {
			return `${bytes / size} ${unit}`;
		}
	}

	return `${bytes} bytes`;
}

/** The shortest topology spelling of a byte count: "128M", "2G", "0x2_4000_0000" for addresses. */
export function formatSizeLiteral(bytes: number): string {
	for (const [unit, size] of SIZE_UNITS) {
		if (bytes >= size && bytes % size === 0) {
			return `${bytes / size}${unit[0]}`;
		}
	}

	return String(bytes);
}

/** An address as a topology literal, with _ every 4 hex digits from the right: 0x2_4000_0000. */
export function formatAddressLiteral(address: number): string {
	const digits = address.toString(16);
	const groups: string[] = [];
	for (let end = digits.length; end > 0; end -= 4) {
		groups.unshift(digits.slice(Math.max(0, end - 4), end));
	}

	return `0x${groups.join('_')}`;
}

/**
Escaping for every report format. Witness sentences, walker names and topology descriptions come
from walker files and user topologies (`--walker ./mine.ts`), so they may hold anything: markup
characters, `#` (which ends a KTAP description), terminal escape sequences, stray bytes from a
pasted kernel log. Each writer passes every such string through one of these functions.
*/

/**
Typographic characters kernel developers write in commit messages and topology descriptions,
spelled the way an ASCII mail to LKML spells them. Anything not here goes through NFKD (which
turns accented letters into letter + combining mark, and compatibility forms such as NBSP, `ﬁ` or
`™` into ASCII) before it is given up as `\uXXXX`.
*/
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
	'\u00A7': 'section ', // § ("Documentation §5" -> "Documentation section 5", not "S5")
	'\u00B6': 'P', // ¶
	'\u00D7': 'x', // ×
	'\u00F7': '/', // ÷
	'\u00B1': '+/-', // ±
	'\u00B7': '.', // ·
	'\u00B5': 'u', // µ (micro sign: µs -> us)
	'\u03BC': 'u', // μ
	'\u00B0': ' deg', // °
	'\u00A9': '(c)', // ©
	'\u00AE': '(R)', // ®
	'\u00AB': '"', // «
	'\u00BB': '"', // »
	'\u00DF': 'ss', // ß
	'\u00C6': 'AE', // Æ
	'\u00E6': 'ae', // æ
	'\u00D8': 'O', // Ø
	'\u00F8': 'o', // ø
	'\u0110': 'D', // Đ
	'\u0111': 'd', // đ
	'\u0141': 'L', // Ł
	'\u0142': 'l', // ł
	'\u0152': 'OE', // Œ
	'\u0153': 'oe', // œ
	'\u00DE': 'Th', // Þ
	'\u00FE': 'th', // þ
	'\u00D0': 'D', // Ð
	'\u00F0': 'd', // ð
	'\u0131': 'i', // ı
	'\u2010': '-', // hyphen
	'\u2011': '-', // non-breaking hyphen
	'\u2012': '-', // figure dash
	'\u2013': '-', // – en dash
	'\u2014': '-', // — em dash
	'\u2015': '-', // horizontal bar
	'\u2212': '-', // − minus sign
	'\u2018': "'", // ‘
	'\u2019': "'", // ’
	'\u201A': "'", // ‚
	'\u201B': "'", // ‛
	'\u2032': "'", // ′
	'\u201C': '"', // “
	'\u201D': '"', // ”
	'\u201E': '"', // „
	'\u201F': '"', // ‟
	'\u2033': '"', // ″
	'\u2022': '*', // •
	'\u2026': '...', // …
	'\u2190': '<-', // ←
	'\u2192': '->', // →
	'\u2194': '<->', // ↔
	'\u21D0': '<=', // ⇐
	'\u21D2': '=>', // ⇒
	'\u21D4': '<=>', // ⇔
	'\u2264': '<=', // ≤
	'\u2265': '>=', // ≥
	'\u2260': '!=', // ≠
	'\u2248': '~', // ≈
	'\u2261': '==', // ≡
	'\u221E': 'inf', // ∞
	'\u2208': ' in ', // ∈
	'\u2227': '&&', // ∧
	'\u2228': '||', // ∨
	'\u00AC': '!', // ¬
	'\u2044': '/', // fraction slash (NFKD of ½ is 1⁄2)
};

/** Superscript and subscript digits and signs: a run becomes `^...` or `_...`, so 2⁵² reads 2^52, not 252. */
const SUPERSCRIPTS: Readonly<Record<string, string>> = {
	'\u2070': '0', '\u00B9': '1', '\u00B2': '2', '\u00B3': '3', '\u2074': '4', '\u2075': '5', '\u2076': '6', '\u2077': '7', '\u2078': '8', '\u2079': '9', '\u207A': '+', '\u207B': '-',
};
const SUBSCRIPTS: Readonly<Record<string, string>> = {
	'\u2080': '0', '\u2081': '1', '\u2082': '2', '\u2083': '3', '\u2084': '4', '\u2085': '5', '\u2086': '6', '\u2087': '7', '\u2088': '8', '\u2089': '9', '\u208A': '+', '\u208B': '-',
};

/** Combining marks left by NFKD (U+0300–U+036F): dropped, so `ö` becomes `o`. */
const COMBINING = /[\u0300-\u036F]/g;

/** One non-ASCII character in ASCII, or undefined when there is no faithful spelling. */
function transliterate(char: string): string | undefined {
	const mapped = TRANSLITERATIONS[char];
	if (mapped !== undefined) {
		return mapped;
	}

	const decomposed = char.normalize('NFKD').replace(COMBINING, '');
	if (decomposed !== '' && /^[\u0020-\u007E]+$/.test(decomposed)) {
		return decomposed;
	}

	// NFKD may leave a character that has a spelling of its own (NBSP -> U+0020 is handled above; ½ -> 1⁄2).
	let out = '';
	for (const part of decomposed) {
		const spelled = TRANSLITERATIONS[part] ?? (/^[\u0020-\u007E]$/.test(part) ? part : undefined);
		if (spelled === undefined) {
			return undefined;
		}

		out += spelled;
	}

	return out === '' ? undefined : out;
}

/**
Plain ASCII for text, KTAP, Markdown and LKML mail. Tab, CR and LF become a space (a table cell
or a KTAP line must stay on one line); other C0 controls, DEL and C1 controls become a visible
`\xNN`, so an ESC byte can never reach a terminal. Typographic characters are transliterated the
way an ASCII mail writes them (`→` "->", `§` "section ", `≤` "<=", `—` "-", `…` "...", curly quotes
straight, `×` "x", `2⁴⁶` "2^46", `Töpel` "Topel"); only what has no ASCII spelling is kept as a
visible `\uXXXX`. Bidirectional controls and other format characters have no spelling and stay
visible, so they cannot reorder a line.
*/
export function toAscii(text: string): string {
	let out = '';
	let script: '^' | '_' | undefined;
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		const sup = SUPERSCRIPTS[char];
		const sub = SUBSCRIPTS[char];
		if (sup !== undefined || sub !== undefined) {
			const mark = sup === undefined ? '_' : '^';
			out += (script === mark ? '' : mark) + (sup ?? sub ?? '');
			script = mark;
			continue;
		}

		script = undefined;
		if (code === 0x09 || code === 0x0a || code === 0x0d) {
			out += ' ';
		} else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
			out += `\\x${code.toString(16).padStart(2, '0')}`;
		} else if (code > 0x7e) {
			out += transliterate(char) ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);
		} else {
			out += char;
		}
	}

	return out;
}

/**
True for characters XML 1.0 allows (the `Char` production): tab, LF, CR, U+0020–U+D7FF,
U+E000–U+FFFD, U+10000–U+10FFFF. Everything else (C0 controls, lone surrogates, U+FFFE/U+FFFF)
makes a strict parser such as expat or saxes reject the whole file.
*/
function isXmlChar(code: number): boolean {
	return (
		code === 0x09 ||
		code === 0x0a ||
		code === 0x0d ||
		(code >= 0x20 && code <= 0xd7_ff) ||
		(code >= 0xe0_00 && code <= 0xff_fd) ||
		(code >= 0x1_00_00 && code <= 0x10_ff_ff)
	);
}

/** Drops every character XML 1.0 forbids (see isXmlChar). */
export function dropXmlInvalid(text: string): string {
	let out = '';
	for (const char of text) {
		if (isXmlChar(char.codePointAt(0) ?? 0)) {
			out += char;
		}
	}

	return out;
}

/** XML character data: forbidden characters dropped, `& < >` escaped. */
export function xmlText(text: string): string {
	return dropXmlInvalid(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
An XML attribute value (for double-quoted attributes): forbidden characters dropped, `& < > " '`
escaped, and tab/LF/CR written as character references so attribute-value normalisation does not
turn them into spaces.
*/
export function xmlAttr(text: string): string {
	return xmlText(text)
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;')
		.replaceAll('\t', '&#9;')
		.replaceAll('\n', '&#10;')
		.replaceAll('\r', '&#13;');
}

/**
HTML (and the inline SVG inside it, which the HTML parser reads as XML-like foreign content):
control characters are shown as a visible `\xNN` rather than dropped, so a reader sees that the
witness held one, then `& < > " '` are escaped. The result is also well-formed XML text.
*/
export function htmlText(text: string): string {
	let out = '';
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if ((code < 0x20 && code !== 0x0a && code !== 0x09) || (code >= 0x7f && code < 0xa0)) {
			out += `\\x${code.toString(16).padStart(2, '0')}`;
		} else if (!isXmlChar(code)) {
			out += `\\u${code.toString(16).padStart(4, '0')}`;
		} else {
			out += char;
		}
	}

	return out
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&#39;');
}

/** A KTAP test description: ASCII, no `#` (it would start the directive), no leading `- `. */
export function ktapName(text: string): string {
	const name = toAscii(text).replaceAll('#', '_').trim().replace(/^- /, '');
	return name === '' ? 'unnamed' : name;
}

/**
A Markdown code span that survives GitHub's table parser: the fence is one backtick longer than
the longest backtick run inside, and `|` is escaped (GFM splits table cells on it even inside
code spans).
*/
export function mdCode(text: string): string {
	const clean = toAscii(text);
	const longest = Math.max(0, ...[...clean.matchAll(/`+/g)].map(match => match[0].length));
	const fence = '`'.repeat(longest + 1);
	const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
	return `${fence}${pad}${clean.replaceAll('|', '\\|')}${pad}${fence}`;
}

/**
Markdown prose (outside code): ASCII, HTML-significant characters escaped as entities and the
inline-markup characters backslash-escaped, so a witness cannot open a link, a heading or a tag.
*/
export function mdText(text: string): string {
	return toAscii(text)
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll(/([\\`*_[\]|#!~])/g, '\\$1');
}

/**
Escaping for every report format. Witness sentences, walker names and topology descriptions come
from walker files and user topologies (`--walker ./mine.ts`), so they may hold anything: markup
characters, `#` (which ends a KTAP description), terminal escape sequences, stray bytes from a
pasted kernel log. Each writer passes every such string through one of these functions.
*/

/**
Plain ASCII for text, KTAP and LKML mail: tab, CR and LF become a space (a table cell or a KTAP line
must stay on one line), other C0 controls, DEL and C1 controls become a visible `\xNN`, and
anything outside ASCII becomes `\uXXXX`. An ESC byte therefore can never reach a terminal.
*/
export function toAscii(text: string): string {
	let out = '';
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if (code === 0x09 || code === 0x0a || code === 0x0d) {
			out += ' ';
		} else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) {
			out += `\\x${code.toString(16).padStart(2, '0')}`;
		} else if (code > 0x7e) {
			out += code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
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

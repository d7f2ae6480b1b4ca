import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {compactCount, sizeLabel, wrap} from '../../source/report/common.js';
import {dropXmlInvalid, htmlText, ktapName, mdCode, toAscii, xmlAttr, xmlText} from '../../source/report/escape.js';
import {parseXml} from './helpers/validators.js';

// Tests of the escaping and formatting helpers every writer shares, with hostile input drawn by
// fast-check (any UTF-16 code unit, lone surrogates and C0 controls included).
describe('toAscii', () => {
	it('keeps printable ASCII, flattens line breaks and tabs, makes the rest visible', () => {
		expect(toAscii('a\tb\nc\r')).toBe('a b c ');
		expect(toAscii('\u0007\u001B[31m\u007F\u0085')).toBe(String.raw`\x07\x1b[31m\x7f\x85`);
		expect(toAscii('caf\u00e9 \u2192 \u{1F600}')).toBe(String.raw`cafe -> \u{1f600}`);
	});

	it('transliterates typography as an ASCII mail would, keeping \\uXXXX for what has no spelling', () => {
		expect(toAscii('Documentation \u00a75: a \u2192 b, x \u2264 y \u2265 z, 3\u00d74 \u2013 \u2014 \u2026')).toBe('Documentation section 5: a -> b, x <= y >= z, 3x4 - - ...');
		expect(toAscii('\u201cquoted\u201d \u2018it\u2019s\u2019 \u00abfr\u00bb')).toBe(`"quoted" 'it's' "fr"`);
		expect(toAscii('Bj\u00f6rn T\u00f6pel, Ma\u0142gorzata, Stra\u00dfe, \u00c6sir')).toBe('Bjorn Topel, Malgorzata, Strasse, AEsir');
		// Superscripts keep their meaning: 2^46, not 246.
		expect(toAscii('2\u2074\u2076 pfns, H\u2082O, x\u00b2+y\u00b2')).toBe('2^46 pfns, H_2O, x^2+y^2');
		expect(toAscii('a\u00a0b \u00bd \ufb01 \u00b5s')).toBe('a b 1/2 fi us');
		// No spelling: bidi overrides, zero-width characters, CJK, emoji stay visible escapes.
		expect(toAscii('\u202e\u200b\u4f60\u{1F600}')).toBe(String.raw`\u202e\u200b\u4f60\u{1f600}`);
	});

	it('always yields one line of printable ASCII', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), text => /^[\u0020-\u007E]*$/.test(toAscii(text))));
	});
});

describe('XML escaping', () => {
	it('round-trips any string through a strict parser, minus the characters XML forbids', () => {
		fc.assert(
			fc.property(fc.string({unit: 'binary'}), text => {
				const element = parseXml(`<a t="${xmlAttr(text)}">${xmlText(text)}</a>`);
				const kept = dropXmlInvalid(text);
				// XML end-of-line handling turns CR and CRLF in character data into LF; attributes keep &#13;.
				return element.attributes.t === kept && element.text === kept.replaceAll(/\r\n?/g, '\n');
			}),
		);
	});

	it('drops C0 controls, lone surrogates and U+FFFE/U+FFFF', () => {
		expect(dropXmlInvalid('a\u0001b\uD800c\uFFFEd\uFFFFe\u{1F600}\t')).toBe('abcde\u{1F600}\t');
	});

	it('makes HTML text that is also well-formed XML, showing controls instead of dropping them', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), text => parseXml(`<p>${htmlText(text)}</p>`).name === 'p'));
		expect(htmlText('<b>&"\'\u0007')).toBe(String.raw`&lt;b&gt;&amp;&quot;&#39;\x07`);
	});
});

describe('ktapName and mdCode', () => {
	it('never leaves a # or a line break in a KTAP description', () => {
		fc.assert(fc.property(fc.string({unit: 'binary'}), text => /^[^#\n]+$/.test(ktapName(text)) && ktapName(text) === ktapName(text).trim()));
		expect(ktapName('- evil # SKIP')).toBe('evil _ SKIP');
		expect(ktapName(' \u0000 ')).toBe(String.raw`\x00`);
		expect(ktapName('   ')).toBe('unnamed');
	});

	it('fences code spans longer than any backtick run and escapes pipes', () => {
		expect(mdCode('memory_failure')).toBe('`memory_failure`');
		expect(mdCode('a``b|c')).toBe('```a``b\\|c```');
		expect(mdCode('`x`')).toBe('`` `x` ``');
	});
});

describe('compactCount', () => {
	it.each([
		[0, '0'],
		[9999, '9999'],
		[10_000, '10.0k'],
		[12_030, '12.0k'],
		[99_949, '99.9k'],
		[99_950, '100k'],
		[999_499, '999k'],
		[999_500, '1.00M'],
		[2_375_583, '2.38M'],
		[1_082_331_758_592, '1.08T'],
	])('%d is %s', (count, text) => {
		expect(compactCount(count)).toBe(text);
	});

	it('fits five characters for every safe count', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: Number.MAX_SAFE_INTEGER}), count => compactCount(count).length <= 5));
	});
});

describe('sizeLabel and wrap', () => {
	it('writes sizes the way topology files do', () => {
		expect([sizeLabel(8192), sizeLabel(0x800_0000), sizeLabel(0x6_1000), sizeLabel(1000), sizeLabel(1536), sizeLabel(2 ** 52)]).toEqual([
			'8K',
			'128M',
			'388K',
			'1000',
			'~1.5K',
			'4P',
		]);
	});

	it('wraps to the width, keeps every word in order, and cuts only words longer than a line', () => {
		fc.assert(
			fc.property(fc.array(fc.stringMatching(/^[a-z]{1,30}$/), {maxLength: 40}), fc.integer({min: 12, max: 80}), (words, width) => {
				const lines = wrap(words.join(' '), width, '  ', '    ');
				return lines.every(line => line.length <= width) && lines.join('').replaceAll(' ', '') === words.join('');
			}),
		);
		expect(wrap('one two three', 9, '> ', '  ')).toEqual(['> one two', '  three']);
	});
});

// The strict parser the XML tests rely on must refuse what expat refuses (fast-xml-parser does not).
describe('saxes as the well-formedness oracle', () => {
	it.each([
		['markup in an attribute', '<testcase name="a<b"/>'],
		['a C0 control', '<p>\u0001</p>'],
		['a bare ampersand', '<p>a & b</p>'],
		['an HTML-only entity', '<p>&nbsp;</p>'],
		['an unclosed void element', '<html><meta charset="utf-8"></html>'],
	])('rejects %s', (_what, xml) => {
		expect(() => parseXml(xml)).toThrow();
	});
});

import {describe, expect, it} from 'vitest';
import {descriptionBlocks} from '../../source/report/description.js';

// Tests of how a topology description is split into blocks: what authors write in a YAML block
// scalar (hand-wrapped paragraphs, `-` lists with indented continuation lines, an indented map)
// must keep its shape in every report.
describe('descriptionBlocks', () => {
	it('joins hand-wrapped paragraph lines and list continuation lines, keeping the list', () => {
		const text = ['The default topology: one arm64 machine', 'that produces every category.', '- boot RAM with a NOMAP region', '  and a second bank;', '- hot-added System RAM (C1);', 'Look for: oob at v5.12.'].join('\n');
		expect(descriptionBlocks(text)).toEqual([
			{kind: 'paragraph', text: 'The default topology: one arm64 machine that produces every category.', blankBefore: false},
			{
				kind: 'list',
				ordered: false,
				items: [
					{marker: '-', depth: 0, text: 'boot RAM with a NOMAP region and a second bank;'},
					{marker: '-', depth: 0, text: 'hot-added System RAM (C1);'},
				],
				blankBefore: false,
			},
			// A line at column 0 after a list starts a paragraph: no lazy continuation.
			{kind: 'paragraph', text: 'Look for: oob at v5.12.', blankBefore: false},
		]);
	});

	it('keeps indented lines outside a list verbatim, relative to each other', () => {
		const text = 'Layout:\n\n    |  boot RAM  | hole |\n    0x0       0x9f   0x100\n      (not to scale)\n\nEnd.';
		expect(descriptionBlocks(text)).toEqual([
			{kind: 'paragraph', text: 'Layout:', blankBefore: false},
			{kind: 'preformatted', lines: ['|  boot RAM  | hole |', '0x0       0x9f   0x100', '  (not to scale)'], blankBefore: true},
			{kind: 'paragraph', text: 'End.', blankBefore: true},
		]);
	});

	it('nests deeper markers, keeps ordered markers, and removes the indentation common to every line', () => {
		const text = '  1. first\n     more\n     - nested\n  2) second';
		expect(descriptionBlocks(text)).toEqual([
			{
				kind: 'list',
				ordered: true,
				items: [
					{marker: '1.', depth: 0, text: 'first more'},
					{marker: '-', depth: 1, text: 'nested'},
					{marker: '2)', depth: 0, text: 'second'},
				],
				blankBefore: false,
			},
		]);
	});

	it('reads a YAML folded scalar (one line per paragraph) and CRLF, and nothing from a blank description', () => {
		expect(descriptionBlocks('First paragraph, folded.\r\n\r\nSecond one.\r\n')).toEqual([
			{kind: 'paragraph', text: 'First paragraph, folded.', blankBefore: false},
			{kind: 'paragraph', text: 'Second one.', blankBefore: true},
		]);
		expect(descriptionBlocks('')).toEqual([]);
		expect(descriptionBlocks(' \n\t\n')).toEqual([]);
	});

	it('does not take a hyphenated word or a negative number for a bullet', () => {
		expect(descriptionBlocks('-1 is not a bullet\n--map=dev neither')).toEqual([{kind: 'paragraph', text: '-1 is not a bullet --map=dev neither', blankBefore: false}]);
	});
});

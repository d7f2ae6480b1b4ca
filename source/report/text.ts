/**
`--format text`: plain ASCII within 80 columns, ready to paste into an LKML reply (no tabs, no
Unicode, no ANSI unless `color` is set for a terminal). Laid out like the 0-day/LKP bot mails:
a header block with a `reproduce:` line, the walker × category table, then the failing walkers
with their witnesses, call chains and fixing commits, then errors, then one line per passing
walker. Terse on purpose: the JSON and HTML reports carry every witness.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_SHORT, CATEGORY_TITLES} from '../model/categories.js';
import {compactCount, failingCategories, fixedByPhrase, groupSummary, groupWalkers, headlineVerdict, reportNotes, reportWarnings, statusPhrase, touchedCategories, warningLine, witnessesOf, witnessLines, wrap, writesOf, writesPhrase} from './common.js';
import {descriptionBlocks} from './description.js';
import {armorLines} from '../topology/embedded.js';
import {reproduceUnits, shellLines} from './reproduce.js';
import {toAscii} from './escape.js';
import {type Paint, renderTable, shownCategories} from './text-table.js';

export type TextOptions = {
	/** SGR colour for a terminal; never in files or mail. */
	readonly color?: boolean;
	/** Line width; default 80 (LKML), at least 60. */
	readonly columns?: number;
	/** Witnesses printed per failing category; default 2. */
	readonly witnessesPerCategory?: number;
};

const SGR = {fail: '\u001B[31;1m', pass: '\u001B[32m', error: '\u001B[33;1m', dim: '\u001B[2m', bold: '\u001B[1m'} as const;

/** SGR painting for a terminal, or the identity. */
export function painter(color: boolean): Paint {
	return color ? (text, style) => `${SGR[style]}${text}\u001B[0m` : text => text;
}

/** The paint style of a headline word (PASS, FAIL, ERROR). */
export function verdictStyle(word: 'PASS' | 'FAIL' | 'ERROR'): 'pass' | 'fail' | 'error' {
	return word === 'PASS' ? 'pass' : word === 'FAIL' ? 'fail' : 'error';
}

function header(report: AuditReport, width: number, paint: Paint): string[] {
	const groups = groupWalkers(report);
	// ERROR when a walker did not finish: the verdict is fail, but the tallies are incomplete.
	const word = headlineVerdict(report);
	const verdict = paint(word, verdictStyle(word));
	const g = report.geometry;
	const field = (name: string, value: string) => wrap(toAscii(value), width, name.padEnd(11), ' '.repeat(13));
	const lines = [
		`${toAscii(`${report.tool.name} ${report.tool.version}`)} audit: ${verdict}`,
		'',
		...field('topology:', `${report.topology.name} (${report.topology.file})`),
		...field('arch:', `${report.arch} (PAGE_SHIFT ${g.PAGE_SHIFT}, SECTION_SIZE_BITS ${g.SECTION_SIZE_BITS}, MAX_PHYSMEM_BITS ${g.MAX_PHYSMEM_BITS})`),
		...field('kernel:', `v${report.kernel} semantics`),
		...field('patches:', report.patches.length === 0 ? 'none' : report.patches.join(' ')),
		...field('phases:', report.phases.join(' ')),
		...field('fail-on:', report.fail_on.join(' ')),
		...field('walkers:', `${groupSummary(groups)} (of ${report.walkers.length})`),
		// A shell command, broken with backslashes so that it pastes back as it is.
		...shellLines(reproduceUnits(report).map(unit => toAscii(unit)), width, 'reproduce: ', ' '.repeat(13)),
		// Model notes (what the model does not know about this kernel selection), one field each.
		...reportNotes(report).flatMap(note => field('note:', note)),
		// Topology warnings, as a compiler prints them: file:line:column: message.
		...reportWarnings(report).flatMap(warning => field('warning:', warningLine(warning))),
	];
	if (report.topology.description.trim() !== '') {
		lines.push('', ...descriptionLines(report.topology.description, width));
	}

	return lines;
}

/** A preformatted line cut into pieces that fit (it has no word boundaries worth keeping). */
function cutLine(line: string, width: number, indent: string): string[] {
	const room = Math.max(1, width - indent.length);
	const pieces: string[] = [];
	for (let start = 0; start < line.length || pieces.length === 0; start += room) {
		pieces.push(`${indent}${line.slice(start, start + room)}`.trimEnd());
	}

	return pieces;
}

/** The topology description with its paragraphs, bullet lists and preformatted lines kept (description.ts). */
export function descriptionLines(description: string, width: number): string[] {
	const lines: string[] = [];
	for (const block of descriptionBlocks(description)) {
		if (block.blankBefore) {
			lines.push('');
		}

		switch (block.kind) {
			case 'paragraph': {
				lines.push(...wrap(toAscii(block.text), width, '  '));
				break;
			}

			case 'list': {
				for (const item of block.items) {
					const pad = '  '.repeat(item.depth + 1);
					const marker = toAscii(item.marker);
					lines.push(...wrap(toAscii(item.text), width, `${pad}${marker} `, `${pad}${' '.repeat(marker.length + 1)}`));
				}

				break;
			}

			case 'preformatted': {
				lines.push(...block.lines.flatMap(line => cutLine(toAscii(line), width, '    ')));
				break;
			}
		}
	}

	return lines;
}

function legend(report: AuditReport, width: number): string[] {
	return shownCategories(report.walkers.filter(walker => walker.status !== 'absent')).flatMap(id =>
		wrap(toAscii(CATEGORY_TITLES[id]), width, `  ${CATEGORY_SHORT[id].padEnd(7)}`, ' '.repeat(9)),
	);
}

function failingSection(report: AuditReport, walker: WalkerResult, width: number, perCategory: number, paint: Paint): string[] {
	const lines = paintFirst(wrap(toAscii(walker.name), width, 'FAIL ', '     '), 'FAIL', 'fail', paint);
	lines.push(...wrap(toAscii(walker.models), width, '     models: ', '             '));
	if (walker.form !== '') {
		lines.push(...wrap(toAscii(walker.form), width, '     form:   ', '             '));
	}

	if (walker.fixed_by) {
		lines.push(...wrap(toAscii(fixedByPhrase(walker.fixed_by)), width, '     fixed:  ', '             '));
	}

	for (const id of failingCategories(walker)) {
		const total = walker.failing[id];
		lines.push(`  ${id}: ${total} failing ${total === 1 ? 'touch' : 'touches'}${writesPhrase(walker, id)}`);
		lines.push(...witnessLines(witnessesOf(walker, id).filter(witness => witness.failing), report, width, perCategory, '    '));
	}

	return lines;
}

function errorSection(walker: WalkerResult, width: number, paint: Paint): string[] {
	const lines = paintFirst(wrap(`${toAscii(walker.name)} ${statusPhrase(walker)}`, width, 'ERROR ', '      '), 'ERROR', 'error', paint);
	lines.push(...wrap(toAscii(walker.models), width, '     models: ', '             '));
	lines.push(...wrap(toAscii(walker.error ?? 'no error sentence was recorded'), width, '     error:  ', '             '));
	lines.push(...wrap(`partial: ${walker.pfns_visited} pfns visited before it stopped`, width, '     '));
	return lines;
}

function passLine(walker: WalkerResult, width: number, paint: Paint): string[] {
	const touched = touchedCategories(walker)
		.map(id => `${CATEGORY_SHORT[id]} ${compactCount(walker.touches[id])}${writesOf(walker, id) > 0 ? ` (${compactCount(writesOf(walker, id))} writes)` : ''}`)
		.join(', ');
	const summary = `${walker.pfns_visited} pfns; ${touched === '' ? 'no touches' : touched}`;
	return paintFirst(wrap(`${toAscii(walker.name)}: ${summary}`, width, 'PASS ', '     '), 'PASS', 'pass', paint);
}

/** Colour the leading word of a wrapped block after wrapping, so colour never changes the layout. */
function paintFirst(lines: string[], word: string, style: Parameters<Paint>[1], paint: Paint): string[] {
	return lines.map((line, index) => (index === 0 && line.startsWith(word) ? `${paint(word, style)}${line.slice(word.length)}` : line));
}

/**
The topology file, armored (topology/embedded.ts, quoted-printable: ASCII within 76 columns), after a
sentence saying how to audit it again: give this report to `pfnaudit audit` in place of the file.
*/
function topologyBlock(report: AuditReport, width: number): string[] {
	const armor = armorLines(report, {ascii: true, columns: width});
	if (armor.length === 0) {
		return [];
	}

	const how = `The topology file ${report.topology.file}, embedded: to audit it again without the file, save this report and give it to pfnaudit audit in its place (kernel and patches come with it).`;
	return ['', ...wrap(toAscii(how), width), ...armor];
}

/** Renders the text report. Every line is at most `columns` (default 80) characters of ASCII. */
export function renderText(report: AuditReport, options: TextOptions = {}): string {
	const width = Math.max(60, options.columns ?? 80);
	const perCategory = options.witnessesPerCategory ?? 2;
	const paint = painter(options.color === true);
	const groups = groupWalkers(report);
	const rows = [...groups.failing, ...groups.errors, ...groups.passing];
	const lines = [...header(report, width, paint), '', ...wrap('Touches by walker and category (* failing, . none; k=10^3, M=10^6):', width), ''];
	lines.push(...renderTable(rows, width, paint), '', ...legend(report, width));
	for (const walker of groups.failing) {
		lines.push('', ...failingSection(report, walker, width, perCategory, paint));
	}

	for (const walker of groups.errors) {
		lines.push('', ...errorSection(walker, width, paint));
	}

	if (groups.passing.length + groups.absent.length > 0) {
		lines.push('');
	}

	for (const walker of groups.passing) {
		lines.push(...passLine(walker, width, paint));
	}

	for (const walker of groups.absent) {
		lines.push(...paintFirst(wrap(`${toAscii(walker.name)}: absent at v${toAscii(report.kernel)}`, width, 'SKIP ', '     '), 'SKIP', 'dim', paint));
	}

	lines.push(...topologyBlock(report, width));

	return `${lines.join('\n')}\n`;
}

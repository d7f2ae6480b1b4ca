/**
`--format md`: the report as a GitHub/GitLab comment or `$GITHUB_STEP_SUMMARY`: a facts table, the
walker × category table with every category as a column (failing cells bold), then one section
per failing walker whose witnesses sit in a collapsed `<details>` as a plain-text block, then
errors and passing walkers. GitHub rejects a step summary over 1 MiB ("supports content up to a
size of 1024k"), so the output is cut to `maxBytes` with a note saying what was left out.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_TITLES} from '../model/categories.js';
import {failingCategories, fixedByPhrase, groupSummary, groupWalkers, headlineVerdict, isFailingCell, reportNotes, reportWarnings, statusPhrase, warningWhere, witnessesOf, witnessLines, writesOf, writesPhrase} from './common.js';
import {descriptionBlocks} from './description.js';
import {armorLines} from '../topology/embedded.js';
import {htmlText, mdCode, mdText, toAscii} from './escape.js';
import {reproduceCommand} from './reproduce.js';

export type MarkdownOptions = {
	/** Size budget in bytes; default 1 MiB (GitHub's step-summary limit). */
	readonly maxBytes?: number;
	/** Witnesses shown per category of a failing walker; default 10. */
	readonly witnessesPerCategory?: number;
};

export const GITHUB_STEP_SUMMARY_LIMIT = 1024 * 1024;

/** Bytes of `text` in UTF-8 (lone surrogates count as the 3-byte U+FFFD they are written as). */
export function utf8Length(text: string): number {
	return Buffer.byteLength(text, 'utf8');
}

function header(report: AuditReport): string {
	const groups = groupWalkers(report);
	const verdict = headlineVerdict(report);
	const rows = [
		['topology', `${mdCode(report.topology.name)} (${mdCode(report.topology.file)})`],
		['arch', `${mdCode(report.arch)}: PAGE_SHIFT ${report.geometry.PAGE_SHIFT}, SECTION_SIZE_BITS ${report.geometry.SECTION_SIZE_BITS}, MAX_PHYSMEM_BITS ${report.geometry.MAX_PHYSMEM_BITS}`],
		['kernel', `v${mdText(report.kernel)} semantics`],
		['patches', report.patches.length === 0 ? 'none' : report.patches.map(patch => mdCode(patch)).join(' ')],
		['phases', report.phases.map(phase => mdCode(phase)).join(' ')],
		['fail-on', report.fail_on.map(id => mdCode(id)).join(' ')],
		['walkers', `${groupSummary(groups)} (of ${report.walkers.length})`],
		['reproduce', mdCode(reproduceCommand(report))],
	];
	const lines = [`## pfnaudit ${mdText(report.tool.version)}: ${verdict} on ${mdCode(report.topology.name)}`, '', '| | |', '|---|---|'];
	lines.push(...rows.map(([name, value]) => `| ${name} | ${value} |`));
	const notes = reportNotes(report);
	if (notes.length > 0) {
		lines.push('', '**Model notes**', '', ...notes.map(note => `- ${mdText(note)}`));
	}

	const warnings = reportWarnings(report);
	if (warnings.length > 0) {
		lines.push('', '**Topology warnings**', '', ...warnings.map(warning => `- ${mdCode(warningWhere(warning))}: ${mdText(warning.message)}`));
	}

	if (report.topology.description.trim() !== '') {
		lines.push('', ...descriptionQuote(report.topology.description));
	}

	return `${lines.join('\n')}\n`;
}

/**
The topology description as a block quote that keeps its paragraphs, bullet lists and
preformatted lines (description.ts). Blocks are always separated by a quoted blank line, so a
list never becomes a lazy continuation of the paragraph before it.
*/
function descriptionQuote(description: string): string[] {
	const lines: string[] = [];
	for (const block of descriptionBlocks(description)) {
		if (lines.length > 0) {
			lines.push('>');
		}

		switch (block.kind) {
			case 'paragraph': {
				lines.push(`> ${mdText(block.text)}`);
				break;
			}

			case 'list': {
				for (const item of block.items) {
					// Four spaces per level nest under both "- " and "1. " items without starting a code block.
					const marker = block.ordered && /^\d/.test(item.marker) ? item.marker.replace(')', '.') : '-';
					lines.push(`> ${'    '.repeat(item.depth)}${marker} ${mdText(item.text)}`);
				}

				break;
			}

			case 'preformatted': {
				lines.push(...fenced(block.lines.map(line => toAscii(line))).split('\n').map(line => `> ${line}`));
				break;
			}
		}
	}

	return lines;
}

/** Width of the plain-text witness blocks: GitHub shows code blocks without wrapping, so wrap them here. */
const WITNESS_WIDTH = 100;

function tableHead(): string {
	const columns = ['walker', 'verdict', ...CATEGORY_IDS];
	return [
		'### Touches by walker and category',
		'',
		'Failing cells (under `--fail-on`) are **bold**.',
		'',
		`| ${columns.join(' | ')} |`,
		`|---|---|${CATEGORY_IDS.map(() => '---:').join('|')}|`,
	]
		.join('\n')
		.concat('\n');
}

function verdictWord(walker: WalkerResult): string {
	if (walker.status === 'absent') {
		return 'absent';
	}

	if (walker.verdict === 'error') {
		return `**ERROR** (${statusPhrase(walker)})`;
	}

	return walker.verdict === 'fail' ? '**FAIL**' : 'pass';
}

function tableRow(walker: WalkerResult): string {
	const cells = CATEGORY_IDS.map(id => {
		const count = walker.touches[id];
		if (walker.status === 'absent') {
			return '';
		}

		const mark = writesOf(walker, id) > 0 ? ' (w)' : '';
		return isFailingCell(walker, id) ? `**${count}**${mark}` : `${count}${mark}`;
	});
	return `| ${mdCode(walker.name)} | ${verdictWord(walker)} | ${cells.join(' | ')} |\n`;
}

function legend(): string {
	return `\n<details><summary>Categories</summary>\n\n${CATEGORY_IDS.map(id => `- ${mdCode(id)}: ${mdText(CATEGORY_TITLES[id])}`).join('\n')}\n\n</details>\n`;
}

/** A fenced block whose fence is longer than any backtick run inside. */
function fenced(lines: string[]): string {
	const body = lines.join('\n');
	const longest = Math.max(2, ...[...body.matchAll(/`+/g)].map(match => match[0].length));
	const fence = '`'.repeat(longest + 1);
	return `${fence}text\n${body}\n${fence}`;
}

function failingSection(report: AuditReport, walker: WalkerResult, perCategory: number): string {
	const categories = failingCategories(walker);
	const counts = categories.map(id => `${id} ${walker.failing[id]}${writesOf(walker, id) > 0 ? ' (through writes)' : ''}`).join(', ');
	const facts = [`- models: ${mdCode(walker.models)}`];
	if (walker.form !== '') {
		facts.push(`- form: ${mdCode(walker.form)}`);
	}

	if (walker.fixed_by) {
		facts.push(`- fixed: ${mdText(fixedByPhrase(walker.fixed_by))}`);
	}

	const block: string[] = [];
	for (const id of categories) {
		block.push(`${id}: ${walker.failing[id]} failing of ${walker.touches[id]} touches${writesPhrase(walker, id)}`, ...witnessLines(witnessesOf(walker, id), report, WITNESS_WIDTH, perCategory, '  '));
	}

	return [
		'',
		`#### FAIL ${mdCode(walker.name)}: ${counts} failing`,
		'',
		...facts,
		'',
		`<details><summary>Witnesses of <code>${htmlText(walker.name)}</code></summary>`,
		'',
		fenced(block),
		'',
		'</details>',
		'',
	].join('\n');
}

function errorLine(walker: WalkerResult): string {
	return `- **ERROR** ${mdCode(walker.name)} ${statusPhrase(walker)}: ${mdText(walker.error ?? 'no error sentence was recorded')}\n`;
}

function otherLine(report: AuditReport, walker: WalkerResult): string {
	return walker.status === 'absent'
		? `- skip ${mdCode(walker.name)}: absent at v${mdText(report.kernel)}\n`
		: `- pass ${mdCode(walker.name)}: ${walker.pfns_visited} pfns visited, no failing touch\n`;
}

/**
The topology file, armored and verbatim (topology/embedded.ts) in a collapsed block: saved as a file, this
report can be audited again without the topology file.
*/
function topologyDetails(report: AuditReport): string {
	const armor = armorLines(report);
	if (armor.length === 0) {
		return '';
	}

	return [
		'',
		`<details><summary>Topology file <code>${htmlText(report.topology.file)}</code> (give this report to <code>pfnaudit audit</code> in its place to audit it again)</summary>`,
		'',
		fenced(armor),
		'',
		'</details>',
		'',
	].join('\n');
}

/** Renders the Markdown report, at most `maxBytes` bytes of UTF-8. */
export function renderMarkdown(report: AuditReport, options: MarkdownOptions = {}): string {
	const budget = options.maxBytes ?? GITHUB_STEP_SUMMARY_LIMIT;
	const perCategory = options.witnessesPerCategory ?? 10;
	const groups = groupWalkers(report);
	const rows = [...groups.failing, ...groups.errors, ...groups.passing, ...groups.absent];
	// Blocks in reading order; when the budget runs out, the rest is left out and counted.
	const blocks: Array<{text: string; walkerSection: boolean}> = [
		{text: header(report), walkerSection: false},
		{text: `\n${tableHead()}`, walkerSection: false},
		...rows.map(walker => ({text: tableRow(walker), walkerSection: false})),
		{text: legend(), walkerSection: false},
		...groups.failing.map(walker => ({text: failingSection(report, walker, perCategory), walkerSection: true})),
	];
	const topology = topologyDetails(report);
	if (groups.errors.length > 0) {
		blocks.push({text: '\n#### Errors\n\n', walkerSection: false}, ...groups.errors.map(walker => ({text: errorLine(walker), walkerSection: true})));
	}

	if (groups.passing.length + groups.absent.length > 0) {
		blocks.push(
			{text: '\n#### Passing and absent\n\n', walkerSection: false},
			...[...groups.passing, ...groups.absent].map(walker => ({text: otherLine(report, walker), walkerSection: true})),
		);
	}

	if (topology !== '') {
		blocks.push({text: topology, walkerSection: false});
	}

	const note = (left: number, sections: number) =>
		`\n> **Truncated:** ${left} of ${blocks.length} blocks (${sections} walker sections) were left out to stay within ${budget} bytes (GitHub's step-summary limit is 1 MiB); the JSON and HTML reports have everything.\n`;
	const whole = blocks.map(block => block.text).join('');
	if (utf8Length(whole) <= budget) {
		return whole;
	}

	const noteRoom = utf8Length(note(blocks.length, blocks.length));
	let out = '';
	let used = 0;
	let index = 0;
	for (; index < blocks.length; index++) {
		const size = utf8Length(blocks[index]?.text ?? '');
		// The whole report does not fit, so a note follows: every block must leave room for it.
		if (used + size + noteRoom > budget) {
			break;
		}

		out += blocks[index]?.text ?? '';
		used += size;
	}

	if (index < blocks.length) {
		const left = blocks.slice(index);
		out += note(left.length, left.filter(block => block.walkerSection).length);
	}

	return out;
}

/**
Several audits in one document (`pfnaudit audit a.yaml b.yaml --format F`), for the formats whose
combination is a concatenation: `text` and `md` get a short overview of every topology's
verdict, then each report in full behind a clear separator; `json` is an array of reports.
The structured formats combine inside their own writers (html.ts, ktap.ts, junit.ts, sarif.ts).
*/
import type {AuditReport} from '../engine/types.js';
import {combinedHeadline, groupSummary, groupWalkers, headlineVerdict, toolName, wrap} from './common.js';
import {mdCode, mdText, toAscii} from './escape.js';
import {toJsonReport} from './json.js';
import {GITHUB_STEP_SUMMARY_LIMIT, renderMarkdown, utf8Length, type MarkdownOptions} from './md.js';
import {painter, renderText, type TextOptions, verdictStyle} from './text.js';

/**
The text reports one after the other: an overview with a line per topology, then each report
under a `== 2/3: <topology> ====` rule as wide as the report.
*/
export function renderTextReports(reports: readonly AuditReport[], options: TextOptions = {}): string {
	const width = Math.max(60, options.columns ?? 80);
	const paint = painter(options.color === true);
	const verdict = combinedHeadline(reports);
	const lines = [`${toAscii(toolName(reports))} audit of ${reports.length} topologies: ${paint(verdict, verdictStyle(verdict))}`, ''];
	for (const report of reports) {
		const word = headlineVerdict(report);
		const line = `${word} ${report.topology.name} (${report.arch}, v${report.kernel}): ${groupSummary(groupWalkers(report))}`;
		const wrapped = wrap(toAscii(line), width, '  ', ' '.repeat(word.length + 3));
		lines.push(...wrapped.map((text, index) => (index === 0 ? text.replace(word, paint(word, verdictStyle(word))) : text)));
	}

	const parts = [lines.join('\n')];
	for (const [index, report] of reports.entries()) {
		const title = `== ${index + 1}/${reports.length}: ${toAscii(report.topology.name)} `;
		const rule = title.length + 2 <= width ? title.padEnd(width, '=') : '='.repeat(width);
		parts.push(`${rule}\n\n${renderText(report, {...options, columns: width}).trimEnd()}`);
	}

	return `${parts.join('\n\n')}\n`;
}

function markdownOverview(reports: readonly AuditReport[]): string {
	const rows = reports.map(report => {
		const word = headlineVerdict(report);
		const verdict = word === 'PASS' ? 'pass' : `**${word}**`;
		const patches = report.patches.length === 0 ? 'none' : report.patches.map(patch => mdCode(patch)).join(' ');
		return `| ${mdCode(report.topology.name)} | ${verdict} | ${mdCode(report.arch)} | v${mdText(report.kernel)} | ${patches} | ${groupSummary(groupWalkers(report))} |`;
	});
	return [
		`## ${mdText(toolName(reports))}: ${combinedHeadline(reports)} on ${reports.length} topologies`,
		'',
		'| topology | verdict | arch | kernel | patches | walkers |',
		'|---|---|---|---|---|---|',
		...rows,
		'',
	].join('\n');
}

/** A thematic break between reports; the blank line before it keeps it from turning the line above into a heading. */
const MD_SEPARATOR = '\n\n---\n\n';

/**
The Markdown reports one after the other, after an overview table, within one budget
(`maxBytes`, default 1 MiB, GitHub's step-summary limit): when the whole does not fit, every
report gets an equal share and truncates itself with its own note (md.ts).
*/
export function renderMarkdownReports(reports: readonly AuditReport[], options: MarkdownOptions = {}): string {
	const budget = options.maxBytes ?? GITHUB_STEP_SUMMARY_LIMIT;
	const overview = markdownOverview(reports);
	const join = (documents: readonly string[]) => [overview.trimEnd(), ...documents.map(document => document.trimEnd())].join(MD_SEPARATOR).concat('\n');
	const whole = join(reports.map(report => renderMarkdown(report, {...options, maxBytes: Number.MAX_SAFE_INTEGER})));
	if (utf8Length(whole) <= budget) {
		return whole;
	}

	const fixed = utf8Length(overview) + reports.length * utf8Length(MD_SEPARATOR) + 1;
	const share = Math.max(0, Math.floor((budget - fixed) / reports.length));
	return join(reports.map(report => renderMarkdown(report, {...options, maxBytes: share})));
}

/** A JSON array of reports, each exactly as `--format json` writes one. */
export function renderJsonReports(reports: readonly AuditReport[]): string {
	return `${JSON.stringify(reports.map(report => toJsonReport(report)), null, 2)}\n`;
}

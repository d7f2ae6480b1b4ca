/**
`--format html`: one self-contained file to keep as a CI artifact or attach to a bug. Inline CSS and
inline SVG only: no script, no font, no image, no request of any kind — a Content-Security-Policy
of `default-src 'none'` says so to the browser as well. It reads without JavaScript, prints
(colours kept, sections unbroken), and is well-formed XML (void elements self-closed, only the
XML entities), so strict XML tools can check it.

Contents: the verdict and the facts of the audit, the topology description with its paragraphs
and lists, the memory map (html-map.ts), the walker × category table with failing cells marked,
every witness of every failing walker, errors, and the passing and absent walkers. Several
audits (`pfnaudit audit a.yaml b.yaml`) make one page: an overview table, then one section per
topology, each with the same contents and ids prefixed so that they stay unique.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_TITLES} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {accessPhrase, combinedHeadline, failingCategories, fixedByPhrase, groupSummary, groupWalkers, headlineVerdict, isFailingCell, reportNotes, reportWarnings, separateChain, showPhases, statusPhrase, toolName, warningWhere, witnessesOf, writesOf, writesPhrase} from './common.js';
import {descriptionHtml} from './html-description.js';
import {armorLines} from '../topology/embedded.js';
import {reproduceCommand} from './reproduce.js';
import {htmlText} from './escape.js';
import {CATEGORY_COLORS, renderMapSvg} from './html-map.js';

const STYLE = `
:root { color-scheme: light; --fail: #b71c1c; --pass: #1b5e20; --error: #e65100; --muted: #546e7a; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 84rem; padding: 1rem 1.5rem 3rem; color: #212121; line-height: 1.45; }
code, .mono, td.num, .chain { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #cfd8dc; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.2rem 0 0.4rem; }
h4 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
.verdict { display: inline-block; padding: 0.05rem 0.6rem; border-radius: 0.3rem; color: #ffffff; font-weight: 700; }
.verdict.fail { background: var(--fail); }
.verdict.pass { background: var(--pass); }
.verdict.error { background: var(--error); }
.verdict.absent { background: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.15rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: 600; color: var(--muted); }
dl.facts dd { margin: 0; }
ul.notes { margin: 0; padding-left: 1.1rem; }
ul.warnings li { color: #8d4a00; }
pre.topology { font-size: 0.8rem; overflow-x: auto; background: #f5f7f8; padding: 0.5rem; }
.description { color: #37474f; max-width: 60rem; }
.description p, .description ul, .description ol { margin: 0.4rem 0; }
.description pre { background: #f5f7f8; padding: 0.4rem 0.6rem; overflow-x: auto; }
section.topology { border-top: 3px solid #cfd8dc; margin-top: 2.5rem; padding-top: 0.5rem; }
table.overview { font-size: 0.9rem; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.8rem; }
th, td { border: 1px solid #cfd8dc; padding: 0.15rem 0.3rem; }
th { background: #eceff1; }
th.cat { white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
th[scope="row"] { text-align: left; white-space: nowrap; }
td.zero { color: #b0bec5; }
td.fail { background: #ffcdd2; color: var(--fail); font-weight: 700; }
td.fail::after { content: " *"; }
.swatch { display: inline-block; width: 0.8rem; height: 0.8rem; border: 1px solid #546e7a; vertical-align: -0.1rem; margin-right: 0.25rem; }
.table-wrap { overflow-x: auto; }
article.walker { border-left: 4px solid var(--fail); padding-left: 0.9rem; margin: 1rem 0; }
article.walker.error { border-left-color: var(--error); }
ol.witnesses { padding-left: 1.4rem; }
ol.witnesses li { margin: 0.35rem 0; }
.chain { color: #37474f; }
.why { margin: 0.1rem 0 0; }
.muted { color: var(--muted); }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  article.walker, figure, table { break-inside: avoid; }
  .table-wrap, figure { overflow: visible; }
}
`;

function facts(report: AuditReport): string {
	const groups = groupWalkers(report);
	const g = report.geometry;
	const rows: Array<[string, string]> = [
		['topology', `<code>${htmlText(report.topology.name)}</code> <span class="muted">(${htmlText(report.topology.file)})</span>`],
		['arch', `<code>${htmlText(report.arch)}</code>`],
		['kernel', `v${htmlText(report.kernel)} semantics`],
		['patches', report.patches.length === 0 ? 'none' : report.patches.map(patch => `<code>${htmlText(patch)}</code>`).join(' ')],
		['phases', report.phases.map(phase => `<code>${htmlText(phase)}</code>`).join(' ')],
		['fail-on', report.fail_on.map(id => `<code>${id}</code>`).join(' ')],
		[
			'geometry',
			`<span class="mono">PAGE_SHIFT ${g.PAGE_SHIFT}, SECTION_SIZE_BITS ${g.SECTION_SIZE_BITS}, MAX_PHYSMEM_BITS ${g.MAX_PHYSMEM_BITS}, PAGES_PER_SECTION ${hex(g.PAGES_PER_SECTION)}, PAGES_PER_SUBSECTION ${hex(g.PAGES_PER_SUBSECTION)}, NR_MEM_SECTIONS ${hex(g.NR_MEM_SECTIONS)}, memory_block_size ${hex(g.memory_block_size)}</span>`,
		],
		['walkers', `${htmlText(groupSummary(groups))} (of ${report.walkers.length})`],
		['reproduce', `<code>${htmlText(reproduceCommand(report))}</code>`],
		...(reportNotes(report).length > 0
			? ([['notes', `<ul class="notes">${reportNotes(report).map(note => `<li>${htmlText(note)}</li>`).join('')}</ul>`]] as Array<[string, string]>)
			: []),
		...(reportWarnings(report).length > 0
			? ([
					[
						'warnings',
						`<ul class="notes warnings">${reportWarnings(report)
							.map(warning => `<li><code>${htmlText(warningWhere(warning))}</code>: ${htmlText(warning.message)}</li>`)
							.join('')}</ul>`,
					],
				] as Array<[string, string]>)
			: []),
		['tool', `${htmlText(report.tool.name)} ${htmlText(report.tool.version)}`],
	];
	return `<dl class="facts">\n${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('\n')}\n</dl>`;
}

/** One report inside a page: its heading level (1 alone, 2 inside a page of several) and id prefix. */
type Ctx = {readonly report: AuditReport; readonly prefix: string; readonly level: number};

/** A heading `depth` levels below the report's own (`<h1>` for the title of a report alone). */
function heading(ctx: Ctx, depth: number, html: string): string {
	const level = Math.min(6, ctx.level + depth);
	return `<h${level}>${html}</h${level}>`;
}

function walkerAnchor(ctx: Ctx, walker: WalkerResult): string {
	return `${ctx.prefix}walker-${ctx.report.walkers.indexOf(walker) + 1}`;
}

function verdictBadge(walker: WalkerResult): string {
	if (walker.status === 'absent') {
		return '<span class="verdict absent">absent</span>';
	}

	const kind = walker.verdict === 'error' || walker.status !== 'ok' ? 'error' : walker.verdict;
	return `<span class="verdict ${kind}">${kind.toUpperCase()}</span>`;
}

function tally(ctx: Ctx, ordered: readonly WalkerResult[]): string {
	const head = CATEGORY_IDS.map(id => `<th class="cat" scope="col" title="${htmlText(CATEGORY_TITLES[id])}"><span class="swatch" style="background: ${CATEGORY_COLORS[id]}"></span>${id}</th>`).join('');
	const rows = ordered.map(walker => {
		const cells = CATEGORY_IDS.map(id => {
			if (walker.status === 'absent') {
				return '<td class="num zero">-</td>';
			}

			const count = walker.touches[id];
			const writes = writesOf(walker, id);
			const mark = writes > 0 ? '<sup class="write">w</sup>' : '';
			const wrote = writes > 0 ? `${writes} of them writes` : '';
			if (isFailingCell(walker, id)) {
				return `<td class="num fail" title="${walker.failing[id]} failing under --fail-on${wrote === '' ? '' : `; ${wrote}`}">${count}${mark}</td>`;
			}

			return `<td class="num${count === 0 ? ' zero' : ''}"${wrote === '' ? '' : ` title="${wrote}"`}>${count}${mark}</td>`;
		}).join('');
		// Failing walkers and walkers that did not finish have a section of their own to link to.
		const name = walker.status !== 'absent' && (walker.verdict !== 'pass' || walker.status !== 'ok') ? `<a href="#${walkerAnchor(ctx, walker)}"><code>${htmlText(walker.name)}</code></a>` : `<code>${htmlText(walker.name)}</code>`;
		return `<tr><th scope="row">${name}</th><td>${verdictBadge(walker)}</td>${cells}</tr>`;
	});
	return `<div class="table-wrap"><table>\n<thead><tr><th scope="col">walker</th><th scope="col">verdict</th>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>\n<p class="muted">Cells count struct-page touches; a red cell with * fails under --fail-on; w marks a category the walker reaches through a write. Hover a category for its meaning.</p>`;
}

function walkerFacts(walker: WalkerResult): string {
	const rows: Array<[string, string]> = [
		['models', `<code>${htmlText(walker.models)}</code>`],
		['form', walker.form === '' ? '-' : `<code>${htmlText(walker.form)}</code>`],
		['guard', htmlText(walker.guard)],
		['source', `<code>${htmlText(walker.file)}</code>${walker.builtin ? '' : ' (user walker)'}`],
		['visited', `${walker.pfns_visited} pfns`],
	];
	if (walker.fixed_by) {
		rows.push(['fixed', htmlText(fixedByPhrase(walker.fixed_by))]);
	}

	if (walker.error) {
		rows.push(['error', htmlText(walker.error)]);
	}

	return `<dl class="facts">${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('')}</dl>`;
}

function witnessItem(ctx: Ctx, witness: WalkerResult['witnesses'][number]): string {
	const phase = showPhases(ctx.report) ? `, phase <code>${htmlText(witness.phase)}</code>` : '';
	// The chain on a line of its own only when the sentence does not already start with it.
	const chain = separateChain(witness) === undefined ? '' : `<br/><span class="chain">${htmlText(witness.chain.join(' \u2192 '))}</span>`;
	return `<li><span class="mono">pfn ${hex(witness.pfn)}</span> (section ${hex(witness.section_nr)}${phase}): ${htmlText(accessPhrase(witness))}${witness.failing ? '' : ' <span class="muted">(not failing)</span>'}${chain}<p class="why">${htmlText(witness.why)}</p></li>`;
}

function failingArticle(ctx: Ctx, walker: WalkerResult): string {
	// Failing categories first, then any other category the engine kept a witness for (the
	// engine keeps none for `ok`, so a category with touches but no witness is not listed).
	const shown = [...failingCategories(walker), ...CATEGORY_IDS.filter(id => !isFailingCell(walker, id) && witnessesOf(walker, id).length > 0)];
	const categories = shown.map(id => {
		const items = witnessesOf(walker, id).map(witness => witnessItem(ctx, witness));
		const list = items.length === 0 ? '<p class="muted">No witness was recorded.</p>' : `<ol class="witnesses">${items.join('')}</ol>`;
		const counts = isFailingCell(walker, id) ? `${walker.failing[id]} failing of ${walker.touches[id]} touches${writesPhrase(walker, id)}` : `${walker.touches[id]} touches${writesPhrase(walker, id)}, not failing`;
		return `${heading(ctx, 3, `<span class="swatch" style="background: ${CATEGORY_COLORS[id]}"></span>${id}: ${counts} <span class="muted">- ${htmlText(CATEGORY_TITLES[id])}</span>`)}\n${list}`;
	});
	return `<article class="walker" id="${walkerAnchor(ctx, walker)}">\n${heading(ctx, 2, `${verdictBadge(walker)} <code>${htmlText(walker.name)}</code>`)}\n${walkerFacts(walker)}\n${categories.join('\n')}\n</article>`;
}

function errorArticle(ctx: Ctx, walker: WalkerResult): string {
	return `<article class="walker error" id="${walkerAnchor(ctx, walker)}">\n${heading(ctx, 2, `${verdictBadge(walker)} <code>${htmlText(walker.name)}</code> ${htmlText(statusPhrase(walker))}`)}\n${walkerFacts(walker)}\n</article>`;
}

function otherItem(report: AuditReport, walker: WalkerResult): string {
	const what = walker.status === 'absent' ? `absent at v${htmlText(report.kernel)}` : `${walker.pfns_visited} pfns visited, no failing touch`;
	return `<li>${verdictBadge(walker)} <code>${htmlText(walker.name)}</code> <span class="muted">${htmlText(walker.models)}</span>: ${what}</li>`;
}

/** The `<header>` and the body sections of one report. */
function reportBody(ctx: Ctx): {header: string; main: string[]} {
	const {report, prefix} = ctx;
	const groups = groupWalkers(report);
	const ordered = [...groups.failing, ...groups.errors, ...groups.passing, ...groups.absent];
	const verdict = headlineVerdict(report);
	const header = [
		'<header>',
		heading(ctx, 0, `pfnaudit <span class="verdict ${verdict.toLowerCase()}">${verdict}</span> <code>${htmlText(report.topology.name)}</code>`),
		descriptionHtml(report.topology.description),
		facts(report),
		'</header>',
	];
	const sections = [
		`<section id="${prefix}map">\n${heading(ctx, 1, 'Memory map')}\n<figure>\n${renderMapSvg(report, prefix)}\n<figcaption>Segment widths grow with log2 of the pfn count (the axis is not to scale); labels are start pfns in hex. Hover a segment for its pfn and physical range; triangles mark failing witnesses. A red outline marks a category in the --fail-on set.</figcaption>\n</figure>\n</section>`,
		`<section id="${prefix}tally">\n${heading(ctx, 1, 'Touches by walker and category')}\n${tally(ctx, ordered)}\n</section>`,
	];
	if (groups.failing.length > 0) {
		sections.push(`<section id="${prefix}failing">\n${heading(ctx, 1, 'Failing walkers')}\n${groups.failing.map(walker => failingArticle(ctx, walker)).join('\n')}\n</section>`);
	}

	if (groups.errors.length > 0) {
		sections.push(`<section id="${prefix}errors">\n${heading(ctx, 1, 'Walkers that did not finish')}\n${groups.errors.map(walker => errorArticle(ctx, walker)).join('\n')}\n</section>`);
	}

	if (groups.passing.length + groups.absent.length > 0) {
		sections.push(`<section id="${prefix}passing">\n${heading(ctx, 1, 'Passing and absent walkers')}\n<ul>\n${[...groups.passing, ...groups.absent].map(walker => otherItem(report, walker)).join('\n')}\n</ul>\n</section>`);
	}

	const armor = armorLines(report);
	if (armor.length > 0) {
		// A newline right after <pre> is dropped by HTML parsers; the armor starts on a line of its own.
		sections.push(
			`<section id="${prefix}topology">\n${heading(ctx, 1, 'Topology file')}\n<details><summary><code>${htmlText(report.topology.file)}</code>: save this page and give it to <code>pfnaudit audit</code> in place of the file to audit it again</summary>\n<pre class="topology">\n${armor.map(line => htmlText(line)).join('\n')}\n</pre></details>\n</section>`,
		);
	}

	return {header: header.filter(part => part !== '').join('\n'), main: sections};
}

function page(title: string, generator: string, body: readonly string[]): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8"/>',
		'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'"/>',
		'<meta name="viewport" content="width=device-width, initial-scale=1"/>',
		`<meta name="generator" content="${htmlText(generator)}"/>`,
		`<title>${htmlText(title)}</title>`,
		`<style>${STYLE}</style>`,
		'</head>',
		'<body>',
		...body,
		'</body>',
		'</html>',
		'',
	].join('\n');
}

function footer(report: AuditReport): string {
	return `<footer class="muted"><p>${htmlText(`${report.tool.name} ${report.tool.version}`)}; the JSON report (--format json) carries the same data.</p></footer>`;
}

/** Renders the HTML report. */
export function renderHtml(report: AuditReport): string {
	const title = `pfnaudit ${headlineVerdict(report)}: ${report.topology.name} (${report.arch}, v${report.kernel})`;
	const {header, main} = reportBody({report, prefix: '', level: 1});
	return page(title, `${report.tool.name} ${report.tool.version}`, [header, '<main>', ...main, '</main>', footer(report)]);
}

/**
Several reports as one page: an overview table linking to one `<section class="topology">` per
report (ids `t1-…`, `t2-…`), each with the contents of a report rendered alone.
*/
export function renderHtmlReports(reports: readonly AuditReport[]): string {
	const failed = reports.filter(report => report.verdict === 'fail').length;
	const verdict = combinedHeadline(reports).toLowerCase();
	const first = reports[0];
	const rows = reports.map((report, index) => {
		const groups = groupWalkers(report);
		const word = headlineVerdict(report);
		const badge = `<span class="verdict ${word.toLowerCase()}">${word}</span>`;
		return `<tr><th scope="row"><a href="#t${index + 1}"><code>${htmlText(report.topology.name)}</code></a></th><td>${badge}</td><td><code>${htmlText(report.arch)}</code></td><td>v${htmlText(report.kernel)}</td><td>${report.patches.length === 0 ? 'none' : report.patches.map(patch => `<code>${htmlText(patch)}</code>`).join(' ')}</td><td>${htmlText(groupSummary(groups))}</td><td class="muted">${htmlText(report.topology.file)}</td></tr>`;
	});
	const overview = [
		'<header>',
		`<h1>pfnaudit <span class="verdict ${verdict}">${verdict.toUpperCase()}</span> ${reports.length} topologies</h1>`,
		`<p>${failed} of ${reports.length} topologies fail.</p>`,
		'<div class="table-wrap"><table class="overview">',
		'<thead><tr><th scope="col">topology</th><th scope="col">verdict</th><th scope="col">arch</th><th scope="col">kernel</th><th scope="col">patches</th><th scope="col">walkers</th><th scope="col">file</th></tr></thead>',
		`<tbody>\n${rows.join('\n')}\n</tbody>`,
		'</table></div>',
		'</header>',
	];
	const sections = reports.map((report, index) => {
		const {header, main} = reportBody({report, prefix: `t${index + 1}-`, level: 2});
		return [`<section class="topology" id="t${index + 1}">`, header, ...main, '</section>'].join('\n');
	});
	return page(`pfnaudit ${verdict.toUpperCase()}: ${reports.length} topologies`, toolName(reports), [...overview, '<main>', ...sections, '</main>', first ? footer(first) : '']);
}

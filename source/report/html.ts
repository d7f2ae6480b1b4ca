/**
`--format html`: one self-contained file to keep as a CI artifact or attach to a bug. Inline CSS and
inline SVG only: no script, no font, no image, no request of any kind — a Content-Security-Policy
of `default-src 'none'` says so to the browser as well. It reads without JavaScript, prints
(colours kept, sections unbroken), and is well-formed XML (void elements self-closed, only the
XML entities), so strict XML tools can check it.

Contents: the verdict and the facts of the audit, the memory map (html-map.ts), the walker ×
category table with failing cells marked, every witness of every failing walker, errors, and
the passing and absent walkers.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_TITLES} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {accessPhrase, failingCategories, fixedByPhrase, groupSummary, groupWalkers, isFailingCell, showPhases, statusPhrase, witnessesOf} from './common.js';
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
.description { color: #37474f; max-width: 60rem; }
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
		['tool', `${htmlText(report.tool.name)} ${htmlText(report.tool.version)}`],
	];
	return `<dl class="facts">\n${rows.map(([name, value]) => `<dt>${name}</dt><dd>${value}</dd>`).join('\n')}\n</dl>`;
}

function walkerAnchor(report: AuditReport, walker: WalkerResult): string {
	return `walker-${report.walkers.indexOf(walker) + 1}`;
}

function verdictBadge(walker: WalkerResult): string {
	if (walker.status === 'absent') {
		return '<span class="verdict absent">absent</span>';
	}

	const kind = walker.verdict === 'error' || walker.status !== 'ok' ? 'error' : walker.verdict;
	return `<span class="verdict ${kind}">${kind.toUpperCase()}</span>`;
}

function tally(report: AuditReport, ordered: readonly WalkerResult[]): string {
	const head = CATEGORY_IDS.map(id => `<th class="cat" scope="col" title="${htmlText(CATEGORY_TITLES[id])}"><span class="swatch" style="background: ${CATEGORY_COLORS[id]}"></span>${id}</th>`).join('');
	const rows = ordered.map(walker => {
		const cells = CATEGORY_IDS.map(id => {
			if (walker.status === 'absent') {
				return '<td class="num zero">-</td>';
			}

			const count = walker.touches[id];
			if (isFailingCell(walker, id)) {
				return `<td class="num fail" title="${walker.failing[id]} failing under --fail-on">${count}</td>`;
			}

			return `<td class="num${count === 0 ? ' zero' : ''}">${count}</td>`;
		}).join('');
		// Failing walkers and walkers that did not finish have a section of their own to link to.
		const name = walker.status !== 'absent' && (walker.verdict !== 'pass' || walker.status !== 'ok') ? `<a href="#${walkerAnchor(report, walker)}"><code>${htmlText(walker.name)}</code></a>` : `<code>${htmlText(walker.name)}</code>`;
		return `<tr><th scope="row">${name}</th><td>${verdictBadge(walker)}</td>${cells}</tr>`;
	});
	return `<div class="table-wrap"><table>\n<thead><tr><th scope="col">walker</th><th scope="col">verdict</th>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table></div>\n<p class="muted">Cells count struct-page touches; a red cell with * fails under --fail-on. Hover a category for its meaning.</p>`;
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

function failingArticle(report: AuditReport, walker: WalkerResult): string {
	// Failing categories first, then any other category the engine kept a witness for.
	const shown = [...failingCategories(walker), ...CATEGORY_IDS.filter(id => !isFailingCell(walker, id) && witnessesOf(walker, id).length > 0)];
	const categories = shown.map(id => {
		const items = witnessesOf(walker, id).map(witness => {
			const phase = showPhases(report) ? `, phase <code>${htmlText(witness.phase)}</code>` : '';
			return `<li><span class="mono">pfn ${hex(witness.pfn)}</span> (section ${witness.section_nr}${phase}): ${htmlText(accessPhrase(witness))}${witness.failing ? '' : ' <span class="muted">(not failing)</span>'}<br/><span class="chain">${htmlText(witness.chain.join(' \u2192 '))}</span><p class="why">${htmlText(witness.why)}</p></li>`;
		});
		const list = items.length === 0 ? '<p class="muted">No witness was recorded.</p>' : `<ol class="witnesses">${items.join('')}</ol>`;
		const counts = isFailingCell(walker, id) ? `${walker.failing[id]} failing of ${walker.touches[id]} touches` : `${walker.touches[id]} touches, not failing`;
		return `<h4><span class="swatch" style="background: ${CATEGORY_COLORS[id]}"></span>${id}: ${counts} <span class="muted">- ${htmlText(CATEGORY_TITLES[id])}</span></h4>\n${list}`;
	});
	return `<article class="walker" id="${walkerAnchor(report, walker)}">\n<h3>${verdictBadge(walker)} <code>${htmlText(walker.name)}</code></h3>\n${walkerFacts(walker)}\n${categories.join('\n')}\n</article>`;
}

function errorArticle(report: AuditReport, walker: WalkerResult): string {
	return `<article class="walker error" id="${walkerAnchor(report, walker)}">\n<h3>${verdictBadge(walker)} <code>${htmlText(walker.name)}</code> ${htmlText(statusPhrase(walker))}</h3>\n${walkerFacts(walker)}\n</article>`;
}

function otherItem(report: AuditReport, walker: WalkerResult): string {
	const what = walker.status === 'absent' ? `absent at v${htmlText(report.kernel)}` : `${walker.pfns_visited} pfns visited, no failing touch`;
	return `<li>${verdictBadge(walker)} <code>${htmlText(walker.name)}</code> <span class="muted">${htmlText(walker.models)}</span>: ${what}</li>`;
}

/** Renders the HTML report. */
export function renderHtml(report: AuditReport): string {
	const groups = groupWalkers(report);
	const ordered = [...groups.failing, ...groups.errors, ...groups.passing, ...groups.absent];
	const verdict = report.verdict === 'fail' ? 'FAIL' : 'PASS';
	const title = `pfnaudit ${verdict}: ${report.topology.name} (${report.arch}, v${report.kernel})`;
	const sections = [
		`<header>\n<h1>pfnaudit <span class="verdict ${report.verdict}">${verdict}</span> <code>${htmlText(report.topology.name)}</code></h1>`,
		report.topology.description.trim() === '' ? '' : `<p class="description">${htmlText(report.topology.description)}</p>`,
		facts(report),
		'</header>\n<main>',
		`<section id="map">\n<h2>Memory map</h2>\n<figure>\n${renderMapSvg(report)}\n<figcaption>Segment widths grow with log2 of the pfn count (the axis is not to scale); labels are start pfns in hex. Hover a segment for its pfn and physical range; triangles mark failing witnesses. A red outline marks a category in the --fail-on set.</figcaption>\n</figure>\n</section>`,
		`<section id="tally">\n<h2>Touches by walker and category</h2>\n${tally(report, ordered)}\n</section>`,
	];
	if (groups.failing.length > 0) {
		sections.push(`<section id="failing">\n<h2>Failing walkers</h2>\n${groups.failing.map(walker => failingArticle(report, walker)).join('\n')}\n</section>`);
	}

	if (groups.errors.length > 0) {
		sections.push(`<section id="errors">\n<h2>Walkers that did not finish</h2>\n${groups.errors.map(walker => errorArticle(report, walker)).join('\n')}\n</section>`);
	}

	if (groups.passing.length + groups.absent.length > 0) {
		sections.push(`<section id="passing">\n<h2>Passing and absent walkers</h2>\n<ul>\n${[...groups.passing, ...groups.absent].map(walker => otherItem(report, walker)).join('\n')}\n</ul>\n</section>`);
	}

	sections.push(`</main>\n<footer class="muted"><p>${htmlText(`${report.tool.name} ${report.tool.version}`)}; the JSON report (--format json) carries the same data.</p></footer>`);
	return [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8"/>',
		'<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'"/>',
		'<meta name="viewport" content="width=device-width, initial-scale=1"/>',
		`<meta name="generator" content="${htmlText(`${report.tool.name} ${report.tool.version}`)}"/>`,
		`<title>${htmlText(title)}</title>`,
		`<style>${STYLE}</style>`,
		'</head>',
		'<body>',
		...sections.filter(section => section !== ''),
		'</body>',
		'</html>',
		'',
	].join('\n');
}

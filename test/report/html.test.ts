import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {renderReport} from '../../source/report/index.js';
import {renderMapSvg} from '../../source/report/html-map.js';
import {passingReport, phasedReport, showcaseReport} from '../fixtures/report-showcase.js';
import {allElements, parseXml, type XmlElement} from './helpers/validators.js';

function byName(root: XmlElement, name: string): XmlElement[] {
	return allElements(root).filter(element => element.name === name);
}

function textOf(element: XmlElement): string {
	return element.text + element.children.map(child => textOf(child)).join('');
}

// A test that renders the showcase report as one self-contained HTML file. Expect a document
// that is well-formed XML (checked with saxes, strict), an inline SVG memory map with one
// segment per map region (plus the gaps), hex labels and <title> tooltips, the tally table with
// failing cells marked, every witness, and nothing that would make a request.
describe('html report', () => {
	const html = renderReport(showcaseReport, 'html');
	const root = parseXml(html);

	it.each([
		['showcase', showcaseReport],
		['passing', passingReport],
		['phased', phasedReport],
	])('is well-formed XML for the %s report, SVG included', (_name, report) => {
		const document = parseXml(renderReport(report, 'html'));
		expect(document.name).toBe('html');
		expect(parseXml(renderMapSvg(report)).name).toBe('svg');
	});

	it('is self-contained: no script, no external resource, a CSP that forbids requests', () => {
		expect(byName(root, 'script')).toHaveLength(0);
		expect(byName(root, 'link')).toHaveLength(0);
		expect(byName(root, 'img')).toHaveLength(0);
		const csp = byName(root, 'meta').find(meta => meta.attributes['http-equiv'] === 'Content-Security-Policy');
		expect(csp?.attributes.content).toBe("default-src 'none'; style-src 'unsafe-inline'");
		for (const element of allElements(root)) {
			for (const [name, value] of Object.entries(element.attributes)) {
				if (name === 'href') {
					expect(value.startsWith('#')).toBe(true);
				}

				expect(name).not.toBe('src');
				expect(name.startsWith('on')).toBe(false);
			}
		}

		// The only URL in the file is the SVG namespace name, which is never fetched.
		expect(html.match(/https?:\/\/[^\s"'<)]+/g)).toEqual(['http://www.w3.org/2000/svg']);
		expect(html).not.toMatch(/@import|url\((?!#gap\))/);
	});

	it('draws the map with a segment per region and gap, hex labels and tooltips', () => {
		const svg = byName(root, 'svg')[0]!;
		expect(svg.attributes).toMatchObject({role: 'img', 'aria-labelledby': 'map-title map-desc'});
		const segments = allElements(svg).filter(element => element.name === 'g' && element.attributes.class?.startsWith('segment'));
		expect(segments).toHaveLength(showcaseReport.map.length);
		const tips = segments.map(segment => textOf(segment.children.find(child => child.name === 'title')!));
		expect(tips[3]).toBe(
			'fsdax@0x23c000000 reserve\nC5: ZONE_DEVICE altmap reserve ("pages mapped, but reserved for driver"): never initialized\npfn [0x23c000, 0x23c002) = 2 pfns\nphys [0x23c000000, 0x23c002000) = 8K',
		);
		expect(tips.at(-1)).toContain('pfn [0x400000000, 0x10000000000) = 1082331758592 pfns');
		// Failing categories are outlined; C2 and ok are not.
		expect(segments.map(segment => segment.attributes.class)).toEqual([
			'segment',
			'segment',
			'segment',
			'segment failing',
			'segment failing',
			'segment',
			'segment failing',
			'segment failing',
			'segment',
			'segment failing',
			'segment failing',
			'segment failing',
			'segment failing',
			'segment failing',
		]);
		const labels = allElements(svg).filter(element => element.attributes.class === 'axis').map(element => element.text);
		expect(labels[0]).toBe('0x0');
		expect(labels.at(-1)).toBe('0x10000000000');
		expect(labels).toContain('0x23c000');
		// Widths follow log2 of the size: the 2-pfn reserve is narrow but visible, 2^40 pfns is not 10^11 times wider.
		const widths = segments.map(segment => Number(segment.children.find(child => child.name === 'rect')?.attributes.width));
		expect(Math.min(...widths)).toBeGreaterThanOrEqual(8);
		expect(Math.max(...widths) / Math.min(...widths)).toBeLessThan(12);
		const legend = allElements(svg).filter(element => element.attributes.class === 'legend').map(element => element.text);
		// hole and nomap are in --fail-on but fail only where uninitialized: this v5.10 hole is initialized.
		expect(legend).toEqual(['ok', 'C1 (failing)', 'C2', 'C3 (failing)', 'C4 (failing)', 'C5 (failing)', 'metadata (failing)', 'hole', 'nomap', 'teardown (failing)', 'unbacked (failing)', 'oob (failing)', 'hvo']);
		const failingHole: AuditReport = {...showcaseReport, walkers: [{...showcaseReport.walkers[0]!, failing: {...showcaseReport.walkers[0]!.failing, hole: 97}}]};
		expect(renderMapSvg(failingHole)).toContain('>hole (failing)<');
	});

	it('extends the map to failing witnesses past its end', () => {
		const beyond: AuditReport = {...showcaseReport, map: showcaseReport.map.slice(0, -1)};
		const svg = parseXml(renderMapSvg(beyond));
		const segments = allElements(svg).filter(element => element.name === 'g' && element.attributes.class?.startsWith('segment'));
		expect(segments).toHaveLength(showcaseReport.map.length);
		expect(textOf(segments.at(-1)!.children[0]!)).toMatch(/^beyond NR_MEM_SECTIONS\noob: .*\npfn \[0x400000000, 0x400000001\) = 1 pfn\n/);
		expect(byName(svg, 'path').filter(element => element.attributes.class === 'marker')).toHaveLength(showcaseReport.walkers.flatMap(walker => walker.witnesses.filter(witness => witness.failing)).length);
	});

	it('marks every failing witness on the map', () => {
		const markers = byName(root, 'path').filter(element => element.attributes.class === 'marker');
		const failing = showcaseReport.walkers.flatMap(walker => walker.witnesses.filter(witness => witness.failing));
		expect(markers).toHaveLength(failing.length);
		expect(textOf(markers[0]!.children[0]!)).toBe('memory_failure: C4 at pfn 0x400000');
	});

	it('makes gaps between map regions visible instead of stretching neighbours', () => {
		const gappy: AuditReport = {...showcaseReport, map: [showcaseReport.map[0]!, showcaseReport.map[2]!]};
		const svg = parseXml(renderMapSvg(gappy));
		const tips = allElements(svg).filter(element => element.name === 'g' && element.attributes.class === 'segment').map(segment => textOf(segment.children[0]!));
		expect(tips[1]).toBe('not in the map\npfn [0x9f, 0x100) = 97 pfns\nphys [0x9f000, 0x100000) = 388K');
	});

	it('tabulates every walker with failing cells marked', () => {
		const rows = byName(root, 'tr');
		expect(rows).toHaveLength(1 + showcaseReport.walkers.length);
		const head = rows[0]!.children.map(cell => textOf(cell));
		expect(head).toEqual(['walker', 'verdict', ...CATEGORY_IDS]);
		const first = rows[1]!;
		expect(textOf(first.children[0]!)).toBe('memory_failure');
		const failingCells = first.children.filter(cell => cell.attributes.class === 'num fail').map(cell => cell.text);
		expect(failingCells).toEqual(['254464', '2', '4352']);
		expect(first.children[0]!.children[0]!.attributes.href).toBe('#walker-1');
	});

	it('links only to sections that exist', () => {
		const ids = new Set(allElements(root).map(element => element.attributes.id).filter(Boolean));
		const targets = allElements(root)
			.map(element => element.attributes.href)
			.filter((href): href is string => href !== undefined);
		expect(targets).toHaveLength(6);
		for (const href of targets) {
			expect(ids.has(href.slice(1)), href).toBe(true);
		}
	});

	it('lists every witness of failing walkers, hostile text escaped', () => {
		const articles = byName(root, 'article');
		expect(articles.map(article => article.attributes.id)).toEqual(['walker-1', 'walker-2', 'walker-4', 'walker-6', 'walker-8', 'walker-3']);
		const witnesses = byName(root, 'li').filter(item => item.children[0]?.attributes.class === 'mono' && item.children[0].text.startsWith('pfn 0x'));
		expect(witnesses).toHaveLength(showcaseReport.walkers.reduce((sum, walker) => sum + walker.witnesses.length, 0));
		expect(html).toContain('NR_SECTION_ROOTS &lt;2048&gt; &amp; #oob \\x1b[31mno bound check\\x1b[0m\\x07');
		expect(html).toContain('memory_failure \u2192 memory_failure_dev_pagemap \u2192 dax_lock_page');
		expect(html).toContain('34dc45be4563 (&quot;mm: fix memory_failure() handling of dax-namespace metadata&quot;) in v5.12');
		// The kpageflags_read hole witness is shown, marked as not failing.
		expect(html).toContain('hole: 97 touches, not failing');
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {InputError} from '../../source/errors/input-error.js';
import {renderReport, renderReports, REPORT_FORMATS} from '../../source/report/index.js';
import {SARIF_MAX_RUNS} from '../../source/report/sarif.js';
import {passingReport, showcaseReport} from '../fixtures/report-showcase.js';
import {checkKtap} from './helpers/ktap-checker.js';
import {kunitDir, kunitParse} from './helpers/kunit.js';
import {allElements, parseXml, reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

// Three audits in one document, as `pfnaudit audit a.yaml b.yaml c.yaml --format F` writes them
// for CI systems that want one artifact:
//
//   1 x86-fsdax-collision  x86_64    v5.10                       ERROR (5 fail, 1 error)
//   2 x86-clean            x86_64    v5.10                       PASS
//   3 arm64-collision      arm64-4k  v6.12 +arm64-pfn-valid-v2   FAIL (5 fail, no error)
//
// Expect each combined document to pass the validator its single form passes (schema, strict
// XML, the KTAP checker and kunit.py), with one part per topology, in order.
const clean: AuditReport = {...passingReport, topology: {name: 'x86-clean', file: 'topologies/x86-clean.yaml', description: ''}};
const arm64: AuditReport = {
	...showcaseReport,
	topology: {...showcaseReport.topology, name: 'arm64-collision', file: 'topologies/arm64-collision.yaml'},
	arch: 'arm64-4k',
	kernel: '6.12',
	patches: ['arm64-pfn-valid-v2'],
	walkers: showcaseReport.walkers.filter(walker => walker.verdict !== 'error'),
};
const reports = [showcaseReport, clean, arm64];

describe('renderReports', () => {
	it.each(REPORT_FORMATS.map(format => [format]))('renders one report exactly as renderReport does (%s)', format => {
		expect(renderReports([showcaseReport], format)).toBe(renderReport(showcaseReport, format));
	});

	it('refuses an empty list as a bug', () => {
		expect(() => renderReports([], 'json')).toThrow('renderReports needs at least one report');
	});

	it('json: an array of reports, each valid against the report schema', () => {
		const array = JSON.parse(renderReports(reports, 'json')) as Json[];
		expect(array.map(report => [report.topology.name, report.verdict])).toEqual([
			['x86-fsdax-collision', 'fail'],
			['x86-clean', 'pass'],
			['arm64-collision', 'fail'],
		]);
		for (const report of array) {
			expect(reportSchemaProblems(report)).toEqual([]);
		}

		expect(array[0]).toEqual(JSON.parse(renderReport(showcaseReport, 'json')));
	});

	it('text: an overview, then each report whole under a numbered rule, ASCII within 80 columns', () => {
		const text = renderReports(reports, 'text');
		for (const line of text.split('\n')) {
			expect(line.length).toBeLessThanOrEqual(80);
			expect(line).toMatch(/^[\u0020-\u007E]*$/);
		}

		expect(text.split('\n').slice(0, 6)).toEqual([
			'pfnaudit 0.1.0 audit of 3 topologies: ERROR',
			'',
			'  ERROR x86-fsdax-collision (x86_64, v5.10): 5 fail, 1 error, 2 pass, 1 absent',
			'  PASS x86-clean (x86_64, v5.10): 2 pass, 1 absent',
			'  FAIL arm64-collision (arm64-4k, v6.12): 5 fail, 2 pass, 1 absent',
			'',
		]);
		const rules = text.split('\n').filter(line => line.startsWith('== '));
		expect(rules).toEqual([`== 1/3: x86-fsdax-collision ${'='.repeat(52)}`, `== 2/3: x86-clean ${'='.repeat(62)}`, `== 3/3: arm64-collision ${'='.repeat(56)}`]);
		expect(rules.map(rule => rule.length)).toEqual([80, 80, 80]);
		expect(text).toContain(`${rules[1]}\n\n${renderReport(clean, 'text')}`);
		expect(text.endsWith(renderReport(arm64, 'text'))).toBe(true);
		// Colour on a terminal never changes the layout.
		expect(renderReports(reports, 'text', {color: true}).replaceAll(/\u001B\[[\d;]*m/g, '')).toBe(text);
	});

	it('md: an overview table, then each report behind a thematic break, within the step-summary budget', () => {
		const md = renderReports(reports, 'md');
		expect(md.split('\n').slice(0, 7)).toEqual([
			'## pfnaudit 0.1.0: ERROR on 3 topologies',
			'',
			'| topology | verdict | arch | kernel | patches | walkers |',
			'|---|---|---|---|---|---|',
			'| `x86-fsdax-collision` | **ERROR** | `x86_64` | v5.10 | none | 5 fail, 1 error, 2 pass, 1 absent |',
			'| `x86-clean` | pass | `x86_64` | v5.10 | none | 2 pass, 1 absent |',
			'| `arm64-collision` | **FAIL** | `arm64-4k` | v6.12 | `arm64-pfn-valid-v2` | 5 fail, 2 pass, 1 absent |',
		]);
		// A blank line before every `---`, or it would turn the line above into a setext heading.
		expect(md.match(/\n\n---\n\n## pfnaudit 0\.1\.0: /g)).toHaveLength(3);
		expect(md).toContain(renderReport(clean, 'md').trimEnd());
		// One budget for the whole document: each report gets its share and says what it left out.
		const small = renderReports(reports, 'md', {maxBytes: 20_000});
		expect(Buffer.byteLength(small)).toBeLessThanOrEqual(20_000);
		expect(small.match(/\*\*Truncated:\*\*/g)).toHaveLength(2);
		expect(small.match(/^## pfnaudit/gm)).toHaveLength(4);
	});

	it('html: one well-formed page, an overview linking to a section per topology, every id unique', () => {
		const html = renderReports(reports, 'html');
		const root = parseXml(html);
		const elements = allElements(root);
		const ids = elements.map(element => element.attributes.id).filter((id): id is string => id !== undefined);
		expect(new Set(ids).size).toBe(ids.length);
		const sections = elements.filter(element => element.name === 'section' && element.attributes.class === 'topology');
		expect(sections.map(section => section.attributes.id)).toEqual(['t1', 't2', 't3']);
		// Every in-page link and every SVG reference resolves inside the page.
		const hrefs = elements.map(element => element.attributes.href).filter((href): href is string => href !== undefined);
		expect(hrefs.filter(href => href.startsWith('#t') && !href.includes('-'))).toEqual(['#t1', '#t2', '#t3']);
		for (const href of hrefs) {
			expect(ids).toContain(href.slice(1));
		}

		const svgs = elements.filter(element => element.name === 'svg');
		expect(svgs.map(svg => svg.attributes['aria-labelledby'])).toEqual(['t1-map-title t1-map-desc', 't2-map-title t2-map-desc', 't3-map-title t3-map-desc']);
		for (const reference of html.matchAll(/url\(#([^)]+)\)/g)) {
			expect(ids).toContain(reference[1]);
		}

		// Headings one level down inside a section: h1 for the page, h2 for each topology.
		expect(elements.filter(element => element.name === 'h1')).toHaveLength(1);
		expect(sections[0]!.children[0]!.children.find(child => child.name === 'h2')).toBeDefined();
		expect(html).toContain('<title>pfnaudit ERROR: 3 topologies</title>');
		expect(renderReports([clean, arm64], 'html')).toContain('<title>pfnaudit FAIL: 2 topologies</title>');
	});

	it('ktap: one top-level test per topology with its walkers nested, accepted by the grammar checker', () => {
		const ktap = renderReports(reports, 'ktap');
		const check = checkKtap(ktap);
		expect(check.errors).toEqual([]);
		expect(check.tests.map(test => [test.name, test.ok])).toEqual([
			['x86-fsdax-collision', false],
			['x86-clean', true],
			['arm64-collision', false],
		]);
		expect(check.tests[0]!.children.map(child => child.name)).toEqual(showcaseReport.walkers.map(walker => walker.name));
		expect(check.tests[0]!.children[0]!.children.filter(child => !child.ok).map(child => child.name)).toEqual(['C4', 'C5', 'metadata']);
		// Totals are the sums of the single reports' totals.
		const single = (report: AuditReport) => /pass:(\d+) fail:(\d+) skip:(\d+)/.exec(checkKtap(renderReport(report, 'ktap')).totals ?? '')!.slice(1).map(Number);
		const sums = reports.map(report => single(report)).reduce((a, b) => a.map((value, index) => value + b[index]!));
		expect(check.totals).toBe(`# Totals: pass:${sums[0]} fail:${sums[1]} skip:${sums[2]} total:${sums[0]! + sums[1]! + sums[2]!}`);
		expect(ktap).toContain('  # arch arm64-4k, kernel v6.12, patches arm64-pfn-valid-v2, phases final, fail-on ');
	});

	it.skipIf(!kunitDir)('ktap: kunit.py parse reads the nested document without errors and agrees on every result', () => {
		const {status, stdout, json} = kunitParse(renderReports(reports, 'ktap'));
		expect(stdout).not.toContain('[ERROR]');
		// The sums of the single documents kunit.py reads in ktap.test.ts: the fixture (93: 79 passed,
		// 13 failed incl. the walker that threw, 1 skipped), the clean one (27: 26 passed, 1 skipped)
		// and arm64-collision, the fixture without the walker that threw (92: 79, 12, 1).
		expect(stdout).toContain('Testing complete. Ran 212 tests: passed: 184, failed: 25, skipped: 3');
		expect(status).toBe(1);
		const groups = json.sub_groups as Array<Record<string, any>>;
		expect(groups.map(group => group.name)).toEqual(['x86-fsdax-collision', 'x86-clean', 'arm64-collision']);
		const memoryFailure = (groups[2]!.sub_groups as Array<Record<string, any>>).find(group => group.name === 'memory_failure')!;
		expect(memoryFailure.test_cases.filter((test: Record<string, string>) => test.status === 'FAIL').map((test: Record<string, string>) => test.name)).toEqual(['C4', 'C5', 'metadata']);
	});

	it('junit: one testsuite per topology inside one testsuites whose counts are the sums', () => {
		const root = parseXml(renderReports(reports, 'junit'));
		expect(root.name).toBe('testsuites');
		const suites = root.children.filter(child => child.name === 'testsuite');
		expect(suites.map(suite => suite.attributes.name)).toEqual([
			'pfnaudit.x86-fsdax-collision.x86_64-v5_10',
			'pfnaudit.x86-clean.x86_64-v5_10',
			'pfnaudit.arm64-collision.arm64-4k-v6_12+arm64-pfn-valid-v2',
		]);
		expect(root.attributes).toMatchObject({tests: '20', failures: '10', errors: '1', skipped: '3', time: '5.502'});
		// GitLab keys test cases by classname + name: the same walker on two topologies stays two cases.
		const keys = allElements(root)
			.filter(element => element.name === 'testcase')
			.map(element => `${element.attributes.classname}/${element.attributes.name}`);
		expect(keys).toHaveLength(20);
		expect(new Set(keys).size).toBe(20);
	});

	it('sarif: one run per topology, each with its own category, valid against the SARIF schema', () => {
		const sarif = JSON.parse(renderReports(reports, 'sarif')) as Json;
		expect(sarifSchemaProblems(sarif)).toEqual([]);
		expect(sarif.runs.map((run: Json) => run.automationDetails.id)).toEqual([
			'pfnaudit/x86-fsdax-collision/x86_64/v5.10/',
			'pfnaudit/x86-clean/x86_64/v5.10/',
			'pfnaudit/arm64-collision/arm64-4k/v6.12+arm64-pfn-valid-v2/',
		]);
		expect(sarif.runs.map((run: Json) => run.results.length)).toEqual([12, 0, 12]);
		expect(sarif.runs[0]).toEqual(JSON.parse(renderReport(showcaseReport, 'sarif')).runs[0]);
	});

	it('sarif: refuses more runs than GitHub accepts, and two runs GitHub would take for one analysis', () => {
		const many = Array.from({length: SARIF_MAX_RUNS + 1}, (_, index) => ({...clean, topology: {...clean.topology, name: `t${index}`}}));
		expect(() => renderReports(many.slice(0, SARIF_MAX_RUNS), 'sarif')).not.toThrow();
		expect(() => renderReports(many, 'sarif')).toThrow(InputError);
		expect(() => renderReports(many, 'sarif')).toThrow('a SARIF file for 21 topologies would hold 21 runs, but GitHub code scanning accepts at most 20 per file');
		const twin = {...clean, topology: {...clean.topology, file: 'other/x86-clean.yaml'}};
		expect(() => renderReports([clean, twin], 'sarif')).toThrow(
			'topologies/x86-clean.yaml and other/x86-clean.yaml both audit topology x86-clean on x86_64 at v5.10, and GitHub code scanning rejects a SARIF file with two runs of the same category',
		);
		expect(() => renderReports([clean, clean], 'sarif')).toThrow('topologies/x86-clean.yaml is given twice, and GitHub code scanning rejects a SARIF file with two runs of the same category; leave one out');
		// Another patch set is another analysis.
		expect(() => renderReports([clean, {...twin, patches: ['arm64-pfn-valid-v2']}], 'sarif')).not.toThrow();
	});
});

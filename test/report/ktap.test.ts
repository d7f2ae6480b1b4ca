import {existsSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {renderReport} from '../../source/report/index.js';
import {passingReport, phasedReport, showcaseReport} from '../fixtures/report-showcase.js';
import {checkKtap} from './helpers/ktap-checker.js';
import {kunitDir, kunitParse, kunitPy} from './helpers/kunit.js';

// A test that renders the showcase report as KTAP and checks it with a grammar checker that
// follows Documentation/dev-tools/ktap.rst and tools/testing/kunit/kunit_parser.py. Expect one
// test per walker in report order, twelve category subtests each (not ok exactly where the
// walker fails that category), ERROR for the walker that threw, SKIP for the absent one, and a
// Totals line kunit.py would compute the same way.
describe('ktap report', () => {
	const ktap = renderReport(showcaseReport, 'ktap');
	const check = checkKtap(ktap);

	it.each([
		['showcase', showcaseReport],
		['passing', passingReport],
		['phased', phasedReport],
	])('passes the KTAP grammar checker for the %s report', (_name, report) => {
		expect(checkKtap(renderReport(report, 'ktap')).errors).toEqual([]);
	});

	it('has one test per walker and one subtest per category', () => {
		expect(ktap.startsWith('KTAP version 1\n')).toBe(true);
		expect(check.tests.map(test => [test.name, test.ok, test.directive])).toEqual([
			['memory_failure', false, undefined],
			['kpageflags_read', false, undefined],
			['read_page_owner', false, 'ERROR'],
			['hwpoison_inject', false, undefined],
			['set_zone_contiguous', true, undefined],
			['mark_free_pages', false, undefined],
			['damon_get_folio', true, 'SKIP'],
			['my_pfn_scan', false, undefined],
			['__reset_isolation_suitable', true, undefined],
		]);
		const memoryFailure = check.tests[0]!;
		expect(memoryFailure.children.map(child => child.name)).toEqual([...CATEGORY_IDS]);
		expect(memoryFailure.children.filter(child => !child.ok).map(child => child.name)).toEqual(['C4', 'C5', 'metadata']);
		expect(check.totals).toBe('# Totals: pass:79 fail:13 skip:1 total:93');
	});

	it('puts witnesses, call chains and the fixing commit in diagnostics', () => {
		const c4 = check.tests[0]!.children.find(child => child.name === 'C4')!;
		expect(c4.diagnostics).toEqual([
			'# C4: 254464 failing of 254464 touches',
			expect.stringMatching(/^# C4 pfn 0x400000 \(section 0x80\): read page->mapping via memory_failure -> memory_failure_dev_pagemap -> dax_lock_page: get_dev_pagemap\(\) already succeeds/),
			expect.stringMatching(/^# C4 pfn 0x43e1ff /),
		]);
		expect(ktap).toContain('  # fixed by 34dc45be4563 ("mm: fix memory_failure() handling of dax-namespace metadata") in v5.12\n');
		expect(check.tests[2]!.directiveData).toMatch(/^walkers\/read_page_owner\.ts threw TypeError/);
		expect(check.tests[6]!.directiveData).toBe('absent at v5.10');
	});

	it('keeps hostile text on one ASCII line and out of descriptions', () => {
		expect(ktap).toContain(String.raw`& #oob \x1b[31mno bound check\x1b[0m\x07`);
		const hostile: AuditReport = {
			...showcaseReport,
			walkers: [
				{...showcaseReport.walkers[0]!, name: 'evil # SKIP\nnot ok 1 x', witnesses: [{...showcaseReport.walkers[0]!.witnesses[0]!, why: 'line\nok 1 fake\nreboot: System halted'}]},
				{...showcaseReport.walkers[2]!, error: 'boom # SKIP really\nreboot: System halted'},
			],
		};
		const result = checkKtap(renderReport(hostile, 'ktap'));
		expect(result.errors).toEqual([]);
		expect(result.tests.map(test => [test.name, test.ok, test.directive])).toEqual([
			['evil _ SKIP not ok 1 x', false, undefined],
			['read_page_owner', false, 'ERROR'],
		]);
	});

	it('reports a timed-out walker with the TIMEOUT directive', () => {
		const timedOut: AuditReport = {...showcaseReport, walkers: [{...showcaseReport.walkers[2]!, status: 'timeout', error: 'read_page_owner did not finish within 60 s'}]};
		const result = checkKtap(renderReport(timedOut, 'ktap'));
		expect(result.errors).toEqual([]);
		expect(result.tests[0]).toMatchObject({ok: false, directive: 'TIMEOUT', directiveData: 'read_page_owner did not finish within 60 s'});
	});
});

// The grammar checker has to catch what kunit.py would reject, or passing it proves nothing.
describe('ktap grammar checker', () => {
	const good = renderReport(passingReport, 'ktap');

	it.each([
		['a wrong test number', (text: string) => text.replace('  ok 2 C1\n', '  ok 3 C1\n'), /expected test number 2 but found 3/],
		['a result name that differs from # Subtest', (text: string) => text.replace('\nok 1 set_zone_contiguous\n', '\nok 1 set_zone_contiguos\n'), /does not repeat "# Subtest: set_zone_contiguous"/],
		['a missing plan', (text: string) => text.replace('  1..13\n', ''), /expected plan/],
		['a # in a description', (text: string) => text.replace('  ok 1 ok\n', '  ok 1 o#k\n'), /expected result line 1 /],
		['wrong indentation', (text: string) => text.replace('  ok 4 C3\n', '   ok 4 C3\n'), /expected result line 4/],
		['a parent ok over a failing child', (text: string) => text.replace('  ok 5 C4\n', '  not ok 5 C4\n'), /is ok but its subtests fail/],
		['wrong totals', (text: string) => text.replace(/# Totals: pass:(\d+)/, '# Totals: pass:1$1'), /totals: expected/],
		['a KTAP_END line', (text: string) => text.replace('# Totals', '# reboot: System halted\n# Totals'), /KTAP_END/],
		['a control character', (text: string) => text.replace('  ok 1 ok\n', '  # \u0007\n  ok 1 ok\n'), /not printable ASCII/],
	])('rejects %s', (_what, mutate, message) => {
		const broken = mutate(good);
		expect(broken).not.toBe(good);
		const errors = checkKtap(broken).errors;
		expect(errors.length).toBeGreaterThan(0);
		expect(errors.join('\n')).toMatch(message);
	});
});

// The kernel's own parser, when available (helpers/kunit.ts).
if (!kunitDir) {
	console.warn('ktap.test.ts: kunit.py parse skipped; set PFNAUDIT_KUNIT_DIR to a tools/testing/kunit directory (docs/reports.md)');
}

describe.skipIf(!kunitDir)('ktap report through the kernel\'s kunit.py parse', () => {
	const kunitParseReport = (report: AuditReport) => kunitParse(renderReport(report, 'ktap'));

	it('finds kunit.py', () => {
		expect(existsSync(kunitPy)).toBe(true);
	});

	it('parses the showcase report without errors and agrees on every result', () => {
		const {status, stdout, json} = kunitParseReport(showcaseReport);
		expect(stdout).not.toContain('[ERROR]');
		// 7 walkers, each with a subtest per category and hazard (hvo included): 93 results.
		expect(stdout).toContain('Testing complete. Ran 93 tests: passed: 79, failed: 13, skipped: 1');
		expect(status).toBe(1);
		const groups = Object.fromEntries((json.sub_groups as Array<Record<string, any>>).map(group => [group.name, group.test_cases.filter((test: Record<string, string>) => test.status !== 'PASS').map((test: Record<string, string>) => `${test.name}=${test.status}`)]));
		expect(groups).toEqual({
			memory_failure: ['C4=FAIL', 'C5=FAIL', 'metadata=FAIL'],
			kpageflags_read: ['C5=FAIL', 'metadata=FAIL'],
			hwpoison_inject: ['C1=FAIL', 'C4=FAIL', 'C5=FAIL', 'metadata=FAIL'],
			set_zone_contiguous: [],
			mark_free_pages: ['C1=FAIL'],
			my_pfn_scan: ['unbacked=FAIL', 'oob=FAIL'],
			__reset_isolation_suitable: [],
		});
		expect(json.test_cases).toEqual([
			{name: 'read_page_owner', status: 'FAIL'},
			{name: 'damon_get_folio', status: 'SKIP'},
		]);
	});

	it('passes the all-clear report with exit status 0', () => {
		const {status, stdout} = kunitParseReport(passingReport);
		expect(stdout).not.toContain('[ERROR]');
		expect(stdout).toContain('Testing complete. Ran 27 tests: passed: 26, skipped: 1');
		expect(status).toBe(0);
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport, WalkerResult} from '../../source/engine/types.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {renderReport} from '../../source/report/index.js';
import {passingReport, phasedReport, showcaseReport, tally} from '../fixtures/report-showcase.js';

const SGR = /\u001B\[[\d;]*m/g;

function expectLkmlSafe(text: string, columns = 80): void {
	for (const [index, line] of text.split('\n').entries()) {
		expect(line.length, `line ${index + 1} is ${line.length} columns: ${line}`).toBeLessThanOrEqual(columns);
		expect(line, `line ${index + 1} is not plain ASCII`).toMatch(/^[\u0020-\u007E]*$/);
	}
}

/** A walker that touched every category, with counts of every magnitude. */
const everything: WalkerResult = {
	...showcaseReport.walkers[0]!,
	name: 'pagetypeinfo_showmixedcount_print',
	touches: tally(Object.fromEntries(CATEGORY_IDS.map((id, index) => [id, 7 ** (index + 3)]))),
	failing: tally(Object.fromEntries(CATEGORY_IDS.filter(id => id !== 'ok').map((id, index) => [id, 7 ** (index + 3)]))),
};

// A test that renders the showcase report for an LKML reply. Expect plain ASCII within 80
// columns (the oob witness carries an ESC sequence and a BEL byte), failing walkers first with
// witnesses, chains and the fixing commit, the error, then one line per passing walker.
describe('text report', () => {
	const text = renderReport(showcaseReport, 'text');

	it('is ASCII within 80 columns, without tabs or escape sequences', () => {
		expectLkmlSafe(text);
		expect(text).not.toContain('\t');
		expect(text).not.toContain('\u001B');
		expect(text).toContain(String.raw`& #oob \x1b[31mno bound check\x1b[0m\x07`);
	});

	// The headline says ERROR: read_page_owner threw, so the tallies are incomplete (the verdict
	// is fail). The model note follows the reproduce line, wrapped like the other fields.
	it('opens with the facts of the audit, a reproduce line and the model notes', () => {
		expect(text.split('\n').slice(0, 20)).toEqual([
			'pfnaudit 0.1.0 audit: ERROR',
			'',
			'topology:  x86-fsdax-collision (topologies/x86-fsdax-collision.yaml)',
			'arch:      x86_64 (PAGE_SHIFT 12, SECTION_SIZE_BITS 27, MAX_PHYSMEM_BITS 46)',
			'kernel:    v5.10 semantics',
			'patches:   none',
			'phases:    final',
			'fail-on:   C1 C3 C4 C5 metadata teardown unbacked oob hole nomap hvo',
			'walkers:   5 fail, 1 error, 2 pass, 1 absent (of 9)',
			'reproduce: pfnaudit audit topologies/x86-fsdax-collision.yaml --kernel 5.10 \\',
			'             --walker memory_failure --walker kpageflags_read \\',
			'             --walker read_page_owner --walker hwpoison_inject \\',
			'             --walker set_zone_contiguous --walker mark_free_pages \\',
			'             --walker damon_get_folio --walker contrib/my_pfn_scan.ts \\',
			'             --walker __reset_isolation_suitable',
			'note:      v5.10 is a long-term stable series; this models mainline v5.10:',
			'             5.10.y trees carry backports that change answers - add --patch',
			'             stable-5.10.262 (topology patches:) to model the stable tree',
			'             (pfnaudit list patches)',
			'',
		]);
	});

	// A test of the headline word. The report verdict is fail both for failing touches and for a
	// walker that could not be audited (engine overallVerdict()); the headline tells them apart.
	// Expect ERROR with the walker that threw (whatever else failed), FAIL without it, ERROR for a
	// report whose only problem is a timed-out walker (no failing touch), PASS for the clear one,
	// and no note line when the report has no notes.
	it('says ERROR when a walker did not finish, FAIL for failing touches only', () => {
		const headline = (report: AuditReport) => renderReport(report, 'text').split('\n')[0];
		expect(headline(showcaseReport)).toBe('pfnaudit 0.1.0 audit: ERROR');
		const noError: AuditReport = {...showcaseReport, walkers: showcaseReport.walkers.filter(walker => walker.verdict !== 'error')};
		expect(headline(noError)).toBe('pfnaudit 0.1.0 audit: FAIL');
		const timedOut: AuditReport = {
			...passingReport,
			walkers: [{...passingReport.walkers[0]!, status: 'timeout', verdict: 'error', error: 'set_zone_contiguous timed out'}],
			verdict: 'fail',
		};
		expect(headline(timedOut)).toBe('pfnaudit 0.1.0 audit: ERROR');
		expect(renderReport(timedOut, 'text')).toContain('ERROR set_zone_contiguous timed out');
		expect(headline(passingReport)).toBe('pfnaudit 0.1.0 audit: PASS');
		expect(renderReport({...showcaseReport, notes: []}, 'text')).not.toMatch(/^note:/m);
		expect(renderReport(noError, 'text', {color: true}).split('\n')[0]).toBe('pfnaudit 0.1.0 audit: \u001B[31;1mFAIL\u001B[0m');
		expect(renderReport(showcaseReport, 'text', {color: true}).split('\n')[0]).toBe('pfnaudit 0.1.0 audit: \u001B[33;1mERROR\u001B[0m');
	});

	it('tabulates walkers by category with failing cells starred and all-zero columns named', () => {
		const lines = text.split('\n');
		const head = lines.findIndex(line => line.startsWith('walker '));
		expect(lines[head]).toMatch(/^walker +ok +C1 +C2 +C4 +C5 +meta +hole +unbck +oob$/);
		expect(lines[head + 1]).toMatch(/^memory_failure +2\.38M +\. +274k +254k\* +2\* +4352\* +97 +\. +\.$/);
		expect(lines[head + 5]).toMatch(/^my_pfn_scan +1 +\. .* 1\* +1\*$/);
		// A name longer than its column gets a line of its own.
		expect(lines.slice(head, head + 11)).toContain('__reset_isolation_suitable');
		expect(text).toContain('(zero for every walker: C3 nomap tdown hvo)');
		expect(text).toContain('  meta   altmap memmap-storage pfns: initialized, but with no pgmap');
	});

	it('lists failing walkers first with witnesses, call chains and fixing commits', () => {
		const sections = [...text.matchAll(/^(FAIL|ERROR|PASS|SKIP) (\S+)/gm)].map(match => `${match[1]} ${match[2]}`);
		expect(sections).toEqual([
			'FAIL memory_failure',
			'FAIL kpageflags_read',
			'FAIL hwpoison_inject',
			'FAIL mark_free_pages',
			'FAIL my_pfn_scan',
			'ERROR read_page_owner',
			'PASS set_zone_contiguous:',
			'PASS __reset_isolation_suitable:',
			'SKIP damon_get_folio:',
		]);
		expect(text).toContain(
			[
				'FAIL memory_failure',
				'     models: mm/memory-failure.c:memory_failure()',
				'     form:   v5.4+: pfn_to_online_page(), else pfn_valid() && get_dev_pagemap()',
				'     fixed:  34dc45be4563 ("mm: fix memory_failure() handling of dax-namespace',
				'             metadata") in v5.12',
				'  C4: 254464 failing touches',
				'    - pfn 0x400000 (section 0x80): read page->mapping',
				'      via memory_failure -> memory_failure_dev_pagemap -> dax_lock_page',
			].join('\n'),
		);
		// A sentence that starts with its call chain (as the engine writes them) is not preceded by the chain again.
		expect(text).toContain(
			[
				'  C1: 32768 failing touches',
				'    - pfn 0x300000 (section 0x60): read page->compound_head',
				'      hwpoison_inject -> compound_head reads page->compound_head of pfn',
			].join('\n'),
		);
		expect(text).not.toContain('via hwpoison_inject -> compound_head\n      hwpoison_inject -> compound_head');
		expect(text).toContain('PASS set_zone_contiguous: 4577 pfns; ok 9152\n');
		expect(text).toContain('SKIP damon_get_folio: absent at v5.10\n');
		// Not-failing witnesses (the kpageflags_read hole) stay out of the terse report.
		expect(text).not.toContain('pfn 0xa0');
	});

	it('keeps the description\'s paragraphs, list and preformatted map, in ASCII', () => {
		expect(text).toContain(
			[
				'  Boot RAM up to 0x23c000000 & an fsdax namespace (ndctl create-namespace',
				'  --map=dev) that shares section 0x47 with it - every category pfnaudit counts',
				'  but nomap and teardown:',
				'  - a hot-added block onlined movable then offlined, one still online (C1);',
				'  - a devdax range caught in memremap_pages() before memmap_init_zone_device()',
				'    (C4 -> C3 in the tail of its last section).',
				'',
				'    0x23c000   0x23c002    0x23d102      0x280000',
				'    | reserve  | memmap    | data    ...  |',
				'',
				'  Run with --kernel 5.12 to see pfn_to_online_page() learn about the collision.',
				'',
			].join('\n'),
		);
		// A preformatted line wider than the report is cut, never overflowing.
		const wide: AuditReport = {...showcaseReport, topology: {...showcaseReport.topology, description: `Map:\n\n    ${'|0x1000 '.repeat(15)}`}};
		expectLkmlSafe(renderReport(wide, 'text'));
	});

	it('shows the error sentence of the walker that threw', () => {
		expect(text).toContain('ERROR read_page_owner threw\n     models: mm/page_owner.c:read_page_owner()\n     error:  walkers/read_page_owner.ts threw TypeError');
	});

	it('limits witnesses per category and says where the rest are', () => {
		const one = renderReport(showcaseReport, 'text', {witnessesPerCategory: 1});
		expect(one).toContain('    (1 more in the JSON report)');
		expect(one).not.toContain('pfn 0x43e1ff');
	});

	it('fits narrower terminals and splits a table that cannot fit', () => {
		const report: AuditReport = {...showcaseReport, walkers: [everything, ...showcaseReport.walkers]};
		for (const columns of [80, 72, 60]) {
			const narrow = renderReport(report, 'text', {columns});
			expectLkmlSafe(narrow, columns);
			expect(narrow.match(/^walker /gm)?.length ?? 0).toBeGreaterThan(1);
		}
	});

	it('cuts a walker name longer than a line instead of overflowing', () => {
		const long = 'x'.repeat(130);
		const report: AuditReport = {...showcaseReport, walkers: [{...showcaseReport.walkers[0]!, name: long}]};
		expectLkmlSafe(renderReport(report, 'text'));
	});

	it('colours only when asked, without changing the layout', () => {
		const coloured = renderReport(showcaseReport, 'text', {color: true});
		expect(coloured).toContain('\u001B[31;1mFAIL\u001B[0m memory_failure');
		expect(coloured).toMatch(/\u001B\[31;1m *254k\*\u001B\[0m/);
		expect(coloured.replaceAll(SGR, '')).toBe(text);
		// The witness's own ESC byte is still escaped, colour or not.
		expect(coloured.replaceAll(SGR, '')).not.toContain('\u001B');
	});

	it('says PASS and lists no failing section for an all-clear audit', () => {
		const clear = renderReport(passingReport, 'text');
		expect(clear.startsWith('pfnaudit 0.1.0 audit: PASS\n')).toBe(true);
		expect(clear).not.toMatch(/^FAIL /m);
		expectLkmlSafe(clear);
	});

	it('names the phase of each witness when the audit ran over phases', () => {
		const phased = renderReport(phasedReport, 'text');
		expect(phased).toContain('pfn 0x400000 (section 0x80, phase memory[2]:P4): read page->mapping');
		expect(phased).toContain('reproduce: pfnaudit audit topologies/x86-fsdax-collision.yaml --kernel 5.10');
		expect(phased).toMatch(/--kernel 5\.10[\s\\]+--phases/);
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {renderReport} from '../../source/report/index.js';
import {showcaseReport} from '../fixtures/report-showcase.js';
import {checkKtap} from './helpers/ktap-checker.js';
import {parseXml, reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

// A test that renders a report whose walkers kept no witness at all, as the engine may: it
// keeps none for `ok` (every struct-page read of online memory is one touch, too many to keep)
// and may keep none for a category it counts. Expect every format to render the counts, stay
// valid, and never invent or require a witness.
describe('a report without witnesses', () => {
	const bare: AuditReport = {...showcaseReport, walkers: showcaseReport.walkers.map(walker => ({...walker, witnesses: []}))};

	it('text: failing categories with their counts and nothing below them', () => {
		const text = renderReport(bare, 'text');
		expect(text).toContain('  C4: 254464 failing touches\n  C5: 2 failing touches\n  metadata: 4352 failing touches\n');
		expect(text).not.toContain('    - pfn ');
	});

	it('md, json, html, ktap, junit, sarif: valid, with counts and no witness', () => {
		expect(renderReport(bare, 'md')).toContain('```text\nC4: 254464 failing of 254464 touches\nC5: 2 failing of 2 touches\n');
		const json = JSON.parse(renderReport(bare, 'json')) as {walkers: Array<{witnesses: unknown[]}>};
		expect(reportSchemaProblems(json)).toEqual([]);
		expect(json.walkers.every(walker => walker.witnesses.length === 0)).toBe(true);
		const html = renderReport(bare, 'html');
		expect(parseXml(html).name).toBe('html');
		expect(html).toContain('<p class="muted">No witness was recorded.</p>');
		// No witness, no triangle on the map; ok is never listed as a witness category.
		expect(html).not.toContain('class="marker"');
		expect(html).not.toMatch(/>ok: \d+ touches, not failing/);
		expect(checkKtap(renderReport(bare, 'ktap')).errors).toEqual([]);
		expect(parseXml(renderReport(bare, 'junit')).name).toBe('testsuites');
		const sarif = JSON.parse(renderReport(bare, 'sarif')) as {runs: Array<{results: Array<Record<string, unknown>>}>};
		expect(sarifSchemaProblems(sarif)).toEqual([]);
		expect(sarif.runs[0]!.results).toHaveLength(12);
		expect(sarif.runs[0]!.results.some(result => 'stacks' in result)).toBe(false);
	});
});

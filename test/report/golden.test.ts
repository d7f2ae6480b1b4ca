import {describe, expect, it} from 'vitest';
import {type ReportFormat, renderReport, REPORT_FORMATS} from '../../source/report/index.js';
import {showcaseReport} from '../fixtures/report-showcase.js';
import {expectGolden} from './helpers/golden.js';

// Golden files: test/report/golden/showcase.<ext> hold the exact output of every format for the
// showcase fixture (test/fixtures/report-showcase.ts). A change to any renderer shows up here as
// a diff. They are rewritten only on purpose:
//
//   UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
//
// then read the diff (git diff test/report/golden) and commit it with the change that caused it (helpers/golden.ts).

describe('golden reports for the showcase fixture', () => {
	it.each(REPORT_FORMATS.map(format => [format]))('%s matches its golden file', format => {
		const output = renderReport(showcaseReport, format);
		expectGolden('showcase', format, output, 'test/report/golden.test.ts');
	});

	it('renders deterministically: the same report gives the same bytes', () => {
		for (const format of REPORT_FORMATS) {
			expect(renderReport(structuredClone(showcaseReport), format)).toBe(renderReport(showcaseReport, format));
		}
	});
});

it('refuses a format that is not in REPORT_FORMATS with an internal error', () => {
	expect(() => renderReport(showcaseReport, 'pdf' as ReportFormat)).toThrow(/^unknown report format pdf$/);
});

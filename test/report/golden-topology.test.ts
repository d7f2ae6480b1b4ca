import path from 'node:path';
import {beforeAll, describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {AuditReport} from '../../source/engine/types.js';
import {renderReport, REPORT_FORMATS} from '../../source/report/index.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import {selectWalkers} from '../../source/walker/select.js';
import {expectGolden} from './helpers/golden.js';

// Golden files for the shipped showcase topology (topologies/showcase.yaml, the default one):
// test/report/golden/topology-showcase.<ext> hold every format of a real audit of it with all the
// built-in walkers at the kernel the file names, so a change anywhere on the way — model,
// walker, engine, renderer — shows up as a diff of what a user would read. Only the elapsed time
// and the rate are fixed (0). They are rewritten only on purpose:
//
//   UPDATE_GOLDEN=1 npx vitest run test/report/golden-topology.test.ts
//
// then read the diff (git diff test/report/golden) and commit it with the change that caused it.
// test/report/golden.test.ts does the same for the hand-built fixture report, which covers what
// the showcase audit cannot (a walker error, an absent walker, a user walker).

// Relative, as a user types it: the report names the file, and the golden must not name this machine.
const SHOWCASE = path.join('topologies', 'showcase.yaml');

async function audit(): Promise<AuditReport> {
	const report = await runAudit({topology: loadTopologyFile(SHOWCASE), walkers: await selectWalkers([], process.cwd()), runner: 'in-process'});
	return {...report, elapsed_ms: 0, pfns_per_second: 0};
}

describe('golden reports for topologies/showcase.yaml', () => {
	let report: AuditReport;
	beforeAll(async () => {
		report = await audit();
	});

	it.each(REPORT_FORMATS.map(format => [format]))('%s matches its golden file', format => {
		const output = renderReport(report, format);
		expectGolden('topology-showcase', format, output, 'test/report/golden-topology.test.ts');
	});

	// A second audit of the same file gives the same bytes in every format: no order, time or
	// machine detail leaks into a report (witness order included).
	it('a second audit renders to the same bytes', async () => {
		const again = await audit();
		for (const format of REPORT_FORMATS) {
			expect(renderReport(again, format)).toBe(renderReport(report, format));
		}
	});
});

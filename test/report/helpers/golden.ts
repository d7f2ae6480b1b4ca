/**
Golden files under test/report/golden: `<stem>.<ext>` per report format, compared byte for byte
and rewritten only with UPDATE_GOLDEN=1 (then read `git diff test/report/golden` and commit it with
the change that caused it). Used by golden.test.ts (the fixture report) and golden-topology.test.ts
(a real audit of topologies/showcase.yaml).
*/
import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {expect} from 'vitest';
import type {ReportFormat} from '../../../source/report/index.js';

const EXTENSIONS: Readonly<Record<ReportFormat, string>> = {
	text: 'txt',
	json: 'json',
	md: 'md',
	html: 'html',
	ktap: 'ktap',
	junit: 'junit.xml',
	sarif: 'sarif',
};

/** Expect `output` to be the golden file `<stem>` of `format`; with UPDATE_GOLDEN=1 write it first. */
export function expectGolden(stem: string, format: ReportFormat, output: string, testFile: string): void {
	const file = fileURLToPath(new URL(`../golden/${stem}.${EXTENSIONS[format]}`, import.meta.url));
	if (process.env.UPDATE_GOLDEN === '1') {
		writeFileSync(file, output);
	}

	expect(existsSync(file), `${file} is missing: run UPDATE_GOLDEN=1 npx vitest run ${testFile}`).toBe(true);
	expect(output).toBe(readFileSync(file, 'utf8'));
}

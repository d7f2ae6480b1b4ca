/**
The kernel's own KTAP parser, when available: PFNAUDIT_KUNIT_DIR points at a tools/testing/kunit
directory of a kernel tree (CI extracts it from Debian's linux-source package; see
docs/reports.md). kunit.py exits 1 when any test failed and prints "[ERROR]" for every
structural problem it finds. Under .ci/run (PFNAUDIT_CI=1) a missing kunit.py is a failure, not
a skip.
*/
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export const kunitDir = process.env.PFNAUDIT_KUNIT_DIR;
export const kunitPy = kunitDir ? path.join(kunitDir, 'kunit.py') : '';

if ((!kunitDir || !existsSync(kunitPy)) && process.env.PFNAUDIT_CI === '1') {
	throw new Error(`PFNAUDIT_CI is set but there is no kunit.py in ${kunitDir ?? '(PFNAUDIT_KUNIT_DIR unset)'}`);
}

// kunit.py main() chdirs to the kernel root it finds by splitting its own real path at
// "tools/testing/kunit", and exits 1 without a word when that is not in the path.
if (kunitDir && !realpathSync(kunitDir).split(path.sep).join('/').includes('tools/testing/kunit')) {
	throw new Error(`PFNAUDIT_KUNIT_DIR=${kunitDir} is not a path ending in tools/testing/kunit; kunit.py would exit 1 silently (keep the kernel tree's layout)`);
}

export type KunitResult = {status: number | null; stdout: string; stderr: string; json: Record<string, any>};

/** Run `kunit.py parse` on a KTAP document, with `--json` (KernelCI's test-group JSON). */
export function kunitParse(ktap: string): KunitResult {
	const work = mkdtempSync(path.join(tmpdir(), 'pfnaudit-kunit-'));
	try {
		const input = path.join(work, 'report.ktap');
		const json = path.join(work, 'report.json');
		writeFileSync(input, ktap);
		const run = spawnSync('python3', [kunitPy, 'parse', input, `--json=${json}`], {encoding: 'utf8'});
		if (!existsSync(json)) {
			throw new Error(`kunit.py parse wrote no JSON (status ${run.status}${run.error ? `, ${run.error.message}` : ''}): ${run.stderr || run.stdout || 'no output'}`);
		}

		return {status: run.status, stdout: run.stdout, stderr: run.stderr, json: JSON.parse(readFileSync(json, 'utf8')) as Record<string, any>};
	} finally {
		rmSync(work, {recursive: true, force: true});
	}
}

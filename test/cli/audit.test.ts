import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {runCli} from './harness.js';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {PATCHES} from '../../source/model/patches.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../engine/fixtures');
const sweep = path.join(fixtures, 'sweep_walker.ts');
const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-cli-'));
afterAll(() => rmSync(cwd, {recursive: true, force: true}));

const MiB = 2 ** 20;
const GiB = 2 ** 30;

// Topologies in the stand-in JSON format (test/cli/harness.ts), as fake-build models them:
//
// clean.json:   | boot RAM (ok) |                                   (0x0 – 0x8000)
// hotplug.json: | boot RAM (ok) | hotplug, offline (C1) |           (0x8000 – 0x10000)
// pmem.json:    | boot RAM (ok) | ...no memmap... | reserve (C5) | free (metadata) | data (C2) |
//                                               0x40000        0x40002          0x41002     0x80000
function writeTopology(name: string, entries: unknown[]): string {
	writeFileSync(path.join(cwd, `${name}.json`), JSON.stringify({name, entries}));
	return `${name}.json`;
}

const clean = writeTopology('clean', [{kind: 'boot', start: 0, size: 128 * MiB}]);
const hotplug = writeTopology('hotplug', [
	{kind: 'boot', start: 0, size: 128 * MiB},
	{kind: 'hotplug', start: 128 * MiB, size: 128 * MiB},
]);
const pmem = writeTopology('pmem', [
	{kind: 'boot', start: 0, size: 128 * MiB},
	{kind: 'device', start: 1 * GiB, size: 1 * GiB, reserve: 2},
]);

type JsonReport = {verdict: string; topology: {name: string}; walkers: Array<{name: string; verdict: string; touches: Record<string, number>; witnesses: Array<{category: string; pfn: string; why: string}>}>};

describe('pfnaudit audit: exit codes', () => {
	// A sweep of [0, 0x80000) over boot RAM only. Expect exit 0 and a passing JSON report on
	// stdout (stdout is not a terminal, so json is the default format).
	it('exits 0 when nothing fails, printing the JSON report', async () => {
		const run = await runCli(['audit', clean, '--walker', sweep], {cwd});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const report = JSON.parse(run.stdout) as JsonReport;
		expect(report).toMatchObject({verdict: 'pass', topology: {name: 'clean'}});
		expect(report.walkers[0]).toMatchObject({name: 'sweep_walker', verdict: 'pass', touches: {ok: 0x8000, C1: 0}});
	});

	// The same sweep over a never-onlined hot-added block, in worker threads. Expect exit 1 and
	// a witness at the first pfn of the block (and none for the ok boot RAM).
	it('exits 1 on failing touches (in worker threads)', async () => {
		const run = await runCli(['audit', hotplug, '--walker', sweep, '--jobs', '2'], {cwd, runner: 'workers'});
		expect(run.code).toBe(1);
		const report = JSON.parse(run.stdout) as JsonReport;
		expect(report.verdict).toBe('fail');
		expect(report.walkers[0]!.touches.C1).toBe(0x8000);
		expect(report.walkers[0]!.witnesses.map(w => [w.category, w.pfn])).toEqual([['C1', '0x8000']]);
	});

	// A user walker that throws: its report is still written, the error is one line on stderr,
	// and the exit code is 2 (the user's walker is input) even though another walker failed.
	it('exits 2 when a user walker throws, after writing the report', async () => {
		const run = await runCli(['audit', hotplug, '--walker', sweep, '--walker', path.join(fixtures, 'throws_walker.ts')], {cwd});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe(
			`pfnaudit: throws_walker threw while stepping pfn 0x8000 in pass "[0, 2 * max_pfn)": page_zone() of an offline page (${path.join(fixtures, 'throws_walker.ts')})\n`,
		);
		const report = JSON.parse(run.stdout) as JsonReport;
		expect(report.walkers.map(w => [w.name, w.verdict])).toEqual([
			['sweep_walker', 'fail'],
			['throws_walker', 'error'],
		]);
	});

	// A test that audits the showcase (patches: [arm64-pfn-valid-v2]) without the file's patch:
	// `--patch none` and `--no-patch`. Expect "patches: none" in the text report, exit 1 still.
	it('drops the topology file\'s patches with --patch none or --no-patch', async () => {
		const showcase = path.resolve(fixtures, '../../../topologies/showcase.yaml');
		// The real topology loader, not the harness's JSON stand-in.
		const commands = [createAuditCommand({audit: {runner: 'in-process'}})];
		for (const flags of [['--patch', 'none'], ['--no-patch']]) {
			const result = await runCli(['audit', showcase, ...flags, '--walker', 'kpageflags_read', '--format', 'text'], {cwd, commands});
			expect(result.stderr).toBe('');
			expect(result.stdout).toMatch(/^patches: +none$/m);
		}

		const kept = await runCli(['audit', showcase, '--walker', 'kpageflags_read', '--format', 'text'], {cwd, commands});
		expect(kept.stdout).toMatch(/^patches: +arm64-pfn-valid-v2$/m);
	});

	// A test of issue 12 item 16: `--timeout abc` said "NaN is not a positive number". Expect the
	// text the user gave, quoted, in one sentence with an example, exit 2; numbers still work.
	it('says what is wrong with a --timeout or --jobs that is not a number', async () => {
		expect(await runCli(['audit', clean, '--timeout', 'abc'], {cwd})).toMatchObject({
			code: 2,
			stderr: 'pfnaudit: --timeout "abc" is not a number; give a number of seconds, such as --timeout 120\n',
		});
		expect(await runCli(['audit', clean, '--jobs', 'two'], {cwd})).toMatchObject({
			code: 2,
			stderr: 'pfnaudit: --jobs "two" is not a number; give a whole number of worker threads, such as --jobs 2\n',
		});
		expect((await runCli(['audit', clean, '--timeout', '0'], {cwd})).stderr).toBe('pfnaudit: --timeout 0 is not a positive number of seconds\n');
		expect((await runCli(['audit', clean, '--timeout', '2.5', '--jobs', '1'], {cwd})).code).toBe(0);
		// compare and bisect take the same flag and say the same.
		const {COMMANDS} = await import('../../source/cli/main.js');
		for (const argv of [
			['compare', 'x.yaml', '--kernel', '5.15', '--kernel', '5.16', '--timeout', 'abc'],
			['bisect', 'x.yaml', '--walker', 'read_page_owner', '--timeout', 'abc'],
		]) {
			expect(await runCli(argv, {cwd, commands: [...COMMANDS]}), argv[0]).toMatchObject({
				code: 2,
				stderr: 'pfnaudit: --timeout "abc" is not a number; give a number of seconds, such as --timeout 120\n',
			});
		}
	});

	it('exits 2 with one sentence for a missing topology, a bad kernel or patch, a bad walker file', async () => {
		expect(await runCli(['audit', 'nope.json', '--walker', sweep], {cwd})).toMatchObject({
			code: 2,
			stdout: '',
			stderr: "pfnaudit: nope.json: cannot read the topology file (ENOENT); check the path, or run 'pfnaudit list topologies'\n",
		});
		expect((await runCli(['audit', clean, '--kernel', '7.0'], {cwd})).stderr).toBe(
			'pfnaudit: --kernel 7.0 is not a modelled mainline release; give "MAJOR.MINOR" from 4.13 to 6.18 (pfnaudit list kernels)\n',
		);
		expect((await runCli(['audit', clean, '--patch', 'x86-magic'], {cwd})).stderr).toBe(
			`pfnaudit: --patch x86-magic is not a known what-if patch; choose one of ${PATCHES.map(patch => patch.name).join(', ')} (pfnaudit list patches)\n`,
		);
		writeFileSync(path.join(cwd, 'bad_walker.ts'), 'export default {name: "bad-name"};\n');
		const bad = await runCli(['audit', clean, '--walker', './bad_walker.ts'], {cwd});
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^pfnaudit: \.\/bad_walker\.ts: name 'bad-name' is not a C identifier/);
	});

	it('exits 2 for an unknown walker name', async () => {
		const run = await runCli(['audit', clean, '--walker', 'memory_failures'], {cwd});
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/^pfnaudit: --walker memory_failures: (no built-in walker has that name; choose one of .*|there are no built-in walkers in this build; give the path of a walker file \(e\.g\. \.\/my_walker\.ts\))\n$/);
	});

	// yargs runs a command's handler even after a failed validation unless fail() throws:
	// expect the audit not to run (no report on stdout).
	it('exits 2 for an invalid --format or --mode or an unknown flag, without auditing', async () => {
		for (const argv of [
			['--format', 'xml'],
			['--mode', 'fast'],
			['--bogus'],
		]) {
			const run = await runCli(['audit', clean, '--walker', sweep, ...argv], {cwd});
			expect(run.code).toBe(2);
			expect(run.stdout).toBe('');
			expect(run.stderr).toMatch(/^pfnaudit: (--format xml is not one of|--mode fast is not one of|--bogus is not an option of pfnaudit audit)[^\n]*\n$/);
		}
	});
});

describe('pfnaudit audit --fail-on', () => {
	it('fails on the chosen categories only', async () => {
		// The default set fails on C5 and metadata, not on C2.
		expect((await runCli(['audit', pmem, '--walker', sweep], {cwd})).code).toBe(1);
		expect((await runCli(['audit', pmem, '--walker', sweep, '--fail-on', 'C2'], {cwd})).code).toBe(1);
		expect((await runCli(['audit', pmem, '--walker', sweep, '--fail-on', 'C1,C3'], {cwd})).code).toBe(0);
		expect((await runCli(['audit', pmem, '--walker', sweep, '--fail-on', 'none'], {cwd})).code).toBe(0);
		expect((await runCli(['audit', pmem, '--walker', sweep, '--fail-on', 'C1', '--fail-on', 'metadata'], {cwd})).code).toBe(1);
	});

	it('rejects an unknown id, naming the valid ones', async () => {
		const run = await runCli(['audit', pmem, '--walker', sweep, '--fail-on', 'C1,C9'], {cwd});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe(
			"pfnaudit: --fail-on: 'C9' is not a category id; use a comma-separated list of ok, C1, C2, C3, C4, C5, metadata, hole, nomap, teardown, unbacked, oob, hvo (or 'default', 'none')\n",
		);
	});
});

describe('pfnaudit audit --output', () => {
	it('refuses to replace a file without --force, before auditing', async () => {
		const target = path.join(cwd, 'report.json');
		writeFileSync(target, 'keep me');
		const run = await runCli(['audit', clean, '--walker', sweep, '--output', 'report.json'], {cwd});
		expect(run).toMatchObject({code: 2, stderr: 'pfnaudit: report.json exists; pass --force to replace it, or choose another --output\n'});
		expect(readFileSync(target, 'utf8')).toBe('keep me');
		expect((await runCli(['audit', clean, '--walker', sweep, '--output', 'report.json', '--force'], {cwd})).code).toBe(0);
		expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({schema: 'pfnaudit-report/1', verdict: 'pass'});
	});

	it('writes one file per topology with {topology}, or a JSON array on stdout', async () => {
		const perTopology = await runCli(['audit', clean, hotplug, '--walker', sweep, '-o', 'out-{topology}.json'], {cwd});
		expect(perTopology.code).toBe(1);
		expect(JSON.parse(readFileSync(path.join(cwd, 'out-clean.json'), 'utf8'))).toMatchObject({verdict: 'pass'});
		expect(JSON.parse(readFileSync(path.join(cwd, 'out-hotplug.json'), 'utf8'))).toMatchObject({verdict: 'fail'});
		const combined = await runCli(['audit', clean, hotplug, '--walker', sweep], {cwd});
		expect((JSON.parse(combined.stdout) as JsonReport[]).map(report => [report.topology.name, report.verdict])).toEqual([
			['clean', 'pass'],
			['hotplug', 'fail'],
		]);
	});

	it('combines several topologies into one document of any format, and needs a known extension', async () => {
		const run = await runCli(['audit', clean, hotplug, '--walker', sweep, '--format', 'junit'], {cwd});
		expect(run.code).toBe(1);
		expect(run.stdout.match(/<testsuites /g)).toHaveLength(1);
		expect([...run.stdout.matchAll(/<testsuite name="([^"]+)"/g)].map(match => match[1])).toEqual(['pfnaudit.clean.x86_64-v6_12', 'pfnaudit.hotplug.x86_64-v6_12']);
		const sarif = await runCli(['audit', clean, hotplug, '--walker', sweep, '-o', 'all.sarif'], {cwd});
		expect(sarif.code).toBe(1);
		expect((JSON.parse(readFileSync(path.join(cwd, 'all.sarif'), 'utf8')) as {runs: unknown[]}).runs).toHaveLength(2);
		// A SARIF file GitHub would reject is refused before the audit, and nothing is written.
		const twice = await runCli(['audit', clean, clean, '--walker', sweep, '-o', 'twice.sarif'], {cwd});
		expect(twice).toMatchObject({code: 2, stdout: ''});
		expect(twice.stderr).toBe('pfnaudit: clean.json is given twice, and GitHub code scanning rejects a SARIF file with two runs of the same category; leave one out\n');
		expect(existsSync(path.join(cwd, 'twice.sarif'))).toBe(false);
		const unknown = await runCli(['audit', clean, '-o', 'report.out'], {cwd});
		expect(unknown.stderr).toContain('cannot tell the report format from the name report.out; pass --format');
		expect(existsSync(path.join(cwd, 'report.out'))).toBe(false);
		const noDirectory = await runCli(['audit', clean, '-o', 'missing/report.json'], {cwd});
		expect(noDirectory.stderr).toContain('cannot write missing/report.json: the directory missing does not exist');
	});
});

describe('pfnaudit audit progress', () => {
	it('draws progress on stderr only when stderr is a terminal, and never on stdout', async () => {
		const tty = await runCli(['audit', hotplug, '--walker', sweep, '--walker', path.join(fixtures, 'ok_walker.ts')], {cwd, stderrTty: true});
		expect(tty.stderr).toContain('\r\u001B[2K');
		expect(tty.stderr).toContain('walkers done');
		expect(tty.stdout).not.toContain('\u001B');
		const piped = await runCli(['audit', hotplug, '--walker', sweep], {cwd});
		expect(piped.stderr).toBe('');
	});
});

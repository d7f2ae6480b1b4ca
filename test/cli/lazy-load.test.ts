/**
A test that each command loads only what it needs (the lazy pattern of source/cli/command.ts):
run the real executable from source under a loader hook that records every module it loads,
and expect `--help`, `--version` and the light commands to leave the model build, the engine,
the reports, the topology parser (yaml, zod) and the dashboard (ink, react) unloaded. Module
lists, not wall time: the time is measured by `npm run bench`.
*/
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {afterAll, describe, expect, it} from 'vitest';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RECORD = path.join(REPO, 'test', 'cli', 'fixtures', 'record-loads.mjs');
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const BIN = path.join(REPO, 'source', 'cli', 'bin.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-loads-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

let runs = 0;
/** The repository-relative paths and package names of every module `pfnaudit …args` loaded. */
async function loadsOf(args: readonly string[]): Promise<{files: string[]; packages: Set<string>; stdout: string}> {
	const log = path.join(dir, `loads-${runs++}.txt`);
	const {stdout} = await promisify(execFile)(process.execPath, ['--import', TSX, '--import', RECORD, BIN, ...args], {
		cwd: REPO,
		env: {...process.env, PFNAUDIT_LOAD_LOG: log, NO_COLOR: '1'},
	});
	const urls = readFileSync(log, 'utf8').split('\n').filter(url => url.startsWith('file:'));
	const files = urls.map(url => path.relative(REPO, fileURLToPath(url)).split(path.sep).join('/'));
	const packages = new Set(files.flatMap(file => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file)?.[1] ?? []));
	return {files, packages, stdout};
}

/** Never loaded by any of the commands below. */
const NEVER = [/^source\/report\/(?!formats\.ts$)/, /^source\/ui\/(?!terminal\.ts$)/, /^source\/engine\/(audit|evaluate|pool|worker|jobs|inline|per-pfn|runs|tally|aggregate|report)\.ts$/, /^source\/cli\/headless\.ts$/];
const NEVER_PACKAGES = ['ink', 'react'];
/** Not loaded by --help, --version and list (but explain needs them). */
/** (source/topology/numbers.ts, the number syntax explain's pfn argument shares, imports nothing.) */
const NOT_FOR_LIGHT = [/^source\/model\/build\.ts$/, /^source\/topology\/(?!numbers\.ts$)/];
const NOT_FOR_LIGHT_PACKAGES = ['zod', 'yaml'];

function offending(files: readonly string[], patterns: readonly RegExp[]): string[] {
	return files.filter(file => !file.includes('node_modules/') && patterns.some(pattern => pattern.test(file)));
}

describe('start-up: each command loads only what it needs', () => {
	for (const args of [['--help'], ['--version'], ['list', 'patches']]) {
		it(`A test that \`pfnaudit ${args.join(' ')}\` loads only yargs and the command definitions. Expect no model, walker, engine, report, topology, zod, yaml, ink or react module.`, async () => {
			const {files, packages, stdout} = await loadsOf(args);
			expect(stdout.length).toBeGreaterThan(0);
			expect(files).toContain('source/cli/main.ts');
			expect(packages.has('yargs')).toBe(true);
			expect(offending(files, [...NEVER, ...NOT_FOR_LIGHT, /^source\/engine\/(?!defaults\.ts$)/, /^source\/walker\//, /^walkers\//, /^source\/model\/(?!(categories|geometry|patches|stable-patches|proposals|user-patches)\.ts$)/])).toEqual([]);
			expect([...packages].filter(name => [...NEVER_PACKAGES, ...NOT_FOR_LIGHT_PACKAGES].includes(name))).toEqual([]);
		});
	}

	it('A test that `pfnaudit --help` does not load the implementation behind any command. Expect no *-run.ts module.', async () => {
		const {files} = await loadsOf(['--help']);
		expect(files.filter(file => /^source\/cli\/commands\/.*-run\.ts$/.test(file))).toEqual([]);
		expect(files).toEqual(expect.arrayContaining(['audit', 'dashboard', 'explain', 'list'].map(name => `source/cli/commands/${name}.ts`)));
	});

	for (const what of ['walkers', 'kernels']) {
		it(`A test that \`pfnaudit list ${what}\` loads the walker catalog but not the model build, the engine runner, the reports or the topology parser. Expect walkers/ loaded, nothing of the rest.`, async () => {
			const {files, packages} = await loadsOf(['list', what]);
			expect(files).toContain('walkers/index.ts');
			expect(offending(files, [...NEVER, ...NOT_FOR_LIGHT])).toEqual([]);
			expect([...packages].filter(name => [...NEVER_PACKAGES, ...NOT_FOR_LIGHT_PACKAGES].includes(name))).toEqual([]);
		});
	}

	it('A test that `pfnaudit explain` builds the model without the engine, the walkers, the reports or the dashboard. Expect model/build.ts loaded, none of the rest.', async () => {
		const {files, packages} = await loadsOf(['explain', 'topologies/showcase.yaml', '0x1000']);
		expect(files).toContain('source/model/build.ts');
		expect(offending(files, [...NEVER, /^source\/walker\//, /^walkers\//])).toEqual([]);
		expect([...packages].filter(name => NEVER_PACKAGES.includes(name))).toEqual([]);
	});
});

/**
A test that the bundled executable `npm run build` makes (scripts/bundle.mjs: dist/source/cli/
bin.js and dist/source/engine/worker.js as chunks in dist/bundle/) behaves as the source does:
the same help text (yargs' layout goes through the bundle's string-width shim), the same
listing, and the same audit — walkers, verdicts, tallies and witnesses — with the walks in
bundled worker threads. Expect equality with the executable run from source (tsx), the audit with main() in this
process.
*/
import {execFile} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {promisify} from 'node:util';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(REPO, 'dist', 'source', 'cli', 'bin.js');

const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

async function fromDist(args: readonly string[]): Promise<{code: number; stdout: string}> {
	if (!existsSync(BIN)) {
		throw new Error(`${BIN} is missing: run 'npm run build' (npm ci does) before the tests`);
	}

	return spawnNode([BIN, ...args]);
}

/** The executable from source (yargs prints --help on the process's stdout, not on main()'s io). */
async function fromSourceProcess(args: readonly string[]): Promise<{code: number; stdout: string}> {
	return spawnNode(['--import', TSX, path.join(REPO, 'source', 'cli', 'bin.ts'), ...args]);
}

async function spawnNode(args: readonly string[]): Promise<{code: number; stdout: string}> {
	try {
		const {stdout} = await promisify(execFile)(process.execPath, args, {cwd: REPO, env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 * 1024 * 1024});
		return {code: 0, stdout};
	} catch (error) {
		const failed = error as {code?: number; stdout?: string};
		if (typeof failed.code !== 'number') {
			throw error;
		}

		return {code: failed.code, stdout: failed.stdout ?? ''};
	}
}

async function fromSource(args: readonly string[]): Promise<{code: number; stdout: string}> {
	let stdout = '';
	const out = new PassThrough();
	out.on('data', chunk => {
		stdout += String(chunk);
	});
	const io: Io = {stdout: out, stderr: new PassThrough(), stdin: new PassThrough(), env: {NO_COLOR: '1'}, cwd: REPO};
	const code = await main(args, io);
	return {code, stdout};
}

type Report = {walkers: Array<{name: string; verdict: string; pfns_visited: number; touches: unknown; witnesses: unknown}>};
function walkersOf(json: string) {
	return (JSON.parse(json) as Report).walkers.map(({name, verdict, pfns_visited, touches, witnesses}) => ({name, verdict, pfns_visited, touches, witnesses}));
}

describe('the bundled executable (dist/)', () => {
	it('A test that dist/source/cli/bin.js is the bundle: its command implementations are chunks in dist/bundle/. Expect a dynamic import of ../../bundle/.', () => {
		expect(existsSync(BIN)).toBe(true);
		expect(readFileSync(BIN, 'utf8')).toMatch(/import\("\.\.\/\.\.\/bundle\/main-[\w-]+\.js"\)/);
	});

	for (const args of [['--help'], ['audit', '--help'], ['list', 'walkers', '--kernel', '5.3']]) {
		it(`A test that \`pfnaudit ${args.join(' ')}\` prints the same text bundled as from source. Expect identical output, exit 0.`, async () => {
			const [bundled, source] = await Promise.all([fromDist(args), fromSourceProcess(args)]);
			expect(bundled).toEqual(source);
			expect(bundled.code).toBe(0);
		});
	}

	it('A test that an audit of pmem-section-collision at v5.3 in two bundled worker threads gives the walkers, verdicts, tallies and witnesses of the in-process audit from source. Expect equality and exit 1 (failing touches).', async () => {
		const args = ['audit', 'topologies/pmem-section-collision.yaml', '--kernel', '5.3', '--format', 'json'];
		const [bundled, source] = await Promise.all([fromDist([...args, '--jobs', '2']), fromSource([...args, '--jobs', '1'])]);
		expect(bundled.code).toBe(source.code);
		expect(bundled.code).toBe(1);
		expect(walkersOf(bundled.stdout)).toEqual(walkersOf(source.stdout));
	});
});

/**
`--color always` and FORCE_COLOR colour the text report on stdout even when stdout is a pipe
(`pfnaudit audit t.yaml --color always | less -R`); `--color never`, NO_COLOR and FORCE_COLOR=0
never colour it; a pipe without any of them gets plain text (issue 12 item 7).
*/
import {spawnSync} from 'node:child_process';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {stdoutColor} from '../../source/cli/headless.js';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const BIN = path.join(REPO, 'source', 'cli', 'bin.ts');
const SGR = '\u001B[';

describe('colour of the report on stdout', () => {
	it('follows FORCE_COLOR when it is set, else the terminal', () => {
		const pipe = {isTTY: false} as NodeJS.WriteStream;
		const tty = {isTTY: true} as NodeJS.WriteStream;
		expect(stdoutColor({stdout: pipe, env: {}})).toBe(false);
		expect(stdoutColor({stdout: tty, env: {}})).toBe(true);
		expect(stdoutColor({stdout: pipe, env: {FORCE_COLOR: '1'}})).toBe(true);
		expect(stdoutColor({stdout: pipe, env: {FORCE_COLOR: ''}})).toBe(true);
		expect(stdoutColor({stdout: tty, env: {FORCE_COLOR: '0'}})).toBe(false);
		expect(stdoutColor({stdout: tty, env: {FORCE_COLOR: 'false'}})).toBe(false);
	});

	// The real executable, stdout a pipe: --color always and FORCE_COLOR=1 give SGR sequences,
	// --color never and NO_COLOR (even with FORCE_COLOR from the environment overridden) do not.
	it('colours a piped text report with --color always or FORCE_COLOR', () => {
		const run = (flags: string[], env: Record<string, string>) => {
			const environment: Record<string, string | undefined> = {...process.env, ...env};
			for (const name of ['FORCE_COLOR', 'NO_COLOR', 'CI']) {
				if (!(name in env)) {
					delete environment[name];
				}
			}

			const result = spawnSync(process.execPath, ['--import', TSX, BIN, 'audit', 'topologies/showcase.yaml', '--walker', 'read_page_owner', '--format', 'text', ...flags], {
				cwd: REPO,
				env: environment,
				encoding: 'utf8',
				timeout: 120_000,
			});
			expect(result.status, result.stderr).toBe(1);
			return result.stdout;
		};

		expect(run(['--color', 'always'], {})).toContain(`${SGR}31;1mFAIL`);
		expect(run([], {FORCE_COLOR: '1'})).toContain(SGR);
		expect(run([], {})).not.toContain(SGR);
		expect(run(['--color', 'never'], {FORCE_COLOR: '1'})).not.toContain(SGR);
		expect(run([], {NO_COLOR: '1'})).not.toContain(SGR);
	}, 300_000);
});

/**
Run the dashboard in a real pseudo-terminal (@lydell/node-pty) and rebuild the screen the way a
terminal would (@xterm/headless), for end-to-end tests and first-seconds captures.
*/
import {fileURLToPath, pathToFileURL} from 'node:url';
import path from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import {screenLines} from '../../../bench/screen.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ENTRY = path.join(here, 'fixtures', 'dashboard-entry.ts');
/** The real executable, from source: `pfnaudit` as users run it, with the real engine. */
export const BIN = path.resolve(here, '..', '..', '..', 'source', 'cli', 'bin.ts');
export const TRACE_REGISTER = path.join(here, 'fixtures', 'trace-register.mjs');
export const REPO = path.resolve(here, '..', '..', '..');
/** tsx's loader by file URL, so the app can run with any working directory. */
export const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

export type PtyApp = {
	/** The visible screen, one string per row (trailing spaces trimmed). */
	lines(): string[];
	screen(): string;
	/** Every byte the app wrote. */
	raw(): string;
	write(data: string): void;
	resize(columns: number, rows: number): void;
	kill(signal?: string): void;
	/** 'alternate' while the dashboard owns the screen. */
	bufferType(): string;
	/**
	Poll the screen until `check` holds, or fail with the screen after `timeout` ms (default
	WAIT_MS). Assert on screen content this way, not right after another wait: a frame can reach
	the terminal in several chunks, so a screen read at once may hold half of it.
	*/
	waitFor(check: (screen: string) => boolean, what: string, timeout?: number): Promise<void>;
	/**
	Wait until `pick(screen)` has not changed for `quietMs` (what is already on its way has
	arrived), or fail after `timeout` ms; resolves with the settled value.
	*/
	waitForStill(pick: (screen: string) => string, quietMs: number, what: string, timeout?: number): Promise<string>;
	/** Resolves when the process exits, after the terminal has parsed all of its output. */
	readonly exit: Promise<{exitCode: number; signal: number | undefined}>;
};

/**
Default deadline of waitFor(): generous, because the suite runs pty tests next to CPU-bound
engine tests on small machines (a cold tsx + ink start alone can take seconds there). A deadline,
not a sleep: waits end as soon as the screen shows what they wait for.
*/
export const WAIT_MS = 30_000;

export type SpawnOptions = {
	readonly columns: number;
	readonly rows: number;
	readonly env?: NodeJS.ProcessEnv;
	readonly cwd?: string;
	/** The module to run: default the dashboard-command fixture over the fake port; BIN for the real thing. */
	readonly entry?: string;
};

/** A user's terminal for the real executable: no CI, no fake port. */
export function realTerminalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	// NODE_ENV: vitest sets "test"; users have none (bin.ts then picks React's production build).
	return terminalEnv({PFNAUDIT_FAKE: undefined, PFNAUDIT_FAKE_SPEED: undefined, NODE_ENV: undefined, ...extra});
}

/** The environment of a user's terminal: no CI (an empty CI= would make ink draw only at exit). */
export function terminalEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8'};
	for (const name of ['CI', 'CONTINUOUS_INTEGRATION', 'FORCE_COLOR', 'NO_COLOR', 'COLORTERM']) {
		delete env[name];
	}

	Object.assign(env, extra);
	for (const [key, value] of Object.entries(extra)) {
		if (value === undefined) {
			delete env[key];
		}
	}

	return env;
}

export function spawnDashboard(args: readonly string[], options: SpawnOptions): PtyApp {
	const term = new xterm.Terminal({cols: options.columns, rows: options.rows, allowProposedApi: true});
	const child = pty.spawn(process.execPath, ['--import', TRACE_REGISTER, '--import', TSX, options.entry ?? ENTRY, ...args], {
		// node-pty sets TERM from `name`.
		name: options.env?.TERM ?? 'xterm-256color',
		cols: options.columns,
		rows: options.rows,
		cwd: options.cwd ?? REPO,
		env: options.env ?? terminalEnv(),
	});
	let raw = '';
	let parsed = Promise.resolve();
	child.onData(data => {
		raw += data;
		parsed = parsed.then(async () => new Promise<void>(resolve => {
			term.write(data, resolve);
		}));
	});
	const exit = new Promise<{exitCode: number; signal: number | undefined}>(resolve => {
		child.onExit(({exitCode, signal}) => {
			void parsed.then(() => {
				resolve({exitCode, signal});
			});
		});
	});
	const lines = (): string[] => screenLines(term);

	return {
		lines,
		screen: () => lines().join('\n'),
		raw: () => raw,
		write: data => {
			child.write(data);
		},
		resize(columns, rows) {
			child.resize(columns, rows);
			term.resize(columns, rows);
		},
		kill(signal) {
			child.kill(signal);
		},
		bufferType: () => term.buffer.active.type,
		async waitFor(check, what, timeout = WAIT_MS) {
			const started = Date.now();
			while (!check(lines().join('\n'))) {
				if (Date.now() - started > timeout) {
					throw new Error(`timed out waiting for ${what}\n--- screen ---\n${lines().join('\n')}`);
				}

				await new Promise(resolve => setTimeout(resolve, 25));
			}
		},
		async waitForStill(pick, quietMs, what, timeout = WAIT_MS) {
			const started = Date.now();
			let value = pick(lines().join('\n'));
			let since = Date.now();
			while (Date.now() - since < quietMs) {
				if (Date.now() - started > timeout) {
					throw new Error(`timed out waiting for ${what} to stand still\n--- screen ---\n${lines().join('\n')}`);
				}

				await new Promise(resolve => setTimeout(resolve, 25));
				const next = pick(lines().join('\n'));
				if (next !== value) {
					value = next;
					since = Date.now();
				}
			}

			return value;
		},
		exit,
	};
}

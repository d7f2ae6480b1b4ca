/**
End to end in a real pseudo-terminal: the dashboard command, ink, the fake port and the
terminal handling (alternate screen, raw mode, signals, resize) together.
*/
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {ENTRY, REPO, spawnDashboard, terminalEnv, TRACE_REGISTER, TSX, type PtyApp} from './pty.js';

const ENTER_ALT = '\u001B[?1049h';
const LEAVE_ALT = '\u001B[?1049l';
const KEY = {down: '\u001B[B', enter: '\r', escape: '\u001B', ctrlC: '\u0003', ctrlU: '\u0015'};

let app: PtyApp | undefined;
afterEach(() => {
	try {
		app?.kill('SIGKILL');
	} catch {
		// already gone
	}

	app = undefined;
});

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'pfnaudit-e2e-'));
const row = (screen: string, name: string): string => screen.split('\n').find(line => line.includes(` ${name} `)) ?? '';
const isDone = (screen: string): boolean => /done \d/.test(screen.split('\n')[0] ?? '');

/** Send keys one at a time, waiting for the screen to answer each (keys are not typed ahead). */
async function key(target: PtyApp, data: string, until: (screen: string) => boolean, what: string): Promise<void> {
	target.write(data);
	await target.waitFor(until, what);
}

// Waits have deadlines of 30–60 s (pty.ts WAIT_MS); a test may wait for several under load.
describe('the dashboard in a pseudo-terminal', {timeout: 180_000}, () => {
	it('opens full screen, grows counts, moves, drills in, changes kernel, and quits with 0', async () => {
		const trace = path.join(tmp(), 'trace');
		app = spawnDashboard([], {columns: 100, rows: 30, env: terminalEnv({PFNAUDIT_FAKE_SPEED: '2', PFNAUDIT_TRACE_FILE: trace})});
		const target = app;
		await target.waitFor(screen => screen.includes('memory_failure') && screen.includes('pfn/s'), 'the first frame');
		expect(target.raw().startsWith(ENTER_ALT)).toBe(true);
		expect(target.bufferType()).toBe('alternate');
		const first = row(target.screen(), 'hwpoison_inject');
		await target.waitFor(screen => row(screen, 'hwpoison_inject') !== first && /\d/.test(row(screen, 'hwpoison_inject')), 'hwpoison_inject counts to change');

		// Walk order (failing walkers first is the default): rows stay put while they start failing.
		await key(target, 's', screen => !screen.includes('failing first'), 'walk order');
		await key(target, KEY.down, screen => /^▶ soft_offline_page/m.test(screen), 'the cursor on the second walker');
		await key(target, KEY.enter, screen => /^▶ Witnesses · soft_offline_page/m.test(screen), 'the witnesses pane');
		await key(target, KEY.escape, screen => /^▶ Tally/m.test(screen), 'back in the tally');
		// Deltas compare against a finished run.
		await target.waitFor(isDone, 'the first audit to finish', 60_000);

		await key(target, 'v', screen => screen.includes('Kernel version'), 'the kernel chooser');
		await key(target, '5.3', screen => screen.includes('jump: 5.3'), 'the jump to v5.3');
		await key(target, KEY.enter, screen => screen.includes('kernel v5.3') && screen.includes('Δ vs v6.12'), 'the rerun at v5.3');
		await target.waitFor(isDone, 'the v5.3 audit to finish', 60_000);
		await target.waitFor(screen => /1\.0\dM!▲/.test(row(screen, 'soft_offline_page')), 'soft_offline_page at 1.0xM failing, up from v6.12');

		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
		// The alternate screen is the last thing left (only cursor-show sequences may follow).
		expect(target.raw().replace(/(\u001B\[\?25h)+$/, '').endsWith(LEAVE_ALT)).toBe(true);
		expect(target.bufferType()).toBe('normal');
		// The tracer sees ink load on a terminal, which makes the headless test below meaningful.
		expect(readFileSync(trace, 'utf8')).toMatch(/node_modules\/ink\//);
	});

	it('exports the results and never replaces a file without a y', async () => {
		const cwd = tmp();
		const file = path.join(cwd, 'out.json');
		app = spawnDashboard([], {columns: 100, rows: 30, cwd, env: terminalEnv({PFNAUDIT_FAKE_SPEED: '10'})});
		const target = app;
		await target.waitFor(isDone, 'the audit to finish', 60_000);
		const exportJson = async (): Promise<void> => {
			await key(target, 'e', screen => screen.includes('Export'), 'the export dialog');
			await key(target, KEY.down, screen => /^▶ json/m.test(screen), 'json selected');
			await key(target, KEY.enter, screen => screen.includes('json file: pfnaudit-showcase-v6.12.json'), 'the proposed file name');
			await key(target, KEY.ctrlU, screen => /json file: █/.test(screen), 'the cleared name');
			await key(target, 'out.json', screen => screen.includes('json file: out.json'), 'the typed name');
		};

		await exportJson();
		await key(target, KEY.enter, screen => screen.includes(`wrote json report to ${file}`), 'the export to finish');
		const written = readFileSync(file, 'utf8');
		expect(JSON.parse(written)).toMatchObject({schema: 'pfnaudit-report/1', topology: {name: 'showcase'}, kernel: '6.12', verdict: 'fail'});
		const before = statSync(file).mtimeMs;

		await exportJson();
		await key(target, KEY.enter, screen => screen.includes('out.json exists. Replace it? (y/N)'), 'the overwrite question');
		await key(target, 'n', screen => !screen.includes('Replace it?') && screen.includes('json file: out.json'), 'back to the name');
		await key(target, KEY.escape, screen => /^▶ json/m.test(screen), 'back to the formats');
		await key(target, KEY.escape, screen => /^▶ Tally/m.test(screen), 'back in the tally');
		expect(statSync(file).mtimeMs).toBe(before);
		expect(readFileSync(file, 'utf8')).toBe(written);

		await exportJson();
		await key(target, KEY.enter, screen => screen.includes('Replace it?'), 'the overwrite question');
		await key(target, 'y', screen => screen.includes(`wrote json report to ${file}`), 'the replacement');
		// Only the report itself: no temporary file of the atomic write is left behind.
		expect(readdirSync(cwd)).toEqual(['out.json']);
		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
	});

	// Speed 0.05: the fake audit takes minutes, so every resize below happens while it walks.
	it('lays itself out again when the terminal is resized mid-walk, never taller than it', async () => {
		app = spawnDashboard([], {columns: 80, rows: 24, env: terminalEnv({PFNAUDIT_FAKE_SPEED: '0.05'})});
		const target = app;
		const walking = (screen: string): boolean => /▶ \d/.test(screen.split('\n')[0] ?? '');
		await target.waitFor(screen => screen.includes('memory_failure') && walking(screen), 'the first frame of the walk');
		const keyBarRow = (lines: string[]): number => lines.findIndex(line => /^q quit {2}\? help/.test(line));
		await target.waitFor(() => keyBarRow(target.lines()) === 22, 'the key bar on row 23 of 24');
		target.resize(140, 40);
		await target.waitFor(screen => /C5 +meta +hole/.test(screen) && screen.split('\n')[1]!.startsWith('Every category'), 'the 140x40 layout');
		await target.waitFor(() => keyBarRow(target.lines()) === 38, 'the key bar on row 39 of 40');
		expect(target.lines()[39]).toBe('');
		target.resize(80, 24);
		await target.waitFor(screen => /C5 +haz +vrdct/.test(screen), 'the 80x24 layout');
		await target.waitFor(() => keyBarRow(target.lines()) === 22, 'the key bar on row 23 of 24 again');
		await target.waitFor(walking, 'the walk still running');
		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
	});

	it('quits on Ctrl+C with 130 and the terminal restored', async () => {
		app = spawnDashboard([], {columns: 80, rows: 24});
		await app.waitFor(screen => screen.includes('memory_failure'), 'the first frame');
		app.write(KEY.ctrlC);
		expect((await app.exit).exitCode).toBe(130);
		expect(app.bufferType()).toBe('normal');
		expect(app.raw()).toContain(LEAVE_ALT);
	});

	it('gives the terminal back on SIGTERM and on an uncaught error', async () => {
		app = spawnDashboard([], {columns: 80, rows: 24});
		await app.waitFor(screen => screen.includes('memory_failure'), 'the first frame');
		app.kill('SIGTERM');
		expect((await app.exit).exitCode).toBe(143);
		expect(app.bufferType()).toBe('normal');

		app = spawnDashboard([], {columns: 80, rows: 24});
		await app.waitFor(screen => screen.includes('memory_failure'), 'the first frame');
		// The entry throws an uncaught error on SIGUSR2.
		app.kill('SIGUSR2');
		expect((await app.exit).exitCode).toBe(3);
		expect(app.bufferType()).toBe('normal');
		expect(app.screen()).toContain('pfnaudit: internal error in the dashboard: injected crash');
	});

	it('draws without colour under NO_COLOR and in ASCII on TERM=dumb', async () => {
		app = spawnDashboard([], {columns: 80, rows: 24, env: terminalEnv({NO_COLOR: '1', TERM: 'dumb'})});
		await app.waitFor(screen => screen.includes('memory_failure') && /FAIL/.test(screen) && /^> Tally/m.test(screen), 'a failing frame');
		expect(app.raw()).not.toMatch(/\u001B\[(3\d|4\d|9\d|10\d)(;\d+)*m/);
		expect(app.screen()).toMatch(/^[\u0020-\u007E\n]*$/);
		app.write('q');
		expect((await app.exit).exitCode).toBe(0);
	});

	it('runs the headless function when stdout is a pipe, and never loads ink or react', async () => {
		const trace = path.join(tmp(), 'trace');
		const child = spawn(process.execPath, ['--import', TRACE_REGISTER, '--import', TSX, ENTRY, 'topologies/showcase.yaml', '--kernel', '5.4'], {
			cwd: REPO,
			env: terminalEnv({PFNAUDIT_TRACE_FILE: trace}),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
		});
		const code = await new Promise<number | null>(resolve => {
			child.on('close', resolve);
		});
		expect(code).toBe(1);
		expect(stdout).toBe('HEADLESS {"topology":"topologies/showcase.yaml","kernel":"5.4"}\n');
		expect(existsSync(trace) ? readFileSync(trace, 'utf8') : '').toBe('');
	});
});

/**
End to end with the real engine: `pfnaudit` (source/cli/bin.ts) in a real pseudo-terminal, the
showcase topology loaded and walked in worker threads, explain, kernel changes, export, pause,
resize, quit — and the headless report when stdout is a pipe.
*/
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {BUILTIN_WALKERS} from '../../../walkers/index.js';
import {BIN, realTerminalEnv, REPO, spawnDashboard, TRACE_REGISTER, TSX, type PtyApp} from './pty.js';

const ENTER_ALT = '\u001B[?1049h';
const LEAVE_ALT = '\u001B[?1049l';
const KEY = {down: '\u001B[B', enter: '\r', escape: '\u001B', ctrlU: '\u0015'};
/** Loading tsx, ink and the engine from source, on a busy machine (a full suite beside other builds), can take a while: generous limits cost nothing when the screen arrives early. */
const SLOW = 120_000;

let app: PtyApp | undefined;
afterEach(() => {
	try {
		app?.kill('SIGKILL');
	} catch {
		// already gone
	}

	app = undefined;
});

const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'pfnaudit-real-'));
const row = (screen: string, name: string): string => screen.split('\n').find(line => line.includes(` ${name} `)) ?? '';
const title = (screen: string): string => screen.split('\n')[0] ?? '';
const isDone = (screen: string): boolean => /done \d/.test(title(screen));

function pfnaudit(args: readonly string[], columns: number, rows: number, cwd = REPO): PtyApp {
	app = spawnDashboard(args, {columns, rows, cwd, entry: BIN, env: realTerminalEnv()});
	return app;
}

async function key(target: PtyApp, data: string, until: (screen: string) => boolean, what: string, timeout?: number): Promise<void> {
	target.write(data);
	await target.waitFor(until, what, timeout);
}

describe('pfnaudit on a terminal, with the real engine', () => {
	// The showcase: arm64-4k at v5.15 with the arm64-pfn-valid-v2 what-if patch; memory_failure
	// touches the devdax range at pfn 0x400000 before memmap_init_zone_device() (C4).
	it('walks the showcase in workers, moves, explains a witness, and quits with 0', async () => {
		const target = pfnaudit([], 100, 30);
		await target.waitFor(screen => title(screen).startsWith('showcase'), 'the first frame', SLOW);
		expect(target.raw().indexOf(ENTER_ALT)).toBeGreaterThanOrEqual(0);
		await target.waitFor(screen => screen.includes('kernel v5.15') && screen.includes('patches: arm64-pfn-valid-v2'), 'the header: kernel and patches');
		// Counts grow: the failing count in the tally title goes up from 0 as walkers report.
		await target.waitFor(screen => new RegExp(`Tally ${BUILTIN_WALKERS.length} walkers ·( \\d+ done ·)? [1-9]\\d* failing`).test(screen), 'failing walkers', SLOW);
		await target.waitFor(screen => /\d+(\.\d)?[kMG]?!/.test(row(screen, 'memory_failure')), 'memory_failure counts', SLOW);

		// Walk order (failing walkers first is the default): rows stay put while walkers start failing.
		await key(target, 's', screen => !screen.includes('failing first'), 'walk order');
		await key(target, KEY.down, screen => /^▶ soft_offline_page/m.test(screen), 'the cursor on soft_offline_page');
		await key(target, '\u001B[A', screen => /^▶ memory_failure/m.test(screen), 'back on memory_failure');
		await key(target, KEY.enter, screen => /^▶ Witnesses · memory_failure/m.test(screen), 'the witnesses pane');
		await target.waitFor(screen => /^▶ 0x400000 +sec 0x80 +C4!/m.test(screen), 'the C4 witness first');
		await key(target, KEY.enter, screen => screen.includes('explain pfn 0x400000'), 'the explain view');
		await target.waitFor(screen => screen.includes('showcase (arm64-4k, v5.15 +arm64-pfn-valid-v2, phase final)'), 'the explain text');
		await target.waitFor(
			screen => /category +C4: ZONE_DEVICE memmap not yet initialized/.test(screen) && screen.includes('pgmap      devdax@0x400000000'),
			'the category and pgmap lines',
		);
		await key(target, KEY.escape, screen => /^▶ Witnesses/m.test(screen), 'back to the witnesses');

		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
		expect(target.raw().replace(/(\u001B\[\?25h)+$/, '').endsWith(LEAVE_ALT)).toBe(true);
		expect(target.bufferType()).toBe('normal');
	}, 360_000);

	// Two walkers keep the runs short; 140 columns give every hazard its own column (oob last).
	// At v5.11 the showcase does not load (its 512M hotplug range is not a multiple of v5.11's
	// 1 GiB memory block): the error shows inside the dashboard. At v6.1 it loads; the
	// __nr_to_section() read past NR_MEM_SECTIONS (oob) that the what-if patch causes before v5.18
	// is gone, which the delta column shows, while the NOMAP reads (initialized PageReserved from
	// v5.14, not failing) stay.
	it('reruns at another kernel with deltas, shows a load error in place, and exports a JSON report', async () => {
		const cwd = tmp();
		const target = pfnaudit([path.join(REPO, 'topologies', 'showcase.yaml'), '--walker', 'memory_failure', '--walker', 'soft_offline_page'], 140, 30, cwd);
		await target.waitFor(isDone, 'the v5.15 audit', SLOW);
		await target.waitFor(screen => / meta +hole +nomap +tdown +unbck +oob +hvo +verdict/.test(screen), 'a column per hazard');
		// nomap 1024 (no failing mark), oob 2 failing, hvo none, verdict FAIL.
		await target.waitFor(screen => / \. +\. +1024 +\. +\. +2! +\. +FAIL *$/.test(row(screen, 'soft_offline_page')), 'soft_offline_page: 1024 nomap, 2 oob failing');

		await key(target, 'v', screen => screen.includes('Kernel version'), 'the kernel chooser');
		await key(target, '5.11', screen => screen.includes('jump: 5.11'), 'v5.11');
		await key(target, KEY.enter, screen => screen.includes('Cannot audit:'), 'the load error', SLOW);
		await target.waitFor(screen => /showcase\.yaml:\d+:\d+: memory\[4\]\.size 512M is not aligned/.test(screen), 'the file position and entry of the error');
		await target.waitFor(screen => /^showcase .*stopped {2}ERROR$/.test(title(screen)), 'the title: stopped, ERROR');

		await key(target, 'v', screen => screen.includes('Kernel version'), 'the kernel chooser again');
		await key(target, '6.1', screen => screen.includes('jump: 6.1'), 'v6.1');
		await key(target, KEY.enter, screen => screen.includes('kernel v6.1') && screen.includes('Δ vs v5.15 + arm64-pfn-valid-v2'), 'the rerun at v6.1', SLOW);
		await target.waitFor(isDone, 'the v6.1 audit', SLOW);
		// soft_offline_page's only failing touches were the two oob reads: now it passes, the
		// nomap reads unchanged.
		await target.waitFor(screen => / 1024 +\. +\. +\. ▼ +\. +pass▼ *$/.test(row(screen, 'soft_offline_page')), 'soft_offline_page: oob gone, pass');

		await key(target, 'e', screen => screen.includes('Export'), 'the export dialog');
		await key(target, KEY.down, screen => /^▶ json/m.test(screen), 'json selected');
		await key(target, KEY.enter, screen => /json file: \S+\.json/.test(screen), 'the proposed file name');
		await key(target, KEY.ctrlU, screen => /json file: █/.test(screen), 'the cleared name');
		await key(target, 'out.json', screen => screen.includes('json file: out.json'), 'the typed name');
		await key(target, KEY.enter, screen => screen.includes('wrote'), 'the export');
		const report = JSON.parse(readFileSync(path.join(cwd, 'out.json'), 'utf8')) as Record<string, unknown>;
		expect(report).toMatchObject({schema: 'pfnaudit-report/1', topology: {name: 'showcase'}, arch: 'arm64-4k', kernel: '6.1', patches: ['arm64-pfn-valid-v2']});
		expect((report.walkers as Array<{name: string}>).map(walker => walker.name)).toEqual(['memory_failure', 'soft_offline_page']);

		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
	}, 480_000);

	// memory_failure in per-pfn mode over the 48-bit space takes far longer than this test: the
	// walk is still running while it pauses and resumes.
	it('pauses the walk (counts and clock stand still) and resumes it; lays out again on resize', async () => {
		const target = pfnaudit(['--walker', 'memory_failure', '--mode', 'per-pfn', '--timeout', '600'], 200, 40);
		const okCount = (screen: string): string => /^ {2}ok (\S+)/m.exec(screen)?.[1] ?? '';
		await target.waitFor(screen => /▶ \d+\.\ds \S+ pfn\/s/.test(title(screen)) && okCount(screen) !== '', 'the walk', SLOW);
		const moving = okCount(target.screen());
		await target.waitFor(screen => okCount(screen) !== moving, 'the ok count to grow', SLOW);

		await key(target, ' ', screen => /❚❚ paused \d+\.\ds/.test(title(screen)), 'the pause');
		// Let the progress already on its way arrive (the ok count settles), then nothing may move
		// for a second: neither the count nor the clock in the title.
		const still = (screen: string): string => `${okCount(screen)}|${title(screen)}`;
		await target.waitForStill(still, 500, 'the paused count');
		const paused = target.screen();
		await new Promise(resolve => setTimeout(resolve, 1000));
		expect(okCount(target.screen())).toBe(okCount(paused));
		expect(title(target.screen())).toBe(title(paused));

		await key(target, ' ', screen => /▶ \d+\.\ds/.test(title(screen)), 'the resume');
		await target.waitFor(screen => okCount(screen) !== okCount(paused), 'the ok count to grow again', SLOW);

		target.resize(80, 24);
		await target.waitFor(screen => /C5 +haz +vrdct/.test(screen), 'the 80x24 layout');
		await target.waitFor(() => /^q quit {2}\? help/.test(target.lines()[22] ?? ''), 'the key bar on row 23 of 24');
		target.resize(200, 60);
		await target.waitFor(screen => /C5 +meta +hole/.test(screen), 'the 200x60 layout');
		await target.waitFor(() => /^q quit {2}\? help/.test(target.lines()[58] ?? ''), 'the key bar on row 59 of 60');
		await target.waitFor(screen => /▶ \d+\.\ds/.test(title(screen)), 'the walk still running');

		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
		expect(target.bufferType()).toBe('normal');
	}, 360_000);

	// A user walker's console output (its plan() worker, the pool's workers) written to stderr
	// would tear the frame: it is held and printed once the screen is given back.
	it('keeps what a user walker prints off the drawn screen and prints it after quitting', async () => {
		const walker = path.join(REPO, 'test', 'ui', 'e2e', 'fixtures', 'chatty_walker.ts');
		const target = pfnaudit([path.join(REPO, 'topologies', 'showcase.yaml'), '--walker', walker], 120, 30);
		await target.waitFor(isDone, 'the audit of chatty_walker', SLOW);
		await target.waitFor(screen => row(screen, 'chatty_walker') !== '', 'the walker row');
		expect(target.screen()).not.toMatch(/CHATTY/);
		target.write('q');
		expect((await target.exit).exitCode).toBe(0);
		const raw = target.raw();
		const after = raw.slice(raw.lastIndexOf(LEAVE_ALT));
		expect(after).toContain('pfnaudit: what user walkers printed while the dashboard was drawn:');
		expect(after).toMatch(/CHATTY-PLAN: planning over \d+ pfns/);
		expect(after).toContain('CHATTY-WALK: at pfn 0');
		// Nothing of it was written while the alternate screen was up.
		expect(raw.slice(0, raw.lastIndexOf(LEAVE_ALT))).not.toMatch(/CHATTY/);
	}, 360_000);

	// The screen is drawn before the topology is read (a 10 000-entry file takes a second or more
	// to load): a bad one gives the terminal back, then the sentence is printed on the shell's screen.
	it('reports a bad topology in one sentence with exit 2, on the shell\'s screen', async () => {
		const cwd = tmp();
		writeFileSync(path.join(cwd, 'bad.yaml'), 'name: bad\narch: x86_64\nkernel: "6.12"\nmemory:\n  - kind: ram\n    start: 0\n    size: 1G\n');
		for (const [file, message] of [
			['bad.yaml', /^pfnaudit: bad\.yaml:5:\d+: memory\[0\]\.kind/],
			['missing.yaml', /^pfnaudit: missing\.yaml: cannot read the topology file \(ENOENT\)/],
		] as const) {
			const target = pfnaudit([file], 80, 24, cwd);
			const {exitCode} = await target.exit;
			expect(exitCode).toBe(2);
			const raw = target.raw();
			// Printed after the alternate screen was left, if it was entered at all.
			expect(raw.lastIndexOf(LEAVE_ALT)).toBeGreaterThanOrEqual(raw.lastIndexOf(ENTER_ALT));
			expect(raw.slice(Math.max(0, raw.lastIndexOf(LEAVE_ALT)))).toMatch(new RegExp(message.source.replace('^', '')));
			const lines = target.screen().split('\n').filter(line => line.trim() !== '');
			expect(lines.join(' ')).toMatch(message);
			expect(target.raw()).not.toMatch(/\n\s+at /);
		}
	}, 120_000);
});

describe('pfnaudit with stdout piped', () => {
	it('prints the headless JSON report of the showcase, exits 1 for its failing touches, and never loads ink or react', async () => {
		const trace = path.join(tmp(), 'trace');
		const child = spawn(process.execPath, ['--import', TRACE_REGISTER, '--import', TSX, BIN, '--walker', 'memory_failure'], {
			cwd: REPO,
			env: realTerminalEnv({PFNAUDIT_TRACE_FILE: trace}),
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
		expect(stdout).not.toContain('\u001B');
		const report = JSON.parse(stdout) as {schema: string; topology: {name: string}; verdict: string; walkers: Array<{name: string; verdict: string}>};
		expect(report).toMatchObject({schema: 'pfnaudit-report/1', topology: {name: 'showcase'}, verdict: 'fail'});
		expect(report.walkers.map(walker => [walker.name, walker.verdict])).toEqual([['memory_failure', 'fail']]);
		expect(existsSync(trace) ? readFileSync(trace, 'utf8') : '').toBe('');
	}, 120_000);
});

/**
Start-up figures of `npm run bench` (issue 10): the CPU of `pfnaudit --help`, `--version`,
`list` and `explain` as ratios against a bare `node -e 0` run alternately with them in the same
call, and the dashboard's first frame and full tally of the showcase, in a pseudo-terminal.

Child CPU time is bash's `times` for the children it waited for (user + system, including
worker threads): the operating system's accounting, not the child's own view of itself.
*/
import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PACKAGE_ROOT} from '../source/paths.js';

const BIN = path.join(PACKAGE_ROOT, 'dist', 'source', 'cli', 'bin.js');

function median(values: readonly number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** "0m0.043s" → 43 (ms). */
function bashTime(text: string): number {
	const match = /^(\d+)m([\d.]+)s$/.exec(text);
	if (!match) {
		throw new Error(`bench: cannot read bash's times output "${text}"`);
	}

	return (Number(match[1]) * 60 + Number(match[2])) * 1000;
}

/** CPU milliseconds (user + system) of `node ...args`, its output thrown away. */
function childCpuMs(args: readonly string[]): number {
	const result = spawnSync('bash', ['-c', '"$@" >/dev/null 2>&1; times', 'bash', process.execPath, ...args], {cwd: PACKAGE_ROOT, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}});
	const children = result.stdout.trim().split('\n')[1]?.trim().split(/\s+/);
	if (result.status !== 0 || children?.length !== 2) {
		throw new Error(`bench: bash -c 'node ${args.join(' ')}; times' failed: ${result.stderr}`);
	}

	return bashTime(children[0]!) + bashTime(children[1]!);
}

const COMMANDS: ReadonlyArray<{readonly args: readonly string[]; readonly target: number}> = [
	{args: ['--help'], target: 2},
	{args: ['--version'], target: 2},
	{args: ['list', 'walkers'], target: 2},
	{args: ['list', 'patches'], target: 2},
	{args: ['list', 'topologies'], target: 2},
	{args: ['explain', 'topologies/showcase.yaml', '0x1000'], target: 3},
];

/** `runs` pairs per command, command and baseline alternating; the median of the pair ratios. */
export function startupRatios(lines: string[], runs = 9): void {
	lines.push(`start-up: CPU of pfnaudit (the bundle in dist/) against \`node -e 0\`, median of ${runs} alternating pairs (issue 10 targets in brackets):`);
	childCpuMs(['-e', '0']);
	childCpuMs([BIN, '--version']);
	for (const {args, target} of COMMANDS) {
		const ratios: number[] = [];
		const own: number[] = [];
		const bare: number[] = [];
		for (let i = 0; i < runs; i++) {
			const a = childCpuMs([BIN, ...args]);
			const b = childCpuMs(['-e', '0']);
			own.push(a);
			bare.push(b);
			ratios.push(a / b);
		}

		const ratio = median(ratios);
		lines.push(
			`  pfnaudit ${args.join(' ')}: ${median(own).toFixed(0)} ms vs ${median(bare).toFixed(0)} ms, ${ratio.toFixed(2)}x [≤ ${target}x${ratio <= target ? '' : ': MISSED'}]`,
		);
	}
}

/**
A module for `node --import`: appends "<what> <wall ms since start> <cpu ms>" to $PFNAUDIT_BENCH_MARKS
when the dashboard first writes its frame (the tally's title) and when the header says "done".
*/
const MARKS_HOOK = `data:text/javascript,${encodeURIComponent(`
import {appendFileSync} from 'node:fs';
const file = process.env.PFNAUDIT_BENCH_MARKS;
const seen = new Set();
const write = process.stdout.write.bind(process.stdout);
const mark = what => {
	if (!seen.has(what)) {
		seen.add(what);
		const cpu = process.cpuUsage();
		appendFileSync(file, what + ' ' + performance.now().toFixed(0) + ' ' + ((cpu.user + cpu.system) / 1000).toFixed(0) + '\\n');
	}
};
process.stdout.write = (chunk, ...rest) => {
	const text = String(chunk);
	if (text.includes('Tally')) mark('frame');
	if (/done \\d/.test(text)) mark('done');
	return write(chunk, ...rest);
};
`)}`;

type PtyModule = {spawn(file: string, args: string[], options: Record<string, unknown>): {onData(cb: (data: string) => void): void; onExit(cb: () => void): void; write(data: string): void; kill(): void}};

/** The dashboard on the showcase, `runs` times in a 120x40 pseudo-terminal: first frame and full tally. */
export async function dashboardStart(lines: string[], runs = 5): Promise<void> {
	let pty: PtyModule;
	try {
		pty = ((await import('@lydell/node-pty')) as {default: PtyModule}).default;
	} catch (error) {
		lines.push(`dashboard start-up: skipped, @lydell/node-pty (a devDependency) does not load: ${(error as Error).message}`);
		return;
	}

	// The dashboard draws only outside CI (an empty CI= counts as CI): drop it.
	const {CI: _ci, ...env} = process.env;
	const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-bench-'));
	const frame: number[] = [];
	const done: number[] = [];
	const frameCpu: number[] = [];
	const doneCpu: number[] = [];
	try {
		for (let i = 0; i < runs; i++) {
			const marks = path.join(dir, `marks-${i}`);
			// eslint-disable-next-line no-await-in-loop
			await new Promise<void>((resolve, reject) => {
				const child = pty.spawn(process.execPath, ['--import', MARKS_HOOK, BIN], {
					cols: 120,
					rows: 40,
					cwd: PACKAGE_ROOT,
					env: {...env, TERM: 'xterm-256color', PFNAUDIT_BENCH_MARKS: marks},
				});
				let output = '';
				let quitting = false;
				const timer = setTimeout(() => {
					child.kill();
					reject(new Error(`bench: the dashboard did not finish the showcase within 60 s: ${JSON.stringify(output.slice(-200))}`));
				}, 60_000);
				child.onData(data => {
					output += data;
					if (!quitting && /done \d/.test(output)) {
						quitting = true;
						setTimeout(() => child.write('q'), 100);
					}
				});
				child.onExit(() => {
					clearTimeout(timer);
					resolve();
				});
			});
			const seen = new Map(
				readFileSync(marks, 'utf8')
					.trim()
					.split('\n')
					.map(line => line.split(' '))
					.map(([what, wall, cpu]) => [what!, {wall: Number(wall), cpu: Number(cpu)}] as const),
			);
			frame.push(seen.get('frame')!.wall);
			frameCpu.push(seen.get('frame')!.cpu);
			done.push(seen.get('done')!.wall);
			doneCpu.push(seen.get('done')!.cpu);
		}
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}

	const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
	lines.push(
		`dashboard start-up (showcase, 120x40 pty, median of ${runs}; wall from process start, CPU of the whole process incl. workers):`,
		`  first frame: ${ms(median(frame))} wall, ${ms(median(frameCpu))} CPU [< 0.5 s]`,
		`  full tally:  ${ms(median(done))} wall, ${ms(median(doneCpu))} CPU [< 1.5 s]`,
	);
}

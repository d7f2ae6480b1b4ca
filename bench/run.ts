/**
`npm run bench` (dist/bench/run.js): throughput of the engine on this machine. Reports ratios
against baselines measured in the same run; nothing here is a pass/fail threshold.

1. per-pfn mode, per core: a simple walker (pfn_valid() only), a struct-page-reading walker
   (pfn_valid(), then page->flags) and the built-in kpageflags_read, over a synthetic model of
   2^27 pfns; then the same walkers in runs mode, and the runs/per-pfn ratio;
2. runs mode over a 64 TiB physical address space (2^34 pfns);
3. the full built-in suite on topologies/x86-64tib-5level.yaml (2^34 pfns of RAM, 2^40 of
   address space) in worker threads and in-process, against the time per-pfn mode would take
   for the same iteration points;
4. heap used before and after (memory must not grow with the number of pfns);
5. the /proc/kpageflags read rate, when readable: the kernel's own walker as a yardstick;
6. scale in topology entries (issue 10): generated topologies of 1 000, 10 000 and 100 000
   entries in mixed states (bench/topology-gen.ts), each parsed, built and audited with every
   built-in walker in a child process of its own (bench/scale.ts): the cost ratios 10 000 : 1 000
   and 100 000 : 10 000 (linear is 10), the audit's wall time and the peak RSS.
   `node dist/bench/run.js --scale` runs this part only; `--no-scale` skips it; `--modes` runs
   parts 1 and 2 only.
7. start-up (bench/startup.ts): the CPU of `--help`, `--version`, `list` and `explain` against
   `node -e 0` in alternating pairs, and the dashboard's first frame and full tally of the
   showcase in a pseudo-terminal. `node dist/bench/run.js --startup` runs this part only.
8. import at scale (bench/import-scale.ts, issue 8): a generated capture of 1 000 and of 10 000
   memory blocks (every sysfs file of each block, lsmem -a, iomem, e820) imported as
   `pfnaudit import` does: the CPU of each and the ratio (linear is 10).
   `node dist/bench/run.js --import` runs this part only.
9. search (bench/search.ts, issue 15): layouts audited per CPU second (per core) for one walker,
   in one thread and with --jobs 2. `node dist/bench/run.js --search` runs this part only.
10. the dashboard on a 10 000-entry generated topology (bench/keys.ts, issue 10): its first frame
   after start, and the key-to-screen latency while a walk runs: ↓/↑ on the tally in a
   pseudo-terminal, wall milliseconds from the key to the frame that shows it (median, p95; met
   when p95 < 50 ms and no key was lost) and the main thread's CPU per key.
   `node dist/bench/run.js --keys` runs this part only.

Rates are per CPU second of the measuring thread (process.cpuUsage()): on a shared machine wall
time also counts the other processes. The suite is timed by the wall clock (it is what a user
waits for) and by CPU time.
*/
import {execFileSync} from 'node:child_process';
import {closeSync, openSync, readSync} from 'node:fs';
import {availableParallelism, loadavg} from 'node:os';
import path from 'node:path';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {runAudit} from '../source/engine/audit.js';
import {evaluateWalker, type EvaluationMode} from '../source/engine/evaluate.js';
import {buildModel} from '../source/model/build.js';
import type {Model} from '../source/model/types.js';
import {TOPOLOGIES_DIR} from '../source/paths.js';
import {loadTopologyFile} from '../source/topology/load.js';
import {defineWalker, type PageField, type WalkerDefinition} from '../source/walker/contract.js';
import {builtinWalkerFile, builtinWalkers, findBuiltinWalker} from '../source/walker/registry.js';
import {measureImport} from './import-scale.js';
import {keyLatency} from './keys.js';
import {searchThroughput} from './search.js';
import type {ScaleResult} from './scale.js';
import {dashboardStart, startupRatios} from './startup.js';
import {syntheticModel} from './synthetic.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FLAGS: readonly PageField[] = ['flags'];
const SUITE_TOPOLOGY = path.join(TOPOLOGIES_DIR, 'x86-64tib-5level.yaml');

/** kpageflags_read before v5.4, over [0, end): pfn_valid(), then page->flags; or pfn_valid() only. */
function simpleWalker(end: number, touch: boolean): WalkerDefinition {
	return defineWalker({
		name: touch ? 'bench_page_flags' : 'bench_pfn_valid',
		models: 'fs/proc/page.c:kpageflags_read()',
		trigger: 'benchmark',
		reachability: 'root',
		shape: 'consecutive pfns, stride 1',
		fields: ['flags'],
		history: [{since: '4.13', guard: 'pfn_valid()', confidence: 'A'}],
		plan: () => ({
			label: 'pfn_valid()',
			guard: 'guards with pfn_valid()',
			passes: [
				{
					label: '[0, end)',
					ranges: [{start: 0, end}],
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (ctx.pfn_valid(pfn) && touch) {
							ctx.page(pfn, FLAGS, 'stable_page_flags');
						}
					},
				},
			],
		}),
	});
}

function heapMiB(): number {
	gc();
	return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Milliseconds of CPU (user + system) since `since`. */
function cpuMs(since: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
}

function rate(n: number, ms: number): string {
	const perSecond = n / (ms / 1000);
	if (perSecond >= 1e12) {
		return `${(perSecond / 1e12).toFixed(1)} T pfns/s`;
	}

	return perSecond >= 1e9 ? `${(perSecond / 1e9).toFixed(2)} G pfns/s` : `${(perSecond / 1e6).toFixed(1)} M pfns/s`;
}

function seconds(ms: number): string {
	return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
}

type Measure = {readonly cpu: number; readonly visited: number};

/** Least CPU time of `repeat` evaluations (the first warms the JIT up). */
function measure(walker: WalkerDefinition, model: Model, mode: EvaluationMode, repeat: number): Measure {
	let best = Number.POSITIVE_INFINITY;
	let visited = 0;
	for (let i = 0; i < repeat; i++) {
		const started = process.cpuUsage();
		const result = evaluateWalker(walker, model, {mode, failOn: []});
		const ms = cpuMs(started);
		if (result.status !== 'ok') {
			throw new Error(`bench walker ${walker.name} ended ${result.status}: ${result.error ?? ''}`);
		}

		visited = result.pfns_visited;
		best = Math.min(best, ms);
	}

	return {cpu: best, visited};
}

/** pfns/s of reading /proc/kpageflags (8 bytes per pfn) for about a second, or why not. */
function kpageflagsRate(): {pfns: number; ms: number} | {skipped: string} {
	let fd: number;
	try {
		fd = openSync('/proc/kpageflags', 'r');
	} catch (error) {
		return {skipped: `/proc/kpageflags is not readable here (${(error as NodeJS.ErrnoException).code ?? String(error)}; it is mode 0400 root)`};
	}

	const buffer = Buffer.alloc(8 * 65_536);
	let pfns = 0;
	const started = performance.now();
	try {
		let position = 0;
		while (performance.now() - started < 1000) {
			const bytes = readSync(fd, buffer, 0, buffer.length, position);
			if (bytes <= 0) {
				position = 0;
				continue;
			}

			position += bytes;
			pfns += bytes / 8;
		}
	} catch (error) {
		return {skipped: `reading /proc/kpageflags failed (${(error as NodeJS.ErrnoException).code ?? String(error)})`};
	} finally {
		closeSync(fd);
	}

	return {pfns, ms: performance.now() - started};
}

/** 1 and 2: the modes on synthetic models. Returns the per-pfn rate of the struct-page walker (pfns per CPU ms). */
function modes(lines: string[]): number {
	const pfns = 2 ** 27;
	const model = syntheticModel(pfns);
	const kpageflags = findBuiltinWalker('kpageflags_read')!;
	const walkers = [
		['pfn_valid() only', simpleWalker(model.max_pfn, false)],
		['pfn_valid(), then page->flags', simpleWalker(model.max_pfn, true)],
		['kpageflags_read (built-in, v6.12 form)', kpageflags],
	] as const;
	lines.push(`modes over a synthetic model of ${pfns.toLocaleString('en')} pfns (rates per CPU second, best of 3):`);
	let pageRate = 0;
	for (const [label, walker] of walkers) {
		const perPfn = measure(walker, model, 'per-pfn', 3);
		const runs = measure(walker, model, 'runs', 3);
		if (walker.name === 'bench_page_flags') {
			pageRate = perPfn.visited / perPfn.cpu;
		}

		lines.push(
			`  ${label}:`,
			`    per-pfn ${rate(perPfn.visited, perPfn.cpu)} (${seconds(perPfn.cpu)}), runs ${rate(runs.visited, runs.cpu)} (${seconds(runs.cpu)}), runs/per-pfn ${(perPfn.cpu / runs.cpu).toFixed(0)}x`,
		);
	}

	const big = 2 ** 34;
	const sweep = measure(simpleWalker(big, true), syntheticModel(big), 'runs', 3);
	lines.push(`  per-pfn pfn_valid() then page->flags: ${rate(pageRate, 1)} [issue 10 target ≥ 150 M pfns/s${pageRate >= 150_000 ? '' : ': MISSED'}]`);
	lines.push(`  runs mode over 64 TiB (${big.toLocaleString('en')} pfns), pfn_valid() then page->flags: ${rate(sweep.visited, sweep.cpu)} (${seconds(sweep.cpu)})`);
	return pageRate;
}

/** 3: the built-in suite on the 64 TiB topology, in workers and in-process. */
async function suite(lines: string[], pageRate: number): Promise<void> {
	const walkers = builtinWalkers().map(definition => ({
		definition,
		source: {kind: 'builtin', name: definition.name} as const,
		file: builtinWalkerFile(definition.name),
		builtin: true,
	}));
	const topology = loadTopologyFile(SUITE_TOPOLOGY);
	const modelStarted = performance.now();
	buildModel(topology);
	lines.push(`built-in suite: ${walkers.length} walkers on ${path.basename(SUITE_TOPOLOGY)} (model built in ${seconds(performance.now() - modelStarted)})`);
	for (const runner of ['workers', 'in-process'] as const) {
		const wall = performance.now();
		const cpu = process.cpuUsage();
		// eslint-disable-next-line no-await-in-loop
		const report = await runAudit({topology, walkers, runner});
		const wallMs = performance.now() - wall;
		const cpuUsed = cpuMs(cpu);
		const visited = report.walkers.reduce((sum, w) => sum + w.pfns_visited, 0);
		const errors = report.walkers.filter(w => w.verdict === 'error').map(w => `${w.name} (${w.status})`);
		const slowest = [...report.walkers].sort((a, b) => (b.elapsed_ms ?? 0) - (a.elapsed_ms ?? 0)).slice(0, 3);
		const where = runner === 'workers' ? `${Math.min(availableParallelism(), walkers.length)} worker threads` : 'in-process';
		lines.push(
			`  ${where}: ${seconds(wallMs)} wall${runner === 'in-process' ? `, ${seconds(cpuUsed)} CPU` : ''} for ${visited.toExponential(2)} iteration points (${rate(visited, wallMs)} wall)`,
			`    per-pfn mode would take ${seconds(visited / pageRate)} of CPU at the struct-page walker's rate: ${(visited / pageRate / wallMs).toExponential(1)}x`,
			`    slowest: ${slowest.map(w => `${w.name} ${seconds(w.elapsed_ms ?? 0)}`).join(', ')}; errors: ${errors.join(', ') || 'none'}`,
		);
	}
}

const SCALE_SIZES = [1000, 10_000, 100_000] as const;

/** 6: N-entry topologies, each in a child process (its own peak RSS). */
function scale(lines: string[]): void {
	const script = new URL('scale.js', import.meta.url);
	const results: ScaleResult[] = [];
	lines.push('scale in topology entries (generated mixed topologies, every built-in walker, model built once; CPU of the parse and build, wall of the audit):');
	for (const entries of SCALE_SIZES) {
		const output = execFileSync(process.execPath, [script.pathname, String(entries)], {encoding: 'utf8', maxBuffer: 2 ** 20, stdio: ['ignore', 'pipe', 'inherit']});
		const result = JSON.parse(output.trim().split('\n').at(-1)!) as ScaleResult;
		results.push(result);
		lines.push(
			`  ${entries.toLocaleString('en')} entries (${result.runs.toLocaleString('en')} runs): parse ${seconds(result.parseCpu)}, build ${seconds(result.buildCpu)}, audit ${seconds(result.auditWall)} wall, ${seconds(result.processCpu)} CPU in all, peak RSS ${result.maxRssMiB.toFixed(0)} MiB; errors: ${result.errors.join(', ') || 'none'}`,
		);
	}

	for (let i = 1; i < results.length; i++) {
		const [small, large] = [results[i - 1]!, results[i]!];
		const ratio = (f: (r: ScaleResult) => number) => (f(large) / f(small)).toFixed(1);
		lines.push(
			`  ratio ${large.entries.toLocaleString('en')} : ${small.entries.toLocaleString('en')} entries (linear is ${large.entries / small.entries}): parse + build CPU ${ratio(r => r.parseCpu + r.buildCpu)}, process CPU ${ratio(r => r.processCpu)}, audit wall ${ratio(r => r.auditWall)}`,
		);
	}
}

/** 8: import of generated captures of 1 000 and 10 000 memory blocks. */
function importScale(lines: string[]): void {
	measureImport(100); // warm-up: the first import loads and compiles the modules
	const small = measureImport(1000);
	const large = measureImport(10_000);
	lines.push('import at scale (generated captures: per-block sysfs files, lsmem -a, iomem, e820; CPU of importCapture()):');
	for (const r of [small, large]) {
		lines.push(`  ${r.blocks.toLocaleString('en')} memory blocks (${r.files.toLocaleString('en')} files, ${r.entries} topology entries): ${seconds(r.cpuMs)}`);
	}

	lines.push(`  ratio 10 000 : 1 000 blocks (linear is 10): ${(large.cpuMs / small.cpuMs).toFixed(1)}`);
}

async function main(): Promise<void> {
	const load = loadavg()[0]!;
	const lines: string[] = [`pfnaudit bench — node ${process.version}, ${availableParallelism()} CPUs, load average ${load.toFixed(1)}`];
	if (load > availableParallelism()) {
		lines.push('  (the machine is busy: wall-clock figures include time given to other processes)');
	}

	if (process.argv.includes('--startup')) {
		startupRatios(lines);
		await dashboardStart(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	if (process.argv.includes('--keys')) {
		await keyLatency(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	if (process.argv.includes('--import')) {
		importScale(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	if (process.argv.includes('--search')) {
		await searchThroughput(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	if (process.argv.includes('--modes')) {
		modes(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	if (process.argv.includes('--scale')) {
		scale(lines);
		process.stdout.write(`${lines.join('\n')}\n`);
		return;
	}

	startupRatios(lines);
	await dashboardStart(lines);
	await keyLatency(lines);
	const heapStart = heapMiB();
	const pageRate = modes(lines);
	const heapModes = heapMiB();
	await suite(lines, pageRate);
	const heapEnd = heapMiB();
	lines.push(`heap used: ${heapStart.toFixed(1)} MiB at start, ${heapModes.toFixed(1)} MiB after the modes, ${heapEnd.toFixed(1)} MiB after the suites`);

	const kernel = kpageflagsRate();
	if ('skipped' in kernel) {
		lines.push(`/proc/kpageflags: skipped, ${kernel.skipped}`);
	} else {
		lines.push(
			`/proc/kpageflags read: ${rate(kernel.pfns, kernel.ms)} wall (the kernel's own walker, 8 bytes per pfn through read()); per-pfn mode's struct-page walker runs at ${((pageRate * 1000) / (kernel.pfns / (kernel.ms / 1000))).toFixed(1)}x that rate`,
		);
	}

	importScale(lines);
	await searchThroughput(lines);
	if (!process.argv.includes('--no-scale')) {
		scale(lines);
	}

	process.stdout.write(`${lines.join('\n')}\n`);
}

await main();

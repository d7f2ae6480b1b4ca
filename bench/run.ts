/**
`npm run bench` (dist/bench/run.js): throughput of the engine on this machine. Reports
ratios against baselines measured in the same run; nothing here is a pass/fail threshold.

1. pfns/s of each evaluation mode on a simple walker (pfn_valid(), then page->flags) over a
   big synthetic model, and the runs/per-pfn ratio;
2. the same in runs mode over a 64 TiB physical address space;
3. the full built-in suite on a 64 TiB topology, in worker threads (skipped, with a note,
   while the catalog is empty or the model is not built);
4. heap used before and after (memory must not grow with the number of pfns);
5. /proc/kpageflags read rate, when readable: the kernel's own walker over the same kind of
   loop, as a yardstick.
*/
import {closeSync, openSync, readSync} from 'node:fs';
import {availableParallelism} from 'node:os';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {runAudit} from '../source/engine/audit.js';
import {evaluateWalker, type EvaluationMode} from '../source/engine/evaluate.js';
import {buildModel} from '../source/model/build.js';
import type {Model} from '../source/model/types.js';
import {defineWalker, type PageField, type WalkerDefinition} from '../source/walker/contract.js';
import {builtinWalkerFile, builtinWalkers} from '../source/walker/registry.js';
import {syntheticModel, topology64T} from './synthetic.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FLAGS: readonly PageField[] = ['flags'];

/** kpageflags_read before v5.4, over [0, end): pfn_valid(), then page->flags; or pfn_valid() only. */
function simpleWalker(end: number, touch = true): WalkerDefinition {
	return defineWalker({
		name: 'bench_simple',
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

function rate(n: number, ms: number): string {
	const perSecond = n / (ms / 1000);
	return perSecond >= 1e9 ? `${(perSecond / 1e9).toFixed(2)} G pfns/s` : `${(perSecond / 1e6).toFixed(1)} M pfns/s`;
}

/** Best of `repeat` runs (the first warms the JIT up). */
function measure(walker: WalkerDefinition, model: Model, mode: EvaluationMode, repeat: number): {ms: number; visited: number} {
	let best = Number.POSITIVE_INFINITY;
	let visited = 0;
	for (let i = 0; i < repeat; i++) {
		const started = performance.now();
		const result = evaluateWalker(walker, model, {mode, failOn: []});
		const ms = performance.now() - started;
		if (result.status !== 'ok') {
			throw new Error(`bench walker ended ${result.status}: ${result.error ?? ''}`);
		}

		visited = result.pfns_visited;
		best = Math.min(best, ms);
	}

	return {ms: best, visited};
}

/** pfns/s of reading /proc/kpageflags (8 bytes per pfn) for about a second, or undefined. */
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

async function suite(heapBefore: number): Promise<string[]> {
	const walkers = builtinWalkers();
	if (walkers.length === 0) {
		return ['built-in suite: skipped, walkers/index.ts registers no walker yet'];
	}

	const topology = topology64T();
	try {
		buildModel(topology);
	} catch (error) {
		return [`built-in suite: skipped, the model cannot be built here (${(error as Error).message})`];
	}

	const started = performance.now();
	const report = await runAudit({
		topology,
		walkers: walkers.map(definition => ({definition, source: {kind: 'builtin', name: definition.name}, file: builtinWalkerFile(definition.name), builtin: true})),
	});
	const ms = performance.now() - started;
	const slowest = [...report.walkers].sort((a, b) => (b.elapsed_ms ?? 0) - (a.elapsed_ms ?? 0)).slice(0, 3);
	return [
		`built-in suite: ${walkers.length} walkers on a 64 TiB topology in ${availableParallelism()} worker threads: ${(ms / 1000).toFixed(2)} s (${rate(report.walkers.reduce((sum, w) => sum + w.pfns_visited, 0), ms)})`,
		`  slowest: ${slowest.map(w => `${w.name} ${((w.elapsed_ms ?? 0) / 1000).toFixed(2)} s`).join(', ')}`,
		`  errors: ${report.walkers.filter(w => w.verdict === 'error').map(w => `${w.name} (${w.status})`).join(', ') || 'none'}`,
		`  heap after the suite: ${heapMiB().toFixed(1)} MiB (before ${heapBefore.toFixed(1)} MiB)`,
	];
}

async function main(): Promise<void> {
	const lines: string[] = [`pfnaudit bench — node ${process.version}, ${availableParallelism()} CPUs`];
	const heapStart = heapMiB();
	const pfns = 2 ** 27;
	const model = syntheticModel(pfns);
	const small = simpleWalker(model.max_pfn);
	const validOnly = measure(simpleWalker(model.max_pfn, false), model, 'per-pfn', 3);
	const perPfn = measure(small, model, 'per-pfn', 3);
	const runs = measure(small, model, 'runs', 3);
	lines.push(
		`pfn_valid()-only walker, per-pfn mode: ${rate(validOnly.visited, validOnly.ms)} (${validOnly.ms.toFixed(0)} ms for ${validOnly.visited.toLocaleString('en')} pfns)`,
		`simple walker (pfn_valid, then page->flags) over ${perPfn.visited.toLocaleString('en')} pfns:`,
		`  per-pfn: ${rate(perPfn.visited, perPfn.ms)} (${perPfn.ms.toFixed(0)} ms)`,
		`  runs:    ${rate(runs.visited, runs.ms)} (${runs.ms.toFixed(3)} ms)`,
		`  runs / per-pfn speed-up: ${(perPfn.ms / runs.ms).toFixed(0)}x`,
	);

	const big = 2 ** 34;
	const sweep = measure(simpleWalker(big), syntheticModel(big), 'runs', 3);
	lines.push(`  runs over 64 TiB (${big.toLocaleString('en')} pfns): ${rate(sweep.visited, sweep.ms)} (${sweep.ms.toFixed(3)} ms)`);
	const heapAfter = heapMiB();
	const points = (validOnly.visited + perPfn.visited + runs.visited) * 3 + sweep.visited * 3;
	lines.push(`heap used: ${heapStart.toFixed(1)} MiB at start, ${heapAfter.toFixed(1)} MiB after walking ${points.toExponential(2)} iteration points`);

	const kernel = kpageflagsRate();
	if ('skipped' in kernel) {
		lines.push(`/proc/kpageflags: skipped, ${kernel.skipped}`);
	} else {
		lines.push(
			`/proc/kpageflags read: ${rate(kernel.pfns, kernel.ms)} (the kernel's own walker, 8 bytes per pfn through read()); the simple walker in per-pfn mode runs at ${((perPfn.visited / perPfn.ms) / (kernel.pfns / kernel.ms)).toFixed(2)}x that rate`,
		);
	}

	lines.push(...(await suite(heapAfter)));
	process.stdout.write(`${lines.join('\n')}\n`);
}

await main();

/**
`pfnaudit search` throughput (issue 15): layouts generated, validated, built and audited with one
walker, per CPU second — per core — for kpageflags_read at v6.12 over every arch (asking C1, which
that release's pfn_to_online_page() never reads, so the whole budget is audited and nothing is
shrunk), in this thread and in two worker threads (source/search/pool.ts; process.cpuUsage()
counts every thread of the process, so the per-core figure includes the workers' start-up).
memory_failure, whose forms sweep the whole physical address space, is the slow end.
`node dist/bench/run.js --search` runs this part only.
*/
import {ARCHES} from '../source/model/geometry.js';
import {searchInWorkers} from '../source/search/pool.js';
import {searchInProcess, type SearchResult} from '../source/search/search.js';
import {findBuiltinWalker} from '../source/walker/registry.js';

const BUDGET = 8000;

async function measure(run: () => Promise<SearchResult>): Promise<{layouts: number; cpuMs: number; wallMs: number}> {
	const cpu = process.cpuUsage();
	const wall = performance.now();
	const result = await run();
	const used = process.cpuUsage(cpu);
	if (result.found) {
		throw new Error(`bench: the search found a counterexample (${result.found.result.witness.category}); the bench expects none`);
	}

	return {layouts: result.coverage.layouts, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall};
}

function perCore(m: {layouts: number; cpuMs: number; wallMs: number}): string {
	return `${Math.round(m.layouts / (m.cpuMs / 1000)).toLocaleString('en')} layouts per CPU second (${m.layouts.toLocaleString('en')} audited, ${(m.wallMs / 1000).toFixed(1)} s wall)`;
}

export async function searchThroughput(lines: string[]): Promise<void> {
	lines.push(`search (${BUDGET.toLocaleString('en')} layouts over every arch, seed 1, nothing found):`);
	for (const [name, kernel] of [
		['kpageflags_read', '6.12'],
		['memory_failure', '6.12'],
	] as const) {
		const walker = findBuiltinWalker(name)!;
		const space = {kernel, arches: ARCHES, patches: [], categories: ['C1' as const], seed: 1, budget: BUDGET};
		// eslint-disable-next-line no-await-in-loop
		const one = await measure(async () => searchInProcess({...space, walker}));
		lines.push(`  ${name} at v${kernel}, one thread: ${perCore(one)}`);
		if (name === 'kpageflags_read') {
			// eslint-disable-next-line no-await-in-loop
			const two = await measure(async () => searchInWorkers({...space, source: {kind: 'builtin', name}, jobs: 2}));
			lines.push(`  ${name} at v${kernel}, --jobs 2: ${perCore(two)}; wall-clock speed-up ${(one.wallMs / two.wallMs).toFixed(2)}x`);
		}
	}
}

/**
`pfnaudit search` (issue 15): generated layouts, audited in-process, the first failure shrunk to
a 1-minimal counterexample and written as a topology file that the parser reads back and whose
audit fails.
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {ARCHES} from '../../source/model/geometry.js';
import {layoutArbitrary, placePlan, planArbitrary} from '../../source/search/generate.js';
import {layoutTopology} from '../../source/search/layout.js';
import {probeLayout} from '../../source/search/probe.js';
import {renderCounterexample} from '../../source/search/report.js';
import {searchInProcess, type SearchResult} from '../../source/search/search.js';
import {dropSteps, sectionEdgeMoves} from '../../source/search/shrink.js';
import {parseTopology} from '../../source/topology/load.js';
import {findBuiltinWalker} from '../../source/walker/registry.js';
import {InputError} from '../../source/errors/input-error.js';
import {run, scratch} from '../hostile/harness.js';
import fc from 'fast-check';

const kpageflags = findBuiltinWalker('kpageflags_read')!;

async function search(kernel: string, categories: Parameters<typeof searchInProcess>[0]['categories'], seed = 1, budget = 2000): Promise<SearchResult> {
	return searchInProcess({walker: kpageflags, kernel, arches: ARCHES, patches: [], categories, seed, budget});
}

describe('layout generation', () => {
	it('A test that generates 300 layouts for every arch at v6.12. Expect all but a few accepted by the topology rules, and devices, hotplug, collisions and operations among them', () => {
		const seen = new Set<string>();
		let refused = 0;
		for (const generated of fc.sample(layoutArbitrary({kernel: '6.12', arches: ARCHES}), {seed: 3, numRuns: 300})) {
			const topology = layoutTopology(generated.layout);
			if (topology instanceof InputError) {
				refused++;
				continue;
			}

			for (const entry of topology.memory) {
				seen.add(entry.kind);
			}

			for (const op of topology.operations ?? []) {
				seen.add(`op ${op.op}`);
			}

			seen.add(topology.arch);
		}

		expect(refused).toBeLessThan(15);
		for (const feature of ['boot', 'hotplug', 'device', 'op online', 'op teardown', 'op create', ...ARCHES]) {
			expect(seen, feature).toContain(feature);
		}
	});

	it('A test that places the same plan twice. Expect the same layout (placement is a pure function of the plan)', () => {
		const [plan] = fc.sample(planArbitrary({kernel: '5.10', arches: ['x86_64']}), {seed: 11, numRuns: 1});
		expect(placePlan(plan!, {kernel: '5.10', arches: ['x86_64']})).toEqual(placePlan(plan!, {kernel: '5.10', arches: ['x86_64']}));
	});
});

describe('search and shrink', () => {
	it('A test that searches kpageflags_read at v5.3 (pfn_valid() before aad5f69bc161) for C1. Expect a 1-minimal counterexample: dropping any entry or operation, or moving any boundary inward to the next section edge, makes the audit pass', async () => {
		const result = await search('5.3', ['C1']);
		expect(result.found).toBeDefined();
		const found = result.found!;
		expect(found.minimal).toBe(true);
		expect(found.result.witness.category).toBe('C1');
		const probe = {walker: kpageflags, categories: ['C1' as const]};
		expect(probeLayout(found.result.layout, probe).verdict).toBe('fail');
		const moves = [...dropSteps(found.result.layout), ...sectionEdgeMoves(found.result.layout)];
		expect(moves.length).toBeGreaterThan(0);
		for (const move of moves) {
			expect(probeLayout(move.layout, probe).verdict, move.what).not.toBe('fail');
		}

		// Smaller than what was generated.
		expect(found.result.layout.memory.length).toBeLessThanOrEqual(found.original.memory.length);
	});

	it('A test that writes the counterexample and reads it back. Expect a valid topology whose audit with the walker fails in C1 at the witness pfn', async () => {
		const result = await search('5.3', ['C1']);
		const text = renderCounterexample(result.found!, {
			walker: 'kpageflags_read',
			models: kpageflags.models,
			walkerArg: 'kpageflags_read',
			categories: ['C1'],
			seed: 1,
			kernel: '5.3',
			arches: ARCHES,
			allArches: true,
			patches: [],
		});
		expect(text).toMatch(/^# pfnaudit search: /);
		expect(text).toContain(`Witness: pfn 0x${result.found!.result.witness.pfn.toString(16)}`);
		const topology = parseTopology(text, 'counterexample.yaml');
		const report = await runAudit({
			topology,
			walkers: [{definition: kpageflags, source: {kind: 'builtin', name: 'kpageflags_read'}, file: 'walkers/kpageflags_read.ts', builtin: true}],
			failOn: ['C1'],
			runner: 'in-process',
		});
		expect(report.verdict).toBe('fail');
		expect(report.walkers[0]!.witnesses.map(w => w.pfn)).toContain(result.found!.result.witness.pfn);
	});

	it('A test that runs the same search twice, and once with another seed. Expect the same counterexample for the same seed', async () => {
		const a = await search('5.3', ['C1'], 5);
		const b = await search('5.3', ['C1'], 5);
		expect(a.found!.result.layout).toEqual(b.found!.result.layout);
		expect(a.found!.index).toBe(b.found!.index);
	});

	it('A test that searches kpageflags_read at v5.4 (pfn_to_online_page()) for C1 within 1000 layouts. Expect none, and every layout counted', async () => {
		const result = await search('5.4', ['C1'], 1, 1000);
		expect(result.found).toBeUndefined();
		expect(result.tried).toBe(1000);
		expect(result.coverage.layouts + result.coverage.refused + result.coverage.errors).toBe(1000);
		expect(result.coverage.touched.C1 ?? 0).toBe(0);
		expect(result.coverage.features['hotplug offline'] ?? 0).toBeGreaterThan(50);
	});

	it('A test that interrupts a search while it shrinks (Ctrl+C). Expect the smallest failing layout so far, marked interrupted and not minimal', async () => {
		const controller = new AbortController();
		const result = await searchInProcess({
			walker: kpageflags,
			kernel: '5.3',
			arches: ARCHES,
			patches: [],
			categories: ['C1'],
			seed: 1,
			budget: 2000,
			signal: controller.signal,
			onProgress(progress) {
				if (progress.phase === 'shrinking') {
					controller.abort();
				}
			},
		});
		expect(result.interrupted).toBe(true);
		expect(result.found?.minimal).toBe(false);
		expect(result.found!.shrinkSteps).toBe(1);
		expect(probeLayout(result.found!.result.layout, {walker: kpageflags, categories: ['C1']}).verdict).toBe('fail');
	});

	it('A test that stops a search with an aborted signal. Expect it to end at once, interrupted, without a counterexample', async () => {
		const controller = new AbortController();
		controller.abort();
		const result = await searchInProcess({walker: kpageflags, kernel: '5.4', arches: ARCHES, patches: [], categories: ['C1'], seed: 1, budget: 100_000, signal: controller.signal});
		expect(result.interrupted).toBe(true);
		expect(result.found).toBeUndefined();
		expect(result.tried).toBe(0);
	});
});

describe('pfnaudit search (CLI)', () => {
	it('A test that runs search for kpageflags_read at v5.3 with -o. Expect exit 1, the file written, and one line on stderr naming the witness', async () => {
		const {dir, remove} = scratch();
		try {
			const result = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.3', '--category', 'C1', '-o', 'ce.yaml'], {cwd: dir});
			expect(result.code).toBe(1);
			expect(result.stdout).toBe('');
			expect(result.stderr).toMatch(/^pfnaudit: kpageflags_read at v5\.3: C1 at pfn 0x[\da-f]+; wrote ce\.yaml: \d+ entr/);
			const text = readFileSync(path.join(dir, 'ce.yaml'), 'utf8');
			const audit = await run(['audit', 'ce.yaml', '--walker', 'kpageflags_read', '--fail-on', 'C1', '--format', 'json'], {cwd: dir});
			expect(audit.code).toBe(1);
			expect(text).toContain('name: search-kpageflags_read-5.3');
			// -o never replaces a file without --force.
			const again = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.3', '--category', 'C1', '-o', 'ce.yaml'], {cwd: dir});
			expect(again.code).toBe(2);
		} finally {
			remove();
		}
	});

	it('A test that runs a search that finds nothing within --budget. Expect exit 0 and a summary of how many layouts were tried and what they covered', async () => {
		const result = await run(['search', '--walker', 'kpageflags_read', '--kernel', '5.4', '--category', 'C1', '--budget', '200', '--arch', 'x86_64']);
		expect(result.code).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/no layout on which kpageflags_read touches C1 at v5\.4: 200 layouts in/);
		expect(result.stderr).toMatch(/arches: x86_64 \d+/);
		expect(result.stderr).toMatch(/the walker touched C1 in 0/);
	});

	it.each([
		[['search'], /--walker is required/],
		[['search', '--walker', 'nosuch'], /no built-in walker has that name/],
		[['search', '--walker', 'kpageflags_read', '--kernel', '9.9'], /--kernel 9\.9 is not a modelled/],
		[['search', '--walker', 'kpageflags_read', '--category', 'C9'], /--category: 'C9' is not a category id/],
		[['search', '--walker', 'kpageflags_read', '--arch', 'vax'], /--arch vax is not a modelled arch/],
		[['search', '--walker', 'kpageflags_read', '--budget', '0'], /--budget "0" is not a whole number/],
		[['search', '--walker', 'kpageflags_read', '--budget', '5', '--time', '1'], /not both/],
		[['search', '--walker', 'kpageflags_read', '--seed', '-1'], /--seed "-1"/],
		[['search', '--walker', 'kpageflags_read', '--patch', 'arm64-pfn-valid-v2', '--arch', 'x86_64'], /--patch arm64-pfn-valid-v2 applies to/],
	])('A test that runs %j. Expect exit 2 and one sentence', async (argv, message) => {
		const result = await run(argv);
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^pfnaudit: [^\n]+\n$/);
		expect(result.stderr).toMatch(message);
	});
});

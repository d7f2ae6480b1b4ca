/**
Category coverage: every SPEC §5 id is produced by at least one built-in walker on a shipped
topology (test/coverage/matrix.ts names which, where and at which version), or is listed as
unreachable with its reason. Counts are asserted zero / non-zero only.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createStepContext} from '../../source/engine/context.js';
import {evaluateWalker} from '../../source/engine/evaluate.js';
import {DEFAULT_FAIL_SET} from '../../source/engine/fail-on.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {buildModel} from '../../source/model/build.js';
import {hex} from '../../source/model/geometry.js';
import type {Model} from '../../source/model/types.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {COVERAGE, type CoverageEntry, UNREACHABLE} from './matrix.js';

function run(entry: CoverageEntry) {
	const file = path.join(TOPOLOGIES_DIR, `${entry.topology}.yaml`);
	const topology = loadTopologyFile(file, {kernel: entry.kernel, patches: entry.patches ?? []});
	const walker = BUILTIN_WALKERS.find(w => w.name === entry.walker);
	if (!walker) {
		throw new Error(`no built-in walker ${entry.walker}`);
	}

	const model = buildModel(topology);
	return {walker, model, result: evaluateWalker(walker, model, {mode: 'runs', failOn: DEFAULT_FAIL_SET})};
}

/**
The categories one step of `walker` touches at iteration point `pfn` (reference StepContext).
`ok` has no witnesses (engine/tally.ts), so its regions are checked by stepping the walker at
the first and last pfn of each.
*/
function categoriesAt(walker: WalkerDefinition, model: Model, pfn: number): string[] {
	const pass = walker.plan(model)?.passes.find(p => p.ranges.some(range => pfn >= range.start && pfn < range.end));
	if (!pass) {
		return [];
	}

	const ctx = createStepContext(model);
	ctx.reset();
	pass.step(ctx, pfn);
	return ctx.touches.filter(t => t.pfn === pfn).map(t => t.run.state.category);
}

describe('category coverage on the shipped topologies', () => {
	it('names a walker for every id, or a reason why none can produce it', () => {
		for (const id of CATEGORY_IDS) {
			const covered = COVERAGE.some(entry => entry.category === id);
			const unreachable = UNREACHABLE[id] !== undefined;
			expect(covered !== unreachable, `${id}: covered ${covered}, unreachable ${unreachable}`).toBe(true);
		}
	});

	// One test per id: the walker touches it on that topology at that version; failing where the
	// default --fail-on set says so; witnesses in the named regions (`ok`, which has none by the
	// engine's witness rule: touched at both ends of each named region).
	it.each(COVERAGE.map(entry => [entry.category, entry.walker, entry.topology, entry.kernel, entry] as const))(
		'%s: %s on %s at v%s',
		(_id, _walker, _topology, _kernel, entry) => {
			const {walker, model, result} = run(entry);
			expect(result.status, result.error).toBe('ok');
			expect(result.touches[entry.category]).toBeGreaterThan(0);
			if (entry.category === 'ok') {
				expect(result.witnesses.filter(w => w.category === 'ok')).toEqual([]);
				expect(result.failing.ok).toBe(0);
				for (const [start, end] of entry.regions) {
					for (const pfn of [start, end - 1]) {
						expect(categoriesAt(walker, model, pfn), `${entry.walker} at ${hex(pfn)}`).toContain('ok');
					}
				}

				return;
			}

			const witnesses = result.witnesses.filter(w => w.category === entry.category && (!entry.failing || w.failing));
			expect(witnesses.length).toBeGreaterThan(0);
			if (entry.failing) {
				expect(result.failing[entry.category]).toBeGreaterThan(0);
			} else {
				expect(result.failing[entry.category]).toBe(0);
			}

			for (const witness of witnesses) {
				const inside = entry.regions.some(([start, end]) => witness.pfn >= start && witness.pfn < end);
				expect(inside, `witness ${hex(witness.pfn)} of ${entry.category}`).toBe(true);
			}
		},
	);
});

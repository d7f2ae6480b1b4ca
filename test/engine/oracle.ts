/**
Test helpers for the engine: run a walker in both evaluation modes and through the naive oracle
(test/helpers/run-walker.ts), and derive the oracle's witnesses and failing counts by the
witness rule written out the obvious way.
*/
import {expect} from 'vitest';
import {evaluateWalker, type EvaluationMode, type JobResult} from '../../source/engine/evaluate.js';
import {DEFAULT_FAIL_SET, isFailingTouch} from '../../source/engine/fail-on.js';
import {callChain} from '../../source/engine/witness.js';
import {CATEGORY_IDS, type CategoryId, FAIL_WHEN_WRITTEN} from '../../source/model/categories.js';
import type {Model} from '../../source/model/types.js';
import type {Pass, WalkerDefinition, WalkerForm} from '../../source/walker/contract.js';
import {runNaive} from '../helpers/run-walker.js';

export type OracleWitness = {category: CategoryId; pfn: number; via: string; fields: readonly string[]; access: string};

export type Oracle = {
	visited: number;
	touches: Record<CategoryId, number>;
	failing: Record<CategoryId, number>;
	witnesses: OracleWitness[];
};

/** The naive per-pfn oracle plus the witness rule: first `limit` per category but `ok`, one per model run (of a write-only category: its first write). */
export function oracle(walker: WalkerDefinition, model: Model, failOn: readonly CategoryId[] = DEFAULT_FAIL_SET, limit = 5): Oracle {
	const naive = runNaive(walker, model);
	const failing = Object.fromEntries(CATEGORY_IDS.map(id => [id, 0])) as Record<CategoryId, number>;
	const seenRuns = new Set<number>();
	const perCategory = new Map<CategoryId, number>();
	const witnesses: OracleWitness[] = [];
	const set = new Set(failOn);
	for (const touch of naive.log) {
		const run = model.runAt(touch.pfn);
		// hvo (FAIL_WHEN_WRITTEN): only writes fail, and a run's first write is its witness.
		const writeOnly = FAIL_WHEN_WRITTEN.includes(touch.category);
		if (isFailingTouch(set, run.state) && (!writeOnly || touch.access === 'write')) {
			failing[touch.category]++;
		}

		if (writeOnly ? touch.access === 'write' && !seenRuns.has(run.index) : !seenRuns.has(run.index)) {
			seenRuns.add(run.index);
			const count = perCategory.get(touch.category) ?? 0;
			if (touch.category !== 'ok' && count < limit) {
				perCategory.set(touch.category, count + 1);
				witnesses.push({category: touch.category, pfn: touch.pfn, via: touch.via, fields: touch.fields, access: touch.access});
			}
		}
	}

	return {visited: naive.visited, touches: naive.touches, failing, witnesses};
}

export function evaluate(walker: WalkerDefinition, model: Model, mode: EvaluationMode, failOn: readonly CategoryId[] = DEFAULT_FAIL_SET): JobResult {
	return evaluateWalker(walker, model, {mode, failOn});
}

/**
Run `walker` in both modes and through the oracle; expect all three to agree on pfns visited,
touches, failing touches and witnesses. Returns the runs-mode result for further checks.
*/
export function expectModesAgree(walker: WalkerDefinition, model: Model, failOn: readonly CategoryId[] = DEFAULT_FAIL_SET): JobResult {
	const runs = evaluate(walker, model, 'runs', failOn);
	const perPfn = evaluate(walker, model, 'per-pfn', failOn);
	const expected = oracle(walker, model, failOn);
	expect(runs.error).toBeUndefined();
	expect(perPfn.error).toBeUndefined();
	expect(runs.status).toBe('ok');
	expect(perPfn.status).toBe('ok');
	for (const result of [runs, perPfn]) {
		expect(result.pfns_visited).toBe(expected.visited);
		expect(result.touches).toEqual(expected.touches);
		expect(result.failing).toEqual(expected.failing);
		expect(result.witnesses.map(w => ({category: w.category, pfn: w.pfn, chain: w.chain, fields: w.fields, access: w.access}))).toEqual(
			expected.witnesses.map(w => ({category: w.category, pfn: w.pfn, chain: callChain(walker.name, w.via), fields: w.fields, access: w.access})),
		);
	}

	expect(runs.witnesses).toEqual(perPfn.witnesses);
	return runs;
}

type PassSpec = Omit<Pass, 'label' | 'direction' | 'stride'> & Partial<Pick<Pass, 'label' | 'direction' | 'stride'>>;

/** A test walker with a fixed form. */
export function testWalker(name: string, passes: readonly PassSpec[], guard = 'guards with pfn_valid()'): WalkerDefinition {
	const form: WalkerForm = {
		label: `test form of ${name}`,
		guard,
		passes: passes.map((pass, i) => ({label: `pass ${i}`, direction: 'up', stride: 1, ...pass})),
	};
	return {
		name,
		models: `mm/test.c:${name}()`,
		trigger: 'test',
		reachability: 'root',
		shape: 'test',
		fields: ['flags'],
		history: [{since: '4.13', guard: 'pfn_valid()', confidence: 'A'}],
		plan: () => form,
	};
}

/**
Issue 10 (memory at scale): the form a walker's plan() returns is copied (copyForm()) and the copy
is walked; the original must be garbage during the walk. Held in a local of evaluateWalker() it
stayed reachable for the whole walk — 20-34 MiB beside a 9-18 MiB copy for a walker with a pass
per memory block at 100 000 topology entries (docs/scale.md). Structural: the step counts the
objects of the returned form that are still alive (v8.queryObjects() collects garbage first).
*/
import v8 from 'node:v8';
import {describe, expect, it} from 'vitest';
import {copyForm} from '../../source/engine/form-check.js';
import {evaluateWalker} from '../../source/engine/evaluate.js';
import type {Pass, StepContext, WalkerDefinition} from '../../source/walker/contract.js';
import {fakeModel, OK} from '../helpers/fake-model.js';

class PlannedForm {
	constructor(
		readonly label: string,
		readonly guard: string,
		readonly passes: readonly Pass[],
	) {}
}

class PlannedPass {
	readonly direction = 'up';
	readonly stride = 1;
	constructor(
		readonly label: string,
		readonly ranges: ReadonlyArray<{start: number; end: number}>,
		readonly anchors: ReadonlyArray<(pfn: number) => number>,
		readonly step: (ctx: StepContext, pfn: number) => void,
	) {}
}

const model = fakeModel({runs: [{start: 0, end: 0x1000, state: OK}]});

describe('the form plan() returned is dropped once it is copied', () => {
	it('A test of a walker whose plan() returns class instances (form and passes) and whose step counts the live instances during the walk. Expect none alive: only the copy is walked', () => {
		const alive: number[] = [];
		const step = () => {
			if (alive.length === 0) {
				alive.push(v8.queryObjects(PlannedForm, {format: 'count'}) as number, v8.queryObjects(PlannedPass, {format: 'count'}) as number);
			}
		};
		const anchors = [(pfn: number) => pfn];
		const walker: WalkerDefinition = {
			name: 't_dropped',
			models: 'test',
			trigger: 'test',
			reachability: 'root',
			shape: 'test',
			fields: [],
			history: [],
			plan: () => new PlannedForm('test', 'test', [0, 1, 2].map(i => new PlannedPass(`pass ${i}`, [{start: i * 0x100, end: i * 0x100 + 0x10}], anchors, step))),
		};
		const result = evaluateWalker(walker, model, {mode: 'runs', failOn: []});
		expect(result.status).toBe('ok');
		expect(alive).toEqual([0, 0]);
	});

	it('A test that copies a form whose passes share one anchors array. Expect the copies to share one copy of it (not the original), and passes with their own arrays to keep their own copies', () => {
		const shared = [(pfn: number) => pfn, {first: 0, last: 8, step: 8}];
		const own = [(pfn: number) => pfn + 1];
		const pass = (anchors: readonly unknown[]) => ({label: 'p', ranges: [{start: 0, end: 16}], direction: 'up', stride: 1, anchors, step() {}});
		const copy = copyForm({label: 'f', guard: 'g', passes: [pass(shared), pass(shared), pass(own), pass(shared)]}) as {passes: Array<{anchors: unknown[]}>};
		const [a, b, c, d] = copy.passes;
		expect(a!.anchors).not.toBe(shared);
		expect(a!.anchors).toEqual(shared);
		expect(b!.anchors).toBe(a!.anchors);
		expect(c!.anchors).not.toBe(a!.anchors);
		expect(c!.anchors).toEqual(own);
		expect(d!.anchors).toEqual(shared);
	});
});

/**
End-to-end walker tests: topology → buildModel → evaluateWalker (runs mode, the default failing
set), at two kernel versions. Assertions stay at the level the engine guarantees while its touch
semantics evolve: which categories are zero or non-zero, which of them fail, and where the
witnesses are — never exact multiplicities.
*/
import {expect} from 'vitest';
import {DEFAULT_FAIL_SET} from '../../source/engine/fail-on.js';
import {createStepContext, type Touch} from '../../source/engine/context.js';
import {evaluateWalker, type JobResult} from '../../source/engine/evaluate.js';
import {type CategoryId} from '../../source/model/categories.js';
import {buildModel} from '../../source/model/build.js';
import {hex} from '../../source/model/geometry.js';
import type {Model, ModelOptions} from '../../source/model/types.js';
import type {Topology} from '../../source/topology/types.js';
import type {Commit, WalkerDefinition} from '../../source/walker/contract.js';
import {GiB, topology} from '../helpers/topology.js';

export type Audit = {readonly model: Model; readonly result: JobResult};

/** Build `topology` at `kernel` (what --kernel does) and run one walker over it. */
export function audit(walker: WalkerDefinition, topology: Topology, kernel: string, options: Omit<ModelOptions, 'kernel'> = {}): Audit {
	const model = buildModel({...topology, kernel}, options);
	const result = evaluateWalker(walker, model, {mode: 'runs', failOn: DEFAULT_FAIL_SET});
	expect(['ok', 'absent'], result.error).toContain(result.status);
	return {model, result};
}

/** A half-open pfn range [start, end). */
export type Region = readonly [number, number];

function inRegion(pfn: number, regions: readonly Region[]): boolean {
	return regions.some(([start, end]) => pfn >= start && pfn < end);
}

/**
Failing touches of `category`, with at least one witness, every witness of that category failing
and inside one of `regions`.
*/
export function expectFailing(result: JobResult, category: CategoryId, ...regions: Region[]): void {
	expect(result.failing[category], `${result.walker} ${category} failing touches`).toBeGreaterThan(0);
	const witnesses = result.witnesses.filter(w => w.category === category);
	expect(witnesses.length, `${result.walker} ${category} witnesses`).toBeGreaterThan(0);
	for (const witness of witnesses) {
		expect(witness.failing).toBe(true);
		expect(inRegion(witness.pfn, regions), `${result.walker} ${category} witness ${hex(witness.pfn)} outside ${regions.map(([s, e]) => `[${hex(s)}, ${hex(e)})`).join(' ')}`).toBe(true);
	}
}

/**
The touches one step of `walker` makes at iteration point `pfn` of the first pass whose ranges
hold it, through the reference StepContext (every read and write, in order).
*/
export function stepAt(walker: WalkerDefinition, model: Model, pfn: number): Touch[] {
	const form = walker.plan(model);
	const pass = form?.passes.find(p => p.ranges.some(range => pfn >= range.start && pfn < range.end));
	expect(pass, `${walker.name} walks pfn ${hex(pfn)}`).toBeDefined();
	const ctx = createStepContext(model);
	ctx.reset();
	pass!.step(ctx, pfn);
	return ctx.touches;
}

/**
The walker writes into the memmap it was witnessed reading: a witness is the first touch of a
model run (engine/tally.ts), a read where the kernel reads a flag before it sets one, so the write
is checked by stepping the walker at the first witness pfn of `category`. Expect a write of a
struct page of `category` there, by `via` when given.
*/
export function expectWitnessWritten({model, result}: Audit, walker: WalkerDefinition, category: CategoryId, via?: string): void {
	const witness = result.witnesses.find(w => w.category === category);
	expect(witness, `${result.walker} ${category} witness`).toBeDefined();
	const writes = stepAt(walker, model, witness!.pfn).filter(t => t.access === 'write' && t.run.state.category === category && t.pfn === witness!.pfn);
	expect(
		writes.map(t => t.via),
		`${result.walker} writes the struct page of its ${category} witness ${hex(witness!.pfn)}`,
	).toEqual(via === undefined ? expect.arrayContaining([expect.any(String)]) : expect.arrayContaining([via]));
}

/** Touches of `category` that do not fail (an initialized memmap), with none failing. */
export function expectTouchedNotFailing(result: JobResult, category: CategoryId): void {
	expect(result.touches[category], `${result.walker} ${category} touches`).toBeGreaterThan(0);
	expect(result.failing[category], `${result.walker} ${category} failing touches`).toBe(0);
}

/** No touch at all of each category. */
export function expectUntouched(result: JobResult, ...categories: CategoryId[]): void {
	for (const category of categories) {
		expect(result.touches[category], `${result.walker} ${category} touches`).toBe(0);
	}
}

/** No failing touch at all (of any category). */
export function expectNoFailing(result: JobResult): void {
	const failing = Object.entries(result.failing).filter(([, count]) => count > 0);
	expect(failing, `${result.walker} failing touches`).toEqual([]);
}

/**
The fixing commit as the walker's own history records it: the guard change at `version` lists a
commit with this id (or, where the id is not known, this subject).
*/
export function historyFix(walker: WalkerDefinition, version: string, commit: {id?: string; subject?: string}): Commit {
	const change = walker.history.find(h => h.since === version);
	expect(change, `${walker.name} history has a change at v${version}`).toBeDefined();
	const found = change!.commits?.find(c => (commit.id === undefined || c.id === commit.id) && (commit.subject === undefined || c.subject === commit.subject));
	expect(found, `${walker.name} history at v${version} names ${commit.id ?? commit.subject}`).toBeDefined();
	return found!;
}

/** The form at the pre-fix version points at the fix (WalkerForm.fixed_by). */
export function expectFixedBy(result: JobResult, fix: {id?: string; version: string}): void {
	expect(result.form?.fixed_by, `${result.walker} at the pre-fix version names its fix`).toBeDefined();
	if (fix.id !== undefined) {
		expect(result.form!.fixed_by!.id).toBe(fix.id);
	}

	expect(result.form!.fixed_by!.version).toBe(fix.version);
}

export {GiB, KiB, MiB, topology} from '../helpers/topology.js';

/**
The walker's form names 1f90a3477df3 as its fix at the pre-fix audit and not at the fixed one;
it names it from `from` (v5.3, the first release with section collisions, or the release after
an earlier fix the form names) and not at v5.2, before collisions existed.
*/
export function expectNamesCollisionFix(walker: WalkerDefinition, before: JobResult, after: JobResult, from: string): void {
	expectFixedBy(before, {id: '1f90a3477df3', version: '5.12'});
	expect(after.form?.fixed_by?.id, `${walker.name} at v5.12`).not.toBe('1f90a3477df3');
	const plain = topology({kernel: '6.12', config: {max_physmem_bits: 36}}).boot(0, 2 * GiB).build();
	const fixOf = (kernel: string) => walker.plan(buildModel({...plain, kernel}))?.fixed_by?.id;
	expect(fixOf(from), `${walker.name} at v${from}`).toBe('1f90a3477df3');
	expect(fixOf('5.2'), `${walker.name} at v5.2`).not.toBe('1f90a3477df3');
}

/**
1f90a3477df3 "mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions" (v5.12) is a
fix in the predicate, not in the walker: before it pfn_to_online_page() returns a ZONE_DEVICE pfn
of an online section (the macro tests online_section() only); from it the
SECTION_TAINT_ZONE_DEVICE slow path asks get_dev_pagemap() and returns NULL.
*/
export function expectCollisionFix(before: Model, after: Model, pfn: number): void {
	const old = before.runAt(pfn).state;
	const fixed = after.runAt(pfn).state;
	expect(old.predicates.pfn_to_online_page).toBe(true);
	expect(old.detail?.pfn_to_online_page_by).toContain('online_section()');
	expect(fixed.predicates.pfn_to_online_page).toBe(false);
	expect(fixed.section.taint_zone_device).toBe(true);
	expect(fixed.detail?.pfn_to_online_page_by).toBe('slow path: get_dev_pagemap() found a pgmap');
}

/**
Runtime check of what a walker's plan() returned (a WalkerForm), before anything is walked: the
types are only a compile-time promise, and user walkers may be plain JavaScript. A broken form
is a contract violation (`malformed`), named in one sentence.
*/
import {hex} from '../model/geometry.js';
import type {Model} from '../model/types.js';
import type {Pass, WalkerForm} from '../walker/contract.js';
import {ContractViolation} from './violation.js';

function describe(value: unknown): string {
	if (typeof value === 'number') {
		return Number.isSafeInteger(value) && value >= 0 ? hex(value) : String(value);
	}

	return value === null ? 'null' : typeof value;
}

/** What is wrong with an anchor of a pass (a function, or an AnchorSeries), or undefined. */
function anchorProblem(anchor: unknown): string | undefined {
	if (typeof anchor === 'function') {
		return undefined;
	}

	if (typeof anchor !== 'object' || anchor === null) {
		return `is ${describe(anchor)}, not a function of the step pfn or a series {base?, first, last, step}`;
	}

	const {base, first, last, step} = anchor as {base?: unknown; first?: unknown; last?: unknown; step?: unknown};
	if (base !== undefined && typeof base !== 'function') {
		return `has a base that is ${describe(base)}, not a function of the step pfn (leave it out for the step pfn itself)`;
	}

	const integer = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
	if (!integer(first) || !integer(last) || !integer(step) || step < 1 || last < first || (last - first) % step !== 0) {
		return `is the series first ${String(first)}, last ${String(last)}, step ${String(step)}; a series needs integers with step >= 1 and last - first a non-negative multiple of step`;
	}

	return undefined;
}

function checkPass(pass: unknown, index: number, model: Model): asserts pass is Pass {
	if (typeof pass !== 'object' || pass === null) {
		throw new ContractViolation(`pass ${index} is ${describe(pass)}, not an object with label, ranges, direction, stride and step`);
	}

	const p = pass as Partial<Record<keyof Pass, unknown>>;
	// Built only for a message: a form may have thousands of passes.
	const name = () => `pass ${index} (${typeof p.label === 'string' ? JSON.stringify(p.label) : 'no label'})`;
	if (typeof p.label !== 'string') {
		throw new ContractViolation(`${name()} has no label string; give each pass a label such as "[0, max_pfn)"`);
	}

	if (p.direction !== 'up' && p.direction !== 'down') {
		throw new ContractViolation(`${name()} has direction ${JSON.stringify(p.direction)}; use 'up' or 'down'`);
	}

	if (typeof p.stride !== 'number' || !Number.isSafeInteger(p.stride) || p.stride < 1) {
		throw new ContractViolation(`${name()} has stride ${describe(p.stride)}; a stride is a positive integer number of pfns`);
	}

	if (typeof p.step !== 'function') {
		throw new ContractViolation(`${name()} has no step function`);
	}

	if (isAsync(p.step)) {
		throw new ContractViolation(`${name()} has an async step; a step is synchronous: its touches happen before it returns (drop 'async' and 'await')`);
	}

	if (p.anchors !== undefined) {
		if (!Array.isArray(p.anchors)) {
			throw new ContractViolation(`${name()} has anchors that are not an array of functions of the step pfn`);
		}

		for (let i = 0; i < p.anchors.length; i++) {
			const problem = anchorProblem(p.anchors[i]);
			if (problem !== undefined) {
				throw new ContractViolation(`${name()} anchor ${i} ${problem}`);
			}
		}
	}

	if (!Array.isArray(p.ranges)) {
		throw new ContractViolation(`${name()} has no ranges array`);
	}

	// An index loop, not entries(): a form may have tens of thousands of ranges, and each
	// [index, range] pair of the iterator was an allocation.
	const ranges = p.ranges as unknown[];
	for (let i = 0; i < ranges.length; i++) {
		const range = ranges[i];
		const r = (typeof range === 'object' && range !== null ? range : {}) as {start?: unknown; end?: unknown};
		const ok =
			typeof r.start === 'number' &&
			typeof r.end === 'number' &&
			Number.isSafeInteger(r.start) &&
			Number.isSafeInteger(r.end) &&
			r.start >= 0 &&
			r.start <= r.end &&
			r.end <= model.end_pfn;
		if (!ok) {
			throw new ContractViolation(
				`${name()} range ${i} is [${describe(r.start)}, ${describe(r.end)}); ranges are half-open pfn ranges with 0 <= start <= end <= ${hex(model.end_pfn)}`,
			);
		}
	}
}

/**
A copy of what plan() returned, each property read once, so that what is checked is what is
walked and reported: a getter or Proxy answering differently on each read cannot pass the check
with one value and be walked with another, and one that throws does so here, as a contract
violation, not later in the engine. Own enumerable keys are kept (a step may read its pass
through `this`); non-objects are left for checkForm to name.
*/
export function copyForm(form: unknown): unknown {
	if (typeof form !== 'object' || form === null || typeof (form as {then?: unknown}).then === 'function') {
		return form;
	}

	try {
		const f: Record<string, unknown> = {...form};
		if (typeof f.fixed_by === 'object' && f.fixed_by !== null) {
			f.fixed_by = {...f.fixed_by};
		}

		if (Array.isArray(f.passes)) {
			// Passes that share one anchors array (a walker with a pass per memory block declares the
			// same anchors for each) share one copy of it: the array is read once either way.
			let anchorsOf: unknown;
			let anchorsCopy: unknown[] | undefined;
			f.passes = exactMap(f.passes as unknown[], pass => {
				if (typeof pass !== 'object' || pass === null) {
					return pass;
				}

				// The keys of a Pass first, in one order, whichever order plan() wrote them in: every
				// copied pass then has one hidden class (extra keys aside), and the engine's reads of
				// them stay monomorphic across walkers.
				const p: Record<string, unknown> = Object.assign({label: undefined, ranges: undefined, direction: undefined, stride: undefined, anchors: undefined, why: undefined, step: undefined}, pass);
				if (Array.isArray(p.ranges)) {
					p.ranges = exactMap(p.ranges as unknown[], range => (typeof range === 'object' && range !== null ? {start: (range as {start?: unknown}).start, end: (range as {end?: unknown}).end} : range));
				}

				if (Array.isArray(p.anchors)) {
					if (p.anchors !== anchorsOf || anchorsCopy === undefined) {
						anchorsOf = p.anchors;
						anchorsCopy = exactMap(p.anchors as unknown[], anchor => {
							if (typeof anchor !== 'object' || anchor === null) {
								return anchor;
							}

							const {base, first, last, step} = anchor as Record<string, unknown>;
							return {base, first, last, step};
						});
					}

					p.anchors = anchorsCopy;
				}

				return p;
			});
		}

		return f;
	} catch (error) {
		const text = error instanceof Error ? error.message : String(error);
		throw new ContractViolation(`reading the form plan() returned threw: ${text.split('\n')[0]!.trim()}; return plain objects`);
	}
}

/**
`list` mapped by `fn` into an array of exactly its length, each element read once. Not
Array.from(list, fn), which iterates and grows its result as it goes: a one-range pass's copied
ranges array had room for 17 (76 bytes of elements where 16 do), and a form may have 80 000 passes.
*/
function exactMap(list: readonly unknown[], fn: (value: unknown) => unknown): unknown[] {
	const n = list.length;
	const out: unknown[] = new Array(n);
	for (let i = 0; i < n; i++) {
		out[i] = fn(list[i]);
	}

	return out;
}

const ASYNC_TAGS = new Set(['[object AsyncFunction]', '[object AsyncGeneratorFunction]']);

/** An `async function` (its calls return a Promise the walk would never wait for). */
function isAsync(fn: unknown): boolean {
	return ASYNC_TAGS.has(Object.prototype.toString.call(fn));
}

/** Throws a ContractViolation unless `form` is a well-formed WalkerForm for `model`. */
export function checkForm(form: unknown, model: Model): asserts form is WalkerForm {
	if (typeof form !== 'object' || form === null) {
		throw new ContractViolation(`plan() returned ${describe(form)}; return a WalkerForm, or null when the walker does not exist at this kernel`);
	}

	if (typeof (form as {then?: unknown}).then === 'function') {
		throw new ContractViolation(`plan() returned a Promise; plan() is synchronous: return the WalkerForm itself (drop 'async' and 'await')`);
	}

	const f = form as Partial<Record<keyof WalkerForm, unknown>>;
	if (typeof f.label !== 'string' || typeof f.guard !== 'string') {
		throw new ContractViolation(`plan() returned a form without label and guard strings`);
	}

	if (!Array.isArray(f.passes)) {
		throw new ContractViolation(`plan() returned a form without a passes array`);
	}

	if (f.passes.length === 0) {
		throw new ContractViolation(
			`plan() returned a form with no passes; a form has one or more passes (nothing to walk on this topology is one pass with no ranges, orNothingToWalk() in source/walker/contract.ts; null when the walker does not exist at this kernel)`,
		);
	}

	for (const [index, pass] of (f.passes as unknown[]).entries()) {
		checkPass(pass, index, model);
	}
}

/** Number of iteration points of [start, end) walked with `stride`. */
export function pointCount(start: number, end: number, stride: number): number {
	return end > start ? Math.floor((end - 1 - start) / stride) + 1 : 0;
}

/** Iteration points of a pass, over all its ranges. */
export function passPoints(pass: Pass): number {
	let total = 0;
	for (const range of pass.ranges) {
		total += pointCount(range.start, range.end, pass.stride);
	}

	return total;
}

/** The ranges of a pass in walk order: as given going up, reversed going down. */
export function rangesInWalkOrder(pass: Pass): ReadonlyArray<{readonly start: number; readonly end: number}> {
	return pass.direction === 'up' ? pass.ranges : [...pass.ranges].reverse();
}

import {describe, expect, it} from 'vitest';
import {DEFAULT_FAIL_SET, isFailingTouch, parseFailOn} from '../../source/engine/fail-on.js';
import {state} from '../helpers/fake-model.js';
import {expectModesAgree, testWalker} from './oracle.js';
import {fakeModel, OK} from '../helpers/fake-model.js';

// Two boot holes: one whose memmap holds garbage (before v5.6), one initialized as PageReserved
// (v5.6+, init_unavailable_mem / init_unavailable_range).
const HOLE_GARBAGE = state({category: 'hole', uninitialized: true, memmap: {content: 'garbage', writer: 'none'}, reason: 'hole in an early section, memmap never initialized', predicates: {pfn_valid: true}});
const HOLE_INIT = state({
	category: 'hole',
	uninitialized: false,
	memmap: {content: 'init', zone: 'Normal', nid: 0, reserved: true, writer: 'init_unavailable_range'},
	reason: 'hole in an early section, memmap initialized as reserved',
	predicates: {pfn_valid: true},
});

describe('parseFailOn', () => {
	it('parses comma lists, repeats, default and none, in report order', () => {
		expect(parseFailOn(undefined)).toEqual([...DEFAULT_FAIL_SET]);
		expect(DEFAULT_FAIL_SET).toEqual(['C1', 'C3', 'C4', 'C5', 'metadata', 'teardown', 'unbacked', 'oob', 'hole', 'nomap', 'hvo']);
		expect(parseFailOn('oob, C1')).toEqual(['C1', 'oob']);
		expect(parseFailOn(['C5', 'C2,C5'])).toEqual(['C2', 'C5']);
		expect(parseFailOn('default,C2')).toContain('C2');
		expect(parseFailOn('none')).toEqual([]);
	});

	it('rejects unknown ids, empty lists and none mixed with ids', () => {
		expect(() => parseFailOn('C6')).toThrow("--fail-on: 'C6' is not a category id");
		expect(() => parseFailOn(' , ')).toThrow('--fail-on is empty');
		expect(() => parseFailOn('none,C1')).toThrow("'none' cannot be combined with category ids");
	});
});

// A test of the hole rule: a walker reads page->flags of both holes.
//
//   | ok | hole (garbage) | ok | hole (init, reserved) | ok |
//   0x0 0x100          0x110 0x200                0x210  0x300
//
// Expect both holes counted as `hole`, only the garbage one failing, under the default set.
describe('hole and nomap fail only where the memmap is uninitialized', () => {
	it('counts both holes, fails on one', () => {
		expect(isFailingTouch(new Set(DEFAULT_FAIL_SET), HOLE_GARBAGE)).toBe(true);
		expect(isFailingTouch(new Set(DEFAULT_FAIL_SET), HOLE_INIT)).toBe(false);
		expect(isFailingTouch(new Set(['C1']), HOLE_GARBAGE)).toBe(false);
		const model = fakeModel({
			runs: [
				{start: 0, end: 0x100, state: OK},
				{start: 0x100, end: 0x110, state: HOLE_GARBAGE},
				{start: 0x110, end: 0x200, state: OK},
				{start: 0x200, end: 0x210, state: HOLE_INIT},
				{start: 0x210, end: 0x300, state: OK},
			],
		});
		const walker = testWalker('t_holes', [{ranges: [{start: 0, end: 0x300}], step: (ctx, pfn) => void (ctx.pfn_valid(pfn) && ctx.page(pfn, ['flags'], 'dump_page'))}]);
		const result = expectModesAgree(walker, model);
		expect(result.touches.hole).toBe(0x20);
		expect(result.failing.hole).toBe(0x10);
		expect(result.witnesses.filter(w => w.category === 'hole').map(w => [w.pfn, w.failing])).toEqual([
			[0x100, true],
			[0x200, false],
		]);
	});
});

import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {RangeMap} from '../../source/model/range-map.js';

describe('RangeMap', () => {
	it('splits and merges runs', () => {
		const map = new RangeMap<string>('hole', 2 ** 52);
		map.set(0x100, 0x200, 'ram');
		map.set(0x200, 0x300, 'ram');
		expect([...map.segments()].map(s => [s.start, s.end, s.value])).toEqual([
			[0, 0x100, 'hole'],
			[0x100, 0x300, 'ram'],
			[0x300, 2 ** 52, 'hole'],
		]);
		map.set(0x180, 0x190, 'hole');
		expect(map.size).toBe(5);
		expect(map.get(0x185)).toBe('hole');
		expect(map.get(0x190)).toBe('ram');
	});

	it('keeps the number of runs independent of the size of the ranges', () => {
		const map = new RangeMap<number>(0, 2 ** 52);
		for (let i = 0; i < 50; i++) {
			map.set(i * 2 ** 40, i * 2 ** 40 + 2 ** 39, i + 1);
		}

		expect(map.size).toBe(100);
	});
});

/** The reference: one value per point of [0, limit). */
function reference(limit: number, ops: ReadonlyArray<readonly [number, number, number, boolean]>): number[] {
	const points = Array.from({length: limit}, () => 0);
	for (const [start, end, value, viaUpdate] of ops) {
		for (let x = Math.max(0, start); x < Math.min(limit, end); x++) {
			points[x] = viaUpdate ? (points[x]! + value) % 3 : value;
		}
	}

	return points;
}

describe('RangeMap against a per-point reference', () => {
	const limit = 40;
	const op = fc.tuple(fc.integer({min: -2, max: limit + 2}), fc.integer({min: -2, max: limit + 2}), fc.integer({min: 0, max: 2}), fc.boolean());

	it('A test that applies random set()/update() calls. Expect the same value at every point as the reference, maximal runs, and boundary queries that agree with the runs', () => {
		fc.assert(
			fc.property(fc.array(op, {maxLength: 30}), fc.integer({min: -1, max: limit + 1}), fc.integer({min: -1, max: limit + 1}), (ops, a, b) => {
				const map = new RangeMap<number>(0, limit);
				for (const [start, end, value, viaUpdate] of ops) {
					if (viaUpdate) {
						map.update(start, end, old => (old + value) % 3);
					} else {
						map.set(start, end, value);
					}
				}

				const points = reference(limit, ops);
				expect(points.map((_, x) => map.get(x))).toEqual(points);
				const segments = [...map.segments()];
				// Maximal: no two neighbouring runs hold the same value.
				for (let i = 1; i < segments.length; i++) {
					expect(segments[i]!.value).not.toBe(segments[i - 1]!.value);
				}

				const all = segments.slice(1).map(s => s.start);
				expect(map.boundaries()).toEqual(all);
				expect(map.boundariesIn(a, b)).toEqual(all.filter(x => x > a && x < b));
				expect(map.nextBoundary(a, b)).toBe(all.find(x => x > a && x < b));
				expect(map.previousBoundary(b, a)).toBe(all.filter(x => x < b && x > a).at(-1));
			}),
			{numRuns: 400, seed: 0x4a11},
		);
	});
});

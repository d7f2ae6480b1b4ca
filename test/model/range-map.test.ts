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

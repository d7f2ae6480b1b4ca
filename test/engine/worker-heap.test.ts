import {describe, expect, it} from 'vitest';
import {builtinHeapMb} from '../../source/engine/pool.js';
import {WALKER_HEAP_MB} from '../../source/walker/isolate.js';

const MiB = 2 ** 20;

describe('the heap limit of a worker of built-in walkers', () => {
	// A test of builtinHeapMb() for the serialized model of a small topology (2 MiB) and of the
	// generated 100 000-entry topology of `npm run bench` (103 MiB). Expect at least the user
	// walkers' WALKER_HEAP_MB and at least four times the model plus 256 MB (room for the
	// deserialized model, the run cursor and the walks), and, at 100 000 entries, below the 2048 MB
	// from which V8 lets a 64-bit heap grow to four times its live size between two collections;
	// with --phases (a worker keeps every phase's model), room for all of them.
	it('leaves room for the model and keeps V8 from growing the heap fourfold', () => {
		for (const bytes of [2 * MiB, 103 * MiB, 600 * MiB]) {
			const limit = builtinHeapMb(bytes);
			expect(limit).toBeGreaterThanOrEqual(WALKER_HEAP_MB);
			expect(limit).toBeGreaterThanOrEqual((4 * bytes) / MiB + 256);
		}

		expect(builtinHeapMb(103 * MiB)).toBeLessThan(2048);
		expect(builtinHeapMb(100 * MiB, 12)).toBeGreaterThanOrEqual(4 * 100 * 12 + 256);
	});
});

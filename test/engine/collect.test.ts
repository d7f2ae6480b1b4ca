import {getHeapStatistics} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {collectIfLarge} from '../../source/engine/collect.js';

describe('collectIfLarge', () => {
	// A test of the collection after a build on a heap below the threshold (this test's heap holds
	// far less than 1 TiB). Expect no collection.
	it('leaves a heap below the threshold alone', () => {
		expect(collectIfLarge(2 ** 40)).toBe(false);
	});

	// A test of a collection that runs (threshold 0), with 64 MiB of garbage made before it.
	// Expect it to run, the heap in use to fall, and neither a context made afterwards nor a worker
	// thread started afterwards (where user walkers run) to see a `gc` global: --expose-gc is on
	// only while the collector is fetched.
	it('collects, and leaves no gc global behind', async () => {
		let garbage: string[] | undefined = Array.from({length: 64}, (_, i) => `${i}`.padEnd(2 ** 20, 'x'));
		expect(garbage).toHaveLength(64);
		garbage = undefined;
		const before = process.memoryUsage().heapUsed;
		expect(collectIfLarge(0)).toBe(true);
		expect(process.memoryUsage().heapUsed).toBeLessThan(before);
		expect(runInNewContext('typeof gc')).toBe('undefined');
		const worker = new Worker("require('node:worker_threads').parentPort.postMessage(typeof gc)", {eval: true});
		const seen = await new Promise(resolve => worker.once('message', resolve));
		await worker.terminate();
		expect(seen).toBe('undefined');
	});

	// A test of a heap left as a build leaves it: 1.5 million small objects filled its pages, and
	// one in ten of them stays live, spread over all of them. Expect a collection that only frees
	// to leave most of those pages committed, and a compacting one to give back at least half of
	// what the first left committed beyond the heap in use (the survivors moved onto few pages).
	it('gives back the pages a compacting collection empties', () => {
		const objects = Array.from({length: 1_500_000}, (_, i) => ({i, text: `entry ${i}`}));
		const survivors = objects.filter((_, i) => i % 10 === 0);
		objects.length = 0;
		const slack = (): number => {
			const heap = getHeapStatistics();
			return heap.total_heap_size - heap.used_heap_size;
		};

		expect(collectIfLarge(0)).toBe(true);
		const freedOnly = slack();
		expect(collectIfLarge(0, {compact: true})).toBe(true);
		expect(slack()).toBeLessThan(freedOnly / 2);
		expect(survivors).toHaveLength(150_000);
		expect(runInNewContext('typeof gc')).toBe('undefined');
	});
});

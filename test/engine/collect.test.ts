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
});

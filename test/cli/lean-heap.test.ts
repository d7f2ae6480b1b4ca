import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {afterAll, describe, expect, it} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import type {Io} from '../../source/cli/command.js';
import {readTopology} from '../../source/cli/read-topology.js';
import {holdYoungGeneration, LEAN_HEAP_FROM_CHARS, LEAN_YOUNG_GENERATION_MB, leanHeapFor, youngGenerationHeld} from '../../source/engine/collect.js';
import {workerLimits} from '../../source/engine/pool.js';

const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-lean-'));
afterAll(() => {
	rmSync(dir, {recursive: true, force: true});
});

function io(): Io {
	return {stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: dir};
}

// This file runs in a process of its own (vitest's forks pool): the switch is the process's and one way.
describe('lean heaps for a large topology', () => {
	// A test of the command layer reading two generated topology files, one of 1 000 entries (some
	// 70 KiB of text), then one of 30 000 (some 2.1 MiB, past LEAN_HEAP_FROM_CHARS). Expect the
	// heaps left as V8 sizes them after the first, lean after the second (engine/collect.ts
	// leanHeap(): V8's --heap-growing-percent), each topology parsed whole; and the workers of
	// built-in walkers started with V8's default young generation after the first, a young
	// generation of LEAN_YOUNG_GENERATION_MB after the second, a user walker's worker with its
	// heap limit alone either way. The young generations held beforehand: released by the small
	// topology, held again from the large one on.
	it('makes the heaps lean from the first large topology file read', () => {
		const small = generateTopology(1000).yaml;
		const large = generateTopology(30_000).yaml;
		expect(small.length).toBeLessThan(LEAN_HEAP_FROM_CHARS);
		expect(large.length).toBeGreaterThanOrEqual(LEAN_HEAP_FROM_CHARS);
		writeFileSync(path.join(dir, 'small.yaml'), small);
		writeFileSync(path.join(dir, 'large.yaml'), large);

		holdYoungGeneration();
		expect(readTopology('small.yaml', io(), {}).memory).toHaveLength(1000);
		expect(youngGenerationHeld()).toBe(false);
		expect(leanHeapFor('')).toBe(false);
		expect(workerLimits(1024, true)).toEqual({maxOldGenerationSizeMb: 1024});
		expect(readTopology('large.yaml', io(), {}).memory).toHaveLength(30_000);
		expect(leanHeapFor('')).toBe(true);
		expect(youngGenerationHeld()).toBe(true);
		expect(workerLimits(1024, true)).toEqual({maxOldGenerationSizeMb: 1024, maxYoungGenerationSizeMb: LEAN_YOUNG_GENERATION_MB});
		expect(workerLimits(128, false)).toEqual({maxOldGenerationSizeMb: 128});
	});
});

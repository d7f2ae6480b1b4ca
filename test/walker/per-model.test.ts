import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {modelBytes, modelFromBytes} from '../../source/model/model-data.js';
import type {Model} from '../../source/model/types.js';
import {pfnmapExposures, systemRam} from '../../source/walker/pfnmap.js';
import {offlinableBlocks, packSpans, systemRamResources, unpackSpans} from '../../source/walker/ranges.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

/** A model as a worker reads it (source/engine/worker.ts): several boot ranges, hot-added blocks, a BAR. */
function workerModel(): Model {
	const built = buildModel(
		topology({arch: 'x86_64', kernel: '6.12', config: {max_physmem_bits: 40}})
			.boot(0, 2 * GiB)
			.boot(4 * GiB, 2 * GiB)
			.boot(6 * GiB, 1 * GiB)
			.hotplug(8 * GiB, 128 * MiB, 'online')
			.hotplug(9 * GiB, 128 * MiB, 'offline')
			.device('p2pdma', 16 * GiB, 128 * MiB)
			.build(),
	);
	return modelFromBytes(modelBytes(built));
}

/** The span lists the built-in walkers plan on, remembered per model (source/walker/ranges.ts perModelPacked()). */
const CACHED = {systemRamResources, offlinableBlocks, systemRam, pfnmapExposures} as const;

/** V8's gc(), for a test of what stays reachable. */
function collector(): () => void {
	setFlagsFromString('--expose-gc');
	return runInNewContext('gc') as () => void;
}

describe('the span lists remembered per model', () => {
	// A test of the worker's model asked for each list twice, as two walkers of one worker plan on
	// them one after another. Expect equal values, keys in the same order (a plan spreads them into
	// its passes), frozen lists, and new span objects at each call: the cache holds the spans
	// packed, not the objects a walker was handed (issue 10: those piled up in every worker, 21 MiB
	// each at 100 000 topology entries).
	it('hands out equal spans, new objects at each call', () => {
		const model = workerModel();
		for (const [name, list] of Object.entries(CACHED)) {
			const first = list(model) as ReadonlyArray<Record<string, unknown>>;
			const second = list(model) as ReadonlyArray<Record<string, unknown>>;
			expect(first.length, name).toBeGreaterThan(0);
			expect(JSON.stringify(second), name).toBe(JSON.stringify(first));
			expect(Object.isFrozen(second), name).toBe(true);
			expect(second[0], name).not.toBe(first[0]);
		}

		expect(systemRamResources(model).map(({start, end, label}) => [start, end, label])).toEqual([
			[0, 0x8_0000, 'boot@0x0'],
			[0x10_0000, 0x1c_0000, 'boot@0x100000000+boot@0x180000000'],
			[0x20_0000, 0x20_8000, 'hotplug@0x200000000'],
			[0x24_0000, 0x24_8000, 'hotplug@0x240000000'],
		]);
	});

	// A test of what a finished plan leaves behind: the spans and the list a walker was handed,
	// dropped, while the model (which a worker keeps for the whole audit) stays. Expect a full
	// collection to free them: nothing the model keys holds on to them.
	it('keeps none of the span objects it handed out once they are dropped', async () => {
		const gc = collector();
		const model = workerModel();
		const handedOut = Object.values(CACHED).flatMap(list => {
			const value = list(model) as readonly object[];
			return [new WeakRef(value), new WeakRef(value[0]!)];
		});
		// A WeakRef holds its target until the end of the job that made it.
		await new Promise(resolve => {
			setImmediate(resolve);
		});
		gc();
		expect(handedOut.filter(ref => ref.deref() !== undefined)).toHaveLength(0);
		expect(systemRamResources(model)).toHaveLength(4);
	});

	// A test of the packing of spans with other keys (a hand-made list). Expect them handed back as
	// they were, unpacked by key order or not.
	it('keeps spans of another shape as they are', () => {
		const odd = [{end: 2, start: 1}, {start: 3, end: 4, label: 'x', nid: 0}];
		expect(JSON.stringify(unpackSpans(packSpans(odd)))).toBe(JSON.stringify(odd));
		const labelled = [{start: 1, end: 2, label: 'é'}, {start: 2 ** 40, end: 2 ** 40 + 1, label: ''}];
		expect(JSON.stringify(unpackSpans(packSpans(labelled)))).toBe(JSON.stringify(labelled));
	});
});

/**
The collections of the audit's thread around the handover of the model to the workers
(source/engine/audit.ts runAudit()): collectIfLarge() stands in for the real one here (a test's
heap is far below the size that makes it collect) and records how it was asked.
*/
import {describe, expect, it, vi} from 'vitest';

const calls: Array<{worth: number | undefined; compact: boolean}> = [];
/** The collections (collect) and the heap's growth switched (tight, loose), in order. */
const steps: string[] = [];

vi.mock('../../source/engine/collect.js', async original => {
	const real = await original<typeof import('../../source/engine/collect.js')>();
	return {
		...real,
		collectIfLarge(worth?: number, options?: {readonly compact?: boolean}) {
			calls.push({worth, compact: options?.compact ?? false});
			steps.push(`collect${options?.compact ? ' compact' : ''}${real.heapIsTight() ? ' tight' : ''}`);
			return true;
		},
		tightHeap() {
			real.tightHeap();
			steps.push('tight');
		},
		looseHeap() {
			real.looseHeap();
			steps.push('loose');
		},
	};
});

const {runAudit, TopologyHandover} = await import('../../source/engine/audit.js');
const {builtinWalkerFile, findBuiltinWalker} = await import('../../source/walker/registry.js');
const {MiB, topology} = await import('../helpers/topology.js');
const {heapIsTight, leanHeap} = await import('../../source/engine/collect.js');

/** One boot bank, [0, 0x8000), audited by one built-in walker (__ioremap_check_ram) in one worker. */
async function auditOneBank(name: string, onEvent?: (event: {readonly type: string}) => void): Promise<void> {
	const walker = '__ioremap_check_ram';
	await runAudit({
		topology: new TopologyHandover(topology({name, kernel: '6.12'}).boot(0, 128 * MiB).build()),
		walkers: [{definition: findBuiltinWalker(walker)!, source: {kind: 'builtin', name: walker}, file: builtinWalkerFile(walker), builtin: true}],
		workers: 1,
		onEvent,
	});
}

describe("the audit's thread lets go of the model it handed to the workers", () => {
	// One boot bank, [0, 0x8000), one built-in walker in one worker. Expect, once the model is laid
	// out: a collection that only frees (compacting while the model's pages are all still resident
	// copied the survivors on top of them: the audit's peak at 100 000 entries), then one that
	// compacts what is left.
	it('A test that audits a small topology in a worker, every collection counted as large. Expect the collection after the layout to free first and compact second', async () => {
		await auditOneBank('collect');
		// The first, after the build (the parse's and build's garbage), frees only too.
		expect(calls.map(call => call.compact)).toEqual([false, false, true]);
	});

	// The same audit once the heaps are lean (collect.ts leanHeap(): a topology of 2 MiB of text or
	// more). Expect the collection after the layout asked whatever the heap holds (worth 0): by the
	// heap's size alone, a model of 30 000-50 000 entries, or one of 100 000 held in less than 256 MiB,
	// stayed in the audit's thread through the walk. The one after the build keeps its threshold.
	it('A test that audits with lean heaps. Expect the collections after the layout made whatever the heap holds', async () => {
		calls.length = 0;
		leanHeap();
		await auditOneBank('collect-lean');
		expect(calls).toEqual([
			{worth: undefined, compact: false},
			{worth: 0, compact: false},
			{worth: 0, compact: true},
		]);
	});

	// The same audit with lean heaps, the heap's growth switches counted. Expect the collection after
	// the build made with the heap tight (collect.ts tightHeap(): laying the model out, the audit's
	// peak at 100 000 entries, then grows the heap by a tenth of its live set, not by half), the heap
	// loose again before the collections after the layout (they set its limit for the walk) and before
	// the worker starts (V8's flags are the process's), and loose when the audit is done.
	it('A test that audits with lean heaps. Expect the heap tight from the collection after the build until the model is laid out', async () => {
		steps.length = 0;
		leanHeap();
		await auditOneBank('collect-tight', event => {
			if (event.type === 'progress' || event.type === 'walker-done') {
				steps.push(`worker reported${heapIsTight() ? ' tight' : ''}`);
			}
		});
		expect([...new Set(steps)]).toEqual(['tight', 'collect tight', 'loose', 'collect', 'collect compact', 'worker reported']);
		expect(heapIsTight()).toBe(false);
	});
});

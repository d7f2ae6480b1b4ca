/**
Issue 10 (memory at scale): walkers with a pass per memory block, System RAM resource or
ZONE_DEVICE range plan 40 000-80 000 passes at 100 000 topology entries. A step closure and an
anchors array per pass were 56 and 100+ bytes a pass, twice over with the engine's copy
(docs/scale.md); the passes of one form share them instead.
*/
import {describe, expect, it} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import {buildModel} from '../../source/model/build.js';
import {parseTopology} from '../../source/topology/load.js';
import {planWalker} from '../../source/walker/adopt.js';
import {builtinWalkers} from '../../source/walker/registry.js';

describe('the passes of a many-pass walker share their step and anchors', () => {
	it('A test that plans every built-in walker on a generated 400-entry topology. Expect each form of 20 passes or more to use at most four step functions and two anchors arrays across its passes (one per kernel function or caller modelled), not one per pass', () => {
		const model = buildModel(parseTopology(generateTopology(400).yaml, 'many-passes.yaml'));
		const checked: string[] = [];
		for (const walker of builtinWalkers()) {
			const form = planWalker(walker, model);
			if (form === null || form.passes.length < 20) {
				continue;
			}

			checked.push(walker.name);
			const steps = new Set(form.passes.map(pass => pass.step));
			const anchors = new Set(form.passes.filter(pass => pass.anchors !== undefined).map(pass => pass.anchors));
			expect(steps.size, `${walker.name}: ${form.passes.length} passes, ${steps.size} step functions`).toBeLessThanOrEqual(4);
			expect(anchors.size, `${walker.name}: ${form.passes.length} passes, ${anchors.size} anchors arrays`).toBeLessThanOrEqual(2);
		}

		// The walkers this is about (docs/scale.md) are among those checked.
		expect(checked).toEqual(expect.arrayContaining(['read_kcore_iter', 'virtio_mem_bbm_bb_is_movable', 'start_isolate_page_range', 'test_pages_isolated', 'do_migrate_range', 'dissolve_free_hugetlb_folios', 'try_offline_memory_block', 'page_table_check_clear']));
	}, 60_000);
});

import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {Model} from '../../source/model/types.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {builtinWalkerFile, findBuiltinWalker} from '../../source/walker/registry.js';
import {MiB, topology} from '../helpers/topology.js';

// One boot bank, [0, 0x8000), at 6.12: no memory is hot-removed, and shrink_pgdat_span's plan()
// returns null there (it models remove_pfn_range_from_zone(), which this topology never reaches).
const t = topology({name: 'absent', kernel: '6.12'}).boot(0, 128 * MiB).build();

describe("the audit's thread after the walk", () => {
	// A test of a built-in walker whose plan() returns null at the final phase, audited in a worker
	// with nobody listening to the start event. Its definition here counts the calls of its plan()
	// in this thread. Expect it reported absent without a form, and its plan() never called here:
	// planning it again would read the whole model back from the workers' bytes into this thread
	// (some 80 MiB and a second of CPU at 100 000 entries) to get null again.
	it('does not plan a walker again whose workers found it absent', async () => {
		const builtin = findBuiltinWalker('shrink_pgdat_span')!;
		let plannedHere = 0;
		const definition: WalkerDefinition = {
			...builtin,
			plan(model: Model) {
				plannedHere++;
				return builtin.plan(model);
			},
		};
		const report = await runAudit({
			topology: t,
			walkers: [{definition, source: {kind: 'builtin', name: builtin.name}, file: builtinWalkerFile(builtin.name), builtin: true}],
			workers: 1,
		});
		expect(report.walkers).toHaveLength(1);
		expect(report.walkers[0]).toMatchObject({name: 'shrink_pgdat_span', status: 'absent'});
		expect(report.walkers[0]!.form).toBe('');
		expect(plannedHere).toBe(0);
	});
});

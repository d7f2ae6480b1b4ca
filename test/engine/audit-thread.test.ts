import {describe, expect, it} from 'vitest';
import {type AuditOptions, runAudit, TopologyHandover} from '../../source/engine/audit.js';
import {collectIfLarge} from '../../source/engine/collect.js';
import type {AuditReport} from '../../source/engine/types.js';
import type {Model} from '../../source/model/types.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {builtinWalkerFile, findBuiltinWalker} from '../../source/walker/registry.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

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

/** Boot memory, a hot-added range and an fsdax device: --phases audits five phases. */
function sample() {
	return topology({name: 'handed-over', kernel: '6.12'})
		.boot(0, 4 * GiB)
		.hotplug(8 * GiB, 2 * GiB, 'online')
		.device('fsdax', 16 * GiB, 4 * GiB, {altmap: {reserve: 2, free: 'auto'}})
		.build();
}

const builtin = (name: string): AuditOptions['walkers'][number] => ({
	definition: findBuiltinWalker(name)!,
	source: {kind: 'builtin', name},
	file: builtinWalkerFile(name),
	builtin: true,
});

/** A report without its timing (elapsed_ms, pfns_per_second and each walker's). */
function untimed(report: AuditReport): unknown {
	return JSON.parse(JSON.stringify(report, (key, value: unknown) => (key === 'elapsed_ms' || key === 'pfns_per_second' ? undefined : value)));
}

/**
An audit of sample() handed over (TopologyHandover) and watched through a WeakRef: this thread's
heap is collected when the first walker is done, while the second still waits for the one worker.
Returns whether the topology was still alive then, and the report.
*/
async function handedOver(phases: boolean): Promise<{alive: boolean; report: AuditReport}> {
	const {handover, watch} = (() => {
		const t = sample();
		return {handover: new TopologyHandover(t), watch: new WeakRef(t)};
	})();
	let alive: boolean | undefined;
	const report = await runAudit({
		topology: handover,
		walkers: [builtin('kpageflags_read'), builtin('memory_failure')],
		phases,
		workers: 1,
		onEvent(event) {
			if (event.type === 'walker-done' && alive === undefined) {
				collectIfLarge(0);
				alive = watch.deref() !== undefined;
			}
		},
	});
	return {alive: alive!, report};
}

describe("the audit's thread during the walk", () => {
	// A test of an audit whose walkers run in workers, handed its topology (TopologyHandover, as
	// `pfnaudit audit` and bench/scale.ts hand it), its heap collected when the first walker is
	// done. Expect the topology collected by then (the audit's thread let go of it once the workers
	// had the model: some 50 MiB at 100 000 entries, issue 10), and the report the same as from an
	// audit given the topology itself, timing aside.
	it('lets go of a topology handed over once the workers have the model', async () => {
		const {alive, report} = await handedOver(false);
		expect(alive).toBe(false);
		const kept = await runAudit({topology: sample(), walkers: [builtin('kpageflags_read'), builtin('memory_failure')], workers: 1});
		expect(untimed(report)).toEqual(untimed(kept));
	});

	// The same with --phases: every phase but the final one is built from the topology when the
	// pool first needs it. Expect the topology alive when the first walker is done, and the report
	// of all five phases the same as from the topology itself.
	it('keeps the topology handed over for the other phases of a --phases audit', async () => {
		const {alive, report} = await handedOver(true);
		expect(alive).toBe(true);
		expect(report.phases.length).toBeGreaterThan(1);
		const kept = await runAudit({topology: sample(), walkers: [builtin('kpageflags_read'), builtin('memory_failure')], phases: true, workers: 1});
		expect(untimed(report)).toEqual(untimed(kept));
	});

	// A test of a handover taken twice. Expect an InternalError: an audit took the topology.
	it('hands a topology over once', () => {
		const handover = new TopologyHandover(sample());
		handover.take();
		expect(() => handover.take()).toThrow(/taken already/);
	});
});

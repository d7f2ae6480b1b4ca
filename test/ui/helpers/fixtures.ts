/**
Hand-made dashboard data for component tests: rows built through the real RunStore from
engine events, and the fake showcase's header/map data.
*/
import type {Tally, WalkerResult, Witness} from '../../../source/engine/types.js';
import type {CategoryId} from '../../../source/model/categories.js';
import {DEFAULT_FAIL_ON} from '../../../source/model/categories.js';
import {FAKE_SCENARIOS, scenarioMeta} from '../fake/scenarios.js';
import type {AuditMeta} from '../../../source/ui/port.js';
import {emptyTally} from '../../../source/engine/tally.js';
import {RunStore, type WalkerRow} from '../../../source/ui/state/run-store.js';

export function showcaseMeta(kernel = '6.12', patches: readonly string[] = []): AuditMeta {
	return scenarioMeta(FAKE_SCENARIOS[0]!, 'topologies/showcase.yaml', kernel, patches);
}

export function tally(counts: Partial<Tally>): Tally {
	return {...emptyTally(), ...counts};
}

/** Failing counts: the counts of the categories in the default --fail-on set. */
export function failingOf(touches: Tally): Tally {
	const failing = emptyTally();
	for (const id of DEFAULT_FAIL_ON) {
		failing[id] = touches[id];
	}

	return failing;
}

export function witness(pfn: number, category: CategoryId, index = 0): Witness {
	return {
		category,
		pfn,
		section_nr: Math.floor(pfn / 32_768),
		chain: ['read_page_owner', 'page_ext_get'],
		fields: ['page_type'],
		access: 'read',
		why: `witness ${index}: read page_type of pfn 0x${pfn.toString(16)}`,
		phase: 'final',
		failing: DEFAULT_FAIL_ON.includes(category),
	};
}

export type RowSpec = {
	name: string;
	touches?: Partial<Tally>;
	/** Finished (walker-done) or still running. */
	done?: boolean;
	fraction?: number;
	status?: WalkerResult['status'];
	form?: string;
	witnesses?: Witness[];
	error?: string;
};

/** Rows as the dashboard sees them after the given events. */
export function rows(...specs: RowSpec[]): WalkerRow[] {
	const store = new RunStore();
	store.apply({type: 'start', walkers: specs.map(spec => ({name: spec.name, models: `mm/x.c:${spec.name}()`, form: spec.form ?? 'v5.4+: pfn_to_online_page()'})), phases: ['final']});
	for (const spec of specs) {
		const touches = tally(spec.touches ?? {});
		const failing = failingOf(touches);
		if (spec.done) {
			const anyFailing = Object.values(failing).some(count => count > 0);
			store.apply({
				type: 'walker-done',
				result: {
					name: spec.name,
					models: `mm/x.c:${spec.name}()`,
					form: spec.form ?? 'v5.4+: pfn_to_online_page()',
					guard: 'pfn_to_online_page()',
					file: `walkers/${spec.name}.ts`,
					builtin: true,
					status: spec.status ?? 'ok',
					...(spec.error ? {error: spec.error} : {}),
					pfns_visited: 1000,
					touches,
					failing,
					witnesses: spec.witnesses ?? [],
					verdict: spec.status === 'threw' ? 'error' : anyFailing ? 'fail' : 'pass',
				},
			});
		} else if (spec.fraction !== undefined) {
			store.apply({type: 'progress', walker: spec.name, phase: 'final', pfns_visited: 10, fraction: spec.fraction, touches, failing, witnesses: spec.witnesses ?? []});
		}
	}

	return [...store.snapshot().rows];
}

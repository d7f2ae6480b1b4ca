/**
A hand-made Model for unit tests of walkers and of the engine, independent of the replay in
source/model/build.ts: you state the runs and their PfnState directly.

	const model = fakeModel({
		kernel: '5.3',
		runs: [
			{start: 0, end: 0x8000, state: OK},
			{start: 0x8000, end: 0x10000, state: C1_POISON},
		],
		zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x10000, populated: true, contiguous: false}],
	});

Pfns not covered by a run get UNBACKED.
*/
import {v} from '../../source/kernel/version.js';
import {type Arch, geometryFor} from '../../source/model/geometry.js';
import {findRun} from '../../source/model/runs.js';
import {NO_SECTION} from '../../source/model/state.js';
import type {
	DevPagemap,
	Model,
	NodeSpan,
	Phase,
	PfnState,
	PredicateAnswers,
	Run,
	SectionState,
	Zone,
} from '../../source/model/types.js';
import {topology} from './topology.js';

const NO_PREDICATES: PredicateAnswers = {
	pfn_valid: false,
	pfn_valid_oob: false,
	pfn_valid_within: true,
	pfn_to_online_page: false,
	pfn_to_online_page_oob: false,
	get_dev_pagemap: null,
	pgmap_pfn_valid: false,
	present_section: false,
	valid_section: false,
	online_section: false,
	early_section: false,
	online_device_section: false,
	pfn_section_valid: false,
	pfn_in_present_section: false,
	memblock_is_map_memory: false,
	memblock_is_memory: false,
};

type StateSpec = Partial<Omit<PfnState, 'predicates' | 'section'>> & {
	predicates?: Partial<PredicateAnswers>;
	section?: Partial<SectionState>;
};

export function state(spec: StateSpec): PfnState {
	return {
		section_nr_in_range: true,
		upper_bits_ok: true,
		subsection_valid: false,
		memblock_memory: false,
		memblock_nomap: false,
		memmap: {content: 'unbacked', writer: 'none'},
		pgmap: null,
		altmap_part: null,
		entry: null,
		category: 'unbacked',
		uninitialized: true,
		reason: 'no memmap',
		...spec,
		section: {...NO_SECTION, ...spec.section},
		predicates: {...NO_PREDICATES, ...spec.predicates},
	};
}

/** Online boot RAM with an initialized memmap. */
export const OK = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	subsection_valid: true,
	memblock_memory: true,
	memmap: {content: 'init', zone: 'Normal', nid: 0, reserved: false, writer: 'memmap_init_range'},
	category: 'ok',
	uninitialized: false,
	reason: 'online boot memory, memmap initialized by memmap_init_range',
	predicates: {
		pfn_valid: true,
		pfn_to_online_page: true,
		present_section: true,
		valid_section: true,
		online_section: true,
		early_section: true,
		pfn_section_valid: true,
		pfn_in_present_section: true,
		memblock_is_map_memory: true,
		memblock_is_memory: true,
	},
});

/** Hot-added, never onlined, DEBUG_VM poison (David's case 1). */
export const C1_POISON = state({
	section: {present: true, valid: true, usage: true},
	subsection_valid: true,
	memblock_memory: true,
	memmap: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'},
	category: 'C1',
	reason: 'hot-added System RAM, not onlined: memmap poisoned by sparse_add_section',
	predicates: {
		pfn_valid: true,
		present_section: true,
		valid_section: true,
		pfn_section_valid: true,
		pfn_in_present_section: true,
		memblock_is_map_memory: true,
		memblock_is_memory: true,
	},
});

export const UNBACKED = state({});

type FakeModelSpec = {
	arch?: Arch;
	kernel?: string;
	runs: ReadonlyArray<{start: number; end: number; state: PfnState}>;
	zones?: Zone[];
	nodes?: NodeSpan[];
	pgmaps?: DevPagemap[];
	max_pfn?: number;
	min_low_pfn?: number;
	max_physmem_bits?: number;
};

export function fakeModel(spec: FakeModelSpec): Model {
	const kernel = v(spec.kernel ?? '6.12');
	const arch = spec.arch ?? 'x86_64';
	const geometry = geometryFor(arch, kernel, spec.max_physmem_bits);
	const end_pfn = geometry.pfn_upper_bits_limit + geometry.PAGES_PER_SECTION;
	const sorted = [...spec.runs].sort((a, b) => a.start - b.start);
	const runs: Run[] = [];
	let cursor = 0;
	const push = (start: number, end: number, s: PfnState) => {
		if (start < end) {
			runs.push({start, end, index: runs.length, state: s});
		}
	};

	for (const run of sorted) {
		push(cursor, run.start, UNBACKED);
		push(run.start, run.end, run.state);
		cursor = run.end;
	}

	push(cursor, end_pfn, UNBACKED);
	const phase: Phase = {id: 'final', step: 'final', label: 'end of replay'};
	const lastRam = sorted.filter(r => r.state.category === 'ok').at(-1)?.end ?? 0;
	return {
		topology: topology({arch, kernel: kernel.label}).build(),
		kernel,
		patches: [],
		geometry,
		phase,
		phases: [phase],
		max_pfn: spec.max_pfn ?? lastRam,
		min_low_pfn: spec.min_low_pfn ?? 0,
		zones: spec.zones ?? [],
		nodes: spec.nodes ?? [],
		pgmaps: spec.pgmaps ?? [],
		runs,
		end_pfn,
		entries: [],
		runAt: (pfn: number): Run => findRun(runs, pfn),
	};
}

/**
Inputs for the benchmark's mode measurements: a hand-made model (runs with states, like
test/helpers/fake-model.ts, which the build does not include) and the 64 TiB x86-64 topology it
names as its source. The built-in suite runs on topologies/x86-64tib-5level.yaml instead.
*/
import {v} from '../source/kernel/version.js';
import {geometryFor, hex} from '../source/model/geometry.js';
import {findRun} from '../source/model/runs.js';
import {NO_SECTION} from '../source/model/state.js';
import type {Model, Phase, PfnState, PredicateAnswers, Run} from '../source/model/types.js';
import type {Topology, TopologyEntry} from '../source/topology/types.js';

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

function state(category: PfnState['category'], valid: boolean, online: boolean, content: PfnState['memmap']['content']): PfnState {
	return {
		section_nr_in_range: true,
		upper_bits_ok: true,
		section: {...NO_SECTION, present: valid, valid, online},
		subsection_valid: valid,
		memblock_memory: online,
		memblock_nomap: false,
		memmap: content === 'init' ? {content, zone: 'Normal', nid: 0, writer: 'memmap_init_range'} : {content, writer: 'none'},
		pgmap: null,
		altmap_part: null,
		entry: null,
		category,
		uninitialized: content !== 'init',
		reason: `synthetic ${category}`,
		predicates: {...NO_PREDICATES, pfn_valid: valid, pfn_to_online_page: online, present_section: valid, valid_section: valid, online_section: online},
	};
}

const OK = state('ok', true, true, 'init');
const C1 = state('C1', true, false, 'poison');
const HOLE = state('hole', true, true, 'init');
const C5 = state('C5', true, false, 'garbage');
const UNBACKED = state('unbacked', false, false, 'unbacked');

/**
A model of `pfns` pfns: boot RAM with a hole every 1/16th, a hot-added block and a device
reserve near the end, then nothing. Runs are few, as in a real model.
*/
export function syntheticModel(pfns: number): Model {
	const kernel = v('6.12');
	const geometry = geometryFor('x86_64', kernel, 52);
	const end_pfn = geometry.pfn_upper_bits_limit + geometry.PAGES_PER_SECTION;
	const sixteenth = Math.floor(pfns / 16);
	const layout: Array<[number, PfnState]> = [];
	for (let i = 0; i < 12; i++) {
		layout.push([sixteenth - 64, OK], [64, HOLE]);
	}

	layout.push([2 * sixteenth, C1], [2, C5], [2 * sixteenth - 2, OK]);
	const runs: Run[] = [];
	let start = 0;
	for (const [length, s] of layout) {
		runs.push({start, end: start + length, index: runs.length, state: s});
		start += length;
	}

	runs.push({start, end: end_pfn, index: runs.length, state: UNBACKED});
	const phase: Phase = {id: 'final', step: 'final', label: 'end of replay'};
	return {
		topology: topology64T(),
		kernel,
		patches: [],
		geometry,
		phase,
		phases: [phase],
		max_pfn: start,
		min_low_pfn: 0,
		zones: [],
		nodes: [],
		pgmaps: [],
		runs,
		end_pfn,
		runAt: (pfn: number): Run => findRun(runs, pfn),
		entries: [],
	};
}

const GiB = 2 ** 30;
const TiB = 2 ** 40;

/** A 64 TiB x86-64 machine: 16 TiB of boot RAM (with a hole), 8 TiB hot-added offline, 32 TiB of fsdax with an altmap. */
export function topology64T(): Topology {
	const kernel = v('6.12');
	const g = geometryFor('x86_64', kernel);
	const entry = (index: number, start: number, size: number, label: string) => ({
		index,
		start,
		end: start + size,
		start_pfn: start / g.PAGE_SIZE,
		end_pfn: (start + size) / g.PAGE_SIZE,
		node: 0,
		pos: {line: index + 1, column: 1},
		label: `${label}@${hex(start)}`,
	});
	const memory: TopologyEntry[] = [
		{...entry(0, 0, 3 * GiB, 'boot'), kind: 'boot', nomap: []},
		{...entry(1, 4 * GiB, 16 * TiB - 4 * GiB, 'boot'), kind: 'boot', nomap: []},
		{...entry(2, 16 * TiB, 8 * TiB, 'hotplug'), kind: 'hotplug', state: 'offline'},
		{
			...entry(3, 32 * TiB, 32 * TiB, 'fsdax'),
			kind: 'device',
			type: 'fsdax',
			altmap: {base_pfn: (32 * TiB) / g.PAGE_SIZE, reserve: 2, free: (32 * TiB) / g.PAGE_SIZE / 64, free_auto: true},
			state: 'ready',
		},
	];
	return {
		name: 'bench-64TiB',
		description: '64 TiB: boot RAM, offline hot-added memory, fsdax with an altmap',
		arch: 'x86_64',
		kernel: '6.12',
		config: {debug_vm: true, vmemmap: true, max_physmem_bits: 46, memory_block_size: 2 * GiB, memory_block_size_auto: true},
		patches: [],
		memory,
		file: '<bench>',
		warnings: [],
	};
}

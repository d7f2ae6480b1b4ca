/**
A stand-in for source/model/build.ts in engine and CLI tests: maps a Topology to a hand-made
model (fake-model.ts) with a phase per operation, so that worker threads — which build their
model themselves from the topology — can run without the real replay.

- boot entries → OK (online boot RAM);
- hotplug entries → C1_POISON (never onlined), or OK when the state is online/online_movable;
- device entries → C5 for the altmap reserve, metadata for the memmap storage, C2 for the rest.

Phases: "boot", then "memory[i]:added" for every operation i, then "final". At a phase only the
entries replayed so far are present. Deterministic and pure, like the real buildModel.
*/
import type {Model, ModelOptions, Phase, PfnState} from '../../source/model/types.js';
import type {Topology} from '../../source/topology/types.js';
import {C1_POISON, fakeModel, OK, state} from './fake-model.js';

const DEVICE_INIT = {
	section: {present: true, valid: true, usage: true, taint_zone_device: true},
	subsection_valid: true,
	predicates: {pfn_valid: true, present_section: true, valid_section: true, pfn_section_valid: true, pfn_in_present_section: true},
};

export const C2_DEVICE = state({
	...DEVICE_INIT,
	memmap: {content: 'init', zone: 'Device', nid: 0, pgmap: 0, reserved: true, writer: 'memmap_init_zone_device'},
	altmap_part: 'data',
	category: 'C2',
	uninitialized: false,
	reason: 'ZONE_DEVICE memmap initialized by memmap_init_zone_device',
});

export const C5_RESERVE = state({
	...DEVICE_INIT,
	memmap: {content: 'garbage', writer: 'none'},
	altmap_part: 'reserve',
	category: 'C5',
	reason: 'altmap reserve of the namespace, never initialized',
});

export const METADATA = state({
	...DEVICE_INIT,
	memmap: {content: 'init', zone: 'Device', nid: 0, pgmap: null, reserved: true, writer: 'memmap_init_range'},
	altmap_part: 'free',
	category: 'metadata',
	uninitialized: false,
	reason: 'altmap memmap storage, initialized without a pgmap',
});

function phasesOf(topology: Topology): Phase[] {
	const phases: Phase[] = [{id: 'boot', step: 'boot', label: 'after memmap_init'}];
	for (const entry of topology.memory) {
		if (entry.kind !== 'boot') {
			phases.push({id: `memory[${entry.index}]:added`, step: 'added', entry: entry.index, label: `${entry.label} added`});
		}
	}

	phases.push({id: 'final', step: 'final', label: 'end of replay'});
	return phases;
}

export function buildModel(topology: Topology, options: ModelOptions = {}): Model {
	const phases = phasesOf(topology);
	const phaseId = options.phase ?? 'final';
	const at = phases.findIndex(phase => phase.id === phaseId);
	if (at < 0) {
		throw new Error(`fake buildModel: no phase ${phaseId}`);
	}

	const replayed = phaseId === 'final' ? topology.memory : topology.memory.filter(entry => entry.kind === 'boot' || phases.slice(1, at + 1).some(phase => phase.entry === entry.index));
	const runs: Array<{start: number; end: number; state: PfnState}> = [];
	for (const entry of replayed) {
		const tagged = (s: PfnState): PfnState => ({...s, entry: entry.index});
		if (entry.kind === 'boot') {
			runs.push({start: entry.start_pfn, end: entry.end_pfn, state: tagged(OK)});
		} else if (entry.kind === 'hotplug') {
			const online = entry.state === 'online' || entry.state === 'online_movable';
			runs.push({start: entry.start_pfn, end: entry.end_pfn, state: tagged(online ? OK : C1_POISON)});
		} else {
			let cursor = entry.start_pfn;
			if (entry.altmap) {
				runs.push({start: cursor, end: cursor + entry.altmap.reserve, state: tagged(C5_RESERVE)});
				cursor += entry.altmap.reserve;
				runs.push({start: cursor, end: cursor + entry.altmap.free, state: tagged(METADATA)});
				cursor += entry.altmap.free;
			}

			runs.push({start: cursor, end: entry.end_pfn, state: tagged(C2_DEVICE)});
		}
	}

	const model = fakeModel({
		arch: topology.arch,
		kernel: topology.kernel,
		runs: runs.filter(run => run.end > run.start),
		max_physmem_bits: topology.config.max_physmem_bits,
	});
	return {...model, topology, entries: topology.memory, phase: phases[at]!, phases};
}

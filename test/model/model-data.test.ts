import {inspect} from 'node:util';
import {deserialize, serialize} from 'node:v8';
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {modelBytes, modelData, modelFromBytes, workerModelData} from '../../source/model/model-data.js';
import type {Model} from '../../source/model/types.js';
import {loadTopologyFile, parseTopology} from '../../source/topology/load.js';
import {generateTopology} from '../../bench/topology-gen.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';

// A test of the model as the audit's workers get it (modelBytes(), read back with
// modelFromBytes()), over four runs of three states, one of them recurring and one with a reason
// outside ASCII:
//
//   |  ok  |  C1  |  ok  | odd (reason "…µ…") |  unbacked ...
//   0x0  0x100  0x200  0x300               0x400            end_pfn
//
// Expect every run back with its bounds, index and state (the recurring state one object, as in
// the model), every reason back as written, the runs and zones of the model, and runAt() answering.
describe('modelBytes', () => {
	const odd = state({category: 'C1', reason: 'a reason with µ and → in it'});
	const model = fakeModel({
		runs: [
			{start: 0, end: 0x100, state: OK},
			{start: 0x100, end: 0x200, state: C1_POISON},
			{start: 0x200, end: 0x300, state: OK},
			{start: 0x300, end: 0x400, state: odd},
		],
		zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x400, populated: true, contiguous: false}],
	});

	it('reads back the runs, their states and reasons', () => {
		const copy = modelFromBytes(modelBytes(model));
		expect(copy.runs.map(run => [run.start, run.end, run.index])).toEqual(model.runs.map(run => [run.start, run.end, run.index]));
		expect(copy.runs.map(run => run.state.reason)).toEqual(model.runs.map(run => run.state.reason));
		expect(copy.runs[3]!.state.reason).toBe('a reason with µ and → in it');
		expect(copy.runs.map(run => run.state.category)).toEqual(model.runs.map(run => run.state.category));
		expect(copy.runs[0]!.state).toBe(copy.runs[2]!.state);
		expect(copy.runs[0]!.state.predicates).toEqual(OK.predicates);
		expect(copy.runs[1]!.state.memmap).toEqual(C1_POISON.memmap);
		expect(copy.zones).toEqual(model.zones);
		expect(copy.end_pfn).toBe(model.end_pfn);
		expect(copy.runAt(0x250)).toBe(copy.runs[2]);
		expect(copy.runAt(model.end_pfn - 1)).toBe(copy.runs.at(-1));
	});

	// A test of what each run read back holds of its own (a worker holds 225 000 runs at 100 000
	// topology entries: each field one is 1.7 MiB of its heap). Expect its index and state and
	// nothing else: its bounds read through the class from the shared starts, not a reference to
	// them in every run.
	it('holds in each run only its index and state', () => {
		const copy = modelFromBytes(modelBytes(model));
		for (const run of copy.runs) {
			expect(Object.getOwnPropertyNames(run)).toEqual(['index', 'state']);
		}
	});

	// A test of runs that leave a gap ([0x100, 0x180) missing). Expect modelBytes() to refuse
	// them: a worker has only the starts and would see no gap.
	it('refuses runs that do not tile the pfns', () => {
		const gap = {...model, runs: model.runs.map(run => (run.index === 1 ? {...run, start: 0x180} : run))};
		expect(() => modelBytes(gap)).toThrow('Model.runs[1] is [0x180, 0x200) with index 1; runs must tile [0, end_pfn) in order');
	});
});

// A test of everything a walker's plan can read of the model (docs/writing-a-walker.md: kernel,
// patches, geometry, max_pfn, zones, nodes, pgmaps, entries, topology, phase, end_pfn), as the
// audit's workers get it, on topologies whose entries carry every optional field: nomap ranges
// (arm64-nomap), cma areas (arm64-cma-zone-boundary), hugetlb pages (x86-hugetlb-hvo), blocks,
// operations and an empty altmap (qemu-pmem-hotplug), memmap_on_memory and align
// (showcase-memmap-init). The entries are read in place (one Proxy each):
//
//   memory[0] boot {start, end, start_pfn, end_pfn, index, node, pos, label, kind, nomap, cma?, hugetlb?}
//   memory[i] hotplug {..., state, blocks?, memmap_on_memory?}   device {..., type, altmap, state, align?}
//
// Expect every field of workerModelData() back, nothing more or less; each entry with the same
// keys in the same order, the same values, the same JSON, spread into the same plain object and
// shown by util.inspect() (console.log in a walker) as the entry, an
// absent optional field neither own nor `in`; the topology's memory the entries themselves; and
// a write to an entry refused.
describe('modelFromBytes: what a walker reads', () => {
	const files = ['arm64-nomap', 'arm64-cma-zone-boundary', 'x86-hugetlb-hvo', 'qemu-pmem-hotplug', 'showcase-memmap-init'];
	const models = new Map<string, Model>(files.map(name => [name, buildModel(loadTopologyFile(`topologies/${name}.yaml`))]));

	it.each(files)('reads back every field of the model of %s', name => {
		const model = models.get(name)!;
		const data = workerModelData(model);
		const copy = modelFromBytes(modelBytes(model));
		expect(Object.keys(copy).sort()).toEqual([...Object.keys(data), 'runAt'].sort());
		for (const [key, value] of Object.entries(data)) {
			if (key !== 'runs') {
				expect(copy[key as keyof typeof data], key).toEqual(value);
			}
		}

		expect(copy.topology.memory).toBe(copy.entries);
		expect(copy.entries).toHaveLength(model.entries.length);
		for (const [i, entry] of model.entries.entries()) {
			const read = copy.entries[i]!;
			expect(Object.keys(read)).toEqual(Object.keys(entry));
			expect(JSON.stringify(read)).toBe(JSON.stringify(entry));
			expect({...read}).toEqual({...entry});
			expect(inspect(read)).toBe(inspect(entry));
			expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
			for (const key of ['nomap', 'cma', 'hugetlb', 'blocks', 'memmap_on_memory', 'altmap', 'align', 'type']) {
				expect(key in read, `memory[${i}] ${key}`).toBe(key in entry);
				expect(Object.hasOwn(read, key), `memory[${i}] ${key}`).toBe(Object.hasOwn(entry, key));
			}
		}

		expect(() => {
			(copy.entries[0] as {label: string}).label = 'changed';
		}).toThrow(TypeError);
		expect(copy.entries[0]!.label).toBe(model.entries[0]!.label);
	});

	// The optional fields above occur in these topologies (else the test above shows nothing).
	it('covers every optional field of an entry', () => {
		const keys = new Set([...models.values()].flatMap(model => model.entries.flatMap(entry => Object.keys(entry))));
		expect([...keys].sort()).toEqual(
			['align', 'altmap', 'blocks', 'cma', 'end', 'end_pfn', 'hugetlb', 'index', 'kind', 'label', 'memmap_on_memory', 'node', 'nomap', 'pos', 'start', 'start_pfn', 'state', 'type'].sort(),
		);
		expect([...models.values()].some(model => (model.topology.operations ?? []).length > 0)).toBe(true);
	});
});

// A test that a built model works out its phases only when they are read (issue 10: the 220 000
// phases of a 100 000-entry topology, each an id and a label, were some 40 MiB that an audit of
// the final state held while it laid the model out), on a topology of boot RAM, a hot-added range
// and a devdax range:
//
//   | boot RAM | hotplug (onlined) | devdax (P1-P7) |
//
// Expect the model's `phases` a getter until read, and still one after the model is laid out for
// the workers (workerModelData(), modelBytes()), whose copy carries its own phase only; once read,
// the phases themselves in the model's key order (the getter replaced by them), every phase of the
// replay from boot to final with the model's own phase last, equal to a model's phases at another
// phase, and in the plain data of the model (modelData(), a structured clone of it).
describe('Model.phases of a built model', () => {
	const topology = loadTopologyFile('topologies/qemu-pmem-hotplug.yaml');

	it('works out the phases only when they are read', () => {
		const model = buildModel(topology);
		const keys = Object.keys(model);
		expect(typeof Object.getOwnPropertyDescriptor(model, 'phases')!.get).toBe('function');
		expect(workerModelData(model).phases).toEqual([model.phase]);
		expect(modelFromBytes(modelBytes(model)).phases).toEqual([model.phase]);
		expect(typeof Object.getOwnPropertyDescriptor(model, 'phases')!.get).toBe('function');

		const phases = model.phases;
		expect(Object.getOwnPropertyDescriptor(model, 'phases')!.value).toBe(phases);
		expect(model.phases).toBe(phases);
		expect(Object.keys(model)).toEqual(keys);
		expect(phases[0]!.id).toBe('boot');
		expect(phases.at(-1)).toEqual(model.phase);
		expect(phases.length).toBeGreaterThan(3);
		expect(phases.every(phase => typeof phase.label === 'string' && phase.label.length > 0)).toBe(true);
		const atAdded = buildModel(topology, {phase: phases[1]!.id});
		expect(atAdded.phase).toEqual(phases[1]);
		expect(atAdded.phases).toEqual(phases);
		expect(structuredClone(modelData(buildModel(topology))).phases).toEqual(phases);
	});
});

// A test of the distinct values of the states' object fields as the workers get them, on a
// generated 1 000-entry topology (bench/topology-gen.ts: boot ranges with holes, hot-added blocks
// in every state, fsdax and devdax ranges): the predicate answers (sixteen keys each), memmaps and
// sections, packed by key in SharedModel.rest instead of serialized object by object (issue 10: at
// 100 000 entries the predicate answers were 10.5 of its 19 MiB). Expect each of them back with
// its keys in the same order and the same values; states that share one object in the model
// share one in the copy; and the predicate answers carried in less than a third of the bytes
// they take serialized as objects.
describe('modelBytes: the states\' shared values', () => {
	const model = buildModel(parseTopology(generateTopology(1000).yaml, 'generated.yaml'));

	it('gives back each shared value as it was, one object for one', () => {
		const copy = modelFromBytes(modelBytes(model));
		const firstRunOf = new Map<object, number>();
		for (const [i, run] of model.runs.entries()) {
			const state = copy.runs[i]!.state;
			for (const field of ['predicates', 'memmap', 'section'] as const) {
				const value = run.state[field] as object;
				expect(Object.keys(state[field]), `runs[${i}].${field}`).toEqual(Object.keys(value));
				expect(state[field], `runs[${i}].${field}`).toEqual(value);
				const first = firstRunOf.get(value);
				if (first === undefined) {
					firstRunOf.set(value, i);
				} else {
					expect(state[field]).toBe(copy.runs[first]!.state[field]);
				}
			}
		}

		expect(new Set(model.runs.map(run => run.state.predicates)).size).toBeGreaterThan(100);
	});

	it('carries the predicate answers packed', () => {
		const shared = modelBytes(model);
		const rest = deserialize(new Uint8Array(shared.rest)) as {fields: string[]; values: unknown[]};
		const carried = serialize(rest.values[rest.fields.indexOf('predicates')]).length;
		const asObjects = serialize([...new Set(model.runs.map(run => run.state.predicates))]).length;
		expect(carried).toBeLessThan(asObjects / 3);
	});
});

/**
One scale measurement, in a process of its own so that its peak RSS is its own:
`node dist/bench/scale.js N` generates an N-entry topology (topology-gen.ts), parses it, builds the
model and audits it with every built-in walker in worker threads, as `pfnaudit audit` does, and
prints one JSON line: CPU and wall milliseconds of each stage and the peak resident set size
(worker threads included: they share the process).
*/
import {buildModel} from '../source/model/build.js';
import type {Model, ModelOptions} from '../source/model/types.js';
import type {Topology} from '../source/topology/types.js';
import {runAudit, TopologyHandover} from '../source/engine/audit.js';
import {holdYoungGeneration, leanHeapFor} from '../source/engine/collect.js';
import {parseTopology} from '../source/topology/load.js';
import {builtinWalkerFile, builtinWalkers} from '../source/walker/registry.js';
import {generateTopology} from './topology-gen.js';

export type ScaleResult = {
	readonly entries: number;
	readonly runs: number;
	/** CPU ms of this thread: parse + validate, model build. */
	readonly parseCpu: number;
	readonly buildCpu: number;
	/** Wall ms of the whole audit (the model above handed to it, workers) and CPU ms of the whole process (generation excluded: see measureScale). */
	readonly auditWall: number;
	readonly processCpu: number;
	readonly maxRssMiB: number;
	readonly errors: readonly string[];
};

/** A number of generated entries whose text has LEAN_HEAP_FROM_CHARS characters or more (some 74 an entry: 30 000 entries are 2.1 MiB). */
const LEAN_ENTRIES = 30_000;

function cpuSince(since: NodeJS.CpuUsage): number {
	const used = process.cpuUsage(since);
	return (used.user + used.system) / 1000;
}

/**
Generate, parse and build, in a frame of their own: measureScale() keeps only what this returns,
the topology in the handover that runAudit() takes it from (as `pfnaudit audit` hands it over) and
the model in the builder the audit takes it from.
*/
function prepare(entries: number) {
	let cpu = process.cpuUsage();
	// Generating the text is no part of an audit, and V8 grows a young generation that it allocates in
	// and never shrinks it (source/engine/collect.ts holdYoungGeneration()): grown here, it stayed
	// committed through the walk (65 MiB of heap for 32 in use in the audit's thread at 100 000
	// entries, where `pfnaudit audit`, which reads a file, holds 48). Held while generating a text
	// that will make the heaps lean; a smaller one is generated and measured as before.
	if (entries >= LEAN_ENTRIES) {
		holdYoungGeneration();
	}

	const {yaml} = generateTopology(entries);
	// Generating the file is no part of an audit of it.
	const generateCpu = cpuSince(cpu);
	cpu = process.cpuUsage();
	// As `pfnaudit audit` reads a topology file (source/cli/read-topology.ts): lean heaps for a large one.
	leanHeapFor(yaml);
	const topology = parseTopology(yaml, `scale-${entries}.yaml`);
	const parseCpu = cpuSince(cpu);
	cpu = process.cpuUsage();
	let model: Model | undefined = buildModel(topology);
	const buildCpu = cpuSince(cpu);
	const runs = model.runs.length;
	const finalPhase = model.phase.id;
	return {
		generateCpu,
		parseCpu,
		buildCpu,
		runs,
		topology: new TopologyHandover(topology),
		/**
		The model just built is the audit's: `pfnaudit audit` builds it once, so the bench must not
		build it a second time (another phase, should one be asked, is built as the audit would).
		It is handed over, not kept here: the audit lets go of it once the workers have it, as it
		does of the model it builds itself.
		*/
		buildModel(t: Topology, options?: ModelOptions): Model {
			if (model !== undefined && (options?.phase === undefined || options.phase === finalPhase)) {
				const built = model;
				model = undefined;
				return built;
			}

			return buildModel(t, options);
		},
	};
}

export async function measureScale(entries: number): Promise<ScaleResult> {
	const {generateCpu, parseCpu, buildCpu, runs, topology, buildModel: build} = prepare(entries);
	const walkers = builtinWalkers().map(definition => ({
		definition,
		source: {kind: 'builtin', name: definition.name} as const,
		file: builtinWalkerFile(definition.name),
		builtin: true,
	}));
	const wall = performance.now();
	// A generous limit: on a busy machine a walker must not be cut short while it is measured.
	const report = await runAudit({topology, walkers, timeLimitMs: 900_000, buildModel: build});
	const auditWall = performance.now() - wall;
	const usage = process.resourceUsage();
	return {
		entries,
		runs,
		parseCpu,
		buildCpu,
		auditWall,
		processCpu: (usage.userCPUTime + usage.systemCPUTime) / 1000 - generateCpu,
		maxRssMiB: usage.maxRSS / 1024,
		errors: report.walkers.filter(w => w.verdict === 'error').map(w => `${w.name} (${w.status})`),
	};
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
	const entries = Number(process.argv[2] ?? 1000);
	process.stdout.write(`${JSON.stringify(await measureScale(entries))}\n`);
}

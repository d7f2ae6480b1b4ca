/**
Assembling the AuditReport (engine/types.ts) from the final-phase model and the walker results:
the topology and kernel facts, the geometry block, the memory map for the strip (model runs
merged by category and region), the verdict and the throughput.
*/
import type {CategoryId} from '../model/categories.js';
import {PackedStrings} from '../model/packed-strings.js';
import type {Model, Run} from '../model/types.js';
import type {Topology, TopologyConfig} from '../topology/types.js';
import {TOOL_VERSION} from '../paths.js';
import {overallVerdict} from './aggregate.js';
import type {EvaluationMode} from './evaluate.js';
import type {AuditReport, MapRegion, WalkerResult} from './types.js';

/** The label of a run on the memory strip: its topology entry and altmap part, or what it is. */
export function regionLabel(model: Model, run: Run): string {
	const {state} = run;
	const entry = state.entry === null ? undefined : model.entries[state.entry];
	if (entry) {
		return state.altmap_part && state.altmap_part !== 'data' ? `${entry.label} ${state.altmap_part}` : entry.label;
	}

	switch (state.category) {
		case 'hole': {
			return 'hole';
		}

		case 'unbacked': {
			return 'no memmap';
		}

		default: {
			return state.category;
		}
	}
}

/**
Each region of the map of [0, 2^MAX_PHYSMEM_BITS) pfns, in order, once it is complete: adjacent
runs with the same category and label merged. Runs beyond the physical address space
(out-of-bounds sections, the PFN_PHYS wrap) are left out: they are boundary pfns, not memory.
*/
function eachRegion(model: Model, visit: (start_pfn: number, end_pfn: number, category: CategoryId, label: string) => void): void {
	const limit = model.geometry.max_possible_pfn;
	let open = false;
	let start = 0;
	let end = 0;
	let category: CategoryId = 'hole';
	let label = '';
	for (const run of model.runs) {
		if (run.start >= limit) {
			break;
		}

		const runEnd = Math.min(run.end, limit);
		const runLabel = regionLabel(model, run);
		if (open && end === run.start && category === run.state.category && label === runLabel) {
			end = runEnd;
			continue;
		}

		if (open) {
			visit(start, end, category, label);
		}

		open = true;
		start = run.start;
		end = runEnd;
		category = run.state.category;
		label = runLabel;
	}

	if (open) {
		visit(start, end, category, label);
	}
}

/** The map of [0, 2^MAX_PHYSMEM_BITS) pfns: adjacent runs with the same category and label merged (eachRegion()). */
export function memoryMap(model: Model): MapRegion[] {
	const regions: MapRegion[] = [];
	eachRegion(model, (start_pfn, end_pfn, category, label) => {
		regions.push({start_pfn, end_pfn, category, label});
	});
	return regions;
}

/** A memory map as columns, region by region: what a PackedMap is made of (PackedMap.of()). */
export type MapColumns = {readonly starts: number[]; readonly ends: number[]; readonly categories: CategoryId[]; readonly labels: string[]};

/**
A memory map (memoryMap()) held as columns while the workers walk (source/engine/audit.ts), made
MapRegion objects again for the report (regions()): the 193 000 regions of a 100 000-entry
topology's map were 26 MiB of objects (each with two boxed pfns and a label built of parts)
in the audit's thread for the whole walk; as columns and one string of labels they are some
7 MiB. Made from the model itself (PackedMap.of()), the map is never those objects: made of them,
they were some 25 MiB of garbage on the heap of the audit's thread while it laid the model out for
the workers, its peak (issue 10).
*/
export class PackedMap {
	/** The memory map of `model`, packed as it is worked out (eachRegion()). */
	static of(model: Model): PackedMap {
		const columns: MapColumns = {starts: [], ends: [], categories: [], labels: []};
		eachRegion(model, (start_pfn, end_pfn, category, label) => {
			columns.starts.push(start_pfn);
			columns.ends.push(end_pfn);
			columns.categories.push(category);
			columns.labels.push(label);
		});
		return new PackedMap(columns);
	}

	readonly #starts: Float64Array;
	readonly #ends: Float64Array;
	/** Each region's category, as an index into #categories. */
	readonly #category: Uint8Array;
	readonly #categories: CategoryId[] = [];
	readonly #labels: PackedStrings;

	constructor(columns: MapColumns) {
		const count = columns.starts.length;
		this.#starts = Float64Array.from(columns.starts);
		this.#ends = Float64Array.from(columns.ends);
		this.#category = new Uint8Array(count);
		for (let i = 0; i < count; i++) {
			let category = this.#categories.indexOf(columns.categories[i]!);
			if (category < 0) {
				category = this.#categories.push(columns.categories[i]!) - 1;
			}

			this.#category[i] = category;
		}

		this.#labels = new PackedStrings(columns.labels);
	}

	/** The regions, as memoryMap() returned them. */
	regions(): MapRegion[] {
		const regions: MapRegion[] = Array.from({length: this.#starts.length});
		for (let i = 0; i < regions.length; i++) {
			regions[i] = {
				start_pfn: this.#starts[i]!,
				end_pfn: this.#ends[i]!,
				category: this.#categories[this.#category[i]!]!,
				label: this.#labels.at(i),
			};
		}

		return regions;
	}
}

/** What the report reads of the topology: not its entries, operations or config but one field. */
export type ReportTopology = Pick<Topology, 'name' | 'file' | 'description' | 'source' | 'warnings'> & {
	readonly config: Pick<TopologyConfig, 'memory_block_size'>;
};

/** What the report reads of the final-phase model besides its memory map. */
export type ReportModel = Pick<Model, 'kernel' | 'patches' | 'notes' | 'geometry'> & {readonly topology: ReportTopology};

/**
What the report reads of `model`, without the topology's entries and operations: what an audit
keeps while its workers walk (source/engine/audit.ts), instead of the topology it was given
(some 50 MiB of objects at 100 000 entries; its text, which the report embeds, is kept). The
warnings it keeps were made flat strings when they were recorded (source/topology/context.ts warn()).
*/
export function reportModel(model: Model): ReportModel {
	const {name, file, description, source, warnings, config} = model.topology;
	return {
		topology: {name, file, description, ...(source === undefined ? {} : {source}), warnings, config: {memory_block_size: config.memory_block_size}},
		kernel: model.kernel,
		patches: model.patches,
		...(model.notes === undefined ? {} : {notes: model.notes}),
		geometry: model.geometry,
	};
}

/**
What an audit keeps of its final-phase model for the report while the workers walk (source/engine/
audit.ts): what the report reads of the model, and its memory map packed.
*/
export function reportBasis(model: Model): {readonly model: ReportModel; readonly map: PackedMap} {
	return {model: reportModel(model), map: PackedMap.of(model)};
}

export type ReportInput = (
	| {
			/** The final-phase model. */
			readonly model: Model;
			readonly map?: undefined;
	  }
	| {
			/** What the report reads of the final-phase model, and its memory map (memoryMap()), when the model itself is let go. */
			readonly model: ReportModel;
			readonly map: MapRegion[];
	  }
) & {
	readonly phases: readonly string[];
	readonly failOn: readonly CategoryId[];
	readonly walkers: readonly WalkerResult[];
	readonly elapsedMs: number;
	readonly mode: EvaluationMode;
};

export function buildAuditReport(input: ReportInput): AuditReport {
	const map = input.map === undefined ? memoryMap(input.model) : input.map;
	const {model} = input;
	const g = model.geometry;
	const visited = input.walkers.reduce((sum, walker) => sum + walker.pfns_visited, 0);
	return {
		tool: {name: 'pfnaudit', version: TOOL_VERSION},
		topology: {name: model.topology.name, file: model.topology.file, description: model.topology.description, ...(model.topology.source === undefined ? {} : {source: model.topology.source})},
		arch: g.arch,
		kernel: model.kernel.label,
		patches: [...model.patches],
		notes: [...(model.notes ?? [])],
		warnings: (model.topology.warnings ?? []).map(warning => ({file: warning.file, line: warning.pos.line, column: warning.pos.column, message: warning.message})),
		phases: [...input.phases],
		fail_on: [...input.failOn],
		geometry: {
			PAGE_SHIFT: g.PAGE_SHIFT,
			SECTION_SIZE_BITS: g.SECTION_SIZE_BITS,
			MAX_PHYSMEM_BITS: g.MAX_PHYSMEM_BITS,
			PAGES_PER_SECTION: g.PAGES_PER_SECTION,
			PAGES_PER_SUBSECTION: g.PAGES_PER_SUBSECTION,
			NR_MEM_SECTIONS: g.NR_MEM_SECTIONS,
			memory_block_size: model.topology.config.memory_block_size,
		},
		map,
		walkers: [...input.walkers],
		verdict: overallVerdict(input.walkers),
		elapsed_ms: Math.round(input.elapsedMs),
		pfns_per_second: input.elapsedMs > 0 ? Math.round(visited / (input.elapsedMs / 1000)) : 0,
		mode: input.mode,
	};
}

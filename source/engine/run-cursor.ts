/**
Run lookup with a cursor: walkers look pfns up in walk order (monotone, up or down), so the run
of the previous lookup, or its neighbour, almost always holds the next pfn. Only a jump falls
back to a binary search. No allocation per lookup.

The cursor reads run bounds from one typed array per model (`starts`) and hands out RunInfo
objects rather than the model's Run: one class, so every property read on the hot path sees one
hidden class whatever way the model built its PfnState objects, with the predicate answers and
the page view copied out once. A RunInfo holds what a step reads of a run (predicate answers,
page view), not where the run is: runs whose states share their predicate answers and memmap
objects share one RunInfo (source/model/runs.ts interns both), some 47 000 for the 225 000 runs
of a 100 000-entry topology, which every worker holds (issue 10: memory at scale).
*/
import {hex} from '../model/geometry.js';
import type {Model, PfnState, Run} from '../model/types.js';
import type {PageView} from '../walker/contract.js';
import {runStarts} from '../model/runs.js';
import {pageView} from './page-view.js';
import {ContractViolation} from './violation.js';

export class RunInfo {
	declare readonly pfn_valid: boolean;
	declare readonly pfn_valid_oob: boolean;
	declare readonly pfn_valid_within: boolean;
	declare readonly pfn_to_online_page: boolean;
	declare readonly pfn_to_online_page_oob: boolean;
	declare readonly get_dev_pagemap: number | null;
	declare readonly pgmap_pfn_valid: boolean;
	declare readonly present_section: boolean;
	declare readonly valid_section: boolean;
	declare readonly online_section: boolean;
	declare readonly early_section: boolean;
	declare readonly pfn_in_present_section: boolean;
	/** What-if helpers (source/model/proposals.ts); false where no patch adds them. */
	declare readonly pfn_zone_device: boolean;
	declare readonly pfn_zone_device_reserved: boolean;
	declare readonly view: PageView;
	/**
	A HugeTLB tail (or fake head): a write through compound_head() or page_folio() lands on the
	head's struct page, not on this one (StepContext touch()).
	*/
	declare readonly hugetlb_tail: boolean;

	/** `view`: pageView(state), shared by the states with the same memmap object (runTable()). */
	constructor(state: PfnState, view: PageView) {
		const p = state.predicates;
		this.pfn_valid = Boolean(p.pfn_valid);
		this.pfn_valid_oob = Boolean(p.pfn_valid_oob);
		this.pfn_valid_within = Boolean(p.pfn_valid_within);
		this.pfn_to_online_page = Boolean(p.pfn_to_online_page);
		this.pfn_to_online_page_oob = Boolean(p.pfn_to_online_page_oob);
		this.get_dev_pagemap = p.get_dev_pagemap;
		this.pgmap_pfn_valid = Boolean(p.pgmap_pfn_valid);
		this.present_section = Boolean(p.present_section);
		this.valid_section = Boolean(p.valid_section);
		this.online_section = Boolean(p.online_section);
		this.early_section = Boolean(p.early_section);
		this.pfn_in_present_section = Boolean(p.pfn_in_present_section);
		this.pfn_zone_device = Boolean(p.pfn_zone_device);
		this.pfn_zone_device_reserved = Boolean(p.pfn_zone_device_reserved);
		this.view = view;
		const part = state.memmap.hugetlb?.part;
		this.hugetlb_tail = part === 'tail' || part === 'fake_head';
	}
}

/** What the cursors of one model share: run bounds, and each run's RunInfo. */
type RunTable = {
	/** starts[i] = runs[i].start; starts[runs.length] = end_pfn. */
	readonly starts: Float64Array;
	/** infos[infoOf[i]] is the RunInfo of runs[i]. */
	readonly infoOf: Uint32Array;
	readonly infos: readonly RunInfo[];
};

const TABLES = new WeakMap<Model, RunTable>();

/** The run table of a model, once per model (runStarts() checks the runs tile [0, end_pfn)). */
function runTable(model: Model): RunTable {
	let table = TABLES.get(model);
	if (table === undefined) {
		const {runs} = model;
		const starts = runStarts(runs, model.end_pfn);
		const infoOf = new Uint32Array(runs.length);
		const infos: RunInfo[] = [];
		// pageView() reads only state.memmap, and a RunInfo only state.predicates and state.memmap;
		// the model shares one object between every run with equal values (source/model/runs.ts
		// Interner): one view per memmap object and one RunInfo per pair of objects, not one per run.
		const views = new Map<object, PageView>();
		const byPair = new Map<object, Map<object, number>>();
		for (let i = 0; i < runs.length; i++) {
			const {state} = runs[i]!;
			let byMemmap = byPair.get(state.predicates);
			if (byMemmap === undefined) {
				byMemmap = new Map();
				byPair.set(state.predicates, byMemmap);
			}

			let id = byMemmap.get(state.memmap);
			if (id === undefined) {
				let view = views.get(state.memmap);
				if (view === undefined) {
					view = pageView(state);
					views.set(state.memmap, view);
				}

				id = infos.length;
				infos.push(new RunInfo(state, view));
				byMemmap.set(state.memmap, id);
			}

			infoOf[i] = id;
		}

		table = {starts, infoOf, infos};
		TABLES.set(model, table);
	}

	return table;
}

export class RunCursor {
	readonly runs: readonly Run[];
	private readonly starts: Float64Array;
	private readonly infoOf: Uint32Array;
	private readonly infos: readonly RunInfo[];
	private readonly endPfn: number;
	/** The run of the last lookup: its bounds [start, end), index in Model.runs and RunInfo (read directly by the context's inlined fast path). */
	start: number;
	end: number;
	index: number;
	info: RunInfo;

	constructor(model: Model) {
		const {starts, infoOf, infos} = runTable(model);
		if (infoOf.length === 0) {
			throw new Error('internal: the model has no runs');
		}

		this.runs = model.runs;
		this.starts = starts;
		this.infoOf = infoOf;
		this.infos = infos;
		this.endPfn = model.end_pfn;
		this.start = starts[0]!;
		this.end = starts[1]!;
		this.index = 0;
		this.info = infos[infoOf[0]!]!;
	}

	/** The model's run holding pfn (the cursor moves there). */
	at(pfn: number): Run {
		this.seek(pfn);
		return this.runs[this.index]!;
	}

	/** Move to the run holding pfn; a pfn outside [0, end_pfn) or not an integer breaks the walker contract. */
	seek(pfn: number): void {
		if (pfn >= this.start && pfn < this.end) {
			return;
		}

		this.move(pfn);
	}

	private move(pfn: number): void {
		if (!(Number.isSafeInteger(pfn) && pfn >= 0 && pfn < this.endPfn)) {
			throw new ContractViolation(
				`looks up pfn ${Number.isSafeInteger(pfn) && pfn >= 0 ? hex(pfn) : String(pfn)}, outside the modelled pfns [0x0, ${hex(this.endPfn)})`,
			);
		}

		const {starts} = this;
		const last = this.infoOf.length - 1;
		let i = this.index;
		if (i < last && pfn >= starts[i + 1]! && pfn < starts[i + 2]!) {
			i++;
		} else if (i > 0 && pfn >= starts[i - 1]! && pfn < starts[i]!) {
			i--;
		} else {
			let lo = 0;
			let hi = last;
			while (lo < hi) {
				const mid = Math.ceil((lo + hi) / 2);
				if (starts[mid]! <= pfn) {
					lo = mid;
				} else {
					hi = mid - 1;
				}
			}

			i = lo;
		}

		this.index = i;
		this.start = starts[i]!;
		this.end = starts[i + 1]!;
		this.info = this.infos[this.infoOf[i]!]!;
	}
}

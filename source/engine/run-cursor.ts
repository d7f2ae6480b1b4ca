/**
Run lookup with a cursor: walkers look pfns up in walk order (monotone, up or down), so the run
of the previous lookup, or its neighbour, almost always holds the next pfn. Only a jump falls
back to a binary search. No allocation per lookup.

The cursor hands out RunInfo objects rather than the model's Run: one class, so every property
read on the hot path sees one hidden class whatever way the model built its PfnState objects,
with the predicate answers and the page view copied out once per run.
*/
import {hex} from '../model/geometry.js';
import type {Model, Run} from '../model/types.js';
import type {PageView} from '../walker/contract.js';
import {pageView} from './page-view.js';
import {ContractViolation} from './violation.js';

export class RunInfo {
	readonly start: number;
	readonly end: number;
	readonly index: number;
	readonly pfn_valid: boolean;
	readonly pfn_valid_oob: boolean;
	readonly pfn_valid_within: boolean;
	readonly pfn_to_online_page: boolean;
	readonly pfn_to_online_page_oob: boolean;
	readonly get_dev_pagemap: number | null;
	readonly pgmap_pfn_valid: boolean;
	readonly present_section: boolean;
	readonly valid_section: boolean;
	readonly online_section: boolean;
	readonly early_section: boolean;
	readonly pfn_in_present_section: boolean;
	/** What-if helpers (source/model/proposals.ts); false where no patch adds them. */
	readonly pfn_zone_device: boolean;
	readonly pfn_zone_device_reserved: boolean;
	readonly view: PageView;
	/**
	A HugeTLB tail (or fake head): a write through compound_head() or page_folio() lands on the
	head's struct page, not on this one (StepContext touch()).
	*/
	readonly hugetlb_tail: boolean;

	/** `view`: pageView(run.state), shared by the runs whose state has the same memmap object (runInfos()). */
	constructor(
		readonly run: Run,
		view: PageView,
	) {
		const p = run.state.predicates;
		this.start = run.start;
		this.end = run.end;
		this.index = run.index;
		this.pfn_valid = p.pfn_valid;
		this.pfn_valid_oob = p.pfn_valid_oob;
		this.pfn_valid_within = p.pfn_valid_within;
		this.pfn_to_online_page = p.pfn_to_online_page;
		this.pfn_to_online_page_oob = p.pfn_to_online_page_oob;
		this.get_dev_pagemap = p.get_dev_pagemap;
		this.pgmap_pfn_valid = p.pgmap_pfn_valid;
		this.present_section = p.present_section;
		this.valid_section = p.valid_section;
		this.online_section = p.online_section;
		this.early_section = p.early_section;
		this.pfn_in_present_section = p.pfn_in_present_section;
		this.pfn_zone_device = p.pfn_zone_device ?? false;
		this.pfn_zone_device_reserved = p.pfn_zone_device_reserved ?? false;
		this.view = view;
		const part = run.state.memmap.hugetlb?.part;
		this.hugetlb_tail = part === 'tail' || part === 'fake_head';
	}
}

const INFOS = new WeakMap<Model, readonly RunInfo[]>();

/** Check the runs once per model: sorted, contiguous from 0 to end_pfn, index = position. */
function runInfos(model: Model): readonly RunInfo[] {
	let infos = INFOS.get(model);
	if (infos === undefined) {
		let expected = 0;
		for (const [i, run] of model.runs.entries()) {
			if (run.index !== i || run.start !== expected || !(run.end > run.start)) {
				throw new Error(`internal: Model.runs[${i}] is [${hex(run.start)}, ${hex(run.end)}) with index ${run.index}; runs must tile [0, end_pfn) in order`);
			}

			expected = run.end;
		}

		if (expected !== model.end_pfn) {
			throw new Error(`internal: Model.runs end at ${hex(expected)}, not at end_pfn ${hex(model.end_pfn)}`);
		}

		// pageView() reads only state.memmap, and the model shares one memmap object between every
		// run in the same memmap state (source/model/runs.ts Interner): one view per memmap object,
		// not one per run (225 000 runs, 18 000 memmap values at 100 000 entries; every worker holds them).
		const views = new Map<object, PageView>();
		infos = model.runs.map(run => {
			let view = views.get(run.state.memmap);
			if (view === undefined) {
				view = pageView(run.state);
				views.set(run.state.memmap, view);
			}

			return new RunInfo(run, view);
		});
		INFOS.set(model, infos);
	}

	return infos;
}

export class RunCursor {
	private readonly infos: readonly RunInfo[];
	private readonly endPfn: number;
	/** The run of the last lookup (read directly by the context's inlined fast path). */
	current: RunInfo;

	constructor(model: Model) {
		this.infos = runInfos(model);
		this.endPfn = model.end_pfn;
		if (this.infos.length === 0) {
			throw new Error('internal: the model has no runs');
		}

		this.current = this.infos[0]!;
	}

	/** The run holding pfn; a pfn outside [0, end_pfn) or not an integer breaks the walker contract. */
	at(pfn: number): RunInfo {
		const info = this.current;
		if (pfn >= info.start && pfn < info.end) {
			return info;
		}

		return this.move(pfn);
	}

	private move(pfn: number): RunInfo {
		if (!(Number.isSafeInteger(pfn) && pfn >= 0 && pfn < this.endPfn)) {
			throw new ContractViolation(
				`looks up pfn ${Number.isSafeInteger(pfn) && pfn >= 0 ? hex(pfn) : String(pfn)}, outside the modelled pfns [0x0, ${hex(this.endPfn)})`,
			);
		}

		const {index} = this.current;
		const next = this.infos[index + 1];
		if (next && pfn >= next.start && pfn < next.end) {
			this.current = next;
			return next;
		}

		const previous = this.infos[index - 1];
		if (previous && pfn >= previous.start && pfn < previous.end) {
			this.current = previous;
			return previous;
		}

		let lo = 0;
		let hi = this.infos.length - 1;
		while (lo < hi) {
			const mid = Math.ceil((lo + hi) / 2);
			if (this.infos[mid]!.start <= pfn) {
				lo = mid;
			} else {
				hi = mid - 1;
			}
		}

		this.current = this.infos[lo]!;
		return this.current;
	}
}

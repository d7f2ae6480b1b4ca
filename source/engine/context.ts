/**
The reference StepContext: answers a walker step's predicates from the model's runs and records
every struct page it touches. The engine's two modes (per-pfn and runs) share it; the runs mode
additionally checks that a step only looks at its own pfn and its pass's anchors.
*/
import type {Model, PfnState, Run} from '../model/types.js';
import type {Access, PageField, PageView, StepContext} from '../walker/contract.js';

/** One struct page dereference by one step. */
export type Touch = {
	readonly pfn: number;
	readonly run: Run;
	readonly fields: readonly PageField[];
	/** Kernel function doing the access. */
	readonly via: string;
	readonly access: Access;
};

export type RecordingContext = StepContext & {
	/** Touches of the current step, in order, one per distinct pfn (fields merged). */
	readonly touches: Touch[];
	stopped: boolean;
	/** Called before each step. */
	reset(): void;
	/**
	Called with every pfn the step looks at, before it is looked up; throws to reject pfns the
	pass did not declare (runs mode). Undefined: accept every pfn.
	*/
	guardPfn: ((pfn: number) => void) | undefined;
};

const NO_PAGE: PageView = {
	content: 'unbacked',
	zone: undefined,
	nid: undefined,
	pgmap: undefined,
	reserved: false,
	offline: false,
	poisoned: false,
};

/** What the walker sees when it dereferences a struct page in a run. */
export function pageView(state: PfnState): PageView {
	const {memmap} = state;
	switch (memmap.content) {
		case 'unbacked':
		case 'garbage': {
			return {...NO_PAGE, content: memmap.content};
		}

		case 'poison': {
			return {...NO_PAGE, content: 'poison', poisoned: true};
		}

		case 'init':
		case 'stale': {
			return {
				content: memmap.content,
				zone: memmap.zone,
				nid: memmap.nid,
				pgmap: memmap.pgmap,
				reserved: memmap.reserved ?? false,
				offline: memmap.offline ?? false,
				poisoned: false,
			};
		}
	}
}

export function createStepContext(model: Model): RecordingContext {
	const views = new WeakMap<Run, PageView>();
	const lookup = (pfn: number): Run => {
		context.guardPfn?.(pfn);
		return model.runAt(pfn);
	};

	const touch = (pfn: number, run: Run, fields: readonly PageField[], via: string, access: Access): void => {
		const existing = context.touches.findIndex(t => t.pfn === pfn);
		if (existing === -1) {
			context.touches.push({pfn, run, fields, via, access});
			return;
		}

		const previous = context.touches[existing]!;
		context.touches[existing] = {
			...previous,
			fields: [...new Set([...previous.fields, ...fields])],
			access: previous.access === 'write' || access === 'write' ? 'write' : 'read',
		};
	};

	const predicates = (pfn: number) => lookup(pfn).state.predicates;
	const view = (run: Run): PageView => {
		let cached = views.get(run);
		if (!cached) {
			cached = pageView(run.state);
			views.set(run, cached);
		}

		return cached;
	};

	const context: RecordingContext = {
		model,
		g: model.geometry,
		kernel: model.kernel,
		touches: [],
		stopped: false,
		guardPfn: undefined,
		reset() {
			context.touches.length = 0;
			context.stopped = false;
		},
		pfn_valid(pfn) {
			const run = lookup(pfn);
			if (run.state.predicates.pfn_valid_oob) {
				touch(pfn, run, ['mem_section'], '__nr_to_section', 'read');
			}

			return run.state.predicates.pfn_valid;
		},
		pfn_valid_within: pfn => predicates(pfn).pfn_valid_within,
		pfn_to_online_page(pfn) {
			const run = lookup(pfn);
			if (run.state.predicates.pfn_to_online_page_oob) {
				touch(pfn, run, ['mem_section'], '__nr_to_section', 'read');
			}

			return run.state.predicates.pfn_to_online_page;
		},
		get_dev_pagemap: pfn => predicates(pfn).get_dev_pagemap,
		pgmap_pfn_valid(pgmap, pfn) {
			const answers = predicates(pfn);
			return answers.get_dev_pagemap === pgmap && answers.pgmap_pfn_valid;
		},
		present_section: pfn => predicates(pfn).present_section,
		valid_section: pfn => predicates(pfn).valid_section,
		online_section: pfn => predicates(pfn).online_section,
		early_section: pfn => predicates(pfn).early_section,
		pfn_in_present_section: pfn => predicates(pfn).pfn_in_present_section,
		page(pfn, fields, via, access = 'read') {
			const run = lookup(pfn);
			touch(pfn, run, fields, via, access);
			return view(run);
		},
		page_zone(pfn, via) {
			return context.page(pfn, ['flags'], via).zone;
		},
		pfn_to_nid(pfn, via) {
			return context.page(pfn, ['flags'], via).nid;
		},
		stop() {
			context.stopped = true;
		},
	};
	return context;
}

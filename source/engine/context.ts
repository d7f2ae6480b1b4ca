/**
The StepContext: answers a walker step's predicates from the model's runs and records every
struct page it touches. The engine's two modes (per-pfn and runs) share it; the runs mode
additionally sets `guardPfn` so that a step only looks at its own pfn and its pass's anchors.

It is on the hot path (one step per pfn in per-pfn mode): runs are found through a RunCursor,
touches go into pooled slots (one per page()/page_zone()/pfn_to_nid() call: reads of one pfn
are never merged), page views are cached per run, and nothing is allocated per step unless the
walker itself allocates.
*/
import type {KernelVersion} from '../kernel/version.js';
import type {Geometry} from '../model/geometry.js';
import type {Model, Run, ZoneName} from '../model/types.js';
import type {Access, PageField, PageView, StepContext} from '../walker/contract.js';
import {RunCursor, type RunInfo} from './run-cursor.js';
export {pageView} from './page-view.js';
import {ContractViolation} from './violation.js';

/** One struct page dereference by one step. */
export type Touch = {
	readonly pfn: number;
	readonly run: Run;
	readonly fields: readonly PageField[];
	/** Kernel function doing the access. */
	readonly via: string;
	readonly access: Access;
};

/** A reusable touch record (one class: monomorphic reads in the tally). */
class TouchSlot implements Touch {
	constructor(
		public pfn: number,
		public run: Run,
		public fields: readonly PageField[],
		public via: string,
		public access: Access,
	) {}
}

export type RecordingContext = StepContext & {
	/** Touches of the current step, in order, one per ctx.page()/page_zone()/pfn_to_nid() call; a copy. */
	readonly touches: Touch[];
	/** Number of touches of the current step (the engine reads slots without copying). */
	readonly touchCount: number;
	/** Touch i of the current step; valid until the next reset(). */
	touchAt(i: number): Touch;
	stopped: boolean;
	/** Called before each step. */
	reset(): void;
	/**
	Called with every pfn the step looks at, before it is looked up; throws to reject pfns the
	pass did not declare (runs mode). Undefined: accept every pfn.
	*/
	guardPfn: ((pfn: number) => void) | undefined;
	/**
	The first contract violation of the current step, kept even when the walker catches the
	exception thrown for it (a step cannot hide a violation with try/catch).
	*/
	violation: string | undefined;
};

const FLAGS: readonly PageField[] = ['flags'];
const MEM_SECTION: readonly PageField[] = ['mem_section'];

/**
The context class. Methods live on the prototype, so every context of every walker shares the
same call targets and V8 inlines them into the walker's step. (They are deliberately not bound
per instance: a bound copy per context makes each step's call sites polymorphic. Walkers call
`ctx.pfn_valid(pfn)`, never a destructured `pfn_valid`.)
*/
class StepContextImpl implements RecordingContext {
	readonly g: Geometry;
	readonly kernel: KernelVersion;
	stopped = false;
	violation: string | undefined = undefined;
	/**
	Not 0 once the current step has left work for the per-pfn loop (stop(), a violation, a run's
	first touch while counting): the loop checks this one field after each step. The engine sets it
	back to 0.
	*/
	attention = 0;
	touchCount = 0;
	/** While counting: write touches per model run (Access 'write'), beside `counts`. */
	writeCounts: Float64Array | undefined = undefined;
	firstCount = 0;
	private readonly cursor: RunCursor;
	/**
	The run of the last lookup: its bounds, its index in Model.runs and its RunInfo (the cursor's,
	kept here to save an indirection per lookup).
	*/
	private currentStart = Number.NaN;
	private currentEnd = Number.NaN;
	private currentIndex = 0;
	private declare current: RunInfo;
	/**
	The answers of `current` that walkers ask most, copied here at each move(): pfn_valid(),
	pfn_to_online_page() and page() then read fields of the context, whose map the step has checked
	already, instead of loading and checking a RunInfo first (some 5 % of the per-pfn rate of
	`pfn_valid(), then page->flags`). The predicates compare these and RunInfo's answers with
	`=== true`, though both hold only booleans: measured without it (four alternating pairs of `node
	dist/bench/run.js --modes`), that rate was 151-160 M pfns/s against 162-172 M with it.
	*/
	private validNow = false;
	private validOobNow = false;
	private onlineNow = false;
	private onlineOobNow = false;
	private declare viewNow: PageView;
	private readonly slots: TouchSlot[] = [];
	private guard: ((pfn: number) => void) | undefined = undefined;
	/** See `counts`. */
	private runTouches: Float64Array | undefined = undefined;
	/**
	While counting: the touches of the run of the last lookup (currentIndex), kept here and written
	to runTouches[currentIndex] when a lookup moves to another run and when the engine asks
	(flushCounts()). A number field, not an array element, so that a touch costs a field increment:
	an element increment is also a check of the array, its length and the index, on every touch.
	NaN at first so that V8 keeps the field as a double from the start.
	*/
	private runCount = Number.NaN;

	constructor(readonly model: Model) {
		this.g = model.geometry;
		this.kernel = model.kernel;
		const cursor = new RunCursor(model);
		this.cursor = cursor;
		this.currentStart = cursor.start;
		this.currentEnd = cursor.end;
		this.currentIndex = cursor.index;
		this.current = cursor.info;
		this.copyAnswers(cursor.info);
	}

	get touches(): Touch[] {
		return this.slots.slice(0, this.touchCount).map(slot => ({...slot}));
	}

	touchAt(i: number): Touch {
		return this.slots[i]!;
	}

	/**
	Per-pfn mode counts touches here, per model run, as they happen (no second pass over the
	touches, no per-step reset): only a run's first touch is written, to slots
	[0, firstCount), which the engine takes and sets back to 0; touchCount stays 0 while counting.
	The count of the current run is written here when the run changes, when the engine calls
	flushCounts() and when counting stops (counts set to undefined or to another array).
	*/
	get counts(): Float64Array | undefined {
		return this.runTouches;
	}

	set counts(counts: Float64Array | undefined) {
		this.flushCounts();
		this.runTouches = counts;
		if (counts !== undefined) {
			this.runCount = counts[this.currentIndex]!;
		}
	}

	/** While counting: write the count of the current run to `counts`. */
	flushCounts(): void {
		const counts = this.runTouches;
		if (counts !== undefined) {
			counts[this.currentIndex] = this.runCount;
		}
	}

	get guardPfn(): ((pfn: number) => void) | undefined {
		return this.guard;
	}

	/**
	While a guard is set, the run bounds are empty, so that every lookup goes through move(),
	which calls the guard: lookup()'s fast path, on every predicate and read of a per-pfn walk,
	then checks the bounds only.
	*/
	set guardPfn(guard: ((pfn: number) => void) | undefined) {
		this.guard = guard;
		this.currentStart = Number.NaN;
		this.currentEnd = Number.NaN;
	}

	reset(): void {
		this.touchCount = 0;
		this.firstCount = 0;
		this.stopped = false;
		this.violation = undefined;
		this.attention = 0;
	}

	pfn_valid(pfn: number): boolean {
		this.lookup(pfn);
		if (this.validOobNow === true) {
			this.touch(pfn, MEM_SECTION, '__nr_to_section', 'read');
		}

		return this.validNow === true;
	}

	pfn_valid_within(pfn: number): boolean {
		return this.lookup(pfn).pfn_valid_within === true;
	}

	pfn_to_online_page(pfn: number): boolean {
		this.lookup(pfn);
		if (this.onlineOobNow === true) {
			this.touch(pfn, MEM_SECTION, '__nr_to_section', 'read');
		}

		return this.onlineNow === true;
	}

	get_dev_pagemap(pfn: number): number | null {
		return this.lookup(pfn).get_dev_pagemap;
	}

	pgmap_pfn_valid(pgmap: number, pfn: number): boolean {
		const info = this.lookup(pfn);
		return info.get_dev_pagemap === pgmap && info.pgmap_pfn_valid === true;
	}

	pfn_zone_device(pfn: number): boolean {
		return this.lookup(pfn).pfn_zone_device === true;
	}

	pfn_zone_device_reserved(pfn: number): boolean {
		return this.lookup(pfn).pfn_zone_device_reserved === true;
	}

	present_section(pfn: number): boolean {
		return this.lookup(pfn).present_section === true;
	}

	valid_section(pfn: number): boolean {
		return this.lookup(pfn).valid_section === true;
	}

	online_section(pfn: number): boolean {
		return this.lookup(pfn).online_section === true;
	}

	early_section(pfn: number): boolean {
		return this.lookup(pfn).early_section === true;
	}

	pfn_in_present_section(pfn: number): boolean {
		return this.lookup(pfn).pfn_in_present_section === true;
	}

	page(pfn: number, fields: readonly PageField[], via: string, access: Access = 'read'): PageView {
		const info = this.lookup(pfn);
		// A write whose fields start with compound_head goes through compound_head()/page_folio():
		// on a HugeTLB tail it writes the head's struct page, and this one is only read.
		const own = access === 'write' && info.hugetlb_tail === true && fields[0] === 'compound_head' ? 'read' : access;
		this.touch(pfn, fields, via, own);
		return this.viewNow;
	}

	page_zone(pfn: number, via: string): ZoneName | undefined {
		return this.page(pfn, FLAGS, via).zone;
	}

	pfn_to_nid(pfn: number, via: string): number | undefined {
		return this.page(pfn, FLAGS, via).nid;
	}

	stop(): void {
		this.stopped = true;
		this.attention = 1;
	}

	private lookup(pfn: number): RunInfo {
		if (pfn >= this.currentStart && pfn < this.currentEnd) {
			return this.current;
		}

		return this.move(pfn);
	}

	/**
	Off the hot path: another run, a pfn outside the model (recorded as a violation), or any pfn
	while a guard is set (the bounds stay empty then, see guardPfn).
	*/
	private move(pfn: number): RunInfo {
		if (this.guard !== undefined) {
			this.guard(pfn);
		}

		try {
			const {cursor} = this;
			cursor.seek(pfn);
			if (this.guard === undefined) {
				this.currentStart = cursor.start;
				this.currentEnd = cursor.end;
			}

			const counts = this.runTouches;
			if (counts !== undefined && cursor.index !== this.currentIndex) {
				counts[this.currentIndex] = this.runCount;
				this.runCount = counts[cursor.index]!;
			}

			this.currentIndex = cursor.index;
			const {info} = cursor;
			this.current = info;
			this.copyAnswers(info);
			return info;
		} catch (error) {
			if (error instanceof ContractViolation) {
				this.violation ??= error.message;
				this.attention = 1;
			}

			throw error;
		}
	}

	private copyAnswers(info: RunInfo): void {
		this.validNow = info.pfn_valid;
		this.validOobNow = info.pfn_valid_oob;
		this.onlineNow = info.pfn_to_online_page;
		this.onlineOobNow = info.pfn_to_online_page_oob;
		this.viewNow = info.view;
	}

	/**
	Record one touch of the run of the last lookup. While counting (per-pfn mode) the touch is counted into its run and only a
	run's first touch and first write are written, to the next first-touch slot (the tally takes
	a witness from it): the hot path is a field increment. Otherwise every touch is written to its slot.
	*/
	private touch(pfn: number, fields: readonly PageField[], via: string, access: Access): void {
		if (this.runTouches !== undefined) {
			const before = this.runCount;
			this.runCount = before + 1;
			let firstWrite = false;
			if (access === 'write') {
				const writes = this.writeCounts!;
				const index = this.currentIndex;
				firstWrite = writes[index] === 0;
				writes[index]!++;
			}

			// A run's first touch, and its first write (write-only categories are witnessed there).
			if (before === 0 || firstWrite) {
				this.record(this.firstCount++, pfn, fields, via, access);
				this.attention = 1;
			}

			return;
		}

		const count = this.touchCount;
		this.touchCount = count + 1;
		this.record(count, pfn, fields, via, access);
	}

	/** Write touch `count` to its slot (kept out of touch() so that touch() stays small enough to inline). */
	private record(count: number, pfn: number, fields: readonly PageField[], via: string, access: Access): void {
		const {slots} = this;
		const run = this.cursor.runs[this.currentIndex]!;
		const slot = slots[count];
		if (slot === undefined) {
			// Fill up to `count` (no holes).
			while (slots.length <= count) {
				slots.push(new TouchSlot(pfn, run, fields, via, access));
			}
		} else {
			slot.pfn = pfn;
			slot.run = run;
			slot.fields = fields;
			slot.via = via;
			slot.access = access;
		}
	}
}

export type CountingContext = RecordingContext & {
	/**
	Set: count touches per run instead of recording them (per-pfn mode). The count of the run of
	the last lookup is written to the array when the run changes, on flushCounts() and when this
	is set again (to undefined when done).
	*/
	counts: Float64Array | undefined;
	/** While counting: write the count of the current run to `counts` (before the counts are read). */
	flushCounts(): void;
	/** Set with `counts`: write touches per run. */
	writeCounts: Float64Array | undefined;
	/** While counting: the first touches of runs since the engine last took them, in slots [0, firstCount). */
	firstCount: number;
	/** Not 0 once a step has called stop(), met a violation or taken a run's first touch; the engine sets it back to 0. */
	attention: number;
};

export function createStepContext(model: Model): CountingContext {
	return new StepContextImpl(model);
}

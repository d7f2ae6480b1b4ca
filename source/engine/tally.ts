/**
Counting touches per category and picking witnesses, for one walker at one phase.

Witness rule (the same in both evaluation modes): for each category but `ok`, the first `limit`
touches in walk order whose pfn lies in a model run not yet witnessed for that category. In runs
mode a stretch touches the same runs at every iteration point, so its first point — the one the
step is evaluated at — is exactly where per-pfn mode would take the witness. `ok` (initialized
memmap of online memory) gets no witnesses: every walker touches it, and a sentence saying so is
noise next to the cells that matter.

Write-only categories (`hvo`, source/model/categories.ts FAIL_WHEN_WRITTEN): only write touches
fail (a read of a read-only aliased struct page is harmless), so their failing count is the
run's write count, and their witness is the first *write* touch of a run not yet witnessed; reads
of them get no witness. Both modes record a run's first write as well as its first touch.
*/
import {CATEGORY_IDS, type CategoryId, FAIL_WHEN_WRITTEN} from '../model/categories.js';
import type {Model} from '../model/types.js';
import type {Touch} from './context.js';
import {isFailingTouch} from './fail-on.js';
import type {Tally, Witness} from './types.js';
import {buildWitness, type WitnessScope} from './witness.js';

export const CATEGORY_COUNT = CATEGORY_IDS.length;

/** Index of `ok`, the category without witnesses. */
const OK = CATEGORY_IDS.indexOf('ok');
/** Per category index: whether only its write touches fail (and get witnesses). */
const WRITE_ONLY = CATEGORY_IDS.map(id => FAIL_WHEN_WRITTEN.includes(id));

/** A Tally with every category at 0. */
export function emptyTally(): Tally {
	return Object.fromEntries(CATEGORY_IDS.map(id => [id, 0])) as Tally;
}

export function addTallies(into: Tally, from: Tally): void {
	for (const id of CATEGORY_IDS) {
		into[id] += from[id];
	}
}

export function tallyTotal(tally: Tally): number {
	let total = 0;
	for (const id of CATEGORY_IDS) {
		total += tally[id];
	}

	return total;
}

/** The per-run count arrays of a tally. */
type RunCounts = {readonly touches: Float64Array; readonly writes: Float64Array; readonly seen: Uint8Array};

/**
Per-run count arrays of finished tallies, by the runs they count, zeroed: the next walker of the
same model takes them instead of allocating its own (release()). Three arrays of a model's run
count per walker and phase were allocated outside the heap and dropped: 0.4 MB per walker at
10 000 topology entries, 4 MB at 100 000, enough to set off full collections.
*/
const SPARE = new WeakMap<Model['runs'], RunCounts[]>();

/**
Touch counts of one walker at one phase. The hot path counts per model run (a run has one
category and one failing answer), so a touch costs an array increment; category tallies are
summed from the runs when asked. The first touch of a run is where a witness may be taken:
a run is one (category, run) cell entry, so "a run not yet witnessed for that category" is
"a run not touched before".
*/
export class TouchTally {
	readonly witnesses: Witness[] = [];
	private fresh = 0;
	/** Touches per model run (per-pfn mode lets the context count into it directly). */
	readonly runTouches: Float64Array;
	/** Write touches (Access 'write') per model run. */
	readonly runWrites: Float64Array;
	private readonly touchedRuns: number[] = [];
	/** For each touched run (same order): its category index and whether its touches fail. */
	private readonly touchedCategory: number[] = [];
	private readonly touchedFailing: boolean[] = [];
	/** For each touched run (same order): whether only its writes fail (a write-only category). */
	private readonly touchedWriteOnly: boolean[] = [];
	/** Per model run: 1 once registered (first touch), 2 once its first write was seen as well. */
	private readonly runSeen: Uint8Array;
	private readonly witnessCount = new Int32Array(CATEGORY_COUNT);
	private readonly runs: Model['runs'];

	private released = false;

	constructor(
		model: Model,
		private readonly failOn: ReadonlySet<CategoryId>,
		private readonly limit: number,
		private readonly scope: WitnessScope,
	) {
		this.runs = model.runs;
		const n = model.runs.length;
		const counts = SPARE.get(model.runs)?.pop() ?? {touches: new Float64Array(n), writes: new Float64Array(n), seen: new Uint8Array(n)};
		this.runTouches = counts.touches;
		this.runWrites = counts.writes;
		this.runSeen = counts.seen;
	}

	/**
	Done counting (the result's tallies are taken): the per-run arrays go, zeroed, to the next tally
	of the model. Nothing reads this tally's counts afterwards; its witnesses stay.
	*/
	release(): void {
		if (this.released) {
			return;
		}

		this.released = true;
		const counts = {touches: this.runTouches.fill(0), writes: this.runWrites.fill(0), seen: this.runSeen.fill(0)};
		let spare = SPARE.get(this.runs);
		if (spare === undefined) {
			spare = [];
			SPARE.set(this.runs, spare);
		}

		spare.push(counts);
	}

	/** Count `touch` `times` times (once per iteration point of a stretch). */
	add(touch: Touch, times: number): void {
		const {index} = touch.run;
		const before = this.runTouches[index]!;
		const write = touch.access === 'write';
		if (before === 0 || (write && this.runWrites[index] === 0)) {
			this.firstTouch(touch);
		}

		this.runTouches[index] = before + times;
		if (write) {
			this.runWrites[index] = this.runWrites[index]! + times;
		}
	}

	/** After a step counted by the context: take witnesses of the runs it touched (or wrote) first. */
	firstTouches(ctx: {firstCount: number; touchAt(i: number): Touch}): void {
		for (let i = 0; i < ctx.firstCount; i++) {
			this.firstTouch(ctx.touchAt(i));
		}

		ctx.firstCount = 0;
	}

	/** Touches per category so far. */
	get touches(): Tally {
		return this.sum(false);
	}

	/** Failing touches per category so far. */
	get failing(): Tally {
		return this.sum(true);
	}

	/** Write touches per category so far (a subset of `touches`): the categories reached through a write. */
	get writes(): Tally {
		return this.sum(false, this.runWrites);
	}

	/** Witnesses found since the previous call. */
	takeFresh(): Witness[] {
		const fresh = this.witnesses.slice(this.fresh);
		this.fresh = this.witnesses.length;
		return fresh;
	}

	/** O(touched runs) with no lookups: progress snapshots call it on every interval. */
	private sum(onlyFailing: boolean, counts: Float64Array = this.runTouches): Tally {
		const sums = new Float64Array(CATEGORY_COUNT);
		const {touchedRuns, touchedCategory, touchedFailing, touchedWriteOnly, runWrites} = this;
		const runTouches = counts;
		for (let i = 0; i < touchedRuns.length; i++) {
			if (!onlyFailing || touchedFailing[i]) {
				const c = touchedCategory[i]!;
				// A write-only category fails by its writes alone.
				const from = onlyFailing && touchedWriteOnly[i] ? runWrites : runTouches;
				sums[c] = sums[c]! + from[touchedRuns[i]!]!;
			}
		}

		const tally = emptyTally();
		for (let c = 0; c < CATEGORY_COUNT; c++) {
			tally[CATEGORY_IDS[c]!] = sums[c]!;
		}

		return tally;
	}

	/** A run's first touch, or its first write (write-only categories take their witness there). */
	private firstTouch(touch: Touch): void {
		const {run} = touch;
		if (this.runs[run.index] !== run) {
			throw new Error(`internal: a touched run is not Model.runs[${run.index}]`);
		}

		const category = CATEGORY_IDS.indexOf(run.state.category);
		if (category < 0) {
			throw new Error(`internal: model run ${run.index} has the unknown category ${String(run.state.category)}`);
		}

		const seen = this.runSeen[run.index]!;
		const write = touch.access === 'write';
		if (seen === 2 || (seen === 1 && !write)) {
			return;
		}

		this.runSeen[run.index] = write ? 2 : 1;
		const writeOnly = WRITE_ONLY[category]!;
		const failing = isFailingTouch(this.failOn, run.state);
		if (seen === 0) {
			this.touchedRuns.push(run.index);
			this.touchedCategory.push(category);
			this.touchedFailing.push(failing);
			this.touchedWriteOnly.push(writeOnly);
		}

		// A run's first touch gives the witness; of a write-only category, its first write does.
		const witnessHere = writeOnly ? write : seen === 0;
		if (witnessHere && category !== OK && this.witnessCount[category]! < this.limit) {
			this.witnessCount[category]!++;
			this.witnesses.push(buildWitness(this.scope, run.state.category, touch, failing));
		}
	}
}

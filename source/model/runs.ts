/**
From the replay state to Model.runs: maximal runs over [0, end_pfn), each with a fully computed
PfnState (facts, every predicate, category, reason), adjacent runs with equal state merged.
Work is proportional to the number of state boundaries, never to the number of pfns.
*/
import {InternalError} from '../errors/internal-error.js';
import {hex} from './geometry.js';
import {hasSubsections} from './context.js';
import {classify} from './classify.js';
import {factsAt, stateBoundaries} from './facts.js';
import {flatten} from './packed-strings.js';
import {predicateAnswers} from './predicates/index.js';
import {type OnlinePageAnswer, pfn_to_online_page} from './predicates/pfn-to-online-page.js';
import {type PfnValidAnswer, pfn_valid} from './predicates/pfn-valid.js';
import type {ModelState} from './state.js';
import type {TopologyEntry} from '../topology/types.js';
import type {PfnState, Run} from './types.js';

export function pfnStateAt(state: ModelState, pfn: number, entries: readonly TopologyEntry[]): PfnState {
	const {ctx} = state;
	const facts = factsAt(state, pfn);
	// pfn_valid() and pfn_to_online_page() once, for the answers and for the detail.
	const valid = pfn_valid(ctx, facts);
	const online = pfn_to_online_page(ctx, facts);
	const predicates = predicateAnswers(ctx, facts, valid, online);
	const {category, reason, uninitialized} = classify(ctx, facts, predicates, entries);
	return {
		section_nr_in_range: facts.section_nr_in_range,
		upper_bits_ok: facts.upper_bits_ok,
		section: facts.section,
		subsection_valid: hasSubsections(ctx) && facts.section.usage && facts.subsection_bit,
		memblock_memory: facts.memblock_memory,
		memblock_nomap: facts.memblock_nomap,
		memmap: facts.memmap,
		pgmap: facts.pgmap ? facts.pgmap.id : null,
		altmap_part: facts.altmap_part,
		entry: facts.entry,
		predicates,
		category,
		uninitialized,
		reason,
		detail: detailOf(valid, online, predicates),
	};
}

/**
One object for equal values: a 100 000-entry model has hundreds of thousands of runs but a few
hundred distinct section, memmap, predicate and detail values, and equal states recur away from
each other (every hot-added block in the same state). Sharing them keeps the model (and its
serialized form, which keeps shared references: source/engine/audit.ts) small. Values are
compared by their JSON, as runs always were.
*/
class Interner {
	private readonly byJson = new Map<string, object>();
	/**
	The JSON-equal shared value of objects already seen (memmap and section values come from the
	RangeMaps, many times). A Map, not a WeakMap: the interner lives as long as one computeRuns()
	and the objects as long as the replay state, and a WeakMap's entries (ephemerons) are work for
	every young-generation collection — with some 20 000 of them most of the collections' time in
	a 10 000-entry build.
	*/
	private readonly byObject = new Map<object, object>();

	/**
	`fresh`: the value is a new object that will not be seen again (predicates and detail, made per
	segment), not worth remembering by identity: a WeakMap entry per segment was much of the GC of
	a 10 000-entry build.
	*/
	intern<T extends object | undefined>(value: T, fresh = false, flat = false): T {
		if (value === undefined) {
			return value;
		}

		const seen = fresh ? undefined : this.byObject.get(value);
		if (seen !== undefined) {
			return seen as T;
		}

		const key = (flat ? this.flatKey(value) : undefined) ?? JSON.stringify(value);
		let shared = this.byJson.get(key);
		if (shared === undefined) {
			shared = value;
			this.byJson.set(key, shared);
		}

		if (!fresh) {
			this.byObject.set(value, shared);
		}

		return shared as T;
	}

	private readonly details = new Map<string, Map<string, NonNullable<PfnState['detail']>>>();

	/**
	intern() for a state's detail, a new object per segment: two details have equal JSON exactly
	when their two strings are equal, so they are found by the strings (constants, their hashes
	cached) rather than by a JSON string built and hashed for each.
	*/
	internDetail(detail: NonNullable<PfnState['detail']>): NonNullable<PfnState['detail']> {
		let byOnline = this.details.get(detail.pfn_valid_form);
		if (byOnline === undefined) {
			byOnline = new Map();
			this.details.set(detail.pfn_valid_form, byOnline);
		}

		const shared = byOnline.get(detail.pfn_to_online_page_by);
		if (shared !== undefined) {
			return shared;
		}

		byOnline.set(detail.pfn_to_online_page_by, detail);
		return detail;
	}

	/** The own keys of the last object flatKey() read, and the number naming that list of keys. */
	private lastNames: readonly string[] = [];
	private lastNamesId = -1;
	private readonly namesIds = new Map<string, number>();

	/**
	For an object whose values are all booleans, null or safe integers (`flat`: the predicate
	answers, one new object per segment, always with the same keys): a key equal for two such objects exactly when their JSON is (the same
	keys in the same order, the same values), cheaper than the JSON, which was most of this class's
	cost at 10 000 entries. The list of keys is named by a number, looked up only when it differs
	from the previous object's. Undefined for any other object (the caller takes its JSON); `#`
	keeps the two kinds of key apart (no JSON starts with it).
	*/
	private flatKey(value: object): string | undefined {
		const names = Object.keys(value);
		const last = this.lastNames;
		let same = names.length === last.length;
		for (let i = 0; same && i < names.length; i++) {
			same = names[i] === last[i];
		}

		if (!same) {
			const joined = JSON.stringify(names);
			let id = this.namesIds.get(joined);
			if (id === undefined) {
				id = this.namesIds.size;
				this.namesIds.set(joined, id);
			}

			this.lastNames = names;
			this.lastNamesId = id;
		}

		// Each value as a digit in base 4 of one number (true 1, false 2, null 3, a number 0 and
		// itself after the digits): one short string per object, not a string grown value by value.
		// 26 digits stay below 2^53.
		if (names.length > 26) {
			return undefined;
		}

		let digits = 0;
		let numbers = '';
		const record = value as Record<string, unknown>;
		for (const name of names) {
			const v = record[name];
			let digit: number;
			if (v === true) {
				digit = 1;
			} else if (v === false) {
				digit = 2;
			} else if (v === null) {
				digit = 3;
			} else if (Number.isSafeInteger(v)) {
				// String(-0) is "0", as JSON writes it.
				digit = 0;
				numbers += `;${v as number}`;
			} else {
				return undefined;
			}

			digits = digits * 4 + digit;
		}

		return `#${this.lastNamesId}:${digits}${numbers}`;
	}

	/** A small number naming a value intern() returned (-1 for undefined): equal numbers, equal JSON. */
	id(shared: object | undefined): number {
		if (shared === undefined) {
			return -1;
		}

		let id = this.ids.get(shared);
		if (id === undefined) {
			id = this.ids.size;
			this.ids.set(shared, id);
		}

		return id;
	}

	private readonly ids = new Map<object, number>();
}

/** Which form answered pfn_valid() and what decided pfn_to_online_page(); a user what-if patch that replaced the answer says so. */
function detailOf(valid: PfnValidAnswer, online: OnlinePageAnswer, answers: PfnState['predicates']): NonNullable<PfnState['detail']> {
	const replaced = 'replaced by a what-if patch file (predicates())';
	return {
		pfn_valid_form: valid.valid === answers.pfn_valid ? valid.form : `${valid.form}, ${replaced}`,
		pfn_to_online_page_by: online.page === answers.pfn_to_online_page ? online.decided_by : replaced,
	};
}

/**
A string equal for two states exactly when their JSON is, for a state whose object-valued parts
are interned: those parts by their id, `reason` (free text) by the number of its first sighting
in `reasons`, the rest as written. Cheaper than the JSON of the whole state, which was most of
the model build at 10 000 entries (issue 10). Joined rather than written as a template literal:
a template of fifteen parts is a tree of some fifteen ConsString nodes, and the keys of the
states map (one per distinct state: 154 000 at 100 000 entries, each then ending in its reason's
text) held some 165 MiB of them at the peak of the build; a joined key is one flat string of a few
dozen characters.
*/
function stateKey(interner: Interner, reasons: Map<string, number>, s: PfnState): string {
	let reason = reasons.get(s.reason);
	if (reason === undefined) {
		reason = reasons.size;
		reasons.set(s.reason, reason);
	}

	return [
		interner.id(s.section),
		interner.id(s.memmap),
		interner.id(s.predicates),
		interner.id(s.detail),
		s.section_nr_in_range,
		s.upper_bits_ok,
		s.subsection_valid,
		s.memblock_memory,
		s.memblock_nomap,
		s.pgmap,
		s.altmap_part,
		s.entry,
		s.category,
		s.uninitialized,
		reason,
	].join(',');
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

export function computeRuns(state: ModelState, entries: readonly TopologyEntry[]): Run[] {
	const runs: Run[] = [];
	const interner = new Interner();
	const states = new Map<string, PfnState>();
	const reasons = new Map<string, number>();
	let previousKey = '';
	// The stretches of stateSegments(state, 0, pfnLimit), read off the boundaries without a pair
	// array per stretch (225 000 of them at 100 000 entries).
	const boundaries = stateBoundaries(state, 0, state.pfnLimit);
	for (let i = 0, start = 0; i <= boundaries.length; i++) {
		const end = i < boundaries.length ? boundaries[i]! : state.pfnLimit;
		// pfnStateAt() makes a new object: its parts are replaced by the shared values in place
		// (section and memmap come from the RangeMaps, predicates and detail are new), not copied
		// into another object per segment.
		const pfnState = pfnStateAt(state, start, entries) as Mutable<PfnState>;
		pfnState.section = interner.intern(pfnState.section);
		pfnState.memmap = interner.intern(pfnState.memmap);
		pfnState.predicates = interner.intern(pfnState.predicates, true, true);
		if (pfnState.detail !== undefined) {
			pfnState.detail = interner.internDetail(pfnState.detail);
		}

		const key = stateKey(interner, reasons, pfnState);
		const last = runs.at(-1);
		if (last && key === previousKey) {
			runs[runs.length - 1] = {...last, end};
			start = end;
			continue;
		}

		let shared = states.get(key);
		if (shared === undefined) {
			// The reason, a template literal of parts (a rope), made flat here, where its parts are
			// young: the 136 000 reasons of a 100 000-entry model are some 8 MiB less flat, and laying
			// the model out for the workers (model-data.ts modelBytes()) no longer flattens them all
			// at once, which took the audit's thread 25-30 MiB more heap at its peak (issue 10).
			flatten(pfnState.reason);
			shared = pfnState;
			states.set(key, shared);
		}

		runs.push({start, end, index: runs.length, state: shared});
		previousKey = key;
		start = end;
	}

	return runs;
}

/** Binary search over runs sorted by start and tiling [0, end). */
export function findRun(runs: readonly Run[], pfn: number): Run {
	let lo = 0;
	let hi = runs.length - 1;
	while (lo < hi) {
		const mid = Math.ceil((lo + hi) / 2);
		if (runs[mid]!.start <= pfn) {
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}

	return runs[lo]!;
}

/**
The bounds of a model's runs as one array (starts[i] = runs[i].start, starts[runs.length] =
end_pfn), checked once: the runs tile [0, end_pfn) in order and each run's index is its position.
What the workers' shared layout (source/model/model-data.ts modelBytes()) and the run cursor
(source/engine/run-cursor.ts) read run bounds from.
*/
export function runStarts(runs: readonly Run[], end_pfn: number): Float64Array {
	const starts = new Float64Array(runs.length + 1);
	let expected = 0;
	for (let i = 0; i < runs.length; i++) {
		const run = runs[i]!;
		if (run.index !== i || run.start !== expected || !(run.end > run.start)) {
			throw new InternalError(`Model.runs[${i}] is [${hex(run.start)}, ${hex(run.end)}) with index ${run.index}; runs must tile [0, end_pfn) in order`);
		}

		starts[i] = run.start;
		expected = run.end;
	}

	if (expected !== end_pfn) {
		throw new InternalError(`Model.runs end at ${hex(expected)}, not at end_pfn ${hex(end_pfn)}`);
	}

	starts[runs.length] = expected;
	return starts;
}

/**
The fake port's script: for one scripted walker over one scenario at one kernel, which form is in
use, how the tallies grow as the walk advances, and which witnesses appear where. Pure; the
session (session.ts) only replays it over time.
*/
import {ERROR_STATUSES} from '../../../source/engine/aggregate.js';
import {emptyTally, tallyTotal} from '../../../source/engine/tally.js';
import type {Tally, WalkerResult, Witness} from '../../../source/engine/types.js';
import {atLeast, parseKernelVersion} from '../../../source/kernel/version.js';
import {CATEGORY_IDS, type CategoryId} from '../../../source/model/categories.js';
import {hex, pfn_to_section_nr, geometryFor} from '../../../source/model/geometry.js';
import type {AuditMeta} from '../../../source/ui/port.js';
import type {FakeScenario} from './scenarios.js';
import type {FakeForm, FakeWalker} from './walkers.js';

type Segment = {readonly offset: number; readonly start_pfn: number; readonly size: number; readonly category: CategoryId};

export type WalkerPlan = {
	readonly walker: FakeWalker;
	/** undefined: the walker does not exist at this kernel version. */
	readonly form: FakeForm | undefined;
	/** pfns walked in all. */
	readonly total: number;
	readonly segments: readonly Segment[];
	readonly density: number;
	/** Witnesses in walk order, each with the visited count at which it is found. */
	readonly witnesses: ReadonlyArray<{readonly at: number; readonly witness: Witness}>;
	/** Extra touches at the end of the walk (the what-if patch's out-of-bounds read). */
	readonly extra: Partial<Tally>;
	readonly isFailing: (category: CategoryId) => boolean;
};

function formAt(walker: FakeWalker, kernel: string): FakeForm | undefined {
	const version = parseKernelVersion(kernel);
	if (!version) {
		return undefined;
	}

	let current: FakeForm | undefined;
	for (const form of walker.history) {
		if (atLeast(version, form.since)) {
			current = form;
		}
	}

	return current;
}

function memmapNote(category: CategoryId, kernel: string): string {
	const version = parseKernelVersion(kernel);
	const holeInitialized = version !== undefined && atLeast(version, '5.6');
	const notes: Record<CategoryId, string> = {
		ok: 'initialized memmap of online memory',
		C1: 'the memmap was poisoned at hot-add and the memory was never onlined',
		C2: 'memmap_init_zone_device() initialized the memmap',
		C3: 'the pfn shares a section with the pgmap but lies outside its range: its memmap was never initialized',
		C4: 'memremap_pages() has not reached memmap_init_zone_device() yet',
		C5: 'a vmem_altmap.reserve page: never initialized',
		metadata: 'altmap memmap storage: initialized, but without a pgmap',
		hole: holeInitialized ? 'a hole initialized as PG_reserved by init_unavailable_range()' : 'a hole whose memmap was never initialized (before v5.6)',
		nomap: 'a MEMBLOCK_NOMAP pfn',
		teardown: 'memunmap_pages() killed the ref and poisoned the memmap',
		unbacked: 'no memmap behind the pfn: the access faults',
		oob: '__nr_to_section() indexed mem_section beyond NR_MEM_SECTIONS',
		hvo: 'a HugeTLB tail struct page that hugetlb vmemmap optimization mapped read-only',
	};
	return notes[category];
}

/** A strided walker still touches a region it crosses at least once. */
function segmentTouches(walked: number, size: number, density: number): number {
	const touches = Math.floor(walked * density);
	return walked === size && walked > 0 ? Math.max(1, touches) : touches;
}

/** Plan one walker over a scenario. */
export function planWalker(walker: FakeWalker, scenario: FakeScenario, meta: AuditMeta): WalkerPlan {
	const form = formAt(walker, meta.kernel);
	const version = parseKernelVersion(meta.kernel);
	if (!version) {
		throw new Error(`internal: fake port given unknown kernel ${meta.kernel}`);
	}

	const g = geometryFor(scenario.arch, version);
	const density = form?.density ?? 1;
	const segments: Segment[] = [];
	let offset = 0;
	for (const region of meta.map) {
		const size = region.end_pfn - region.start_pfn;
		segments.push({offset, start_pfn: region.start_pfn, size, category: region.category});
		offset += size;
	}

	const failOn = new Set<CategoryId>(meta.fail_on);
	const isFailing = (category: CategoryId): boolean => {
		if (category === 'hole') {
			return !atLeast(version, '5.6');
		}

		if (category === 'nomap') {
			return !atLeast(version, '5.14');
		}

		return failOn.has(category);
	};

	const reach = new Set(form?.reach ?? []);
	const witnesses: Array<{at: number; witness: Witness}> = [];
	for (const category of reach) {
		if (category === 'ok') {
			continue;
		}

		const mine = segments.filter(segment => segment.category === category);
		const pfns = mine.reduce((sum, segment) => sum + segment.size, 0);
		const touches = mine.reduce((sum, segment) => sum + segmentTouches(segment.size, segment.size, density), 0);
		const limit = Math.min(walker.witnessLimit ?? 24, touches);
		for (let k = 0; k < limit; k++) {
			let position = Math.floor((k * pfns) / limit);
			for (const segment of mine) {
				if (position < segment.size) {
					const pfn = segment.start_pfn + Math.floor(position * density) / density;
					witnesses.push({
						at: segment.offset + (pfn - segment.start_pfn),
						witness: {
							category,
							pfn,
							section_nr: pfn_to_section_nr(g, pfn),
							chain: walker.chain,
							fields: walker.fields,
							access: 'read',
							why: `${walker.chain.at(-1) ?? walker.name}() read page->${walker.fields[0] ?? 'flags'} of pfn ${hex(pfn)}: ${memmapNote(category, meta.kernel)}; "${form?.form ?? ''}" let it through.`,
							phase: 'final',
							failing: isFailing(category),
						},
					});
					break;
				}

				position -= segment.size;
			}
		}
	}

	witnesses.sort((a, b) => a.at - b.at);
	// The what-if patch arm64-pfn-valid-v2: before v5.18 its pfn_valid() reads mem_section out of bounds.
	const extra: Partial<Tally> =
		meta.patches.includes('arm64-pfn-valid-v2') && !atLeast(version, '5.18') && form?.form.startsWith('pfn_valid') ? {oob: 1} : {};
	return {walker, form, total: offset, segments, density, witnesses, extra, isFailing};
}

/** Touches and failing touches after `visited` pfns of the walk. */
export function tallyAt(plan: WalkerPlan, visited: number): {touches: Tally; failing: Tally} {
	const touches = emptyTally();
	const failing = emptyTally();
	const reach = new Set(plan.form?.reach ?? []);
	for (const segment of plan.segments) {
		if (!reach.has(segment.category)) {
			continue;
		}

		const walked = Math.min(Math.max(visited - segment.offset, 0), segment.size);
		touches[segment.category] += segmentTouches(walked, segment.size, plan.density);
	}

	if (visited >= plan.total) {
		for (const [category, count] of Object.entries(plan.extra) as Array<[CategoryId, number]>) {
			touches[category] += count;
		}
	}

	for (const category of CATEGORY_IDS) {
		failing[category] = plan.isFailing(category) ? touches[category] : 0;
	}

	return {touches, failing};
}

/** The walker's result once it stops at `visited` with `status`. */
export function resultOf(plan: WalkerPlan, visited: number, status: WalkerResult['status'], error?: string): WalkerResult {
	const {touches, failing} = tallyAt(plan, visited);
	// The engine's rule (engine/aggregate.ts combineJobs()).
	const verdict: WalkerResult['verdict'] = ERROR_STATUSES.includes(status) ? 'error' : tallyTotal(failing) > 0 ? 'fail' : 'pass';
	return {
		name: plan.walker.name,
		models: plan.walker.models,
		form: plan.form ? `v${plan.form.since}+: ${plan.form.form}` : '',
		guard: plan.form?.form ?? '',
		file: plan.walker.file ?? `walkers/${plan.walker.name}.ts`,
		builtin: plan.walker.file === undefined,
		status,
		...(error === undefined ? {} : {error}),
		pfns_visited: plan.form ? visited : 0,
		touches,
		failing,
		witnesses: plan.witnesses.filter(entry => entry.at < visited).map(entry => entry.witness),
		verdict,
	};
}

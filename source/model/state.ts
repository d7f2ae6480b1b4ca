/**
The mutable state of a replay: everything the kernel keeps per section and per pfn, held as
RangeMaps so that memory never grows with the number of pfns.

- `sections`: struct mem_section flags by section number, [0, NR_MEM_SECTIONS).
- `bootSections`: sections memory_present() marked at boot (the "early" concept, independent of
  whether the kernel version has SECTION_IS_EARLY).
- `subsections`: ms->usage->subsection_map bits, by pfn (set at subsection granularity).
- `memmap`: what each struct page holds.
- `memblock`: memblock.memory and MEMBLOCK_NOMAP.
- `owner`: the topology entry a pfn belongs to.
*/
import type {ModelContext} from './context.js';
import {RangeMap} from './range-map.js';
import type {DevPagemap, MemmapState, SectionState} from './types.js';
import type {ZoneRec} from './zones.js';

export type MemblockFlag = 'none' | 'memory' | 'nomap';

export const NO_SECTION: SectionState = {
	present: false,
	valid: false,
	online: false,
	early: false,
	taint_zone_device: false,
	taint_from_nid: false,
	usage: false,
	nid: 0,
};

export const UNBACKED: MemmapState = {content: 'unbacked', writer: 'none (no memmap is mapped here)'};

/** A pgmap during the replay; frozen into DevPagemap for the Model. */
export type PgmapRec = {
	-readonly [K in keyof DevPagemap]: DevPagemap[K];
} & {
	/** What __add_pages()/move_pfn_range_to_zone() were given: the range itself from v5.3, section-aligned before. */
	span_start: number;
	span_end: number;
	/** Where memmap_init_zone_device() (or, before v4.20, the page->pgmap loop) starts. */
	init_start: number;
	/** Exclusive end of that loop. */
	init_end: number;
	/** Phase the device is at (P1..P7, T1..T4). */
	phase: string;
};

export function sectionEquals(a: SectionState, b: SectionState): boolean {
	return (
		a.present === b.present &&
		a.valid === b.valid &&
		a.online === b.online &&
		a.early === b.early &&
		a.taint_zone_device === b.taint_zone_device &&
		a.taint_from_nid === b.taint_from_nid &&
		a.usage === b.usage &&
		a.nid === b.nid
	);
}

export function memmapEquals(a: MemmapState, b: MemmapState): boolean {
	return (
		a.content === b.content &&
		a.zone === b.zone &&
		a.nid === b.nid &&
		a.pgmap === b.pgmap &&
		a.reserved === b.reserved &&
		a.offline === b.offline &&
		a.self_hosted === b.self_hosted &&
		a.compound?.order === b.compound?.order &&
		a.compound?.unique === b.compound?.unique &&
		a.hugetlb?.order === b.hugetlb?.order &&
		a.hugetlb?.part === b.hugetlb?.part &&
		a.hugetlb?.alias === b.hugetlb?.alias &&
		a.writer === b.writer
	);
}

export class ModelState {
	readonly sections: RangeMap<SectionState>;
	readonly bootSections: RangeMap<boolean>;
	readonly subsections: RangeMap<boolean>;
	readonly memmap: RangeMap<MemmapState>;
	readonly memblock: RangeMap<MemblockFlag>;
	readonly owner: RangeMap<number | null>;
	/** Every pgmap in registration order (PgmapRec.id is the index); add with addPgmap(). */
	readonly pgmaps: PgmapRec[] = [];
	private readonly pgmapIndex = new PgmapIndex();
	readonly zones: ZoneRec[] = [];
	/** The zone each onlined hotplug entry went to (for offline_pages()). */
	readonly onlinedZone = new Map<number, ZoneRec>();
	max_pfn = 0;
	min_low_pfn = 0;

	constructor(
		readonly ctx: ModelContext,
		/** Exclusive upper bound of every pfn-keyed map (Model.end_pfn). */
		readonly pfnLimit: number,
	) {
		this.sections = new RangeMap<SectionState>(NO_SECTION, ctx.g.NR_MEM_SECTIONS, sectionEquals);
		this.bootSections = new RangeMap<boolean>(false, ctx.g.NR_MEM_SECTIONS);
		this.subsections = new RangeMap<boolean>(false, pfnLimit);
		this.memmap = new RangeMap<MemmapState>(UNBACKED, pfnLimit, memmapEquals);
		this.memblock = new RangeMap<MemblockFlag>('none', pfnLimit);
		this.owner = new RangeMap<number | null>(null, pfnLimit);
	}

	/** Set fields of every section overlapping the pfn range [start, end). */
	updateSections(start: number, end: number, fn: (old: SectionState) => SectionState): void {
		const {g} = this.ctx;
		const first = Math.floor(start / g.PAGES_PER_SECTION);
		const last = Math.ceil(end / g.PAGES_PER_SECTION);
		this.sections.update(first, last, old => fn(old));
	}

	sectionAt(nr: number): SectionState {
		return nr < this.ctx.g.NR_MEM_SECTIONS ? this.sections.get(nr) : NO_SECTION;
	}

	zone(nid: number, name: string): ZoneRec | undefined {
		return this.zones.find(zone => zone.nid === nid && zone.name === name);
	}

	/** Register a pgmap (memremap_pages() P1). */
	addPgmap(pgmap: PgmapRec): void {
		this.pgmaps.push(pgmap);
		this.pgmapIndex.add(pgmap, this.ctx.g.PAGES_PER_SECTION);
	}

	/** The pgmap of topology entry `entry`, if registered. */
	pgmapOfEntry(entry: number): PgmapRec | undefined {
		return this.pgmapIndex.byEntry.get(entry);
	}

	/**
	Every pgmap that may hold a point in (lo, hi): a superset found through the index, in no
	particular order. Every fact a pgmap contributes lies in its section-aligned span.
	*/
	pgmapsNear(lo: number, hi: number): readonly PgmapRec[] {
		return this.pgmapIndex.near(this.pgmaps, lo, hi);
	}

	/** The pgmap whose xarray entry holds pfn (pgmap_array contents, whatever the ref state): the first registered. */
	pgmapAt(pfn: number): PgmapRec | null {
		let found: PgmapRec | null = null;
		for (const pgmap of this.pgmapsNear(pfn - 1, pfn + 1)) {
			if (pgmap.in_xarray && pfn >= pgmap.start_pfn && pfn < pgmap.end_pfn && (!found || pgmap.id < found.id)) {
				found = pgmap;
			}
		}

		return found;
	}
}

const NO_PGMAPS: readonly PgmapRec[] = [];

/**
Where the pgmaps are, for queries that must not visit every pgmap: sorted by start_pfn. Device
entries never overlap (topology validation, source/topology/overlaps.ts), so their ends are sorted
too and a binary search finds the first that can reach a pfn; each pgmap's facts lie within
`left` pfns before its start and `right` pfns after its end (the section alignment of its span).
If ranges ever overlap the index falls back to visiting every pgmap.
*/
class PgmapIndex {
	readonly byEntry = new Map<number, PgmapRec>();
	private readonly sorted: PgmapRec[] = [];
	private disjoint = true;
	private left = 0;
	private right = 0;

	add(pgmap: PgmapRec, pagesPerSection: number): void {
		if (!this.byEntry.has(pgmap.entry)) {
			this.byEntry.set(pgmap.entry, pgmap);
		}

		const lo = Math.min(pgmap.start_pfn, pgmap.span_start, pgmap.init_start, pgmap.init_cursor, pgmap.init_end);
		const hi = Math.max(pgmap.end_pfn, pgmap.span_end, pgmap.init_start, pgmap.init_cursor, pgmap.init_end);
		// SECTION_ALIGN_DOWN(span_start) and SECTION_ALIGN_UP(span_end) are facts too.
		this.left = Math.max(this.left, pgmap.start_pfn - lo + pagesPerSection);
		this.right = Math.max(this.right, hi - pgmap.end_pfn + pagesPerSection);
		let at = this.sorted.length;
		while (at > 0 && this.sorted[at - 1]!.start_pfn > pgmap.start_pfn) {
			at--;
		}

		const previous = this.sorted[at - 1];
		const next = this.sorted[at];
		if ((previous && previous.end_pfn > pgmap.start_pfn) || (next && next.start_pfn < pgmap.end_pfn)) {
			this.disjoint = false;
		}

		this.sorted.splice(at, 0, pgmap);
	}

	near(all: readonly PgmapRec[], lo: number, hi: number): readonly PgmapRec[] {
		if (!this.disjoint) {
			return all;
		}

		const {sorted} = this;
		// First pgmap whose end + right > lo.
		let a = 0;
		let b = sorted.length;
		while (a < b) {
			const mid = Math.floor((a + b) / 2);
			if (sorted[mid]!.end_pfn + this.right > lo) {
				b = mid;
			} else {
				a = mid + 1;
			}
		}

		if (a === sorted.length || sorted[a]!.start_pfn - this.left >= hi) {
			// Most pfns have no pgmap near them: no array made for them.
			return NO_PGMAPS;
		}

		const out: PgmapRec[] = [];
		for (let i = a; i < sorted.length && sorted[i]!.start_pfn - this.left < hi; i++) {
			out.push(sorted[i]!);
		}

		return out;
	}
}

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
	/** What __add_pages()/move_pfn_range_to_zone() were given: the range itself from v5.3, section-aligned before (memory-model.md §4.3 History). */
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
	readonly pgmaps: PgmapRec[] = [];
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

	/** The pgmap whose xarray entry holds pfn (pgmap_array contents, whatever the ref state). */
	pgmapAt(pfn: number): PgmapRec | null {
		for (const pgmap of this.pgmaps) {
			if (pgmap.in_xarray && pfn >= pgmap.start_pfn && pfn < pgmap.end_pfn) {
				return pgmap;
			}
		}

		return null;
	}
}

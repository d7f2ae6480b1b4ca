/**
`pfnaudit explain`: everything the model knows about one pfn, as a JSON object (README.md, Commands) plus a few
extra keys (pure; the text form is in explain-text.ts).
*/
import {before} from '../kernel/version.js';
import {CATEGORY_TITLES, type CategoryId} from './categories.js';
import {hasSubsections} from './context.js';
import {hex, PFN_PHYS, pfn_to_section_nr, SECTION_NR_TO_ROOT, subsection_map_index} from './geometry.js';
import type {MemmapContent, Model, SectionState, ZoneName} from './types.js';
import {absentPredicates} from './predicates/presence.js';

export type ExplainResult = {
	readonly pfn: string;
	/** Physical address of the pfn (absent past 2^53). */
	readonly address: string | null;
	readonly topology: string;
	readonly arch: string;
	readonly kernel: string;
	readonly patches: readonly string[];
	readonly phase: string;
	readonly section_nr: number;
	/** The mem_section flags (SectionState without the early nid). */
	readonly section: Omit<SectionState, 'nid'>;
	/** mem_section root index and whether __nr_to_section() stays inside the root array. */
	readonly mem_section_root: {readonly index: number; readonly nr_section_roots: number; readonly in_bounds: boolean};
	readonly section_nr_in_range: boolean;
	readonly upper_bits_ok: boolean;
	readonly subsection_valid: boolean;
	/** subsection_map_index(pfn), or null where subsections do not exist (before v5.3 or without VMEMMAP). */
	readonly subsection_index: number | null;
	readonly memblock: {readonly memory: boolean; readonly nomap: boolean};
	readonly memmap: {
		readonly state: MemmapContent;
		readonly zone: ZoneName | null;
		readonly nid: number | null;
		readonly pgmap: string | null;
		readonly reserved: boolean;
		readonly offline: boolean;
		/** A HugeTLB page's struct page (source/model/hugetlb-vmemmap.ts): its order, what a read sees, and whether HVO mapped it read-only. Absent elsewhere. */
		readonly hugetlb?: {readonly order: number; readonly part: 'head' | 'tail' | 'fake_head'; readonly read_only_alias: boolean};
		readonly writer: string;
	};
	readonly pgmap: {
		readonly label: string;
		readonly type: string;
		readonly range: readonly [string, string];
		readonly ref: 'live' | 'dead';
		readonly in_xarray: boolean;
		readonly phase: string | null;
		readonly pfn_first: string;
		readonly altmap_part: 'reserve' | 'free' | 'data' | null;
	} | null;
	readonly category: CategoryId;
	readonly category_title: string;
	readonly uninitialized: boolean;
	readonly reason: string;
	readonly predicates: {
		readonly pfn_valid: boolean;
		readonly pfn_to_online_page: boolean;
		readonly get_dev_pagemap: boolean;
		readonly pgmap_pfn_valid: boolean;
		readonly online_section: boolean;
		readonly early_section: boolean;
		readonly present_section: boolean;
		readonly valid_section: boolean;
		readonly online_device_section: boolean;
		readonly pfn_section_valid: boolean;
		readonly pfn_in_present_section: boolean;
		readonly pfn_valid_within: boolean;
		readonly memblock_is_map_memory: boolean;
		readonly memblock_is_memory: boolean;
	};
	/**
	The listed predicates that do not exist in this kernel (added later or already removed), each
	with since or until when and what pfnaudit answers for it (predicates/presence.ts).
	*/
	readonly absent: Readonly<Record<string, string>>;
	/** Which kernel form answered and which test decided (when known). */
	readonly forms: {readonly pfn_valid: string; readonly pfn_to_online_page: string} | null;
	/** mem_section was indexed out of bounds on the way (an `oob` touch). */
	readonly oob: {readonly pfn_valid: boolean; readonly pfn_to_online_page: boolean};
	readonly run: {readonly start: string; readonly end: string; readonly index: number};
	readonly entry: string | null;
	readonly notes: readonly string[];
};

export function explainPfn(model: Model, pfn: number): ExplainResult {
	const g = model.geometry;
	const run = model.runAt(pfn);
	const {state} = run;
	const nr = pfn_to_section_nr(g, pfn);
	const root = SECTION_NR_TO_ROOT(g, nr);
	const address = PFN_PHYS(g, pfn);
	const subsections = hasSubsections({kernel: model.kernel, config: model.topology.config});
	const pgmap = state.pgmap === null ? undefined : model.pgmaps[state.pgmap];
	const memmapPgmap = state.memmap.pgmap === undefined || state.memmap.pgmap === null ? null : (model.pgmaps[state.memmap.pgmap]?.label ?? `#${state.memmap.pgmap}`);
	// Notes about the kernel selection first (an LTS series without its stable preset, ...).
	const notes: string[] = [...(model.notes ?? [])];
	if (!subsections) {
		notes.push(before(model.kernel, '5.3') ? 'no subsection map before v5.3: validity is per section' : 'no subsection map without CONFIG_SPARSEMEM_VMEMMAP: pfn_section_valid() is 1');
	}

	if (state.section.taint_from_nid) {
		notes.push('SECTION_TAINT_ZONE_DEVICE comes from the early nid (SECTION_NID_SHIFT 3, v5.12-v5.14): slow path only, no collision');
	}

	if (!state.section_nr_in_range) {
		notes.push(`section number >= NR_MEM_SECTIONS (${hex(g.NR_MEM_SECTIONS)}): every mainline predicate returns before touching mem_section`);
	}

	if (state.predicates.pfn_valid_oob) {
		notes.push('pfn_valid() reads mem_section out of bounds: root index past NR_SECTION_ROOTS (__nr_to_section() has no root bound before v5.18 and its stable backport a431dbbc5405)');
	}

	return {
		pfn: hex(pfn),
		address: Number.isSafeInteger(address) ? hex(address) : null,
		topology: model.topology.name,
		arch: g.arch,
		kernel: model.kernel.label,
		patches: [...model.patches],
		phase: model.phase.id,
		section_nr: nr,
		section: {
			present: state.section.present,
			valid: state.section.valid,
			online: state.section.online,
			early: state.section.early,
			taint_zone_device: state.section.taint_zone_device,
			taint_from_nid: state.section.taint_from_nid,
			usage: state.section.usage,
		},
		mem_section_root: {index: root, nr_section_roots: g.NR_SECTION_ROOTS, in_bounds: root < g.NR_SECTION_ROOTS},
		section_nr_in_range: state.section_nr_in_range,
		upper_bits_ok: state.upper_bits_ok,
		subsection_valid: state.subsection_valid,
		subsection_index: subsections ? subsection_map_index(g, pfn) : null,
		memblock: {memory: state.memblock_memory, nomap: state.memblock_nomap},
		memmap: {
			state: state.memmap.content,
			zone: state.memmap.zone ?? null,
			nid: state.memmap.nid ?? null,
			pgmap: memmapPgmap,
			reserved: state.memmap.reserved ?? false,
			offline: state.memmap.offline ?? false,
			...(state.memmap.hugetlb
				? {hugetlb: {order: state.memmap.hugetlb.order, part: state.memmap.hugetlb.part, read_only_alias: state.memmap.hugetlb.alias}}
				: {}),
			writer: state.memmap.writer,
		},
		pgmap: pgmap
			? {
					label: pgmap.label,
					type: pgmap.type,
					range: [hex(pgmap.start_pfn), hex(pgmap.end_pfn)],
					ref: pgmap.ref,
					in_xarray: pgmap.in_xarray,
					phase: pgmap.phase ?? null,
					pfn_first: hex(pgmap.pfn_first ?? pgmap.start_pfn),
					altmap_part: state.altmap_part,
				}
			: null,
		category: state.category,
		category_title: CATEGORY_TITLES[state.category],
		uninitialized: state.uninitialized,
		reason: state.reason,
		predicates: {
			pfn_valid: state.predicates.pfn_valid,
			pfn_to_online_page: state.predicates.pfn_to_online_page,
			get_dev_pagemap: state.predicates.get_dev_pagemap !== null,
			pgmap_pfn_valid: state.predicates.pgmap_pfn_valid,
			online_section: state.predicates.online_section,
			early_section: state.predicates.early_section,
			present_section: state.predicates.present_section,
			valid_section: state.predicates.valid_section,
			online_device_section: state.predicates.online_device_section,
			pfn_section_valid: state.predicates.pfn_section_valid,
			pfn_in_present_section: state.predicates.pfn_in_present_section,
			pfn_valid_within: state.predicates.pfn_valid_within,
			memblock_is_map_memory: state.predicates.memblock_is_map_memory,
			memblock_is_memory: state.predicates.memblock_is_memory,
		},
		absent: absentPredicates(model),
		forms: state.detail ? {pfn_valid: state.detail.pfn_valid_form, pfn_to_online_page: state.detail.pfn_to_online_page_by} : null,
		oob: {pfn_valid: state.predicates.pfn_valid_oob, pfn_to_online_page: state.predicates.pfn_to_online_page_oob},
		run: {start: hex(run.start), end: hex(run.end), index: run.index},
		entry: state.entry === null ? null : (model.entries[state.entry]?.label ?? null),
		notes,
	};
}

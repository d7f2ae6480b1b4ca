/**
Classification of a pfn into one source/model/categories.ts category, with a reason sentence in kernel terms.

Precedence (first match wins; docs/model-facts.md "Classification"):
 1. oob       an out-of-bounds mem_section read happens on the way to this pfn's struct page
 2. teardown  ZONE_DEVICE pfn whose pgmap ref is dead (memunmap_pages())
 3. C5        altmap `reserve` pfn of a live pgmap
 4. metadata  altmap memmap-storage (`free`) pfn of a live pgmap
 5. C4        data pfn of a live pgmap not yet initialized by memmap_init_zone_device()
 6. C2        data pfn of a live pgmap, initialized, page->pgmap set
 7. C3        no pgmap, but a non-early section that holds ZONE_DEVICE (absent subsection from
              v5.3; section padding before)
 8. nomap     MEMBLOCK_NOMAP
 9. hole      early (boot) section, not memblock.memory — incl. ZONE_DEVICE subsections removed
              from an early section
10. unbacked  no memmap
11. ok        memmap_on_memory vmemmap pfns with an initialized struct page (mhp_init_memmap_on_memory()),
              also in the windows where their section is not online
12. C1        hot-added System RAM whose section is not online (memmap poison/garbage/stale)
13. hvo       initialized HugeTLB tail whose struct page HVO remapped read-only (fails on writes only)
14. ok        initialized memmap of online memory
Total: anything left with an uninitialized but mapped memmap falls back to C1, with no memmap to
unbacked.
*/
import type {CategoryId} from './categories.js';
import {hasSubsections, type ModelContext} from './context.js';
import type {PfnFacts} from './facts.js';
import {hex} from './geometry.js';
import {describeMemmap} from './memmap.js';
import {__nr_to_section} from './predicates/section.js';
import type {PredicateAnswers} from './types.js';
import type {TopologyEntry} from '../topology/types.js';

export type Classification = {
	readonly category: CategoryId;
	readonly reason: string;
	readonly uninitialized: boolean;
};

function memmapPhrase(facts: PfnFacts): string {
	return `memmap ${describeMemmap(facts.memmap)}, written by ${facts.memmap.writer}`;
}

function entryLabel(entries: readonly TopologyEntry[], index: number | null): string {
	if (index === null) {
		return 'no topology entry';
	}

	return entries[index]?.label ?? `memory[${index}]`;
}

/** Classic SPARSEMEM pfn_to_page() itself reads mem_section (no vmemmap arithmetic). */
function classicOob(ctx: ModelContext, facts: PfnFacts): boolean {
	return !ctx.config.vmemmap && !facts.section_nr_in_range && __nr_to_section(ctx, facts).kind === 'oob';
}

export function classify(ctx: ModelContext, facts: PfnFacts, answers: PredicateAnswers, entries: readonly TopologyEntry[]): Classification {
	const uninitialized = facts.memmap.content !== 'init';
	const result = (category: CategoryId, reason: string): Classification => ({category, reason, uninitialized});
	const {g} = ctx;

	if (answers.pfn_valid_oob || answers.pfn_to_online_page_oob) {
		return result(
			'oob',
			`section number >= NR_MEM_SECTIONS (${hex(g.NR_MEM_SECTIONS)}): __nr_to_section() reads the mem_section root array past NR_SECTION_ROOTS (${hex(g.NR_SECTION_ROOTS)}) before the bound check (no root bound before v5.18 and its stable backport a431dbbc5405)`,
		);
	}

	if (classicOob(ctx, facts)) {
		return result('oob', `section number >= NR_MEM_SECTIONS without SPARSEMEM_VMEMMAP: pfn_to_page() -> __pfn_to_section() reads past the mem_section root array (no root bound before v5.18 and its stable backport a431dbbc5405)`);
	}

	const {pgmap} = facts;
	if (pgmap) {
		const label = pgmap.label;
		if (pgmap.ref === 'dead') {
			return result('teardown', `${label} in memunmap_pages(): percpu_ref killed, get_dev_pagemap() returns NULL, the pfn is still in pgmap_array; ${memmapPhrase(facts)}`);
		}

		if (facts.altmap_part === 'reserve' && facts.memmap.content === 'init') {
			// Only under what-if init-altmap-reserve (source/model/proposals.ts): initialized like the memmap storage.
			return result('metadata', `altmap reserve of ${label}, initialized by memmap_init_zone() [what-if init-altmap-reserve]: PageReserved, page->pgmap NULL; ${memmapPhrase(facts)}`);
		}

		if (facts.altmap_part === 'reserve') {
			return result('C5', `altmap reserve of ${label} (pages mapped, but reserved for driver): never initialized, ${memmapPhrase(facts)}`);
		}

		if (facts.altmap_part === 'free') {
			const state = facts.memmap.content === 'init' ? 'initialized' : 'not yet initialized';
			return result('metadata', `altmap memmap storage of ${label}: ${state}, page->pgmap NULL (pgmap_pfn_valid() false from v5.12, or with backport-34dc45be4563); ${memmapPhrase(facts)}`);
		}

		const initialized = facts.memmap.content === 'init' && facts.memmap.pgmap === pgmap.id;
		if (!initialized) {
			return result(
				'C4',
				`data pfn of ${label} not yet initialized by memmap_init_zone_device() (memremap_pages() race window), while get_dev_pagemap() already succeeds; ${memmapPhrase(facts)}`,
			);
		}

		return result('C2', `ZONE_DEVICE data pfn of ${label}: initialized by memmap_init_zone_device(), page->pgmap set`);
	}

	if (facts.section_pgmap && !facts.boot_section && facts.section.present) {
		const why = hasSubsections(ctx)
			? 'its subsection is not populated'
			: 'the section was hot-added whole (before v5.3 or without SPARSEMEM_VMEMMAP)';
		return result('C3', `section partially used by ${facts.section_pgmap.label}: this pfn is outside the device range, ${why}; ${memmapPhrase(facts)}`);
	}

	if (facts.memblock_nomap) {
		return result('nomap', `MEMBLOCK_NOMAP part of ${entryLabel(entries, facts.entry)}: ${memmapPhrase(facts)}`);
	}

	if (facts.boot_section && !facts.memblock_memory) {
		return result('hole', `hole in an early section (not in memblock.memory): ${memmapPhrase(facts)}`);
	}

	if (facts.memmap.content === 'unbacked' || !facts.section.valid) {
		return result('unbacked', unbackedReason(ctx, facts));
	}

	if (facts.memmap.self_hosted && facts.memmap.content === 'init') {
		const window = facts.section.online
			? ''
			: '; the section is not online (memory_block_online() between mhp_init_memmap_on_memory() and online_pages(), or memory_block_offline() between offline_pages() and mhp_deinit_memmap_on_memory()), so pfn_to_online_page() returns NULL, but the struct page is initialized';
		return result('ok', `memmap_on_memory vmemmap pages of ${entryLabel(entries, facts.entry)}: they hold the struct pages of their memory block and never reach the buddy; ${memmapPhrase(facts)}${window}`);
	}

	if (!facts.boot_section && !facts.section.online) {
		return result('C1', `hot-added System RAM (${entryLabel(entries, facts.entry)}), section not online: ${memmapPhrase(facts)}`);
	}

	if (facts.memmap.hugetlb?.alias && !uninitialized) {
		const seen = facts.memmap.hugetlb.part === 'fake_head'
			? 'a read sees the head\'s struct page (a fake head, page_fixed_fake_head())'
			: 'a read sees a tail struct page of the kept vmemmap page';
		return result('hvo', `tail of a HugeTLB page in ${entryLabel(entries, facts.entry)} whose vmemmap hugetlb_vmemmap_optimize() remapped read-only (vmemmap_remap_pte(), PAGE_KERNEL_RO): ${seen}; a write faults`);
	}

	if (uninitialized) {
		return result('C1', `${entryLabel(entries, facts.entry)}: memmap not initialized although the section is online; ${memmapPhrase(facts)}`);
	}

	return result('ok', `online memory of ${entryLabel(entries, facts.entry)}: ${memmapPhrase(facts)}`);
}

function unbackedReason(ctx: ModelContext, facts: PfnFacts): string {
	if (!facts.upper_bits_ok) {
		return 'upper PAGE_SHIFT bits set: PFN_PHYS(pfn) wraps, there is no struct page for it';
	}

	if (!facts.section_nr_in_range) {
		return `section number >= NR_MEM_SECTIONS (${hex(ctx.g.NR_MEM_SECTIONS)}): beyond MAX_PHYSMEM_BITS, no mem_section and no memmap`;
	}

	if (!facts.section.present) {
		return 'section not present: no memmap (the vmemmap there is not mapped, the access faults)';
	}

	return 'subsection not populated in a hot-added section: no memmap behind it (the access faults)';
}

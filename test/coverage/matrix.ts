/**
The coverage matrix: for every SPEC §5 id, one built-in walker and one shipped topology at a
kernel version (and patch) where that walker touches the id — the claim "the five categories and
every further hazard are produced by at least one walker on the shipped topologies" made
checkable (test/coverage/categories.test.ts). Ids no built-in walker can produce under the
modelled kernel semantics are listed in UNREACHABLE with the reason, a sentence fit for the
README, and checked by a property test (test/coverage/unbacked.test.ts).
*/
import type {CategoryId} from '../../source/model/categories.js';

export type Region = readonly [number, number];

export type CoverageEntry = {
	readonly category: CategoryId;
	readonly walker: string;
	/** File name in topologies/, without .yaml. */
	readonly topology: string;
	/** --kernel */
	readonly kernel: string;
	/** --patch, on top of the file's own patches. */
	readonly patches?: readonly string[];
	/** Whether the touches fail under the default --fail-on set (SPEC §5). */
	readonly failing: boolean;
	/** Where the witnesses of this category lie (every failing one when `failing`); for `ok`, which has no witnesses, ranges the walker touches as `ok` at both ends. */
	readonly regions: readonly Region[];
	/** Why this walker reaches this category here, in kernel terms. */
	readonly why: string;
};

export const COVERAGE: readonly CoverageEntry[] = [
	{
		category: 'ok',
		walker: 'kpageflags_read',
		topology: 'x86-qemu-holes',
		kernel: '5.5',
		failing: false,
		regions: [
			[0x1, 0x9f],
			[0x100, 0x7_ffdc],
			[0x10_0000, 0x15_ac00],
		],
		why: 'pfn_to_online_page() (v5.4+) returns every pfn of the online boot sections',
	},
	{
		category: 'C1',
		walker: 'hwpoison_inject',
		topology: 'x86-vm-hotplug',
		kernel: '6.18',
		failing: true,
		regions: [[0x64_0000, 0x6a_0000]],
		why: 'debugfs corrupt-pfn checks pfn_valid() only, true for the offline and the offlined block (poisoned memmap)',
	},
	{
		category: 'C2',
		walker: 'memory_failure',
		topology: 'pmem-fsdax-devdax',
		kernel: '6.12',
		failing: false,
		regions: [[0x14_0000, 0x33_fc00]],
		why: 'pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid() send initialized data pfns to memory_failure_dev_pagemap() (dax_lock_folio())',
	},
	{
		category: 'C3',
		walker: 'read_page_owner',
		topology: 'showcase',
		kernel: '5.15',
		failing: true,
		regions: [[0x50_7e00, 0x50_8000]],
		why: 'pfn_valid() is asked once per 4 MiB MAX_ORDER_NR_PAGES area; the devdax range of section 0xa0 ends 2 MiB into one, and the 2 MiB after it have no memmap',
	},
	{
		category: 'C4',
		walker: 'memory_failure',
		topology: 'cxl-dax-race',
		kernel: '6.18',
		failing: true,
		regions: [[0xa9_0000, 0xb9_0000]],
		why: 'get_dev_pagemap() succeeds before memmap_init_zone_device() runs and pgmap_pfn_valid() is arithmetic [A]',
	},
	{
		category: 'C5',
		walker: 'hwpoison_inject',
		topology: 'cxl-pmem-fsdax-map-dev',
		kernel: '6.18',
		failing: true,
		regions: [
			[0xa9_0000, 0xa9_0002],
			[0xa9_8000, 0xa9_8002],
			[0xab_0000, 0xab_0002],
			[0xac_0000, 0xac_0002],
		],
		why: 'pfn_valid() is true for the 8 KiB info block of each namespace, never initialized',
	},
	{
		category: 'metadata',
		walker: 'hwpoison_inject',
		topology: 'cxl-pmem-fsdax-map-dev',
		kernel: '6.18',
		failing: true,
		regions: [
			[0xa9_0002, 0xa9_0400],
			[0xa9_8002, 0xa9_8600],
			[0xab_0002, 0xab_0600],
			[0xac_0002, 0xac_0400],
		],
		why: 'pfn_valid() is true for the altmap pfns that store the memmap (page->pgmap NULL)',
	},
	{
		category: 'hole',
		walker: 'kpageflags_read',
		topology: 'x86-qemu-holes',
		kernel: '5.5',
		failing: true,
		regions: [[0x15_ac00, 0x16_0000]],
		why: 'before abec749facff (v5.6) a read starting above max_pfn is not bounded; the tail of the partially populated last section 0x2b is online and its memmap was never initialized (v4.19-v5.5 zero_resv_unavail() stops at max_pfn)',
	},
	{
		category: 'nomap',
		walker: '__reset_isolation_suitable',
		topology: 'arm64-nomap',
		kernel: '4.20',
		failing: true,
		regions: [
			[0x0, 0x4000],
			[0x7e00, 0x7f00],
			[0x8000, 0xc000],
			[0xc200, 0x1_0000],
			[0x1_c000, 0x2_0000],
			[0x8400_0000, 0x8400_4000],
		],
		why: 'v4.20 __reset_isolation_suitable() steps pageblocks with pfn_to_online_page(), still the online-section-only macro; NOMAP pageblocks of arm64 boot sections were never initialized; b13bc35193d9 (v5.0) adds pfn_valid_within()',
	},
	{
		category: 'teardown',
		walker: 'hwpoison_inject',
		topology: 'cxl-region-teardown',
		kernel: '6.18',
		failing: true,
		regions: [[0xa9_0000, 0xb9_0000]],
		why: 'pfn_valid() is still true for dax1.0 after percpu_ref_kill() and remove_pfn_range_from_zone() poisoned its memmap',
	},
	{
		category: 'oob',
		walker: 'hwpoison_inject',
		topology: 'showcase',
		kernel: '5.15',
		failing: true,
		regions: [[2 ** 36, 2 ** 37]],
		why: 'with arm64-pfn-valid-v2, pfn_valid() calls __pfn_to_section() before the NR_MEM_SECTIONS bound; before v5.18 __nr_to_section() does not bound the root index',
	},
	{
		category: 'hvo',
		walker: 'split_huge_pages_all',
		topology: 'x86-hugetlb-hvo',
		kernel: '6.1',
		failing: true,
		regions: [[0x4_0000, 0x4_4000]],
		why: 'get_page_unless_zero() on an HVO fake head (v5.18+) finds the head\'s count and increments it in the read-only vmemmap alias, until bd225530a4c7 (v6.10)',
	},
];

/**
Ids no built-in walker produces, with the reason (for the README). Checked over random valid
topologies, every kernel version and every phase by test/coverage/unbacked.test.ts.
*/
export const UNREACHABLE: Readonly<Partial<Record<CategoryId, string>>> = {
	unbacked:
		'No built-in walker touches a pfn without a memmap: each dereferences a pfn only after pfn_valid(), pfn_to_online_page() or ' +
		'(before v5.3) valid_section() accepted that pfn or another pfn of the same pageblock or MAX_ORDER_NR_PAGES block ' +
		'(memunmap_pages() reads a pfn of its own pgmap range); those predicates are false for absent sections and past ' +
		'NR_MEM_SECTIONS, and such blocks never cross a section (include/linux/mmzone.h: "Allocator MAX_ORDER exceeds SECTION_SIZE"; ' +
		'pageblock_order is HUGETLB_PAGE_ORDER, capped at MAX_ORDER - 1 from v6.1, within a section on every modelled arch). The ' +
		'memmap-less pfns inside present sections are reported as other ids: the absent subsections ' +
		'of a partially populated ZONE_DEVICE section as C3 (read_page_owner reaches them, see the showcase) and device pfns already ' +
		'in pgmap_array before sparse_add_section() as C4. The historical cases land in other ids too: the v5.15 arm64 ' +
		'move_freepages() crash (not a built-in walker) and the pre-v5.6 last-section tail read raw memmaps of early sections ' +
		'(hole), the v5.14-rc RK3328 MMIO pfn was an early-section hole that the generic pfn_valid() accepted (hole; ' +
		"dma_map_resource() does not dereference it), and read_page_owner's MAX_ORDER-vs-subsection corner is C3.",
};

/**
SARIF rule descriptors: one per category of source/model/categories.ts, the rule id being the category id itself so
that a GitHub code-scanning alert reads "C5" just like every other pfnaudit output. The help
texts say what the kernel does and what guards against it, citing functions and versions that
were checked in the kernel sources (v5.10, v6.1, v6.12) or in the LKML mails cited in docs/model-facts.md.
*/
import {CATEGORY_IDS, CATEGORY_TITLES, type CategoryId, DEFAULT_FAIL_ON, FAIL_WHEN_UNINITIALIZED, FAIL_WHEN_WRITTEN} from '../model/categories.js';

export type SarifLevel = 'none' | 'note' | 'warning' | 'error';

type RuleText = {readonly name: string; readonly help: string};

const RULE_TEXT: Readonly<Record<CategoryId, RuleText>> = {
	ok: {
		name: 'InitializedMemmap',
		help: 'Not a problem: the struct page of online memory was initialized when the memory was onlined or at boot.',
	},
	C1: {
		name: 'OfflineHotplugMemmap',
		help: 'The memmap of a hot-added memory block is initialized only when the block is onlined (online_pages()), and offlining poisons it again (mm/memory_hotplug.c:remove_pfn_range_from_zone()). pfn_valid() stays true for the whole block. Use pfn_to_online_page() instead of pfn_valid() + pfn_to_page() for pfns that did not come from the page allocator.',
	},
	C2: {
		name: 'InitializedZoneDevice',
		help: 'Safe: memmap_init_zone_device() initialized these ZONE_DEVICE struct pages and page->pgmap points at their dev_pagemap. Listed so that walkers which reach device memory are visible.',
	},
	C3: {
		name: 'PartialZoneDeviceSection',
		help: 'The section holds a ZONE_DEVICE range but this pfn lies outside it. With SPARSEMEM_VMEMMAP (v5.3+) pfn_valid() checks the subsection map (pfn_section_valid()); pfn_to_online_page() considers subsection validity since v5.12 (9f9b02e5b346). Check validity at subsection granularity, not per section or per MAX_ORDER block.',
	},
	C4: {
		name: 'ZoneDeviceInitRace',
		help: 'memremap_pages() publishes the pgmap (xa_store_range() in pagemap_range()) before memmap_init_zone_device() initializes the struct pages, so get_dev_pagemap() succeeds while the memmap is still poisoned or stale. pgmap_pfn_valid() does not close the window: it only checks the pfn against the range. Do not trust struct pages of a pgmap that memremap_pages() has not returned.',
	},
	C5: {
		name: 'AltmapReserveNeverInitialized',
		help: 'The first vmem_altmap.reserve pfns of a device range are "pages mapped, but reserved for driver": memmap_init_zone_device() starts after vmem_altmap_offset(), so their struct pages are never initialized. pgmap_pfn_valid() (v5.12, 34dc45be4563) excludes them; pfn_to_online_page() excludes them in sections shared with System RAM since v5.12 (1f90a3477df3).',
	},
	metadata: {
		name: 'AltmapMemmapStorage',
		help: 'These pfns hold the device memmap itself ([base_pfn + reserve, base_pfn + vmem_altmap_offset())). Their struct pages are initialized as reserved but have no pgmap, so code that goes from the page to page->pgmap dereferences NULL. pgmap_pfn_valid() (v5.12, 34dc45be4563) excludes them.',
	},
	hole: {
		name: 'EarlySectionHole',
		help: 'A hole inside an early (boot) section: pfn_valid() is true because early sections are valid as a whole. Since v5.6 the memmap of such holes is initialized as PG_reserved; before that it could be garbage. It fails only where the memmap is uninitialized at the selected kernel version.',
	},
	nomap: {
		name: 'Arm64NomapPfn',
		help: 'An arm64 MEMBLOCK_NOMAP pfn (firmware memory not in the linear map). It fails only where its memmap is uninitialized at the selected kernel version.',
	},
	teardown: {
		name: 'ZoneDeviceTeardown',
		help: 'A ZONE_DEVICE pfn while memunmap_pages() runs: the pgmap reference is killed and the memmap is poisoned before it is freed. Hold a pgmap reference (get_dev_pagemap()) across the access.',
	},
	unbacked: {
		name: 'NoMemmapBehindPfn',
		help: 'No memmap exists behind this pfn (no present section, or a subsection without memmap): pfn_to_page() computes an address with nothing mapped and the access faults. Check pfn_valid() before pfn_to_page().',
	},
	oob: {
		name: 'SectionNumberOutOfBounds',
		help: 'mem_section[] was indexed with a section number >= NR_MEM_SECTIONS. The generic pfn_valid() checks that bound first; arm64\'s own pfn_valid() before v5.18 looked the section up before checking that bound (the what-if patch arm64-pfn-valid-v2 models the fix).',
	},
	hvo: {
		name: 'HugetlbVmemmapReadOnlyTail',
		help: 'A tail struct page of a HugeTLB page whose vmemmap was optimized (HVO, mm/hugetlb_vmemmap.c): hugetlb_vmemmap_optimize() keeps HUGETLB_VMEMMAP_RESERVE_SIZE of the vmemmap (one page from v5.18, e7d324850bfc; two in v5.14-v5.17) and vmemmap_remap_pte() maps the rest read-only (PAGE_KERNEL_RO) onto it. A read sees an aliased struct page (from v5.18 every 64th one a copy of the head, a "fake head"); a write faults. It fails only on writes. Write through compound_head()/page_folio(); page_ref_add_unless() skips fake heads from v6.10 (bd225530a4c7).',
	},
};

/** The default level of a category's rule: error for the default --fail-on set, warning where it fails only when uninitialized or only when written. */
export function defaultLevel(id: CategoryId): SarifLevel {
	if (DEFAULT_FAIL_ON.includes(id)) {
		return 'error';
	}

	if (FAIL_WHEN_UNINITIALIZED.includes(id) || FAIL_WHEN_WRITTEN.includes(id)) {
		return 'warning';
	}

	return id === 'ok' ? 'none' : 'note';
}

/** toolComponent.rules: one reportingDescriptor per category, in source/model/categories.ts order (ruleIndex = position). */
export function sarifRules() {
	return CATEGORY_IDS.map(id => ({
		id,
		name: RULE_TEXT[id].name,
		shortDescription: {text: `${id}: ${CATEGORY_TITLES[id]}`},
		fullDescription: {text: `A PFN walker touched a struct page of category ${id}: ${CATEGORY_TITLES[id]}.`},
		help: {text: RULE_TEXT[id].help, markdown: RULE_TEXT[id].help.replaceAll('_', '\\_')},
		defaultConfiguration: {level: defaultLevel(id)},
		properties: {tags: ['memory-model', 'sparsemem', id]},
	}));
}

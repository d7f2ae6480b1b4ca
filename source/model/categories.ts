/**
The categories: the five cases of David Hildenbrand's list (linux-mm, September 2019: "A PFN walker takes a look at a random PFN at a random point in time") and
the further hazards reported beside them. These ids appear verbatim in every output.
*/

export const FIVE_CATEGORIES = ['C1', 'C2', 'C3', 'C4', 'C5'] as const;
export const HAZARDS = ['metadata', 'hole', 'nomap', 'teardown', 'unbacked', 'oob', 'hvo'] as const;

/** Every id, in the order reports print them (ok first, as in schema/pfnaudit-report-1.schema.json `touches`). */
export const CATEGORY_IDS = ['ok', ...FIVE_CATEGORIES, ...HAZARDS] as const;
export type CategoryId = (typeof CATEGORY_IDS)[number];

/** The default `--fail-on` set. `hole` and `nomap` fail only where the memmap is uninitialized. */
export const DEFAULT_FAIL_ON: readonly CategoryId[] = ['C1', 'C3', 'C4', 'C5', 'metadata', 'teardown', 'unbacked', 'oob'];

/** Categories whose touches fail only when the memmap behind them is not initialized at that kernel version. */
export const FAIL_WHEN_UNINITIALIZED: readonly CategoryId[] = ['hole', 'nomap'];

/**
Categories whose touches fail only when they write the pfn's own struct page: `hvo`, the
HugeTLB tail struct pages that hugetlb vmemmap optimization maps read-only (a read sees an
aliased struct page, a write faults).
*/
export const FAIL_WHEN_WRITTEN: readonly CategoryId[] = ['hvo'];

/** The audit's default failing set: DEFAULT_FAIL_ON plus the uninitialized-only `hole` and `nomap` and the written-only `hvo` (source/engine/fail-on.ts). */
export const DEFAULT_FAIL_SET: readonly CategoryId[] = [...DEFAULT_FAIL_ON, ...FAIL_WHEN_UNINITIALIZED, ...FAIL_WHEN_WRITTEN];

export const CATEGORY_TITLES: Readonly<Record<CategoryId, string>> = {
	ok: 'initialized memmap of online memory',
	C1: 'hot-added System RAM not onlined (or offlined again): memmap garbage/poisoned',
	C2: 'ZONE_DEVICE with an initialized memmap: safe to access',
	C3: 'ZONE_DEVICE section only partially present: the pfn lies outside the device range',
	C4: 'ZONE_DEVICE memmap not yet initialized (memremap_pages race window)',
	C5: 'ZONE_DEVICE altmap reserve ("pages mapped, but reserved for driver"): never initialized',
	metadata: 'altmap memmap-storage pfns: initialized, but with no pgmap',
	hole: 'hole inside an early section (memmap initialized as reserved from v5.6; garbage before)',
	nomap: 'arm64 MEMBLOCK_NOMAP pfn',
	teardown: 'ZONE_DEVICE pfn during memunmap_pages (ref killed, memmap poisoned)',
	unbacked: 'no memmap behind the pfn at all: the access faults',
	oob: 'mem_section indexed with a section number >= NR_MEM_SECTIONS',
	hvo: 'HugeTLB tail struct page mapped read-only by hugetlb vmemmap optimization: a read sees an alias, a write faults',
};

/** Short names for narrow tables (dashboard columns, 80-column text). */
export const CATEGORY_SHORT: Readonly<Record<CategoryId, string>> = {
	ok: 'ok',
	C1: 'C1',
	C2: 'C2',
	C3: 'C3',
	C4: 'C4',
	C5: 'C5',
	metadata: 'meta',
	hole: 'hole',
	nomap: 'nomap',
	teardown: 'tdown',
	unbacked: 'unbck',
	oob: 'oob',
	hvo: 'hvo',
};

export function isCategoryId(text: string): text is CategoryId {
	return (CATEGORY_IDS as readonly string[]).includes(text);
}

/**
SPARSEMEM geometry by architecture and kernel version.

Every constant is derived the way include/linux/mmzone.h derives it, from the three
arch inputs PAGE_SHIFT, SECTION_SIZE_BITS and MAX_PHYSMEM_BITS (arch/<arch>/include/asm/sparsemem.h).
PFNs are JavaScript numbers below 2^53: never use bitwise operators on them, use the
helpers at the bottom of this file (named after the kernel macros).
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';

export const ARCHES = ['x86_64', 'arm64-4k', 'arm64-16k', 'arm64-64k', 'ppc64-64k', 'riscv64', 's390x'] as const;
export type Arch = (typeof ARCHES)[number];

/** The arm64 page-size variants (what `arches:` lists of arm64-only rows and patches name). */
export const ARM64_ARCHES: readonly Arch[] = ['arm64-4k', 'arm64-16k', 'arm64-64k'];

/** include/linux/mmzone.h: SUBSECTION_SHIFT is 21 (2 MiB) on every architecture, since v5.3. */
export const SUBSECTION_SHIFT = 21;

/**
sizeof(struct mem_section): section_mem_map + usage pointer = 16 bytes (32 with
CONFIG_PAGE_EXTENSION). pfnaudit models the 16-byte layout; it only matters for
SECTIONS_PER_ROOT, i.e. for where an out-of-bounds __nr_to_section() lands.
*/
export const SIZEOF_MEM_SECTION = 16;

export type Geometry = {
	readonly arch: Arch;
	readonly PAGE_SHIFT: number;
	readonly PAGE_SIZE: number;
	readonly SECTION_SIZE_BITS: number;
	readonly MAX_PHYSMEM_BITS: number;
	readonly PFN_SECTION_SHIFT: number;
	readonly PAGES_PER_SECTION: number;
	readonly SECTIONS_SHIFT: number;
	readonly NR_MEM_SECTIONS: number;
	readonly PAGES_PER_SUBSECTION: number;
	/** 0 when SUBSECTION_SHIFT > SECTION_SIZE_BITS would not build; never on a modelled arch. */
	readonly SUBSECTIONS_PER_SECTION: number;
	/** SPARSEMEM_EXTREME: PAGE_SIZE / sizeof(struct mem_section). */
	readonly SECTIONS_PER_ROOT: number;
	readonly NR_SECTION_ROOTS: number;
	/** Pages in a pageblock (1 << pageblock_order). */
	readonly pageblock_nr_pages: number;
	/** Pages in the largest buddy block (MAX_ORDER_NR_PAGES). */
	readonly MAX_ORDER_NR_PAGES: number;
	/** The first pfn whose physical address does not fit the arch (1 << (MAX_PHYSMEM_BITS - PAGE_SHIFT)). */
	readonly max_possible_pfn: number;
	/** First pfn that PFN_PHYS() wraps: 1 << (64 - PAGE_SHIFT) (the "upper bits" test of pfn_valid). */
	readonly pfn_upper_bits_limit: number;
	/** Where the arch inputs come from, for `explain` and `list kernels`. */
	readonly source: string;
};

type ArchInputs = {
	PAGE_SHIFT: number;
	SECTION_SIZE_BITS: number;
	defaultMaxPhysmemBits: number;
	allowedMaxPhysmemBits: readonly number[];
	pageblock_order: number;
	max_order_nr_pages_shift: number;
	source: string;
};

/**
Arch inputs at a kernel version. Values marked [U] in the comments are unverified and
deliberately conservative; each is overridable where the topology allows it.
*/
function archInputs(arch: Arch, kernel: KernelVersion): ArchInputs {
	switch (arch) {
		case 'x86_64': {
			// arch/x86/include/asm/sparsemem.h: SECTION_SIZE_BITS 27;
			// MAX_PHYSMEM_BITS (pgtable_l5_enabled() ? 52 : 46), a runtime value [V 5.10, 6.1, 6.12].
			// pageblock_order = HUGETLB_PAGE_ORDER = 9 (include/linux/pageblock-flags.h: plain
			// HUGETLB_PAGE_ORDER in 5.10, min() with MAX_ORDER - 1 in 6.1 / MAX_PAGE_ORDER in 6.12);
			// MAX_ORDER_NR_PAGES = 1024 (MAX_ORDER 11 exclusive before v6.4, MAX_ORDER/MAX_PAGE_ORDER 10
			// inclusive after 23baf831a32c) [V].
			return {
				PAGE_SHIFT: 12,
				SECTION_SIZE_BITS: 27,
				defaultMaxPhysmemBits: 46,
				allowedMaxPhysmemBits: [46, 52],
				pageblock_order: 9,
				max_order_nr_pages_shift: 10,
				source: 'arch/x86/include/asm/sparsemem.h',
			};
		}

		case 'arm64-4k':
		case 'arm64-16k':
		case 'arm64-64k': {
			// arch/arm64/include/asm/sparsemem.h: SECTION_SIZE_BITS 30 up to v5.11;
			// 27 (4K, 16K pages) or 29 (64K pages) from v5.12, commit f0b13ee23241
			// ("arm64/sparsemem: reduce SECTION_SIZE_BITS"). MAX_PHYSMEM_BITS = CONFIG_ARM64_PA_BITS
			// (48 or 52); PHYS_MASK_SHIFT in v6.12. 52 needs ARM64_PA_BITS_52, which `depends on
			// ARM64_64K_PAGES` [V 5.10, 6.1 arch/arm64/Kconfig] until LPA2 lets 4K/16K pages have it
			// with ARM64_VA_BITS_52 [V 6.12]: 352b0395b505 "arm64: Enable 52-bit virtual addressing
			// for 4k and 16k granule configs" (Ard Biesheuvel's LPA2 series), merged for v6.9
			// [U: the release tag is not verified in a tree; 6.1 rejects, 6.12 accepts].
			const pageShift = arch === 'arm64-4k' ? 12 : (arch === 'arm64-16k' ? 14 : 16);
			const sectionBits = atLeast(kernel, '5.12') ? (arch === 'arm64-64k' ? 29 : 27) : 30;
			// pageblock_order = min(HUGETLB_PAGE_ORDER, max order), HPAGE_SHIFT = PMD_SHIFT
			// (arch/arm64/include/asm/pgtable.h [V 6.12]): 4K: PMD 2 MiB -> 9; 16K: PMD 32 MiB -> 11;
			// 64K: PMD 512 MiB -> 13. Max order [V arch/arm64/Kconfig]: 5.10 FORCE_MAX_ZONEORDER 14/12/11
			// (64K/16K with THP, else 11; exclusive), 6.12 ARCH_FORCE_MAX_ORDER 13/11/10 (inclusive):
			// MAX_ORDER_NR_PAGES 8192/2048/1024 pages either way (assuming THP before v6.4).
			const pageblockOrder = arch === 'arm64-4k' ? 9 : (arch === 'arm64-16k' ? 11 : 13);
			return {
				PAGE_SHIFT: pageShift,
				SECTION_SIZE_BITS: sectionBits,
				defaultMaxPhysmemBits: 48,
				allowedMaxPhysmemBits: arch === 'arm64-64k' || atLeast(kernel, ARM64_LPA2_RELEASE) ? [48, 52] : [48],
				pageblock_order: pageblockOrder,
				max_order_nr_pages_shift: pageblockOrder < 10 ? 10 : pageblockOrder,
				source: 'arch/arm64/include/asm/sparsemem.h',
			};
		}

		case 'ppc64-64k': {
			// arch/powerpc/include/asm/sparsemem.h: SECTION_SIZE_BITS 24;
			// book3s/64/hash-64k.h: H_MAX_PHYSMEM_BITS 51 with SPARSEMEM_VMEMMAP && SPARSEMEM_EXTREME, else 46.
			// pageblock_order: HUGETLB_PAGE_SIZE_VARIABLE, set at boot by set_pageblock_order() from
			// hpage_shift: 16 MiB under the hash MMU -> 8 (modelled); radix would give 2 MiB -> 5 [U].
			// MAX_ORDER_NR_PAGES 256 (16 MiB) [U: arch/powerpc/Kconfig is not in the trees read].
			return {
				PAGE_SHIFT: 16,
				SECTION_SIZE_BITS: 24,
				defaultMaxPhysmemBits: 51,
				allowedMaxPhysmemBits: [46, 51],
				pageblock_order: 8,
				max_order_nr_pages_shift: 8,
				source: 'arch/powerpc/include/asm/sparsemem.h, arch/powerpc/include/asm/book3s/64/hash-64k.h',
			};
		}

		case 'riscv64': {
			// arch/riscv/include/asm/sparsemem.h: SECTION_SIZE_BITS 27; MAX_PHYSMEM_BITS 56 on 64-bit
			// (CONFIG_PA_BITS in v5.10).
			return {
				PAGE_SHIFT: 12,
				SECTION_SIZE_BITS: 27,
				defaultMaxPhysmemBits: 56,
				allowedMaxPhysmemBits: [56],
				pageblock_order: 9,
				max_order_nr_pages_shift: 10,
				source: 'arch/riscv/include/asm/sparsemem.h',
			};
		}

		case 's390x': {
			// arch/s390/include/asm/sparsemem.h: SECTION_SIZE_BITS 28; MAX_PHYSMEM_BITS = CONFIG_MAX_PHYSMEM_BITS
			// (default 46, range 42-53 [V 6.12 arch/s390/Kconfig]). pageblock_order = HPAGE_SHIFT(20) -
			// PAGE_SHIFT = 8 [V 6.12 arch/s390/include/asm/page.h].
			return {
				PAGE_SHIFT: 12,
				SECTION_SIZE_BITS: 28,
				defaultMaxPhysmemBits: 46,
				allowedMaxPhysmemBits: [42, 46, 50, 53],
				pageblock_order: 8,
				max_order_nr_pages_shift: 10,
				source: 'arch/s390/include/asm/sparsemem.h',
			};
		}
	}
}

/** arm64 with 4K/16K pages can have 52-bit physical addresses (LPA2) from this release (see archInputs). */
export const ARM64_LPA2_RELEASE = '6.9';

/** The MAX_PHYSMEM_BITS values an arch can be configured with (topology `config.max_physmem_bits`). */
export function allowedMaxPhysmemBits(arch: Arch, kernel: KernelVersion): readonly number[] {
	return archInputs(arch, kernel).allowedMaxPhysmemBits;
}

/**
Why `bits` is not a MAX_PHYSMEM_BITS of the arch at this kernel, in Kconfig terms, when the reason
is a version rule rather than the value itself (used by the topology validation).
*/
export function maxPhysmemBitsVersionProblem(arch: Arch, kernel: KernelVersion, bits: number): string | undefined {
	if ((arch === 'arm64-4k' || arch === 'arm64-16k') && bits === 52 && !atLeast(kernel, ARM64_LPA2_RELEASE)) {
		return `52-bit physical addresses on ${arch} need CONFIG_ARM64_PA_BITS_52, which depends on ARM64_64K_PAGES before LPA2 (ARM64_64K_PAGES || ARM64_VA_BITS_52 from v${ARM64_LPA2_RELEASE}, 352b0395b505); at v${kernel.label} use 48, or arch arm64-64k, or kernel ${ARM64_LPA2_RELEASE}+`;
	}

	return undefined;
}

export function defaultMaxPhysmemBits(arch: Arch, kernel: KernelVersion): number {
	return archInputs(arch, kernel).defaultMaxPhysmemBits;
}

/** 2 ** n, exact for every n this file uses (n <= 64). */
export function pow2(n: number): number {
	return 2 ** n;
}

/**
Build the geometry for an arch at a kernel version. `maxPhysmemBits` overrides the arch default;
pfnaudit accepts any value between SECTION_SIZE_BITS + 1 and the arch maximum so that tests and
differential runs can model small physical address spaces.
*/
export function geometryFor(arch: Arch, kernel: KernelVersion, maxPhysmemBits?: number): Geometry {
	const inputs = archInputs(arch, kernel);
	const MAX_PHYSMEM_BITS = maxPhysmemBits ?? inputs.defaultMaxPhysmemBits;
	const {PAGE_SHIFT, SECTION_SIZE_BITS} = inputs;
	const PFN_SECTION_SHIFT = SECTION_SIZE_BITS - PAGE_SHIFT;
	const SECTIONS_SHIFT = MAX_PHYSMEM_BITS - SECTION_SIZE_BITS;
	const NR_MEM_SECTIONS = pow2(SECTIONS_SHIFT);
	const SECTIONS_PER_ROOT = pow2(PAGE_SHIFT) / SIZEOF_MEM_SECTION;
	return {
		arch,
		PAGE_SHIFT,
		PAGE_SIZE: pow2(PAGE_SHIFT),
		SECTION_SIZE_BITS,
		MAX_PHYSMEM_BITS,
		PFN_SECTION_SHIFT,
		PAGES_PER_SECTION: pow2(PFN_SECTION_SHIFT),
		SECTIONS_SHIFT,
		NR_MEM_SECTIONS,
		PAGES_PER_SUBSECTION: pow2(SUBSECTION_SHIFT - PAGE_SHIFT),
		SUBSECTIONS_PER_SECTION: pow2(SECTION_SIZE_BITS - SUBSECTION_SHIFT),
		SECTIONS_PER_ROOT,
		NR_SECTION_ROOTS: Math.ceil(NR_MEM_SECTIONS / SECTIONS_PER_ROOT),
		pageblock_nr_pages: pow2(inputs.pageblock_order),
		MAX_ORDER_NR_PAGES: pow2(inputs.max_order_nr_pages_shift),
		max_possible_pfn: pow2(MAX_PHYSMEM_BITS - PAGE_SHIFT),
		pfn_upper_bits_limit: pow2(64 - PAGE_SHIFT),
		source: inputs.source,
	};
}

// ---------------------------------------------------------------------------------------------
// Kernel macros on pfns, without bitwise operators (pfns exceed 32 bits).

/** include/linux/mmzone.h: pfn_to_section_nr(pfn) = pfn >> PFN_SECTION_SHIFT */
export function pfn_to_section_nr(g: Geometry, pfn: number): number {
	return Math.floor(pfn / g.PAGES_PER_SECTION);
}

/** include/linux/mmzone.h: section_nr_to_pfn(nr) = nr << PFN_SECTION_SHIFT */
export function section_nr_to_pfn(g: Geometry, nr: number): number {
	return nr * g.PAGES_PER_SECTION;
}

/** include/linux/mmzone.h: SECTION_NR_TO_ROOT(nr) = nr / SECTIONS_PER_ROOT */
export function SECTION_NR_TO_ROOT(g: Geometry, nr: number): number {
	return Math.floor(nr / g.SECTIONS_PER_ROOT);
}

/** include/linux/mmzone.h: subsection_map_index(pfn) = (pfn & ~PAGE_SECTION_MASK) / PAGES_PER_SUBSECTION */
export function subsection_map_index(g: Geometry, pfn: number): number {
	return Math.floor((pfn % g.PAGES_PER_SECTION) / g.PAGES_PER_SUBSECTION);
}

/** include/linux/mmzone.h: SECTION_ALIGN_UP(pfn) */
export function SECTION_ALIGN_UP(g: Geometry, pfn: number): number {
	return Math.ceil(pfn / g.PAGES_PER_SECTION) * g.PAGES_PER_SECTION;
}

/** include/linux/mmzone.h: SECTION_ALIGN_DOWN(pfn) */
export function SECTION_ALIGN_DOWN(g: Geometry, pfn: number): number {
	return Math.floor(pfn / g.PAGES_PER_SECTION) * g.PAGES_PER_SECTION;
}

/** include/linux/mmzone.h: SUBSECTION_ALIGN_UP(pfn) */
export function SUBSECTION_ALIGN_UP(g: Geometry, pfn: number): number {
	return Math.ceil(pfn / g.PAGES_PER_SUBSECTION) * g.PAGES_PER_SUBSECTION;
}

/** include/linux/mmzone.h: SUBSECTION_ALIGN_DOWN(pfn) */
export function SUBSECTION_ALIGN_DOWN(g: Geometry, pfn: number): number {
	return Math.floor(pfn / g.PAGES_PER_SUBSECTION) * g.PAGES_PER_SUBSECTION;
}

/** include/linux/align.h: ALIGN(x, a) for a power-of-two a, on numbers. */
export function ALIGN(x: number, a: number): number {
	return Math.ceil(x / a) * a;
}

/** include/linux/align.h: ALIGN_DOWN(x, a) */
export function ALIGN_DOWN(x: number, a: number): number {
	return Math.floor(x / a) * a;
}

/** include/linux/align.h: IS_ALIGNED(x, a) */
export function IS_ALIGNED(x: number, a: number): boolean {
	return x % a === 0;
}

/** include/linux/pfn.h: PFN_PHYS(pfn), exact below 2^53; callers check Number.isSafeInteger. */
export function PFN_PHYS(g: Geometry, pfn: number): number {
	return pfn * g.PAGE_SIZE;
}

/** include/linux/pfn.h: PHYS_PFN(addr) */
export function PHYS_PFN(g: Geometry, addr: number): number {
	return Math.floor(addr / g.PAGE_SIZE);
}

/** Hex with a 0x prefix, the form every pfnaudit output uses for pfns and addresses. */
export function hex(n: number): string {
	return `0x${n.toString(16)}`;
}

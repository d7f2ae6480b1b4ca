/**
Compound ZONE_DEVICE pages: a device entry's `align:` (as `ndctl create-namespace --align` /
daxctl's device-dax align) above PAGE_SIZE gives device-dax a pgmap->vmemmap_shift of
order_base_2(align / PAGE_SIZE) (drivers/dax/device.c dev_dax_probe() [V 6.1, 6.12]), and
memmap_init_zone_device() initializes the range one compound page at a time.

Kernel [V: mm/mm_init.c (6.12) / mm/page_alloc.c (6.1) memmap_init_zone_device(),
memmap_init_compound(), compound_nr_pages(); mm/sparse-vmemmap.c
vmemmap_populate_compound_pages(); include/linux/mm.h __vmemmap_can_optimize()]:
- v5.17: c4386bd8ee3a "mm/memremap: add ZONE_DEVICE support for compound pages" and "device-dax:
  compound devmap support" (Joao Martins, v7 of 2 Dec 2021,
  <20211202204422.26777-5-joao.m.martins@oracle.com>; merged for v5.17 [M]). Before it device-dax
  maps 2 MiB/1 GiB but its memmap is order-0 pages; `align:` above PAGE_SIZE is refused there.
  From v5.17 memmap_init_compound() writes every tail struct page.
- v5.19 [P]: the vmemmap deduplication was split off into its own series, 6fd3620b3428
  "mm/page_alloc: reuse tail struct pages for compound devmaps" (compound_nr_pages()) and
  4917f55b4ef9 "mm/sparse-vmemmap: improve memory savings for compound devmaps": its v9 was posted
  on 20 Apr 2022 (<20220420155310.9712-5-joao.m.martins@oracle.com>), after the v5.18 merge window
  had closed, and the final ids are in trees built on -mm in May 2022 — so v5.19, not v5.17.
- memmap_init_zone_device() steps pfns_per_compound: the head by __init_zone_device_page(), then
  memmap_init_compound() over the next compound_nr_pages() - 1 struct pages
  (__init_zone_device_page(), prep_compound_tail(), and prep_compound_head() after the first
  tail). Its progress is therefore whole compound pages.
- vmemmap deduplication: without an altmap, with a power-of-two struct page and more than
  VMEMMAP_RESERVE_NR (2) vmemmap pages per compound page, vmemmap_populate_compound_pages() maps
  only the first two vmemmap pages of each compound page; the rest of its vmemmap maps the second
  page again (read-write). compound_nr_pages() then initializes only those 2 * PAGE_SIZE /
  sizeof(struct page) struct pages: every further tail struct page *is* one of them, so it reads
  as a tail of the right head, and a write to it lands in the shared page. An early section
  reuses the boot memmap (section_activate()) and gets no deduplication. From v6.6 the
  optimization is opt-in per arch (ARCH_WANT_OPTIMIZE_DAX_VMEMMAP: x86_64, riscv64, powerpc radix
  [V 6.12 Kconfig]; "mm/vmemmap: allow architectures to override how vmemmap optimization works",
  Aneesh Kumar K.V [U: release]); arm64 has none in 6.12.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch, Geometry} from './geometry.js';
import {SIZEOF_STRUCT_PAGE} from './memmap-on-memory.js';

export const COMPOUND_DEVMAP_RELEASE = '5.17';
/** compound_nr_pages() and the deduplicated compound vmemmap (6fd3620b3428, 4917f55b4ef9). */
export const COMPOUND_VMEMMAP_DEDUP_RELEASE = '5.19';
/** VMEMMAP_RESERVE_NR (include/linux/mm.h). */
const VMEMMAP_RESERVE_NR = 2;

/** The device-dax alignments the kernel takes (PAGE_SIZE, PMD_SIZE, PUD_SIZE where the arch maps PUD-sized dax). */
export function daxAlignments(arch: Arch, g: Geometry): number[] {
	const pmd = {'arm64-16k': 2 ** 25, 'arm64-64k': 2 ** 29, 'ppc64-64k': 2 ** 24}[arch as string] ?? 2 ** 21;
	const pud = arch === 'x86_64' || arch === 'arm64-4k' ? [2 ** 30] : [];
	return [g.PAGE_SIZE, pmd, ...pud];
}

/** Why `align:` is refused, or undefined. */
export function compoundAlignProblem(arch: Arch, kernel: KernelVersion, g: Geometry, type: string, align: number, start: number, size: number): string | undefined {
	const allowed = daxAlignments(arch, g);
	if (!allowed.includes(align)) {
		return `device-dax takes only the alignments ${allowed.map(a => (a >= 2 ** 20 ? `${a / 2 ** 20}M` : `${a / 1024}K`)).join(', ')} on ${arch} (dax_align_valid(): PAGE_SIZE, PMD_SIZE, and PUD_SIZE where supported)`;
	}

	if (align === g.PAGE_SIZE) {
		return undefined;
	}

	if (type !== 'devdax' && type !== 'generic') {
		return 'only device-dax sets pgmap->vmemmap_shift (drivers/dax/device.c dev_dax_probe()); an fsdax namespace\'s --align pads the namespace but its memmap stays order-0 pages';
	}

	if (!atLeast(kernel, COMPOUND_DEVMAP_RELEASE)) {
		return 'compound ZONE_DEVICE pages (pgmap->vmemmap_shift) exist from v5.17 (c4386bd8ee3a "mm/memremap: add ZONE_DEVICE support for compound pages"); before it the device-dax memmap is order-0 pages whatever the align';
	}

	if (start % align !== 0 || size % align !== 0) {
		return 'the range must start and end on the alignment (the dax region and alloc_dev_dax_range() keep device-dax ranges aligned)';
	}

	return undefined;
}

/** compound_nr_pages(): how many struct pages of each compound page memmap_init_zone_device() writes. */
export function compound_nr_pages(arch: Arch, kernel: KernelVersion, g: Geometry, pagesPerCompound: number, altmap: boolean, earlySection: boolean): number {
	const vmemmapPages = (pagesPerCompound * SIZEOF_STRUCT_PAGE) / g.PAGE_SIZE;
	const archOptimizes = !atLeast(kernel, '6.6') || arch === 'x86_64' || arch === 'riscv64';
	if (!atLeast(kernel, COMPOUND_VMEMMAP_DEDUP_RELEASE) || earlySection || altmap || !archOptimizes || vmemmapPages <= VMEMMAP_RESERVE_NR) {
		return pagesPerCompound;
	}

	return VMEMMAP_RESERVE_NR * (g.PAGE_SIZE / SIZEOF_STRUCT_PAGE);
}

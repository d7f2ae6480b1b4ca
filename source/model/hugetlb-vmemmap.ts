/**
HugeTLB pages and HVO, the hugetlb vmemmap optimization (`config.hugetlb_vmemmap: true`; the
pages themselves: a boot entry's `hugetlb:` ranges, a pool allocated at boot by hugepages=).

Kernel [V: mm/hugetlb_vmemmap.c and mm/hugetlb_vmemmap.h of 6.1 and 6.12]:
- hugetlb_vmemmap_optimize() (6.1) / __hugetlb_vmemmap_optimize_folio() (6.12) keeps the first
  HUGETLB_VMEMMAP_RESERVE_SIZE (PAGE_SIZE) of a HugeTLB page's vmemmap and remaps the rest of it
  onto that page: vmemmap_remap_pte() maps every further vmemmap page read-only (PAGE_KERNEL_RO,
  "to catch illegal write operation to the tail pages") and frees the old pages. With a 64-byte
  struct page and 4 KiB pages that is struct pages 64.. of each page: 448 of a 2 MiB page's 512,
  all but 64 of a 1 GiB page's. 6.12 first copies the head vmemmap page to a new page mapped
  read-write and points the read-only tails at that copy; what a read sees is the same.
- A read of pfn head + 64k + j therefore sees struct page j: a tail (j > 0), or for j == 0 a copy
  of the head — a "fake head" with PG_head set, which page_fixed_fake_head()
  (include/linux/page-flags.h) recognises while hugetlb_optimize_vmemmap_key is on. A write to
  any of them faults.
- hugetlb_vmemmap_optimizable_size(): nothing is optimized unless sizeof(struct page) is a power
  of two (64 bytes modelled). vmemmap_should_optimize() (6.1) / vmemmap_pmd_entry() (6.12) skip a
  page whose vmemmap is self-hosted (memmap_on_memory, PageVmemmapSelfHosted()); only boot
  memory holds HugeTLB pages in the model, so that rule is not exercised.

By release:
- v5.14: "mm: hugetlb: free the vmemmap pages associated with each HugeTLB page" (Muchun Song;
  Andrew Morton's batch of 1 Jul 2021, <20210701014713.b42x8Nm1B%akpm@linux-foundation.org>
  [P]) as CONFIG_HUGETLB_PAGE_FREE_VMEMMAP with the boot parameter hugetlb_free_vmemmap=; it
  kept two vmemmap pages ("we need to reserve two pages as vmemmap areas", its commit text [P]):
  the remaining tails alias tails 64..127, and there are no fake heads.
- v5.18: e7d324850bfc "mm: hugetlb: free the 2nd vmemmap page associated with each HugeTLB page"
  (committed 22 Mar 2022, in the v5.18 merge window; in -mm's tree of 4 Mar 2022 [P]): one page
  kept, fake heads appear.
- v6.10: bd225530a4c7 "mm/hugetlb_vmemmap: fix race with speculative PFN walkers" (Yu Zhao;
  mm-hotfixes in mainline before v6.10 of 14 Jul 2024, a 6.9.y backport asked for on 15 Jul
  [P]): page_ref_add_unless() tests !page_is_fake_head() before atomic_add_unless() (read in
  6.12's include/linux/page_ref.h [V]; 6.1 has the bare atomic_add_unless() [V]), so a PFN walker's
  get_page_unless_zero() on a fake head no longer writes it. 6.12 also calls synchronize_rcu()
  before remapping.
- Knobs by name: HUGETLB_PAGE_OPTIMIZE_VMEMMAP with HUGETLB_PAGE_OPTIMIZE_VMEMMAP_DEFAULT_ON,
  core_param hugetlb_free_vmemmap and the vm.hugetlb_optimize_vmemmap sysctl in 6.1 and 6.12 [V];
  the release of the rename from HUGETLB_PAGE_FREE_VMEMMAP and of the sysctl is [U].
- Arches: ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP is selected by x86_64 only in 6.1
  (arch/x86/Kconfig); ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP by x86_64, riscv and loongarch in 6.12,
  not by arm64 or powerpc [V]. riscv64 is accepted from v6.12 (the release that added it is [U]);
  an arm64 enablement that was later reverted is not modelled [U].
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {BootEntry} from '../topology/types.js';
import type {Arch, Geometry} from './geometry.js';
import {SIZEOF_STRUCT_PAGE} from './memmap-on-memory.js';
import type {ModelState} from './state.js';
import type {MemmapState} from './types.js';

export const HVO_RELEASE = '5.14';
/** e7d324850bfc: one vmemmap page kept instead of two (fake heads from here). */
export const HVO_ONE_PAGE_RELEASE = '5.18';
/** bd225530a4c7: page_ref_add_unless() leaves fake heads alone. */
export const FAKE_HEAD_REF_RELEASE = '6.10';

/** The HugeTLB page sizes pfnaudit takes per arch (PMD and PUD sizes of the 4K-page arches with HVO). */
export function hugetlbPageSizes(arch: Arch): number[] {
	return arch === 'x86_64' || arch === 'riscv64' ? [2 ** 21, 2 ** 30] : [];
}

/** Why `config.hugetlb_vmemmap: true` is refused at this arch and release, or undefined. */
export function hugetlbVmemmapProblem(arch: Arch, kernel: KernelVersion, vmemmap: boolean): string | undefined {
	if (!atLeast(kernel, HVO_RELEASE)) {
		return 'hugetlb vmemmap optimization exists from v5.14 ("mm: hugetlb: free the vmemmap pages associated with each HugeTLB page", CONFIG_HUGETLB_PAGE_FREE_VMEMMAP)';
	}

	if (!vmemmap) {
		return 'it needs SPARSEMEM_VMEMMAP (HUGETLB_PAGE_OPTIMIZE_VMEMMAP depends on it): set config.vmemmap: true';
	}

	if (arch === 'x86_64') {
		return undefined;
	}

	if (arch === 'riscv64') {
		return atLeast(kernel, '6.12')
			? undefined
			: 'riscv selects ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP in 6.12 but not in 6.1, and the release in between that added it is not confirmed; use 6.12 or later';
	}

	return `${arch} does not select ARCH_WANT_HUGETLB_PAGE_OPTIMIZE_VMEMMAP (6.1) or ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP (6.12): only x86_64 (and riscv, loongarch in 6.12) do`;
}

/** How many struct pages of each HugeTLB page keep their own vmemmap (the rest alias them read-only); all of them without HVO. */
export function hugetlbUniqueStructPages(kernel: KernelVersion, g: Geometry, pagesPerHugePage: number, optimize: boolean): number {
	const perVmemmapPage = g.PAGE_SIZE / SIZEOF_STRUCT_PAGE;
	const kept = atLeast(kernel, HVO_ONE_PAGE_RELEASE) ? 1 : 2;
	if (!optimize || pagesPerHugePage <= kept * perVmemmapPage) {
		return pagesPerHugePage;
	}

	return kept * perVmemmapPage;
}

/**
The HugeTLB pool of the boot entries, allocated at boot (hugepages=, alloc_bootmem_huge_page() /
alloc_pool_huge_folio()) and, with config.hugetlb_vmemmap, optimized: runs after the boot memmap
init. Each page: the head, the tails with their own struct pages, then (HVO) per further vmemmap
page a fake head (from v5.18) and the read-only tail aliases.
*/
export function allocateHugetlbPool(state: ModelState, entries: readonly BootEntry[]): void {
	const {ctx} = state;
	const {g} = ctx;
	const optimize = ctx.config.hugetlb_vmemmap === true;
	const oneKept = atLeast(ctx.kernel, HVO_ONE_PAGE_RELEASE);
	const perVmemmapPage = g.PAGE_SIZE / SIZEOF_STRUCT_PAGE;
	for (const entry of entries) {
		for (const range of entry.hugetlb ?? []) {
			const per = range.page_size / g.PAGE_SIZE;
			const order = Math.round(Math.log2(per));
			const unique = hugetlbUniqueStructPages(ctx.kernel, g, per, optimize);
			const optimized = unique < per;
			for (let head = range.start_pfn; head < range.end_pfn; head += per) {
				const base = state.memmap.get(head);
				const writer = `alloc_pool_huge_folio() -> prep_new_hugetlb_folio() (HugeTLB order ${order})${optimized ? ', hugetlb_vmemmap_optimize() (vmemmap_remap_pte(): PAGE_KERNEL_RO)' : ''}`;
				const page = (part: 'head' | 'tail' | 'fake_head', alias: boolean): MemmapState => ({...base, hugetlb: {order, part, alias}, writer});
				state.memmap.set(head, head + 1, page('head', false));
				state.memmap.set(head + 1, head + unique, page('tail', false));
				if (!optimized) {
					continue;
				}

				if (!oneKept) {
					state.memmap.set(head + unique, head + per, page('tail', true));
					continue;
				}

				for (let first = head + perVmemmapPage; first < head + per; first += perVmemmapPage) {
					state.memmap.set(first, first + 1, page('fake_head', true));
					state.memmap.set(first + 1, first + perVmemmapPage, page('tail', true));
				}
			}
		}
	}
}

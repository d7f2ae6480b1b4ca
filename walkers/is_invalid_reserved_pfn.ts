/**
drivers/vfio/vfio_iommu_type1.c:is_invalid_reserved_pfn(), from vaddr_get_pfn() (vaddr_get_pfns()
in 6.12) when VFIO_IOMMU_MAP_DMA is given a user address that pin_user_pages_remote() refuses and
that lies in a VM_PFNMAP VMA: follow_fault_pfn() takes the pfn from the page table and
is_invalid_reserved_pfn() decides whether it is "reserved" (mapped without pinning) [V 6.1.176,
6.12.118]. The pfns such a mapping can hold are configuration (source/walker/pfnmap.ts). The
VFIO type1 IOMMU backend exists where VFIO selects it: `MMU && (X86 || S390 || ARM || ARM64)`
(drivers/vfio/Kconfig [V 6.12]); ppc64 uses vfio_iommu_spapr_tce instead, and riscv64 does not
select it, so the walker is absent on ppc64 and riscv64.

The guard is pfn_valid() only, then PageReserved() reads page->flags: the struct page of memory
never onlined, of an altmap reserve or of a device still initializing is read; nothing is written
here (a pfn that is not reserved makes vaddr_get_pfn() fail with -EFAULT).
- v4.13-v5.4: the read went through compound_head() first (PageReserved() of the head and of the
  page, PageTail()); 026948f01eac "vfio/type1: remove hugepage checks in
  is_invalid_reserved_pfn()" (Ben Luo, in the v5.5 VFIO pull [P]) reduced it to PageReserved().
*/
import {atLeast} from '../source/kernel/version.js';
import {defineWalker} from '../source/walker/contract.js';
import {exposurePasses, pfnmapExposures} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;
const HEAD = ['compound_head', 'flags'] as const;

/** Arches whose VFIO selects VFIO_IOMMU_TYPE1 (drivers/vfio/Kconfig). */
function hasType1(arch: string): boolean {
	return arch === 'x86_64' || arch === 's390x' || arch.startsWith('arm64');
}

export default defineWalker({
	name: 'is_invalid_reserved_pfn',
	models: 'drivers/vfio/vfio_iommu_type1.c:is_invalid_reserved_pfn()',
	trigger: 'VFIO_IOMMU_MAP_DMA of a user address in a VM_PFNMAP mapping (mmap() of /dev/mem, a vfio-pci BAR for peer-to-peer DMA): vaddr_get_pfn() → follow_fault_pfn() → is_invalid_reserved_pfn()',
	reachability: 'root',
	shape: 'one pfn per mapped page; swept over every pfn a VM_PFNMAP mapping can expose under the topology\'s /dev/mem and driver settings',
	fields: ['compound_head', 'flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() only, then compound_head(), PageReserved() of head and page, PageTail()',
			confidence: 'P',
			note: 'the form removed by 026948f01eac, from its diff',
		},
		{
			since: '5.5',
			guard: 'pfn_valid() only, then PageReserved()',
			commits: [{id: '026948f01eac', subject: 'vfio/type1: remove hugepage checks in is_invalid_reserved_pfn()'}],
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; the release from the v5.5 VFIO pull [P]',
		},
	],
	plan(model) {
		if (!hasType1(model.geometry.arch)) {
			return null;
		}

		const heads = !atLeast(model.kernel, '5.5');
		return {
			label: heads ? 'v4.13-v5.4: pfn_valid() only, compound_head() and PageReserved()' : 'v5.5+: pfn_valid() only, then PageReserved()',
			guard: 'guards with pfn_valid() only (no pfn_to_online_page())',
			passes: exposurePasses(
				pfnmapExposures(model),
				(ctx, pfn) => {
					if (ctx.pfn_valid(pfn)) {
						ctx.page(pfn, heads ? HEAD : FLAGS, heads ? 'compound_head' : 'PageReserved');
					}
				},
				'no pfn a VM_PFNMAP mapping can expose under these settings',
			),
		};
	},
});

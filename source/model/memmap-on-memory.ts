/**
memmap_on_memory: the memmap of a hot-added memory block is allocated from the block itself
(a vmem_altmap at the block's start), instead of from other memory. A hotplug entry asks for it
with `memmap_on_memory: true`: the kernel was booted with `memory_hotplug.memmap_on_memory=1`
and the driver passes MHP_MEMMAP_ON_MEMORY (ACPI memory devices, drivers/acpi/acpi_memhotplug.c,
from v5.13; dax/kmem when the device's memmap_on_memory attribute says so, from v6.8).

Kernel history [V: mm/memory_hotplug.c and drivers/base/memory.c of 6.1 and 6.12; M: the commit
mails and the tip post-receive revlist of 7 May 2021 listing them after v5.12]:
- v5.13: a08a2ae34613 "mm,memory_hotplug: allocate memmap from the added memory range" (Oscar
  Salvador, series <20210416112411.9826-1-osalvador@suse.de>), with e3a9d9fcc331 "mm,memory_hotplug:
  add kernel boot option to enable memmap_on_memory", 4a3e5de9c4ec "acpi,memhotplug: enable
  MHP_MEMMAP_ON_MEMORY when supported", and "x86/Kconfig" / "arm64/Kconfig: introduce
  ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE". mhp_supports_memmap_on_memory(size): the add_memory() range is
  exactly one memory block, the vmemmap of the block (PHYS_PFN(size) * sizeof(struct page)) spans
  whole PMDs, and the rest of the block is pageblock aligned [V 6.1].
- v6.6 [M: series posted August 2023, 20230808091501.287660-5-aneesh.kumar@linux.ibm.com]:
  2d1f649c7c08 "mm/memory_hotplug: support memmap_on_memory when memmap is not aligned to
  pageblocks" and "mm/hotplug: Embed vmem_altmap details in memory block" (Aneesh Kumar K.V): the
  rule becomes vmemmap_size page aligned, memmap pages pageblock aligned (or padded up to a
  pageblock in `memmap_on_memory=force` mode, not modelled), not the whole block, and
  arch_supports_memmap_on_memory() (PMD aligned by default; powerpc: radix only).
- v6.8 [M: v10 of the series posted 7 Nov 2023, 20231107-vv-kmem_memmap-v10-2-1253ec050ed0@intel.com]:
  6b8f0798b85a "mm/memory_hotplug: split memmap_on_memory requests across memblocks" (Vishal
  Verma): a range of several blocks is added block by block (create_altmaps_and_memory_blocks()),
  each with its own altmap at its start; "dax/kmem: allow kmem to add memory with memmap_on_memory"
  in the same series.
- v6.11: the memmap of hot-added pages is initialized PageOffline instead of PageReserved, and
  mhp_init_memmap_on_memory() clears PageOffline of the vmemmap pages (__ClearPageOffline()) [V 6.12].

What the kernel does with the first memory_block_memmap_on_memory_pages() pfns of each block:
- add_memory(): sparse_add_section() populates the block's vmemmap from the altmap — the struct
  pages of the whole block (its first pages included) live in those first pages; page_init_poison().
- memory_block_online(): mhp_init_memmap_on_memory() → move_pfn_range_to_zone() initializes the
  struct pages of the vmemmap pfns (and SetPageVmemmapSelfHosted(), present in 6.1), *then*
  online_pages() onlines the rest of the block. Those pfns never reach the buddy.
- memory_block_offline(): offline_pages() of the rest first, then mhp_deinit_memmap_on_memory() →
  remove_pfn_range_from_zone() poisons the vmemmap pfns' struct pages.
- remove_memory(): the memmap goes with the block (arch_remove_memory() with the block's altmap).
Not modelled: s390's MHP_OFFLINE_INACCESSIBLE (standby memory: the block is not accessible until
onlined, its memmap poisoned at online), `memmap_on_memory=force`.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch, Geometry} from './geometry.js';

/** sizeof(struct page) on every modelled 64-bit configuration (no debug options that grow it). */
export const SIZEOF_STRUCT_PAGE = 64;

/** MHP_MEMMAP_ON_MEMORY exists (a08a2ae34613, v5.13). */
export const MEMMAP_ON_MEMORY_RELEASE = '5.13';
/** Ranges of several blocks are split per block (6b8f0798b85a, v6.8). */
export const MEMMAP_ON_MEMORY_SPLIT_RELEASE = '6.8';
/** The v6.6 form of mhp_supports_memmap_on_memory() (2d1f649c7c08). */
export const MEMMAP_ON_MEMORY_PAGEBLOCK_RELEASE = '6.6';

/** PMD_SIZE in bytes by arch (the default arch_supports_memmap_on_memory() test). */
function pmdSize(arch: Arch): number {
	switch (arch) {
		case 'arm64-16k': {
			return 2 ** 25;
		}

		case 'arm64-64k': {
			return 2 ** 29;
		}

		case 's390x': {
			return 2 ** 20;
		}

		default: {
			return 2 ** 21;
		}
	}
}

/** memory_block_memmap_on_memory_pages(): PFN_UP(memory_block_memmap_size()), without force mode. */
export function memory_block_memmap_on_memory_pages(g: Geometry, blockBytes: number): number {
	const blockPages = blockBytes / g.PAGE_SIZE;
	return Math.ceil((blockPages * SIZEOF_STRUCT_PAGE) / g.PAGE_SIZE);
}

/**
Why add_memory() with MHP_MEMMAP_ON_MEMORY would not place the memmap on the memory, or
undefined. Before v6.6 add_memory_resource() fails with -EINVAL; from v6.6 it silently falls back
to a memmap in other memory — either way the entry as written does not happen, so it is refused.
*/
export function memmapOnMemoryProblem(arch: Arch, kernel: KernelVersion, g: Geometry, vmemmap: boolean, blockBytes: number, sizeBytes: number): string | undefined {
	if (!atLeast(kernel, MEMMAP_ON_MEMORY_RELEASE)) {
		return 'MHP_MEMMAP_ON_MEMORY and memory_hotplug.memmap_on_memory exist from v5.13 (a08a2ae34613 "mm,memory_hotplug: allocate memmap from the added memory range"); before it the memmap of hot-added memory always comes from other memory';
	}

	if (!vmemmap) {
		return 'mm/Kconfig: MHP_MEMMAP_ON_MEMORY depends on SPARSEMEM_VMEMMAP, and the topology sets config.vmemmap: false';
	}

	if (arch === 'ppc64-64k' && !atLeast(kernel, MEMMAP_ON_MEMORY_PAGEBLOCK_RELEASE)) {
		return 'powerpc selects ARCH_MHP_MEMMAP_ON_MEMORY_ENABLE only from v6.6 ("powerpc/book3s64/memhotplug: Enable memmap on memory for radix")';
	}

	if (arch === 'ppc64-64k') {
		return 'powerpc\'s arch_supports_memmap_on_memory() needs the radix MMU, and pfnaudit models ppc64 with the hash MMU (16 MiB pageblocks); with radix the 4 memmap pages of a 256 MiB block are not pageblock aligned without memory_hotplug.memmap_on_memory=force, which is not modelled';
	}

	if (arch === 's390x') {
		return 's390 hot-adds standby memory with MHP_MEMMAP_ON_MEMORY | MHP_OFFLINE_INACCESSIBLE (drivers/s390/char/sclp_cmd.c in 6.12): a memmap that is poisoned and set up only at online time, which pfnaudit does not model';
	}

	const blockPages = blockBytes / g.PAGE_SIZE;
	const memmapPages = memory_block_memmap_on_memory_pages(g, blockBytes);
	const vmemmapSize = blockPages * SIZEOF_STRUCT_PAGE;
	const pmd = pmdSize(arch);
	if (!atLeast(kernel, MEMMAP_ON_MEMORY_SPLIT_RELEASE) && sizeBytes !== blockBytes) {
		return `mhp_supports_memmap_on_memory() requires the add_memory() range to be exactly one memory block (${blockBytes / 2 ** 20} MiB) before v6.8 (6b8f0798b85a "mm/memory_hotplug: split memmap_on_memory requests across memblocks"); split the entry into one hotplug entry per block`;
	}

	if (vmemmapSize % pmd !== 0) {
		return `mhp_supports_memmap_on_memory(): the vmemmap of a ${blockBytes / 2 ** 20} MiB memory block (${vmemmapSize / 1024} KiB of struct pages) does not span whole PMDs (PMD_SIZE ${pmd / 2 ** 20} MiB; arch_supports_memmap_on_memory())`;
	}

	if (memmapPages % g.pageblock_nr_pages !== 0) {
		return `mhp_supports_memmap_on_memory(): the ${memmapPages} memmap pages of a memory block are not pageblock aligned (pageblock_nr_pages ${g.pageblock_nr_pages})`;
	}

	if (memmapPages >= blockPages) {
		return 'mhp_supports_memmap_on_memory(): the memmap would fill the whole memory block ("No effective hotplugged memory doesn\'t make sense")';
	}

	return undefined;
}

/** PageVmemmapSelfHosted() is set by mhp_init_memmap_on_memory() [V 6.1; U: the release that added it]. */
export function setsVmemmapSelfHosted(kernel: KernelVersion): boolean {
	return atLeast(kernel, '6.1');
}

/**
struct vmem_altmap of a device entry: `reserve` and `free` resolved to pages, `free: auto`
computed the way the nvdimm pfn device lays out a namespace created with `--map=dev`, and the
vmem_altmap checks of __add_pages().

`free: auto` models drivers/nvdimm/pfn_devs.c of v5.10 and v6.12 (identical in what follows):
  nd_pfn_init():        npfns  = PHYS_PFN(size - SZ_8K)
                        align  = max(nd_pfn->align, memremap_compat_align())
                                 (nd_pfn->align defaults to HPAGE_PMD_SIZE: nd_pfn_default_alignment())
                        offset = ALIGN(start + SZ_8K + MAX_STRUCT_PAGE_SIZE * npfns, align) - start
                                 (MAX_STRUCT_PAGE_SIZE = 64, drivers/nvdimm/nd.h)
  __nvdimm_setup_pfn(): altmap.base_pfn = SUBSECTION_ALIGN_DOWN(PHYS_PFN(start))
                        altmap.reserve  = nd_info_block_reserve() >> PAGE_SHIFT (ALIGN(SZ_8K, PAGE_SIZE))
                        altmap.free     = PHYS_PFN(offset - nd_info_block_reserve())
So reserve + free = offset / PAGE_SIZE: the data starts at the aligned `dataoff`. Checked against
the published ndctl outputs (Neeraj Kumar's CXL LSA 2.1 cover letter, v3 <20250917134116.1623730-1-s.neeraj@samsung.com>): a 128 MiB fsdax
namespace with map=dev and align 2 MiB shows 124 MiB usable (offset 4 MiB), 256 MiB shows 250 MiB.
pfnaudit takes the entry's range as the namespace (start_pad = end_trunc = 0: the range is
already subsection aligned) and an explicit `reserve:` in place of nd_info_block_reserve().
The entry's `align:` is nd_pfn->align (`ndctl create-namespace --align`, the pfn/dax seed's
`align` attribute, align_store()); without it the layout takes the default
nd_pfn_default_alignment(). Either way the data offset is aligned to at least
memremap_compat_align() (mm/memremap.c [V 6.1, 6.12]: SUBSECTION_SIZE, 2 MiB, unless the arch
has CONFIG_ARCH_HAS_MEMREMAP_COMPAT_ALIGN — powerpc), so `align: 4K` lays out like 2 MiB and
`align: 1G` puts the data at the next 1 GiB boundary.
*/
import {ALIGN, type Arch, IS_ALIGNED} from '../model/geometry.js';
import {fail, type RuleContext, warn} from './context.js';
import {formatSize, formatSizeLiteral} from './numbers.js';
import {formatPath, type Path} from './positions.js';
import type {Span} from './ranges.js';
import type {Altmap, DeviceType} from './types.js';

/** include/linux/sizes.h SZ_8K: the nvdimm info block. */
export const SZ_8K = 8192;
/** drivers/nvdimm/nd.h MAX_STRUCT_PAGE_SIZE, and sizeof(struct page) on production configs. */
export const SIZEOF_STRUCT_PAGE = 64;

const MiB = 2 ** 20;

/**
The nvdimm pfn-device alignment: max(HPAGE_PMD_SIZE, memremap_compat_align()). HPAGE_PMD_SIZE is
2 MiB with 4K pages (x86_64, arm64-4k, riscv64), 32 MiB with arm64 16K pages, 512 MiB with arm64
64K pages; ppc64 with 64K pages is modelled with the hash MMU (16 MiB, which is also its
memremap_compat_align()) [U: radix uses 2 MiB].
*/
export function nd_pfn_align(arch: Arch): number {
	switch (arch) {
		case 'arm64-16k': {
			return 32 * MiB;
		}

		case 'arm64-64k': {
			return 512 * MiB;
		}

		case 'ppc64-64k': {
			return 16 * MiB;
		}

		default: {
			return 2 * MiB;
		}
	}
}

/**
memremap_compat_align(): the generic one in mm/memremap.c is SUBSECTION_SIZE (2 MiB whatever the
page size); powerpc's (arch/powerpc/mm/ioremap.c) is modelled with the hash MMU, 16 MiB, as in
nd_pfn_align() [U: radix uses 2 MiB].
*/
export function memremap_compat_align(arch: Arch): number {
	return arch === 'ppc64-64k' ? 16 * MiB : 2 * MiB;
}

/** drivers/nvdimm/nd.h nd_info_block_reserve(): ALIGN(SZ_8K, PAGE_SIZE), in bytes. */
export function nd_info_block_reserve(pageSize: number): number {
	return ALIGN(SZ_8K, pageSize);
}

/** nd_pfn_init() PFN_MODE_PMEM dataoff for a namespace [start, start + size), or undefined if it does not fit. */
export function nd_pfn_dataoff(start: number, size: number, pageSize: number, align: number): number | undefined {
	const npfns = Math.floor((size - SZ_8K) / pageSize);
	if (npfns <= 0) {
		return undefined;
	}

	const offset = ALIGN(start + SZ_8K + SIZEOF_STRUCT_PAGE * npfns, align) - start;
	return offset >= size ? undefined : offset;
}

type RawAltmap = {readonly reserve?: number | undefined; readonly free: number | 'auto'};

function pagesOf(ctx: RuleContext, path: Path, bytes: number): number {
	const page = ctx.geometry.PAGE_SIZE;
	if (!IS_ALIGNED(bytes, page)) {
		fail(ctx, path, `${formatPath(path)} ${formatSizeLiteral(bytes)} is not a whole number of pages (PAGE_SIZE ${formatSize(page)}): vmem_altmap counts pages; use ${formatSizeLiteral(ALIGN(bytes, page))}`);
	}

	return bytes / page;
}

/** Resolve and check a device's altmap (drivers/nvdimm/pfn_devs.c, mm/memory_hotplug.c __add_pages()). */
export function resolveAltmap(ctx: RuleContext, path: Path, raw: RawAltmap, span: Span, type: DeviceType, ndPfnAlign?: number): Altmap {
	const page = ctx.geometry.PAGE_SIZE;
	const nr_pages = (span.end - span.start) / page;
	const reserveBytes = raw.reserve ?? nd_info_block_reserve(page);
	const reserve = pagesOf(ctx, [...path, 'reserve'], reserveBytes);
	let free: number;
	if (raw.free === 'auto') {
		// nd_pfn_init(): align = max(nd_pfn->align, memremap_compat_align()).
		const align = Math.max(ndPfnAlign ?? nd_pfn_align(ctx.arch), memremap_compat_align(ctx.arch));
		const offset = nd_pfn_dataoff(span.start, span.end - span.start, page, align);
		if (offset === undefined) {
			fail(ctx, [...path, 'free'], `${formatPath([...path, 'free'])}: auto cannot lay out this ${formatSize(span.end - span.start)} range the way nd_pfn_init() does ("unable to satisfy requested alignment": the info block and memmap do not fit below the ${formatSize(align)}-aligned data offset); give free explicitly or a larger range`);
		}

		free = offset / page - reserve;
		if (free < 0) {
			fail(ctx, [...path, 'reserve'], `${formatPath([...path, 'reserve'])} ${formatSizeLiteral(reserveBytes)} is larger than the whole nvdimm data offset (${formatSize(offset)}) that free: auto computes; give free explicitly`);
		}
	} else {
		free = pagesOf(ctx, [...path, 'free'], raw.free);
	}

	// mm/memory_hotplug.c __add_pages(): altmap->base_pfn != pfn || vmem_altmap_offset(altmap) > nr_pages
	// → pr_warn_once("memory add fail, invalid altmap"), -EINVAL (v5.10, v6.12).
	if (reserve + free > nr_pages) {
		fail(ctx, [...path, raw.free === 'auto' ? 'reserve' : 'free'], `${formatPath(path)}: reserve + free = ${reserve + free} pages is larger than the ${nr_pages}-page range; __add_pages() refuses it (vmem_altmap_offset(altmap) > nr_pages: "memory add fail, invalid altmap", -EINVAL); shrink reserve/free or use free: auto`);
	}

	checkAltmapWarnings(ctx, path, {reserve, free, nr_pages, type});
	return {base_pfn: span.start / page, reserve, free, free_auto: raw.free === 'auto'};
}

function checkAltmapWarnings(ctx: RuleContext, path: Path, a: {reserve: number; free: number; nr_pages: number; type: DeviceType}): void {
	const memmapPages = Math.ceil((a.nr_pages * SIZEOF_STRUCT_PAGE) / ctx.geometry.PAGE_SIZE);
	if (a.reserve + a.free === a.nr_pages) {
		warn(ctx, path, `${formatPath(path)}: reserve + free covers the whole range, so the device has no data pages: memmap_init_zone_device() starts at pfn_first() = the range end and initializes nothing`);
	}

	if (a.free < memmapPages) {
		warn(ctx, path, `${formatPath(path)}: free (${a.free} pages) is smaller than the memmap of the range (${memmapPages} pages of ${SIZEOF_STRUCT_PAGE}-byte struct pages): vmemmap_populate() allocates the memmap from the altmap with no fallback (mm/sparse-vmemmap.c vmemmap_populate_hugepages(): -ENOMEM), so memremap_pages() would fail unless the arch puts part of it in regular memory (x86 does for partial sections); the model replays the altmap as given`);
	}

	if (a.type === 'private') {
		warn(ctx, path, `${formatPath(path)}: an altmap on device-private memory puts its struct pages in memory the CPU cannot access; memremap_pages() does not refuse it in any version read (Anshuman Khandual asked for that check in the review of "[HMM v13 02/18] mm/ZONE_DEVICE/unaddressable", 22 Nov 2016), and no in-tree driver does it`);
	} else if (a.type === 'p2pdma' || a.type === 'coherent') {
		warn(ctx, path, `${formatPath(path)}: no in-tree ${a.type} driver supplies a vmem_altmap (only the nvdimm pfn device does, for fsdax and devdax on pmem); check that this is the layout you mean`);
	}
}

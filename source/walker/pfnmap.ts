/**
Which pfns userspace can put behind a VM_PFNMAP (VM_IO) mapping, by configuration: the pfns that
KVM's hva_to_pfn_remapped() and VFIO's vaddr_get_pfn() then hand to a pfn_valid()-only guard
(walkers/kvm_try_get_pfn.ts, walkers/is_invalid_reserved_pfn.ts, …), and the System RAM behind
them that x86 PAT looks up (walkers/lookup_memtype.ts). The knobs are topology config keys
(docs/topology-format.md): strict_devmem, io_strict_devmem, device_pfnmap.

Two ways in, both root:
- mmap() of /dev/mem: drivers/char/mem.c mmap_mem() → range_is_allowed(), which with
  CONFIG_STRICT_DEVMEM asks devmem_is_allowed() for every pfn and without it allows all [V 6.1,
  6.12]; then remap_pfn_range() makes the VMA VM_IO | VM_PFNMAP.
  - x86 (arch/x86/mm/init.c devmem_is_allowed()): System RAM (region_intersects()
    IORESOURCE_SYSTEM_RAM) is refused, except below pfn 256 (the first 1 MiB: returns 2, reads
    zero-filled, mmap allowed); then an exclusive resource (iomem_is_exclusive()) is refused,
    again except below pfn 256; everything else is allowed [V 6.12]. Before v4.16 the first 1 MiB
    was allowed first, System RAM or not (a4866aa81251 "mm: Tighten x86 /dev/mem with zeroing
    reads" [P]): the same pfns for mmap.
  - arm64, riscv64 (lib/devmem_is_allowed.c), ppc64 (arch/powerpc/mm/mem.c, plus the RTAS user
    buffer, boot RAM, not modelled): an exclusive resource is refused, System RAM (page_is_ram())
    is refused, everything else is allowed [V 6.12].
  - kernel/resource.c resource_is_exclusive(): a resource is exclusive when it is System RAM with
    IORESOURCE_EXCLUSIVE (virtio-mem's and dax/kmem's driver-managed parents, not modelled), or when
    it is busy and CONFIG_IO_STRICT_DEVMEM is set (or IORESOURCE_EXCLUSIVE) [V 6.12];
    IO_STRICT_DEVMEM came with 90a545e98126 "restrict /dev/mem to idle io memory ranges" (v4.5 [P]).
- a driver's PFNMAP of device memory (vfio-pci's BAR mmap: remap_pfn_range() or vmf_insert_pfn()
  in a driver's mmap or fault handler): MMIO the topology does not describe (holes: already
  allowed to /dev/mem above) and the PCI BAR memory it does, p2pdma ranges, even where
  CONFIG_IO_STRICT_DEVMEM keeps them from /dev/mem [A]. Memory-backed ZONE_DEVICE ranges (fsdax,
  devdax, generic, device-private, coherent) are their own drivers' and no in-tree driver is known
  to PFNMAP them [U].

The iomem resources, as modelled: "System RAM" per boot range and per add_memory(), whatever the
online state of its blocks (systemRamResources()); arm64 MEMBLOCK_NOMAP ranges are "reserved"
IORESOURCE_MEM, not System RAM and not busy (arch/arm64/kernel/setup.c
request_standard_resources() [V 6.12]); a ZONE_DEVICE range is a busy resource, claimed by its
driver (the pmem namespace, device-dax, request_free_mem_region() for device-private) [A]; holes
have no resource [A] (x86 e820 "Reserved" ranges are not modelled).
*/
import type {Model} from '../model/types.js';
import {orNothingToWalk, type Pass, type PageView} from './contract.js';
import type {PfnSpan} from './ranges.js';
import {packSpans, type PackedSpans, perModelPacked, perModelSpans, systemRamResources, unpackSpans} from './ranges.js';

/** A set of pfns one setting exposes, with the sentence a witness gives for it. */
export type Exposure = {
	/** Pass label: "/dev/mem mmap: not System RAM". */
	readonly label: string;
	readonly ranges: readonly PfnSpan[];
	/** Appended to witness sentences (Pass.why): the setting that exposes the pfn. */
	readonly why: string;
};

/** The resolved knobs (arch defaults as source/topology/load.ts resolves them, for hand-built topologies). */
export function pfnmapKnobs(model: Model): {strict_devmem: boolean; io_strict_devmem: boolean; device_pfnmap: boolean; ioremap_ram: boolean} {
	const {config, arch} = model.topology;
	const strict = config.strict_devmem ?? (arch === 'x86_64' || arch.startsWith('arm64') || arch.startsWith('ppc64'));
	return {
		strict_devmem: strict,
		io_strict_devmem: config.io_strict_devmem ?? strict,
		device_pfnmap: config.device_pfnmap ?? true,
		ioremap_ram: config.ioremap_ram ?? false,
	};
}

/** Sorted, merged spans. */
function normalize(spans: readonly PfnSpan[]): PfnSpan[] {
	const sorted = spans.filter(s => s.end > s.start).sort((a, b) => a.start - b.start);
	const out: PfnSpan[] = [];
	for (const span of sorted) {
		const last = out.at(-1);
		if (last && span.start <= last.end) {
			out[out.length - 1] = {start: last.start, end: Math.max(last.end, span.end)};
		} else {
			out.push({start: span.start, end: span.end});
		}
	}

	return out;
}

/** a ∩ b (both normalized). */
export function intersectSpans(a: readonly PfnSpan[], b: readonly PfnSpan[]): PfnSpan[] {
	const out: PfnSpan[] = [];
	let j = 0;
	for (const x of a) {
		while (j < b.length && b[j]!.end <= x.start) {
			j++;
		}

		for (let k = j; k < b.length && b[k]!.start < x.end; k++) {
			const start = Math.max(x.start, b[k]!.start);
			const end = Math.min(x.end, b[k]!.end);
			if (end > start) {
				out.push({start, end});
			}
		}
	}

	return out;
}

/** a \ b (both normalized: sorted and disjoint, so one pass over each). */
export function subtractSpans(a: readonly PfnSpan[], b: readonly PfnSpan[]): PfnSpan[] {
	const out: PfnSpan[] = [];
	let j = 0;
	for (const x of a) {
		// b's spans that end at or before x starts end before every later span of a too.
		while (j < b.length && b[j]!.end <= x.start) {
			j++;
		}

		let cursor = x.start;
		for (let k = j; k < b.length && b[k]!.start < x.end; k++) {
			const y = b[k]!;
			if (y.end <= cursor) {
				continue;
			}

			if (y.start > cursor) {
				out.push({start: cursor, end: y.start});
			}

			cursor = Math.max(cursor, y.end);
		}

		if (cursor < x.end) {
			out.push({start: cursor, end: x.end});
		}
	}

	return out;
}

/** The "System RAM" resources (page_is_ram(), walk_system_ram_range()), less arm64 MEMBLOCK_NOMAP ranges. */
export const systemRam = perModelSpans((model: Model): PfnSpan[] => {
	const ram = normalize(systemRamResources(model));
	const nomap = normalize(model.entries.flatMap(entry => (entry.kind === 'boot' ? entry.nomap.map(n => ({start: n.start_pfn, end: n.end_pfn})) : [])));
	return subtractSpans(ram, nomap);
});

/** Busy resources other than System RAM: the ZONE_DEVICE ranges still registered [A]. */
export function busyDeviceRanges(model: Model): PfnSpan[] {
	return normalize(model.pgmaps.filter(pgmap => pgmap.in_xarray).map(pgmap => ({start: pgmap.start_pfn, end: pgmap.end_pfn})));
}

/** PCI BAR memory the topology names: the p2pdma ranges (pci_p2pdma_add_resource() of a BAR) [A]. */
export function pciBarRanges(model: Model): PfnSpan[] {
	return normalize(model.pgmaps.filter(pgmap => pgmap.in_xarray && pgmap.type === 'p2pdma').map(pgmap => ({start: pgmap.start_pfn, end: pgmap.end_pfn})));
}

/** x86: the first 1 MiB, which devmem_is_allowed() gives to mmap() of /dev/mem whatever is there. */
export const X86_LOW_PFNS = 256;

/** Exposures with their ranges packed (perModelPacked(), packSpans()): 53 000 ranges at 100 000 topology entries. */
type PackedExposure = Omit<Exposure, 'ranges'> & {readonly ranges: PackedSpans};

function packExposures(exposures: Exposure[]): PackedExposure[] {
	return exposures.map(({label, ranges, why}) => ({label, ranges: packSpans(ranges), why}));
}

function unpackExposures(packed: PackedExposure[]): Exposure[] {
	return packed.map(({label, ranges, why}) => ({label, ranges: unpackSpans(ranges), why}));
}

/**
The pfns a VM_PFNMAP mapping can expose under the topology's settings, as disjoint sets each with
the setting that exposes it. Pfns no setting exposes are in none.
*/
export const pfnmapExposures = perModelPacked((model: Model): Exposure[] => {
	const knobs = pfnmapKnobs(model);
	const all: PfnSpan[] = [{start: 0, end: model.geometry.max_possible_pfn}];
	if (!knobs.strict_devmem) {
		return [
			{
				label: '/dev/mem mmap: every pfn (CONFIG_STRICT_DEVMEM=n)',
				ranges: all,
				why: 'pfn exposed by mmap() of /dev/mem: without CONFIG_STRICT_DEVMEM (config.strict_devmem: false) range_is_allowed() allows every pfn (drivers/char/mem.c)',
			},
		];
	}

	const ram = systemRam(model);
	const busy = knobs.io_strict_devmem ? subtractSpans(busyDeviceRanges(model), ram) : [];
	const refused = normalize([...ram, ...busy]);
	const x86 = model.geometry.arch === 'x86_64';
	const low: PfnSpan[] = x86 ? intersectSpans(refused, [{start: 0, end: X86_LOW_PFNS}]) : [];
	const allowed = subtractSpans(all, refused);
	const devmemWhy = knobs.io_strict_devmem
		? 'CONFIG_STRICT_DEVMEM and CONFIG_IO_STRICT_DEVMEM (config.strict_devmem, config.io_strict_devmem: the distribution default) let devmem_is_allowed() allow a pfn that is neither System RAM nor in a busy resource'
		: 'CONFIG_STRICT_DEVMEM without CONFIG_IO_STRICT_DEVMEM (config.io_strict_devmem: false) lets devmem_is_allowed() allow a pfn that is not System RAM, busy or not';
	const exposures: Exposure[] = [];
	if (low.length > 0) {
		exposures.push({
			label: '/dev/mem mmap: x86 first 1 MiB',
			ranges: low,
			why: 'pfn exposed by mmap() of /dev/mem: x86 devmem_is_allowed() allows the first 1 MiB even where it is System RAM or busy (arch/x86/mm/init.c), under CONFIG_STRICT_DEVMEM (the distribution default)',
		});
	}

	exposures.push({
		label: '/dev/mem mmap: not System RAM',
		ranges: x86 ? subtractSpans(allowed, low) : allowed,
		why: `pfn exposed by mmap() of /dev/mem: ${devmemWhy} (drivers/char/mem.c, kernel/resource.c)`,
	});
	if (knobs.device_pfnmap) {
		// PCI BAR memory the topology names (p2pdma) that /dev/mem refused as busy.
		const bars = subtractSpans(intersectSpans(pciBarRanges(model), busy), low);
		if (bars.length > 0) {
			exposures.push({
				label: 'driver PFNMAP: PCI BAR memory',
				ranges: bars,
				why: 'pfn exposed by a driver\'s PFNMAP of PCI BAR memory (config.device_pfnmap: true, the default: a vfio-pci BAR mmap); /dev/mem refuses it as busy under CONFIG_IO_STRICT_DEVMEM',
			});
		}
	}

	return exposures.filter(exposure => exposure.ranges.length > 0);
}, packExposures, unpackExposures);

/** The pfns of `exposures` that are System RAM at or above `from` (x86 PAT: pat_pagerange_is_ram() skips the ISA range below 1 MiB). */
export function exposedSystemRam(model: Model, exposures: readonly Exposure[], from = 0): Exposure[] {
	const ram = intersectSpans(systemRam(model), [{start: from, end: model.geometry.max_possible_pfn}]);
	return exposures
		.map(exposure => ({...exposure, ranges: intersectSpans(normalize(exposure.ranges), ram)}))
		.filter(exposure => exposure.ranges.length > 0);
}

/**
PageReserved() of what a walker read: the flag of an initialized (or stale) page; set in a
poisoned one (page_init_poison() fills the struct page with 0xff, so every flag bit is set [A]);
unknown (undefined) for garbage or no memmap — the walker takes the branch that goes further.
*/
export function pageReserved(view: PageView): boolean | undefined {
	switch (view.content) {
		case 'init':
		case 'stale': {
			return view.reserved;
		}

		case 'poison': {
			return true;
		}

		default: {
			return undefined;
		}
	}
}

/**
is_zone_device_page() of what a walker read: page_zonenum() == ZONE_DEVICE. For a poisoned page
page_zonenum() is ZONES_MASK (all bits set), which is not ZONE_DEVICE with the five zones of
x86_64 and arm64 (ZONES_SHIFT 3: 7 against 4) [A]; unknown for garbage.
*/
export function isZoneDevicePage(view: PageView): boolean | undefined {
	switch (view.content) {
		case 'init':
		case 'stale': {
			return view.zone === 'Device';
		}

		case 'poison': {
			return false;
		}

		default: {
			return undefined;
		}
	}
}

/** Passes over `exposures`, one per setting, or one empty pass saying why there is nothing to walk. */
export function exposurePasses(exposures: readonly Exposure[], step: Pass['step'], nothing: string): readonly Pass[] {
	return orNothingToWalk(
		exposures.map(exposure => ({label: exposure.label, ranges: exposure.ranges, direction: 'up' as const, stride: 1, why: exposure.why, step})),
		nothing,
	);
}

/**
The System RAM a driver's ioremap() covers when config.ioremap_ram is set: every System RAM pfn
(x86 arch/x86/mm/ioremap.c __ioremap_caller() refuses only ranges with a pfn_valid() page that is
not PageReserved, __ioremap_check_ram()). Empty by default: no in-tree caller is known to
ioremap() hot-added System RAM [U].
*/
export function ioremapRamExposures(model: Model, from = 0): Exposure[] {
	if (!pfnmapKnobs(model).ioremap_ram) {
		return [];
	}

	const ranges = intersectSpans(systemRam(model), [{start: from, end: model.geometry.max_possible_pfn}]);
	return ranges.length === 0
		? []
		: [{label: 'ioremap() of System RAM', ranges, why: 'pfn in a System RAM resource a driver ioremap()s (config.ioremap_ram: true, not the default: no in-tree caller known)'}];
}

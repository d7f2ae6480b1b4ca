/**
Zones and nodes as the model keeps them: per node, every zone of the arch plus ZONE_MOVABLE and
ZONE_DEVICE, each with its span [zone_start_pfn, zone_end_pfn), present pages and `contiguous`.

Boot zone limits (max_zone_pfns[] handed to free_area_init()), per arch:
- x86_64: ZONE_DMA < 16 MiB, ZONE_DMA32 < 4 GiB (arch/x86/mm/init.c:zone_sizes_init()).
- arm64: by release and by where DRAM starts and ends (memblock_start_of_DRAM(),
  memblock_end_of_DRAM(), NOMAP included) and by the platform's DMA limit (config.dma_limit):
  arm64Zones() below.
- riscv64: ZONE_DMA32 < 4 GiB. s390x: ZONE_DMA < 2 GiB. ppc64: ZONE_NORMAL only.
Boot memory is never put in ZONE_MOVABLE (no kernelcore=/movable_node).

"zone 0" (the bogus zone of zeroed and v5.6–v5.11 hole pages) is the first zone of the arch's
list at the release (zoneZero()).
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch} from './geometry.js';
import type {NodeSpan, Zone, ZoneName} from './types.js';

export type ZoneLimit = {readonly name: ZoneName; readonly endByte: number};

const GiB = 2 ** 30;
const MiB = 2 ** 20;
/** U32_MAX + 1: the 4 GiB of a 32-bit DMA mask. */
const FOUR_GiB = 4 * GiB;

/** Where boot memory lies: memblock_start_of_DRAM() and memblock_end_of_DRAM(), bytes. */
export type Dram = {readonly start: number; readonly end: number};

/** What decides the boot zones besides the arch: the release and config.dma_limit. */
export type ZoneContext = {readonly arch: Arch; readonly kernel: KernelVersion; readonly config?: {readonly dma_limit?: number}};

/**
The boot zones of an arch at a release, in enum zone_type order (names only; their limits depend
on the machine: bootZoneLimits()).

arm64: ZONE_DMA alone (the 32-bit zone) before v5.0; ZONE_DMA32 from v5.0 (ad67f5a6545f "arm64:
replace ZONE_DMA with ZONE_DMA32"); both from v5.5 (1a8e1cef7603 "arm64: use both ZONE_DMA and
ZONE_DMA32"; CONFIG_ZONE_DMA and CONFIG_ZONE_DMA32 are `default y if ARM64` in mm/Kconfig of 6.1
and 6.12).
*/
export function zoneNames(arch: Arch, kernel: KernelVersion): readonly ZoneName[] {
	switch (arch) {
		case 'x86_64': {
			return ['DMA', 'DMA32', 'Normal'];
		}

		case 'arm64-4k':
		case 'arm64-16k':
		case 'arm64-64k': {
			if (atLeast(kernel, '5.5')) {
				return ['DMA', 'DMA32', 'Normal'];
			}

			return atLeast(kernel, '5.0') ? ['DMA32', 'Normal'] : ['DMA', 'Normal'];
		}

		case 'riscv64': {
			return ['DMA32', 'Normal'];
		}

		case 's390x': {
			return ['DMA', 'Normal'];
		}

		case 'ppc64-64k': {
			return ['Normal'];
		}
	}
}

/** The boot zones with their limits (exclusive end, bytes), in enum zone_type order. */
export function bootZoneLimits(ctx: ZoneContext, dram: Dram): readonly ZoneLimit[] {
	switch (ctx.arch) {
		case 'x86_64': {
			return [
				{name: 'DMA', endByte: 16 * MiB},
				{name: 'DMA32', endByte: FOUR_GiB},
				{name: 'Normal', endByte: Number.POSITIVE_INFINITY},
			];
		}

		case 'arm64-4k':
		case 'arm64-16k':
		case 'arm64-64k': {
			return arm64Zones(ctx.kernel, dram, ctx.config?.dma_limit);
		}

		case 'riscv64': {
			return [
				{name: 'DMA32', endByte: FOUR_GiB},
				{name: 'Normal', endByte: Number.POSITIVE_INFINITY},
			];
		}

		case 's390x': {
			return [
				{name: 'DMA', endByte: 2 * GiB},
				{name: 'Normal', endByte: Number.POSITIVE_INFINITY},
			];
		}

		case 'ppc64-64k': {
			return [{name: 'Normal', endByte: Number.POSITIVE_INFINITY}];
		}
	}
}

/** fls64(): the 1-based index of the highest set bit, 0 for 0 (include/asm-generic/bitops/fls64.h). */
function fls64(value: number): number {
	return value <= 0 ? 0 : Math.floor(Math.log2(value)) + 1;
}

/** min(offset + 2^bits, end) with offset = start rounded down to 2^bits: the pre-v5.11 max_zone_*phys(). */
function offsetZoneLimit(dram: Dram, bits: number): number {
	const size = 2 ** bits;
	return Math.min(Math.floor(dram.start / size) * size + size, dram.end);
}

/**
arch/arm64/mm/init.c:zone_sizes_init() and max_zone_phys() by release. `dmaLimit` is the inclusive
highest CPU physical address every DMA master reaches: of_dma_get_max_cpu_address(NULL) (the
device tree's dma-ranges) and acpi_iort_dma_get_max_cpu_address() (the IORT), whichever is lower;
absent = neither restricts (PHYS_ADDR_MAX), as on QEMU's virt machine.

- before v5.0: ZONE_DMA = max_zone_dma_phys(): the 4 GiB above DRAM's start rounded down to 4 GiB
  ("32-bit devices will use a DMA offset"), capped at the end of DRAM.
- v5.0–v5.4: the same limit, as ZONE_DMA32 (ad67f5a6545f).
- v5.5–v5.10: ZONE_DMA = max_zone_phys(ARM64_ZONE_DMA_BITS = 30) and ZONE_DMA32 =
  max_zone_phys(32), each the 2^bits above DRAM's start rounded down to 2^bits (1a8e1cef7603 as
  merged, GENMASK_ULL(63, zone_bits)). The firmware's limit is not read.
- v5.11–v6.11: zone_dma_bits = min3(32, fls64(dt), fls64(acpi)) (8424ecdde7df "arm64: mm: Set
  ZONE_DMA size based on devicetree's dma-ranges", 2b865293f5f5 "arm64: mm: Set ZONE_DMA size
  based on early IORT scan"), and max_zone_phys() without the DMA offset (791ab8b2e3db "arm64:
  Ignore any DMA offsets in the max_zone_phys() calculation"): a zone whose mask lies below
  DRAM's start grows to 4 GiB, and both zones cover all of DRAM when it starts above 4 GiB. As in
  6.1's arch/arm64/mm/init.c (5.10.y has 791ab8b2e3db as a stable backport; the model follows
  mainline).
- from v6.12: zone_dma_limit, a plain address (ba0fb44aed47 "dma-mapping: replace zone_dma_bits
  by zone_dma_limit", 3be9b846896d "arm64: support DMA zone above 4GB", with Baruch Siach's
  "arm64: mm: keep low RAM dma zone" capping it at 4 GiB when DRAM starts below it; all in the
  dma-mapping-6.12 pull); max_zone_phys() is min(limit, end - 1) + 1. As in Debian's 6.12.118
  tree. With no firmware limit both forms give the same zones.
A zone whose limit is not above the previous one's is empty (free_area_init()).
*/
function arm64Zones(kernel: KernelVersion, dram: Dram, dmaLimit: number | undefined): readonly ZoneLimit[] {
	const normal: ZoneLimit = {name: 'Normal', endByte: Number.POSITIVE_INFINITY};
	if (!atLeast(kernel, '5.5')) {
		return [{name: atLeast(kernel, '5.0') ? 'DMA32' : 'DMA', endByte: offsetZoneLimit(dram, 32)}, normal];
	}

	if (!atLeast(kernel, '5.11')) {
		return [
			{name: 'DMA', endByte: offsetZoneLimit(dram, 30)},
			{name: 'DMA32', endByte: offsetZoneLimit(dram, 32)},
			normal,
		];
	}

	const limit = dmaLimit ?? Number.POSITIVE_INFINITY;
	if (!atLeast(kernel, '6.12')) {
		// max_zone_phys(zone_bits): zone_mask = DMA_BIT_MASK(zone_bits), widened to PHYS_ADDR_MAX when
		// DRAM starts above 4 GiB, to U32_MAX when it starts above the mask.
		const maxZonePhys = (bits: number): number => {
			let mask = 2 ** bits - 1;
			if (dram.start > FOUR_GiB - 1) {
				mask = Number.POSITIVE_INFINITY;
			} else if (dram.start > mask) {
				mask = FOUR_GiB - 1;
			}

			return Math.min(mask, dram.end - 1) + 1;
		};

		const bits = limit === Number.POSITIVE_INFINITY ? 32 : Math.min(32, fls64(limit));
		return [
			{name: 'DMA', endByte: maxZonePhys(bits)},
			{name: 'DMA32', endByte: maxZonePhys(32)},
			normal,
		];
	}

	const zoneDmaLimit = dram.start < FOUR_GiB - 1 ? Math.min(limit, FOUR_GiB - 1) : limit;
	return [
		{name: 'DMA', endByte: Math.min(zoneDmaLimit, dram.end - 1) + 1},
		{name: 'DMA32', endByte: Math.min(FOUR_GiB - 1, dram.end - 1) + 1},
		normal,
	];
}

/** Every zone a node has in the model, in enum zone_type order. */
export function nodeZoneNames(arch: Arch, kernel: KernelVersion): readonly ZoneName[] {
	return [...zoneNames(arch, kernel), 'Movable', 'Device'];
}

/** The zone whose index is 0 (what a zeroed struct page reports, page_zonenum() == 0): the first of zoneNames(). */
export function zoneZero(arch: Arch, kernel: KernelVersion): ZoneName {
	return zoneNames(arch, kernel)[0]!;
}

/** Mutable zone record used during the replay. */
export type ZoneRec = {
	nid: number;
	name: ZoneName;
	start: number;
	/** Exclusive; start === end means the zone spans nothing (zone_is_empty()). */
	end: number;
	present: number;
	contiguous: boolean;
};

export function zoneIsEmpty(zone: ZoneRec): boolean {
	return zone.end <= zone.start;
}

/** mm/memory_hotplug.c:resize_zone_range() (and init_currently_empty_zone() for an empty zone). */
export function resizeZoneRange(zone: ZoneRec, start: number, end: number): void {
	if (zoneIsEmpty(zone)) {
		zone.start = start;
		zone.end = end;
		return;
	}

	zone.start = Math.min(zone.start, start);
	zone.end = Math.max(zone.end, end);
}

/** Node span as update_pgdat_span() computes it: the hull of the non-empty zone spans. */
export function nodeSpan(zones: readonly ZoneRec[], nid: number): NodeSpan {
	let start = 0;
	let end = 0;
	for (const zone of zones) {
		if (zone.nid !== nid || zoneIsEmpty(zone)) {
			continue;
		}

		if (end === 0) {
			start = zone.start;
			end = zone.end;
			continue;
		}

		start = Math.min(start, zone.start);
		end = Math.max(end, zone.end);
	}

	return {nid, node_start_pfn: start, node_end_pfn: end};
}

export function freezeZone(zone: ZoneRec): Zone {
	return {
		nid: zone.nid,
		name: zone.name,
		zone_start_pfn: zone.start,
		zone_end_pfn: zoneIsEmpty(zone) ? zone.start : zone.end,
		populated: zone.name !== 'Device' && zone.present > 0,
		contiguous: zone.contiguous,
	};
}

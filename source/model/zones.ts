/**
Zones and nodes as the model keeps them: per node, every zone of the arch plus ZONE_MOVABLE and
ZONE_DEVICE, each with its span [zone_start_pfn, zone_end_pfn), present pages and `contiguous`.

Simplifications (docs/model-facts.md, "Zones"):
- Zone limits are fixed physical addresses per arch (x86_64: ZONE_DMA < 16 MiB, ZONE_DMA32 < 4 GiB,
  arch/x86/mm/init.c:zone_sizes_init(); arm64 and riscv64: ZONE_DMA32 < 4 GiB, ignoring arm64's
  firmware-derived ZONE_DMA limit; s390x: ZONE_DMA < 2 GiB; ppc64: ZONE_NORMAL only).
- Boot memory is never put in ZONE_MOVABLE (no kernelcore=/movable_node).
- "zone 0" (the bogus zone of zeroed and v5.6–v5.11 hole pages) is the first zone of the arch's
  list, except arm64 from v5.5, where zone index 0 is ZONE_DMA (zoneZero()).
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch} from './geometry.js';
import type {NodeSpan, Zone, ZoneName} from './types.js';

type ZoneLimit = {readonly name: ZoneName; readonly endByte: number};

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** The boot zones of an arch, in enum zone_type order, each ending at `endByte` (exclusive). */
export function archZones(arch: Arch): readonly ZoneLimit[] {
	switch (arch) {
		case 'x86_64': {
			return [
				{name: 'DMA', endByte: 16 * MiB},
				{name: 'DMA32', endByte: 4 * GiB},
				{name: 'Normal', endByte: Number.POSITIVE_INFINITY},
			];
		}

		case 'arm64-4k':
		case 'arm64-16k':
		case 'arm64-64k':
		case 'riscv64': {
			return [
				{name: 'DMA32', endByte: 4 * GiB},
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

/** Every zone a node has in the model, in enum zone_type order. */
export function nodeZoneNames(arch: Arch): readonly ZoneName[] {
	return [...archZones(arch).map(z => z.name), 'Movable', 'Device'];
}

/**
The zone whose index is 0 (what a zeroed struct page reports, page_zonenum() == 0). On arm64 that
is ZONE_DMA from v5.5 (1a8e1cef7603 "arm64: use both ZONE_DMA and ZONE_DMA32", Nicolas Saenz
Julienne [P]; CONFIG_ZONE_DMA default y [V 5.10 arch/arm64/Kconfig]), even though pfnaudit gives
arm64 no ZONE_DMA span (its limit is firmware-derived, archZones()); before, ZONE_DMA32. Elsewhere
the first zone of archZones().
*/
export function zoneZero(arch: Arch, kernel: KernelVersion): ZoneName {
	if (arch.startsWith('arm64') && atLeast(kernel, '5.5')) {
		return 'DMA';
	}

	return archZones(arch)[0]!.name;
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

/**
Small topologies shared by the end-to-end walker tests. Each one is the minimal layout of a
historical bug; the tests build it at the versions on both sides of the fix.
*/
import type {Topology} from '../../source/topology/types.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

/**
x86_64, 36-bit physical address space (NR_MEM_SECTIONS 512), sections and memory blocks 0x8000
pfns. Three blocks hot-added above 4 GiB: A and C onlined to ZONE_NORMAL, B between them never
onlined, so B lies inside ZONE_NORMAL's span.

	| boot RAM (DMA, DMA32) |   | A online | B offline (C1) | C online |
	0x0                0x80000  0x100000  0x108000         0x110000   0x118000
	                            |<---------- ZONE_NORMAL span ---------->|
*/
export function offlineInZoneSpan(): Topology {
	return topology({kernel: '6.12', config: {max_physmem_bits: 36}})
		.boot(0, 2 * GiB)
		.hotplug(4 * GiB, 128 * MiB, 'online')
		.hotplug(4 * GiB + 128 * MiB, 128 * MiB, 'offline')
		.hotplug(4 * GiB + 256 * MiB, 128 * MiB, 'online')
		.build();
}

/** B of offlineInZoneSpan(): the never-onlined block. */
export const OFFLINE_BLOCK: readonly [number, number] = [0x10_8000, 0x11_0000];

/**
x86_64, 36-bit physical address space. Boot RAM ends 64 MiB into section 0x10; a devdax range with
an altmap (map=dev) fills the rest of that early, online section (the v5.3+ section collision);
more boot RAM from 3 GiB keeps the device inside ZONE_DMA32's span.

	| boot RAM           | C5 | metadata | devdax data (C2) |   | boot RAM      |
	0x0             0x84000 0x84002  0x84200            0x88000  0xc0000     0x100000
	                |<-------- section 0x10 [0x80000, 0x88000) ---------->|
*/
export function collision(): Topology {
	return topology({kernel: '6.12', config: {max_physmem_bits: 36}})
		.boot(0, 2 * GiB + 64 * MiB)
		.boot(3 * GiB, GiB)
		.device('devdax', 2 * GiB + 64 * MiB, 64 * MiB, {altmap: {reserve: 2, free: 'auto'}})
		.build();
}

export const COLLISION_C5: readonly [number, number] = [0x8_4000, 0x8_4002];
export const COLLISION_METADATA: readonly [number, number] = [0x8_4002, 0x8_4200];

/**
arm64 with 64K pages (section = pageblock = 512 MiB = 0x2000 pfns from v5.12, subsection 2 MiB),
40-bit physical address space. Section 5 [0xa000, 0xc000) has RAM at both ends, so at boot every
pageblock of ZONE_DMA (arm64's 32-bit zone from v5.11 without a firmware DMA limit) passes
__pageblock_pfn_to_page() and the zone is contiguous; then an fsdax
namespace (altmap: reserve 1 page, memmap storage 4 pages) and a devdax range still in
memremap_pages() are mapped into the middle of that section. memremap_pages() recomputes
contiguity for ZONE_DEVICE only: ZONE_DMA stays contiguous (walkers.md W07/W09 [A]).

	| boot RAM | RAM | C5 | meta | fsdax (C2) | devdax, initializing (C4) | RAM | boot RAM |
	0x8000  0xa000 0xa800 0xa801 0xa805     0xb000                      0xb800 0xc000   0x10000
	               |<------------------- section 5 = one pageblock ------------------->|
*/
export function contiguousBypass(): Topology {
	return topology({arch: 'arm64-64k', kernel: '6.12', config: {max_physmem_bits: 40}})
		.boot(2 * GiB, 640 * MiB)
		.boot(2 * GiB + 896 * MiB, GiB + 128 * MiB)
		.device('fsdax', 2 * GiB + 640 * MiB, 128 * MiB, {altmap: {reserve: 1, free: 4}})
		.device('devdax', 2 * GiB + 768 * MiB, 128 * MiB, {state: 'initializing'})
		.build();
}

export const BYPASS_C5: readonly [number, number] = [0xa800, 0xa801];
export const BYPASS_METADATA: readonly [number, number] = [0xa801, 0xa805];
export const BYPASS_C4: readonly [number, number] = [0xb000, 0xb800];

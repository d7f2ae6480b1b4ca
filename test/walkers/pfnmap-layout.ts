/**
The small x86_64 layout of the PFNMAP walker tests (MAX_PHYSMEM_BITS 32, sections and memory
blocks 0x8000 pfns), built at a kernel version under the topology's PFNMAP settings:

	| boot RAM | offline (C1) |   | fsdax: C5 | metadata | data (C2) |   | p2pdma BAR (C2) |   …
	0x0   0x40000        0x48000 0x80000  +2        +0x40      0x88000 0xc0000         0xc8000  0x100000
*/
import {buildModel} from '../../source/model/build.js';
import type {Model} from '../../source/model/types.js';
import type {TopologyConfig} from '../../source/topology/types.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

export const C1_PFN = 0x4_0000;
export const C5_PFN = 0x8_0000;
export const P2PDMA_PFN = 0xc_0000;

export function pfnmapLayout(kernel: string, config: Partial<TopologyConfig> = {}): Model {
	return buildModel(
		topology({kernel, config: {max_physmem_bits: 32, ...config}})
			.boot(0, 1 * GiB)
			.hotplug(1 * GiB, 128 * MiB, 'offline')
			.device('fsdax', 2 * GiB, 128 * MiB, {altmap: {reserve: 2, free: 'auto'}})
			.device('p2pdma', 3 * GiB, 128 * MiB)
			.build(),
	);
}

/** CONFIG_STRICT_DEVMEM=n: /dev/mem maps every pfn. */
export const NO_STRICT_DEVMEM: Partial<TopologyConfig> = {strict_devmem: false, io_strict_devmem: false};

/**
memory_block_size_bytes() by architecture and kernel version: the granularity of System RAM
hotplug (check_hotplug_memory_range() in mm/memory_hotplug.c requires hot-added ranges to be
aligned to it) and of /sys/devices/system/memory/memoryN.

The generic value is MIN_MEMORY_BLOCK_SIZE = 1 << SECTION_SIZE_BITS (include/linux/memory.h,
__weak memory_block_size_bytes() in drivers/base/memory.c). Overrides:

- x86_64, arch/x86/mm/init_64.c probe_memory_block_size() — read in v5.10, v6.1 and v6.12 (the
  three trees are identical): set_memory_block_size_order() wins (not modelled: give
  `memory_block_size` explicitly, as SGI UV firmware does); else 128 MiB if the end of boot memory
  (max_pfn << PAGE_SHIFT) is below 64 GiB (MEM_SIZE_FOR_LARGE_BLOCK); else 2 GiB (MAX_BLOCK_SIZE)
  on bare metal (!X86_FEATURE_HYPERVISOR); else, in a VM, the largest power of two <= 2 GiB that
  divides the end of boot memory.
  History: before v4.17 [U exact tag] the rule was "2 GiB if max_pfn reaches 64 GiB (or on UV),
  else 128 MiB"; Pavel Tatashin's "x86/mm/memory_hotplug: determine block size based on the end of
  boot memory" (linux-mm, Apr 2018, v6 of the series read) added the alignment loop for every
  machine; Daniel Jordan's "x86/mm: use max memory block size on bare metal" (~v5.8 [U exact tag])
  restricted the loop to VMs. Gregory Price's ACPI CFMWS advice (~v6.13 [U]) is not modelled.
- s390x, arch/s390/mm/init.c memory_block_size_bytes() — max(MIN_MEMORY_BLOCK_SIZE, sclp.rzm)
  (v5.10, v6.1, v6.12). sclp.rzm is the machine's storage increment; pfnaudit assumes
  rzm <= 256 MiB, so the block is the 256 MiB section. Give `memory_block_size` for larger
  increments.
- ppc64 (Book3S, 64K pages), ppc_md.memory_block_size(): pseries returns the LMB size from the
  device tree (`ibm,lmb-size`). pfnaudit assumes the common 256 MiB LMB [U]; powernv uses 256 MiB
  (hash) or 1 GiB (radix) [M]. Give `memory_block_size` for other machines.
- arm64 and riscv64 do not override it: the block is one section (arm64: 1 GiB up to v5.11,
  128 MiB / 512 MiB (64K pages) from v5.12, commit f0b13ee23241; riscv64: 128 MiB). Verified:
  no memory_block_size_bytes() in arch/arm64 or arch/riscv of v5.10, v6.1, v6.12.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch, Geometry} from './geometry.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** arch/x86/mm/init_64.c: MEM_SIZE_FOR_LARGE_BLOCK */
export const MEM_SIZE_FOR_LARGE_BLOCK = 64 * GiB;
/** arch/x86/mm/init_64.c: MAX_BLOCK_SIZE */
export const X86_MAX_BLOCK_SIZE = 2 * GiB;

export type MemoryBlockInputs = {
	readonly arch: Arch;
	readonly kernel: KernelVersion;
	readonly geometry: Geometry;
	/** End of boot memory in bytes (x86: max_pfn << PAGE_SHIFT, the end of the highest boot range). */
	readonly boot_mem_end: number;
	/** X86_FEATURE_HYPERVISOR: the kernel runs in a virtual machine (x86_64 only). */
	readonly hypervisor: boolean;
};

export type MemoryBlockSize = {
	readonly bytes: number;
	/** Which kernel rule produced it, for messages: "probe_memory_block_size(): bare metal with ≥ 64 GiB". */
	readonly rule: string;
};

/** include/linux/memory.h: MIN_MEMORY_BLOCK_SIZE = 1 << SECTION_SIZE_BITS */
export function MIN_MEMORY_BLOCK_SIZE(geometry: Geometry): number {
	return 2 ** geometry.SECTION_SIZE_BITS;
}

/** memory_block_size_bytes() for `memory_block_size: auto` (see the file comment for each arch). */
export function memory_block_size_bytes(inputs: MemoryBlockInputs): MemoryBlockSize {
	const min = MIN_MEMORY_BLOCK_SIZE(inputs.geometry);
	switch (inputs.arch) {
		case 'x86_64': {
			return probe_memory_block_size(inputs, min);
		}

		case 's390x': {
			return {bytes: Math.max(min, 256 * MiB), rule: 'arch/s390/mm/init.c memory_block_size_bytes(): max(MIN_MEMORY_BLOCK_SIZE, sclp.rzm), rzm assumed <= 256 MiB'};
		}

		case 'ppc64-64k': {
			return {bytes: Math.max(min, 256 * MiB), rule: 'pseries ppc_md.memory_block_size(): the ibm,lmb-size LMB, assumed 256 MiB'};
		}

		case 'arm64-4k':
		case 'arm64-16k':
		case 'arm64-64k':
		case 'riscv64': {
			return {bytes: min, rule: 'no arch override: MIN_MEMORY_BLOCK_SIZE (one section)'};
		}
	}
}

/** arch/x86/mm/init_64.c probe_memory_block_size(), by version (without set_memory_block_size_order()). */
function probe_memory_block_size(inputs: MemoryBlockInputs, min: number): MemoryBlockSize {
	const end = inputs.boot_mem_end;
	const where = 'arch/x86/mm/init_64.c probe_memory_block_size()';
	if (!atLeast(inputs.kernel, '4.17')) {
		return end >= MEM_SIZE_FOR_LARGE_BLOCK
			? {bytes: X86_MAX_BLOCK_SIZE, rule: `${where} before v4.17: 2 GiB once boot memory reaches 64 GiB`}
			: {bytes: min, rule: `${where} before v4.17: 128 MiB below 64 GiB of boot memory`};
	}

	if (end < MEM_SIZE_FOR_LARGE_BLOCK) {
		return {bytes: min, rule: `${where}: boot memory ends below 64 GiB (MEM_SIZE_FOR_LARGE_BLOCK)`};
	}

	if (atLeast(inputs.kernel, '5.8') && !inputs.hypervisor) {
		return {bytes: X86_MAX_BLOCK_SIZE, rule: `${where} from v5.8: bare metal with >= 64 GiB uses MAX_BLOCK_SIZE`};
	}

	let bz = X86_MAX_BLOCK_SIZE;
	while (bz > min && end % bz !== 0) {
		bz /= 2;
	}

	const who = atLeast(inputs.kernel, '5.8') ? 'a VM' : 'any machine before v5.8';
	return {bytes: bz, rule: `${where}: ${who} with >= 64 GiB uses the largest power of two <= 2 GiB that divides the end of boot memory`};
}

/** A `memory_block_size` given explicitly must be a power of two and at least one section. */
export function explicitMemoryBlockSizeProblem(bytes: number, geometry: Geometry): string | undefined {
	const min = MIN_MEMORY_BLOCK_SIZE(geometry);
	if (bytes < min) {
		const size = min >= GiB ? `${min / GiB} GiB` : `${min / MiB} MiB`;
		return `it is smaller than one section (MIN_MEMORY_BLOCK_SIZE = 1 << SECTION_SIZE_BITS = ${size} on this arch and kernel)`;
	}

	if (!Number.isInteger(Math.log2(bytes))) {
		return 'it is not a power of two (memory blocks are power-of-two multiples of the section size)';
	}

	return undefined;
}

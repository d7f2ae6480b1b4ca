/**
What an architecture and kernel version can do at all: memory hotplug, hot-remove (needed to
offline), ZONE_DEVICE, and each MEMORY_DEVICE_* type. Each answer is either undefined (available)
or the reason it is not, naming the Kconfig or header that decides it.

Verified in the v5.10, v6.1 and v6.12 trees (/work/kernel):
- mm/Kconfig: ZONE_DEVICE depends on MEMORY_HOTPLUG, MEMORY_HOTREMOVE, SPARSEMEM_VMEMMAP and
  ARCH_HAS_PTE_DEVMAP (all three trees).
- arch/s390/Kconfig selects no ARCH_HAS_PTE_DEVMAP in any tree: no ZONE_DEVICE on s390x.
- arch/riscv/Kconfig: no ARCH_ENABLE_MEMORY_HOTPLUG and no ARCH_HAS_PTE_DEVMAP in v5.10 and v6.1;
  both in v6.12. The series ("riscv: mm: Add memory hotplugging support", Björn Töpel,
  lore 20240605114100.315918-7-bjorn@kernel.org) was merged for v6.11 [M].
- arch/arm64/Kconfig: ARCH_HAS_PTE_DEVMAP and ARCH_ENABLE_MEMORY_HOTREMOVE in v5.10. Hot-remove
  arrived with bbd6ec605c0f "arm64/mm: Enable memory hot remove" (v14 posted on v5.6-rc4) and
  pte_devmap in the same v5.7 merge window [M]; hot-add ("arm64: Add memory hotplug support") in
  v5.0 [U].
- include/linux/memremap.h enum memory_type: v5.10 = PRIVATE, FS_DAX, GENERIC, PCI_P2PDMA;
  v6.1 and v6.12 add COHERENT; a v5.4.286 tree (KINGFIOX/linux-5.4.286) has DEVDAX where v5.10 has
  GENERIC. Patch postings show MEMORY_DEVICE_HOST/PRIVATE/PUBLIC (HMM, v4.14) and FS_DAX added
  next to HOST (~v4.17) [M]; the exact tags of PRIVATE (v4.14), PCI_P2PDMA (v4.20), the
  DEVDAX → GENERIC rename (v5.10) and COHERENT (v6.0) are [U] within those bounds.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import type {Arch} from '../model/geometry.js';
import type {DeviceType} from './types.js';

function isArm64(arch: Arch): boolean {
	return arch.startsWith('arm64');
}

/** Why `add_memory()` (System RAM hotplug) is not available, or undefined. */
export function hotplugUnavailable(arch: Arch, kernel: KernelVersion): string | undefined {
	if (arch === 'riscv64' && !atLeast(kernel, '6.11')) {
		return 'riscv64 selects ARCH_ENABLE_MEMORY_HOTPLUG only from v6.11 ("riscv: mm: Add memory hotplugging support"); arch/riscv/Kconfig of v6.1 has no memory hotplug';
	}

	if (isArm64(arch) && !atLeast(kernel, '5.0')) {
		return 'arm64 gained arch_add_memory() ("arm64: Add memory hotplug support") in v5.0';
	}

	return undefined;
}

/** Why offline_pages() (CONFIG_MEMORY_HOTREMOVE) is not available, or undefined. */
export function hotremoveUnavailable(arch: Arch, kernel: KernelVersion): string | undefined {
	if (isArm64(arch) && !atLeast(kernel, '5.7')) {
		return 'offline_pages() needs CONFIG_MEMORY_HOTREMOVE, which arm64 selects only from v5.7 (bbd6ec605c0f "arm64/mm: Enable memory hot remove")';
	}

	return hotplugUnavailable(arch, kernel);
}

/** Why there is no ZONE_DEVICE (memremap_pages()) at all, or undefined. */
export function zoneDeviceUnavailable(arch: Arch, kernel: KernelVersion, vmemmap: boolean): string | undefined {
	if (arch === 's390x') {
		return 's390x has no ZONE_DEVICE (arch/s390 selects no ARCH_HAS_PTE_DEVMAP, which mm/Kconfig ZONE_DEVICE depends on); its DCSS dax (FS_DAX_LIMITED) has no struct pages';
	}

	if (isArm64(arch) && !atLeast(kernel, '5.7')) {
		return 'arm64 has ZONE_DEVICE from v5.7 (pte_devmap support and bbd6ec605c0f "arm64/mm: Enable memory hot remove"; mm/Kconfig ZONE_DEVICE depends on ARCH_HAS_PTE_DEVMAP and MEMORY_HOTREMOVE)';
	}

	if (arch === 'riscv64' && !atLeast(kernel, '6.11')) {
		return 'riscv64 has ZONE_DEVICE from v6.11 (ARCH_HAS_PTE_DEVMAP and memory hotplug came with Björn Töpel\'s riscv memory hot(un)plug series; arch/riscv/Kconfig of v6.1 has neither)';
	}

	if (!vmemmap) {
		return 'mm/Kconfig: ZONE_DEVICE depends on SPARSEMEM_VMEMMAP, and the topology sets config.vmemmap: false';
	}

	return undefined;
}

type TypeInfo = {
	/** include/linux/memremap.h enumerator at v6.12. */
	readonly memory_type: string;
	/** First mainline release with this type. */
	readonly since: string;
	/** Why it is missing before `since`. */
	readonly history: string;
};

export const DEVICE_TYPE_INFO: Readonly<Record<DeviceType, TypeInfo>> = {
	fsdax: {
		memory_type: 'MEMORY_DEVICE_FS_DAX',
		since: '4.13',
		history: 'pmem pages were MEMORY_DEVICE_HOST until MEMORY_DEVICE_FS_DAX (~v4.17)',
	},
	devdax: {
		memory_type: 'MEMORY_DEVICE_GENERIC',
		since: '4.13',
		history: 'device-dax used MEMORY_DEVICE_HOST, then MEMORY_DEVICE_DEVDAX (v5.3), renamed MEMORY_DEVICE_GENERIC (v5.10)',
	},
	generic: {
		memory_type: 'MEMORY_DEVICE_GENERIC',
		since: '5.10',
		history: 'MEMORY_DEVICE_GENERIC is the v5.10 rename of MEMORY_DEVICE_DEVDAX (v5.3); before it, model device-dax as type: devdax',
	},
	private: {
		memory_type: 'MEMORY_DEVICE_PRIVATE',
		since: '4.14',
		history: 'MEMORY_DEVICE_PRIVATE came with HMM in v4.14',
	},
	coherent: {
		memory_type: 'MEMORY_DEVICE_COHERENT',
		since: '6.0',
		history: 'MEMORY_DEVICE_COHERENT appeared in v6.0 (absent from include/linux/memremap.h of v5.10, present in v6.1); the older MEMORY_DEVICE_PUBLIC (v4.14 to v5.2) is not modelled',
	},
	p2pdma: {
		memory_type: 'MEMORY_DEVICE_PCI_P2PDMA',
		since: '4.20',
		history: 'MEMORY_DEVICE_PCI_P2PDMA came with PCI peer-to-peer DMA in v4.20',
	},
};

/** Why this device type does not exist at this version, or undefined. */
export function deviceTypeUnavailable(type: DeviceType, kernel: KernelVersion): string | undefined {
	const info = DEVICE_TYPE_INFO[type];
	return atLeast(kernel, info.since) ? undefined : `${info.memory_type} does not exist before v${info.since}: ${info.history}`;
}

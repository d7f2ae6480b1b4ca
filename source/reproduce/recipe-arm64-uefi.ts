/**
arm64 guests under UEFI with ACPI (issue 16), for ./recipe-arm64.ts: QEMU's virt machine with
`acpi=on`, Debian's AAVMF firmware (qemu-efi-aarch64: the code as read-only pflash, a copy of the
variable store as the second), the kernel Image still given with `-kernel` (QEMU hands it to the
firmware through fw_cfg and the firmware starts it through its EFI stub). The kernel then takes its
memory from the EFI memory map (drivers/firmware/efi/efi-init.c reserve_regions()) and its devices
from ACPI, which is what an ACPI NFIT nvdimm needs (drivers/acpi/nfit).

The firmware adds MEMBLOCK_NOMAP memory of its own — on QEMU 7.2 with Debian's AAVMF 2022.11 the
64 MiB flash window at 0x400_0000 (its variable store, EFI MMIO with WC: memory to is_memory(), not
usable), ACPI NVS and the runtime services' code and data inside RAM — which the comparison reads
back from the capture (debugfs memblock/memory) and reports as deviations from the topology.

ZONE_DEVICE: each `kind: device` entry is one `-device nvdimm,addr=` (one NFIT region, no label
area: its namespace is namespaceN.0 in raw mode at boot), made an fsdax or devdax namespace in the
guest through sysfs with the writes `ndctl create-namespace -f -e namespaceN.0 --mode=… --map=…`
makes (the arm64 guest has no ndctl): unbind the namespace, take the region's seed device
(dax_seed for devdax, pfn_seed for fsdax), write it a uuid, `mode` `pmem` (map=dev: the memmap in
the namespace, vmem_altmap) or `ram` (map=mem), the namespace's name, and bind it to dax_pmem or
nd_pmem (drivers/nvdimm/pfn_devs.c mode_store(), drivers/nvdimm/claim.c namespace_store() of the
seed, nd_pfn_init() lays out the info block and memmap). The seed's `align` (align_store()) is
written first: the entry's `align:`, else PAGE_SIZE — the kernel's default,
nd_pfn_default_alignment() (2 MiB), would give device-dax compound pages (drivers/dax/device.c
dev_dax_probe(): vmemmap_shift from the dax region's align, v5.17+) where the topology asked for
none; with 4K pages the data offset stays where `free: auto` puts it (nd_pfn_init() aligns it to
max(align, memremap_compat_align()) = 2 MiB). With 16K pages PAGE_SIZE would move it (2 MiB
instead of the 32 MiB default that `free: auto` without `align:` lays out), so there an entry must
say its `align:`. Pure: no I/O.
*/
import {InputError} from '../errors/input-error.js';
import {hex} from '../model/geometry.js';
import {nd_info_block_reserve} from '../topology/altmap.js';
import {formatAddressLiteral, formatSize} from '../topology/numbers.js';
import type {DeviceEntry, SourcePosition, Topology} from '../topology/types.js';
import type {GuestStep} from './types.js';

/** Debian's qemu-efi-aarch64: the firmware code and the variable store template. */
export const AAVMF_CODE = '/usr/share/AAVMF/AAVMF_CODE.fd';
export const AAVMF_VARS = '/usr/share/AAVMF/AAVMF_VARS.fd';

const MiB = 1024 * 1024;

export type NvdimmPlan = {
	readonly args: readonly string[];
	readonly steps: readonly GuestStep[];
	readonly layout: readonly string[];
	readonly modules: readonly string[];
	/** The end of the highest nvdimm (for -m maxmem=). */
	readonly top: number;
};

function refuse(topology: Topology, message: string, pos?: SourcePosition): never {
	throw new InputError(`not realisable on a Debian arm64 kernel under QEMU: ${message}`, {file: topology.file, ...(pos ? {line: pos.line, column: pos.column} : {})});
}

function size(bytes: number): string {
	return bytes % (1024 * MiB) === 0 ? `${bytes / (1024 * MiB)}G` : `${bytes / MiB}M`;
}

/** The guest script that makes the region at `start` an fsdax or devdax namespace through sysfs. */
export function createNamespaceScript(device: DeviceEntry, align: number): string {
	const devdax = device.type === 'devdax';
	const seed = devdax ? 'dax_seed' : 'pfn_seed';
	const driver = devdax ? 'dax_pmem' : 'nd_pmem';
	const want = `0x${device.start.toString(16)}`;
	return [
		'nd=/sys/bus/nd/devices',
		'r=',
		`for x in $nd/region*; do [ "$(cat $x/resource)" = ${want} ] && r=$x; done`,
		`[ -n "$r" ] || { echo "no nvdimm region starts at ${want}" >&2; exit 1; }`,
		'ns=namespace${r##*region}.0',
		'[ -e $nd/$ns/driver ] && { echo $ns > $nd/$ns/driver/unbind || exit 1; }',
		`s=$(cat $r/${seed})`,
		'[ -n "$s" ] || { echo "$r has no seed device" >&2; exit 1; }',
		'cat /proc/sys/kernel/random/uuid > $nd/$s/uuid || exit 1',
		`echo ${align} > $nd/$s/align || exit 1`,
		`echo ${device.altmap ? 'pmem' : 'ram'} > $nd/$s/mode || exit 1`,
		'echo $ns > $nd/$s/namespace || exit 1',
		`echo $s > /sys/bus/nd/drivers/${driver}/bind || exit 1`,
	].join('\n');
}

/**
The nvdimm devices, modules and guest steps of the device entries; `deviceBase` is QEMU's device
memory region (ROUND_UP(end of RAM, 1 GiB)), `kernel` the Debian kernel.
*/
export function nvdimmPlan(topology: Topology, kernel: string, devices: readonly DeviceEntry[], deviceBase: number): NvdimmPlan {
	if (devices.length === 0) {
		return {args: [], steps: [], layout: [], modules: [], top: deviceBase};
	}

	if (kernel === '6.1') {
		refuse(topology, `${devices[0]!.label} is kind device, but Debian's 6.1 arm64 kernel is built without CONFIG_ZONE_DEVICE (config-6.1.0-*-arm64: "# CONFIG_ZONE_DEVICE is not set"), so no namespace gets struct pages (devm_memremap_pages()); give --kernel 6.12`, devices[0]!.pos);
	}

	// PAGE_SIZE of the arm64 guests the recipe boots (arm64-4k, arm64-16k).
	const pageSize = topology.arch === 'arm64-16k' ? 16 * 1024 : 4096;
	const args: string[] = [];
	const steps: GuestStep[] = [];
	const layout: string[] = [];
	for (const [i, device] of devices.entries()) {
		if (device.type !== 'fsdax' && device.type !== 'devdax') {
			refuse(topology, `${device.label} is type ${device.type}: an nvdimm namespace is fsdax or devdax (MEMORY_DEVICE_FS_DAX, or device-dax over the pfn layout); ${device.type === 'generic' ? 'a MEMORY_DEVICE_GENERIC range needs EFI soft-reserved memory or a CXL region' : device.type === 'p2pdma' ? 'a P2PDMA BAR is placed by PCI enumeration' : 'device-private and -coherent memory need an HMM driver Debian does not build'}`, device.pos);
		}

		if (device.state !== 'ready') {
			refuse(topology, `${device.label} is state ${device.state}, a moment inside memremap_pages()/memunmap_pages() that a guest cannot stop at; use state: ready`, device.pos);
		}

		// nd_info_block_reserve(): the 8K info block rounded up to whole pages (2 with 4K pages, 1 with 16K).
		if (device.altmap && (device.altmap.reserve !== nd_info_block_reserve(pageSize) / pageSize || !device.altmap.free_auto)) {
			refuse(topology, `${device.label} has altmap {reserve: ${device.altmap.reserve} pages, free: ${device.altmap.free_auto ? 'auto' : String(device.altmap.free)}}, but the pfn device always lays out the 8K info block and the memmap itself (nd_pfn_init()); write altmap: {}`, device.pos);
		}

		if (device.align === undefined && topology.arch !== 'arm64-4k') {
			refuse(topology, `${device.label} has no align:, which means an order-0 memmap laid out at the kernel's default alignment, but with ${topology.arch} pages no nd_pfn->align gives both (PAGE_SIZE puts the data at 2 MiB, memremap_compat_align(); the 32 MiB default gives device-dax compound pages); write align: the page size or 32M`, device.pos);
		}

		if (device.node !== 0) {
			refuse(topology, `${device.label} is on node ${device.node}; the arm64 recipe puts nvdimms on node 0`, device.pos);
		}

		if (device.start < deviceBase) {
			refuse(topology, `${device.label} starts at ${formatAddressLiteral(device.start)}, below QEMU's device memory region at ${formatAddressLiteral(deviceBase)} where -device nvdimm goes (hw/arm/virt.c: ROUND_UP(end of RAM, 1 GiB)); move it to ${formatAddressLiteral(deviceBase)} or above`, device.pos);
		}

		const id = `nvdimm${i}`;
		args.push('-object', `memory-backend-ram,id=${id}-mem,size=${size(device.end - device.start)}`, '-device', `nvdimm,id=${id},memdev=${id}-mem,addr=${hex(device.start)}`);
		layout.push(`${device.label}: -device nvdimm at ${hex(device.start)} (ACPI NFIT region, no label area), made ${device.type === 'fsdax' ? 'an' : 'a'} ${device.type} namespace with map=${device.altmap ? 'dev' : 'mem'} through sysfs`);
		steps.push({
			kind: 'sh',
			script: createNamespaceScript(device, device.align ?? pageSize),
			why: `${device.label}: the NFIT region at ${formatAddressLiteral(device.start)} as ${device.type === 'fsdax' ? 'an' : 'a'} ${device.type} namespace, map=${device.altmap ? 'dev: memmap in the namespace (vmem_altmap)' : 'mem: memmap in System RAM'}, through sysfs as ndctl create-namespace does (memremap_pages())`,
		});
	}

	const modules = ['nfit', 'nd_pmem', ...(devices.some(d => d.type === 'devdax') ? ['dax_pmem', 'device_dax'] : [])];
	return {args, steps, layout, modules, top: Math.max(...devices.map(d => d.end))};
}

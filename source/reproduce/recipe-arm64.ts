/**
An arm64 topology → the recipe that builds its layout on Debian's arm64 kernels under
qemu-system-aarch64 (issue 16): QEMU's `virt` machine with `-cpu max` (16K pages need an ID
register QEMU's default cortex-a15 lacks; `max` gives every granule), TCG, booted straight into the
kernel's raw Image (no firmware: the memory map comes from the device tree). Pure: no I/O; what
this cannot realise is refused with one sentence (an InputError, exit 2).

How each entry is realised:
- `kind: boot`: RAM of `-m`. The virt machine puts all of it in one memory node from 0x4000_0000
  (hw/arm/virt.c `base_memmap[VIRT_MEM]`), so the boot entries must cover one contiguous range
  from there; other starts and holes between boot ranges are refused.
- `nomap:` of a boot entry: a child of /reserved-memory with `no-map` in the machine's own device
  tree (QEMU's `-machine virt,dumpdtb=`, edited with dtc, given back with `-dtb`; QEMU still fills
  in /chosen). The kernel marks it MEMBLOCK_NOMAP (drivers/of/of_reserved_mem.c
  `early_init_dt_reserve_memory()` → `memblock_mark_nomap()`), in whole pages: the topology's pfn
  range, i.e. the range rounded inward to pages. A no-map range must stay clear of where QEMU
  loads the kernel Image and the initrd and dtb (hw/arm/boot.c: the initrd at
  loader_start + MIN(ram_size / 2, 128 MiB), the dtb after it): there it overlaps memblock.reserved
  and the kernel refuses it ("failed to reserve memory for node", -EBUSY).
- `kind: hotplug`: one `-device virtio-mem-pci` each, its memory backend the entry's size, placed
  with `memaddr=` at the entry's start and fully plugged (`requested-size=` the whole size). QEMU's
  virt machine has its device memory region from ROUND_UP(0x4000_0000 + RAM, 1 GiB) (hw/arm/virt.c
  `virt_set_memmap()`, QEMU 7.2), `maxmem - RAM` long; a hot-plugged range must lie there and be
  aligned to the guest's memory block (Linux's virtio-mem adds whole blocks,
  drivers/virtio/virtio_mem.c `virtio_mem_add_memory()` → `add_memory_driver_managed()`; /proc/iomem
  shows "System RAM (virtio_mem)" under the virtio device). The guest loads `virtio_mem` (Debian
  builds it as a module; 6.1 also needs virtio_pci, which the capture disk loads anyway) and waits
  until every block of the range is there. Blocks all `online` or all `online_movable` are
  auto-onlined by the kernel (`memhp_default_state=online` / `online_movable`,
  mm/memory_hotplug.c `mhp_default_online_type`); any other mix is added offline
  (`memhp_default_state=offline`) and onlined through sysfs per block as on x86.
- `node:` of boot entries: `-numa node,memdev=` per node (numaPlan()); of a hot-plugged entry: the
  node the kernel gives virtio-mem memory on a device-tree boot (hotAddNid()), others refused.
- `kind: device` (6.12 only: Debian's 6.1 arm64 kernel has no CONFIG_ZONE_DEVICE): an ACPI NFIT
  nvdimm in the device memory region, which needs ACPI and so UEFI; made fsdax or devdax through
  sysfs (./recipe-arm64-uefi.ts).
- UEFI with ACPI (`--uefi`, or any device entry): Debian's AAVMF firmware as pflash; the firmware's
  own NOMAP memory is read back from the capture and reported as deviations; `nomap:` ranges are
  refused there (the kernel gets the firmware's tables, not QEMU's -dtb), and so is more than one
  NUMA node (the nodes would come from ACPI's SRAT, which this recipe does not reason about).
- operations are not realised on arm64 yet and are refused.
`nokaslr` keeps the kernel image where QEMU put it.
*/
import {InputError} from '../errors/input-error.js';
import {buildModel} from '../model/build.js';
import {hex} from '../model/geometry.js';
import {formatAddressLiteral, formatSize} from '../topology/numbers.js';
import {blockRuns} from './block-runs.js';
import {probeRangeEnd} from './recipe.js';
import type {BootEntry, DeviceEntry, HotplugEntry, HotplugState, SourcePosition, Topology} from '../topology/types.js';
import {AAVMF_CODE, AAVMF_VARS, nvdimmPlan} from './recipe-arm64-uefi.js';
import type {GuestPlan, GuestStep, ReproduceArch, ReproduceKernel} from './types.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** hw/arm/virt.c base_memmap[VIRT_MEM]: RAM starts at 1 GiB. */
export const VIRT_RAM_BASE = 0x4000_0000;
/**
The bottom of RAM QEMU's direct kernel boot fills (hw/arm/boot.c, QEMU 7.2): the Image near
loader_start, the initrd at loader_start + MIN(ram_size / 2, 128 MiB) and the dtb 2 MiB-aligned
after it; 192 MiB leaves the initrd and dtb 64 MiB. A no-map range must start above.
*/
export const VIRT_LOAD_WINDOW_END = VIRT_RAM_BASE + 192 * MiB;
/** The kernels Debian builds per arm64 page size (bookworm: linux-image-6.1.0-N-arm64, linux-image-6.12.N+deb12-arm64 and -arm64-16k). */
export const ARM64_KERNELS: Readonly<Record<'arm64-4k' | 'arm64-16k', readonly ReproduceKernel[]>> = {
	'arm64-4k': ['6.1', '6.12'],
	'arm64-16k': ['6.12'],
};

export type Arm64Recipe = {
	readonly plan: GuestPlan;
	readonly layout: readonly string[];
	readonly notes: readonly string[];
	readonly ramBytes: number;
};

function refuse(topology: Topology, message: string, pos?: SourcePosition): never {
	throw new InputError(`not realisable on a Debian arm64 kernel under QEMU: ${message}`, {file: topology.file, ...(pos ? {line: pos.line, column: pos.column} : {})});
}

function size(bytes: number): string {
	for (const [unit, n] of [['G', 1024 * MiB], ['M', MiB], ['K', 1024]] as const) {
		if (bytes >= n && bytes % n === 0) {
			return `${bytes / n}${unit}`;
		}
	}

	return String(bytes);
}

export type Arm64RecipeOptions = {
	/** Boot through UEFI firmware with ACPI (implied by device entries: an NFIT needs ACPI). */
	readonly uefi?: boolean;
};

export function buildArm64Recipe(topology: Topology, kernel: string, options: Arm64RecipeOptions = {}): Arm64Recipe {
	if (topology.arch !== 'arm64-4k' && topology.arch !== 'arm64-16k') {
		refuse(topology, `arch ${topology.arch}: Debian builds arm64 kernels with 4K pages (-arm64) and 16K pages (-arm64-16k) only; write arch: arm64-4k or arm64-16k`);
	}

	const arch: ReproduceArch = topology.arch;
	const kernels = ARM64_KERNELS[arch];
	if (!kernels.includes(kernel as ReproduceKernel)) {
		refuse(topology, `kernel ${kernel} on ${arch}: Debian has linux-image packages of ${kernels.join(' and ')} for it; give --kernel ${kernels.at(-1)!}`);
	}

	const devices = topology.memory.filter((e): e is DeviceEntry => e.kind === 'device').sort((a, b) => a.start - b.start);
	const uefi = options.uefi === true || devices.length > 0;
	if ((topology.operations ?? []).length > 0) {
		refuse(topology, 'operations: are not realised on arm64 yet (no hot-added or device memory to operate on)');
	}

	const boot = topology.memory.filter((e): e is BootEntry => e.kind === 'boot').sort((a, b) => a.start - b.start);
	if (boot.length === 0) {
		refuse(topology, 'the topology has no boot memory');
	}

	if (boot[0]!.start !== VIRT_RAM_BASE) {
		refuse(topology, `${boot[0]!.label} starts at ${formatAddressLiteral(boot[0]!.start)}, but QEMU's virt machine puts RAM at ${formatAddressLiteral(VIRT_RAM_BASE)} (hw/arm/virt.c base_memmap[VIRT_MEM]); start boot memory there`, boot[0]!.pos);
	}

	for (let i = 1; i < boot.length; i++) {
		if (boot[i]!.start !== boot[i - 1]!.end) {
			refuse(topology, `${boot[i]!.label} starts at ${formatAddressLiteral(boot[i]!.start)} after ${boot[i - 1]!.label} ends at ${formatAddressLiteral(boot[i - 1]!.end)}: the virt machine's RAM is one range without holes; make the boot ranges adjacent (a hole can be a nomap: range)`, boot[i]!.pos);
		}
	}

	const top = boot.at(-1)!.end;
	const ram = top - VIRT_RAM_BASE;
	if (ram % MiB !== 0) {
		refuse(topology, `boot memory ends at ${formatAddressLiteral(top)}, which leaves ${formatSize(ram)} of RAM, not a whole number of MiB as -m takes; end it on a MiB boundary`, boot.at(-1)!.pos);
	}

	const numa = numaPlan(topology, boot);

	const reservedNomap: Array<{start: number; end: number}> = [];
	const layout: string[] = [`boot RAM: -m ${size(ram)} (QEMU virt: [${formatAddressLiteral(VIRT_RAM_BASE)}, ${formatAddressLiteral(top)}), ${numa.nodes.length > 1 ? `${numa.nodes.length} memory nodes of the device tree` : 'one memory node of the device tree'})`, ...numa.layout];
	for (const entry of boot) {
		const page = (entry.end - entry.start) / (entry.end_pfn - entry.start_pfn);
		for (const n of entry.nomap) {
			const start = n.start_pfn * page;
			const end = n.end_pfn * page;
			if (uefi) {
				refuse(
					topology,
					`${entry.label} has nomap [${formatAddressLiteral(start)}, ${formatAddressLiteral(end)}), but under UEFI (${devices.length > 0 ? `${devices[0]!.label} is an ACPI NFIT nvdimm, which needs it` : '--uefi'}) the kernel takes its memory map from the firmware, not from a /reserved-memory node of QEMU's -dtb; drop nomap: (the firmware adds NOMAP ranges of its own, read back from the capture) or boot without UEFI`,
					entry.pos,
				);
			}

			if (start < VIRT_LOAD_WINDOW_END) {
				refuse(
					topology,
					`${entry.label}'s nomap [${formatAddressLiteral(start)}, ${formatAddressLiteral(end)}) lies below ${formatAddressLiteral(VIRT_LOAD_WINDOW_END)}, where QEMU loads the kernel Image, the initrd and the dtb (hw/arm/boot.c); the kernel refuses a no-map range over them ("failed to reserve memory for node"); move it to ${formatAddressLiteral(VIRT_LOAD_WINDOW_END)} or above`,
					entry.pos,
				);
			}

			reservedNomap.push({start, end});
			layout.push(`nomap [${formatAddressLiteral(start)}, ${formatAddressLiteral(end)}): /reserved-memory/nomap@${start.toString(16)} with no-map (memblock_mark_nomap())`);
		}
	}

	const model = buildModel(topology, {kernel});
	const sectionBytes = model.geometry.PAGES_PER_SECTION * (boot[0]!.end - boot[0]!.start) / (boot[0]!.end_pfn - boot[0]!.start_pfn);
	if (topology.config.memory_block_size !== sectionBytes) {
		refuse(topology, `config.memory_block_size ${formatSize(topology.config.memory_block_size)}: arm64 has no memory_block_size_bytes() of its own, so Debian's arm64 kernels have one-section (${formatSize(sectionBytes)}) memory blocks (drivers/base/memory.c MIN_MEMORY_BLOCK_SIZE); drop the key`);
	}

	const hotplug = topology.memory.filter((e): e is HotplugEntry => e.kind === 'hotplug').sort((a, b) => a.start - b.start);
	const virtioMem = virtioMemPlan(topology, hotplug, top, ram, topology.config.memory_block_size, kernel, numa.nodes);
	layout.push(...virtioMem.layout);
	// hw/arm/virt.c virt_set_memmap() (QEMU 7.2): the device memory region from ROUND_UP(RAM end, 1 GiB), for virtio-mem and nvdimms alike.
	const deviceBase = Math.ceil(top / GiB) * GiB;
	const nvdimm = nvdimmPlan(topology, kernel, devices, deviceBase);
	layout.push(...nvdimm.layout);
	if (uefi) {
		if (numa.nodes.length > 1) {
			refuse(topology, `the topology has ${numa.nodes.length} NUMA nodes, but under UEFI (${devices.length > 0 ? `${devices[0]!.label} is an ACPI NFIT nvdimm, which needs it` : '--uefi'}) the kernel takes its nodes from ACPI's SRAT, which the arm64 recipe does not reason about (it places nodes through the device tree); use one node or boot without UEFI`);
		}

		layout.push(`firmware: UEFI (${AAVMF_CODE} as pflash, a copy of ${AAVMF_VARS}) with ACPI (-machine virt,acpi=on); the kernel Image through -kernel and its EFI stub; the firmware's NOMAP memory (its flash window at 0x400_0000, runtime services, ACPI NVS) is read back from the capture`);
	}

	const maxmem = Math.max(virtioMem.maxmem, devices.length > 0 ? ram + Math.ceil((Math.max(nvdimm.top, ...hotplug.map(e => e.end)) - deviceBase) / MiB) * MiB : ram);
	const memory = maxmem > ram ? `${size(ram)},${devices.length > 0 ? `slots=${devices.length},` : ''}maxmem=${size(maxmem)}` : size(ram);
	const machine = uefi ? `virt,acpi=on${devices.length > 0 ? ',nvdimm=on' : ''}` : 'virt';
	const machineArgs = ['-machine', machine, '-cpu', 'max', '-m', memory, ...numa.args, ...virtioMem.args, ...nvdimm.args];
	const steps: GuestStep[] = [...virtioMem.steps, ...nvdimm.steps];
	const plan: GuestPlan = {
		arch,
		kernel: kernel as ReproduceKernel,
		machineArgs,
		// efi=debug: the boot log then holds the EFI memory map (drivers/firmware/efi/efi-init.c reserve_regions()), which import reads.
		cmdline: [...virtioMem.cmdline, 'nokaslr', ...(uefi ? ['efi=debug'] : [])],
		modules: [...(hotplug.length > 0 ? ['virtio_mem'] : []), ...nvdimm.modules],
		steps: steps.length > 0 ? [...steps, {kind: 'capture', label: 'layout'}] : [{kind: 'capture', label: 'boot'}],
		...(reservedNomap.length > 0 ? {reservedNomap} : {}),
		...(uefi ? {firmware: {code: AAVMF_CODE, vars: AAVMF_VARS}} : {}),
		probeEndPfn: probeRangeEnd(topology, kernel),
	};
	const notes = [
		'The comparison models each capture as imported (its "Early memory node ranges", the OF no-map lines of its dmesg, /proc/iomem) at the guest\'s exact version with the distribution\'s stable preset; what differs from this topology is reported as a deviation, not a disagreement.',
		`The zones are checked through /proc/zoneinfo spans, the memory blocks' valid_zones and, with the probe module (cross-built with aarch64-linux-gnu-gcc-12 against Debian's arm64 linux-headers), the zone of every initialized page (the model's max_pfn here: ${hex(model.max_pfn)}).`,
		...(uefi ? ['Under UEFI the firmware adds memory and NOMAP ranges of its own (on QEMU 7.2 with Debian\'s AAVMF: the 64 MiB flash window at 0x400_0000 below RAM, ACPI NVS and the runtime services\' code and data inside RAM): the capture\'s debugfs memblock/memory names them, the comparison models them as imported, and they are listed as deviations (a boot range, or NOMAP, where the topology has none).'] : []),
		...(devices.some(d => d.type === 'devdax') ? ['A devdax namespace gets the kernel\'s default alignment (PMD size with transparent hugepages: nd_pfn_default_alignment()), so device-dax maps it with compound pages (vmemmap_shift); /proc/kpageflags cannot tell, and the probe module has no column for compound pages.'] : []),
		...(topology.patches.length > 0 ? [`The topology's patches (${topology.patches.join(', ')}) are not in a Debian kernel and are not applied to the comparison.`] : []),
	];
	return {plan, layout, notes, ramBytes: ram};
}

type NumaPlan = {
	/** The node ids, in address order (0, 1, …). */
	readonly nodes: readonly number[];
	readonly args: readonly string[];
	readonly layout: readonly string[];
};

/**
Boot memory on more than one NUMA node: one `-object memory-backend-ram` and `-numa node,memdev=`
per node. QEMU 7.2's virt machine lays the nodes' RAM out from 0x4000_0000 in node id order, one
device tree memory node each with `numa-node-id` (hw/arm/boot.c arm_load_dtb(): mem_base += the
node's size), so the topology's nodes must follow each other in that order, each one range.
The kernel takes a node boundary inside a section as it is (drivers/of/of_numa.c
of_numa_parse_memory_nodes() → numa_add_memblk(); 6.1 drivers/base/arch_numa.c memblock_set_node(),
6.12 mm/numa_memblks.c numa_register_meminfo(), whose section-alignment refusal applies only with
NODE_NOT_IN_PAGE_FLAGS, which Debian's arm64 kernels with SPARSEMEM_VMEMMAP do not have): the section
is marked present once, for the first node (mm/sparse.c memory_present(): only a section whose
section_mem_map is still 0), its memmap is on that node, and each page gets its own node
(memmap_init() → __init_single_page() → set_page_links()).
*/
function numaPlan(topology: Topology, boot: readonly BootEntry[]): NumaPlan {
	const ranges: Array<{node: number; start: number; end: number; entry: BootEntry}> = [];
	for (const entry of boot) {
		const last = ranges.at(-1);
		if (last && last.node === entry.node) {
			last.end = entry.end;
		} else {
			ranges.push({node: entry.node, start: entry.start, end: entry.end, entry});
		}
	}

	for (const [i, r] of ranges.entries()) {
		if (r.node !== i) {
			const seen = ranges.slice(0, i).some(x => x.node === r.node);
			refuse(
				topology,
				seen
					? `${r.entry.label} is on node ${r.node} again after other nodes: QEMU's virt machine gives each NUMA node one range of RAM (hw/arm/boot.c arm_load_dtb()); make each node's boot memory one range`
					: `${r.entry.label} is on node ${r.node} but is the ${i === 0 ? 'first' : `next after node ${i - 1}`} boot range: QEMU's virt machine lays the nodes' RAM out from ${formatAddressLiteral(VIRT_RAM_BASE)} in node id order (hw/arm/boot.c arm_load_dtb()); number the nodes 0, 1, … by address`,
				r.entry.pos,
			);
		}

		if ((r.end - r.start) % MiB !== 0) {
			refuse(topology, `node ${r.node}'s boot memory [${formatAddressLiteral(r.start)}, ${formatAddressLiteral(r.end)}) is ${formatSize(r.end - r.start)}, not a whole number of MiB as its -object memory-backend-ram takes here; move the node boundary to a MiB`, r.entry.pos);
		}
	}

	if (ranges.length === 1) {
		return {nodes: [0], args: [], layout: []};
	}

	const args: string[] = [];
	const layout: string[] = [];
	for (const r of ranges) {
		args.push('-object', `memory-backend-ram,id=ram-node${r.node},size=${size(r.end - r.start)}`, '-numa', `node,nodeid=${r.node},memdev=ram-node${r.node}`);
		layout.push(`node ${r.node}: [${formatAddressLiteral(r.start)}, ${formatAddressLiteral(r.end)}) (-numa node,memdev=: a device tree memory node with numa-node-id = <${r.node}>)`);
	}

	return {nodes: ranges.map(r => r.node), args, layout};
}

/**
The node Linux puts virtio-mem memory on when it boots from a device tree. virtio_mem_init()
(drivers/virtio/virtio_mem.c, 6.1 and 6.12) reads the device's node_id only with
VIRTIO_MEM_F_ACPI_PXM (pxm_to_node(), ACPI's SRAT: NUMA_NO_NODE without ACPI), then takes
memory_add_physaddr_to_nid(the device's address):
- 6.1: arm64 has none of its own: kernel/numa.c's stub, node 0 ("Unknown online node for memory at
  …, assuming node 0").
- 6.12: mm/numa_memblks.c (arch_numa on numa_memblks, the series "mm: introduce numa_memblks",
  Message-ID <20240807064110.1003856-1-rppt@kernel.org>, v6.12; CONFIG_NUMA_KEEP_MEMINFO=y in Debian's
  arm64 configs): the numa_meminfo block holding the address, else numa_meminfo.blk[0]'s node. The
  device memory region lies above every boot range, so blk[0]: the first memory node
  of_numa_parse_memory_nodes() read, which in QEMU's device tree is the last node added
  (hw/arm/boot.c arm_load_dtb() adds them in node id order, each new one first among its siblings):
  the highest node.
*/
export function hotAddNid(kernel: string, nodes: readonly number[]): {readonly node: number; readonly why: string} {
	if (nodes.length <= 1 || kernel === '6.1') {
		return {node: 0, why: nodes.length <= 1 ? 'the guest has node 0 only' : '6.1\'s memory_add_physaddr_to_nid() is the kernel/numa.c stub (node 0); the device\'s node_id is read only with ACPI (VIRTIO_MEM_F_ACPI_PXM)'};
	}

	const node = Math.max(...nodes);
	return {node, why: `6.12's memory_add_physaddr_to_nid() (mm/numa_memblks.c) falls back to numa_meminfo.blk[0], the first device tree memory node, which QEMU's virt machine makes node ${node}; the device's node_id is read only with ACPI (VIRTIO_MEM_F_ACPI_PXM)`};
}

type VirtioMemPlan = {
	readonly args: readonly string[];
	readonly cmdline: readonly string[];
	readonly steps: readonly GuestStep[];
	readonly layout: readonly string[];
	/** -m maxmem=: RAM plus the device memory region the hot-plugged ranges need. */
	readonly maxmem: number;
};

/**
The virtio-mem devices, kernel command line and guest steps of the hot-plugged entries (sorted by
start). `block` is the guest's memory block size in bytes (one section on arm64:
memory_block_size_bytes() is MIN_MEMORY_BLOCK_SIZE).

Each device is fully plugged. A partial plug (requested-size below the region) is not realised: a
topology has no word for it and the model no PageOffline pages. What the kernel does with one
(drivers/virtio/virtio_mem.c, 6.1 and 6.12): the subblock is max(pageblock, the device's block
size) — 2 MiB with 4K pages, 32 MiB with 16K — below the memory block, so Sub Block Mode
(virtio_mem_init_hotplug()); virtio_mem_sbm_plug_request() fills partly plugged blocks first, then
plugs and adds new memory blocks in address order, each with add_memory_driver_managed() as a whole
block; the unplugged subblocks of an added block stay PageOffline (virtio_mem_set_fake_offline(),
never given to the buddy; KPF_OFFLINE in /proc/kpageflags). Measured on 6.12.118 arm64 (4K): a
512 MiB device at 0xc000_0000 with requested-size=192M added memory24-25 only ("System RAM
(virtio_mem)" [0xc000_0000, 0xd000_0000)), both online, and every check agreed with this topology's
256 MiB entry — the checks read no KPF_OFFLINE.
*/
function virtioMemPlan(topology: Topology, hotplug: readonly HotplugEntry[], ramTop: number, ram: number, block: number, kernel: string, nodes: readonly number[]): VirtioMemPlan {
	if (hotplug.length === 0) {
		return {args: [], cmdline: [], steps: [], layout: [], maxmem: ram};
	}

	// hw/arm/virt.c virt_set_memmap() (QEMU 7.2): device_memory_base = ROUND_UP(RAM base + ram_size, GiB).
	const deviceBase = Math.ceil(ramTop / GiB) * GiB;
	const args: string[] = [];
	const layout: string[] = [];
	const runs = hotplug.map(entry => ({entry, runs: blockRuns(entry)}));
	for (const [i, entry] of hotplug.entries()) {
		const nid = hotAddNid(kernel, nodes);
		if (entry.node !== nid.node) {
			refuse(topology, `${entry.label} is on node ${entry.node}, but on a device-tree boot Debian's ${kernel} arm64 kernel puts virtio-mem memory on node ${nid.node} whatever the device's node= says: ${nid.why}; write node: ${nid.node}`, entry.pos);
		}

		if (entry.start < deviceBase) {
			refuse(topology, `${entry.label} starts at ${formatAddressLiteral(entry.start)}, below QEMU's device memory region at ${formatAddressLiteral(deviceBase)} where virtio-mem goes (hw/arm/virt.c: ROUND_UP(end of RAM, 1 GiB)); move it to ${formatAddressLiteral(deviceBase)} or above`, entry.pos);
		}

		if (entry.memmap_on_memory) {
			refuse(topology, `${entry.label} has memmap_on_memory: true, but virtio-mem's add_memory_driver_managed() (drivers/virtio/virtio_mem.c virtio_mem_add_memory()) passes only MHP_MERGE_RESOURCE | MHP_NID_IS_MGID on 6.1 and 6.12, never MHP_MEMMAP_ON_MEMORY; drop the key`, entry.pos);
		}

		const id = `vmem${i}`;
		const bytes = size(entry.end - entry.start);
		// node=: QEMU's virtio_mem_config.node_id; the guest reads it only through ACPI (hotAddNid()).
		const node = nodes.length > 1 ? `,node=${entry.node}` : '';
		args.push('-object', `memory-backend-ram,id=${id}-mem,size=${bytes}`, '-device', `virtio-mem-pci,id=${id},memdev=${id}-mem,memaddr=${hex(entry.start)},requested-size=${bytes}${node}`);
		layout.push(`${entry.label}: -device virtio-mem-pci at ${hex(entry.start)}${node === '' ? '' : ` on node ${entry.node} (${nid.why})`}, all ${bytes} plugged ("System RAM (virtio_mem)", add_memory_driver_managed() per memory block)`);
	}

	const states = new Set(runs.flatMap(r => r.runs.map(x => x.state)));
	const auto = states.size === 1 && (states.has('online') || states.has('online_movable')) ? [...states][0]! : undefined;
	const first = (start: number) => start / block;
	const last = (end: number) => end / block - 1;
	const blocks = (start: number, end: number) => (first(start) === last(end) ? `memory${first(start)}` : `memory${first(start)}-memory${last(end)}`);
	const steps: GuestStep[] = [];
	for (const {entry} of runs) {
		const want = auto === undefined ? '' : ` && [ "$(cat /sys/devices/system/memory/memory$n/state)" = online ]`;
		steps.push({
			kind: 'sh',
			script: `t=0
for n in $(seq ${first(entry.start)} ${last(entry.end)}); do
	while ! { [ -e /sys/devices/system/memory/memory$n/state ]${want}; }; do [ $t -lt 600 ] || { echo "memory$n of virtio-mem at ${hex(entry.start)} did not appear${auto === undefined ? '' : ' online'}" >&2; exit 1; }; sleep 0.1; t=$((t + 1)); done
done`,
			why: `${entry.label}: wait until virtio_mem has plugged ${blocks(entry.start, entry.end)}${auto === undefined ? '' : ` and the kernel has auto-onlined them (${auto})`}`,
		});
	}

	if (auto === undefined) {
		for (const {entry, runs: entryRuns} of runs) {
			for (const run of entryRuns) {
				const values = run.state === 'online' ? ['online'] : run.state === 'online_movable' ? ['online_movable'] : run.state === 'offlined' ? ['online', 'offline'] : [];
				if (values.length === 0) {
					continue;
				}

				const writes = values.map(value => `echo ${value} > /sys/devices/system/memory/memory$n/state`).join(' && ');
				steps.push({
					kind: 'sh',
					script: `for n in $(seq ${first(run.start)} ${last(run.end)}); do ${writes} || exit 1; done`,
					why: `${entry.label}: ${blocks(run.start, run.end)} ${run.state === 'offlined' ? 'onlined, then offlined (online_pages(), offline_pages())' : run.state === 'online_movable' ? 'onlined to ZONE_MOVABLE (online_pages())' : 'onlined to the kernel zone (online_pages())'}`,
				});
			}
		}
	}

	const deviceTop = Math.max(...hotplug.map(e => e.end));
	return {args, cmdline: [`memhp_default_state=${auto ?? 'offline'}`], steps, layout, maxmem: ram + Math.ceil((deviceTop - deviceBase) / MiB) * MiB};
}

/** The /reserved-memory node to add to a virt machine's device tree source (dtc -O dts), in whole pages. */
export function reservedMemoryNode(ranges: ReadonlyArray<{start: number; end: number}>): string {
	const cell = (n: number) => `0x${Math.floor(n / 2 ** 32).toString(16)} 0x${(n % 2 ** 32).toString(16)}`;
	const lines = ['\treserved-memory {', '\t\t#address-cells = <0x02>;', '\t\t#size-cells = <0x02>;', '\t\tranges;'];
	for (const r of ranges) {
		lines.push(`\t\tnomap@${r.start.toString(16)} {`, `\t\t\treg = <${cell(r.start)} ${cell(r.end - r.start)}>;`, '\t\t\tno-map;', '\t\t};');
	}

	lines.push('\t};');
	return `${lines.join('\n')}\n`;
}

/**
The device tree source with the /reserved-memory node added as the root node's last child. The
virt machine's tree has no /reserved-memory of its own without secure firmware; one there is refused.
*/
export function addReservedMemory(dts: string, ranges: ReadonlyArray<{start: number; end: number}>): string {
	if (/^\treserved-memory \{/m.test(dts)) {
		throw new InputError('QEMU\'s device tree already has a /reserved-memory node (secure firmware?): the recipe adds its own and cannot merge them');
	}

	const close = dts.lastIndexOf('};');
	if (close < 0) {
		throw new InputError('dtc wrote a device tree source without a closing root node; is dtc (device-tree-compiler) broken?');
	}

	return `${dts.slice(0, close)}${reservedMemoryNode(ranges)}${dts.slice(close)}`;
}

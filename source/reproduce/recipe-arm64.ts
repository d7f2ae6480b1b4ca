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
- `kind: device` (6.12 only: Debian's 6.1 arm64 kernel has no CONFIG_ZONE_DEVICE): an ACPI NFIT
  nvdimm in the device memory region, which needs ACPI and so UEFI; made fsdax or devdax through
  sysfs (./recipe-arm64-uefi.ts).
- UEFI with ACPI (`--uefi`, or any device entry): Debian's AAVMF firmware as pflash; the firmware's
  own NOMAP memory is read back from the capture and reported as deviations; `nomap:` ranges are
  refused there (the kernel gets the firmware's tables, not QEMU's -dtb).
- operations and NUMA nodes are not realised on arm64 yet and are refused.
`nokaslr` keeps the kernel image where QEMU put it.
*/
import {InputError} from '../errors/input-error.js';
import {buildModel} from '../model/build.js';
import {hex} from '../model/geometry.js';
import {formatAddressLiteral, formatSize} from '../topology/numbers.js';
import {blockRuns} from './block-runs.js';
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
	for (const entry of topology.memory) {
		if (entry.node !== 0) {
			refuse(topology, `${entry.label} is on node ${entry.node}; the arm64 recipe builds a single-node guest`, entry.pos);
		}
	}

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

	const reservedNomap: Array<{start: number; end: number}> = [];
	const layout: string[] = [`boot RAM: -m ${size(ram)} (QEMU virt: [${formatAddressLiteral(VIRT_RAM_BASE)}, ${formatAddressLiteral(top)}), one memory node of the device tree)`];
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
	const virtioMem = virtioMemPlan(topology, hotplug, top, ram, topology.config.memory_block_size);
	layout.push(...virtioMem.layout);
	// hw/arm/virt.c virt_set_memmap() (QEMU 7.2): the device memory region from ROUND_UP(RAM end, 1 GiB), for virtio-mem and nvdimms alike.
	const deviceBase = Math.ceil(top / GiB) * GiB;
	const nvdimm = nvdimmPlan(topology, kernel, devices, deviceBase);
	layout.push(...nvdimm.layout);
	if (uefi) {
		layout.push(`firmware: UEFI (${AAVMF_CODE} as pflash, a copy of ${AAVMF_VARS}) with ACPI (-machine virt,acpi=on); the kernel Image through -kernel and its EFI stub; the firmware's NOMAP memory (its flash window at 0x400_0000, runtime services, ACPI NVS) is read back from the capture`);
	}

	const maxmem = Math.max(virtioMem.maxmem, devices.length > 0 ? ram + Math.ceil((Math.max(nvdimm.top, ...hotplug.map(e => e.end)) - deviceBase) / MiB) * MiB : ram);
	const memory = maxmem > ram ? `${size(ram)},${devices.length > 0 ? `slots=${devices.length},` : ''}maxmem=${size(maxmem)}` : size(ram);
	const machine = uefi ? `virt,acpi=on${devices.length > 0 ? ',nvdimm=on' : ''}` : 'virt';
	const machineArgs = ['-machine', machine, '-cpu', 'max', '-m', memory, ...virtioMem.args, ...nvdimm.args];
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
	};
	const notes = [
		'The comparison models each capture as imported (its "Early memory node ranges", the OF no-map lines of its dmesg, /proc/iomem) at the guest\'s exact version with the distribution\'s stable preset; what differs from this topology is reported as a deviation, not a disagreement.',
		`The zones are checked through /proc/zoneinfo spans and the memory blocks' valid_zones; the probe module is not built for arm64 guests (the model's max_pfn here: ${hex(model.max_pfn)}).`,
		...(uefi ? ['Under UEFI the firmware adds memory and NOMAP ranges of its own (on QEMU 7.2 with Debian\'s AAVMF: the 64 MiB flash window at 0x400_0000 below RAM, ACPI NVS and the runtime services\' code and data inside RAM): the capture\'s debugfs memblock/memory names them, the comparison models them as imported, and they are listed as deviations (a boot range, or NOMAP, where the topology has none).'] : []),
		...(devices.some(d => d.type === 'devdax') ? ['A devdax namespace gets the kernel\'s default alignment (PMD size with transparent hugepages: nd_pfn_default_alignment()), so device-dax maps it with compound pages (vmemmap_shift); /proc/kpageflags cannot tell, and the probe module is not built for arm64 guests.'] : []),
		...(topology.patches.length > 0 ? [`The topology's patches (${topology.patches.join(', ')}) are not in a Debian kernel and are not applied to the comparison.`] : []),
	];
	return {plan, layout, notes, ramBytes: ram};
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
*/
function virtioMemPlan(topology: Topology, hotplug: readonly HotplugEntry[], ramTop: number, ram: number, block: number): VirtioMemPlan {
	if (hotplug.length === 0) {
		return {args: [], cmdline: [], steps: [], layout: [], maxmem: ram};
	}

	// hw/arm/virt.c virt_set_memmap() (QEMU 7.2): device_memory_base = ROUND_UP(RAM base + ram_size, GiB).
	const deviceBase = Math.ceil(ramTop / GiB) * GiB;
	const args: string[] = [];
	const layout: string[] = [];
	const runs = hotplug.map(entry => ({entry, runs: blockRuns(entry)}));
	for (const [i, entry] of hotplug.entries()) {
		if (entry.node !== 0) {
			refuse(topology, `${entry.label} is on node ${entry.node}; the arm64 recipe builds a single-node guest`, entry.pos);
		}

		if (entry.start < deviceBase) {
			refuse(topology, `${entry.label} starts at ${formatAddressLiteral(entry.start)}, below QEMU's device memory region at ${formatAddressLiteral(deviceBase)} where virtio-mem goes (hw/arm/virt.c: ROUND_UP(end of RAM, 1 GiB)); move it to ${formatAddressLiteral(deviceBase)} or above`, entry.pos);
		}

		if (entry.memmap_on_memory) {
			refuse(topology, `${entry.label} has memmap_on_memory: true, but virtio-mem's add_memory_driver_managed() (drivers/virtio/virtio_mem.c virtio_mem_add_memory()) passes only MHP_MERGE_RESOURCE | MHP_NID_IS_MGID on 6.1 and 6.12, never MHP_MEMMAP_ON_MEMORY; drop the key`, entry.pos);
		}

		const id = `vmem${i}`;
		const bytes = size(entry.end - entry.start);
		args.push('-object', `memory-backend-ram,id=${id}-mem,size=${bytes}`, '-device', `virtio-mem-pci,id=${id},memdev=${id}-mem,memaddr=${hex(entry.start)},requested-size=${bytes}`);
		layout.push(`${entry.label}: -device virtio-mem-pci at ${hex(entry.start)}, all ${bytes} plugged ("System RAM (virtio_mem)", add_memory_driver_managed() per memory block)`);
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

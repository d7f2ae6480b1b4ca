/**
A topology → the recipe that builds its layout on a real kernel (issue 9): QEMU `pc` machine
options, kernel command-line words and the guest steps, as a GuestPlan (./types.ts). Pure: no
I/O. What QEMU 7.2 (Debian bookworm) and Debian's linux-image 6.1 / 6.12 cannot realise is refused
with one sentence (an InputError at the entry, exit 2).

How each entry is realised:
- `kind: boot`: RAM of `-m`. QEMU's pc machine (hw/i386/pc_piix.c `pc_init1()`) puts all of it
  below the PCI hole when it is smaller than 0xe0000000 (3.5 GiB), else 3 GiB below 4 GiB
  (`gigabyte_align`) and the rest from 4 GiB. SeaBIOS's e820 gives [0, 0x9fc00) and
  [1 MiB, top of low RAM − its ACPI/SMBIOS tables); the kernel drops page 0 (x86
  `trim_bios_range()`). Holes between boot entries are e820 reserved ranges from
  `memmap=nn$ss` (arch/x86/kernel/e820.c `parse_memmap_one()`, E820_TYPE_RESERVED: not added to
  memblock.memory by `e820__memblock_setup()`).
- `kind: device` inside the boot RAM span: legacy pmem, `memmap=nn!ss` (E820_TYPE_PRAM, type 12;
  drivers/nvdimm/e820.c `e820_pmem_probe()` makes one region of it). Region alignment is 16 MiB
  (`ndctl create-namespace` refuses a misaligned size: "align setting is 0x1000000 size … is
  misaligned").
- `kind: device` above the boot RAM: `-device nvdimm,addr=` (an ACPI NFIT region, drivers/acpi/nfit).
- The namespace then gets its mode from `ndctl create-namespace -f -e namespaceN.0`: `fsdax` or
  `devdax`, `--map=dev` when the entry has an altmap (`__nvdimm_setup_pfn()` reserves the
  8 KiB info block and the memmap; only that layout, `altmap: {}`, can be asked of ndctl), and
  always an explicit `--align`: the entry's `align:`, else PAGE_SIZE. ndctl's own default is
  the kernel's nd_pfn_default_alignment() (2 MiB), which on 6.1/6.12 gives device-dax compound
  pages (drivers/dax/device.c dev_dax_probe(): vmemmap_shift from the dax region's align) where
  the topology asked for none; with 4K the data offset stays where `free: auto` puts it
  (nd_pfn_init() aligns it to max(align, memremap_compat_align()) = 2 MiB).
- `kind: hotplug`: one `-device pc-dimm,addr=` each (ACPI memory device: one `add_memory()`),
  left offline by `memhp_default_state=offline` (Debian's 6.12 onlines hot-added memory by
  default), then onlined per block through sysfs as `state:` / `blocks:` say.
- `operations:` online / online_movable / offline: /sys/devices/system/memory/memoryN/state;
  teardown: `ndctl disable-namespace` (memunmap_pages()); create: `ndctl create-namespace -e` of
  the same region again.
`nokaslr` keeps the kernel image where it was (KASLR can split a legacy pmem range, cf.
topologies/pmem-legacy-kaslr-split.yaml).
*/
import {InputError} from '../errors/input-error.js';
import {buildModel} from '../model/build.js';
import {hex} from '../model/geometry.js';
import {formatAddressLiteral, formatSize} from '../topology/numbers.js';
import type {BootEntry, DeviceEntry, HotplugEntry, HotplugState, Operation, SourcePosition, Topology} from '../topology/types.js';
import {blockRuns} from './block-runs.js';
import {buildArm64Recipe, reservedMemoryNode} from './recipe-arm64.js';
import type {GuestPlan, GuestStep, ReproduceKernel} from './types.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const FOUR_GIB = 4 * GiB;
/** QEMU pc: RAM from this size on is split 3 GiB below / the rest above 4 GiB (hw/i386/pc_piix.c). */
const PC_LOWMEM_LIMIT = 0xe000_0000;
const PC_GIGABYTE_ALIGN_LOW = 0xc000_0000;
/** The x86 memory block size of a VM whose boot memory ends below 64 GiB (probe_memory_block_size()). */
const BLOCK_BYTES = 128 * MiB;
/** ndctl's default region alignment (drivers/nvdimm/region_devs.c default_align(): 16 MiB with 4K pages). */
const REGION_ALIGN = 16 * MiB;
/** x86 COMMAND_LINE_SIZE. */
const COMMAND_LINE_SIZE = 2048;
export const REPRODUCE_KERNELS: readonly ReproduceKernel[] = ['6.1', '6.12'];

/** A namespace's NFIT or e820 region, found in the guest by its start address. */
export type RecipeRegion = {
	readonly start: number;
	readonly end: number;
	readonly source: 'memmap' | 'nvdimm';
	/** QEMU id of the nvdimm (nvdimm regions). */
	readonly id?: string;
};

export type Recipe = {
	readonly plan: GuestPlan;
	/** What the requested layout becomes, in words, for --print. */
	readonly layout: readonly string[];
	/** Things the comparison needs to know (and --print says). */
	readonly notes: readonly string[];
	readonly regions: readonly RecipeRegion[];
	/** Bytes of RAM given with -m (boot RAM as QEMU lays it out). */
	readonly ramBytes: number;
};

function refuse(topology: Topology, message: string, pos?: SourcePosition): never {
	throw new InputError(`not realisable on a Debian kernel under QEMU: ${message}`, {file: topology.file, ...(pos ? {line: pos.line, column: pos.column} : {})});
}

/** A size for QEMU and the kernel's memparse(): the largest of G, M, K that divides it. */
export function memparseSize(bytes: number): string {
	for (const [unit, size] of [['G', GiB], ['M', MiB], ['K', KiB]] as const) {
		if (bytes >= size && bytes % size === 0) {
			return `${bytes / size}${unit}`;
		}
	}

	return String(bytes);
}

function blockRange(start: number, end: number): string {
	const first = start / BLOCK_BYTES;
	const last = end / BLOCK_BYTES - 1;
	return first === last ? `memory${first}` : `memory${first}-memory${last}`;
}

/** A sh fragment that writes `value` to the state of memory blocks [start, end) in address order. */
function blockStateScript(start: number, end: number, values: readonly string[]): string {
	const first = start / BLOCK_BYTES;
	const last = end / BLOCK_BYTES - 1;
	const writes = values.map(value => `echo ${value} > /sys/devices/system/memory/memory$n/state`).join(' && ');
	return `for n in $(seq ${first} ${last}); do ${writes} || exit 1; done`;
}

/** The namespace of the region starting at `start` (regionN/resource is "%#llx", drivers/nvdimm/region_devs.c resource_show()). */
function namespaceLookup(start: number): string {
	const want = `0x${start.toString(16)}`;
	return [
		'ns=',
		`for r in /sys/bus/nd/devices/region*; do [ "$(cat $r/resource)" = ${want} ] && ns=namespace\${r##*region}.0; done`,
		`[ -n "$ns" ] || { echo "no nvdimm region starts at ${want}" >&2; exit 1; }`,
	].join('\n');
}

/** ndctl's size syntax (util/size.c parse_size64(): K, M, G suffixes). */
function ndctlSize(bytes: number): string {
	return bytes % GiB === 0 ? `${bytes / GiB}G` : bytes % MiB === 0 ? `${bytes / MiB}M` : `${bytes / KiB}K`;
}

/** x86_64's PAGE_SIZE: the `--align` of a device entry without `align:` (an order-0 memmap). */
const PAGE_SIZE = 4 * KiB;

function createNamespace(device: DeviceEntry): string {
	const mode = device.type === 'fsdax' ? 'fsdax' : 'devdax';
	const map = device.altmap ? 'dev' : 'mem';
	return `${namespaceLookup(device.start)}\nndctl create-namespace -f -e $ns --mode=${mode} --map=${map} --align=${ndctlSize(device.align ?? PAGE_SIZE)} >/dev/null`;
}

function deviceWhy(device: DeviceEntry, region: RecipeRegion): string {
	const mode = device.type === 'fsdax' ? 'fsdax' : 'devdax';
	const map = device.altmap ? 'dev: memmap in the namespace (vmem_altmap)' : 'mem: memmap in System RAM';
	return `${device.label}: the ${region.source === 'memmap' ? 'legacy pmem (memmap=!)' : 'NFIT (-device nvdimm)'} region at ${formatAddressLiteral(region.start)} as a ${mode} namespace, map=${map} (memremap_pages())`;
}

function checkDevice(topology: Topology, device: DeviceEntry): void {
	if (device.type !== 'fsdax' && device.type !== 'devdax') {
		const why: Record<string, string> = {
			generic: 'a MEMORY_DEVICE_GENERIC range needs EFI soft-reserved memory or a CXL region (dax_hmem, cxl), which a SeaBIOS pc guest does not have',
			private: 'device-private memory needs an HMM driver (lib/test_hmm.c is not built by Debian)',
			coherent: 'device-coherent memory needs an HMM driver (lib/test_hmm.c is not built by Debian)',
			p2pdma: 'a P2PDMA BAR is placed by PCI enumeration, not at an address the topology can ask for',
		};
		refuse(topology, `${device.label} is type ${device.type}: ${why[device.type] ?? 'no driver creates it'}; realisable devices are fsdax and devdax namespaces`, device.pos);
	}

	if (device.state !== 'ready') {
		refuse(topology, `${device.label} is state ${device.state}, a moment inside memremap_pages()/memunmap_pages() that a guest cannot stop at; use state: ready (and an operations: teardown for memunmap_pages())`, device.pos);
	}

	if (device.altmap && (device.altmap.reserve !== 2 || !device.altmap.free_auto)) {
		refuse(topology, `${device.label} has altmap {reserve: ${device.altmap.reserve} pages, free: ${device.altmap.free_auto ? 'auto' : String(device.altmap.free)}}, but ndctl --map=dev always lays out the 8K info block and the memmap itself (nd_pfn_init()); write altmap: {}`, device.pos);
	}

	if (device.start % REGION_ALIGN !== 0 || (device.end - device.start) % REGION_ALIGN !== 0) {
		refuse(
			topology,
			`${device.label} [${formatAddressLiteral(device.start)}, ${formatAddressLiteral(device.end)}) is not 16 MiB aligned in start and size: ndctl create-namespace refuses a region that is not a multiple of its 16 MiB alignment ("align setting is 0x1000000 size … is misaligned"); e.g. ${formatAddressLiteral(Math.ceil(device.start / REGION_ALIGN) * REGION_ALIGN)} with size ${formatSize(Math.max(REGION_ALIGN, Math.floor((device.end - device.start) / REGION_ALIGN) * REGION_ALIGN))}`,
			device.pos,
		);
	}

	if (device.node !== 0) {
		refuse(topology, `${device.label} is on node ${device.node}; the recipe builds a single-node guest`, device.pos);
	}
}

type RamLayout = {readonly ram: number; readonly low: number; readonly high: number};

/** QEMU pc's RAM split for the boot entries (hw/i386/pc_piix.c pc_init1(): gigabyte_align). */
function ramLayout(topology: Topology, boot: readonly BootEntry[], devices: readonly DeviceEntry[]): RamLayout {
	for (const entry of boot) {
		if (entry.node !== 0) {
			refuse(topology, `${entry.label} is on node ${entry.node}; the recipe builds a single-node guest`, entry.pos);
		}

		if (entry.start < 0x10_0000 && entry.end > 0x9_f000) {
			refuse(topology, `${entry.label} covers [0x9f000, 0x100000), which the pc machine's firmware keeps for the EBDA, VGA and BIOS ROM; end the first boot range at 0x9_f000 and start the next at 0x10_0000`, entry.pos);
		}

		if (entry.start < FOUR_GIB && entry.end > PC_LOWMEM_LIMIT) {
			refuse(topology, `${entry.label} reaches into [0xe0000000, 4 GiB), the pc machine's PCI hole, where QEMU never puts RAM`, entry.pos);
		}
	}

	// Legacy pmem takes RAM away from the e820 map: it counts as RAM of -m.
	const inLow = (start: number) => start < FOUR_GIB;
	const spans = [...boot.map(e => ({start: e.start, end: e.end})), ...devices.filter(d => d.end <= PC_LOWMEM_LIMIT || boot.some(b => b.start >= FOUR_GIB && d.start >= FOUR_GIB && d.start < b.end)).map(d => ({start: d.start, end: d.end}))];
	const lowEnd = Math.max(0, ...spans.filter(s => inLow(s.start)).map(s => s.end));
	const highEnd = Math.max(0, ...spans.filter(s => !inLow(s.start)).map(s => s.end));
	const low = Math.ceil(lowEnd / MiB) * MiB;
	if (highEnd === 0) {
		return {ram: low, low, high: 0};
	}

	const high = highEnd - FOUR_GIB;
	const above = boot.find(e => e.start >= FOUR_GIB)!;
	if (above.start !== FOUR_GIB) {
		refuse(topology, `${above.label} starts at ${formatAddressLiteral(above.start)}, but the pc machine puts RAM above the PCI hole at 4 GiB (0x1_0000_0000)`, above.pos);
	}

	if (low !== PC_GIGABYTE_ALIGN_LOW || high % MiB !== 0 || low + high < PC_LOWMEM_LIMIT) {
		refuse(
			topology,
			`boot RAM below 4 GiB ends at ${formatAddressLiteral(lowEnd)} with ${formatSize(high)} above 4 GiB, but the pc machine puts RAM above 4 GiB only when it has 3.5 GiB or more, and then exactly 3 GiB below (hw/i386/pc_piix.c gigabyte_align): end low RAM at 0xc000_0000 and give at least 512M above 4 GiB, or keep all boot RAM below 0xe000_0000`,
			above.pos,
		);
	}

	return {ram: low + high, low, high};
}

/** Page-aligned ranges of [from, to) not covered by `covered` (sorted, disjoint). */
function gaps(from: number, to: number, covered: ReadonlyArray<{start: number; end: number}>): Array<{start: number; end: number}> {
	const out: Array<{start: number; end: number}> = [];
	let at = from;
	for (const c of [...covered].sort((a, b) => a.start - b.start)) {
		if (c.end <= at || c.start >= to) {
			at = Math.max(at, Math.min(c.end, to));
			continue;
		}

		if (c.start > at) {
			out.push({start: at, end: c.start});
		}

		at = Math.max(at, c.end);
	}

	if (at < to) {
		out.push({start: at, end: to});
	}

	return out;
}

export type RecipeOptions = {
	/** --kernel: which Debian kernel to boot; default the topology's `kernel:`. */
	readonly kernel?: string;
	/** --uefi: boot an arm64 guest through UEFI firmware with ACPI (x86 guests boot SeaBIOS). */
	readonly uefi?: boolean;
};

export function buildRecipe(topology: Topology, options: RecipeOptions = {}): Recipe {
	const kernel = options.kernel ?? topology.kernel;
	if (topology.arch !== 'x86_64') {
		const arm64 = buildArm64Recipe(topology, kernel, {uefi: options.uefi === true});
		return {...arm64, regions: []};
	}

	if (options.uefi === true) {
		refuse(topology, '--uefi is for arm64 guests: the x86_64 recipe boots QEMU pc with SeaBIOS, whose e820 map the comparison reads; drop --uefi');
	}

	if (!REPRODUCE_KERNELS.includes(kernel as ReproduceKernel)) {
		refuse(topology, `kernel ${kernel}: Debian has linux-image packages of 6.1 and 6.12 only (bookworm and bookworm-backports); give --kernel 6.1 or --kernel 6.12`);
	}

	if (!topology.config.memory_block_size_auto && topology.config.memory_block_size !== BLOCK_BYTES) {
		refuse(topology, `config.memory_block_size ${formatSize(topology.config.memory_block_size)}: an x86_64 VM whose boot memory ends below 64 GiB has 128 MiB memory blocks (probe_memory_block_size()); drop the key or write 128M`);
	}

	if (topology.config.max_physmem_bits !== 46) {
		refuse(topology, `config.max_physmem_bits ${topology.config.max_physmem_bits}: Debian's x86_64 kernels run 4-level paging on QEMU's default CPU (MAX_PHYSMEM_BITS 46); drop the key`);
	}

	const boot = topology.memory.filter((e): e is BootEntry => e.kind === 'boot');
	const hotplug = topology.memory.filter((e): e is HotplugEntry => e.kind === 'hotplug');
	const devices = topology.memory.filter((e): e is DeviceEntry => e.kind === 'device');
	for (const device of devices) {
		checkDevice(topology, device);
	}

	for (const entry of hotplug) {
		if (entry.node !== 0) {
			refuse(topology, `${entry.label} is on node ${entry.node}; the recipe builds a single-node guest`, entry.pos);
		}
	}

	const {ram, low, high} = ramLayout(topology, boot, devices);
	const ramTop = high > 0 ? FOUR_GIB + high : low;
	const inRam = (start: number, end: number) => (end <= low) || (high > 0 && start >= FOUR_GIB && end <= FOUR_GIB + high);
	// QEMU's device memory region (hw/i386/pc.c pc_memory_init()): from ROUND_UP(4 GiB + above_4g, 1 GiB).
	const deviceBase = Math.ceil((FOUR_GIB + high) / GiB) * GiB;
	const cmdline: string[] = [];
	const machineArgs: string[] = [];
	const objects: string[] = [];
	const layout: string[] = [];
	const regions: RecipeRegion[] = [];
	let deviceTop = deviceBase;
	let slots = 0;
	for (const device of devices) {
		if (inRam(device.start, device.end)) {
			cmdline.push(`memmap=${memparseSize(device.end - device.start)}!${memparseSize(device.start)}`);
			regions.push({start: device.start, end: device.end, source: 'memmap'});
			layout.push(`${device.label}: legacy pmem from the e820 map (memmap=!, type 12), nd_e820 region`);
		} else if (device.start >= deviceBase) {
			const id = `nvdimm${slots}`;
			objects.push('-object', `memory-backend-ram,id=${id}-mem,size=${memparseSize(device.end - device.start)}`, '-device', `nvdimm,id=${id},memdev=${id}-mem,addr=${hex(device.start)}`);
			regions.push({start: device.start, end: device.end, source: 'nvdimm', id});
			layout.push(`${device.label}: -device nvdimm at ${hex(device.start)} (ACPI NFIT region, no label area)`);
			deviceTop = Math.max(deviceTop, device.end);
			slots++;
		} else {
			refuse(topology, `${device.label} [${formatAddressLiteral(device.start)}, ${formatAddressLiteral(device.end)}) is neither inside the guest's RAM (legacy pmem, memmap=!) nor in QEMU's device memory region from ${formatAddressLiteral(deviceBase)} (-device nvdimm)`, device.pos);
		}
	}

	for (const entry of hotplug) {
		if (entry.start < deviceBase) {
			refuse(topology, `${entry.label} starts at ${formatAddressLiteral(entry.start)}, below QEMU's device memory region at ${formatAddressLiteral(deviceBase)} where pc-dimms go (ROUND_UP(4 GiB + RAM above 4 GiB, 1 GiB))`, entry.pos);
		}

		const id = `dimm${slots}`;
		objects.push('-object', `memory-backend-ram,id=${id}-mem,size=${memparseSize(entry.end - entry.start)}`, '-device', `pc-dimm,id=${id},memdev=${id}-mem,addr=${hex(entry.start)}`);
		layout.push(`${entry.label}: -device pc-dimm at ${hex(entry.start)} (ACPI memory device, one add_memory())`);
		deviceTop = Math.max(deviceTop, entry.end);
		slots++;
	}

	// Holes in boot RAM that no legacy pmem fills: e820 reserved from memmap=nn$ss.
	const filled = [...boot, ...devices.filter(d => inRam(d.start, d.end))].map(e => ({start: e.start, end: e.end}));
	const lowBootEnd = Math.max(...boot.filter(e => e.start < FOUR_GIB).map(e => e.end));
	const holeRanges = [...gaps(0x10_0000, lowBootEnd, filled), ...(high > 0 ? gaps(FOUR_GIB, FOUR_GIB + high, filled) : [])];
	for (const hole of holeRanges) {
		cmdline.push(`memmap=${memparseSize(hole.end - hole.start)}$${memparseSize(hole.start)}`);
		layout.push(`hole [${formatAddressLiteral(hole.start)}, ${formatAddressLiteral(hole.end)}): e820 reserved (memmap=$)`);
	}

	cmdline.push('memhp_default_state=offline', 'nokaslr');
	if (cmdline.join(' ').length > COMMAND_LINE_SIZE - 200) {
		refuse(topology, `the layout needs ${holeRanges.length} memmap= holes, too many for x86's ${COMMAND_LINE_SIZE}-byte kernel command line; merge holes`);
	}

	const maxmem = Math.max(ram, ram + Math.ceil((deviceTop - deviceBase) / GiB) * GiB);
	const nvdimm = regions.some(r => r.source === 'nvdimm');
	machineArgs.push('-machine', nvdimm ? 'pc,nvdimm=on' : 'pc', '-m', slots > 0 ? `${memparseSize(ram)},slots=${slots},maxmem=${memparseSize(maxmem)}` : memparseSize(ram), ...objects);
	layout.unshift(`boot RAM: -m ${memparseSize(ram)} (${high > 0 ? `${formatSize(low)} below 4 GiB, ${formatSize(high)} from 4 GiB` : `all below 4 GiB, up to ${formatAddressLiteral(ramTop)}`}); SeaBIOS keeps page 0, [0x9fc00, 1 MiB) and the top of low RAM`);

	const modules = new Set<string>();
	if (regions.some(r => r.source === 'memmap')) {
		modules.add('nd_e820');
	}

	if (nvdimm) {
		modules.add('nfit');
	}

	if (devices.length > 0) {
		modules.add('nd_pmem');
	}

	if (devices.some(d => d.type === 'devdax') || (topology.operations ?? []).length > 0) {
		modules.add('dax_pmem');
		modules.add('device_dax');
	}

	const steps: GuestStep[] = [{kind: 'capture', label: 'boot'}];
	for (const device of devices) {
		steps.push({kind: 'sh', script: createNamespace(device), why: deviceWhy(device, regions.find(r => r.start === device.start)!)});
	}

	for (const entry of hotplug) {
		for (const run of blockRuns(entry)) {
			const values = run.state === 'online' ? ['online'] : run.state === 'online_movable' ? ['online_movable'] : run.state === 'offlined' ? ['online', 'offline'] : [];
			if (values.length === 0) {
				continue;
			}

			steps.push({
				kind: 'sh',
				script: blockStateScript(run.start, run.end, values),
				why: `${entry.label}: ${blockRange(run.start, run.end)} ${run.state === 'offlined' ? 'onlined, then offlined (online_pages(), offline_pages())' : run.state === 'online_movable' ? 'onlined to ZONE_MOVABLE (online_pages())' : 'onlined to the kernel zone (online_pages())'}`,
			});
		}
	}

	if (steps.length > 1) {
		steps.push({kind: 'capture', label: 'layout'});
	}

	for (const op of topology.operations ?? []) {
		steps.push(operationStep(topology, op, regions), {kind: 'capture', label: `operations[${op.index}]`});
	}

	const notes = [
		'The comparison models each capture as imported (its own e820 map and namespaces) at the guest\'s exact version with the distribution\'s stable preset; what differs from this topology is reported as a deviation, not a disagreement.',
		...(topology.patches.length > 0 ? [`The topology's patches (${topology.patches.join(', ')}) are not in a Debian kernel and are not applied to the comparison.`] : []),
		...(hotplug.some(e => e.state === 'offlined' || (e.blocks ?? []).some(b => b.state === 'offlined')) ? ['An offlined block reads back as offline from sysfs: the capture cannot tell offlined from never onlined.'] : []),
	];
	const probeEndPfn = probeRangeEnd(topology, kernel);
	return {plan: {arch: 'x86_64', kernel: kernel as ReproduceKernel, machineArgs, cmdline, modules: [...modules], steps, probeEndPfn}, layout, notes, regions, ramBytes: ram};
}

/**
The probe module's range end: the model's whole range — every entry, above max_pfn included —
rounded up to a section, and one section more, where the kernel must answer "nothing here".
*/
export function probeRangeEnd(topology: Topology, kernel: string): number {
	const model = buildModel(topology, {kernel});
	const per = model.geometry.PAGES_PER_SECTION;
	const top = Math.max(model.max_pfn, ...topology.memory.map(e => e.end_pfn));
	return (Math.ceil(top / per) + 1) * per;
}

function operationStep(topology: Topology, op: Operation, regions: readonly RecipeRegion[]): GuestStep {
	const entry = topology.memory[op.entry]!;
	const page = (entry.end - entry.start) / (entry.end_pfn - entry.start_pfn);
	const start = op.start_pfn * page;
	const end = op.end_pfn * page;
	switch (op.op) {
		case 'online':
		case 'online_movable':
		case 'offline': {
			return {kind: 'sh', script: blockStateScript(start, end, [op.op]), why: `operations[${op.index}]: ${op.op} ${blockRange(start, end)} (${op.op === 'offline' ? 'offline_pages()' : 'online_pages()'})`};
		}

		case 'teardown': {
			return {kind: 'sh', script: `${namespaceLookup(start)}\nndctl disable-namespace $ns >/dev/null`, why: `operations[${op.index}]: teardown of ${entry.label}: ndctl disable-namespace unbinds it (memunmap_pages())`};
		}

		case 'create': {
			const device = entry as DeviceEntry;
			checkDevice(topology, device);
			const region = regions.find(r => r.start === device.start && r.end === device.end);
			if (!region) {
				refuse(topology, `operations[${op.index}] creates ${device.label}, which is not the range of a namespace region of memory: (a create can only reconfigure a region a device entry made)`, op.pos);
			}

			return {kind: 'sh', script: createNamespace(device), why: `operations[${op.index}]: create ${deviceWhy(device, region)}`};
		}

		case 'remove': {
			return refuse(topology, `operations[${op.index}] removes ${entry.label}: removing a pc-dimm needs QEMU's monitor (device_del), which the guest cannot ask for`, op.pos);
		}
	}
}

/** A word for a POSIX shell: quoted when it holds anything but safe characters. */
export function shellWord(word: string): string {
	return /^[A-Za-z0-9_./=,:+@%-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `pfnaudit reproduce --print`: the recipe as text a reader can paste and follow. */
export function renderRecipe(topology: Topology, recipe: Recipe): string {
	const {plan} = recipe;
	const lines: string[] = [];
	const arm64 = plan.arch !== 'x86_64';
	lines.push(`# ${topology.name} on Debian linux-image ${plan.kernel} (${plan.arch}) under QEMU`, '');
	lines.push('## Layout');
	for (const line of recipe.layout) {
		lines.push(`- ${line}`);
	}

	lines.push('', '## QEMU');
	const qemu = [arm64 ? 'qemu-system-aarch64' : 'qemu-system-x86_64', '-accel', 'tcg', ...plan.machineArgs, ...(plan.firmware ? ['-drive', `if=pflash,format=raw,readonly=on,file=${plan.firmware.code}`, '-drive', 'if=pflash,format=raw,file=AAVMF_VARS-copy.fd'] : []), ...(plan.reservedNomap ? ['-dtb', 'virt-nomap.dtb'] : []), '-kernel', arm64 ? 'Image' : 'vmlinuz', '-initrd', 'initrd.img', '-append', [arm64 ? 'console=ttyAMA0' : 'console=ttyS0', ...plan.cmdline].join(' '), '-nographic'];
	const words = qemu.map(w => shellWord(w));
	let line = '';
	const out: string[] = [];
	for (let i = 0; i < words.length; i++) {
		const word = words[i]!;
		const pair = word.startsWith('-') && i + 1 < words.length && !words[i + 1]!.startsWith('-') ? `${word} ${words[++i]!}` : word;
		if (line !== '' && line.length + pair.length + 1 > 96) {
			out.push(`${line} \\`);
			line = `  ${pair}`;
		} else {
			line = line === '' ? pair : `${line} ${pair}`;
		}
	}

	out.push(line);
	lines.push(...out, '');
	if (plan.reservedNomap) {
		lines.push('## Device tree', 'qemu-system-aarch64 with the same options and -machine virt,dumpdtb=virt.dtb; dtc -I dtb -O dts virt.dtb; add as the root node\'s last child:', '', ...reservedMemoryNode(plan.reservedNomap).trimEnd().split('\n'), '', 'and dtc -I dts -O dtb -o virt-nomap.dtb.', '');
	}

	lines.push('## Kernel command line', plan.cmdline.join(' '), '');
	lines.push('## Modules', plan.modules.length === 0 ? '(none)' : `${plan.modules.join(' ')} (with their dependencies, modprobe --show-depends)`, '');
	if (plan.probeEndPfn !== undefined) {
		lines.push('## Probe module', `insmod pfnaudit_probe.ko end_pfn=${hex(plan.probeEndPfn)} after the modules: /proc/pfnaudit_probe answers pfn_valid(), pfn_to_online_page(), the section flags, pfn_section_valid(), get_dev_pagemap(), zone and PageReserved for [0, ${hex(plan.probeEndPfn)}) (docs/probe-format.md); without linux-headers or a compiler only /proc/kpageflags is compared`, '');
	}

	lines.push('## Guest steps');
	let n = 1;
	for (const step of plan.steps) {
		if (step.kind === 'capture') {
			lines.push(`${n++}. capture "${step.label}": the capture files (docs/capture-format.md) and /proc/kpageflags`);
		} else {
			lines.push(`${n++}. ${step.why}`);
			for (const scriptLine of step.script.split('\n')) {
				lines.push(`     ${scriptLine}`);
			}
		}
	}

	lines.push('', '## Notes');
	for (const note of recipe.notes) {
		lines.push(`- ${note}`);
	}

	return `${lines.join('\n')}\n`;
}

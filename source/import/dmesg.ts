/**
The boot log's memory lines (dmesg.txt). A log is free text: lines that are not one of these are
ignored, whatever prefix (`[    0.000000] `, `kernel: `, `[  +0.000001] `) they carry.

- `BIOS-e820: [mem 0x%016llx-0x%016llx] <type>` and, after "user-defined physical RAM map:",
  `user: [mem …] <type>` (arch/x86/kernel/e820.c e820__print_table(); inclusive ends); also
  `reserve setup_data: [mem …] <type>` (the extended map);
- `efi:   0x%012llx-0x%012llx [<Type>|<attrs>]` (efi=debug, drivers/firmware/efi/efi.c
  efi_print_memmap()) and the older `efi: mem%02u: [<Type>|…] range=[0x…-0x…]`;
- `ACPI: SRAT: Node N PXM P [mem 0x…-0x…] [hotplug]` (drivers/acpi/numa/srat.c);
- "Early memory node ranges" then `  node   N: [mem 0x…-0x…]` (mm/mm_init.c free_area_init():
  memblock.memory per node, NOMAP and e820 PRAM excluded);
- "Zone ranges:" then `  DMA      [mem …]` / `  Device   empty`; "Movable zone start for each
  node" then `  Node N: 0x…`;
- `OF: reserved mem: 0x…..0x… (N KiB) nomap …` (drivers/of/of_reserved_mem.c), except for a node
  the kernel refused first: `Reserved memory: failed to reserve memory for node 'NAME': base 0x…`
  (early_init_dt_reserve_memory() returned -EBUSY: the range overlaps memblock.reserved; the
  node is still listed as nomap but nothing was marked MEMBLOCK_NOMAP) [V 6.1, 6.12];
- the CMA areas the kernel reserved (the areas cma_activate_area() and cma_alloc() walk):
  `cma: Reserved %ld MiB at %pa on node %d` (6.12) / `cma: Reserved %ld MiB at %pa` (6.1), printed by
  mm/cma.c cma_declare_contiguous_nid() for `cma=`/CONFIG_CMA_SIZE_MBYTES (dma_contiguous_reserve()),
  `hugetlb_cma=`, `cma_pernuma=`/`numa_cma=`; and `Reserved memory: created CMA memory pool at %pa,
  size %ld MiB` (kernel/dma/contiguous.c rmem_cma_setup(), a reusable `shared-dma-pool`
  reserved-memory node) [V 6.1, 6.12]. %pa prints the base in full; the size is in whole MiB, exact
  because both callers align it to CMA_MIN_ALIGNMENT_BYTES (2 MiB or more with 4K pages);
- `Linux version <release> (…)`, `Command line: …` / `Kernel command line: …`,
  `Hypervisor detected: …`, `added peer-to-peer DMA memory 0x…-0x…` (drivers/pci/p2pdma.c).
*/
import {numberedLines, parseError, parseHex, type Source} from './text.js';

export type E820Entry = Source & {
	readonly table: 'BIOS-e820' | 'user' | 'setup_data';
	readonly start: number;
	/** Last byte (inclusive). */
	readonly end: number;
	readonly type: string;
};

export type EfiEntry = Source & {
	readonly start: number;
	readonly end: number;
	readonly type: string;
	readonly attrs: readonly string[];
};

export type NodeRange = Source & {readonly node: number; readonly start: number; readonly end: number};
export type SratRange = NodeRange & {readonly hotplug: boolean};
export type ZoneRange = Source & {readonly zone: string; readonly start: number | undefined; readonly end: number | undefined};
export type NomapRange = Source & {readonly start: number; readonly end: number; readonly name: string};
export type P2pdmaRange = Source & {readonly device: string; readonly start: number; readonly end: number};
/** A CMA area from its boot-log line; `end` exclusive. `how` names the kernel function that printed it. */
export type CmaArea = Source & {readonly start: number; readonly end: number; readonly how: 'cma_declare_contiguous_nid()' | 'rmem_cma_setup()'; readonly node: number | undefined};

export type Dmesg = {
	readonly file: string;
	readonly release: (Source & {readonly value: string; readonly banner: string}) | undefined;
	readonly cmdline: (Source & {readonly value: string}) | undefined;
	readonly hypervisor: (Source & {readonly value: string}) | undefined;
	readonly e820: readonly E820Entry[];
	/**
	Usable memory the kernel took out of the e820 table after printing it: `e820: update [mem …]
	usable ==> <type>` (e820__range_update(), e.g. trim_bios_range(), mtrr_trim_uncached_memory())
	and `e820: remove [mem …] usable` (e820__range_remove()).
	*/
	readonly e820Removed: ReadonlyArray<Source & {readonly start: number; readonly end: number; readonly how: string}>;
	readonly efi: readonly EfiEntry[];
	readonly srat: readonly SratRange[];
	readonly earlyNodeRanges: readonly NodeRange[];
	readonly zoneRanges: readonly ZoneRange[];
	readonly movableZoneStart: ReadonlyArray<Source & {readonly node: number; readonly start: number}>;
	readonly ofNomap: readonly NomapRange[];
	readonly p2pdma: readonly P2pdmaRange[];
	readonly cma: readonly CmaArea[];
};

const MEM = '\\[mem (0x[\\da-fA-F]+)-(0x[\\da-fA-F]+)\\]';
const E820 = new RegExp(`(BIOS-e820|user|reserve setup_data): ${MEM} (.+?)\\s*$`);
const E820_UPDATED = new RegExp(`e820: update ${MEM} usable ==> (?!usable)(\\S+)`);
const E820_REMOVED = new RegExp(`e820: remove ${MEM} usable`);
const EFI_DEBUG = /efi:\s+(0x[\da-fA-F]+)-(0x[\da-fA-F]+) \[([^|\]]+)((?:\|[^|\]]*)*)\]/;
const EFI_OLD = /efi: mem\d+: \[([^|\]]+)((?:\|[^|\]]*)*)\] range=\[(0x[\da-fA-F]+)-(0x[\da-fA-F]+)\]/;
const SRAT = new RegExp(`SRAT: Node (\\d+) PXM \\d+ ${MEM}( hotplug)?`);
const NODE_RANGE = new RegExp(`^\\s*node\\s+(\\d+): ${MEM}`);
const ZONE_RANGE = new RegExp(`^\\s+(\\w+)\\s+(?:${MEM}|empty)\\s*$`);
const MOVABLE_START = /^\s+Node (\d+): (0x[\da-fA-F]+)\s*$/;
const OF_FAILED = /Reserved memory: failed to reserve memory for node '([^']*)': base (0x[\da-fA-F]+)/;
const OF_RESERVED = /OF: reserved mem: (0x[\da-fA-F]+)\.\.(0x[\da-fA-F]+) \([^)]*\) nomap \S+ (\S+)/;
const P2PDMA = /(?:(\S+): )?added peer-to-peer DMA memory (?:(0x[\da-fA-F]+)-(0x[\da-fA-F]+)|\[mem (0x[\da-fA-F]+)-(0x[\da-fA-F]+)[^\]]*\])/;
const CMA_DECLARED = /\bcma: Reserved (\d+) MiB at (0x[\da-fA-F]+)(?: on node (-?\d+))?\s*$/;
const CMA_POOL = /Reserved memory: created CMA memory pool at (0x[\da-fA-F]+), size (\d+) MiB/;
const MiB = 1024 * 1024;
const BANNER = /Linux version (\S+) (.*)$/;
const PREFIX = /^(?:<\d+>)?(?:\w+ +\d+ [\d:]+ \S+ )?(?:kernel: )?(?:\[[^\]]*\] ?)*(?:\[\s*T\d+\] ?)?/;

/** Whether any line is one the importer reads (used to recognise a boot log by content). */
export function isDmesg(text: string): boolean {
	return /BIOS-e820: \[mem|Early memory node ranges|added peer-to-peer DMA memory 0x|Linux version \d|efi:\s+0x[\da-f]+-0x|SRAT: Node \d+ PXM|Zone ranges:/.test(text);
}

export function parseDmesg(text: string, file: string): Dmesg {
	/** `name@base` of the reserved-memory nodes the kernel refused (OF_FAILED). */
	const ofFailed = new Set<string>();
	const out = {
		file,
		release: undefined as Dmesg['release'],
		cmdline: undefined as Dmesg['cmdline'],
		hypervisor: undefined as Dmesg['hypervisor'],
		e820: [] as E820Entry[],
		e820Removed: [] as Array<Source & {start: number; end: number; how: string}>,
		efi: [] as EfiEntry[],
		srat: [] as SratRange[],
		earlyNodeRanges: [] as NodeRange[],
		zoneRanges: [] as ZoneRange[],
		movableZoneStart: [] as Array<Source & {node: number; start: number}>,
		ofNomap: [] as NomapRange[],
		p2pdma: [] as P2pdmaRange[],
		cma: [] as CmaArea[],
	};
	let block: 'none' | 'early' | 'zones' | 'movable' = 'none';
	const address = (value: string, line: number): number => {
		const parsed = parseHex(value);
		if (parsed === undefined) {
			throw parseError(file, line, `address ${value} is larger than 2^53 - 1 and cannot be represented exactly`);
		}

		return parsed;
	};

	for (const {text: raw, line} of numberedLines(text)) {
		const body = raw.replace(PREFIX, '');
		if (/Early memory node ranges/.test(body)) {
			block = 'early';
			continue;
		}

		if (/^Zone ranges:/.test(body)) {
			block = 'zones';
			continue;
		}

		if (/^Movable zone start for each node/.test(body)) {
			block = 'movable';
			continue;
		}

		if (block === 'early') {
			const match = NODE_RANGE.exec(body);
			if (match) {
				out.earlyNodeRanges.push({file, line, node: Number(match[1]), start: address(match[2]!, line), end: address(match[3]!, line)});
				continue;
			}

			block = 'none';
		} else if (block === 'zones') {
			const match = ZONE_RANGE.exec(body);
			if (match) {
				out.zoneRanges.push({
					file,
					line,
					zone: match[1]!,
					start: match[2] === undefined ? undefined : address(match[2], line),
					end: match[3] === undefined ? undefined : address(match[3], line),
				});
				continue;
			}

			block = 'none';
		} else if (block === 'movable') {
			const match = MOVABLE_START.exec(body);
			if (match) {
				out.movableZoneStart.push({file, line, node: Number(match[1]), start: address(match[2]!, line)});
				continue;
			}

			block = 'none';
		}

		const removed = E820_UPDATED.exec(body) ?? E820_REMOVED.exec(body);
		if (removed) {
			out.e820Removed.push({file, line, start: address(removed[1]!, line), end: address(removed[2]!, line), how: removed[3] === undefined ? 'removed' : `usable ==> ${removed[3]}`});
			continue;
		}

		let match = E820.exec(body);
		if (match) {
			const table = match[1] === 'reserve setup_data' ? 'setup_data' : (match[1] as 'BIOS-e820' | 'user');
			const start = address(match[2]!, line);
			const end = address(match[3]!, line);
			if (end < start) {
				throw parseError(file, line, `e820 range ${match[2]}-${match[3]} ends before it starts; is the line cut short?`);
			}

			out.e820.push({file, line, table, start, end, type: match[4]!});
			continue;
		}

		match = EFI_DEBUG.exec(body);
		if (match) {
			out.efi.push({
				file,
				line,
				start: address(match[1]!, line),
				end: address(match[2]!, line),
				type: match[3]!.trim(),
				attrs: match[4]!.split('|').map(a => a.trim()).filter(Boolean),
			});
			continue;
		}

		match = EFI_OLD.exec(body);
		if (match) {
			out.efi.push({
				file,
				line,
				start: address(match[3]!, line),
				end: address(match[4]!, line),
				type: match[1]!.trim(),
				attrs: match[2]!.split('|').map(a => a.trim()).filter(Boolean),
			});
			continue;
		}

		match = SRAT.exec(body);
		if (match) {
			out.srat.push({file, line, node: Number(match[1]), start: address(match[2]!, line), end: address(match[3]!, line), hotplug: match[4] !== undefined});
			continue;
		}

		match = OF_FAILED.exec(body);
		if (match) {
			ofFailed.add(`${match[1]!}@${address(match[2]!, line)}`);
			continue;
		}

		match = OF_RESERVED.exec(body);
		if (match) {
			if (ofFailed.has(`${match[3]!}@${address(match[1]!, line)}`)) {
				continue;
			}

			out.ofNomap.push({file, line, start: address(match[1]!, line), end: address(match[2]!, line), name: match[3]!});
			continue;
		}

		match = P2PDMA.exec(body);
		if (match) {
			out.p2pdma.push({file, line, device: match[1] ?? 'a PCI device (the line names none)', start: address((match[2] ?? match[4])!, line), end: address((match[3] ?? match[5])!, line)});
			continue;
		}

		match = CMA_DECLARED.exec(body);
		if (match) {
			const start = address(match[2]!, line);
			const node = match[3] === undefined ? undefined : Number(match[3]);
			out.cma.push({file, line, start, end: start + (Number(match[1]) * MiB), how: 'cma_declare_contiguous_nid()', node: node === undefined || node < 0 ? undefined : node});
			continue;
		}

		match = CMA_POOL.exec(body);
		if (match) {
			const start = address(match[1]!, line);
			out.cma.push({file, line, start, end: start + (Number(match[2]) * MiB), how: 'rmem_cma_setup()', node: undefined});
			continue;
		}

		match = BANNER.exec(body);
		if (match && out.release === undefined) {
			out.release = {file, line, value: match[1]!, banner: match[2]!};
			continue;
		}

		const command = /^(?:Kernel )?[Cc]ommand line: (.*)$/.exec(body);
		if (command && out.cmdline === undefined) {
			out.cmdline = {file, line, value: command[1]!.trim()};
			continue;
		}

		const hypervisor = /^Hypervisor detected: (.*)$/.exec(body);
		if (hypervisor) {
			out.hypervisor = {file, line, value: hypervisor[1]!.trim()};
		}
	}

	return out;
}

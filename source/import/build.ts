/**
Capture facts → a topology (docs/capture-format.md "What import makes of it"). Pure: the facts in,
a draft out (entries with the capture lines they came from, warnings for everything guessed).

Boot memory is memblock.memory, read from the most direct source the capture has:
1. the boot log's "Early memory node ranges" (mm/mm_init.c free_area_init(): memblock.memory per
   node, NOMAP regions included, e820 PRAM excluded);
2. else the e820 map (the `user:` map when memmap=/mem= rewrote it): `usable` ranges, page-rounded
   inward as e820__memblock_setup() → memblock_add() and the PFN_UP/PFN_DOWN of
   for_each_mem_pfn_range() do, minus what x86 trim_bios_range() takes (page 0, [0xa0000, 1 MiB));
3. else the EFI memory map (arm64): every write-back region is memory, and those that are not
   usable are MEMBLOCK_NOMAP (drivers/firmware/efi/efi-init.c reserve_regions());
4. else /proc/iomem's `System RAM` (boot and hot-added RAM look alike there: a guess, warned).
Hot-added RAM is System RAM in /proc/iomem outside boot memory (ACPI/pc-dimm add_memory(),
dax_kmem `System RAM (kmem)`, virtio-mem), or memory blocks outside it, with each block's state.
ZONE_DEVICE comes from /proc/iomem's namespaceX.Y / daxX.Y with the mode and map from ndctl.
*/
import {type KernelVersion, NEWEST_KERNEL, atLeast, parseKernelVersion} from '../kernel/version.js';
import {type Arch, type Geometry, geometryFor} from '../model/geometry.js';
import type {CaptureFacts} from './collect.js';
import type {IomemResource} from './iomem.js';
import {ancestors, isSystemRam} from './iomem.js';
import type {Lsmem, LsmemRun} from './lsmem.js';
import type {MemoryBlock} from './memory-blocks.js';
import {debianUpstreamVersion, mapRelease} from './release.js';
import {hexAddress, parseError, type Source} from './text.js';
import type {NdNamespace} from './tool-json.js';

export type ImportWarning = {readonly file: string; readonly line: number | undefined; readonly message: string};

export type DraftEntry =
	| {readonly kind: 'boot'; start: number; end: number; node: number; nomap: Array<{start: number; end: number; from: Source[]}>; from: Source[]; note?: string}
	| {
		readonly kind: 'hotplug';
		start: number;
		end: number;
		node: number;
		state: 'offline' | 'online' | 'online_movable';
		/** Blocks in another state than `state` (topology `blocks:`). */
		blocks?: Array<{start: number; end: number; state: 'offline' | 'online' | 'online_movable'; from: Source[]}>;
		from: Source[];
		note?: string;
	}
	| {
		readonly kind: 'device';
		type: 'fsdax' | 'devdax' | 'generic' | 'p2pdma';
		start: number;
		end: number;
		node: number;
		altmap: {reserve: number; free: number} | 'auto' | undefined;
		from: Source[];
		note?: string;
	};

export type Draft = {
	readonly name: string;
	readonly description: string;
	readonly arch: Arch;
	readonly kernel: string;
	readonly kernelNote: string;
	readonly patches: readonly string[];
	readonly blockSize: {bytes: number; from: Source} | undefined;
	readonly hypervisor: Source | undefined;
	readonly entries: readonly DraftEntry[];
	readonly warnings: readonly ImportWarning[];
};

export type ImportOptions = {
	readonly name: string;
	/** --kernel X.Y: the semantics version, overriding the release in the capture. */
	readonly kernel?: string;
	/** What the capture is called in the description. */
	readonly label: string;
};

const PFN_UP = (g: Geometry, addr: number): number => Math.ceil(addr / g.PAGE_SIZE);
const PFN_DOWN = (g: Geometry, addr: number): number => Math.floor(addr / g.PAGE_SIZE);

type Range = {start: number; end: number};

function overlaps(a: Range, b: Range): boolean {
	return a.start < b.end && b.start < a.end;
}

function subtract(ranges: Range[], cut: Range): Range[] {
	return ranges.flatMap(r => {
		if (!overlaps(r, cut)) {
			return [r];
		}

		const out: Range[] = [];
		if (r.start < cut.start) {
			out.push({start: r.start, end: cut.start});
		}

		if (cut.end < r.end) {
			out.push({start: cut.end, end: r.end});
		}

		return out;
	});
}

/** EFI memory types that are memory the kernel may use (efi-init.c is_usable_memory()). */
/**
drivers/firmware/efi/efi-init.c [V 6.1, 6.12]: is_memory() — a region with a WB, WT or WC attribute
is added to memblock.memory — and is_usable_memory() — of those, these types with WB are usable;
the rest are marked MEMBLOCK_NOMAP (reserve_regions()). ACPI Reclaim is usable (and
memblock_reserve()d, not NOMAP).
*/
const EFI_USABLE = new Set(['Loader Code', 'Loader Data', 'ACPI Reclaim', 'Boot Code', 'Boot Data', 'Conventional', 'Persistent']);
const efiIsMemory = (attrs: readonly string[]): boolean => attrs.includes('WB') || attrs.includes('WT') || attrs.includes('WC');

export function buildDraft(facts: CaptureFacts, options: ImportOptions): Draft {
	const warnings: ImportWarning[] = [];
	const warn = (at: Source | {file: string; line?: number} | undefined, message: string): void => {
		warnings.push({file: at?.file ?? options.label, line: at?.line, message});
	};

	// --- kernel and arch -------------------------------------------------------------------
	const releaseSource = facts.osrelease ?? facts.dmesg?.release;
	const banner = facts.dmesg?.release?.banner;
	const upstream = releaseSource && banner !== undefined ? debianUpstreamVersion(releaseSource.value, banner) : undefined;
	const mapping = releaseSource ? mapRelease(releaseSource.value, upstream) : undefined;
	if (releaseSource && !mapping) {
		warn(releaseSource, `"${releaseSource.value}" is not a kernel release (MAJOR.MINOR.SUBLEVEL…); modelled as mainline v${NEWEST_KERNEL}`);
	}

	let kernel: string;
	let kernelNote: string;
	const patches: string[] = [];
	if (options.kernel !== undefined) {
		kernel = options.kernel;
		kernelNote = `--kernel ${options.kernel}${mapping ? ` (the capture says ${mapping.release})` : ''}`;
	} else if (mapping) {
		if (!parseKernelVersion(mapping.kernel)) {
			throw parseError(releaseSource!.file, releaseSource!.line, `${mapping.warning ?? `kernel ${mapping.release} is not modelled`}; give --kernel X.Y to model it as another release`);
		}

		kernel = mapping.kernel;
		kernelNote = mapping.note;
		if (mapping.preset) {
			patches.push(mapping.preset);
		}

		if (mapping.warning) {
			warn(releaseSource, mapping.warning);
		}
	} else {
		kernel = NEWEST_KERNEL;
		kernelNote = `no kernel release in the capture: mainline v${NEWEST_KERNEL}`;
		if (!releaseSource) {
			warn(undefined, `no kernel release in the capture (proc/sys/kernel/osrelease or a "Linux version" line in dmesg.txt): modelled as mainline v${NEWEST_KERNEL}; give --kernel X.Y`);
		}
	}

	const version = parseKernelVersion(kernel);
	if (!version) {
		throw parseError(options.label, undefined, `--kernel ${kernel} is not a modelled release "MAJOR.MINOR" from 4.13 to ${NEWEST_KERNEL}`);
	}

	const dmesg = facts.dmesg;
	let arch: Arch | undefined = mapping?.arch;
	if (arch === undefined) {
		if (dmesg && dmesg.e820.length > 0) {
			arch = 'x86_64';
		} else if (dmesg && (dmesg.efi.length > 0 || dmesg.ofNomap.length > 0) && /aarch64|arm64/.test(dmesg.release?.banner ?? 'aarch64')) {
			arch = 'arm64-4k';
			warn(dmesg.efi[0] ?? dmesg.ofNomap[0], 'arm64 assumed from the EFI/device-tree memory map, with 4K pages (the capture does not say the page size); set arch: arm64-16k or arm64-64k if the kernel uses another');
		} else if (facts.iomem?.resources.some(r => /^(?:IOAPIC \d+|Local APIC|HPET \d+|System ROM|Video ROM|PCI MMCONFIG)/.test(r.name))) {
			arch = 'x86_64'; // x86-only resources (ioapic_insert_resources(), e820 ROMs, hpet)
		} else {
			arch = 'x86_64';
			warn(releaseSource, 'the capture does not say the architecture (no -amd64/-arm64 in the release, no e820 map): x86_64 assumed; edit arch: if it is another');
		}
	}

	const g = geometryFor(arch, version);
	const page = g.PAGE_SIZE;
	const roundIn = (r: Range): Range => ({start: PFN_UP(g, r.start) * page, end: PFN_DOWN(g, r.end) * page});

	// --- contradictions between the block listings --------------------------------------------
	if (facts.blocks && facts.lsmem && facts.blocks.blockSize && facts.lsmem.blockSize && facts.blocks.blockSize.bytes !== facts.lsmem.blockSize.bytes) {
		throw parseError(facts.lsmem.blockSize.file, facts.lsmem.blockSize.line, `memory block size ${hexAddress(facts.lsmem.blockSize.bytes)} contradicts block_size_bytes ${hexAddress(facts.blocks.blockSize.bytes)} (${facts.blocks.blockSize.file}:${facts.blocks.blockSize.line}): the files come from different machines or boots; capture them again together`);
	}

	if (facts.blocks && facts.lsmem) {
		const bs = facts.blocks.blockSize?.bytes ?? facts.lsmem.blockSize?.bytes;
		const runs = [...facts.lsmem.runs].sort((a, b) => a.start - b.start);
		for (const b of facts.blocks.blocks) {
			if (bs === undefined || b.state === undefined) {
				continue;
			}

			const run = covering(runs, b.id * bs);
			if (run?.state !== undefined && run.state !== b.state) {
				throw parseError(run.file, run.line, `contradictory block states: memory${b.id} is ${run.state} here but ${b.state} in ${b.file}:${b.line}; the files were captured at different times (a block was onlined or offlined in between): capture them again together`);
			}
		}
	}

	// --- memory block size -----------------------------------------------------------------
	const blockSizeFact = facts.blocks?.blockSize ?? facts.lsmem?.blockSize;
	const blockSize = blockSizeFact ? {bytes: blockSizeFact.bytes, from: {file: blockSizeFact.file, line: blockSizeFact.line}} : undefined;
	if (blockSize && blockSize.bytes < g.PAGES_PER_SECTION * page) {
		throw parseError(blockSize.from.file, blockSize.from.line, `memory block size ${hexAddress(blockSize.bytes)} is smaller than a section (${hexAddress(g.PAGES_PER_SECTION * page)} on ${arch}): memory_block_size_bytes() never is; is the arch right?`);
	}

	// --- boot memory -----------------------------------------------------------------------
	const boot: Array<{start: number; end: number; node: number; from: Source[]; nomap: Array<{start: number; end: number; from: Source[]}>}> = [];
	let bootSource: 'early' | 'e820' | 'efi' | 'iomem' | 'blocks' | undefined;
	const sratNode = (r: Range): number | undefined => dmesg?.srat.find(s => s.start <= r.start && r.start <= s.end)?.node;
	if (dmesg && dmesg.earlyNodeRanges.length > 0) {
		bootSource = 'early';
		for (const r of dmesg.earlyNodeRanges) {
			const range = roundIn({start: r.start, end: r.end + 1});
			if (range.end > range.start) {
				boot.push({...range, node: r.node, from: [r], nomap: []});
			}
		}
	} else if (dmesg && dmesg.e820.some(e => e.table !== 'setup_data')) {
		bootSource = 'e820';
		const table = dmesg.e820.some(e => e.table === 'user') ? 'user' : 'BIOS-e820';
		let usable: Array<Range & {from: Source[]}> = [];
		for (const e of dmesg.e820.filter(e => e.table === table && e.type === 'usable')) {
			const range = roundIn({start: e.start, end: e.end + 1});
			const last = usable.at(-1);
			if (last && last.end === range.start) {
				last.end = range.end;
				last.from.push(e);
			} else if (range.end > range.start) {
				usable.push({...range, from: [e]});
			}
		}

		// e820 setup_data / PRAM / soft reserved carve-outs of the usable map, and what the kernel
		// took out of it after printing it (e820: update … usable ==> reserved, e820: remove).
		for (const e of [...dmesg.e820.filter(e => e.table === 'setup_data' && e.type !== 'usable'), ...dmesg.e820Removed]) {
			const cut = {start: PFN_DOWN(g, e.start) * page, end: PFN_UP(g, e.end + 1) * page};
			usable = usable.flatMap(u => (overlaps(u, cut) ? subtract([u], cut).map(r => ({...r, from: [...u.from, e]})) : [u]));
		}

		if (arch === 'x86_64') {
			// trim_bios_range(): page 0 reserved, [BIOS_BEGIN, BIOS_END) removed.
			usable = usable.flatMap(u => subtract(subtract([u], {start: 0, end: page}), {start: 0xa_0000, end: 0x10_0000}).map(r => ({...r, from: u.from})));
		}

		for (const u of usable) {
			const node = sratNode(u) ?? 0;
			boot.push({start: u.start, end: u.end, node, from: u.from, nomap: []});
		}
	} else if (dmesg && dmesg.efi.length > 0) {
		bootSource = 'efi';
		for (const e of [...dmesg.efi].sort((a, b) => a.start - b.start)) {
			if (!efiIsMemory(e.attrs)) {
				continue;
			}

			const range = roundIn({start: e.start, end: e.end + 1});
			const last = boot.at(-1);
			const node = sratNode(range) ?? 0;
			if (last && last.end === range.start && last.node === node) {
				last.end = range.end;
				last.from.push(e);
			} else {
				boot.push({...range, node, from: [e], nomap: []});
			}
		}
	} else if (facts.iomem) {
		bootSource = 'iomem';
	} else if (facts.blocks?.blockSize || facts.lsmem) {
		bootSource = 'blocks';
	}

	// NOMAP: the EFI map's memory regions that are not usable memory (arm64 only).
	if (arch.startsWith('arm64') && dmesg && bootSource !== 'iomem') {
		for (const e of dmesg.efi) {
			if (!efiIsMemory(e.attrs) || (EFI_USABLE.has(e.type) && e.attrs.includes('WB'))) {
				continue;
			}

			const range = roundIn({start: e.start, end: e.end + 1});
			const owner = boot.find(b => b.start <= range.start && range.end <= b.end);
			if (owner && range.end > range.start) {
				const last = owner.nomap.at(-1);
				if (last && last.end === range.start) {
					last.end = range.end;
					last.from.push(e);
				} else {
					owner.nomap.push({...range, from: [e]});
				}
			}
		}

		for (const o of dmesg.ofNomap) {
			const range = roundIn({start: o.start, end: o.end + 1});
			const owner = boot.find(b => b.start <= range.start && range.end <= b.end);
			if (owner && range.end > range.start && !owner.nomap.some(n => overlaps(n, range))) {
				owner.nomap.push({...range, from: [o]});
			}
		}

		for (const b of boot) {
			b.nomap.sort((x, y) => x.start - y.start);
		}
	}

	// NOMAP from /proc/iomem (arm64): request_standard_resources() (arch/arm64/kernel/setup.c) requests
	// each memblock.memory region at the top level, "reserved" when memblock_is_nomap(region), else
	// "System RAM" [V 6.1, 6.12]. 6.1 prints no OF no-map lines, so this is where its NOMAP shows.
	if (arch.startsWith('arm64') && facts.iomem && bootSource !== 'iomem') {
		for (const r of facts.iomem.resources) {
			if (r.parent !== -1 || r.name !== 'reserved') {
				continue;
			}

			const range = roundIn({start: r.start, end: r.end + 1});
			const owner = boot.find(b => b.start <= range.start && range.end <= b.end);
			if (owner && range.end > range.start && !owner.nomap.some(n => overlaps(n, range))) {
				owner.nomap.push({...range, from: [r]});
				owner.nomap.sort((x, y) => x.start - y.start);
			}
		}
	}

	// NOMAP from debugfs memblock/memory when it names the flags (6.12's format): the kernel's own
	// memblock.memory, so it replaces what the EFI map, the OF lines and /proc/iomem suggested.
	const memblock = facts.memblockMemory;
	if (memblock?.withFlags && bootSource !== 'iomem') {
		for (const b of boot) {
			b.nomap = [];
		}

		for (const r of memblock.regions) {
			if (!(r.flags ?? []).includes('NOMAP')) {
				continue;
			}

			const range = roundIn({start: r.start, end: r.end});
			const owner = boot.find(b => b.start <= range.start && range.end <= b.end);
			if (!owner || range.end <= range.start) {
				warn(r, `NOMAP region ${hexAddress(r.start)}-${hexAddress(r.end - 1)} lies outside the boot memory as imported (${bootSource === undefined ? 'none' : bootSource === 'early' ? 'the Early memory node ranges' : `the ${bootSource} map`}): not modelled`);
				continue;
			}

			if (!arch.startsWith('arm64')) {
				warn(r, `NOMAP region ${hexAddress(r.start)}-${hexAddress(r.end - 1)}: MEMBLOCK_NOMAP is modelled on arm64 only (arch is ${arch}): not modelled`);
				continue;
			}

			owner.nomap.push({...range, from: [r]});
		}

		for (const b of boot) {
			b.nomap.sort((x, y) => x.start - y.start);
		}
	}

	// --- /proc/iomem: RAM and devices ------------------------------------------------------
	const iomem = facts.iomem;
	const inBoot = (r: Range): boolean => boot.some(b => overlaps(b, r));
	const hotRam: Array<{range: Range; from: Source[]; kmem: IomemResource | undefined}> = [];
	const devices: DraftEntry[] = [];
	if (iomem) {
		// The resource before each one under the same parent, and the offline blocks by id: one pass each.
		const lastChild = new Map<number, number>();
		const previousSibling = iomem.resources.map((r, index) => {
			const previous = lastChild.get(r.parent) ?? -1;
			lastChild.set(r.parent, index);
			return previous;
		});
		const offlineBlocks = (facts.blocks?.blocks ?? []).filter(b => b.state === 'offline');
		const firstOfflineIn = (first: number, end: number): MemoryBlock | undefined => {
			let lo = 0;
			let hi = offlineBlocks.length;
			while (lo < hi) {
				const mid = Math.floor((lo + hi) / 2);
				if (offlineBlocks[mid]!.id < first) {
					lo = mid + 1;
				} else {
					hi = mid;
				}
			}

			const b = offlineBlocks[lo];
			return b !== undefined && b.id < end ? b : undefined;
		};

		iomem.resources.forEach((r, index) => {
			if (!isSystemRam(r.name)) {
				return;
			}

			const up = ancestors(iomem, index);
			if (up.some(a => isSystemRam(a.name))) {
				return;
			}

			const range = roundIn({start: r.start, end: r.end + 1});
			if (range.end <= range.start) {
				return;
			}

			const dax = up.find(a => /^dax\d+\.\d+$/.test(a.name));
			if (bootSource === 'iomem' && !dax && r.name === 'System RAM' && !up.some(a => /Persistent Memory/.test(a.name))) {
				// Without a boot map: e820__reserve_resources() makes one resource per (sanitized,
				// so never adjacent) usable e820 entry, add_memory() one per added range. A System
				// RAM resource right after another, or holding an offline block, was hot-added.
				const previous = previousSibling[index]!;
				const adjacent = previous >= 0 && isSystemRam(iomem.resources[previous]!.name) && iomem.resources[previous]!.end + 1 === r.start;
				const offline = blockSizeFact === undefined ? undefined : firstOfflineIn(Math.ceil(range.start / blockSizeFact.bytes), Math.floor(range.end / blockSizeFact.bytes));
				if (adjacent || offline) {
					warn(r, `${r.name} ${hexAddress(r.start)}-${hexAddress(r.end)} taken as hot-added: ${offline ? `memory${offline.id} in it is offline` : 'it is a separate resource right after another System RAM (e820 would have merged them)'}`);
					hotRam.push({range, from: [r], kmem: undefined});
					return;
				}

				boot.push({...range, node: sratNode(range) ?? 0, from: [r], nomap: []});
				return;
			}

			if (inBoot(range) && !dax) {
				return;
			}

			hotRam.push({range, from: [r, ...cxlRegionOf(facts, index)], kmem: dax ? r : undefined});
		});
		if (bootSource === 'iomem') {
			warn(iomem.resources.find(r => isSystemRam(r.name)), '/proc/iomem alone cannot tell boot RAM from hot-added RAM (both are "System RAM"): every top-level System RAM range is taken as boot memory; add dmesg.txt (the e820 map or "Early memory node ranges") to the capture');
		}

		devices.push(...iomemDevices(facts, g, version, warn));
		checkCxlRegions(facts, warn);
	}

	if (bootSource === 'blocks') {
		const source = facts.blocks?.blockSize ?? facts.lsmem?.blockSize;
		const bs = blockSize?.bytes;
		if (bs !== undefined) {
			for (const run of blockRuns(facts, bs)) {
				const last = boot.at(-1);
				if (last && last.end === run.start && last.node === run.node) {
					last.end = run.end;
					last.from.push(run.from);
				} else {
					boot.push({start: run.start, end: run.end, node: run.node, from: [run.from], nomap: []});
				}
			}
		}

		warn(source, 'no boot map (dmesg.txt) and no /proc/iomem: every present memory block is taken as boot memory (block-granular; holes inside blocks are not seen)');
	}

	for (const p of dmesg?.p2pdma ?? []) {
		const range = {start: p.start, end: p.end + 1};
		devices.push({kind: 'device', type: 'p2pdma', ...range, node: 0, altmap: undefined, from: [p], note: `pci_p2pdma_add_resource() of ${p.device}`});
	}

	if (boot.length === 0) {
		throw parseError(
			options.label,
			undefined,
			'the capture says nothing about boot memory: give dmesg.txt (with the e820 map or "Early memory node ranges"), proc/iomem, or the memory blocks (sys/devices/system/memory or lsmem.txt)',
		);
	}

	// --- hot-added RAM and block states -----------------------------------------------------
	const hotplug: DraftEntry[] = [];
	const blocksById = new Map<number, MemoryBlock>((facts.blocks?.blocks ?? []).map(b => [b.id, b]));
	const bs = blockSize?.bytes ?? g.PAGES_PER_SECTION * page;
	if (!blockSize && hotRam.length > 0) {
		warn(hotRam[0]!.from[0], `no memory block size in the capture (sys/devices/system/memory/block_size_bytes or lsmem.txt): hot-added ranges aligned to one section (${bs / 2 ** 20} MiB)`);
	}

	if (hotRam.length === 0 && !iomem && blocksById.size > 0 && bootSource !== 'blocks') {
		// Blocks outside boot memory, without /proc/iomem: hot-added.
		for (const run of blockRuns(facts, bs)) {
			for (const piece of subtract([run], {start: 0, end: 0}).flatMap(r => boot.reduce<Range[]>((acc, b) => acc.flatMap(x => subtract([x], b)), [r]))) {
				hotRam.push({range: {start: piece.start, end: piece.end}, from: [run.from], kmem: undefined});
			}
		}
	}

	for (const hot of hotRam) {
		const aligned = {start: Math.ceil(hot.range.start / bs) * bs, end: Math.floor(hot.range.end / bs) * bs};
		if (aligned.end <= aligned.start) {
			warn(hot.from[0], `System RAM ${hexAddress(hot.range.start)}-${hexAddress(hot.range.end - 1)} outside boot memory does not cover one memory block (${bs / 2 ** 20} MiB): not modelled`);
			continue;
		}

		if (aligned.start !== hot.range.start || aligned.end !== hot.range.end) {
			warn(hot.from[0], `hot-added System RAM ${hexAddress(hot.range.start)}-${hexAddress(hot.range.end - 1)} is not memory-block aligned: modelled as ${hexAddress(aligned.start)}-${hexAddress(aligned.end - 1)} (add_memory() adds whole blocks; dax_kmem aligns inward)`);
		}

		const dax = hot.kmem ? facts.daxctl?.daxDevices.find(d => iomem && ancestors(iomem, iomem.resources.indexOf(hot.kmem!)).some(a => a.name === d.chardev)) : undefined;
		const runs = stateRuns(aligned, bs, blocksById, facts, dax?.movable, warn, hot.from[0]!);
		// One entry per add_memory() (per node: blocks: has no node), the blocks in another
		// state than the most common one listed in blocks:.
		const nodeOf = (run: StateRun): number => run.node ?? dax?.target_node ?? sratNode(run) ?? 0;
		const groups: StateRun[][] = [];
		for (const run of runs) {
			const last = groups.at(-1);
			if (last && nodeOf(last[0]!) === nodeOf(run)) {
				last.push(run);
			} else {
				groups.push([run]);
			}
		}

		for (const group of groups) {
			const pages = new Map<StateRun['state'], number>();
			for (const run of group) {
				pages.set(run.state, (pages.get(run.state) ?? 0) + run.end - run.start);
			}

			const state = [...pages].sort((a, b) => b[1] - a[1])[0]![0];
			const blocks = group.filter(run => run.state !== state).map(run => ({start: run.start, end: run.end, state: run.state, from: run.from}));
			const kmem = hot.kmem ? `dax_kmem: ${hot.kmem.name} under ${iomem ? ancestors(iomem, iomem.resources.indexOf(hot.kmem)).map(a => a.name).join(' / ') : ''}` : undefined;
			// The ACPI SRAT range marked hotplug that holds it (acpi_numa_memory_affinity_init()): where its node is from.
			const srat = dmesg?.srat.find(x => x.hotplug && x.start <= group[0]!.start && group.at(-1)!.end - 1 <= x.end);
			const sratNote = srat ? `in the SRAT hotplug range of node ${srat.node}` : undefined;
			hotplug.push({
				kind: 'hotplug',
				start: group[0]!.start,
				end: group.at(-1)!.end,
				node: nodeOf(group[0]!),
				state,
				...(blocks.length > 0 ? {blocks} : {}),
				from: [...hot.from, ...(srat ? [srat] : []), ...group.filter(run => run.state === state).flatMap(run => run.from).slice(0, 3)],
				...(kmem || sratNote || blocks.length > 0 ? {note: [kmem, sratNote, blocks.length > 0 ? 'one add_memory() whose blocks are in different states' : undefined].filter(Boolean).join('; ')} : {}),
			});
		}
	}

	// Boot blocks that are offline: offline_pages() of boot memory is not modelled.
	for (const b of facts.blocks?.blocks ?? []) {
		const range = {start: b.id * bs, end: (b.id + 1) * bs};
		if (b.state === 'offline' && boot.some(x => overlaps(x, range)) && !hotplug.some(h => overlaps(h, range))) {
			warn(b, `memory${b.id} is boot memory and offline: offlining boot memory (offline_pages() of an early section) is not modelled; the block is modelled online`);
		}
	}

	const entries: DraftEntry[] = [
		...boot.map(b => ({kind: 'boot' as const, start: b.start, end: b.end, node: b.node, nomap: b.nomap, from: b.from})),
		...[...hotplug, ...devices].sort((a, b) => a.start - b.start),
	];
	const hypervisor = arch === 'x86_64' && dmesg?.hypervisor ? dmesg.hypervisor : undefined;
	const read = facts.read.join(', ');
	return {
		name: options.name,
		description: `Imported by pfnaudit import from ${options.label} (${read}).`,
		arch,
		kernel,
		kernelNote,
		patches,
		blockSize,
		hypervisor,
		entries,
		warnings,
	};
}

/**
The range of `sorted` (by start, not overlapping, `end` inclusive) that holds addr: a binary search,
so that a capture of N blocks is read in O(N log N), never O(N²).
*/
function covering<T extends {readonly start: number; readonly end: number}>(sorted: readonly T[], addr: number): T | undefined {
	let lo = 0;
	let hi = sorted.length - 1;
	while (lo <= hi) {
		const mid = Math.floor((lo + hi) / 2);
		const r = sorted[mid]!;
		if (addr < r.start) {
			hi = mid - 1;
		} else if (addr > r.end) {
			lo = mid + 1;
		} else {
			return r;
		}
	}

	return undefined;
}

const lsmemSorted = new WeakMap<Lsmem, readonly LsmemRun[]>();

/** lsmem's runs by start (computed once per listing). */
function sortedLsmem(lsmem: Lsmem): readonly LsmemRun[] {
	let sorted = lsmemSorted.get(lsmem);
	if (!sorted) {
		sorted = [...lsmem.runs].sort((a, b) => a.start - b.start);
		lsmemSorted.set(lsmem, sorted);
	}

	return sorted;
}

type BlockRun = Range & {node: number; from: Source};

/** Present memory blocks (sysfs or lsmem) as runs of consecutive blocks on one node. */
function blockRuns(facts: CaptureFacts, bs: number): BlockRun[] {
	const runs: BlockRun[] = [];
	if (facts.blocks && facts.blocks.blocks.length > 0) {
		for (const b of facts.blocks.blocks) {
			const start = b.id * bs;
			const last = runs.at(-1);
			if (last && last.end === start && last.node === (b.node ?? 0)) {
				last.end = start + bs;
			} else {
				runs.push({start, end: start + bs, node: b.node ?? 0, from: b});
			}
		}
	} else if (facts.lsmem) {
		for (const r of facts.lsmem.runs) {
			runs.push({start: r.start, end: r.end + 1, node: r.node ?? 0, from: r});
		}
	}

	return runs;
}

type StateRun = Range & {state: 'offline' | 'online' | 'online_movable'; node: number | undefined; from: Source[]};

/** The blocks of one hot-added range as runs of equal state (sysfs, else lsmem, else daxctl/policy). */
function stateRuns(
	range: Range,
	bs: number,
	blocks: ReadonlyMap<number, MemoryBlock>,
	facts: CaptureFacts,
	movable: boolean | undefined,
	warn: (at: Source | undefined, message: string) => void,
	from: Source,
): StateRun[] {
	const runs: StateRun[] = [];
	const lsmemRuns = facts.lsmem ? sortedLsmem(facts.lsmem) : [];
	let guessed = false;
	for (let addr = range.start; addr < range.end; addr += bs) {
		const id = addr / bs;
		const block = blocks.get(id);
		let state: StateRun['state'];
		let node: number | undefined;
		let source: Source | undefined;
		if (block?.state !== undefined) {
			source = block;
			node = block.node;
			if (block.state === 'going-offline') {
				warn(block, `memory${id} was going-offline when captured (offline_pages() in progress): modelled online, the state it leaves only if offlining fails`);
			}

			state = block.state === 'offline' ? 'offline' : (block.validZones.length === 1 && block.validZones[0] === 'Movable' ? 'online_movable' : 'online');
		} else {
			const run = lsmemRuns.length > 0 ? covering(lsmemRuns, addr) : undefined;
			if (run?.state) {
				source = run;
				node = run.node;
				state = run.state === 'offline' ? 'offline' : (run.zones.length === 1 && run.zones[0] === 'Movable' ? 'online_movable' : 'online');
			} else {
				guessed = true;
				const policy = facts.blocks?.autoOnline?.value;
				state = movable === true || policy === 'online_movable' ? 'online_movable' : (policy === 'offline' ? 'offline' : 'online');
			}
		}

		const last = runs.at(-1);
		if (last && last.state === state && last.node === node) {
			last.end = addr + bs;
			if (source && last.from.length < 3) {
				last.from.push(source);
			}
		} else {
			runs.push({start: addr, end: addr + bs, state, node, from: source ? [source] : []});
		}
	}

	if (guessed) {
		const policy = facts.blocks?.autoOnline;
		warn(from, `the state of the memory blocks of ${hexAddress(range.start)}-${hexAddress(range.end - 1)} is not in the capture (sys/devices/system/memory/memoryN/state or lsmem.txt): ${policy ? `auto_online_blocks=${policy.value} assumed` : (movable === undefined ? 'online assumed' : `daxctl says movable: ${movable}`)}`);
	}

	return runs;
}

/** The `cxl list` region (cxl-list.json) of the iomem `regionN` above a resource, as a source for its comment. */
function cxlRegionOf(facts: CaptureFacts, index: number): Source[] {
	const region = facts.iomem && facts.cxl ? ancestors(facts.iomem, index).find(a => /^region\d+$/.test(a.name)) : undefined;
	const listed = region ? facts.cxl!.cxlRegions.find(c => c.region === region.name) : undefined;
	return listed ? [listed] : [];
}

/**
cxl-list.json's regions against /proc/iomem: a region listed with its `resource` must be the iomem
`regionN` at that address (cxl/core/region.c names the resource after the region); else the
listing and /proc/iomem were taken at different times (the region torn down or re-created).
*/
function checkCxlRegions(facts: CaptureFacts, warn: (at: Source | undefined, message: string) => void): void {
	if (!facts.cxl || !facts.iomem) {
		return;
	}

	for (const c of facts.cxl.cxlRegions) {
		if (c.resource === undefined) {
			continue;
		}

		const inIomem = facts.iomem.resources.find(r => r.name === c.region);
		if (!inIomem || inIomem.start !== c.resource) {
			warn(c, `cxl region ${c.region} at ${hexAddress(c.resource)} is ${inIomem ? `at ${hexAddress(inIomem.start)} in ${inIomem.file}:${inIomem.line}` : 'not in /proc/iomem'}: cxl-list.json and /proc/iomem were taken at different times; /proc/iomem is what was imported`);
		}
	}
}

const NAMESPACE = /^namespace\d+\.\d+$/;
const DAX = /^dax\d+\.\d+$/;

/** ZONE_DEVICE ranges: libnvdimm namespaces (fsdax, devdax) and dax devices not claimed by kmem. */
function iomemDevices(facts: CaptureFacts, g: Geometry, kernel: KernelVersion, warn: (at: Source | undefined, message: string) => void): DraftEntry[] {
	const iomem = facts.iomem!;
	const out: DraftEntry[] = [];
	const subsection = g.PAGES_PER_SUBSECTION * g.PAGE_SIZE;
	// ndctl's listing, else what libnvdimm's sysfs says (a capture without ndctl).
	const namespaces = new Map<string, NdNamespace>([...(facts.ndSysfs ?? []), ...(facts.ndctl?.namespaces ?? [])].map(n => [n.dev, n]));
	const claimed = new Set<number>();
	const alignIn = (r: Range, at: Source): Range | undefined => {
		const aligned = {start: Math.ceil(r.start / subsection) * subsection, end: Math.floor(r.end / subsection) * subsection};
		if (aligned.end <= aligned.start) {
			warn(at, `${hexAddress(r.start)}-${hexAddress(r.end - 1)} does not hold one ${subsection / 2 ** 20} MiB subsection: not modelled`);
			return undefined;
		}

		if (aligned.start !== r.start || aligned.end !== r.end) {
			warn(at, `${hexAddress(r.start)}-${hexAddress(r.end - 1)} is not ${subsection / 2 ** 20} MiB aligned: modelled as ${hexAddress(aligned.start)}-${hexAddress(aligned.end - 1)} (the nvdimm pfn device pads to the subsection: start_pad/end_trunc)`);
		}

		return aligned;
	};

	iomem.resources.forEach((r, index) => {
		if (!NAMESPACE.test(r.name)) {
			return;
		}

		const nd = namespaces.get(r.name);
		const parent = r.parent;
		// The dax data resource of a devdax namespace: a daxX.Y sibling right after it.
		const daxIndex = iomem.resources.findIndex((s, i) => i > index && s.parent === parent && DAX.test(s.name) && s.start > r.end);
		const dax = daxIndex >= 0 ? iomem.resources[daxIndex] : undefined;
		const daxHasKmem = dax !== undefined && iomem.resources.some(c => c.parent === daxIndex && isSystemRam(c.name));
		let mode = nd?.mode;
		if (mode === 'memory') {
			mode = 'fsdax';
		} else if (mode === 'dax') {
			mode = 'devdax';
		}

		if (mode === undefined) {
			mode = dax ? 'devdax' : 'fsdax';
			warn(r, `${r.name}: no ndctl-list.json entry or sys/bus/nd/devices/ for it, mode ${mode} guessed from /proc/iomem (${dax ? `${dax.name} follows it` : 'no dax device follows it'}), map=mem assumed (no altmap)`);
		}

		if (mode === 'raw' || mode === 'sector') {
			return;
		}

		if (mode === 'devdax' && daxHasKmem) {
			claimed.add(daxIndex);
			return; // the data is hot-added RAM (dax_kmem): no pgmap left.
		}

		const from: Source[] = [r, ...(dax && mode === 'devdax' ? [dax] : []), ...(nd ? [nd] : [])];
		const raw = {start: r.start, end: (mode === 'devdax' && dax ? dax.end : r.end) + 1};
		if (mode === 'devdax' && dax) {
			claimed.add(daxIndex);
		}

		const range = alignIn(raw, r);
		if (!range) {
			return;
		}

		let altmap: {reserve: number; free: number} | 'auto' | undefined;
		let note: string;
		if (nd?.map === 'dev') {
			// __nvdimm_setup_pfn(): reserve = the 8K info block, free = PHYS_PFN(dataoff) - reserve.
			const reserve = 8192;
			let dataoff: number | undefined;
			let how = '';
			if (mode === 'devdax' && dax) {
				dataoff = dax.start - range.start;
				how = `${dax.name} starts ${hexAddress(dataoff)} into the namespace`;
			} else if (nd.size && !nd.size.approximate) {
				dataoff = range.end - range.start - nd.size.bytes;
				how = `namespace ${hexAddress(range.end - range.start)} bytes, ndctl size ${hexAddress(nd.size.bytes)}`;
			}

			// nd_pfn_init() (drivers/nvdimm/pfn_devs.c [V 6.1, 6.12]): offset = ALIGN(start + SZ_8K +
			// MAX_STRUCT_PAGE_SIZE (64) * npfns, align) - start. A larger offset than that layout at a
			// section's alignment (or ndctl's align when larger) is no layout the kernel writes: the
			// ndctl listing and /proc/iomem come from different boots.
			const size = range.end - range.start;
			const layoutAlign = Math.max(nd.align ?? 0, 128 * 2 ** 20);
			const largest = Math.ceil((8192 + 64 * Math.floor((size - 8192) / g.PAGE_SIZE)) / layoutAlign) * layoutAlign;
			const implausible = dataoff !== undefined && !(mode === 'devdax' && dax) && dataoff > largest;
			if (dataoff !== undefined && !implausible && dataoff > reserve && dataoff % g.PAGE_SIZE === 0 && dataoff < size) {
				altmap = {reserve, free: dataoff - reserve};
				note = `map=dev: data offset ${hexAddress(dataoff)} (${how})`;
			} else {
				altmap = 'auto';
				note = 'map=dev: data offset as nd_pfn_init() computes it (free: auto)';
				const contradicts = implausible || (nd.size !== undefined && nd.size.bytes >= size);
				warn(
					nd,
					contradicts
						? `${r.name}: ndctl's usable size ${hexAddress(nd.size!.bytes)} does not fit the namespace's ${hexAddress(size)} bytes in ${r.file}:${r.line} (pfn_devs.c size_show() is the namespace less a data offset of at most the 8K info block and 64 bytes of memmap per page, aligned): the files come from different boots; altmap free: auto (nd_pfn_init()'s layout)`
						: `${r.name}: the real data offset is not in the capture${nd.size?.approximate ? ' (ndctl -u sizes are rounded)' : ''}: altmap free: auto (nd_pfn_init()'s layout)`,
				);
			}
		} else {
			note = nd?.map === 'mem' ? 'map=mem: memmap in System RAM, no altmap' : 'no altmap';
		}

		out.push({kind: 'device', type: mode === 'devdax' ? 'devdax' : 'fsdax', ...range, node: nd?.numa_node ?? 0, altmap, from, note: `${r.name} ${mode} ${note}`});
	});

	// dax devices without a namespace (hmem Soft Reserved, CXL regions): MEMORY_DEVICE_GENERIC.
	iomem.resources.forEach((r, index) => {
		if (!DAX.test(r.name) || claimed.has(index)) {
			return;
		}

		if (iomem.resources.some(c => c.parent === index && isSystemRam(c.name))) {
			return; // dax_kmem: hot-added RAM.
		}

		const range = alignIn({start: r.start, end: r.end + 1}, r);
		if (!range) {
			return;
		}

		const dev = facts.daxctl?.daxDevices.find(d => d.chardev === r.name);
		const type = atLeast(kernel, '5.10') ? 'generic' : 'devdax';
		out.push({
			kind: 'device',
			type,
			...range,
			node: dev?.target_node ?? 0,
			altmap: undefined,
			from: [r, ...(dev ? [dev] : []), ...cxlRegionOf(facts, index)],
			note: `${r.name} under ${ancestors(iomem, index).map(a => a.name).join(' / ')}: device-dax (${type === 'generic' ? 'MEMORY_DEVICE_GENERIC' : 'MEMORY_DEVICE_DEVDAX'})`,
		});
	});

	return out;
}

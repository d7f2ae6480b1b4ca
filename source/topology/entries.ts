/**
The `memory:` list: boot entries (memblock.memory at boot) first, then the operations replayed
in order (add_memory(), memremap_pages()). Each entry is checked against the kernel function that
would refuse it, at the selected kernel version, and turned into a TopologyEntry.
*/
import {atLeast} from '../kernel/version.js';
import {hex, type Geometry} from '../model/geometry.js';
import {compoundAlignProblem} from '../model/compound-devmap.js';
import {hugetlbPageSizes} from '../model/hugetlb-vmemmap.js';
import {memmapOnMemoryProblem} from '../model/memmap-on-memory.js';
import {explicitMemoryBlockSizeProblem, memory_block_size_bytes, type MemoryBlockSize} from '../model/memory-block.js';
import {resolveAltmap} from './altmap.js';
import {deviceTypeUnavailable, hotplugUnavailable, hotremoveUnavailable, zoneDeviceUnavailable} from './availability.js';
import {atKernel, entryName, fail, type RuleContext} from './context.js';
import {formatAddressLiteral, formatSize, formatSizeLiteral} from './numbers.js';
import {validateBlockStates} from './operations.js';
import {checkOverlaps, type Placed} from './overlaps.js';
import {formatPath, type Path} from './positions.js';
import {SpanIndex} from './span-index.js';
import {requireAddressable, requireAligned, requirePageAligned, resolveSpan, type Span} from './ranges.js';
import type {RawConfig, RawEntry} from './schema.js';
import type {BootEntry, ByteRange, DeviceEntry, HotplugEntry, PfnRange, TopologyEntry} from './types.js';

type BootRaw = Extract<RawEntry, {kind: 'boot'}>;
type HotplugRaw = Extract<RawEntry, {kind: 'hotplug'}>;
type DeviceRaw = Extract<RawEntry, {kind: 'device'}>;

export type MemoryResult = {
	readonly entries: TopologyEntry[];
	/** The entries by address, for the operations that follow. */
	readonly placed: SpanIndex<Placed>;
	readonly memoryBlock: MemoryBlockSize & {readonly auto: boolean};
};

/** A candidate range is clear when it overlaps none of the entries placed so far. */
function clearOf(placed: SpanIndex<Placed>): (candidate: Span) => boolean {
	return candidate => placed.isClear(candidate);
}

function pfnRange(geometry: Geometry, span: Span): ByteRange & PfnRange {
	return {start: span.start, end: span.end, start_pfn: span.start / geometry.PAGE_SIZE, end_pfn: span.end / geometry.PAGE_SIZE};
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]};

/** Boot entries must come first: memblock.memory is fixed before any operation runs. */
function checkOrder(ctx: RuleContext, memory: readonly RawEntry[]): void {
	if (memory[0]!.kind !== 'boot') {
		fail(ctx, ['memory', 0, 'kind'], `memory[0] is a ${memory[0]!.kind} entry, but a topology starts with its boot memory (memblock.memory: sparse_init() builds the early sections before any add_memory() or memremap_pages()); add a kind: boot entry first`);
	}

	const firstOperation = memory.findIndex(entry => entry.kind !== 'boot');
	if (firstOperation === -1) {
		return;
	}

	for (let i = firstOperation + 1; i < memory.length; i++) {
		if (memory[i]!.kind === 'boot') {
			fail(ctx, ['memory', i, 'kind'], `memory[${i}] is a boot entry after the ${memory[firstOperation]!.kind} operation memory[${firstOperation}]: boot entries come first (memblock.memory is fixed at boot, operations are replayed after it); move it above memory[${firstOperation}]`);
		}
	}
}

function validateBoot(ctx: RuleContext, i: number, raw: BootRaw, placed: SpanIndex<Placed>): BootEntry {
	const path: Path = ['memory', i];
	const span = resolveSpan(ctx, path, raw);
	requirePageAligned(ctx, path, raw, span, 'for_each_mem_pfn_range() uses memblock ranges in whole pages (start rounded up, end rounded down), so give the pages the kernel uses');
	requireAddressable(ctx, path, raw, span, 'mminit_validate_memmodel_limits() (mm/sparse.c) trims boot memory beyond the SPARSEMEM maximum');
	const label = `boot@${hex(span.start)}`;
	const self: Placed = {start: span.start, end: span.end, index: i, kind: 'boot', label};
	checkOverlaps(ctx, self, placed, [...path, 'start']);
	placed.add(self);

	if (raw.nomap.length > 0 && !ctx.arch.startsWith('arm64')) {
		fail(ctx, [...path, 'nomap'], `${formatPath([...path, 'nomap'])}: MEMBLOCK_NOMAP ranges are modelled on arm64 only (UEFI runtime and ACPI regions that arm64 leaves out of the linear map); arch is ${ctx.arch}: drop nomap or leave the range out of boot memory`);
	}

	const nomap: Array<ByteRange & PfnRange> = [];
	for (const [j, rawNomap] of raw.nomap.entries()) {
		const nomapPath: Path = [...path, 'nomap', j];
		const nomapSpan = resolveSpan(ctx, nomapPath, rawNomap);
		requirePageAligned(ctx, nomapPath, rawNomap, nomapSpan, 'memblock_mark_nomap() flags whole pages of memblock.memory');
		if (nomapSpan.start < span.start || nomapSpan.end > span.end) {
			fail(ctx, [...nomapPath, 'start'], `${formatPath(nomapPath)} [${formatAddressLiteral(nomapSpan.start)}, ${formatAddressLiteral(nomapSpan.end)}) is not inside its boot entry [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}): MEMBLOCK_NOMAP marks part of memblock.memory, so a nomap range lies inside the boot range it belongs to`);
		}

		const clash = nomap.find(other => other.start < nomapSpan.end && nomapSpan.start < other.end);
		if (clash) {
			fail(ctx, [...nomapPath, 'start'], `${formatPath(nomapPath)} overlaps another nomap range of the same boot entry at ${formatAddressLiteral(Math.max(clash.start, nomapSpan.start))}; merge them into one`);
		}

		nomap.push(pfnRange(ctx.geometry, nomapSpan));
	}

	const cma = validateCma(ctx, path, raw, span, nomap);
	// An object literal, no spread: every entry of a kind then shares one hidden class (a spread
	// plus keys gave each of 10 000 entries a map of its own, and every read of entry.kind a
	// megamorphic lookup, issue 10). The same keys in the same order.
	const range = pfnRange(ctx.geometry, span);
	const entry: Mutable<BootEntry> = {start: range.start, end: range.end, start_pfn: range.start_pfn, end_pfn: range.end_pfn, index: i, node: raw.node, pos: ctx.index.at(path), label, kind: 'boot', nomap};
	if (cma.length > 0) {
		entry.cma = cma;
	}

	const hugetlb = validateHugetlb(ctx, path, raw, span, nomap);
	if (hugetlb.length > 0) {
		entry.hugetlb = hugetlb;
	}

	return entry;
}

/**
The release from which CMA_MIN_ALIGNMENT_PAGES is pageblock_nr_pages: Zi Yan's "mm: cma: use
pageblock_order as the single alignment" ([PATCH v10 4/5], Message-ID
<20220406151858.3149821-5-zi.yan@sent.com>) [P; release v5.19 U]. Before it, max(MAX_ORDER_NR_PAGES,
pageblock_nr_pages): include/linux/cma.h, and cma_init_reserved_mem()'s own alignment before the
macro existed.
*/
export const CMA_PAGEBLOCK_ALIGNMENT_RELEASE = '5.19';

/** CMA_MIN_ALIGNMENT_BYTES at the context's kernel, with how it is derived. */
export function cmaMinAlignment(ctx: Pick<RuleContext, 'kernel' | 'geometry'>): {bytes: number; rule: string} {
	const g = ctx.geometry;
	if (atLeast(ctx.kernel, CMA_PAGEBLOCK_ALIGNMENT_RELEASE)) {
		return {bytes: g.pageblock_nr_pages * g.PAGE_SIZE, rule: 'pageblock_nr_pages pages'};
	}

	return {bytes: Math.max(g.MAX_ORDER_NR_PAGES, g.pageblock_nr_pages) * g.PAGE_SIZE, rule: `max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) pages before v${CMA_PAGEBLOCK_ALIGNMENT_RELEASE}`};
}

/**
A boot entry's `cma:` ranges: the CMA areas cma_init_reserved_mem() registers (mm/cma.c: the range
reserved in memblock, base and size CMA_MIN_ALIGNMENT_BYTES aligned, -EINVAL otherwise), reserved
from this memory (cma_declare_contiguous_nid() allocates from memblock.memory; rmem_cma_setup()
refuses a no-map node, and memblock never allocates from a MEMBLOCK_NOMAP range).
*/
function validateCma(ctx: RuleContext, path: Path, raw: BootRaw, span: Span, nomap: ReadonlyArray<ByteRange & PfnRange>): Array<ByteRange & PfnRange> {
	const align = cmaMinAlignment(ctx);
	const cma: Array<ByteRange & PfnRange> = [];
	for (const [j, rawCma] of raw.cma.entries()) {
		const cmaPath: Path = [...path, 'cma', j];
		const cmaSpan = resolveSpan(ctx, cmaPath, rawCma);
		requireAligned(ctx, cmaPath, rawCma, cmaSpan, align.bytes, what => `not aligned to CMA_MIN_ALIGNMENT_BYTES ${formatSize(align.bytes)} (${align.rule}) at ${atKernel(ctx)}: cma_init_reserved_mem() (mm/cma.c) refuses a CMA area whose ${what === 'size' ? 'size' : (what === 'end' ? 'end' : 'base')} is not a multiple of it (-EINVAL)`);
		if (cmaSpan.start < span.start || cmaSpan.end > span.end) {
			fail(ctx, [...cmaPath, 'start'], `${formatPath(cmaPath)} [${formatAddressLiteral(cmaSpan.start)}, ${formatAddressLiteral(cmaSpan.end)}) is not inside its boot entry [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}): a CMA area is reserved from memblock.memory (cma_declare_contiguous_nid(), a reserved-memory node), so put it under the boot entry it lies in`);
		}

		const off = nomap.find(other => other.start < cmaSpan.end && cmaSpan.start < other.end);
		if (off) {
			fail(ctx, [...cmaPath, 'start'], `${formatPath(cmaPath)} overlaps the nomap range [${formatAddressLiteral(off.start)}, ${formatAddressLiteral(off.end)}): rmem_cma_setup() refuses a no-map reserved-memory node and memblock allocates no CMA area from MEMBLOCK_NOMAP memory; move the area off it`);
		}

		const clash = cma.find(other => other.start < cmaSpan.end && cmaSpan.start < other.end);
		if (clash) {
			fail(ctx, [...cmaPath, 'start'], `${formatPath(cmaPath)} overlaps another CMA area of the same boot entry at ${formatAddressLiteral(Math.max(clash.start, cmaSpan.start))}: memblock reserves each area once (cma_declare_contiguous_nid() -EBUSY); merge them or move one`);
		}

		cma.push(pfnRange(ctx.geometry, cmaSpan));
	}

	return cma;
}

/** A boot entry's `hugetlb:` ranges: whole HugeTLB pages inside the entry, clear of nomap and of each other. */
function validateHugetlb(ctx: RuleContext, path: Path, raw: BootRaw, span: Span, nomap: ReadonlyArray<ByteRange>): Array<ByteRange & PfnRange & {page_size: number}> {
	const sizes = hugetlbPageSizes(ctx.arch);
	const ranges: Array<ByteRange & PfnRange & {page_size: number}> = [];
	for (const [j, rawRange] of raw.hugetlb.entries()) {
		const rangePath: Path = [...path, 'hugetlb', j];
		if (!sizes.includes(rawRange.page_size)) {
			const choices = sizes.length > 0 ? `use page_size: ${sizes.map(size => formatSizeLiteral(size)).join(' or ')}` : 'HugeTLB pages are modelled on x86_64 and riscv64 only: drop hugetlb';
			fail(ctx, [...rangePath, 'page_size'], `${formatPath([...rangePath, 'page_size'])} ${formatSizeLiteral(rawRange.page_size)} is not a HugeTLB page size pfnaudit models on ${ctx.arch} (the PMD and PUD sizes); ${choices}`);
		}

		const hugeSpan = resolveSpan(ctx, rangePath, rawRange);
		requireAligned(ctx, rangePath, rawRange, hugeSpan, rawRange.page_size, what => `not a multiple of the page size ${formatSizeLiteral(rawRange.page_size)} (a HugeTLB page is naturally aligned; the ${what} must be too)`);
		if (hugeSpan.start < span.start || hugeSpan.end > span.end) {
			fail(ctx, [...rangePath, 'start'], `${formatPath(rangePath)} [${formatAddressLiteral(hugeSpan.start)}, ${formatAddressLiteral(hugeSpan.end)}) is not inside its boot entry [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}): HugeTLB pages come from the memory they are listed under`);
		}

		const firmware = nomap.find(other => other.start < hugeSpan.end && hugeSpan.start < other.end);
		if (firmware) {
			fail(ctx, [...rangePath, 'start'], `${formatPath(rangePath)} overlaps the nomap range at ${formatAddressLiteral(firmware.start)}: MEMBLOCK_NOMAP memory never reaches the page allocator; move the HugeTLB pages out of it`);
		}

		const clash = ranges.find(other => other.start < hugeSpan.end && hugeSpan.start < other.end);
		if (clash) {
			fail(ctx, [...rangePath, 'start'], `${formatPath(rangePath)} overlaps another hugetlb range of the same boot entry at ${formatAddressLiteral(Math.max(clash.start, hugeSpan.start))}; merge them into one`);
		}

		ranges.push({...pfnRange(ctx.geometry, hugeSpan), page_size: rawRange.page_size});
	}

	return ranges;
}

function resolveMemoryBlock(ctx: RuleContext, config: RawConfig, boot_mem_end: number): MemoryBlockSize & {auto: boolean} {
	if (config.memory_block_size === 'auto') {
		return {...memory_block_size_bytes({arch: ctx.arch, kernel: ctx.kernel, geometry: ctx.geometry, boot_mem_end, hypervisor: config.hypervisor}), auto: true};
	}

	const bytes = config.memory_block_size;
	const problem = explicitMemoryBlockSizeProblem(bytes, ctx.geometry);
	if (problem) {
		fail(ctx, ['config', 'memory_block_size'], `config.memory_block_size ${formatSizeLiteral(bytes)} is not a valid memory block size: ${problem}; use auto or a power of two of at least ${formatSizeLiteral(2 ** ctx.geometry.SECTION_SIZE_BITS)}`);
	}

	return {bytes, rule: 'config.memory_block_size', auto: false};
}

function validateHotplug(ctx: RuleContext, i: number, raw: HotplugRaw, placed: SpanIndex<Placed>, block: MemoryBlockSize): HotplugEntry {
	const path: Path = ['memory', i];
	const unavailable = raw.state === 'offlined' ? hotremoveUnavailable(ctx.arch, ctx.kernel) : hotplugUnavailable(ctx.arch, ctx.kernel);
	if (unavailable) {
		fail(ctx, raw.state === 'offlined' ? [...path, 'state'] : [...path, 'kind'], `${formatPath(path)}: a hotplug entry${raw.state === 'offlined' ? ' with state: offlined' : ''} cannot run on ${ctx.arch} at ${atKernel(ctx)}: ${unavailable}`);
	}

	const span = resolveSpan(ctx, path, raw);
	requireAligned(ctx, path, raw, span, block.bytes, what => `not aligned to the memory block size ${formatSize(block.bytes)} (${block.rule}): add_memory() → check_hotplug_memory_range() requires ${what === 'size' ? 'the size of a hot-added range to be a multiple of the block' : `a hot-added range to ${what} on a memory block boundary`} ("Block size unaligned hotplug range", -EINVAL)`, clearOf(placed));
	requireAddressable(ctx, path, raw, span, `add_memory() refuses it (mhp_range_allowed() in register_memory_resource() from v5.12; check_hotplug_memory_addressable() in __add_pages() in v5.10: -E2BIG)`);
	const label = `hotplug@${hex(span.start)}`;
	const self: Placed = {start: span.start, end: span.end, index: i, kind: 'hotplug', label};
	checkOverlaps(ctx, self, placed, [...path, 'start']);
	placed.add(self);
	const blocks = raw.blocks === undefined ? undefined : validateBlockStates(ctx, path, raw.blocks, span, block);
	if (raw.memmap_on_memory) {
		const problem = memmapOnMemoryProblem(ctx.arch, ctx.kernel, ctx.geometry, ctx.vmemmap, block.bytes, span.end - span.start);
		if (problem) {
			fail(ctx, [...path, 'memmap_on_memory'], `${formatPath(path)}: memmap_on_memory cannot be used on ${ctx.arch} at ${atKernel(ctx)}: ${problem}; drop memmap_on_memory or change the kernel, arch or memory_block_size`);
		}
	}

	// An object literal and assignments, no spread (see validateBoot): the same keys in the same order.
	const range = pfnRange(ctx.geometry, span);
	const entry: Mutable<HotplugEntry> = {start: range.start, end: range.end, start_pfn: range.start_pfn, end_pfn: range.end_pfn, index: i, node: raw.node, pos: ctx.index.at(path), label, kind: 'hotplug', state: raw.state};
	if (blocks) {
		entry.blocks = blocks;
	}

	if (raw.memmap_on_memory) {
		entry.memmap_on_memory = true;
	}

	return entry;
}

/** Also validates an `operations:` create (its path given, its index the next `memory` one). */
export function validateDevice(ctx: RuleContext, i: number, raw: DeviceRaw, placed: SpanIndex<Placed>, path: Path = ['memory', i]): DeviceEntry {
	const noZoneDevice = zoneDeviceUnavailable(ctx.arch, ctx.kernel, ctx.vmemmap);
	if (noZoneDevice) {
		fail(ctx, [...path, 'kind'], `${formatPath(path)}: a device entry needs ZONE_DEVICE (memremap_pages()), which ${ctx.arch} does not have at ${atKernel(ctx)}: ${noZoneDevice}`);
	}

	const noType = deviceTypeUnavailable(raw.type, ctx.kernel);
	if (noType) {
		fail(ctx, [...path, 'type'], `${formatPath([...path, 'type'])}: type ${raw.type} does not exist at ${atKernel(ctx)}: ${noType}`);
	}

	const span = resolveSpan(ctx, path, raw);
	requirePageAligned(ctx, path, raw, span, 'memremap_pages() maps whole pages');
	const g = ctx.geometry;
	const subsections = atLeast(ctx.kernel, '5.3') && ctx.vmemmap;
	const align = subsections ? g.PAGES_PER_SUBSECTION * g.PAGE_SIZE : g.PAGES_PER_SECTION * g.PAGE_SIZE;
	requireAligned(ctx, path, raw, span, align, what => subsections
		? `not subsection aligned: memremap_pages() → __add_pages() → check_pfn_span() requires ${what === 'size' ? `the size of a ZONE_DEVICE range to be a multiple of ${formatSize(align)}` : `a ZONE_DEVICE range to ${what} on a ${formatSize(align)} subsection boundary`} from v5.3 with SPARSEMEM_VMEMMAP ("Misaligned __add_pages", -EINVAL)`
		: `not section aligned: at ${atKernel(ctx)} a pgmap owns whole ${formatSize(align)} sections (check_pfn_span() requires section alignment without subsections; before v5.3 devm_memremap_pages() rounded to sections and libnvdimm padded or truncated namespaces, "alignment collision"), so give the section-aligned range the kernel maps`, clearOf(placed));
	requireAddressable(ctx, path, raw, span, `pagemap_range() → mhp_range_allowed(need_mapping = ${raw.type === 'private' ? 'false' : 'true'}) refuses it (-EINVAL; -E2BIG from check_hotplug_memory_addressable() in v5.10)`);
	const label = `${raw.type}@${hex(span.start)}`;
	const self: Placed = {start: span.start, end: span.end, index: i, kind: 'device', label};
	checkOverlaps(ctx, self, placed, [...path, 'start']);
	placed.add(self);
	const altmap = raw.altmap ? resolveAltmap(ctx, [...path, 'altmap'], raw.altmap, span, raw.type, raw.align) : undefined;
	if (raw.align !== undefined) {
		const problem = compoundAlignProblem(ctx.arch, ctx.kernel, g, raw.type, raw.align, span.start, span.end - span.start);
		if (problem) {
			fail(ctx, [...path, 'align'], `${formatPath([...path, 'align'])}: align ${formatSizeLiteral(raw.align)} cannot be used for a ${raw.type} device on ${ctx.arch} at ${atKernel(ctx)}: ${problem}; drop align or change it`);
		}
	}

	// An object literal and an assignment, no spread (see validateBoot): the same keys in the same order.
	const range = pfnRange(g, span);
	const entry: Mutable<DeviceEntry> = {start: range.start, end: range.end, start_pfn: range.start_pfn, end_pfn: range.end_pfn, index: i, node: raw.node, pos: ctx.index.at(path), label, kind: 'device', type: raw.type, altmap, state: raw.state};
	if (raw.align !== undefined && raw.align > g.PAGE_SIZE) {
		entry.align = raw.align;
	}

	return entry;
}

/** Validate `memory:` in file order and resolve `memory_block_size: auto`. */
export function validateMemory(ctx: RuleContext, memory: readonly RawEntry[], config: RawConfig): MemoryResult {
	checkOrder(ctx, memory);
	const placed = new SpanIndex<Placed>();
	const entries: TopologyEntry[] = [];
	const bootCount = memory.findIndex(entry => entry.kind !== 'boot');
	const boots = bootCount === -1 ? memory.length : bootCount;
	for (let i = 0; i < boots; i++) {
		entries.push(validateBoot(ctx, i, memory[i] as BootRaw, placed));
	}

	// x86 probe_memory_block_size() reads max_pfn: the end of the highest boot range.
	const boot_mem_end = entries.reduce((end, entry) => Math.max(end, entry.end), Number.NEGATIVE_INFINITY);
	const memoryBlock = resolveMemoryBlock(ctx, config, boot_mem_end);
	for (let i = boots; i < memory.length; i++) {
		const raw = memory[i]!;
		entries.push(raw.kind === 'hotplug' ? validateHotplug(ctx, i, raw, placed, memoryBlock) : validateDevice(ctx, i, raw as DeviceRaw, placed));
	}

	return {entries, memoryBlock, placed};
}

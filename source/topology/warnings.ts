/**
What the kernel accepts but a reviewer would want pointed out (docs/topology-format.md "warned, not rejected"),
computed over the validated entries. Altmap warnings live with the altmap (altmap.ts).

- A device range sharing a section with boot memory: the v5.3+ "section collision",
  whose meaning changes at v5.12 (pfn_to_online_page()).
- A device range that only partly covers its first or last section, with nothing else in the
  rest of it: from v5.3 the rest of the section has no memmap (David Hildenbrand's case 3).
- Two pgmaps in one section (allowed from v5.3 in distinct subsections).
- Device-private memory that is not where request_free_mem_region() would have put it.
*/
import {atLeast} from '../kernel/version.js';
import {ALIGN, ALIGN_DOWN, hex, pfn_to_section_nr} from '../model/geometry.js';
import {atKernel, type RuleContext, warn} from './context.js';
import {formatAddressLiteral, formatSize} from './numbers.js';
import {formatPath} from './positions.js';
import {physLimit, type Span} from './ranges.js';
import {SpanIndex} from './span-index.js';
import type {DeviceEntry, TopologyEntry} from './types.js';

function overlaps(a: Span, b: Span): boolean {
	return a.start < b.end && b.start < a.end;
}

function sectionSpan(ctx: RuleContext, address: number): Span {
	const size = ctx.geometry.PAGES_PER_SECTION * ctx.geometry.PAGE_SIZE;
	const start = ALIGN_DOWN(address, size);
	return {start, end: start + size};
}

/** Bytes of `section` covered by the union of `spans`. */
function covered(section: Span, spans: readonly Span[]): number {
	const parts = spans
		.filter(span => overlaps(span, section))
		.map(span => ({start: Math.max(span.start, section.start), end: Math.min(span.end, section.end)}))
		.sort((a, b) => a.start - b.start);
	let total = 0;
	let cursor = section.start;
	for (const part of parts) {
		const from = Math.max(part.start, cursor);
		if (part.end > from) {
			total += part.end - from;
			cursor = part.end;
		}
	}

	return total;
}

function sectionName(ctx: RuleContext, section: Span): string {
	const nr = pfn_to_section_nr(ctx.geometry, section.start / ctx.geometry.PAGE_SIZE);
	return `section ${hex(nr)} [${formatAddressLiteral(section.start)}, ${formatAddressLiteral(section.end)})`;
}

/** The sections at the two ends of a device that the device does not cover entirely. */
function partialSections(ctx: RuleContext, device: DeviceEntry): Span[] {
	const out: Span[] = [];
	const first = sectionSpan(ctx, device.start);
	const last = sectionSpan(ctx, device.end - 1);
	if (device.start !== first.start || (first.start === last.start && device.end !== first.end)) {
		out.push(first);
	}

	if (last.start !== first.start && device.end !== last.end) {
		out.push(last);
	}

	return out;
}

function collisionWarning(ctx: RuleContext, device: DeviceEntry, section: Span): void {
	warn(
		ctx,
		['memory', device.index],
		`${formatPath(['memory', device.index])} (${device.label}) shares ${sectionName(ctx, section)} with boot memory: an early, online section (the v5.3+ "section collision" that Dan Williams' subsection series allowed). pfn_valid() is true for the whole section (early_section()); up to v5.11 pfn_to_online_page() returns this device's struct pages (altmap reserve and memmap storage included) as online memory; from v5.12 SECTION_TAINT_ZONE_DEVICE sends the section through get_dev_pagemap() and it returns NULL, except while memunmap_pages() has killed the ref`,
	);
}

function partialWarning(ctx: RuleContext, device: DeviceEntry, section: Span, sharers: readonly TopologyEntry[], reported: Set<number>): void {
	const others = sharers.filter(entry => entry.index !== device.index);
	const earlier = others.filter(entry => entry.index < device.index);
	if (earlier.length > 0) {
		const names = earlier.map(entry => `${formatPath(['memory', entry.index])} (${entry.label})`).join(', ');
		warn(
			ctx,
			['memory', device.index],
			`${formatPath(['memory', device.index])} (${device.label}) shares ${sectionName(ctx, section)} with ${names}: two pgmaps in one section (allowed from v5.3 in distinct subsections); get_dev_pagemap() answers per pfn, but removing one of them leaves the section populated by the other`,
		);
	}

	const devices = [device, ...others];
	if (!reported.has(section.start) && covered(section, devices) < section.end - section.start) {
		reported.add(section.start);
		warn(
			ctx,
			['memory', device.index],
			`${formatPath(['memory', device.index])} (${device.label}) covers only part of ${sectionName(ctx, section)}: from v5.3 the pfns of that section outside ${devices.length > 1 ? 'these devices' : 'the device'} have no memmap (no subsection bit: pfn_valid() false, David Hildenbrand's case 3); a section-aligned range avoids it`,
		);
	}
}

/**
Where request_free_mem_region() (kernel/resource.c get_free_mem_region(), GFR_DESCENDING,
GFR_DEFAULT_ALIGN = 1 << PA_SECTION_SHIFT) would place a device-private range of this size, given
the entries before it: the size rounded up to a section, tried downward from 2^MAX_PHYSMEM_BITS
in section steps until it overlaps nothing.
*/
export function requestFreeMemRegion(ctx: RuleContext, size: number, taken: readonly Span[]): number | undefined {
	const section = ctx.geometry.PAGES_PER_SECTION * ctx.geometry.PAGE_SIZE;
	const aligned = ALIGN(size, section);
	let addr = physLimit(ctx) - aligned;
	while (addr >= 0) {
		const candidate = {start: addr, end: addr + aligned};
		const hit = taken.filter(span => overlaps(span, candidate)).sort((a, b) => a.start - b.start)[0];
		if (!hit) {
			return addr;
		}

		addr = ALIGN_DOWN(hit.start - aligned, section);
	}

	return undefined;
}

function privatePlacement(ctx: RuleContext, device: DeviceEntry, before: readonly TopologyEntry[]): void {
	const expected = requestFreeMemRegion(ctx, device.end - device.start, before);
	if (expected === device.start) {
		return;
	}

	const where = expected === undefined ? 'nowhere (no free section-aligned range of that size)' : `at ${formatAddressLiteral(expected)}`;
	warn(
		ctx,
		['memory', device.index, 'start'],
		`${formatPath(['memory', device.index])} (${device.label}): device-private ranges come from request_free_mem_region(), which takes ${formatSize(ALIGN(device.end - device.start, ctx.geometry.PAGES_PER_SECTION * ctx.geometry.PAGE_SIZE))} (the size rounded up to a section) from the top of the physical address space; with the entries before it (and no MMIO windows, which the topology does not list) it would be ${where}`,
	);
}

/** Collect the cross-entry warnings of a validated topology into ctx.warnings. */
export function collectWarnings(ctx: RuleContext, entries: readonly TopologyEntry[], config: {readonly hypervisor: boolean; readonly dma_limit?: number}): void {
	if (config.hypervisor && ctx.arch !== 'x86_64') {
		warn(ctx, ['config', 'hypervisor'], `config.hypervisor only changes x86_64's probe_memory_block_size(); it has no effect on ${ctx.arch}`);
	}

	if (config.dma_limit !== undefined && !ctx.arch.startsWith('arm64')) {
		warn(ctx, ['config', 'dma_limit'], `config.dma_limit only sizes arm64's ZONE_DMA (arch/arm64/mm/init.c:zone_sizes_init()); it has no effect on ${ctx.arch}`);
	} else if (config.dma_limit !== undefined && !atLeast(ctx.kernel, '5.11')) {
		warn(ctx, ['config', 'dma_limit'], `config.dma_limit has no effect before v5.11: ZONE_DMA is 30 bits from v5.5 (1a8e1cef7603), the firmware's dma-ranges are read from v5.11 (8424ecdde7df)`);
	}

	// arch/arm64/Kconfig: ARCH_SPARSEMEM_ENABLE selects SPARSEMEM_VMEMMAP (read in 6.1 and 6.12), from
	// "arm64/mm: Make CONFIG_SPARSEMEM_VMEMMAP the only available memory model" (posted May 2021; its
	// release is not confirmed: v5.14 at the earliest, in place by v6.1). x86_64 still lets
	// SPARSEMEM_VMEMMAP be turned off (mm/Kconfig: a bool, default y).
	if (ctx.arch.startsWith('arm64') && !ctx.vmemmap && atLeast(ctx.kernel, '5.14')) {
		const since = atLeast(ctx.kernel, '6.1')
			? `an arm64 kernel at ${atKernel(ctx)} cannot be built without it`
			: `an arm64 kernel at ${atKernel(ctx)} may not be buildable without it (the commit's release is not confirmed: v5.14 at the earliest, in place by v6.1)`;
		warn(ctx, ['config', 'vmemmap'], `config.vmemmap: false: arch/arm64/Kconfig selects SPARSEMEM_VMEMMAP ("arm64/mm: Make CONFIG_SPARSEMEM_VMEMMAP the only available memory model"), so ${since}; the model replays classic SPARSEMEM as asked`);
	}

	const boots = new SpanIndex<TopologyEntry>();
	const devices = new SpanIndex<DeviceEntry>();
	for (const entry of entries) {
		if (entry.kind === 'boot') {
			boots.add(entry);
		} else if (entry.kind === 'device') {
			devices.add(entry);
		}
	}

	const reported = new Set<number>();
	for (const device of devices.items) {
		if (device.type === 'private') {
			privatePlacement(ctx, device, entries.slice(0, device.index));
		}

		if (!atLeast(ctx.kernel, '5.3')) {
			continue;
		}

		for (const section of partialSections(ctx, device)) {
			if (!boots.isClear(section)) {
				collisionWarning(ctx, device, section);
			} else {
				partialWarning(ctx, device, section, devices.overlapping(section), reported);
			}
		}
	}
}

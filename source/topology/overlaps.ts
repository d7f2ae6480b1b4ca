/**
Overlapping entries, reported at the later entry with the kernel check that refuses the
operation: memblock for boot ranges, register_memory_resource() for add_memory(),
pagemap_range() (get_dev_pagemap() conflict, region_intersects()) and fill_subsection_map()
for memremap_pages().
*/
import {atLeast} from '../kernel/version.js';
import {atKernel, entryName, fail, type RuleContext} from './context.js';
import {formatAddressLiteral} from './numbers.js';
import type {Span} from './ranges.js';
import type {SpanIndex} from './span-index.js';

export type Placed = Span & {
	readonly index: number;
	readonly kind: 'boot' | 'hotplug' | 'device';
	readonly label: string;
};

function intersection(a: Span, b: Span): Span | undefined {
	const start = Math.max(a.start, b.start);
	const end = Math.min(a.end, b.end);
	return start < end ? {start, end} : undefined;
}

function explain(ctx: RuleContext, added: Placed, existing: Placed, page: number): string {
	const other = entryName(existing.index, existing.label);
	switch (added.kind) {
		case 'boot': {
			return `memblock_add() merges overlapping memblock.memory ranges, so two boot entries never overlap; write one entry, or split them at a boundary`;
		}

		case 'hotplug': {
			return existing.kind === 'device'
				? `add_memory() → register_memory_resource() cannot claim iomem that ${other} owns (__request_region() fails, -EEXIST); place the hot-added block elsewhere`
				: `add_memory() → register_memory_resource() cannot claim a range that is already System RAM (__request_region() fails, -EEXIST); place the hot-added block outside ${other}`;
		}

		case 'device': {
			if (existing.kind !== 'device') {
				return `memremap_pages() → pagemap_range() refuses a range that intersects System RAM: region_intersects(IORESOURCE_SYSTEM_RAM) is not REGION_DISJOINT ("attempted on ram/mixed region", -ENXIO), and boot and hot-added memory are System RAM; the device may share a section with RAM (from v5.3) but not a byte`;
			}

			const firstPfn = added.start / page;
			const lastPfn = added.end / page - 1;
			const inExisting = (pfn: number) => pfn >= existing.start / page && pfn < existing.end / page;
			if (inExisting(firstPfn) || inExisting(lastPfn)) {
				return `pagemap_range() finds ${other} with get_dev_pagemap() at this range's first or last pfn ("Conflicting mapping in same section", -ENOMEM)`;
			}

			return atLeast(ctx.kernel, '5.3')
				? `sparse_add_section() → section_activate() → fill_subsection_map() finds the subsections of ${other} already set (-EEXIST at ${atKernel(ctx)}): two pgmaps can never share a subsection`
				: `sparse_add_section() finds the sections of ${other} already present (-EEXIST at ${atKernel(ctx)}): before v5.3 a pgmap owns whole sections`;
		}
	}
}

/**
Reject `added` if it overlaps any entry placed before it; the first such entry in file order is
the one reported. The placed entries are indexed by address (no pairwise scan).
*/
export function checkOverlaps(ctx: RuleContext, added: Placed, placed: SpanIndex<Placed>, startPath: ReadonlyArray<string | number>): void {
	const existing = placed.overlapping(added)[0];
	if (!existing) {
		return;
	}

	const common = intersection(added, existing)!;
	fail(
		ctx,
		startPath,
		`${entryName(added.index, added.label)} overlaps ${entryName(existing.index, existing.label)} at [${formatAddressLiteral(common.start)}, ${formatAddressLiteral(common.end)}): ${explain(ctx, added, existing, ctx.geometry.PAGE_SIZE)}`,
	);
}

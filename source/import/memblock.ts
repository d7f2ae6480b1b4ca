/**
debugfs `memblock/memory` and `memblock/reserved` (mm/memblock.c memblock_debug_show(), present
with CONFIG_DEBUG_FS and CONFIG_ARCH_KEEP_MEMBLOCK — arm64 keeps memblock, x86 does not): one line
per region of memblock.memory or memblock.reserved, base and inclusive end as `%pa` (0x and 16 hex
digits on 64-bit).
- 6.1: `%4d: %pa..%pa` only (read in linux-source-6.1 mm/memblock.c).
- 6.12: then the node (`%4d`, or `x` for NUMA_NO_NODE) and the region's flags by name joined with
  `|` (HOTPLUG, MIRROR, NOMAP, DRV_MNG, RSV_NIT, UNKNOWN for a bit without a name), or `NONE`
  (read in linux-source-6.12 mm/memblock.c; the commit that added the node and flags columns
  between 6.1 and 6.12 is unverified).
So on 6.12 the NOMAP regions of memblock.memory are named (memblock_mark_nomap(): no-map reserved
memory, the EFI map's non-usable regions); on 6.1 only their ranges show.
memblock.memory also grows with hot-added memory (mm/memory_hotplug.c add_memory_resource() →
memblock_add_node() under CONFIG_ARCH_KEEP_MEMBLOCK; virtio-mem's regions DRV_MNG): the listing is
the state when it was read, not the boot map.
*/
import {contentLines, parseError, type Source} from './text.js';

export type MemblockRegion = Source & {
	readonly start: number;
	/** Exclusive. */
	readonly end: number;
	/** The node column (6.12); undefined when not printed or `x` (NUMA_NO_NODE). */
	readonly node: number | undefined;
	/** The flags column by name (6.12; [] for NONE); undefined when not printed (6.1). */
	readonly flags: readonly string[] | undefined;
};

export type Memblock = {
	readonly file: string;
	readonly regions: readonly MemblockRegion[];
	/** Whether the listing prints node and flags (6.12's format). */
	readonly withFlags: boolean;
};

const LINE = /^\s*(\d+): 0x([\da-f]+)\.\.0x([\da-f]+)(?:\s+(\d+|x)\s+([A-Z_|]+))?\s*$/i;

/** Whether every content line is a memblock_debug_show() line. */
export function isMemblock(text: string): boolean {
	const lines = contentLines(text);
	return lines.length > 0 && lines.every(l => LINE.test(l.text));
}

/**
Which of the two listings a file is by its content alone: memory when a region carries a flag only
memblock.memory regions get (HOTPLUG, MIRROR, NOMAP, DRV_MNG), or when every region is whole 4K
pages (memblock.memory regions are page-rounded by the firmware tables they come from, while
memblock.reserved holds the kernel's own byte-sized early allocations); else reserved.
*/
export function memblockKind(text: string): 'memblock-memory' | 'memblock-reserved' {
	const regions = parseMemblock(text, '<probe>').regions;
	if (regions.some(r => (r.flags ?? []).some(f => f === 'HOTPLUG' || f === 'MIRROR' || f === 'NOMAP' || f === 'DRV_MNG'))) {
		return 'memblock-memory';
	}

	if (regions.some(r => (r.flags ?? []).includes('RSV_NIT'))) {
		return 'memblock-reserved';
	}

	return regions.every(r => r.start % 4096 === 0 && r.end % 4096 === 0) ? 'memblock-memory' : 'memblock-reserved';
}

export function parseMemblock(text: string, file: string): Memblock {
	const lines = contentLines(text);
	if (lines.length === 0) {
		throw parseError(file, undefined, 'the file is empty: expected the lines of debugfs memblock/memory ("   0: 0x0000000040000000..0x00000000bcffffff    0 NONE")');
	}

	const regions: MemblockRegion[] = [];
	let withFlags: boolean | undefined;
	for (const {text: lineText, line} of lines) {
		const m = LINE.exec(lineText);
		if (!m) {
			throw parseError(file, line, `"${lineText.trim().slice(0, 60)}" is not a line of debugfs memblock/memory or memblock/reserved ("%4d: %pa..%pa" with node and flags on 6.12); is the file cut or another file?`);
		}

		if (Number(m[1]) !== regions.length) {
			throw parseError(file, line, `region ${m[1]} follows region ${regions.length - 1}: memblock_debug_show() numbers the regions from 0 without gaps; the listing is cut or two were joined`);
		}

		const start = Number.parseInt(m[2]!, 16);
		const last = Number.parseInt(m[3]!, 16);
		if (!Number.isSafeInteger(last) || last < start) {
			throw parseError(file, line, `0x${m[2]!}..0x${m[3]!} is not a region (the end is below the start or beyond 2^53)`);
		}

		const flagged = m[4] !== undefined;
		if (withFlags !== undefined && withFlags !== flagged) {
			throw parseError(file, line, 'some lines have the node and flags columns and some not: two listings of different kernels were joined');
		}

		withFlags = flagged;
		const previous = regions.at(-1);
		if (previous && start < previous.end) {
			throw parseError(file, line, `0x${m[2]!} starts inside or before the previous region (which ends at 0x${(previous.end - 1).toString(16)}): memblock keeps its regions sorted and disjoint`);
		}

		regions.push({
			file,
			line,
			start,
			end: last + 1,
			node: m[4] === undefined || m[4] === 'x' ? undefined : Number(m[4]),
			flags: m[5] === undefined ? undefined : m[5] === 'NONE' ? [] : m[5].split('|'),
		});
	}

	return {file, regions, withFlags: withFlags ?? false};
}

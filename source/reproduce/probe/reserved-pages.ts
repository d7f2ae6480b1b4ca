/**
Firmware tables the kernel memblock_reserve()s outside boot RAM, and what that does to the zone of
their struct pages (the probe's `zone` check, ./checks.ts).

The chain, the same in Debian's 6.1 and 6.12 (both built with CONFIG_DEFERRED_STRUCT_PAGE_INIT=y;
their /boot/config-* say so):

1. drivers/acpi/tables.c acpi_reserve_initial_tables() (x86 from v5.12, 1a1c130ab757 "ACPI: tables:
   x86: Reserve memory occupied by ACPI tables") memblock_reserve()s every ACPI table and prints
   `ACPI: Reserving <sig> table memory at [mem <first>-<last>]`. SeaBIOS keeps its tables in the
   e820 `reserved` range at the top of low RAM, outside memblock.memory.
2. At boot, memmap_init() (mm/mm_init.c in 6.12, mm/page_alloc.c in 6.1) initializes the hole
   after the node's last range up to the section end with init_unavailable_range(): zone of the
   last zone processed, PageReserved. The model has that.
3. defer_init() stops the early init of the node's last zone at the first section boundary after
   PAGES_PER_SECTION initialized pfns: NODE_DATA(nid)->first_deferred_pfn.
4. memblock_free_all() → memmap_init_reserved_pages() (mm/memblock.c) → reserve_bootmem_region()
   → init_reserved_page() for each pfn_valid() pfn of every memblock.reserved region. For a pfn at
   or past first_deferred_pfn (early_page_initialised() false in 6.12, early_page_uninitialised()
   true in 6.1) it re-initializes the struct page with __init_single_page() and the first zone
   whose span holds the pfn (zone_spans_pfn()) — and when no zone's span holds it, the loop ends
   at zid == MAX_NR_ZONES, which becomes the page's zone index: page_zonenum() = MAX_NR_ZONES.
   deferred_init_memmap() later walks only free memblock ranges inside zones: the index stays.

What this models: the pfns of the reserved ranges a capture's dmesg names (the ACPI lines), past
first_deferred_pfn and outside the node's boot span (where no zone's span reaches at boot), read
zone index MAX_NR_ZONES. Inside a zone's span init_reserved_page() picks the zone that spans the
pfn, which is the model's zone already: not re-derived. Other memblock reservations (the kernel
image, the initrd, early allocations) lie in boot RAM, inside the spans. Without the dmesg lines
the model cannot know where the firmware put its tables, and the pfns disagree.
*/
import {ZONE_NAMES, type Model} from '../../model/types.js';

/** MAX_NR_ZONES of Debian's x86_64 kernels: DMA, DMA32, Normal, Movable, Device (include/linux/mmzone.h enum zone_type; CONFIG_ZONE_DMA, CONFIG_ZONE_DMA32, CONFIG_ZONE_DEVICE set, no HIGHMEM). */
export const MAX_NR_ZONES = ZONE_NAMES.length;

/** A memblock_reserve()d range from dmesg, as pfns [start_pfn, end_pfn) (PFN_DOWN(base), PFN_UP(base + size)). */
export type FirmwareReservation = {readonly start_pfn: number; readonly end_pfn: number; readonly what: string};

const ACPI_RESERVING = /ACPI: Reserving (\S+) table memory at \[mem 0x([0-9a-f]+)-0x([0-9a-f]+)\]/i;

/** The `ACPI: Reserving … table memory at [mem a-b]` lines of a dmesg (acpi_reserve_initial_tables()). */
export function acpiReservations(dmesg: string, pageSize: number): FirmwareReservation[] {
	const out: FirmwareReservation[] = [];
	for (const line of dmesg.split('\n')) {
		const m = ACPI_RESERVING.exec(line);
		if (!m) {
			continue;
		}

		const first = Number.parseInt(m[2]!, 16);
		const last = Number.parseInt(m[3]!, 16);
		if (!Number.isSafeInteger(last) || last < first) {
			continue;
		}

		out.push({start_pfn: Math.floor(first / pageSize), end_pfn: Math.floor(last / pageSize) + 1, what: m[1]!});
	}

	return out;
}

/** The node's boot span [start, end) (memblock.memory of the node: its boot entries), or undefined without boot memory. */
function bootNodeSpan(model: Model, nid: number): {start: number; end: number} | undefined {
	const boot = model.entries.filter(e => e.kind === 'boot' && e.node === nid);
	if (boot.length === 0) {
		return undefined;
	}

	return {start: Math.min(...boot.map(e => e.start_pfn)), end: Math.max(...boot.map(e => e.end_pfn))};
}

/**
NODE_DATA(nid)->first_deferred_pfn after memmap_init(): defer_init() counts the pfns
memmap_init_range() initializes in the zone that ends at pgdat_end_pfn() (the others are always
initialized in full), and defers from the first section-aligned pfn once the count exceeds
PAGES_PER_SECTION. Undefined (ULONG_MAX) when that never happens. The zone is the one the model
gives the node's last boot pfn; its start is the higher of the node's start and the start of that
zone's boot span in the model (zones do not move below their boot start).
*/
export function firstDeferredPfn(model: Model, nid: number): number | undefined {
	const span = bootNodeSpan(model, nid);
	if (span === undefined) {
		return undefined;
	}

	const per = model.geometry.PAGES_PER_SECTION;
	const lastZone = model.runAt(span.end - 1).state.memmap.zone;
	const zone = model.zones.find(z => z.nid === nid && z.name === lastZone);
	const zoneStart = Math.max(span.start, zone?.zone_start_pfn ?? span.start);
	const ranges = model.entries
		.filter(e => e.kind === 'boot' && e.node === nid)
		.map(e => ({start: Math.max(e.start_pfn, zoneStart), end: e.end_pfn}))
		.filter(r => r.start < r.end)
		.sort((a, b) => a.start - b.start);
	let initialised = 0;
	for (const r of ranges) {
		// nr_initialised at pfn p of this range is initialised + (p - r.start + 1); deferral needs it > PAGES_PER_SECTION.
		const from = Math.max(r.start, r.start + per - initialised);
		const aligned = Math.ceil(from / per) * per;
		if (aligned < r.end) {
			return aligned;
		}

		initialised += r.end - r.start;
	}

	return undefined;
}

/** The pfn runs whose struct page init_reserved_page() gave zone index MAX_NR_ZONES, with what reserved them. */
export function zonelessReservedPages(model: Model, reservations: readonly FirmwareReservation[], nid = 0): Array<{start: number; end: number; what: string}> {
	const span = bootNodeSpan(model, nid);
	const deferred = firstDeferredPfn(model, nid);
	if (span === undefined || deferred === undefined) {
		return [];
	}

	// Overlapping and touching reservations as one range (tables share pages).
	const merged: FirmwareReservation[] = [];
	for (const r of [...reservations].sort((a, b) => a.start_pfn - b.start_pfn)) {
		const last = merged.at(-1);
		if (last && r.start_pfn <= last.end_pfn) {
			merged[merged.length - 1] = {start_pfn: last.start_pfn, end_pfn: Math.max(last.end_pfn, r.end_pfn), what: `${last.what}, ${r.what}`};
		} else {
			merged.push(r);
		}
	}

	const out: Array<{start: number; end: number; what: string}> = [];
	for (const r of merged) {
		// Outside the node's boot span (no zone spans it at boot) and at or past first_deferred_pfn.
		for (const [lo, hi] of [
			[r.start_pfn, Math.min(r.end_pfn, span.start)],
			[Math.max(r.start_pfn, span.end), r.end_pfn],
		] as const) {
			let pfn = Math.max(lo, deferred);
			while (pfn < hi) {
				const run = model.runAt(pfn);
				const end = Math.min(run.end, hi);
				if (run.state.predicates.pfn_valid) {
					const last = out.at(-1);
					if (last && last.end === pfn && last.what === r.what) {
						out[out.length - 1] = {...last, end};
					} else {
						out.push({start: pfn, end, what: r.what});
					}
				}

				pfn = end;
			}
		}
	}

	return out;
}

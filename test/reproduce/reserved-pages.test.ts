/**
Firmware tables memblock_reserve()d outside boot RAM and the zone index their struct pages end up
with (source/reproduce/probe/reserved-pages.ts), on the small layout of ./capture-fixture.ts with
the probe output of ./probe-fixture.ts. The end of low RAM, hex pfns (128 MiB sections = 0x8000):

  0x1000 … 0x10000 …    0x48000       0x4ffdf  0x4ffe0  0x4ffe2   0x50000
  | DMA32 (zone span [0x1000, 0x4ffdf), node 0 ends at 0x4ffdf)   |
  first_deferred_pfn 0x10000     | RAM  | fw R  | ACPI R | fw R  |
                                          DMA32   #5       DMA32   (init_unavailable_range(), then
                                                                    init_reserved_page() on the ACPI pfns)
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {compareCapture} from '../../source/reproduce/compare.js';
import {acpiReservations, firstDeferredPfn, zonelessReservedPages} from '../../source/reproduce/probe/reserved-pages.js';
import {parseTopology} from '../../source/topology/load.js';
import {layoutCapture} from './capture-fixture.js';
import {probeRuns, replacing} from './probe-fixture.js';

const ACPI = [
	'[    0.012001] ACPI: Reserving FACS table memory at [mem 0x4ffe0000-0x4ffe003f]',
	'[    0.012002] ACPI: Reserving DSDT table memory at [mem 0x4ffe0040-0x4ffe1a2f]',
].join('\n');

/** The fixture's capture with ACPI lines added to its dmesg (or not) and the probe's runs over the firmware range replaced. */
function capture(options: {acpi: boolean; fw: readonly string[]}) {
	const files = layoutCapture().map(f => (f.name === 'dmesg.txt' && options.acpi ? {...f, text: `${f.text}${ACPI}\n`} : f));
	return [...files, {name: 'probe.runs', text: probeRuns({runs: replacing({'4ffdf': options.fw})})}];
}

const ZONE_5 = ['4ffdf 4ffe0 111111010 DMA32 R', '4ffe0 4ffe2 111111010 #5 R', '4ffe2 50000 111111010 DMA32 R'];

describe('firmware-reserved pages outside every zone span', () => {
	it('A test that reads the ACPI reservations of a dmesg as pfn ranges. Expect FACS [0x4ffe0, 0x4ffe1) and DSDT [0x4ffe0, 0x4ffe2) (PFN_DOWN of the first byte, PFN_UP past the last), and no range from other lines', () => {
		expect(acpiReservations(`[    0.0] Linux version 6.12\n${ACPI}\n`, 4096)).toEqual([
			{start_pfn: 0x4_ffe0, end_pfn: 0x4_ffe1, what: 'FACS'},
			{start_pfn: 0x4_ffe0, end_pfn: 0x4_ffe2, what: 'DSDT'},
		]);
	});

	it('A test of first_deferred_pfn: defer_init() counts the pfns of the node\'s last zone (DMA32 from 0x1000) and defers at the first section boundary once more than PAGES_PER_SECTION (0x8000) are initialized. Expect 0x10000 for the fixture\'s 1.25 GiB node, and none (ULONG_MAX) for a node whose last zone has fewer than 0x8000 pfns', () => {
		const big = buildModel(parseTopology('name: t\narch: x86_64\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x4ffd_f000}\n', 't.yaml'));
		expect(firstDeferredPfn(big, 0)).toBe(0x1_0000);
		const small = buildModel(parseTopology('name: t\narch: x86_64\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x800_0000}\n', 't.yaml'));
		expect(firstDeferredPfn(small, 0)).toBeUndefined();
		expect(zonelessReservedPages(small, [{start_pfn: 0x8000, end_pfn: 0x8002, what: 'DSDT'}])).toEqual([]);
	});

	it('A test that the probe reads zone #5 (MAX_NR_ZONES) on the ACPI pfns above the node\'s end and the capture\'s dmesg names them. Expect the zone check to agree on every read pfn, with a note naming init_reserved_page() and the range', () => {
		const result = compareCapture('layout', capture({acpi: true, fw: ZONE_5}));
		expect(result.disagreements).toEqual([]);
		const zone = result.checks.find(c => c.name === 'layout: probe zone')!;
		expect(zone.agree).toBe(zone.pfns);
		expect(result.notes.some(n => n.includes('zone of [0x4ffe0, 0x4ffe2) (ACPI tables FACS, DSDT') && n.includes('init_reserved_page()'))).toBe(true);
	});

	it('A test that without the dmesg lines the model cannot know where the firmware put its tables. Expect the zone check to disagree on exactly [0x4ffe0, 0x4ffe2), kernel #5, model DMA32', () => {
		const result = compareCapture('layout', capture({acpi: false, fw: ZONE_5}));
		expect(result.disagreements).toEqual([{check: 'layout: probe zone', start_pfn: 0x4_ffe0, end_pfn: 0x4_ffe2, kernel: '#5', model: 'DMA32'}]);
	});

	it('A test of the model failing when the kernel did not re-initialize the pages (no deferred struct page init): the dmesg names the ACPI tables but the probe reads DMA32 there. Expect the zone check to disagree on [0x4ffe0, 0x4ffe2), kernel DMA32, model #5', () => {
		const result = compareCapture('layout', capture({acpi: true, fw: ['4ffdf 50000 111111010 DMA32 R']}));
		expect(result.disagreements).toEqual([{check: 'layout: probe zone', start_pfn: 0x4_ffe0, end_pfn: 0x4_ffe2, kernel: 'DMA32', model: '#5'}]);
	});
});

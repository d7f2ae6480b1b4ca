/**
CMA areas from the boot log (source/import/dmesg.ts) into `cma:` of the boot entry holding them.
The kernel's lines [V 6.1, 6.12]:
- mm/cma.c cma_declare_contiguous_nid(), pr_fmt "cma: ": `Reserved %ld MiB at %pa on node %d` (6.12;
  node -1 is NUMA_NO_NODE, the default dma area) and `Reserved %ld MiB at %pa` (6.1);
- kernel/dma/contiguous.c rmem_cma_setup() (pr_fmt reset to fmt): `Reserved memory: created CMA
  memory pool at %pa, size %ld MiB`.

The small x86 machine (hex pfns, 4K pages, 2 MiB pageblocks = 0x200 pfns):

  0x0-0x9f | hole | 0x100-0xbffe0 | hole | 0x100000                0x140000 | hole | 0x180000-0x1c0000
  boot     |      | boot           |      | boot: cma 0x101000-0x105000 |      | (a cma line out here)
                                            (6.12 line), 0x110000-0x118000 (rmem)
*/
import {describe, expect, it} from 'vitest';
import {readImportInputs} from '../../source/cli/capture-read.js';
import {importCapture} from '../../source/import/index.js';
import {parseDmesg} from '../../source/import/dmesg.js';

const TARBALL = new URL('../fixtures/captures/qemu-arm64-uefi-6.12.118.tar.gz', import.meta.url).pathname;
const BOOT = [
	'[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12) #1 SMP',
	'[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable',
	'[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable',
	'[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable',
];
const pfnRanges = (list: ReadonlyArray<{start_pfn: number; end_pfn: number}>) => list.map(c => [c.start_pfn, c.end_pfn]);

describe('import: CMA areas from the boot log', () => {
	it('A test that reads the three CMA reservation lines: 6.12\'s with its node, 6.1\'s without, and rmem_cma_setup()\'s pool, among the failure and activation lines. Expect three areas of whole MiB from their %pa base, node -1 as none, and the other lines ignored', () => {
		const dmesg = parseDmesg([
			'[    0.000000] cma: Reserved 64 MiB at 0x0000000100000000 on node -1',
			'<6>[    0.000000] cma: Reserved 16 MiB at 0x0000000110000000',
			'[    0.000000] Reserved memory: created CMA memory pool at 0x0000000120000000, size 32 MiB',
			'[    0.000000] cma: Reserved 128 MiB at 0x0000000130000000 on node 1',
			'[    0.000000] cma: Failed to reserve 64 MiB on node -1',
			'[    0.000000] hugetlb_cma: reserve 1024 MiB, up to 1024 MiB per node',
			'[    0.210000] cma: CMA area reserved could not be activated',
			'',
		].join('\n'), 'dmesg.txt');
		expect(dmesg.cma.map(c => [c.line, c.start, c.end, c.how, c.node])).toEqual([
			[1, 0x1_0000_0000, 0x1_0400_0000, 'cma_declare_contiguous_nid()', undefined],
			[2, 0x1_1000_0000, 0x1_1100_0000, 'cma_declare_contiguous_nid()', undefined],
			[3, 0x1_2000_0000, 0x1_2200_0000, 'rmem_cma_setup()', undefined],
			[4, 0x1_3000_0000, 0x1_3800_0000, 'cma_declare_contiguous_nid()', 1],
		]);
	});

	it('A test that imports an x86 boot log with a cma= area, a shared-dma-pool area and a CMA line outside boot memory. Expect both areas as cma: of the boot entry 0x100000-0x140000 with their capture line and printer in the comment, and the outside one warned and left out', () => {
		const text = [
			...BOOT,
			'[    0.000000] cma: Reserved 64 MiB at 0x0000000101000000 on node -1',
			'[    0.000000] Reserved memory: created CMA memory pool at 0x0000000110000000, size 128 MiB',
			'[    0.000000] cma: Reserved 64 MiB at 0x0000000180000000 on node -1',
			'',
		].join('\n');
		const result = importCapture({kind: 'capture', label: 'm', files: [{name: 'dmesg.txt', text}]});
		const areas = result.topology.memory.map(e => (e.kind === 'boot' ? pfnRanges(e.cma ?? []) : []));
		expect(areas).toEqual([[], [], [[0x10_1000, 0x10_5000], [0x11_0000, 0x11_8000]]]);
		expect(result.text).toContain([
			'    cma:',
			'      # dmesg.txt:5 — cma_declare_contiguous_nid()',
			'      - {start: 0x1_0100_0000, end: 0x1_0500_0000}',
			'      # dmesg.txt:6 — rmem_cma_setup()',
			'      - {start: 0x1_1000_0000, end: 0x1_1800_0000}',
		].join('\n'));
		expect(result.warnings.filter(w => /CMA/.test(w.message)).map(w => [w.line, w.message])).toEqual([
			[7, 'CMA area 0x180000000-0x183ffffff (cma_declare_contiguous_nid()) lies outside any one boot memory range as imported: not modelled'],
		]);
	});

	it('A test that imports the 6.12 log with --kernel 5.10, where CMA_MIN_ALIGNMENT_BYTES is 4 MiB (max(MAX_ORDER_NR_PAGES, pageblock_nr_pages)), of an area at a 2 MiB boundary. Expect the area warned as not aligned and left out, and the import not refused', () => {
		const text = [...BOOT, '[    0.000000] cma: Reserved 64 MiB at 0x0000000100200000 on node -1', ''].join('\n');
		const result = importCapture({kind: 'capture', label: 'm', files: [{name: 'dmesg.txt', text}]}, {kernel: '5.10'});
		expect(result.topology.memory.every(e => e.kind !== 'boot' || e.cma === undefined || e.cma.length === 0)).toBe(true);
		expect(result.warnings.find(w => /CMA/.test(w.message))?.message).toMatch(/^CMA area 0x100200000-0x1041fffff .* not aligned to CMA_MIN_ALIGNMENT_BYTES 0x400000 .* v5\.10: not modelled/);
		const atSixTwelve = importCapture({kind: 'capture', label: 'm', files: [{name: 'dmesg.txt', text}]});
		expect(atSixTwelve.topology.memory.flatMap(e => (e.kind === 'boot' ? pfnRanges(e.cma ?? []) : []))).toEqual([[0x10_0200, 0x10_4200]]);
	});

	it('A test that imports the real 6.12 arm64 UEFI guest (Debian\'s CONFIG_DMA_CMA=y, CONFIG_CMA_SIZE_MBYTES=64: "cma: Reserved 64 MiB at 0x00000000b2400000 on node -1"). Expect the default dma area 0xb2400-0xb6400 in the boot entry 0x40000-0xb69d0, off its NOMAP, and as many pages as the kernel counted in the zone that holds it (zoneinfo\'s cma, zone->cma_pages)', async () => {
		const files = (await readImportInputs([TARBALL], '/')).files;
		const result = importCapture({kind: 'capture', label: 'uefi', files});
		const holders = result.topology.memory.filter(e => e.kind === 'boot' && (e.cma ?? []).length > 0);
		expect(holders.map(e => [e.start_pfn, e.end_pfn, e.kind === 'boot' ? pfnRanges(e.cma ?? []) : []])).toEqual([[0x4_0000, 0xb_69d0, [[0xb_2400, 0xb_6400]]]]);
		const zoneinfo = files.find(f => f.name === 'proc/zoneinfo')!.text;
		const counted = [...zoneinfo.matchAll(/^\s+cma\s+(\d+)\s*$/gm)].map(m => Number(m[1]));
		expect(counted.reduce((a, b) => a + b, 0)).toBe(0xb_6400 - 0xb_2400);
	});
});

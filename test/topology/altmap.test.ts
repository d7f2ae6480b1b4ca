/**
`altmap.free: auto` follows drivers/nvdimm/pfn_devs.c nd_pfn_init() (PFN_MODE_PMEM) and
__nvdimm_setup_pfn(); checked against published ndctl outputs.
*/
import {describe, expect, test} from 'vitest';
import {nd_pfn_dataoff} from '../../source/topology/altmap.js';
import type {DeviceEntry} from '../../source/topology/types.js';
import {boot, parse, yaml} from './helpers.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function fsdax(arch: string, start: string, size: string, altmap: string[] = ['    altmap: {}']): DeviceEntry {
	const t = parse(yaml({arch, entries: [...boot('0', '4G'), '  - kind: device', '    type: fsdax', `    start: ${start}`, `    size: ${size}`, ...altmap]}));
	return t.memory[1] as DeviceEntry;
}

describe('nd_pfn_dataoff (nd_pfn_init, PFN_MODE_PMEM)', () => {
	// samples/ndctl-create-list-fsdax-map-dev-and-iomem-cxl-pmem-qemu.txt: namespace0.0 is
	// a90000000-a97ffffff (128 MiB) with map=dev, align 2 MiB, and ndctl reports 124 MiB usable;
	// namespace0.1 a98000000-aa7ffffff (256 MiB) reports 250 MiB.
	test('a 128 MiB namespace keeps 124 MiB of data, a 256 MiB one 250 MiB (ndctl, CXL pmem in QEMU)', () => {
		expect(nd_pfn_dataoff(0xa_9000_0000, 128 * MiB, 4096, 2 * MiB)).toBe(4 * MiB);
		expect(nd_pfn_dataoff(0xa_9800_0000, 256 * MiB, 4096, 2 * MiB)).toBe(6 * MiB);
	});

	test('the data offset is aligned to the pfn-device alignment and covers info block + 64-byte struct pages', () => {
		// 16 GiB: npfns = (16G - 8K) / 4K; 8K + 64 * npfns = 256 MiB - 120 bytes + 8K → 258 MiB after ALIGN(2 MiB).
		expect(nd_pfn_dataoff(0x2_4000_0000, 16 * GiB, 4096, 2 * MiB)).toBe(258 * MiB);
		// arm64 with 64K pages aligns to 512 MiB (HPAGE_PMD_SIZE).
		expect(nd_pfn_dataoff(0x10_0000_0000, 16 * GiB, 65536, 512 * MiB)).toBe(512 * MiB);
	});

	test('a range too small for the layout has no data offset', () => {
		expect(nd_pfn_dataoff(0, 2 * MiB, 4096, 2 * MiB)).toBeUndefined();
		expect(nd_pfn_dataoff(0, 8192, 4096, 2 * MiB)).toBeUndefined();
	});
});

describe('resolved altmaps of device entries', () => {
	// A test that resolves `altmap: {}` of a 16 GiB fsdax namespace on x86_64.
	//
	//   | reserve | free (memmap storage)   |            data            |
	//   0x240000  0x240002                  0x250200                     0x640000   (pfns)
	//
	// Expect reserve 2 pages (8 KiB info block), free 66046 pages, data from 258 MiB in.
	test('x86_64: reserve is the 8 KiB info block, reserve + free ends at the aligned data offset', () => {
		const entry = fsdax('x86_64', '0x2_4000_0000', '16G');
		expect(entry.altmap).toEqual({base_pfn: 0x24_0000, reserve: 2, free: 66046, free_auto: true});
		expect(entry.altmap!.base_pfn + entry.altmap!.reserve + entry.altmap!.free).toBe(0x24_0000 + (258 * MiB) / 4096);
	});

	test('arm64 64K pages: the info block rounds up to one page, data at 512 MiB', () => {
		const entry = fsdax('arm64-64k', '0x10_0000_0000', '16G');
		expect(entry.altmap).toMatchObject({reserve: 1, free: (512 * MiB) / 65536 - 1});
	});

	test('an explicit reserve and free are taken in bytes and stored in pages', () => {
		const entry = fsdax('x86_64', '0x1_0000_0000', '1G', ['    altmap:', '      reserve: 2M', '      free: 16M']);
		expect(entry.altmap).toEqual({base_pfn: 0x10_0000, reserve: 512, free: 4096, free_auto: false});
	});

	test('an explicit reserve with free: auto keeps the nvdimm data offset', () => {
		const entry = fsdax('x86_64', '0x1_0000_0000', '128M', ['    altmap:', '      reserve: 16K']);
		expect(entry.altmap!.reserve + entry.altmap!.free).toBe((4 * MiB) / 4096);
	});

	test('a device without altmap has none', () => {
		expect(fsdax('x86_64', '0x1_0000_0000', '1G', []).altmap).toBeUndefined();
	});

	// A test that lays out `altmap: {}` of a 2 GiB device-dax namespace at 0x1_0000_0000 (pfn
	// 0x100000) on x86_64 at v6.12 with each `align:` (nd_pfn->align):
	//
	//   align absent / 4K / 2M:  | reserve 2 | free 8702 |  data from 34 MiB in ...       | 0x180000
	//   align 1G:                | reserve 2 | free 262142 (padding to 1 GiB) | data 1 GiB | 0x180000
	//
	// nd_pfn_init() aligns the data offset to max(align, memremap_compat_align()): 4K lays out
	// like the 2 MiB default (SUBSECTION_SIZE), 1G puts the data at the next 1 GiB boundary.
	// Expect exactly those reserve + free.
	test('the entry\'s align: is nd_pfn->align of the layout, never below memremap_compat_align()', () => {
		const devdax = (align: string[]): DeviceEntry => parse(yaml({kernel: '6.12', entries: [...boot('0', '4G'), '  - kind: device', '    type: devdax', '    start: 0x1_0000_0000', '    size: 2G', '    altmap: {}', ...align]})).memory[1] as DeviceEntry;
		expect(devdax([]).altmap).toMatchObject({reserve: 2, free: 8702});
		expect(devdax(['    align: 4K']).altmap).toMatchObject({reserve: 2, free: 8702});
		expect(devdax(['    align: 2M']).altmap).toMatchObject({reserve: 2, free: 8702});
		expect(devdax(['    align: 1G']).altmap).toMatchObject({reserve: 2, free: GiB / 4096 - 2});
	});
});

/**
debugfs memblock/memory and memblock/reserved (source/import/memblock.ts) from real arm64 guests
(test/fixtures/captures/qemu-arm64-uefi-6.12.118.README): 6.12 names each region's node and flags,
6.1 prints the ranges only. The UEFI guest's pfn map (hex pfns, 4K pages, 128 MiB sections =
0x8000 pfns):

  0x4000-0x8000   0x40000 ...  0xb69d0-0xb69e0  0xb69f0-0xb6a00   0xb9440-0xb9730    0xbcc00-0xbcfe0     0xbd000 | 0xc0000-0xe0000 | 0xe0000-0xf0000
  | flash NOMAP | hole | RAM   | ACPI NVS NOMAP | ACPI Reclaim    | runtime NOMAP    | runtime NOMAP     | RAM     | nvdimm devdax   | nvdimm fsdax
                                                  (reserved, not NOMAP)
*/
import {describe, expect, it} from 'vitest';
import {readImportInputs} from '../../source/cli/capture-read.js';
import {recogniseContent} from '../../source/import/collect.js';
import {importCapture} from '../../source/import/index.js';
import {parseMemblock} from '../../source/import/memblock.js';
import {compareCapture} from '../../source/reproduce/compare.js';
import {fixture, located} from './helpers.js';

const TARBALL = new URL('../fixtures/captures/qemu-arm64-uefi-6.12.118.tar.gz', import.meta.url).pathname;
const files = async () => (await readImportInputs([TARBALL], '/')).files;
const memblockOf = async (name: 'memory' | 'reserved') => (await files()).find(f => f.name === `sys/kernel/debug/memblock/${name}`)!.text;
const pfns = (nomap: ReadonlyArray<{start_pfn: number; end_pfn: number}>) => nomap.map(n => [n.start_pfn, n.end_pfn]);

describe('debugfs memblock', () => {
	it('A test that reads 6.12\'s memblock/memory of the UEFI guest. Expect eight regions on node 0, inclusive ends made exclusive, and the four NOMAP ones named', async () => {
		const memblock = parseMemblock(await memblockOf('memory'), 'memory');
		expect(memblock.withFlags).toBe(true);
		expect(memblock.regions.map(r => [r.start, r.end, r.node, r.flags?.join('|')])).toEqual([
			[0x400_0000, 0x800_0000, 0, 'NOMAP'],
			[0x4000_0000, 0xb69d_0000, 0, ''],
			[0xb69d_0000, 0xb69e_0000, 0, 'NOMAP'],
			[0xb69e_0000, 0xb944_0000, 0, ''],
			[0xb944_0000, 0xb973_0000, 0, 'NOMAP'],
			[0xb973_0000, 0xbcc0_0000, 0, ''],
			[0xbcc0_0000, 0xbcfe_0000, 0, 'NOMAP'],
			[0xbcfe_0000, 0xbd00_0000, 0, ''],
		]);
	});

	it('A test that reads 6.1\'s memblock/memory (a no-map range at 0x50000000). Expect three ranges and no node or flags', () => {
		const memblock = parseMemblock(fixture('captures/qemu-arm64-6.1.192-memblock-memory.txt'), 'memory');
		expect(memblock.withFlags).toBe(false);
		expect(memblock.regions.map(r => [r.start, r.end, r.node, r.flags])).toEqual([
			[0x4000_0000, 0x5000_0000, undefined, undefined],
			[0x5000_0000, 0x5020_0000, undefined, undefined],
			[0x5020_0000, 0xbd00_0000, undefined, undefined],
		]);
	});

	it('A test that gives the two listings as single files. Expect memblock/memory recognised as memory (NOMAP, whole pages) and memblock/reserved as reserved (byte-sized allocations)', async () => {
		expect(recogniseContent(await memblockOf('memory'))).toBe('memblock-memory');
		expect(recogniseContent(fixture('captures/qemu-arm64-6.1.192-memblock-memory.txt'))).toBe('memblock-memory');
		expect(recogniseContent(await memblockOf('reserved'))).toBe('memblock-reserved');
	});

	it('A test that reads a listing with a region left out. Expect file:line and "without gaps"', () => {
		const text = '   0: 0x0000000040000000..0x000000004fffffff    0 NONE\n   2: 0x0000000050200000..0x00000000bcffffff    0 NONE\n';
		expect(located(() => parseMemblock(text, 'memblock/memory'))).toMatch(/^memblock\/memory:2:1: region 2 follows region 0: .*without gaps/);
	});

	it('A test that imports the UEFI guest\'s capture. Expect the NOMAP of memblock/memory — the flash window, ACPI NVS and the two runtime ranges — and not the ACPI Reclaim region the EFI map lists as non-conventional', async () => {
		const result = importCapture({kind: 'capture', label: 'uefi', files: await files()});
		expect(result.facts.read).toContain('sys/kernel/debug/memblock/memory (memblock-memory)');
		const nomap = result.topology.memory.flatMap(e => (e.kind === 'boot' ? pfns(e.nomap) : []));
		expect(nomap).toEqual([[0x4000, 0x8000], [0xb_69d0, 0xb_69e0], [0xb_9440, 0xb_9730], [0xb_cc00, 0xb_cfe0]]);
	});

	it('A test that imports the UEFI guest\'s capture without memblock/memory (the EFI map of efi=debug and /proc/iomem only). Expect the same NOMAP: ACPI Reclaim is usable memory to reserve_regions()', async () => {
		const rest = (await files()).filter(f => !f.name.startsWith('sys/kernel/debug/'));
		const result = importCapture({kind: 'capture', label: 'uefi', files: rest});
		const nomap = result.topology.memory.flatMap(e => (e.kind === 'boot' ? pfns(e.nomap) : []));
		expect(nomap).toEqual([[0x4000, 0x8000], [0xb_69d0, 0xb_69e0], [0xb_9440, 0xb_9730], [0xb_cc00, 0xb_cfe0]]);
	});

	it('A test that imports the UEFI guest\'s two nvdimms from libnvdimm\'s sysfs (no ndctl in the guest). Expect the devdax namespace with its altmap from where dax0.0 starts (0xa00000 in: reserve 2 pages, free 2558), the fsdax one without (pfn1.0 mode ram), and no guess warned', async () => {
		// 0xc0000 info | memmap 0xc0a00 data (dax0.0) 0xe0000 | fsdax (pfn1.0, map=mem) 0xf0000
		const result = importCapture({kind: 'capture', label: 'uefi', files: await files()});
		expect(result.facts.ndSysfs?.map(n => [n.dev, n.mode, n.map, n.size?.bytes])).toEqual([
			['namespace0.0', 'devdax', 'dev', 0x2000_0000 - 0xa0_0000],
			['namespace1.0', 'fsdax', 'mem', 0x1000_0000 - 0x20_0000],
		]);
		const devices = result.topology.memory.filter(e => e.kind === 'device');
		expect(devices.map(d => [d.type, d.start_pfn, d.end_pfn, d.altmap ? [d.altmap.reserve, d.altmap.free] : undefined])).toEqual([
			['devdax', 0xc_0000, 0xe_0000, [2, 2558]],
			['fsdax', 0xe_0000, 0xf_0000, undefined],
		]);
		expect(result.warnings.map(w => w.message).join('\n')).not.toMatch(/guessed/);
	});

	it('A test of the control: the UEFI guest\'s capture modelled at v5.13, whose arm64 pfn_valid() ended in memblock_is_map_memory(). Expect pfn_to_online_page to disagree on exactly the four NOMAP ranges (kernel page, model NULL) and max_pfn on the pfns of the two nvdimms (arm64 raises max_pfn on memremap_pages() → arch_add_memory() from 8fac67ca236b, v5.16)', async () => {
		const result = compareCapture('uefi', await files(), {kernel: '5.13'});
		expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([
			...[[0x4000, 0x8000], [0xb_69d0, 0xb_69e0], [0xb_9440, 0xb_9730], [0xb_cc00, 0xb_cfe0]].map(([s, e]) => ['uefi: pfn_to_online_page', s, e, 'page', 'NULL (KPF_NOPAGE)']),
			['uefi: max_pfn', 0xc_0000, 0xf_0000, 'in /proc/kpageflags', 'beyond its end 0xc0000'],
		]);
		expect(compareCapture('uefi', await files()).disagreements).toEqual([]);
	});
});

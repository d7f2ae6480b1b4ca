/**
The capture parsers (source/import/): text in, typed facts with line numbers out, and one
sentence at file:line for what they cannot read.
*/
import {describe, expect, it} from 'vitest';
import {recogniseContent} from '../../source/import/collect.js';
import {parseDmesg} from '../../source/import/dmesg.js';
import {ancestors, parseIomem} from '../../source/import/iomem.js';
import {parseLsmem} from '../../source/import/lsmem.js';
import {parseBlockSize, parseMemorySummary} from '../../source/import/memory-blocks.js';
import {debianUpstreamVersion, mapRelease} from '../../source/import/release.js';
import {parseToolListing} from '../../source/import/tool-json.js';
import {parseZoneinfo} from '../../source/import/zoneinfo.js';
import {fixture, located} from './helpers.js';

describe('/proc/iomem', () => {
	it('A test that reads the Firecracker guest\'s iomem. Expect inclusive ends, 9-digit addresses and children nested by containment', () => {
		const iomem = parseIomem(fixture('captures/firecracker-6.18/iomem.txt'), 'iomem.txt');
		const ram = iomem.resources.filter(r => r.name === 'System RAM');
		expect(ram.map(r => [r.start, r.end, r.line])).toEqual([
			[0x1000, 0x9_fbff, 2],
			[0x10_0000, 0xbfff_ffff, 6],
			[0x1_0000_0000, 0x6_3fff_ffff, 16],
		]);
		const code = iomem.resources.findIndex(r => r.name === 'Kernel code');
		expect(ancestors(iomem, code).map(r => r.name)).toEqual(['System RAM']);
	});

	it('A test that reads a posted excerpt whose first line is an elision ("..."). Expect the elision skipped and the namespaces under their Persistent Memory', () => {
		const iomem = parseIomem(fixture('samples/iomem-pmem-two-regions-2MiB-aligned-pmem-docs.txt'), 'x');
		expect(iomem.elided).toEqual([2]);
		const ns1 = iomem.resources.findIndex(r => r.name === 'namespace1.0');
		expect(iomem.resources[ns1]).toMatchObject({start: 0x2_3fe0_0000, end: 0x3_3fbf_ffff, line: 6});
		expect(ancestors(iomem, ns1).map(r => [r.name, r.start])).toEqual([['Persistent Memory', 0x2_3fe0_0000]]);
	});

	it('A test that nests a CXL tree deeper than the indent shows (capped MAX_IORES_LEVEL). Expect parentage by containment', () => {
		const text = ['a90000000-b8fffffff : CXL Window 0', '  a90000000-b8fffffff : region0', '    a90000000-b8fffffff : dax0.0', '    a90000000-b8fffffff : System RAM (kmem)', 'c00000000-c0fffffff : PCI Bus 0000:00'].join('\n');
		const iomem = parseIomem(text, 'iomem');
		expect(ancestors(iomem, 3).map(r => r.name)).toEqual(['dax0.0', 'region0', 'CXL Window 0']);
		expect(iomem.resources[4]!.parent).toBe(-1);
	});

	it('A test that reads iomem as a non-root user prints it (every address 0). Expect the "needs root" sentence', () => {
		const text = '00000000-00000000 : Reserved\n00000000-00000000 : System RAM\n  00000000-00000000 : Kernel code\n';
		expect(() => parseIomem(text, 'proc/iomem')).toThrow(/proc\/iomem shows real addresses only to root.*sudo/);
	});

	it('A test that reads an iomem cut off in the middle of a line. Expect file:line and "truncated"', () => {
		const text = '00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n00100000-bfff';
		expect(located(() => parseIomem(text, 'proc/iomem'))).toMatch(/^proc\/iomem:3:1: not a \/proc\/iomem line .*truncated/);
	});
});

describe('memory blocks', () => {
	it('A test that reads the one-file block listing of the Firecracker guest. Expect 192 blocks, a hole at 24-31, and 128 MiB blocks', () => {
		const blocks = parseMemorySummary(fixture('captures/firecracker-6.18/sys-devices-system-memory.txt'), 'm');
		expect(blocks.blockSize?.bytes).toBe(128 * 2 ** 20);
		expect(blocks.autoOnline?.value).toBe('offline');
		expect(blocks.blocks).toHaveLength(192);
		expect(blocks.blocks.map(b => b.id)).not.toContain(24);
		expect(blocks.blocks[0]).toMatchObject({id: 0, state: 'online', validZones: ['none'], node: 0, line: 3});
	});

	it('A test that gives a block size that is not a power of two. Expect the memory_block_size_bytes() rule', () => {
		expect(() => parseBlockSize('9000000\n', 'sys/devices/system/memory/block_size_bytes')).toThrow(/0x9000000 is not a power of two/);
		expect(() => parseBlockSize('', 'b')).toThrow(/not a hex number.*truncated/);
	});

	it('A test that names memory5 with the phys_index of another block. Expect the contradiction refused', () => {
		expect(located(() => parseMemorySummary('block_size_bytes 8000000\nmemory5 state=online phys_index=00000006\n', 'm'))).toMatch(/^m:2:1: memory5 has phys_index 00000006/);
	});
});

describe('lsmem', () => {
	it('A test that reads lsmem with blocks from 8192 and a hole at 8317-8318. Expect two runs, the NODE and ZONES columns, 128M blocks', () => {
		const lsmem = parseLsmem(fixture('samples/lsmem-blocks-start-at-1TiB-util-linux-pr4056.txt'), 'l');
		expect(lsmem.runs.map(r => [r.start, r.end, r.firstBlock, r.lastBlock, r.node, r.zones])).toEqual([
			[0x100_0000_0000, 0x103_e7ff_ffff, 8192, 8316, 0, ['DMA']],
			[0x103_f800_0000, 0x103_ffff_ffff, 8319, 8319, 0, ['DMA']],
		]);
		expect(lsmem.blockSize?.bytes).toBe(128 * 2 ** 20);
	});

	it('A test that reads two listings in one file (plain lsmem, then lsmem -a). Expect the per-block one', () => {
		expect(parseLsmem(fixture('captures/firecracker-6.18/lsmem.txt'), 'l').runs).toHaveLength(192);
	});

	it('A test that reads an lsmem line cut short. Expect the column count named', () => {
		expect(() => parseLsmem('RANGE SIZE STATE REMOVABLE BLOCK\n0x0-0x7ffffff 128M online\n', 'lsmem.txt')).toThrow(/3 columns, the header 5/);
	});
});

describe('zoneinfo', () => {
	it('A test that reads the Firecracker zoneinfo. Expect start_pfn only for populated zones and none for Device', () => {
		const zones = parseZoneinfo(fixture('captures/firecracker-6.18/zoneinfo.txt'), 'z');
		expect(zones.map(z => [z.zone, z.start_pfn, z.spanned])).toEqual([
			['DMA', 1, 4095],
			['DMA32', 4096, 1044480],
			['Normal', 1048576, 5505024],
			['Movable', undefined, 0],
			['Device', undefined, 0],
		]);
	});

	it('A test that reads a zoneinfo cut after a zone header. Expect "truncated"', () => {
		expect(() => parseZoneinfo('Node 0, zone      DMA\n  pages free     3840\n        spanned  4095\nNode 0, zone    DMA32\n', 'proc/zoneinfo')).toThrow(/no "spanned" line: the file is truncated/);
	});
});

describe('boot log', () => {
	it('A test that reads the 8-node x86 log. Expect the e820 table, SRAT hotplug ranges and early node ranges with their lines', () => {
		const dmesg = parseDmesg(fixture('samples/dmesg-x86-8node-srat-hotplug-movable-zones-e820.txt'), 'd');
		expect(dmesg.e820[0]).toMatchObject({table: 'BIOS-e820', start: 0, end: 0x9_ffff, type: 'usable', line: 4});
		expect(dmesg.e820.filter(e => e.type === 'usable')).toHaveLength(13);
		expect(dmesg.srat.filter(s => s.hotplug).map(s => s.node)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(dmesg.earlyNodeRanges[7]).toMatchObject({node: 1, start: 0x100_0000_0000, end: 0x10f_ffff_ffff, line: 79});
		expect(dmesg.movableZoneStart.map(m => m.node)).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(dmesg.zoneRanges.find(z => z.zone === 'Device')).toMatchObject({start: undefined});
	});

	it('A test that reads the OF reserved-memory lines of Debian\'s 6.12.118 arm64 kernel under QEMU virt, where the node at 0x4800_1000 overlaps the initrd QEMU loaded at 0x4800_0000 and the kernel refused it (early_init_dt_reserve_memory(): -EBUSY) but still lists it as nomap. Expect only nomap@50000000 as NOMAP', () => {
		// pfn map: 0x48000 initrd (memblock.reserved) | 0x48001-0x48004 nomap@48001000 refused | … | 0x50000-0x50200 nomap@50000000
		const text = [
			"[    0.000000] OF: reserved mem: Reserved memory: failed to reserve memory for node 'nomap@48001000': base 0x0000000048001000, size 0 MiB",
			'[    0.000000] OF: reserved mem: 0x0000000048001000..0x0000000048003fff (12 KiB) nomap non-reusable nomap@48001000',
			'[    0.000000] OF: reserved mem: 0x0000000050000000..0x00000000501fffff (2048 KiB) nomap non-reusable nomap@50000000',
		].join('\n');
		const dmesg = parseDmesg(text, 'd');
		expect(dmesg.ofNomap.map(n => [n.name, n.start, n.end])).toEqual([['nomap@50000000', 0x5000_0000, 0x501f_ffff]]);
	});

	it('A test that reads the arm64 efi=debug map. Expect types and the MR attribute column', () => {
		const dmesg = parseDmesg(fixture('samples/dmesg-arm64-efi-memmap-mirror-kernelcore-movable-4node.txt'), 'd');
		expect(dmesg.efi[0]).toMatchObject({start: 0x5fff_0000, end: 0x5fff_efff, type: 'Conventional', line: 3});
		expect(dmesg.efi[3]!.attrs).toContain('MR');
		expect(dmesg.efi.find(e => e.type === 'MMIO')!.attrs).toEqual(['RUN', 'UC']);
	});

	it('A test that reads a p2pdma registration line. Expect the BAR range and device', () => {
		const dmesg = parseDmesg('[ 5.1] nvme 0000:01:00.0: added peer-to-peer DMA memory 0x240000000000-0x241fffffffff\n', 'd');
		expect(dmesg.p2pdma).toEqual([{file: 'd', line: 1, device: '0000:01:00.0', start: 0x2400_0000_0000, end: 0x241f_ffff_ffff}]);
	});
});

describe('ndctl / daxctl / cxl JSON', () => {
	it('A test that reads a daxctl listing after its command line. Expect a system-ram device on node 2, movable', () => {
		const listing = parseToolListing(fixture('samples/daxctl-list-system-ram-movable-issue139.json'), 'daxctl-list.json');
		expect(listing.daxDevices).toEqual([expect.objectContaining({chardev: 'dax0.0', mode: 'system-ram', target_node: 2, movable: true, line: 5, size: {bytes: 1598128390144, approximate: false}})]);
	});

	it('A test that reads a pasted session of three cxl listings after shell prompts. Expect the memdevs of all three', () => {
		const listing = parseToolListing(fixture('samples/cxl-list-memdevs-per-root-decoder-issue276.json'), 'cxl-list.json');
		expect(listing.cxlMemdevs).toBe(6);
	});

	it('A test that reads ndctl -u human sizes. Expect exact IEC values and rounded ones marked approximate', () => {
		const listing = parseToolListing('{"dev":"namespace0.0","mode":"fsdax","map":"dev","size":"124.00 MiB (130.02 MB)","align":2097152}', 'n');
		expect(listing.namespaces[0]).toMatchObject({mode: 'fsdax', map: 'dev', size: {bytes: 124 * 2 ** 20, approximate: false}, align: 2097152});
		expect(parseToolListing('{"dev":"namespace0.0","size":"3.94 GiB (4.23 GB)"}', 'n').namespaces[0]!.size!.approximate).toBe(true);
	});

	it('A test that reads a truncated ndctl listing. Expect "unparseable JSON" at a line', () => {
		const cut = fixture('samples/ndctl-list-devdax-then-system-ram-issue129.txt').split('\n').slice(4, 14).join('\n');
		expect(located(() => parseToolListing(cut, 'ndctl-list.json'))).toMatch(/^ndctl-list\.json:10:1: unparseable JSON \(.*\); is the file truncated\?/);
		expect(located(() => parseToolListing('[\n{"dev": "namespace0.0",\n~\n', 'ndctl-list.json'))).toMatch(/^ndctl-list\.json:3:1: unparseable JSON/);
	});
});

describe('recognition by content and kernel releases', () => {
	it('A test that recognises each kind of file whatever its name. Expect the kind', () => {
		expect(recogniseContent(fixture('captures/firecracker-6.18/iomem.txt'))).toBe('iomem');
		expect(recogniseContent(fixture('captures/firecracker-6.18/lsmem.txt'))).toBe('lsmem');
		expect(recogniseContent(fixture('captures/firecracker-6.18/zoneinfo.txt'))).toBe('zoneinfo');
		expect(recogniseContent(fixture('captures/firecracker-6.18/sys-devices-system-memory.txt'))).toBe('memory-summary');
		expect(recogniseContent(fixture('samples/dmesg-x86-8node-srat-hotplug-movable-zones-e820.txt'))).toBe('dmesg');
		expect(recogniseContent(fixture('samples/daxctl-list-system-ram-movable-issue139.json'))).toBe('daxctl');
		expect(recogniseContent(fixture('samples/cxl-list-memdevs-per-root-decoder-issue276.json'))).toBe('cxl');
		expect(recogniseContent('6.12.118+deb12-amd64\n')).toBe('osrelease');
		expect(recogniseContent('hello\n')).toBeUndefined();
	});

	it('A test that maps distribution releases. Expect the nearest stable preset at or below the sublevel, else mainline with a warning', () => {
		expect(mapRelease('6.12.118+deb12-amd64')).toMatchObject({kernel: '6.12', preset: 'stable-6.12.117', arch: 'x86_64', warning: undefined});
		expect(mapRelease('6.12.117-arm64')).toMatchObject({preset: 'stable-6.12.117', arch: 'arm64-4k'});
		expect(mapRelease('6.12.57+deb13-amd64')).toMatchObject({kernel: '6.12', preset: undefined, warning: expect.stringMatching(/no modelled stable tree of 6\.12\.y at or below sublevel 57/)});
		expect(mapRelease('5.15.200')).toMatchObject({preset: 'stable-5.15.y'});
		expect(mapRelease('5.15.100')).toMatchObject({preset: undefined});
		expect(mapRelease('6.18.44-fc-v669')).toMatchObject({kernel: '6.18', preset: undefined});
		expect(mapRelease('7.2.0')).toMatchObject({kernel: '6.18', warning: expect.stringMatching(/newer than v6\.18/)});
	});

	it('A test that reads the version of a Debian kernel named by its ABI (6.1.0-57-amd64 is 6.1.192) from the banner. Expect 6.1.192 and stable-6.1.176; the compiler\'s (Debian 12.2.0-14) is not taken; a release that carries its sublevel is left alone', () => {
		const banner = '(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-20)';
		expect(debianUpstreamVersion('6.1.0-57-amd64', banner)).toBe('6.1.192');
		expect(debianUpstreamVersion('6.1.0-57-amd64', '(gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC')).toBeUndefined();
		expect(debianUpstreamVersion('6.12.118+deb12-amd64', banner)).toBeUndefined();
		expect(mapRelease('6.1.0-57-amd64')).toMatchObject({kernel: '6.1', preset: undefined});
		expect(mapRelease('6.1.0-57-amd64', '6.1.192')).toMatchObject({release: '6.1.0-57-amd64', kernel: '6.1', preset: 'stable-6.1.176', arch: 'x86_64', note: expect.stringContaining("6.1.0-57-amd64 (Debian's 6.1.192)")});
	});
});

/**
Kernel rules of SPEC §3 on the memory list: each bad topology is rejected with one InputError at
the value that breaks the rule, naming the rule and the kernel function it mirrors.
*/
import {describe, expect, test} from 'vitest';
import {at, boot, expectRejected, parse, yaml} from './helpers.js';

const BOOT = boot('0', '4G');

function device(type: string, start: string, size: string, extra: string[] = []): string[] {
	return ['  - kind: device', `    type: ${type}`, `    start: ${start}`, `    size: ${size}`, ...extra];
}

function hotplug(start: string, size: string, extra: string[] = []): string[] {
	return ['  - kind: hotplug', `    start: ${start}`, `    size: ${size}`, ...extra];
}

describe('order and shape of the memory list', () => {
	test('the first entry must be a boot entry', () => {
		const text = yaml({entries: hotplug('0x1_0000_0000', '128M')});
		expectRejected(text, at(text, 'kind: hotplug'), ['memory[0] is a hotplug entry', 'starts with its boot memory', 'sparse_init()']);
	});

	test('boot entries come first', () => {
		const text = yaml({entries: [...BOOT, ...hotplug('0x1_0000_0000', '128M'), '  - kind: boot', '    start: 0x2_0000_0000', '    size: 1G']});
		// Lines 5-7 boot, 8-10 hotplug, 11 the second boot entry's kind.
		expectRejected(text, 't.yaml:11:11', ['memory[2] is a boot entry after the hotplug operation memory[1]', 'boot entries come first']);
	});

	test('an empty range and a reversed range', () => {
		const empty = yaml({entries: ['  - kind: boot', '    start: 0', '    size: 0']});
		expectRejected(empty, at(empty, 'size: 0'), ['memory[0].size is 0']);
		const reversed = yaml({entries: ['  - kind: boot', '    start: 0x1000_0000', '    end: 0x1000_0000']});
		expectRejected(reversed, at(reversed, 'end: 0x1000_0000'), ['is not above start', 'exclusive']);
	});
});

describe('page alignment', () => {
	test('a boot range not page aligned gets the aligned neighbours', () => {
		const text = yaml({entries: ['  - kind: boot', '    start: 0x1000_0800', '    size: 1G']});
		expectRejected(text, at(text, 'start: 0x1000_0800'), ['not page aligned', 'PAGE_SIZE is 4 KiB', 'for_each_mem_pfn_range()', 'use start: 0x1000_0000 or 0x1000_1000']);
		const end = yaml({entries: ['  - kind: boot', '    start: 0', '    end: 0x9_fc00']});
		expectRejected(end, at(end, 'end: 0x9_fc00'), ['not page aligned', 'use end: 0x9_f000 or 0xa_0000']);
	});

	test('page alignment follows the arch page size (arm64 64K pages)', () => {
		const text = yaml({arch: 'arm64-64k', entries: ['  - kind: boot', '    start: 0x4000_1000', '    size: 1G']});
		expectRejected(text, at(text, 'start: 0x4000_1000'), ['PAGE_SIZE is 64 KiB', 'use start: 0x4000_0000 or 0x4001_0000']);
		expect(parse(yaml({arch: 'arm64-64k', entries: ['  - kind: boot', '    start: 0x4001_0000', '    size: 1G']})).memory[0]!.start_pfn).toBe(0x4001);
	});

	test('a device size not page aligned', () => {
		const text = yaml({entries: [...BOOT, ...device('devdax', '0x1_0000_0000', '0x800')]});
		expectRejected(text, at(text, 'size: 0x800'), ['memory[1].size 2K is not page aligned', 'use size: 4K']);
	});
});

describe('boot memory and MEMBLOCK_NOMAP', () => {
	test('overlapping boot ranges', () => {
		const text = yaml({entries: [...BOOT, '  - kind: boot', '    start: 0xf000_0000', '    size: 1G']});
		expectRejected(text, at(text, 'start: 0xf000_0000'), ['memory[1] (boot@0xf0000000) overlaps memory[0] (boot@0x0) at [0xf000_0000, 0x1_0000_0000)', 'memblock_add()']);
	});

	test('A test that adds a boot range overlapping two earlier ones listed in descending address order. Expect the first in file order to be named, not the lowest address', () => {
		// memory[0] at [4G, 5G), memory[1] at [2G, 3G); memory[2] [2.5G, 4.5G) overlaps both.
		const entries = [...boot('0x1_0000_0000', '1G'), ...boot('0x8000_0000', '1G'), '  - kind: boot', '    start: 0xa000_0000', '    size: 2G'];
		const text = yaml({entries});
		expectRejected(text, at(text, 'start: 0xa000_0000'), ['memory[2] (boot@0xa0000000) overlaps memory[0] (boot@0x100000000) at [0x1_0000_0000, 0x1_2000_0000)']);
	});

	test('boot memory beyond 2^MAX_PHYSMEM_BITS', () => {
		const text = yaml({entries: ['  - kind: boot', '    start: 0x3fff_0000_0000', '    size: 128G']});
		expectRejected(text, at(text, 'size: 128G'), ['beyond 2^MAX_PHYSMEM_BITS = 0x4000_0000_0000', 'MAX_PHYSMEM_BITS 46', 'mminit_validate_memmodel_limits()']);
	});

	test('nomap is arm64 only', () => {
		const text = yaml({entries: [...BOOT, '    nomap:', '      - {start: 0x8000_0000, size: 2M}']});
		// At the nomap list (line 9, the first item).
		expectRejected(text, 't.yaml:9:7', ['MEMBLOCK_NOMAP', 'arm64 only', 'arch is x86_64']);
	});

	test('a nomap range lies inside its boot entry', () => {
		const text = yaml({arch: 'arm64-4k', entries: ['  - kind: boot', '    start: 0x4000_0000', '    size: 1G', '    nomap:', '      - {start: 0x3fe0_0000, size: 4M}']});
		expectRejected(text, at(text, '{start: 0x3fe0_0000', '0x3fe0_0000'), ['memory[0].nomap[0]', 'is not inside its boot entry']);
	});

	test('nomap ranges are page aligned and do not overlap', () => {
		const unaligned = yaml({arch: 'arm64-4k', entries: ['  - kind: boot', '    start: 0x4000_0000', '    size: 1G', '    nomap:', '      - {start: 0x4000_0800, size: 4K}']});
		expectRejected(unaligned, at(unaligned, '{start: 0x4000_0800', '0x4000_0800'), ['not page aligned', 'memblock_mark_nomap()']);
		const overlapping = yaml({arch: 'arm64-4k', entries: ['  - kind: boot', '    start: 0x4000_0000', '    size: 1G', '    nomap:', '      - {start: 0x4000_0000, size: 4M}', '      - {start: 0x4020_0000, size: 4M}']});
		expectRejected(overlapping, at(overlapping, '{start: 0x4020_0000', '0x4020_0000'), ['memory[0].nomap[1] overlaps another nomap range']);
	});
});

describe('CMA areas (cma: of a boot entry)', () => {
	// A test of the CMA_MIN_ALIGNMENT_BYTES rule of cma_init_reserved_mem() on x86_64 (4K pages,
	// pageblock 2 MiB, MAX_ORDER_NR_PAGES 4 MiB): a 2 MiB-aligned area is accepted at v6.12
	// (pageblock_nr_pages from v5.19) and refused at v5.15 (max(MAX_ORDER_NR_PAGES,
	// pageblock_nr_pages) before), at the value that breaks it.
	//
	//   boot [0x0, 4G): cma [0x4020_0000, +64M)
	//
	// Expect the v6.12 topology to carry the area in pfns, and the v5.15 one refused at its start
	// with the 4 MiB rule and the aligned neighbours.
	test('a CMA area is CMA_MIN_ALIGNMENT_BYTES aligned, by version: cma_init_reserved_mem()', () => {
		const entries = [...BOOT, '    cma:', '      - {start: 0x4020_0000, size: 64M}'];
		const v612 = parse(yaml({entries}));
		expect(v612.memory[0]).toMatchObject({kind: 'boot', cma: [{start: 0x4020_0000, end: 0x4420_0000, start_pfn: 0x4_0200, end_pfn: 0x4_4200}]});
		const v515 = yaml({kernel: '5.15', entries});
		expectRejected(v515, at(v515, '{start: 0x4020_0000', '0x4020_0000'), ['memory[0].cma[0].start 0x4020_0000 is not aligned to CMA_MIN_ALIGNMENT_BYTES 4 MiB', 'max(MAX_ORDER_NR_PAGES, pageblock_nr_pages) pages before v5.19', 'cma_init_reserved_mem()', 'use start: 0x4000_0000 or 0x4040_0000']);
		const size = yaml({entries: [...BOOT, '    cma:', '      - {start: 0x4000_0000, size: 3M}']});
		expectRejected(size, at(size, 'size: 3M', '3M'), ['memory[0].cma[0].size 3M is not aligned to CMA_MIN_ALIGNMENT_BYTES 2 MiB (pageblock_nr_pages pages)', 'use size: 2M or 4M']);
	});

	// A test of where an area may lie: inside its boot entry, off its nomap ranges (arm64), not
	// over another area.
	//
	//   x86_64 boot [0x0, 4G): cma [0xff00_0000, +32M) crosses its end
	//   arm64-4k boot [0x4000_0000, +1G), nomap [0x4800_0000, +2M): cma over it; two areas overlapping
	//
	// Expect each of the three refused at the start of the offending range.
	test('a CMA area lies inside its boot entry, off nomap and off other areas', () => {
		const outside = yaml({entries: [...BOOT, '    cma:', '      - {start: 0xff00_0000, size: 32M}']});
		expectRejected(outside, at(outside, '{start: 0xff00_0000', '0xff00_0000'), ['memory[0].cma[0] [0xff00_0000, 0x1_0100_0000) is not inside its boot entry', 'memblock.memory']);
		const arm = ['  - kind: boot', '    start: 0x4000_0000', '    size: 1G', '    nomap:', '      - {start: 0x4800_0000, size: 2M}', '    cma:'];
		const overNomap = yaml({arch: 'arm64-4k', entries: [...arm, '      - {start: 0x4700_0000, size: 32M}']});
		expectRejected(overNomap, at(overNomap, '{start: 0x4700_0000', '0x4700_0000'), ['memory[0].cma[0] overlaps the nomap range [0x4800_0000, 0x4820_0000)', 'rmem_cma_setup()']);
		const twice = yaml({arch: 'arm64-4k', entries: [...arm, '      - {start: 0x5000_0000, size: 32M}', '      - {start: 0x5100_0000, size: 32M}']});
		expectRejected(twice, at(twice, '{start: 0x5100_0000', '0x5100_0000'), ['memory[0].cma[1] overlaps another CMA area of the same boot entry at 0x5100_0000']);
	});

	// A test of the key's spelling: cma belongs to boot entries only.
	//
	// Expect cma: on a hotplug entry refused as an unknown key.
	test('cma is a key of boot entries only', () => {
		const text = yaml({entries: [...BOOT, '  - kind: hotplug', '    start: 0x1_0000_0000', '    size: 128M', '    cma:', '      - {start: 0x1_0000_0000, size: 32M}']});
		expectRejected(text, at(text, '    cma:', 'cma'), ['cma']);
	});
});

describe('System RAM hotplug (add_memory)', () => {
	test('not memory-block aligned: check_hotplug_memory_range()', () => {
		const start = yaml({entries: [...BOOT, ...hotplug('0x1_0400_0000', '128M')]});
		expectRejected(start, at(start, 'start: 0x1_0400_0000'), ['not aligned to the memory block size 128 MiB', 'check_hotplug_memory_range()', 'use start: 0x1_0000_0000 or 0x1_0800_0000']);
		const size = yaml({entries: [...BOOT, ...hotplug('0x1_0000_0000', '192M')]});
		expectRejected(size, at(size, 'size: 192M'), ['check_hotplug_memory_range()', 'use size: 128M or 256M']);
	});

	test('the memory block size follows probe_memory_block_size(): 2 GiB on bare metal with 96 GiB from v5.8', () => {
		const entries = [...boot('0', '96G'), ...hotplug('0x18_4000_0000', '1G')];
		const bare = yaml({entries});
		expectRejected(bare, at(bare, 'start: 0x18_4000_0000'), ['memory block size 2 GiB', 'bare metal', 'use start: 0x18_0000_0000 or 0x18_8000_0000']);
		// In a VM the block is the largest power of two <= 2 GiB dividing the end of boot memory (96 GiB: 2 GiB).
		const vm96 = yaml({config: ['hypervisor: true'], entries});
		expectRejected(vm96, at(vm96, 'start: 0x18_4000_0000'), ['memory block size 2 GiB', 'a VM']);
		// 97 GiB of boot memory in a VM: 1 GiB blocks, so the 1 GiB-aligned block is fine.
		const vm = parse(yaml({config: ['hypervisor: true'], entries: [...boot('0', '97G'), ...hotplug('0x18_4000_0000', '1G')]}));
		expect(vm.config.memory_block_size).toBe(2 ** 30);
		// Before v5.8 (v5.7) bare metal used the alignment loop too.
		expect(parse(yaml({kernel: '5.7', entries: [...boot('0', '97G'), ...hotplug('0x18_4000_0000', '1G')]})).config.memory_block_size).toBe(2 ** 30);
	});

	test('overlapping boot memory or a device: register_memory_resource()', () => {
		const ram = yaml({entries: [...BOOT, ...hotplug('0xf800_0000', '256M')]});
		expectRejected(ram, at(ram, 'start: 0xf800_0000'), ['overlaps memory[0] (boot@0x0)', 'register_memory_resource()', '-EEXIST']);
		const dev = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '1G'), ...hotplug('0x1_0000_0000', '128M')]});
		// Lines 8-11 the device, 12-14 the hotplug entry: its start value is line 13.
		expectRejected(dev, 't.yaml:13:12', ['overlaps memory[1] (fsdax@0x100000000)', 'owns']);
	});

	test('beyond 2^MAX_PHYSMEM_BITS: mhp_range_allowed()', () => {
		const text = yaml({entries: [...BOOT, ...hotplug('0x4000_0000_0000', '128M')]});
		expectRejected(text, at(text, 'start: 0x4000_0000_0000'), ['mhp_range_allowed()', 'check_hotplug_memory_addressable()']);
	});

	test('hotplug availability by arch and version', () => {
		const riscv = yaml({arch: 'riscv64', kernel: '6.1', entries: [...BOOT, ...hotplug('0x1_0000_0000', '128M')]});
		expectRejected(riscv, at(riscv, 'kind: hotplug'), ['cannot run on riscv64 at v6.1', 'ARCH_ENABLE_MEMORY_HOTPLUG only from v6.11']);
		expect(parse(riscv, {kernel: '6.12'}).memory).toHaveLength(2);
		const offlined = yaml({arch: 'arm64-4k', kernel: '5.4', entries: [...BOOT, ...hotplug('0x1_0000_0000', '1G', ['    state: offlined'])]});
		expectRejected(offlined, at(offlined, 'state: offlined'), ['state: offlined cannot run on arm64-4k at v5.4', 'CONFIG_MEMORY_HOTREMOVE', 'v5.7']);
		expect(parse(offlined, {kernel: '5.7'}).memory[1]).toMatchObject({state: 'offlined'});
	});
});

describe('ZONE_DEVICE (memremap_pages)', () => {
	test('not subsection aligned from v5.3: check_pfn_span()', () => {
		const text = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0010_0000', '1G')]});
		expectRejected(text, at(text, 'start: 0x1_0010_0000'), ['not subsection aligned', 'check_pfn_span()', '2 MiB subsection', 'use start: 0x1_0000_0000 or 0x1_0020_0000']);
	});

	test('--kernel changes the alignment rule: section aligned before v5.3', () => {
		// 0x1_0400_0000 is 2 MiB aligned but 64 MiB into a 128 MiB section.
		const text = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0400_0000', '1G')]});
		expect(parse(text).memory[1]!.start).toBe(0x1_0400_0000);
		const error = expectRejected(text, at(text, 'start: 0x1_0400_0000'), ['not section aligned', 'at v5.2 (from --kernel)', '128 MiB sections', 'use start: 0x1_0000_0000 or 0x1_0800_0000'], {kernel: '5.2'});
		expect(error.message).toContain('devm_memremap_pages()');
	});

	test('without SPARSEMEM_VMEMMAP there is no ZONE_DEVICE', () => {
		const text = yaml({config: ['vmemmap: false'], entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '1G')]});
		expectRejected(text, at(text, 'kind: device'), ['needs ZONE_DEVICE', 'depends on SPARSEMEM_VMEMMAP']);
	});

	test('ZONE_DEVICE on s390x, on arm64 before v5.7 and on riscv64 before v6.11', () => {
		const s390 = yaml({arch: 's390x', entries: [...boot('0', '4G'), ...device('fsdax', '0x1_0000_0000', '1G')]});
		expectRejected(s390, at(s390, 'kind: device'), ['s390x has no ZONE_DEVICE']);
		const arm = yaml({arch: 'arm64-4k', kernel: '5.6', entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '1G')]});
		expectRejected(arm, at(arm, 'kind: device'), ['arm64 has ZONE_DEVICE from v5.7']);
		expect(parse(arm, {kernel: '5.7'}).memory[1]!.kind).toBe('device');
		const riscv = yaml({arch: 'riscv64', kernel: '6.10', entries: [...BOOT, ...device('devdax', '0x1_0000_0000', '1G')]});
		expectRejected(riscv, at(riscv, 'kind: device'), ['riscv64 has ZONE_DEVICE from v6.11']);
		expect(parse(riscv, {kernel: '6.11'}).memory[1]!.kind).toBe('device');
	});

	test('device types that do not exist yet at the selected version', () => {
		const cases: Array<[string, string, string, string]> = [
			['coherent', '5.19', '6.0', 'MEMORY_DEVICE_COHERENT does not exist before v6.0'],
			['generic', '5.9', '5.10', 'MEMORY_DEVICE_GENERIC does not exist before v5.10'],
			['p2pdma', '4.19', '4.20', 'MEMORY_DEVICE_PCI_P2PDMA does not exist before v4.20'],
			['private', '4.13', '4.14', 'MEMORY_DEVICE_PRIVATE does not exist before v4.14'],
		];
		for (const [type, missing, present, message] of cases) {
			const text = yaml({kernel: missing, entries: [...BOOT, ...device(type, '0x1_0000_0000', '1G')]});
			expectRejected(text, at(text, `type: ${type}`), [message]);
			expect(parse(text, {kernel: present}).memory[1]).toMatchObject({type});
		}
	});

	test('a device intersecting System RAM: region_intersects()', () => {
		const boot2 = yaml({entries: [...BOOT, ...device('fsdax', '0xfe00_0000', '1G')]});
		expectRejected(boot2, at(boot2, 'start: 0xfe00_0000'), ['overlaps memory[0] (boot@0x0) at [0xfe00_0000, 0x1_0000_0000)', 'region_intersects(IORESOURCE_SYSTEM_RAM)', '-ENXIO']);
		const hot = yaml({entries: [...BOOT, ...hotplug('0x1_0000_0000', '1G'), ...device('devdax', '0x1_3fe0_0000', '4M')]});
		expectRejected(hot, at(hot, 'start: 0x1_3fe0_0000'), ['overlaps memory[1] (hotplug@0x100000000)', 'region_intersects']);
	});

	test('a device over another pgmap: get_dev_pagemap() conflict or -EEXIST from fill_subsection_map()', () => {
		const endpoint = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '1G'), ...device('devdax', '0x1_3fe0_0000', '4M')]});
		expectRejected(endpoint, at(endpoint, 'start: 0x1_3fe0_0000'), ['overlaps memory[1] (fsdax@0x100000000)', 'Conflicting mapping in same section', '-ENOMEM']);
		const inside = yaml({entries: [...BOOT, ...device('devdax', '0x1_0020_0000', '2M'), ...device('fsdax', '0x1_0000_0000', '1G')]});
		expectRejected(inside, at(inside, 'start: 0x1_0000_0000'), ['fill_subsection_map()', '-EEXIST at v6.12', 'never share a subsection']);
		const old = yaml({kernel: '5.2', entries: [...BOOT, ...device('devdax', '0x1_0800_0000', '128M'), ...device('fsdax', '0x1_0000_0000', '1G')]});
		expectRejected(old, at(old, 'start: 0x1_0000_0000'), ['-EEXIST at v5.2', 'before v5.3 a pgmap owns whole sections']);
	});

	test('a device beyond 2^MAX_PHYSMEM_BITS: mhp_range_allowed(need_mapping = true)', () => {
		const text = yaml({entries: [...BOOT, ...device('p2pdma', '0x3fff_c000_0000', '2G')]});
		expectRejected(text, at(text, 'size: 2G'), ['mhp_range_allowed(need_mapping = true)']);
	});
});

describe('vmem_altmap', () => {
	test('reserve + free larger than the range: __add_pages() "invalid altmap"', () => {
		const text = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '128M', ['    altmap:', '      reserve: 8K', '      free: 128M'])]});
		expectRejected(text, at(text, 'free: 128M'), ['reserve + free = 32770 pages is larger than the 32768-page range', '__add_pages()', 'invalid altmap', '-EINVAL']);
	});

	test('reserve and free are whole pages', () => {
		const text = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '128M', ['    altmap:', '      reserve: 6K'])]});
		expectRejected(text, at(text, 'reserve: 6K'), ['memory[1].altmap.reserve 6K is not a whole number of pages', 'use 8K']);
	});

	test('free: auto on a range too small for the nvdimm layout', () => {
		const text = yaml({entries: [...BOOT, ...device('fsdax', '0x1_0000_0000', '2M', ['    altmap:', '      free: auto'])]});
		expectRejected(text, at(text, 'free: auto'), ['nd_pfn_init()', 'unable to satisfy requested alignment']);
	});
});

describe('JSON topologies get the same rules and positions', () => {
	const json = (device: string) => [
		'{',
		'  "name": "j", "arch": "x86_64", "kernel": "6.12",',
		'  "memory": [',
		'    {"kind": "boot", "start": 0, "size": "4G"},',
		`    ${device}`,
		'  ]',
		'}',
	].join('\n');

	test('check_pfn_span() at the JSON value', () => {
		const text = json('{"kind": "device", "type": "fsdax", "start": "0x1_0010_0000", "size": "1G"}');
		expectRejected(text, 't.json:5:50', ['not subsection aligned', 'check_pfn_span()'], {}, 't.json');
	});

	test('region_intersects() at the JSON value, with a JSON number', () => {
		const text = json('{"kind": "device", "type": "devdax", "start": 4227858432, "size": "1G"}');
		expectRejected(text, 't.json:5:51', ['region_intersects(IORESOURCE_SYSTEM_RAM)'], {}, 't.json');
	});

	test('--kernel 5.2 turns the subsection rule into the section rule for JSON too', () => {
		const text = json('{"kind": "device", "type": "fsdax", "start": "0x1_0400_0000", "size": "1G"}');
		expect(parse(text, {}, 't.json').memory[1]!.start).toBe(0x1_0400_0000);
		expectRejected(text, 't.json:5:50', ['not section aligned', 'v5.2 (from --kernel)'], {kernel: '5.2'}, 't.json');
	});
});

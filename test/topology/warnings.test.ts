/**
Warnings: what the kernel accepts but a reviewer would want pointed out, each at a position.
*/
import {describe, expect, test} from 'vitest';
import {requestFreeMemRegion} from '../../source/topology/warnings.js';
import {boot, expectRejected, parse, yaml} from './helpers.js';

function messages(text: string, kernel?: string): string[] {
	return parse(text, kernel ? {kernel} : {}).warnings.map(warning => warning.message);
}

describe('section collision with boot memory', () => {
	// A test that places the legacy pmem range of samples/iomem-pmem-section-collision-subsection-excerpt.txt
	// (Dan Williams, subsection hotplug v10) between two boot ranges.
	//
	//   |   boot RAM   |  Persistent Memory (legacy)  |##| boot RAM ...
	//   0x1_0000_0000  0x2_0000_0000      0x3_0000_0000  0x3_0400_0000       0x4_4000_0000
	//                                     |<- section 0x60 ->|
	//
	// Expect one warning: the device shares section 0x60 with boot RAM (from v5.3), and a
	// rejection at v5.2, where the pgmap must own whole sections.
	const text = yaml({
		entries: [
			...boot('0x1_0000_0000', '4G'),
			...boot('0x3_0400_0000', '0x1_3c00_0000'),
			'  - kind: device',
			'    type: fsdax',
			'    start: 0x2_0000_0000',
			'    end: 0x3_0400_0000',
		],
	});

	test('from v5.3 the collision is accepted with a warning that explains v5.12', () => {
		const t = parse(text);
		expect(t.warnings).toHaveLength(1);
		const [warning] = t.warnings;
		expect(warning!.pos).toEqual({line: 11, column: 5});
		expect(warning!.file).toBe('t.yaml');
		expect(warning!.message).toContain('shares section 0x60 [0x3_0000_0000, 0x3_0800_0000) with boot memory');
		expect(warning!.message).toContain('up to v5.11 pfn_to_online_page() returns this device');
		expect(warning!.message).toContain('from v5.12 SECTION_TAINT_ZONE_DEVICE');
	});

	test('before v5.3 the same layout is rejected (whole sections)', () => {
		const error = expectRejected(text, 't.yaml:14:10', ['not section aligned', 'at v5.2 (from --kernel)'], {kernel: '5.2'});
		// 0x3_0800_0000 would overlap the boot RAM at 0x3_0400_0000: only the lower boundary is suggested.
		expect(error.message).toMatch(/use end: 0x3_0000_0000$/);
	});

	test('a device inside a hole of an early section also collides', () => {
		// Boot RAM ends 64 MiB into section 1; the device takes the next 32 MiB of that section.
		const hole = yaml({entries: [...boot('0', '0xc00_0000'), '  - kind: device', '    type: devdax', '    start: 0xc00_0000', '    size: 32M']});
		const found = messages(hole);
		expect(found).toHaveLength(1);
		expect(found[0]).toContain('shares section 0x1 [0x800_0000, 0x1000_0000) with boot memory');
	});
});

describe('partial sections of a device', () => {
	test('a device starting and ending mid-section, with nothing else there, warns for both sections', () => {
		// A test that places a devdax range 64 MiB into section 0x21 and ending 64 MiB into 0x22.
		//
		//   | section 0x21          | section 0x22          |
		//   0x1_0800_0000  0x1_0c00_0000          0x1_1400_0000  0x1_1800_0000
		//                  |<------ devdax ------->|
		//
		// Expect two warnings: the rest of each section has no memmap from v5.3 (case 3).
		const text = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: devdax', '    start: 0x1_0c00_0000', '    end: 0x1_1400_0000']});
		const found = messages(text);
		expect(found).toHaveLength(2);
		expect(found[0]).toContain('covers only part of section 0x21 [0x1_0800_0000, 0x1_1000_0000)');
		expect(found[1]).toContain('covers only part of section 0x22 [0x1_1000_0000, 0x1_1800_0000)');
		expect(found[0]).toContain("David Hildenbrand's case 3");
	});

	test('a section-aligned device does not warn', () => {
		expect(messages(yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: fsdax', '    start: 0x1_0000_0000', '    size: 1G']}))).toEqual([]);
	});

	test('two devices filling one section share it: one warning at the later device, no partial-section warning', () => {
		const text = yaml({
			entries: [
				...boot('0', '4G'),
				'  - kind: device', '    type: fsdax', '    start: 0x1_0000_0000', '    size: 64M',
				'  - kind: device', '    type: devdax', '    start: 0x1_0400_0000', '    size: 64M',
			],
		});
		const t = parse(text);
		expect(t.warnings).toHaveLength(1);
		expect(t.warnings[0]!.pos).toEqual({line: 12, column: 5});
		expect(t.warnings[0]!.message).toContain('memory[2] (devdax@0x104000000) shares section 0x20');
		expect(t.warnings[0]!.message).toContain('with memory[1] (fsdax@0x100000000): two pgmaps in one section');
	});
});

describe('device-private memory', () => {
	test('request_free_mem_region() takes the topmost free section-aligned range', () => {
		const t = parse(yaml({entries: boot('0', '4G')}));
		const ctx = {geometry: {PAGES_PER_SECTION: 32_768, PAGE_SIZE: 4096, MAX_PHYSMEM_BITS: 46}} as never;
		expect(requestFreeMemRegion(ctx, 2 ** 30, t.memory)).toBe(2 ** 46 - 2 ** 30);
		// The size is rounded up to a section: 100 MiB takes 128 MiB.
		expect(requestFreeMemRegion(ctx, 100 * 2 ** 20, t.memory)).toBe(2 ** 46 - 2 ** 27);
		// Below an entry that already sits at the top.
		const taken = [{start: 2 ** 46 - 2 ** 30, end: 2 ** 46}];
		expect(requestFreeMemRegion(ctx, 2 ** 30, taken)).toBe(2 ** 46 - 2 ** 31);
	});

	test('device-private at the top of the address space does not warn; elsewhere it does', () => {
		const top = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: private', '    start: 0x3fff_c000_0000', '    size: 1G']});
		expect(messages(top)).toEqual([]);
		const low = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: private', '    start: 0x1_0000_0000', '    size: 1G']});
		const t = parse(low);
		expect(t.warnings).toHaveLength(1);
		expect(t.warnings[0]!.pos).toEqual({line: 10, column: 12});
		expect(t.warnings[0]!.message).toContain('request_free_mem_region()');
		expect(t.warnings[0]!.message).toContain('it would be at 0x3fff_c000_0000');
	});

	test('an altmap on device-private memory warns (HMM v13 review, Nov 2016)', () => {
		const text = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: private', '    start: 0x3fff_c000_0000', '    size: 1G', '    altmap: {}']});
		const t = parse(text);
		expect(t.warnings).toHaveLength(1);
		expect(t.warnings[0]!.pos).toEqual({line: 12, column: 13});
		expect(t.warnings[0]!.message).toContain('CPU cannot access');
		expect(t.warnings[0]!.message).toContain('"[HMM v13 02/18] mm/ZONE_DEVICE/unaddressable", 22 Nov 2016');
	});
});

describe('altmap warnings', () => {
	test('an altmap that leaves no data pages, and one too small to hold the memmap', () => {
		const full = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: fsdax', '    start: 0x1_0000_0000', '    size: 128M', '    altmap:', '      reserve: 64M', '      free: 64M']});
		expect(messages(full)[0]).toContain('no data pages');
		const small = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: fsdax', '    start: 0x1_0000_0000', '    size: 1G', '    altmap:', '      free: 1M']});
		const found = messages(small);
		expect(found).toHaveLength(1);
		expect(found[0]).toContain('free (256 pages) is smaller than the memmap of the range (4096 pages');
		expect(found[0]).toContain('vmemmap_populate_hugepages()');
	});

	test('an altmap on p2pdma memory warns that no in-tree driver does that', () => {
		const text = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: p2pdma', '    start: 0x1_0000_0000', '    size: 1G', '    altmap: {}']});
		expect(messages(text)[0]).toContain('no in-tree p2pdma driver supplies a vmem_altmap');
	});
});

test('warnings come sorted by position', () => {
	const text = yaml({
		entries: [
			...boot('0', '4G'),
			'  - kind: device', '    type: devdax', '    start: 0x1_0c00_0000', '    size: 32M',
			'  - kind: device', '    type: private', '    start: 0x2_0000_0000', '    size: 1G', '    altmap: {}',
		],
	});
	const lines = parse(text).warnings.map(warning => warning.pos.line);
	expect(lines).toEqual([...lines].sort((a, b) => a - b));
	expect(lines.length).toBeGreaterThanOrEqual(3);
});

describe('config.dma_limit', () => {
	// A test of arm64's firmware DMA limit (source/model/zones.ts), given where it does nothing.
	// Expect on arm64 at v6.12 no warning and the value kept; on x86_64 a warning at the key that
	// says it only sizes arm64's ZONE_DMA; on arm64 at v5.10 a warning that it is read from v5.11;
	// 0 rejected at the value.
	const arm64 = (kernel: string) => yaml({arch: 'arm64-4k', kernel, config: ['dma_limit: 0x3fffffff'], entries: boot('0x4000_0000', '2G')});
	test('is read on arm64 from v5.11 and warned about elsewhere', () => {
		const t = parse(arm64('6.12'));
		expect(t.warnings).toEqual([]);
		expect(t.config.dma_limit).toBe(0x3fff_ffff);
		expect(messages(arm64('5.10'))).toEqual([expect.stringMatching(/^config\.dma_limit has no effect before v5\.11/)]);
		const x86 = parse(yaml({config: ['dma_limit: 0x3fffffff'], entries: boot('0', '2G')}));
		expect(x86.warnings.map(w => [w.pos, w.message])).toEqual([[{line: 5, column: 14}, expect.stringMatching(/^config\.dma_limit only sizes arm64's ZONE_DMA .* no effect on x86_64$/)]]);
		expectRejected(yaml({arch: 'arm64-4k', config: ['dma_limit: 0'], entries: boot('0x4000_0000', '2G')}), 't.yaml:5:14', ['config.dma_limit', 'must be the highest address DMA reaches, above 0']);
	});
});

describe('config.vmemmap: false on arm64', () => {
	// A test of a topology that turns SPARSEMEM_VMEMMAP off on arm64, which arch/arm64/Kconfig selects
	// (read in 6.1 and 6.12; the commit's release is unconfirmed, v5.14 at the earliest).
	// Expect at v6.12 a warning at the key that says the kernel cannot be built so; at v5.15 one
	// that says it may not be; at v5.10 and on x86_64 at v6.12 (where it is a choice) none.
	const arm64 = (kernel: string) => yaml({arch: 'arm64-4k', kernel, config: ['vmemmap: false'], entries: boot('0x4000_0000', '2G')});
	test('is warned about where arm64 forces SPARSEMEM_VMEMMAP', () => {
		const at612 = parse(arm64('6.12'));
		expect(at612.warnings.map(w => [w.pos, w.message])).toEqual([[{line: 5, column: 12}, expect.stringMatching(/^config\.vmemmap: false: arch\/arm64\/Kconfig selects SPARSEMEM_VMEMMAP .*cannot be built without it; the model replays classic SPARSEMEM as asked$/)]]);
		expect(messages(arm64('5.15'))).toEqual([expect.stringMatching(/may not be buildable without it \(the commit's release is not confirmed: v5\.14 at the earliest, in place by v6\.1\)/)]);
		expect(messages(arm64('5.10'))).toEqual([]);
		expect(messages(yaml({kernel: '6.12', config: ['vmemmap: false'], entries: boot('0', '2G')}))).toEqual([]);
	});
});

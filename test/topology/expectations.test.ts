/**
The shipped topologies hold what they claim: each loads at the kernel versions it claims (and is
rejected where its description says the kernel refused the layout), and its model holds the
categories its description names, in the places it names, on both sides of the version changes
it points at. One describe per topology file.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {type CategoryId} from '../../source/model/categories.js';
import {buildModel} from '../../source/model/build.js';
import type {Model, PfnState} from '../../source/model/types.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile, parseTopology} from '../../source/topology/load.js';
import {readFileSync} from 'node:fs';

const file = (name: string) => path.join(TOPOLOGIES_DIR, `${name}.yaml`);

function model(name: string, kernel?: string): Model {
	return buildModel(loadTopologyFile(file(name), kernel === undefined ? {} : {kernel}));
}

function at(m: Model, pfn: number): PfnState {
	return m.runAt(pfn).state;
}

function categories(m: Model): Set<CategoryId> {
	return new Set(m.runs.map(run => run.state.category));
}

/** Every pfn of [start, end) has `category` (the runs covering it all do). */
function expectRegion(m: Model, start: number, end: number, category: CategoryId): void {
	for (let pfn = start; pfn < end; pfn = m.runAt(pfn).end) {
		expect(at(m, pfn).category, `pfn 0x${pfn.toString(16)}`).toBe(category);
	}
}

function expectLoads(name: string, kernels: readonly string[]): void {
	for (const kernel of kernels) {
		expect(loadTopologyFile(file(name), {kernel}).kernel, `${name} at v${kernel}`).toBe(kernel);
	}
}

function expectRejected(name: string, kernel: string, rule: RegExp): void {
	expect(() => loadTopologyFile(file(name), {kernel})).toThrow(rule);
}

describe('showcase (arm64-4k, v5.15, arm64-pfn-valid-v2)', () => {
	// |bank0|NOMAP|bank0 | bank1 |hole|devdax| C1 | C5|meta|C2 | C4 |C3|devdax|C3| teardown | bank2 | ... oob
	// 0x40000 0x40200 0x40400 ... 0x13c200 0x13e000 0x140000 0x200000 ... 0x800000 0x900000   2^36
	it('loads at v5.12-v6.18 and holds every SPEC §5 id where its description puts it', () => {
		expectLoads('showcase', ['5.12', '5.15', '5.16', '6.18']);
		expectRejected('showcase', '5.11', /block|section/);
		const m = model('showcase');
		expect(m.kernel.label).toBe('5.15');
		expect(m.patches).toEqual(['arm64-pfn-valid-v2']);
		expect(categories(m)).toEqual(new Set(['ok', 'C1', 'C2', 'C3', 'C4', 'C5', 'metadata', 'hole', 'nomap', 'teardown', 'unbacked', 'oob']));
		expect(at(m, 0x4_0200)).toMatchObject({category: 'nomap', uninitialized: false, predicates: {pfn_valid: true}});
		expect(at(m, 0x13_c200)).toMatchObject({category: 'hole', uninitialized: true, predicates: {pfn_valid: false}});
		expect(at(m, 0x13_e000)).toMatchObject({category: 'C2', section: {early: true, online: true, taint_zone_device: true}});
		expectRegion(m, 0x20_0000, 0x26_0000, 'C1');
		expect(at(m, 0x30_0000).category).toBe('C5');
		expect(at(m, 0x30_0002).category).toBe('metadata');
		expectRegion(m, 0x40_0000, 0x44_0000, 'C4');
		expectRegion(m, 0x50_0000, 0x50_4000, 'C3');
		expectRegion(m, 0x50_7e00, 0x50_8000, 'C3');
		expectRegion(m, 0x60_0000, 0x64_0000, 'teardown');
		expect(m.max_pfn).toBe(0x90_0000);
		expect(at(m, 0xf_ffff_c000).category).toBe('C2');
		expect(at(m, 2 ** 36).category).toBe('oob');
	});
});

describe('x86-qemu-holes (x86_64, v5.5)', () => {
	//   |hole| RAM |hole| RAM ... |hole|  PCI hole (absent)  | RAM above 4 GiB |tail of 0x2b|
	//   0x0 0x1  0x9f 0x100    0x7ffdc 0x80000         0x100000          0x15ac00      0x160000
	it('holds ok, hole and unbacked, with an uninitialized tail of section 0x2b at v5.5 only', () => {
		expectLoads('x86-qemu-holes', ['4.13', '5.5', '5.6', '6.18']);
		const m = model('x86-qemu-holes');
		expect(categories(m)).toEqual(new Set(['ok', 'hole', 'unbacked']));
		expectRegion(m, 0x15_ac00, 0x16_0000, 'hole');
		expectRegion(m, 0x8_0000, 0x10_0000, 'unbacked');
		expect(at(m, 0x15_ae00).uninitialized).toBe(true);
		expect(at(m, 0x9f)).toMatchObject({uninitialized: false, memmap: {reserved: false}});
		expect(at(m, 0x9f).memmap.writer).toContain('memmap_init_zone()');
	});

	// The hole at the end of DMA32 (0x7ffdc..0x80000): 0740a50b9baa (v5.12) initializes each zone's
	// tail with that zone; 122e093c1734 (v5.14) gives a hole the zone of the range that follows it.
	it('initializes the tail at v5.6, the in-span holes as PageReserved at v5.8, by zone at v5.12 and by the next range at v5.14', () => {
		expect(at(model('x86-qemu-holes', '5.6'), 0x15_ae00).memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: true});
		expect(at(model('x86-qemu-holes', '5.6'), 0x9f).memmap.reserved).toBe(false);
		expect(at(model('x86-qemu-holes', '5.8'), 0x9f).memmap).toMatchObject({zone: 'DMA', reserved: true});
		const v512 = model('x86-qemu-holes', '5.12');
		expect(at(v512, 0x7_ffdc).memmap).toMatchObject({zone: 'DMA32', reserved: true});
		expect(at(model('x86-qemu-holes', '5.14'), 0x7_ffdc).memmap).toMatchObject({zone: 'Normal', reserved: true});
		expect(at(v512, 0x15_ae00).predicates.pfn_to_online_page).toBe(false);
		expect(at(model('x86-qemu-holes', '5.11'), 0x15_ae00).predicates.pfn_to_online_page).toBe(true);
	});
});

describe('x86-vm-hotplug (x86_64, v6.18)', () => {
	//   | boot RAM ... | offline (C1) | offlined (C1) | online_movable (ok) |
	//   0x100000   0x640000       0x680000        0x6a0000              0x6c0000
	it('holds C1 in the offline and the offlined block; the offlined one poisoned from v5.5, stale before', () => {
		const m = model('x86-vm-hotplug');
		expect(loadTopologyFile(file('x86-vm-hotplug')).config.memory_block_size).toBe(2 ** 27);
		expectRegion(m, 0x64_0000, 0x6a_0000, 'C1');
		expect(at(m, 0x64_0000).memmap.content).toBe('poison');
		expect(at(m, 0x6a_0000)).toMatchObject({category: 'ok', memmap: {zone: 'Movable'}});
		expect(at(model('x86-vm-hotplug', '5.4'), 0x68_0000).memmap.content).toBe('stale');
		expect(at(model('x86-vm-hotplug', '5.5'), 0x68_0000).memmap.content).toBe('poison');
		expect(at(model('x86-vm-hotplug', '4.13'), 0x64_0000).category).toBe('C1');
	});
});

describe('arm64-ram-at-1tib (arm64-4k, v6.12)', () => {
	//   | absent ... | boot RAM (blocks 8192-8316) | gap (2 absent sections) | block 8319 | C1 | C1 |
	//   0x0     0x10000000                    0x103e8000              0x103f8000   0x10400000  0x10460000
	it('holds unbacked in the two-block gap and C1 in the hot-added blocks; loads from v5.12', () => {
		expectLoads('arm64-ram-at-1tib', ['5.12', '5.16', '6.12']);
		expectRejected('arm64-ram-at-1tib', '5.11', /block|section/);
		const m = model('arm64-ram-at-1tib');
		expectRegion(m, 0x103e_8000, 0x103f_8000, 'unbacked');
		expect(at(m, 0x103e_8000).section.present).toBe(false);
		expectRegion(m, 0x1040_0000, 0x1046_0000, 'C1');
		expect(at(m, 0x1040_0000).predicates.pfn_valid).toBe(true);
		expect(at(m, 0x1000_0000).category).toBe('ok');
	});
});

describe('pmem-fsdax-devdax (x86_64, v6.12)', () => {
	//   | fsdax (C2) ... | C5 | metadata | devdax data (C2) | C3 |
	//   0x140000   0x23fe00 0x23fe02  0x243e00         0x33fc00 0x340000
	//              |<-- section 0x47 shared -->|
	it('holds C2, C5, metadata and C3 in section 0x67; rejected before v5.3', () => {
		expectLoads('pmem-fsdax-devdax', ['5.3', '6.12']);
		expectRejected('pmem-fsdax-devdax', '5.2', /section/);
		const m = model('pmem-fsdax-devdax');
		expect(at(m, 0x23_fdff)).toMatchObject({category: 'C2', pgmap: 0});
		expect(at(m, 0x23_fe00)).toMatchObject({category: 'C5', pgmap: 1});
		expect(at(m, 0x23_fe02).category).toBe('metadata');
		expect(at(m, 0x24_3e00).category).toBe('C2');
		expectRegion(m, 0x33_fc00, 0x34_0000, 'C3');
		expect(at(m, 0x33_fc00).predicates.pfn_valid).toBe(false);
		expect(at(model('pmem-fsdax-devdax', '5.11'), 0x24_3e00).predicates.pgmap_pfn_valid).toBe(false);
		expect(at(m, 0x24_3e00).predicates.pgmap_pfn_valid).toBe(true);
	});
});

describe('pmem-partial-sections (x86_64, v6.12)', () => {
	//   | C3 (section 0x47) | C5 | metadata | data (C2) | C3 (section 0x67) |
	//   0x238000       0x23fe00 0x23fe02  0x243e00   0x33fc00             0x340000
	it('holds C3 at both ends; rejected before v5.3', () => {
		expectLoads('pmem-partial-sections', ['5.3', '6.12']);
		expectRejected('pmem-partial-sections', '5.2', /section/);
		const m = model('pmem-partial-sections');
		expectRegion(m, 0x23_8000, 0x23_fe00, 'C3');
		expectRegion(m, 0x33_fc00, 0x34_0000, 'C3');
		expect(at(m, 0x23_8000)).toMatchObject({section: {present: true, early: false}, subsection_valid: false, memmap: {content: 'unbacked'}});
	});
});

describe('pmem-section-collision (x86_64, v5.3)', () => {
	//   | legacy pmem (C2)      | pmem in 0x60 | boot RAM |  ...  | C5 | metadata | namespace2.0 (C2) |
	//   0x200000          0x300000      0x304000    0x440000  0x2400000 ...          0x247f200     0x43c0000
	it('holds C2 in online section 0x60, online through pfn_to_online_page() v5.3-v5.11 only', () => {
		expectLoads('pmem-section-collision', ['5.3', '5.11', '5.12', '6.18']);
		expectRejected('pmem-section-collision', '5.2', /section|System RAM/);
		for (const [kernel, online] of [['5.3', true], ['5.11', true], ['5.12', false]] as const) {
			const state = at(model('pmem-section-collision', kernel), 0x30_0000);
			expect(state).toMatchObject({category: 'C2', section: {online: true, early: true}});
			expect(state.predicates.pfn_to_online_page, `v${kernel}`).toBe(online);
		}

		const m = model('pmem-section-collision');
		expect(at(m, 0x240_0000).category).toBe('C5');
		expect(at(m, 0x240_0002).category).toBe('metadata');
	});
});

describe('pmem-legacy-kaslr-split (x86_64, v5.3)', () => {
	//   | namespace0.0 (C2) | boot RAM (kernel image) | hole (0x2b) | ... 
	//   0x100000       0x155e00                  0x15982c      0x160000
	it('holds C2 in section 0x2a, a hole in section 0x2b, and in-span e820 holes that are not reserved before v5.8', () => {
		expectLoads('pmem-legacy-kaslr-split', ['5.3', '6.12']);
		expectRejected('pmem-legacy-kaslr-split', '5.2', /section|System RAM/);
		const m = model('pmem-legacy-kaslr-split');
		expect(at(m, 0x15_0000)).toMatchObject({category: 'C2', section: {online: true}, predicates: {pfn_to_online_page: true}});
		expect(at(m, 0x15_9900).category).toBe('hole');
		expect(at(m, 0x5_a7a1)).toMatchObject({category: 'hole', memmap: {reserved: false}});
		expect(at(model('pmem-legacy-kaslr-split', '5.8'), 0x5_a7a1).memmap.reserved).toBe(true);
		expect(at(model('pmem-legacy-kaslr-split', '5.12'), 0x15_0000).predicates.pfn_to_online_page).toBe(false);
	});
});

describe('cxl-pmem-fsdax-map-dev (x86_64, v6.18)', () => {
	//   | ns0.0: C5 2 | metadata 1022 | C2 | ns0.1: C5 2 | metadata 1534 | C2 | ... ns1.0, ns1.1
	//   0xa90000 0xa90002      0xa90400   0xa98000 0xa98002      0xa98600
	it('holds C5, metadata and C2 in each namespace and no C3', () => {
		const m = model('cxl-pmem-fsdax-map-dev');
		expect(categories(m).has('C3')).toBe(false);
		const namespaces = [
			[0xa9_0000, 0x400],
			[0xa9_8000, 0x600],
			[0xab_0000, 0x600],
			[0xac_0000, 0x400],
		] as const;
		for (const [start, dataoff] of namespaces) {
			expectRegion(m, start, start + 2, 'C5');
			expectRegion(m, start + 2, start + dataoff, 'metadata');
			expect(at(m, start + dataoff).category).toBe('C2');
		}
	});
});

describe('hmm-device-private-coherent (x86_64, v6.1)', () => {
	//   | fsdax | coherent | fsdax | coherent | RAM ... | tail hole (0x89) | ... | private | private | 2^34
	//   0x100000 0x200000 0x240000 0x340000  0x380000 0x44eb00       0x450000   0x3fffe0000      0x400000000
	it('loads from v6.0 and holds private and coherent ZONE_DEVICE and a tail hole in section 0x89', () => {
		expectLoads('hmm-device-private-coherent', ['6.0', '6.1', '6.18']);
		expectRejected('hmm-device-private-coherent', '5.19', /coherent|6\.0/);
		const m = model('hmm-device-private-coherent');
		expect(m.pgmaps.map(p => p.type).sort()).toEqual(['coherent', 'coherent', 'fsdax', 'fsdax', 'private', 'private']);
		expect(at(m, 0x20_0000).category).toBe('C2');
		expect(at(m, 0x3_fffe_0000).category).toBe('C2');
		expect(m.pgmaps[at(m, 0x3_fffe_0000).pgmap!]!.type).toBe('private');
		expectRegion(m, 0x44_eb00, 0x45_0000, 'hole');
	});
});

describe('arm64-nomap (arm64-4k, v5.13)', () => {
	//   | NOMAP | hole | NOMAP | hole | NOMAP | hole | NOMAP | hole | RAM |NOMAP| RAM ...
	//   0x0  0x4000 0x7e00 0x7f00  0x8000 0xc000 0xc200 0x10000 0x11000 0x1c000 0x20000
	it('NOMAP: uninitialized before v5.8, initialized v5.8-v5.13, PageReserved and pfn_valid() from v5.14', () => {
		expectLoads('arm64-nomap', ['4.20', '5.13', '5.14', '5.16', '6.18']);
		expect(at(model('arm64-nomap', '5.7'), 0x0)).toMatchObject({category: 'nomap', uninitialized: true});
		expect(at(model('arm64-nomap', '4.20'), 0x0).uninitialized).toBe(true);
		const v513 = at(model('arm64-nomap'), 0x0);
		expect(v513).toMatchObject({category: 'nomap', uninitialized: false, memmap: {reserved: false}, predicates: {pfn_valid: false}});
		expect(at(model('arm64-nomap', '5.8'), 0x0).uninitialized).toBe(false);
		expect(at(model('arm64-nomap', '5.14'), 0x0)).toMatchObject({uninitialized: false, memmap: {reserved: true}, predicates: {pfn_valid: true}});
	});

	it('holes whose pageblock starts outside memblock stay uninitialized until v5.16', () => {
		expect(at(model('arm64-nomap', '5.15'), 0x4000)).toMatchObject({category: 'hole', uninitialized: true});
		expect(at(model('arm64-nomap', '5.16'), 0x4000)).toMatchObject({category: 'hole', uninitialized: false, memmap: {reserved: true}});
	});
});

describe('arm64-sparsemem-classic (arm64-4k, v5.10, no vmemmap)', () => {
	//   section 1 (0x40000-0x80000)                 section 34 (0x880000-0x8c0000) ... (0x900000-0x940000)
	//   | bank 0 |.| freed     |                    | kept     | bank 1 ...     | freed    |
	//   0x40000 0x7e900 0x7ea00 0x80000            0x880000 0x890000      0x910000  0x940000
	const freed = (m: Model, pfn: number) => at(m, pfn).memmap.writer.startsWith('free_unused_memmap()');
	it('free_unused_memmap() frees the holes\' memmap in whole pageblocks up to v5.15, not a section\'s leading hole', () => {
		expectLoads('arm64-sparsemem-classic', ['4.20', '5.10', '5.15', '5.16']);
		const v510 = model('arm64-sparsemem-classic');
		expect(freed(v510, 0x7_ea00) && freed(v510, 0x7_ffff) && freed(v510, 0x91_0000) && freed(v510, 0x93_ffff)).toBe(true);
		expect(freed(v510, 0x7_e900) || freed(v510, 0x88_0000) || freed(v510, 0x88_ffff)).toBe(false);
		expect(at(v510, 0x7_f000)).toMatchObject({category: 'hole', uninitialized: true, memmap: {content: 'garbage'}});
		expect(freed(model('arm64-sparsemem-classic', '5.16'), 0x7_ea00)).toBe(false);
	});
});

describe('cxl-dax-race (x86_64, v6.18)', () => {
	//   | boot RAM | ... | dax0.0, memremap_pages() stopped before memmap_init_zone_device() (C4) |
	//   0x100000 0x180000 0xa90000                                                          0xb90000
	it('holds C4: get_dev_pagemap() succeeds, pfn_valid() is true, the memmap is poisoned', () => {
		const m = model('cxl-dax-race');
		expectRegion(m, 0xa9_0000, 0xb9_0000, 'C4');
		expect(at(m, 0xa9_0000)).toMatchObject({memmap: {content: 'poison'}, predicates: {pfn_valid: true, get_dev_pagemap: 0, pfn_to_online_page: false}});
		expect(at(model('cxl-dax-race', '4.20'), 0xa9_0000).category).toBe('C4');
	});
});

describe('cxl-region-teardown (x86_64, v6.18)', () => {
	//   | dax1.0 in memunmap_pages() (teardown) | dax0.0 (C2) |
	//   0xa90000                           0xb90000       0xc90000
	it('holds teardown next to C2; the ref is dead, the pfns still in the xarray, pfn_valid() true', () => {
		const m = model('cxl-region-teardown');
		expectRegion(m, 0xa9_0000, 0xb9_0000, 'teardown');
		expectRegion(m, 0xb9_0000, 0xc9_0000, 'C2');
		const state = at(m, 0xa9_0000);
		expect(state).toMatchObject({memmap: {content: 'poison'}, predicates: {pfn_valid: true, get_dev_pagemap: null}});
		expect(m.pgmaps[state.pgmap!]).toMatchObject({ref: 'dead', in_xarray: true});
		// Section aligned, not online: pfn_to_online_page() is NULL here (no H12 window).
		expect(state.predicates.pfn_to_online_page).toBe(false);
	});
});

describe('x86-8node-srat-movable (x86_64, v4.20)', () => {
	//   | node 0 (e820 holes below 2 GiB) | ... | node 1 | absent ... | node 2 | ... | node 7 |
	//   0x1                         0x10000000  0x11000000          0x80000000 ...  0x1910000000
	it('loads with 2 GiB blocks; in-span holes are ordinary struct pages before v5.8, PageReserved from v5.8', () => {
		const t = loadTopologyFile(file('x86-8node-srat-movable'));
		expect(t.config.memory_block_size).toBe(2 ** 31);
		const m = model('x86-8node-srat-movable');
		expect(at(m, 0x4_1a2e)).toMatchObject({category: 'hole', uninitialized: false, memmap: {zone: 'DMA32', reserved: false}});
		expect(at(m, 0x4_1a2e).detail?.pfn_to_online_page_by).toBe('online_section() (macro form)');
		expect(at(model('x86-8node-srat-movable', '5.8'), 0x4_1a2e).memmap).toMatchObject({zone: 'DMA', reserved: true});
		expect(at(m, 0x2000_0000).category).toBe('unbacked');
		expect(m.nodes.map(n => n.nid)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});
});

describe('x86-64tib-5level (x86_64, v6.12)', () => {
	//   | 32 nodes of 2 TiB, one every 4 TiB ... | CXL expander, offline (C1) | ... | GPU private (C2) | 2^52
	it('needs 52 bits, stays ranges-only, holds C1 and device-private that raises max_pfn before v6.15', () => {
		expectRejected('x86-64tib-5level', '4.13', /5-level|52/);
		const m = model('x86-64tib-5level');
		expect(m.topology.config.max_physmem_bits).toBe(52);
		expect(m.geometry.NR_MEM_SECTIONS).toBe(2 ** 25);
		expect(m.runs.length).toBeLessThan(1000);
		expectRegion(m, 0x8_0000_0000, 0x8_0400_0000, 'C1');
		const privatePfn = 2 ** 40 - 1;
		expect(at(m, privatePfn).category).toBe('C2');
		// add_pages() raises max_pfn for the device-private range up to v6.14, not from v6.15.
		expect(m.max_pfn).toBe(2 ** 40);
		const v615 = model('x86-64tib-5level', '6.15');
		expect(v615.max_pfn).toBe(0x8_0400_0000);
		expect(buildModel(loadTopologyFile(file('x86-64tib-5level')), {knobs: {x86_add_pages_skips_pgmap: true}}).max_pfn).toBe(0x8_0400_0000);
	});
});

describe('s390x-standby (s390x, v6.12)', () => {
	//   | online storage | standby, never enabled (C1) | enabled then disabled (C1) | enabled |
	//   0x0        0x400000                         0x500000                     0x540000  0x580000
	it('holds C1 in the standby blocks and rejects a ZONE_DEVICE entry', () => {
		const m = model('s390x-standby');
		expectRegion(m, 0x40_0000, 0x54_0000, 'C1');
		expect(at(m, 0x54_0000).category).toBe('ok');
		const text = readFileSync(file('s390x-standby'), 'utf8') + '  - {kind: device, type: devdax, start: 0x100_0000_0000, size: 256M}\n';
		expect(() => parseTopology(text, 's390x-standby.yaml')).toThrow(/ZONE_DEVICE|s390/);
	});
});

describe('ppc64-pseries-lmb (ppc64-64k, v6.12)', () => {
	//   | boot RAM | LMBs online | LMBs offline (C1) | ... | C5 (64 KiB) | metadata | data (C2) |
	//   0x0    0x80000     0x84000             0x86000    0x4000000   0x4000001   0x4000200  0x4040000
	it('holds C1 in the offline LMBs and a one-page altmap reserve with 16 MiB-aligned data', () => {
		const t = loadTopologyFile(file('ppc64-pseries-lmb'));
		expect(t.config.memory_block_size).toBe(2 ** 28);
		const m = model('ppc64-pseries-lmb');
		expectRegion(m, 0x8_4000, 0x8_6000, 'C1');
		expectRegion(m, 0x400_0000, 0x400_0001, 'C5');
		expect(m.runAt(0x400_0000).end).toBe(0x400_0001);
		expect(at(m, 0x400_0001).category).toBe('metadata');
		const data = m.pgmaps[0]!.pfn_first!;
		expect(at(m, data).category).toBe('C2');
		expect((data * 2 ** 16) % 2 ** 24).toBe(0);
	});
});

describe('riscv64-virtio-mem (riscv64, v6.12)', () => {
	//   | RAM from 0x80200000 | offline (C1) | online_movable (ok) | ... | devdax (C2) |
	//   0x80200         0x400000       0x440000             0x480000   0x1000000  0x1080000
	it('loads from v6.11 and holds C1, an online_movable range and C2', () => {
		expectLoads('riscv64-virtio-mem', ['6.11', '6.18']);
		expectRejected('riscv64-virtio-mem', '6.10', /riscv|6\.11|hotplug/);
		const m = model('riscv64-virtio-mem');
		expectRegion(m, 0x40_0000, 0x44_0000, 'C1');
		expect(at(m, 0x44_0000)).toMatchObject({category: 'ok', memmap: {zone: 'Movable'}});
		expectRegion(m, 0x100_0000, 0x108_0000, 'C2');
	});
});

/**
What an untouched struct page holds in the v4.13–v5.6 releases (the kernel-fact review's findings
2–5, 14): the zeroed boot memmap before v4.15, the zeroed and PageReserved hot-added memmap before
v4.17, the hole zeroing of v4.20 (x86 from v4.18), and arm64's zone index 0.
*/
import {describe, expect, it} from 'vitest';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

describe('the boot memmap before memmap_init()', () => {
	// A test of the tail of the last boot section, above max_pfn and outside every zone span, on x86.
	//
	//   | RAM 0 - 1 GiB + 4 MiB | tail (never initialized by memmap_init) |
	//   0x0                 0x40400                                    0x48000
	//
	// Expect at v4.14 a zeroed page (zone 0 = DMA, node 0, no flags: allocated with __GFP_ZERO), at
	// v4.15 the raw allocation: 0xff with CONFIG_DEBUG_VM, garbage without.
	it('is zeroed before v4.15 and raw from v4.15', () => {
		const t = topology({kernel: '4.14'}).boot(0, GiB + 4 * MiB).build();
		const tail = 0x4_4000;
		const zeroed = at(buildAt(t, '4.14'), tail).memmap;
		expect(zeroed).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: false});
		expect(zeroed.writer).toContain('f7f99100d8d9');
		expect(at(buildAt(t, '4.15'), tail).memmap.content).toBe('poison');
		expect(at(buildAt({...t, config: {...t.config, debug_vm: false}}, '4.15'), tail).memmap.content).toBe('garbage');
	});
});

describe('holes between nodes below max_pfn', () => {
	// A test of a gap between two nodes inside node 0's last section: outside every zone span (so
	// memmap_init_zone()'s zone-span loop does not reach it) and below max_pfn.
	//
	//   | node 0 RAM          | gap (section 8 tail) | ... | node 1 RAM 4-5 GiB |
	//   0x0               0x40400               0x48000  0x100000          0x140000
	//
	// Expect the gap zeroed by zero_resv_unavail() on x86 from v4.18 (124049decbb1: e820 non-RAM
	// regions in memblock.reserved) and on every arch from v4.20 (907ec5fca3dc); raw before.
	const gap = 0x4_4000;
	const layout = (arch: 'x86_64' | 'riscv64', kernel: string) =>
		topology({arch, kernel})
			.boot(0, GiB + 4 * MiB, {node: 0})
			.boot(4 * GiB, GiB, {node: 1})
			.build();

	it('zeroes x86 holes from v4.18 and every arch\'s from v4.20', () => {
		expect(at(buildAt(layout('x86_64', '4.17'), '4.17'), gap).memmap.content).toBe('poison');
		const x418 = at(buildAt(layout('x86_64', '4.18'), '4.18'), gap).memmap;
		expect(x418).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: false});
		expect(x418.writer).toContain('124049decbb1');
		expect(at(buildAt(layout('riscv64', '4.19'), '4.19'), gap).memmap.content).toBe('poison');
		const r420 = at(buildAt(layout('riscv64', '4.20'), '4.20'), gap).memmap;
		expect(r420).toMatchObject({content: 'init', zone: 'DMA32', nid: 0, reserved: false});
		expect(r420.writer).toContain('907ec5fca3dc');
		expect(at(buildAt(layout('x86_64', '4.20'), '4.20'), gap).memmap.writer).toContain('907ec5fca3dc');
	});
});

describe('hot-added memmap before v4.17', () => {
	// A test of add_memory() of one 128 MiB section on x86, left offline.
	//
	//   | boot RAM 0-4 GiB | ... | hotplug 8 GiB (offline) |
	//
	// Expect at v4.16 the section's memmap zeroed, node set and PageReserved by __add_section()
	// (zone index 0 = DMA); at v4.17 poisoned (d0dc12e86b31).
	it('is zeroed, node set and PageReserved before d0dc12e86b31', () => {
		const t = topology({kernel: '4.16'}).boot(0, 4 * GiB).hotplug(8 * GiB, 128 * MiB, 'offline', {node: 1}).build();
		const pfn = (8 * GiB) / 4096 + 7;
		const old = at(buildAt(t, '4.16'), pfn).memmap;
		expect(old).toMatchObject({content: 'stale', zone: 'DMA', nid: 1, reserved: true});
		expect(old.writer).toContain('__add_section()');
		expect(at(buildAt(t, '4.17'), pfn).memmap.content).toBe('poison');
	});

	// A test of devm_memremap_pages() of a section-aligned fsdax range at P3 (after
	// arch_add_memory(), before move_pfn_range_to_zone()).
	//
	//   | boot RAM 0-4 GiB | ... | fsdax 8 GiB - 8 GiB + 256 MiB |
	//
	// Expect at v4.16 the same zeroed, node set, PageReserved content (it goes through
	// __add_section() too), at v4.17 poison.
	it('applies to ZONE_DEVICE too (P3)', () => {
		const t = topology({kernel: '4.16'})
			.boot(0, 4 * GiB)
			.device('fsdax', 8 * GiB, 256 * MiB, {node: 0})
			.build();
		const pfn = (8 * GiB) / 4096 + 0x100;
		const p3 = at(buildAt(t, '4.16', {phase: 'memory[1]:P3'}), pfn);
		expect(p3.memmap).toMatchObject({content: 'stale', zone: 'DMA', nid: 0, reserved: true});
		expect(p3.category).toBe('C4');
		expect(at(buildAt(t, '4.17', {phase: 'memory[1]:P3'}), pfn).memmap.content).toBe('poison');
	});
});

describe('arm64 zone index 0', () => {
	// A test of an arm64-4k hole 1 MiB into a pageblock that starts in RAM (so the hole initializers
	// reach it with arm64's memblock-based pfn_valid()), below max_pfn.
	//
	//   | RAM 2 GiB - 3 GiB + 1 MiB | hole | RAM 3 GiB + 4 MiB - 4 GiB |
	//   pageblock [3 GiB, 3 GiB + 2 MiB): first pfn in RAM
	//
	// Expect the zone-0 page to read ZONE_DMA32 at v5.4 (zero_resv_unavail()) and ZONE_DMA at v5.6
	// (init_unavailable_mem(), PageReserved): arm64 has ZONE_DMA from v5.5 (1a8e1cef7603).
	it('is ZONE_DMA from v5.5', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.4'})
			.boot(2 * GiB, GiB + MiB)
			.boot(3 * GiB + 4 * MiB, GiB - 4 * MiB)
			.build();
		const hole = (3 * GiB + MiB) / 4096 + 1;
		expect(at(buildAt(t, '5.4'), hole).memmap).toMatchObject({content: 'init', zone: 'DMA32', nid: 0, reserved: false});
		expect(at(buildAt(t, '5.6'), hole).memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: true});
	});
});

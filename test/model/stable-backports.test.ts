/**
The model with stable backports applied (source/model/stable-patches.ts): each backport changes
the answer at a release before its mainline one exactly as the stable tree read does, and the
stable-* presets bring them along.
*/
import {describe, expect, it} from 'vitest';
import type {Topology} from '../../source/topology/types.js';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

function withPatches(t: Topology, patches: string[]): Topology {
	return {...t, patches};
}

describe('backport-a431dbbc5405 (__nr_to_section() root bound)', () => {
	// A test that asks the arm64 V2 what-if pfn_valid() for the first pfn past NR_MEM_SECTIONS at
	// v5.10 (arm64-4k, 1 GiB sections, 48-bit: NR_MEM_SECTIONS 1 << 18, 1024 roots).
	//
	//   | RAM 2-4 GiB | ...                          | section 1 << 18 (root 1024: past the array)
	//                                                pfn 1 << 36
	//
	// Expect an out-of-bounds read without the backport, none with it or with stable-5.10.262.
	it('stops the out-of-bounds mem_section read at v5.10', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.10', patches: ['arm64-pfn-valid-v2']}).boot(2 * GiB, 2 * GiB).build();
		expect(at(buildAt(t, '5.10'), 2 ** 36).category).toBe('oob');
		for (const extra of ['backport-a431dbbc5405', 'stable-5.10.262']) {
			const state = at(buildAt(withPatches(t, ['arm64-pfn-valid-v2', extra]), '5.10'), 2 ** 36);
			expect(state.predicates.pfn_valid_oob).toBe(false);
			expect(state.category).toBe('unbacked');
		}
	});

	// A test of classic SPARSEMEM (no VMEMMAP) on x86 at v5.10: pfn_to_page() of pfn 1 << 34 (section
	// 1 << 19 = NR_MEM_SECTIONS, root 2048 = NR_SECTION_ROOTS) reads past the root array without the
	// root bound. Expect `oob` without the backport, `unbacked` with it.
	it('also bounds the classic-SPARSEMEM pfn_to_page() lookup', () => {
		const t = topology({kernel: '5.10', config: {vmemmap: false}}).boot(0, 4 * GiB).build();
		expect(at(buildAt(t, '5.10'), 2 ** 34).category).toBe('oob');
		expect(at(buildAt(withPatches(t, ['backport-a431dbbc5405']), '5.10'), 2 ** 34).category).toBe('unbacked');
	});
});

describe('backport-0740a50b9baa and backport-122e093c1734 (hole initialization)', () => {
	// The layout of boot-holes.test.ts: two boot ranges on node 0, h1 a hole in the DMA32 span.
	//
	//   | RAM (DMA, DMA32) | h1: hole to end of section 8 | ... | RAM (Normal) | h2: tail |
	//   0x0           0x40400                         0x48000  0x100000   0x13fc00  0x140000
	//
	// Expect at v5.10: mainline init_unavailable_mem() (zone 0 = DMA, node 0); with 0740a50b9baa the
	// per-zone form (DMA32, the zone spanning h1); with 122e093c1734 or the 5.10.262 preset the zone
	// of the range above (Normal).
	const holes = topology({kernel: '5.10'})
		.boot(0, GiB + 4 * MiB)
		.boot(4 * GiB, GiB - 4 * MiB)
		.build();
	const h1 = 0x4_0400;

	it('gives h1 the zone of the 5.10 tree in use', () => {
		expect(at(buildAt(holes, '5.10'), h1).memmap).toMatchObject({zone: 'DMA', nid: 0, reserved: true});
		expect(at(buildAt(withPatches(holes, ['backport-0740a50b9baa']), '5.10'), h1).memmap).toMatchObject({zone: 'DMA32', nid: 0, reserved: true});
		for (const patches of [['backport-122e093c1734'], ['stable-5.10.262']]) {
			expect(at(buildAt(withPatches(holes, patches), '5.10'), h1).memmap).toMatchObject({zone: 'Normal', nid: 0, reserved: true});
		}
	});

	// A test with nodes in descending address order (the Dell T5500 layout of 122e093c1734):
	//
	//   | node 1 RAM                   | node 0 RAM                         |
	//   0x0                        0x44000 (mid-section 8)             0x80000
	//   section 8: [0x40000, 0x48000), early nid 1
	//
	// Expect at v5.12 (per-zone form) node 1's DMA32 tail [0x44000, 0x48000) initialized over node 0's
	// first pages: PageReserved, node 1. At v5.14, and at v5.10 with the 5.10.262 preset, node 0's
	// pages stay INIT(DMA32, node 0), not reserved.
	it('overwrites the next node\'s struct pages with the per-zone form only', () => {
		const t = topology({kernel: '5.12'})
			.boot(0, GiB + 64 * MiB, {node: 1})
			.boot(GiB + 64 * MiB, GiB - 64 * MiB, {node: 0})
			.build();
		const first = 0x4_4000;
		const broken = at(buildAt(t, '5.12'), first).memmap;
		expect(broken).toMatchObject({content: 'init', zone: 'DMA32', nid: 1, reserved: true});
		expect(broken.writer).toContain('per-zone form of 0740a50b9baa');
		expect(at(buildAt(t, '5.12'), 0x4_8000).memmap).toMatchObject({nid: 0, reserved: false});
		expect(at(buildAt(withPatches(t, ['backport-0740a50b9baa']), '5.10'), first).memmap).toMatchObject({nid: 1, reserved: true});
		for (const [kernel, patches] of [
			['5.14', []],
			['5.10', ['stable-5.10.262']],
			['5.12', ['backport-122e093c1734']],
		] as const) {
			expect(at(buildAt(withPatches(t, [...patches]), kernel), first).memmap, `${kernel} ${patches.join(',')}`).toMatchObject({
				content: 'init',
				zone: 'DMA32',
				nid: 0,
				reserved: false,
			});
		}
	});
});

describe('backport-34dc45be4563 (pgmap_pfn_valid())', () => {
	// A test of an fsdax namespace with an altmap at v5.10.
	//
	//   | boot RAM | ... | reserve | free (memmap) |      data       |
	//   0x0   0x100000  0x240000  0x240002    pfn_first        0x280000
	//
	// Expect pgmap_pfn_valid() false for every pfn without the backport (absent before v5.12), true
	// for data and false for the reserve with it.
	it('answers pgmap_pfn_valid() at v5.10 with the backport', () => {
		const t = topology({kernel: '5.10'})
			.boot(0, 4 * GiB)
			.device('fsdax', 0x2_4000_0000, GiB, {altmap: {reserve: 2, free: 'auto'}})
			.build();
		const mainline = buildAt(t, '5.10');
		const data = mainline.pgmaps[0]!.pfn_first!;
		expect(at(mainline, data).predicates.pgmap_pfn_valid).toBe(false);
		for (const patches of [['backport-34dc45be4563'], ['stable-5.10.262']]) {
			const model = buildAt(withPatches(t, patches), '5.10');
			expect(at(model, data).predicates.pgmap_pfn_valid).toBe(true);
			expect(at(model, 0x24_0000).predicates.pgmap_pfn_valid).toBe(false);
		}
	});
});

describe('backport-eeb0753ba27b and backport-3de360c3fdb3 (arm64 pfn_valid())', () => {
	// A test of a device-dax range on arm64-4k at v5.10 (1 GiB sections), outside memblock.
	//
	//   | RAM 2-4 GiB | ... | devdax 8-9 GiB (section 8, not early) |
	//
	// Expect pfn_valid() false without the backport (memblock_is_map_memory()), true with it
	// (pfn_section_valid() for non-early sections).
	it('makes ZONE_DEVICE pfn_valid on arm64 v5.10 with eeb0753ba27b', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.10'}).boot(2 * GiB, 2 * GiB).device('devdax', 8 * GiB, GiB).build();
		const pfn = (8 * GiB) / 4096 + 0x100;
		expect(at(buildAt(t, '5.10'), pfn).predicates.pfn_valid).toBe(false);
		for (const patches of [['backport-eeb0753ba27b'], ['stable-5.10.262']]) {
			expect(at(buildAt(withPatches(t, patches), '5.10'), pfn).predicates.pfn_valid).toBe(true);
		}
	});

	// A test of a hole at the end of an early section on arm64-4k at v5.15 (128 MiB sections).
	//
	//   | RAM 2 GiB .. 2 GiB + 960 MiB | hole (64 MiB) |
	//   0x80000                     0xbc000         0xc0000 (end of section 23)
	//
	// Expect pfn_valid() false with arm64's own pfn_valid() (memblock_is_memory()), true with the
	// generic one that 3de360c3fdb3 brought to 5.15.36 (the whole early section is valid); and so
	// init_unavailable_range(), which skips pageblocks whose first pfn is !pfn_valid(), leaves the
	// hole poisoned with the former and initializes it PageReserved with the latter.
	it('uses the generic pfn_valid() on arm64 5.15.y', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.15'}).boot(2 * GiB, 896 * MiB + 64 * MiB).build();
		const hole = 0xb_c000 + 0x10;
		const own = at(buildAt(t, '5.15'), hole);
		expect(own.predicates.pfn_valid).toBe(false);
		expect(own.detail?.pfn_valid_form).toBe('arch/arm64/mm/init.c:pfn_valid()');
		expect(own.memmap.content).toBe('poison');
		for (const patches of [['backport-3de360c3fdb3'], ['stable-5.15.y']]) {
			const generic = at(buildAt(withPatches(t, patches), '5.15'), hole);
			expect(generic.predicates.pfn_valid).toBe(true);
			expect(generic.detail?.pfn_valid_form).toContain('include/linux/mmzone.h:pfn_valid()');
			expect(generic.memmap).toMatchObject({content: 'init', reserved: true});
		}
	});
});

describe('backport-5ec8e8ea8b77 (pfn_valid() under RCU)', () => {
	// Expect the same answer with and without it, and explain naming the READ_ONCE form at v5.10 with
	// the 5.10.262 preset and at v6.8 by version.
	it('names the RCU form without changing the answer', () => {
		const t = topology({kernel: '5.10'}).boot(0, 4 * GiB).build();
		const plain = at(buildAt(t, '5.10'), 0x1000);
		const stable = at(buildAt(withPatches(t, ['stable-5.10.262']), '5.10'), 0x1000);
		expect(plain.detail?.pfn_valid_form).toBe('include/linux/mmzone.h:pfn_valid()');
		expect(stable.detail?.pfn_valid_form).toContain('READ_ONCE(ms->usage)');
		expect(stable.predicates.pfn_valid).toBe(plain.predicates.pfn_valid);
		expect(at(buildAt(t, '6.8'), 0x1000).detail?.pfn_valid_form).toContain('5ec8e8ea8b77');
		expect(at(buildAt(t, '6.7'), 0x1000).detail?.pfn_valid_form).toBe('include/linux/mmzone.h:pfn_valid()');
	});
});

describe('max_pfn backports (8fac67ca236b, 89f43e1ce6f6, 7170130e4c72)', () => {
	// A test of arm64-4k at v5.10 hot-adding 1 GiB below the top of boot memory.
	//
	//   | RAM 2-4 GiB | hotplug 4-5 GiB | ... | RAM 8-10 GiB |  max_pfn at boot: 10 GiB
	//
	// Expect max_pfn unchanged in mainline 5.10, lowered to PFN_UP(5 GiB) with 8fac67ca236b (as in
	// 5.10.262), kept at 10 GiB with 89f43e1ce6f6 (max()).
	it('moves arm64 max_pfn as the stable tree does', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.10'}).boot(2 * GiB, 2 * GiB).boot(8 * GiB, 2 * GiB).hotplug(4 * GiB, GiB).build();
		const top = (10 * GiB) / 4096;
		expect(buildAt(t, '5.10').max_pfn).toBe(top);
		expect(buildAt(withPatches(t, ['backport-8fac67ca236b']), '5.10').max_pfn).toBe((5 * GiB) / 4096);
		expect(buildAt(withPatches(t, ['stable-5.10.262']), '5.10').max_pfn).toBe((5 * GiB) / 4096);
		expect(buildAt(withPatches(t, ['backport-89f43e1ce6f6']), '5.10').max_pfn).toBe(top);
	});

	// A test of x86 at v6.1 with an fsdax range above boot memory.
	//
	//   | RAM 0-4 GiB | ... | fsdax 8-9 GiB |
	//
	// Expect add_pages() to raise max_pfn to 9 GiB in mainline 6.1, and not with 7170130e4c72 (the
	// 6.1.176 tree).
	it('keeps x86 max_pfn for ZONE_DEVICE with 7170130e4c72', () => {
		const t = topology({kernel: '6.1'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB).build();
		expect(buildAt(t, '6.1').max_pfn).toBe((9 * GiB) / 4096);
		expect(buildAt(withPatches(t, ['stable-6.1.176']), '6.1').max_pfn).toBe((4 * GiB) / 4096);
		expect(buildAt(withPatches(t, ['backport-7170130e4c72']), '6.1').max_pfn).toBe((4 * GiB) / 4096);
		// The knob still wins over both.
		expect(buildAt(withPatches(t, ['stable-6.1.176']), '6.1', {knobs: {x86_add_pages_skips_pgmap: false}}).max_pfn).toBe((9 * GiB) / 4096);
	});
});

describe('patches in the model', () => {
	// Expect Model.patches to list the named patches and the preset's backports that apply, and
	// buildModel() to refuse a backport at or past its mainline release.
	it('lists the patches in effect and refuses one that does not apply', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.10'}).boot(2 * GiB, 2 * GiB).build();
		const model = buildAt(withPatches(t, ['stable-5.10.262']), '5.10');
		expect(model.patches[0]).toBe('stable-5.10.262');
		expect(model.patches).toEqual(expect.arrayContaining(['backport-eeb0753ba27b', 'backport-8fac67ca236b', 'backport-d613f53c83ec']));
		expect(() => buildAt(withPatches(t, ['backport-a431dbbc5405']), '5.18')).toThrow(/applies to v4.13-v5.17 only, not to v5.18/);
		expect(() => buildAt(t, '5.10', {patches: ['stable-6.1.176']})).toThrow(/v6.1 only/);
	});
});

import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

describe('a device with partial sections at both ends', () => {
	// A test that maps a devdax range starting and ending 64 MiB into a section.
	//
	//   | boot RAM | hole | C3        | devdax                  | C3        |
	//   0x0  0x100000     0x200000  0x204000                0x20c000  0x210000
	//                     ^ section 64 (non-early)   section 65 ^
	//
	// Expect C3 with no memmap (unbacked), pfn_valid() false, pfn_to_online_page() NULL at both ends;
	// the device itself C2; SECTION_TAINT_ZONE_DEVICE on both sections at v5.12, none at v5.11.
	it('classifies the outside subsections as C3 and taints both sections from v5.12', () => {
		const t = topology({kernel: '5.12'}).boot(0, 4 * GiB).device('devdax', 8 * GiB + 64 * MiB, 128 * MiB).build();
		const model = buildAt(t, '5.12');
		for (const pfn of [0x20_0000, 0x20_3fff, 0x20_c000, 0x20_ffff]) {
			const state = at(model, pfn);
			expect(state.category).toBe('C3');
			expect(state.memmap.content).toBe('unbacked');
			expect(state.predicates.pfn_valid).toBe(false);
			expect(state.predicates.pfn_to_online_page).toBe(false);
			expect(state.section.taint_zone_device).toBe(true);
		}

		expect(at(model, 0x20_4000).category).toBe('C2');
		expect(at(buildAt(t, '5.11'), 0x20_0000).section.taint_zone_device).toBe(false);
		expect(at(buildAt(t, '5.11'), 0x20_0000).category).toBe('C3');
	});
});

describe('device-private memory at the top of the physical address space', () => {
	// A test that places 16 GiB of device-private memory at the top of x86_64's 46-bit space (where
	// request_free_mem_region() puts it).
	//
	//   | boot RAM 0-4 GiB | ... | private (16 GiB)            | past NR_MEM_SECTIONS ...
	//                            0x3ffc00000              0x400000000
	//
	// Expect C2 (initialized, not online: pfn_to_online_page() NULL, pfn_valid() true), the last
	// section valid, the first pfn past NR_MEM_SECTIONS unbacked with no out-of-bounds read.
	it('has valid sections right below NR_MEM_SECTIONS', () => {
		const model = buildModel(topology().boot(0, 4 * GiB).device('private', 2 ** 46 - 16 * GiB, 16 * GiB).build());
		const last = at(model, 0x3_ffff_ffff);
		expect(last.category).toBe('C2');
		expect(last.predicates.pfn_valid).toBe(true);
		expect(last.predicates.pfn_to_online_page).toBe(false);
		const past = at(model, 0x4_0000_0000);
		expect(past.section_nr_in_range).toBe(false);
		expect(past.category).toBe('unbacked');
		expect(past.predicates.pfn_valid_oob).toBe(false);
	});
});

describe('the arm64-pfn-valid-v2 what-if patch (seeds/000, 001)', () => {
	// A test that asks pfn_valid() for the first pfn past NR_MEM_SECTIONS on arm64-4k (48-bit).
	//
	//   | RAM 2-4 GiB | ...                        | section 1 << 21 (root 8192: past the array)
	//                                             pfn 1 << 36
	//
	// Expect with the patch at v5.17 an out-of-bounds mem_section read (`oob`, pfn_valid() still 0),
	// at v5.18 none (root bound), and without the patch none at v5.17 (mainline checks the bound first).
	it('reads mem_section out of bounds before v5.18 only with the patch', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.17', patches: ['arm64-pfn-valid-v2']}).boot(2 * GiB, 2 * GiB).build();
		const patched = at(buildAt(t, '5.17'), 2 ** 36);
		expect(patched.predicates.pfn_valid_oob).toBe(true);
		expect(patched.predicates.pfn_valid).toBe(false);
		expect(patched.category).toBe('oob');
		expect(patched.detail?.pfn_valid_form).toContain('arm64-pfn-valid-v2');
		expect(at(buildAt(t, '5.18'), 2 ** 36).predicates.pfn_valid_oob).toBe(false);
		expect(at(buildAt(t, '5.18'), 2 ** 36).category).toBe('unbacked');
		const mainline = at(buildAt({...t, patches: []}, '5.17'), 2 ** 36);
		expect(mainline.predicates.pfn_valid_oob).toBe(false);
		expect(mainline.category).toBe('unbacked');
	});

	// Expect the patch to keep arm64's memblock-based pfn_valid() at v5.17: a NOMAP-free hole pfn
	// of the first section is !pfn_valid with it and pfn_valid without it.
	it('keeps HAVE_ARCH_PFN_VALID semantics for in-range pfns', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.17', patches: ['arm64-pfn-valid-v2']}).boot(2 * GiB + MiB, 2 * GiB - MiB).build();
		expect(at(buildAt(t, '5.17'), 0x8_0000).predicates.pfn_valid).toBe(false);
		expect(at(buildAt({...t, patches: []}, '5.17'), 0x8_0000).predicates.pfn_valid).toBe(true);
	});

	// A test that asks pfn_valid() for a MEMBLOCK_NOMAP pfn with the patch on both sides of v5.14.
	//
	//   | NOMAP (UEFI runtime) |             boot RAM                |
	//   0x80000            0x80200                              0x100000
	//   (all one early section, 0x80000 pfns = 2 GiB)
	//
	// Expect with the patch what mainline arm64 answers: !pfn_valid at v5.13
	// (memblock_is_map_memory()), pfn_valid at v5.14 and v5.15 (memblock_is_memory(), a7d9f306ba70):
	// the patch reorders the section checks only.
	it.each([
		['5.13', false],
		['5.14', true],
		['5.15', true],
	] as const)('follows the version for the memblock test of NOMAP pfns (v%s)', (kernel, valid) => {
		const t = topology({arch: 'arm64-4k', kernel, patches: ['arm64-pfn-valid-v2']}).boot(2 * GiB, 2 * GiB, {nomap: [{start: 2 * GiB, size: 2 * MiB}]}).build();
		const patched = at(buildModel(t), 0x8_0000);
		expect(patched.category).toBe('nomap');
		expect(patched.predicates.pfn_valid).toBe(valid);
		expect(patched.detail?.pfn_valid_form).toContain('arm64-pfn-valid-v2');
		expect(at(buildModel({...t, patches: []}), 0x8_0000).predicates.pfn_valid).toBe(valid);
	});

	it('rejects the patch on other arches and unknown patches', () => {
		expect(() => buildModel(topology({patches: ['arm64-pfn-valid-v2']}).boot(0, GiB).build())).toThrow(/applies to arm64/);
		expect(() => buildModel(topology({patches: ['no-such-patch']}).boot(0, GiB).build())).toThrow(/unknown patch/);
	});
});

describe('classic SPARSEMEM without VMEMMAP', () => {
	// Expect pfn_to_page() itself to read mem_section past the root array before v5.18 (oob) for a
	// pfn past NR_MEM_SECTIONS, and not at v5.18.
	it('classifies pfns past NR_MEM_SECTIONS as oob before v5.18', () => {
		const t = topology({kernel: '5.17', config: {vmemmap: false}}).boot(0, GiB).build();
		expect(at(buildAt(t, '5.17'), 0x4_0000_0000).category).toBe('oob');
		expect(at(buildAt(t, '5.18'), 0x4_0000_0000).category).toBe('unbacked');
	});
});

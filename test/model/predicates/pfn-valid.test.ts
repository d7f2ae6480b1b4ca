import {describe, expect, it} from 'vitest';
import {buildModel} from '../../../source/model/build.js';
import {at, buildAt} from '../../helpers/model-probe.js';
import {GiB, MiB, topology} from '../../helpers/topology.js';

describe('pfn_valid() generic (include/linux/mmzone.h)', () => {
	// A test that reads the absent subsections of a hot-added ZONE_DEVICE section before and after
	// subsection hotplug (v5.3).
	//
	//   | boot RAM (sections 0-31) | hole | absent | devdax            | absent |
	//   0x0                     0x100000  0x200000 0x204000         0x20c000 0x210000
	//                                     ^ section 64         section 65 ^
	//
	// At v5.2 the device must be section aligned, so the v5.2 layout takes whole sections 64-65.
	// Expect at v5.2 pfn_valid() true for every pfn of a valid section (section granularity), and at
	// v5.3 pfn_valid() false for 0x200000 (subsection not populated) but true for 0x204000.
	it('gains subsection precision for hot-added sections in v5.3', () => {
		const whole = topology({kernel: '5.2'}).boot(0, 4 * GiB).device('devdax', 8 * GiB, 256 * MiB).build();
		expect(at(buildModel(whole), 0x20_0000).predicates.pfn_valid).toBe(true);
		expect(at(buildModel(whole), 0x20_ffff).predicates.pfn_valid).toBe(true);

		const partial = topology({kernel: '5.3'}).boot(0, 4 * GiB).device('devdax', 8 * GiB + 64 * MiB, 128 * MiB).build();
		const model = buildModel(partial);
		expect(at(model, 0x20_0000).predicates.pfn_valid).toBe(false);
		expect(at(model, 0x20_0000).predicates.valid_section).toBe(true);
		expect(at(model, 0x20_4000).predicates.pfn_valid).toBe(true);
		expect(at(model, 0x20_c000).predicates.pfn_valid).toBe(false);
	});

	// A test that reads a 2 MiB hole subsection of an early section at v5.3.
	//
	//   | boot RAM            | hole (4 MiB)  |
	//   0x0              0x7c00          0x8000  (section 0 = [0x0, 0x8000))
	//
	// Expect pfn_valid() true for 0x7e00: early sections are valid in full, although the subsection
	// bit is clear.
	it('answers true for a whole early section from v5.3 (early_section() || pfn_section_valid())', () => {
		const model = buildModel(topology({kernel: '5.3'}).boot(0, 124 * MiB).build());
		const hole = at(model, 0x7e00);
		expect(hole.subsection_valid).toBe(false);
		expect(hole.predicates.early_section).toBe(true);
		expect(hole.predicates.pfn_valid).toBe(true);
	});

	// A test that reads the first pfn past NR_MEM_SECTIONS and the first pfn with upper bits set on
	// x86_64 (46-bit).
	//
	//   | ... | last section | beyond NR_MEM_SECTIONS ...        | upper bits set |
	//         0x3ffff8000   0x400000000                        1<<52
	//
	// Expect pfn_valid() false for both at v5.13 and v5.14 (the bound check covers both before the
	// v5.14 upper-bits check existed), and no out-of-bounds read.
	it('never reads mem_section past NR_MEM_SECTIONS', () => {
		for (const kernel of ['5.13', '5.14']) {
			const model = buildAt(topology().boot(0, 4 * GiB).build(), kernel);
			for (const pfn of [0x4_0000_0000, 2 ** 52]) {
				expect(at(model, pfn).predicates.pfn_valid).toBe(false);
				expect(at(model, pfn).predicates.pfn_valid_oob).toBe(false);
			}
		}
	});

	// A test that reads a device subsection without CONFIG_SPARSEMEM_VMEMMAP at v6.12.
	//
	//   | boot RAM | hole | fsdax (whole sections 64-65) |
	//
	// Expect pfn_valid() true everywhere in the valid sections (pfn_section_valid() is the stub
	// returning 1) and no subsection map reported.
	it('uses the pfn_section_valid() stub without SPARSEMEM_VMEMMAP', () => {
		const model = buildModel(topology({config: {vmemmap: false}}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, 256 * MiB).build());
		expect(at(model, 0x20_0000).predicates.pfn_valid).toBe(true);
		expect(at(model, 0x20_0000).predicates.pfn_section_valid).toBe(true);
		expect(at(model, 0x20_0000).subsection_valid).toBe(false);
	});
});

describe('pfn_valid() arm64 (arch/arm64/mm/init.c, until v5.16)', () => {
	// A test that reads a devdax pfn on arm64-4k at v5.11 and v5.12.
	//
	//   | boot RAM 2G-4G (memblock) | hole | devdax 8G-9G (no memblock entry) |
	//   0x80000              0x100000      0x200000                     0x240000
	//
	// Expect pfn_valid(0x200000) false at v5.11 (memblock_is_map_memory() has no entry for
	// ZONE_DEVICE) and true at v5.12 (non-early sections answer pfn_section_valid(), eeb0753ba27b).
	it('rejects every ZONE_DEVICE pfn before v5.12 and accepts it from v5.12', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.11'}).boot(2 * GiB, 2 * GiB).device('devdax', 8 * GiB, GiB).build();
		expect(at(buildAt(t, '5.11'), 0x20_0000).predicates.pfn_valid).toBe(false);
		expect(at(buildAt(t, '5.11'), 0x20_0000).detail?.pfn_valid_form).toBe('arch/arm64/mm/init.c:pfn_valid()');
		expect(at(buildAt(t, '5.12'), 0x20_0000).predicates.pfn_valid).toBe(true);
	});

	// A test that reads a MEMBLOCK_NOMAP pfn on arm64-4k at v5.13 and v5.14.
	//
	//   | RAM | NOMAP (2 MiB) | RAM               |
	//   0x80000  0x90000  0x90200           0x100000
	//
	// Expect pfn_valid(0x90000) false at v5.13 (memblock_is_map_memory()) and true at v5.14
	// (memblock_is_memory(), a7d9f306ba70).
	it('turns NOMAP into pfn_valid in v5.14', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.13'})
			.boot(2 * GiB, 2 * GiB, {nomap: [{start: 0x9000_0000, size: 2 * MiB}]})
			.build();
		expect(at(buildAt(t, '5.13'), 0x9_0000).predicates.pfn_valid).toBe(false);
		expect(at(buildAt(t, '5.13'), 0x9_0000).predicates.memblock_is_map_memory).toBe(false);
		expect(at(buildAt(t, '5.14'), 0x9_0000).predicates.pfn_valid).toBe(true);
		expect(at(buildAt(t, '5.14'), 0x9_0000).predicates.memblock_is_memory).toBe(true);
	});

	// A test that reads the head of the first boot section on arm64-4k when RAM starts 1 MiB into
	// a pageblock, at v5.15 (arch pfn_valid) and v5.16 (generic).
	//
	//   | hole (1 MiB) | RAM ...                   |
	//   0x80000    0x80100                   0x100000   (pageblock [0x80000, 0x80200))
	//
	// Expect pfn_valid(0x80000) false at v5.15 and true at v5.16 (early sections are valid in full).
	it('uses the generic pfn_valid() from v5.16 (3de360c3fdb3)', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.15'}).boot(2 * GiB + MiB, 2 * GiB - MiB).build();
		expect(at(buildAt(t, '5.15'), 0x8_0000).predicates.pfn_valid).toBe(false);
		expect(at(buildAt(t, '5.16'), 0x8_0000).predicates.pfn_valid).toBe(true);
		expect(at(buildAt(t, '5.16'), 0x8_0000).detail?.pfn_valid_form).toBe('include/linux/mmzone.h:pfn_valid()');
	});
});

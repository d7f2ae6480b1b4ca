import {describe, expect, it} from 'vitest';
import {v} from '../../../source/kernel/version.js';
import type {ModelContext} from '../../../source/model/context.js';
import type {PfnFacts} from '../../../source/model/facts.js';
import {geometryFor} from '../../../source/model/geometry.js';
import {pfn_valid_generic} from '../../../source/model/predicates/pfn-valid.js';
import {__nr_to_section} from '../../../source/model/predicates/section.js';
import {NO_SECTION, UNBACKED} from '../../../source/model/state.js';
import {at, buildAt} from '../../helpers/model-probe.js';
import {GiB, topology} from '../../helpers/topology.js';

function context(kernel: string): ModelContext {
	const k = v(kernel);
	return {
		kernel: k,
		arch: 'arm64-4k',
		g: geometryFor('arm64-4k', k),
		config: {debug_vm: true, vmemmap: true, max_physmem_bits: 48, memory_block_size: 2 ** 27, memory_block_size_auto: true},
		patches: new Set(),
		knobs: {},
	};
}

function factsFor(ctx: ModelContext, pfn: number): PfnFacts {
	const nr = Math.floor(pfn / ctx.g.PAGES_PER_SECTION);
	const root = Math.floor(nr / ctx.g.SECTIONS_PER_ROOT);
	return {
		pfn,
		section_nr: nr,
		section_nr_in_range: nr < ctx.g.NR_MEM_SECTIONS,
		root,
		root_in_range: root < ctx.g.NR_SECTION_ROOTS,
		upper_bits_ok: true,
		section: NO_SECTION,
		boot_section: false,
		subsection_bit: false,
		memblock_memory: false,
		memblock_nomap: false,
		memmap: UNBACKED,
		pgmap: null,
		altmap_part: null,
		section_pgmap: null,
		entry: null,
	};
}

describe('__nr_to_section()', () => {
	// A test that looks up the section of the first pfn past NR_MEM_SECTIONS on arm64-4k (48-bit:
	// NR_MEM_SECTIONS 2^21, SECTIONS_PER_ROOT 256, NR_SECTION_ROOTS 8192).
	//
	//   roots: | 0 | 1 | ... | 8191 |  8192 (past the array)
	//   pfn 1 << 36 → section 1 << 21 → root 8192
	//
	// Expect an out-of-bounds read at v5.17 (no root bound) and NULL at v5.18 (a431dbbc5405); a
	// section inside the array comes back as a section.
	it('has no root bound before v5.18', () => {
		const before = context('5.17');
		const pfn = 2 ** 36;
		expect(__nr_to_section(before, factsFor(before, pfn)).kind).toBe('oob');
		const after = context('5.18');
		expect(__nr_to_section(after, factsFor(after, pfn)).kind).toBe('null');
		expect(__nr_to_section(after, factsFor(after, 0x8_0000)).kind).toBe('section');
	});
});

describe('section flags', () => {
	// A test that reads boot RAM at v5.2 and v5.3.
	//
	//   | boot RAM 0-4 GiB (sections 0-31) |
	//
	// Expect SECTION_IS_EARLY (early_section()) only from v5.3 (326e1b8f83a4); present, valid and
	// online in both; pfn_in_present_section() true.
	it('has SECTION_IS_EARLY from v5.3', () => {
		const t = topology({kernel: '5.2'}).boot(0, 4 * GiB).build();
		const old = at(buildAt(t, '5.2'), 0x1000);
		expect(old.predicates.early_section).toBe(false);
		expect(old.section.early).toBe(false);
		expect(old.predicates.present_section).toBe(true);
		expect(old.predicates.valid_section).toBe(true);
		expect(old.predicates.online_section).toBe(true);
		expect(old.predicates.pfn_in_present_section).toBe(true);
		expect(at(buildAt(t, '5.3'), 0x1000).predicates.early_section).toBe(true);
	});

	// A test that boots two NUMA nodes, node 1 at 4-8 GiB and node 2 at 8-12 GiB, around the
	// SECTION_NID_SHIFT artefact (memory-model.md §2.2).
	//
	//   | node 1 (nid & 2 = 0) | node 2 (nid & 2 = 2) |
	//   0x100000         0x200000               0x300000
	//
	// Expect no taint at v5.11; SECTION_TAINT_ZONE_DEVICE from the early nid on node 2 only at v5.12
	// and v5.14 (slow path taken, page still returned); none at v5.15 (01c8d337d195).
	it('models the v5.12-v5.14 SECTION_NID_SHIFT taint as performance only', () => {
		const t = topology({kernel: '5.12'}).boot(4 * GiB, 4 * GiB, {node: 1}).boot(8 * GiB, 4 * GiB, {node: 2}).build();
		expect(at(buildAt(t, '5.11'), 0x20_0000).section.taint_zone_device).toBe(false);
		for (const kernel of ['5.12', '5.14']) {
			const model = buildAt(t, kernel);
			expect(at(model, 0x10_0000).section.taint_zone_device).toBe(false);
			const node2 = at(model, 0x20_0000);
			expect(node2.section.taint_zone_device).toBe(true);
			expect(node2.section.taint_from_nid).toBe(true);
			expect(node2.predicates.online_device_section).toBe(true);
			expect(node2.predicates.pfn_to_online_page).toBe(true);
			expect(node2.detail?.pfn_to_online_page_by).toBe('slow path: get_dev_pagemap() returned NULL');
			expect(node2.category).toBe('ok');
		}

		expect(at(buildAt(t, '5.15'), 0x20_0000).section.taint_zone_device).toBe(false);
	});
});

describe('generic pfn_valid() upper-bits check (v5.14)', () => {
	// A test of the check itself on hand-made facts: a pfn whose upper PAGE_SHIFT bits are set but
	// whose section number would be in range. Through a topology the NR_MEM_SECTIONS bound already
	// rejects such pfns, which is why the check did not change any answer of the generic version.
	//
	//   facts: upper bits set, section present + valid + early
	//
	// Expect true at v5.13 (no check yet) and false at v5.14 (PHYS_PFN(PFN_PHYS(pfn)) != pfn).
	it('rejects upper-bit pfns before looking at the section from v5.14', () => {
		for (const [kernel, expected] of [['5.13', true], ['5.14', false]] as const) {
			const ctx = context(kernel);
			const facts = {
				...factsFor(ctx, 0x8_0000),
				upper_bits_ok: false,
				section: {...NO_SECTION, present: true, valid: true, early: true, usage: true},
			};
			expect(pfn_valid_generic(ctx, facts).valid).toBe(expected);
		}
	});
});

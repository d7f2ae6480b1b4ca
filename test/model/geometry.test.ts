import {describe, expect, it} from 'vitest';
import {v} from '../../source/kernel/version.js';
import {
	allowedMaxPhysmemBits,
	geometryFor,
	maxPhysmemBitsVersionProblem,
	pfn_to_section_nr,
	SECTION_ALIGN_UP,
	subsection_map_index,
} from '../../source/model/geometry.js';

describe('geometryFor', () => {
	it('derives the x86_64 constants the way mmzone.h does', () => {
		const g = geometryFor('x86_64', v('6.12'));
		expect(g.PAGES_PER_SECTION).toBe(32_768);
		expect(g.PAGES_PER_SUBSECTION).toBe(512);
		expect(g.SUBSECTIONS_PER_SECTION).toBe(64);
		expect(g.NR_MEM_SECTIONS).toBe(2 ** 19);
		expect(g.SECTIONS_PER_ROOT).toBe(256);
	});

	it('uses 1 GiB arm64 sections up to v5.11 and 128 MiB / 512 MiB from v5.12 (f0b13ee23241)', () => {
		expect(geometryFor('arm64-4k', v('5.11')).SECTION_SIZE_BITS).toBe(30);
		expect(geometryFor('arm64-4k', v('5.12')).SECTION_SIZE_BITS).toBe(27);
		expect(geometryFor('arm64-64k', v('5.12')).SECTION_SIZE_BITS).toBe(29);
	});

	it('computes section numbers above 2^32 without truncation', () => {
		const g = geometryFor('x86_64', v('6.12'), 52);
		const pfn = 2 ** 40 + 5;
		expect(pfn_to_section_nr(g, pfn)).toBe(2 ** 25);
		expect(subsection_map_index(g, pfn)).toBe(0);
		expect(SECTION_ALIGN_UP(g, pfn)).toBe(2 ** 40 + 32_768);
	});
});

describe('arm64 52-bit physical addresses (ARM64_PA_BITS_52)', () => {
	// Expect 52 for 64K pages at every version, for 4K/16K pages only from the LPA2 release (v6.9):
	// before it ARM64_PA_BITS_52 depends on ARM64_64K_PAGES [V 5.10, 6.1 arch/arm64/Kconfig].
	it('allows 52 bits on 4K/16K pages only from LPA2', () => {
		expect(allowedMaxPhysmemBits('arm64-64k', v('5.10'))).toEqual([48, 52]);
		expect(allowedMaxPhysmemBits('arm64-4k', v('6.1'))).toEqual([48]);
		expect(allowedMaxPhysmemBits('arm64-16k', v('6.8'))).toEqual([48]);
		expect(allowedMaxPhysmemBits('arm64-4k', v('6.9'))).toEqual([48, 52]);
		expect(allowedMaxPhysmemBits('arm64-16k', v('6.12'))).toEqual([48, 52]);
		expect(maxPhysmemBitsVersionProblem('arm64-4k', v('6.1'), 52)).toContain('depends on ARM64_64K_PAGES');
		expect(maxPhysmemBitsVersionProblem('arm64-4k', v('6.1'), 48)).toBeUndefined();
		expect(maxPhysmemBitsVersionProblem('arm64-64k', v('5.10'), 52)).toBeUndefined();
	});
});

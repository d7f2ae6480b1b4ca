import {describe, expect, it} from 'vitest';
import {v} from '../../source/kernel/version.js';
import {geometryFor, pfn_to_section_nr, SECTION_ALIGN_UP, subsection_map_index} from '../../source/model/geometry.js';

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

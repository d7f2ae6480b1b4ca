/**
free_unused_memmap(): the memmap of holes between memblock ranges freed with an arch pfn_valid()
and without SPARSEMEM_VMEMMAP (source/model/free-unused-memmap.ts).
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {FREED_MEMMAP_WRITER, unusedMemmapRanges} from '../../source/model/free-unused-memmap.js';
import {at} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// arm64-4k at v5.10: 1 GiB sections (0x40000 pfns), pageblocks of 512 pfns (0x200).
//
//   section 1 (0x40000-0x80000)                        section 2 (0x80000-0xc0000)
//   | A 101M |.| free |  B 64M  |      free      |     | kept  |  C 64M  |     free     |
//   0x40000 0x46500 0x48000  0x4c000          0x80000   0x90000  0x94000          0xc0000
//          0x46600 (pageblock_align(end of A)): 0x46500-0x46600 kept
const layout = (kernel: string, vmemmap = false) =>
	topology({arch: 'arm64-4k', kernel, config: {vmemmap}})
		.boot(GiB, 101 * MiB)
		.boot(0x4800_0000, 64 * MiB)
		.boot(0x9000_0000, 64 * MiB)
		.build();

describe('free_unused_memmap()', () => {
	// A test that builds the three banks at v5.10 without vmemmap. Expect the gaps after A and B
	// and the rest of C's section freed, pageblock aligned; the partial pageblock after A and the
	// leading hole of section 2 (before C) keep their memmap.
	it('frees whole pageblocks of holes, never a later section\'s leading hole', () => {
		const model = buildModel(layout('5.10'));
		expect(unusedMemmapRanges(model.geometry, model.topology.memory.filter(e => e.kind === 'boot'))).toEqual([
			[0x4_6600, 0x4_8000],
			[0x4_c000, 0x8_0000],
			[0x9_4000, 0xc_0000],
		]);
		expect(at(model, 0x4_6600).memmap.writer).toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0x4_7fff).memmap.writer).toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0x4_c000).memmap.writer).toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0xb_ffff).memmap.writer).toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0x4_6500).memmap.writer).not.toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0x8_0000).memmap.writer).not.toBe(FREED_MEMMAP_WRITER);
		expect(at(model, 0x8_ffff).memmap.writer).not.toBe(FREED_MEMMAP_WRITER);
		// A freed struct page is a hole pfn with memmap that is not initialized.
		const freed = at(model, 0x4_7000);
		expect(freed.category).toBe('hole');
		expect(freed.uninitialized).toBe(true);
		expect(freed.memmap.content).toBe('garbage');
		// Memory itself is untouched.
		expect(at(model, 0x4_8000).memmap.content).toBe('init');
	});

	// A test that builds the same banks with vmemmap at v5.10, and without it at v5.15 and v5.16.
	// Expect nothing freed with SPARSEMEM_VMEMMAP, the holes freed at v5.15, nothing from v5.16
	// when arm64 takes the generic pfn_valid() (3de360c3fdb3) and HAVE_ARCH_PFN_VALID is gone.
	it('frees nothing with vmemmap or without an arch pfn_valid()', () => {
		for (const model of [buildModel(layout('5.10', true)), buildModel(layout('5.16'))]) {
			for (const pfn of [0x4_6600, 0x4_c000, 0x9_4000]) {
				expect(at(model, pfn).memmap.writer).not.toBe(FREED_MEMMAP_WRITER);
			}
		}

		expect(at(buildModel(layout('5.15')), 0x9_4000).memmap.writer).toBe(FREED_MEMMAP_WRITER);
	});

	// A test that builds two x86_64 banks without vmemmap. Expect nothing freed (no HAVE_ARCH_PFN_VALID).
	it('never frees on x86_64 (no HAVE_ARCH_PFN_VALID)', () => {
		const model = buildModel(topology({arch: 'x86_64', kernel: '5.10', config: {vmemmap: false}}).boot(0, GiB).boot(2 * GiB, GiB).build());
		expect(at(model, 0x4_0000).memmap.writer).not.toBe(FREED_MEMMAP_WRITER);
	});
});

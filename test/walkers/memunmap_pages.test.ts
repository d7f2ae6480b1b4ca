import {describe, expect, it} from 'vitest';
import memunmap_pages from '../../walkers/memunmap_pages.js';
import {fakeModel, OK} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';
import {fsdax, zoneDevice} from './states-a.js';

// x86-64, MAX_PHYSMEM_BITS 30. One fsdax namespace with an altmap (reserve 2, free 0x3fe),
// ready, and a second one still being initialized (its teardown cannot start yet):
//
//   | boot RAM (ok) |rsv (C5)| free (metadata) |  data (C2)  | fsdax 1 (C4) | unbacked
//   0x0         0x10000   0x10002          0x10400       0x18000        0x20000
function layout(kernel: string) {
	return fakeModel({
		kernel,
		max_physmem_bits: 30,
		runs: [
			{start: 0, end: 0x10000, state: OK},
			{start: 0x10000, end: 0x10002, state: zoneDevice('C5', kernel)},
			{start: 0x10002, end: 0x10400, state: zoneDevice('metadata', kernel)},
			{start: 0x10400, end: 0x18000, state: zoneDevice('C2', kernel)},
			{start: 0x18000, end: 0x20000, state: zoneDevice('C4', kernel)},
		],
		pgmaps: [
			fsdax(0x10000, 0x18000, {reserve: 2, free: 0x3fe}),
			{...fsdax(0x18000, 0x20000, undefined), id: 1, label: 'fsdax1@test', init_cursor: 0x18400},
		],
	});
}

describe('memunmap_pages', () => {
	// A test of 77e080e7680e (v5.4): at v5.3 the teardown reads page_to_nid() of the range start,
	// 0x10000, the altmap reserve, never initialized (Aneesh Kumar's "kernel BUG at
	// include/linux/mm.h:1107"); from v5.4 it reads pfn_first() = 0x10400, initialized. Expect one
	// C5 touch at v5.3 (plus the x86 arch_remove_memory() read of pfn_first), none at v5.4.
	it('reads the altmap reserve at v5.3 and pfn_first() at v5.4', () => {
		const before = runNaive(memunmap_pages, layout('5.3'));
		expect(before.form?.label).toBe('v5.3: page_to_nid(pfn_to_page(range start)), after put_page() on every device pfn');
		expect(before.touches.C5).toBe(1);
		expect(before.log.find(t => t.category === 'C5')).toMatchObject({pfn: 0x10000, via: 'page_to_nid'});
		expect(before.log.some(t => t.pfn === 0x10400 && t.via === 'arch_remove_memory')).toBe(true);
		expect(before.form?.fixed_by).toMatchObject({id: '77e080e7680e', version: '5.4'});

		const after = runNaive(memunmap_pages, layout('5.4'));
		expect(after.touches.C5).toBe(0);
		expect(after.log.filter(t => t.via === 'page_to_nid').map(t => t.pfn)).toEqual([0x10400]);
	});

	// A test of the put_page() loop (v5.0–v5.17 [U]): every pfn of [pfn_first, pfn_end) of the
	// ready namespace, 0x7c00 C2 writes, plus the page_zone(pfn_first) read; none of the reserve,
	// the memmap-storage pfns, or the namespace still being initialized. Gone at 6.1
	// (percpu_ref_put_many()), where only page_zone(pfn_first) is left.
	it('drops the per-page references of the ready namespace only', () => {
		const loop = runNaive(memunmap_pages, layout('5.10'));
		expect(loop.touches).toMatchObject({C2: 0x7c00 + 1, C4: 0, C5: 0, metadata: 0});
		expect(loop.log.filter(t => t.via === 'put_page').every(t => t.access === 'write')).toBe(true);

		const later = runNaive(memunmap_pages, layout('6.1'));
		expect(later.log.map(t => [t.pfn, t.via])).toEqual([[0x10400, 'page_zone']]);
		expect(later.form?.label).toBe('v5.4+: pfn_to_page(pfn_first())');
	});

	// A test of the form before 2c2a5af6fed2 (v5.0): non-private pgmaps reach x86
	// arch_remove_memory(), which reads start + vmem_altmap_offset() = pfn_first. Expect at v4.20 a
	// single read, of 0x10400, and no C5.
	it('reads only pfn_first through x86 arch_remove_memory() before v5.0', () => {
		const result = runNaive(memunmap_pages, layout('4.20'));
		expect(result.log.map(t => [t.pfn, t.via])).toEqual([[0x10400, 'arch_remove_memory']]);
	});

	// A test of the section-aligned start before v5.3: devm_memremap_pages_release() read
	// page_to_nid() at res->start & ~(PA_SECTION_SIZE - 1) and x86 arch_remove_memory() got that
	// aligned start; v5.3 ("mm/devm_memremap_pages: Enable sub-section remap") reads
	// PHYS_PFN(res->start). A namespace starting mid-section (sections are 0x8000 pfns):
	//
	//   | boot RAM (ok), section 2                | fsdax data (C2), same section | unbacked
	//   0x10000                               0x14000                        0x18000
	//
	// Expect at v5.2 page_to_nid and arch_remove_memory both at 0x10000 (no altmap: offset 0),
	// at v5.3 both at 0x14000.
	it('reads at SECTION_ALIGN_DOWN(start) before v5.3 and at the start from v5.3', () => {
		const model = (kernel: string) =>
			fakeModel({
				kernel,
				max_physmem_bits: 30,
				runs: [
					{start: 0, end: 0x14000, state: OK},
					{start: 0x14000, end: 0x18000, state: zoneDevice('C2', kernel)},
				],
				pgmaps: [fsdax(0x14000, 0x18000, undefined)],
			});
		const reads = (kernel: string) =>
			runNaive(memunmap_pages, model(kernel))
				.log.filter(t => t.via !== 'put_page')
				.map(t => [t.pfn, t.via]);
		expect(reads('5.2')).toEqual([
			[0x10000, 'page_to_nid'],
			[0x10000, 'arch_remove_memory'],
		]);
		expect(memunmap_pages.plan(model('5.2'))?.label).toContain('SECTION_ALIGN_DOWN(start)');
		expect(reads('5.3')).toEqual([
			[0x14000, 'page_to_nid'],
			[0x14000, 'arch_remove_memory'],
		]);
	});

	it('skips pgmaps whose teardown already started', () => {
		const model = layout('5.3');
		const dead = {...model, pgmaps: model.pgmaps.map(p => ({...p, ref: 'dead' as const}))};
		expect(memunmap_pages.plan(dead)?.passes).toEqual([expect.objectContaining({label: 'no ZONE_DEVICE pgmap is torn down in this topology', ranges: []})]);
	});
});

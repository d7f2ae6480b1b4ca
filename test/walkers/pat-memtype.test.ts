/**
The x86 PAT walkers of arch/x86/mm/pat/memtype.c: reserve_ram_pages_type(), free_ram_pages_type()
and lookup_memtype(), and arch/x86/mm/ioremap.c:__ioremap_check_ram() in front of the first.
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import __ioremap_check_ram from '../../walkers/__ioremap_check_ram.js';
import free_ram_pages_type from '../../walkers/free_ram_pages_type.js';
import lookup_memtype from '../../walkers/lookup_memtype.js';
import reserve_ram_pages_type from '../../walkers/reserve_ram_pages_type.js';
import {audit, stepAt} from '../e2e-walkers/harness.js';
import {topology} from '../helpers/topology.js';
import {C1_PFN, NO_STRICT_DEVMEM, pfnmapLayout} from './pfnmap-layout.js';

const seq = (touches: ReturnType<typeof stepAt>) => touches.map(t => `${t.via} ${t.access} ${t.fields.join('+')}`);
const touched = (result: {touches: Record<string, number>}) => Object.entries(result.touches).filter(([, n]) => n > 0).map(([c]) => c);

describe('x86 PAT and ioremap() walkers', () => {
	// A test of the defaults (pfnmap-layout.ts map): /dev/mem refuses System RAM above 1 MiB
	// (CONFIG_STRICT_DEVMEM) and pat_pagerange_is_ram() counts the first 1 MiB as not RAM, and no
	// driver is taken to ioremap() System RAM (config.ioremap_ram). Expect each walker to walk
	// nothing and say why.
	it('walk nothing at the distribution default', () => {
		const model = pfnmapLayout('6.12');
		for (const walker of [lookup_memtype, reserve_ram_pages_type, free_ram_pages_type, __ioremap_check_ram]) {
			const form = walker.plan(model);
			expect(form?.passes.map(p => p.ranges.length), walker.name).toEqual([0]);
			expect(form?.passes[0]?.label, walker.name).toMatch(/CONFIG_STRICT_DEVMEM|config\.ioremap_ram is false/);
		}
	});

	// A test of lookup_memtype() without CONFIG_STRICT_DEVMEM: an mmap() of /dev/mem may start at
	// any System RAM pfn, and only pat_pagerange_is_ram() (iomem) stands before the struct page.
	// Expect the never-onlined block's page->flags read, failing, with no pfn_valid() at all; the
	// first 1 MiB never read (ISA range).
	it('lookup_memtype() reads never-onlined System RAM behind /dev/mem without CONFIG_STRICT_DEVMEM', () => {
		const model = pfnmapLayout('6.12', NO_STRICT_DEVMEM);
		expect(seq(stepAt(lookup_memtype, model, C1_PFN))).toEqual(['get_page_memtype read flags']);
		expect(lookup_memtype.plan(model)!.passes.every(p => p.ranges.every(r => r.start >= 0x100))).toBe(true);
		const {result} = audit(lookup_memtype, model.topology, '6.12');
		expect(touched(result)).toEqual(['ok', 'C1']);
		expect(result.witnesses[0]?.why).toContain('guards with pat_pagerange_is_ram() only');
	});

	// A test of an ioremap() of the never-onlined block (config.ioremap_ram). Expect
	// __ioremap_check_ram() to read PageReserved(); then, for the poison (which looks PG_reserved
	// and reads as memtype WT), reserve_ram_pages_type() to read and stop (-EBUSY) and no
	// free_ram_pages_type() after the failed ioremap(); for garbage, the memtype written by both.
	it('reserve_ram_pages_type() and free_ram_pages_type() write page->flags of never-onlined RAM that is not poisoned', () => {
		const poisoned = pfnmapLayout('6.12', {ioremap_ram: true});
		expect(seq(stepAt(__ioremap_check_ram, poisoned, C1_PFN))).toEqual(['PageReserved read flags']);
		expect(seq(stepAt(reserve_ram_pages_type, poisoned, C1_PFN))).toEqual(['__ioremap_check_ram read flags', 'get_page_memtype read flags']);
		expect(seq(stepAt(free_ram_pages_type, poisoned, C1_PFN))).toEqual([]);
		const garbage = pfnmapLayout('6.12', {ioremap_ram: true, debug_vm: false});
		expect(seq(stepAt(reserve_ram_pages_type, garbage, C1_PFN))).toEqual([
			'__ioremap_check_ram read flags',
			'get_page_memtype read flags',
			'set_page_memtype write flags',
		]);
		expect(seq(stepAt(free_ram_pages_type, garbage, C1_PFN))).toEqual(['set_page_memtype write flags']);
		// Online boot RAM: __ioremap_caller() refuses it ("ioremap on RAM").
		expect(seq(stepAt(reserve_ram_pages_type, garbage, 0x1000))).toEqual(['__ioremap_check_ram read flags']);
	});

	// A test of the arch. Expect all four absent off x86_64.
	it('exist on x86_64 only', () => {
		const arm64 = buildModel(topology({arch: 'arm64-4k', kernel: '6.12'}).boot(0x4000_0000, 2 ** 30).build());
		for (const walker of [lookup_memtype, reserve_ram_pages_type, free_ram_pages_type, __ioremap_check_ram]) {
			expect(walker.plan(arm64), walker.name).toBeNull();
		}
	});
});

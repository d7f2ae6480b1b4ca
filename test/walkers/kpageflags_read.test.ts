import {describe, expect, it} from 'vitest';
import walker from '../../walkers/kpageflags_read.js';
import kpagecgroup from '../../walkers/kpagecgroup_read.js';
import kpagecount from '../../walkers/kpagecount_read.js';
import {C1_POISON, fakeModel, OK, state} from '../helpers/fake-model.js';
import {runNaive} from '../helpers/run-walker.js';

// x86-64 with MAX_PHYSMEM_BITS 30 so the whole physical address space is 0x40000 pfns: sections
// of 0x8000 pfns, NR_MEM_SECTIONS 8.
const SMALL = {max_physmem_bits: 30} as const;

// The tail of the last boot section above max_pfn when memory ends mid-section: early and online,
// so pfn_valid() and pfn_to_online_page() succeed; before v5.6 (e822969cab48) its memmap was
// never initialized.
const TAIL = state({
	section: {present: true, valid: true, online: true, early: true, usage: true},
	subsection_valid: true,
	memmap: {content: 'garbage', writer: 'none (beyond the last memblock range)'},
	category: 'hole',
	reason: 'tail of the last early section above max_pfn',
	predicates: {
		pfn_valid: true,
		pfn_to_online_page: true,
		present_section: true,
		valid_section: true,
		online_section: true,
		early_section: true,
		pfn_section_valid: true,
		pfn_in_present_section: true,
	},
});

describe('kpageflags_read', () => {
	// A test that reads /proc/kpageflags over boot RAM followed by a hot-added memory block that
	// was never onlined (max_pfn raised by the hot-add, as x86 does), at v5.3 and v5.4.
	//
	//   |   boot RAM (ok)   | hotplug, offline (C1) |  nothing (unbacked) ...
	//   0x0             0x8000                  0x10000 = max_pfn        0x40000
	//
	// Expect every C1 pfn read by stable_page_flags() at v5.3 (pfn_valid()) and none at v5.4
	// (aad5f69bc161, pfn_to_online_page()).
	it.each([
		['5.3', 0x8000],
		['5.4', 0],
	] as const)('touches offline hot-added memory only before v5.4 (v%s)', (kernel, c1) => {
		const model = fakeModel({
			...SMALL,
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
			],
			max_pfn: 0x10000,
		});
		const result = runNaive(walker, model);
		expect(result.touches.C1).toBe(c1);
		expect(result.touches.ok).toBe(0x8000);
		expect(result.log[0]).toEqual({
			pfn: 0,
			category: 'ok',
			via: 'stable_page_flags',
			fields: ['flags', 'compound_head', 'mapping', '_mapcount', 'page_type'],
			access: 'read',
		});
	});

	// A test of the read bound, with memory ending mid-section (max_pfn = 0x7f00) and a hot-added,
	// never-onlined block far above max_pfn (a kernel that does not raise max_pfn on hot-add).
	//
	//   |  boot RAM (ok)  |tail|        unbacked        | hotplug, offline (C1) | unbacked
	//   0x0          0x7f00  0x8000                  0x20000                 0x28000   0x40000
	//
	// Expect before v5.6 (abec749facff) max_pfn itself unreadable but every pfn above it readable
	// (the count bound underflows): at v5.3 the tail above max_pfn and the whole C1 block read; at
	// v5.5 the tail only (pfn_to_online_page() rejects C1); from v5.6 the bound is
	// round_up(max_pfn, PAGES_PER_SECTION): the whole tail including max_pfn, nothing above 0x8000.
	it.each([
		['5.3', 0xff, 0x8000],
		['5.5', 0xff, 0],
		['5.6', 0x100, 0],
	] as const)('bounds reads by max_pfn, then by the section above it (v%s)', (kernel, tail, c1) => {
		const model = fakeModel({
			...SMALL,
			kernel,
			runs: [
				{start: 0, end: 0x7f00, state: OK},
				{start: 0x7f00, end: 0x8000, state: TAIL},
				{start: 0x20000, end: 0x28000, state: C1_POISON},
			],
			max_pfn: 0x7f00,
		});
		const result = runNaive(walker, model);
		expect(result.touches.hole).toBe(tail);
		expect(result.touches.C1).toBe(c1);
		expect(result.log.some(t => t.pfn === 0x7f00)).toBe(kernel === '5.6');
		const form = walker.plan(model)!;
		expect(form.passes[0]!.ranges[0]).toEqual({start: 0, end: kernel === '5.6' ? 0x8000 : 0x7f00});
	});

	it('labels its forms by version and names the fix of the pfn_valid() form', () => {
		const plan = (kernel: string) => walker.plan(fakeModel({kernel, runs: []}))!;
		expect(plan('4.13').label).toBe('v4.13-v5.3: pfn_valid(), below max_pfn and above it (unbounded)');
		expect(plan('5.3').fixed_by?.id).toBe('aad5f69bc161');
		expect(plan('5.4').label).toBe('v5.4-v5.5: pfn_to_online_page(), below max_pfn and above it (unbounded)');
		expect(plan('6.12').label).toBe('v5.6+: pfn_to_online_page(), below round_up(max_pfn, PAGES_PER_SECTION)');
		expect(walker.history.map(h => h.since)).toEqual(['4.13', '5.4', '5.6']);
	});
});

describe('kpagecount_read and kpagecgroup_read', () => {
	// A test that reads /proc/kpagecount and /proc/kpagecgroup over the same layout as above.
	//
	//   |   boot RAM (ok)   | hotplug, offline (C1) |
	//   0x0             0x8000                  0x10000 = max_pfn
	//
	// Expect the same guard as /proc/kpageflags: C1 read at v5.3, not at v5.4; each file reads its
	// own fields.
	it.each([
		['5.3', 0x8000],
		['5.4', 0],
	] as const)('share the guard of /proc/kpageflags (v%s)', (kernel, c1) => {
		const model = fakeModel({
			...SMALL,
			kernel,
			runs: [
				{start: 0, end: 0x8000, state: OK},
				{start: 0x8000, end: 0x10000, state: C1_POISON},
			],
			max_pfn: 0x10000,
		});
		const count = runNaive(kpagecount, model);
		const cgroup = runNaive(kpagecgroup, model);
		expect([count.touches.C1, cgroup.touches.C1]).toEqual([c1, c1]);
		expect(count.log[0]).toMatchObject({via: 'kpagecount_read', fields: ['flags', 'compound_head', 'page_type', '_mapcount']});
		expect(cgroup.log[0]).toMatchObject({via: 'page_cgroup_ino', fields: ['memcg_data']});
	});

	it('reads compound_head in page_cgroup_ino() from v6.12 (folio_memcg_check())', () => {
		const model = fakeModel({...SMALL, kernel: '6.12', runs: [{start: 0, end: 0x8000, state: OK}], max_pfn: 0x8000});
		expect(runNaive(kpagecgroup, model).log[0]).toMatchObject({fields: ['compound_head', 'memcg_data']});
		expect(kpagecount.history).toBe(walker.history);
		expect(kpagecgroup.plan(fakeModel({kernel: '5.3', runs: []}))!.label).toBe(walker.plan(fakeModel({kernel: '5.3', runs: []}))!.label);
	});
});

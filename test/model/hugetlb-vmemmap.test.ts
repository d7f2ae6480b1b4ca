/**
HugeTLB pages and HVO, the hugetlb vmemmap optimization (source/model/hugetlb-vmemmap.ts): a boot
entry's `hugetlb:` ranges and `config.hugetlb_vmemmap: true`.
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {explainPfn} from '../../source/model/explain.js';
import {at} from '../helpers/model-probe.js';
import {at as where, boot, expectRejected, parse, yaml} from '../topology/helpers.js';

// x86_64, boot RAM 0-2 GiB; two 2 MiB HugeTLB pages at 768 MiB (pfns 0x30000-0x30400), with HVO:
//
//   pfn    0x30000 head | 0x30001-0x3003f tails | 0x30040 fake head | 0x30041-0x3007f tails | ... 0x301c0 | ... 0x301ff | 0x30200 next head
//          own vmemmap page (64 struct pages)    read-only aliases of that page, one per further vmemmap page (7)
const text = (kernel: string, hvo: boolean, extra: string[] = []) =>
	yaml({
		kernel,
		config: hvo ? ['hugetlb_vmemmap: true'] : undefined,
		entries: [...boot('0', '2G'), '    hugetlb:', '      - { start: 768M, size: 4M }', ...extra],
	});
const model = (kernel: string, hvo = true) => buildModel(parse(text(kernel, hvo)));

describe('HugeTLB pages with HVO', () => {
	// A test that builds the map at v6.1 with HVO. Expect the first 64 pfns of each 2 MiB page `ok`
	// (head and tails with their own struct pages), pfns 64-511 `hvo` (read-only aliases), every
	// 64th of them a fake head, and the next page's head `ok` again.
	it('maps the tails past the first vmemmap page read-only from v5.18, with fake heads', () => {
		const m = model('6.1');
		expect(at(m, 0x3_0000)).toMatchObject({category: 'ok', memmap: {hugetlb: {order: 9, part: 'head', alias: false}}});
		expect(at(m, 0x3_003f)).toMatchObject({category: 'ok', memmap: {hugetlb: {part: 'tail', alias: false}}});
		expect(at(m, 0x3_0040)).toMatchObject({category: 'hvo', memmap: {hugetlb: {part: 'fake_head', alias: true}}});
		expect(at(m, 0x3_0041)).toMatchObject({category: 'hvo', memmap: {hugetlb: {part: 'tail', alias: true}}});
		expect(at(m, 0x3_01c0).memmap.hugetlb?.part).toBe('fake_head');
		expect(at(m, 0x3_01ff).category).toBe('hvo');
		expect(at(m, 0x3_0200)).toMatchObject({category: 'ok', memmap: {hugetlb: {part: 'head'}}});
		expect(at(m, 0x3_0400).memmap.hugetlb).toBeUndefined();
		expect(at(m, 0x3_0040).reason).toContain('PAGE_KERNEL_RO');
		// 1 head run, 1 tail run, then 7 x (fake head, tails) per page.
		const runs = m.runs.filter(run => run.start >= 0x3_0000 && run.end <= 0x3_0400);
		expect(runs).toHaveLength(2 * (2 + 14));
	});

	// A test that builds the same map at v5.15, before e7d324850bfc. Expect two vmemmap pages kept:
	// pfns 0-127 `ok`, 128-511 `hvo` tails, no fake head.
	it('keeps two vmemmap pages from v5.14 to v5.17, without fake heads', () => {
		const m = model('5.15');
		expect(at(m, 0x3_0040)).toMatchObject({category: 'ok', memmap: {hugetlb: {part: 'tail', alias: false}}});
		expect(at(m, 0x3_007f).category).toBe('ok');
		expect(at(m, 0x3_0080)).toMatchObject({category: 'hvo', memmap: {hugetlb: {part: 'tail', alias: true}}});
		expect(m.runs.some(run => run.state.memmap.hugetlb?.part === 'fake_head')).toBe(false);
	});

	// A test without config.hugetlb_vmemmap. Expect the HugeTLB pages `ok` head and tails throughout.
	it('leaves every struct page writable without HVO', () => {
		const m = model('6.12', false);
		expect(at(m, 0x3_0040)).toMatchObject({category: 'ok', memmap: {hugetlb: {part: 'tail', alias: false}}});
		expect(m.runs.some(run => run.state.category === 'hvo')).toBe(false);
	});

	// A test of explain --format json on a fake head. Expect the memmap's hugetlb key to say so.
	it('explains a fake head', () => {
		const m = model('6.12');
		expect(explainPfn(m, 0x3_0080).memmap.hugetlb).toEqual({order: 9, part: 'fake_head', read_only_alias: true});
		expect(explainPfn(m, 0x3_0080).category).toBe('hvo');
		expect(explainPfn(m, 0x2_0000).memmap).not.toHaveProperty('hugetlb');
	});

	// A test with a 1 GiB page at 1 GiB. Expect 4095 fake heads.
	it('optimizes 1 GiB pages as well', () => {
		const t = yaml({kernel: '6.12', config: ['hugetlb_vmemmap: true'], entries: [...boot('0', '2G'), '    hugetlb:', '      - { start: 1G, size: 1G, page_size: 1G }']});
		const m = buildModel(parse(t));
		expect(m.runs.filter(run => run.state.memmap.hugetlb?.part === 'fake_head')).toHaveLength(4095);
		expect(at(m, 0x4_0000).memmap.hugetlb).toEqual({order: 18, part: 'head', alias: false});
	});
});

describe('hugetlb and hugetlb_vmemmap in a topology file', () => {
	// Expect v5.13 to be refused at the key: HVO came in v5.14.
	it('refuses config.hugetlb_vmemmap before v5.14', () => {
		const t = text('5.13', true);
		expectRejected(t, where(t, 'hugetlb_vmemmap'), ['v5.14', 'HUGETLB_PAGE_FREE_VMEMMAP']);
		expect(parse(text('5.13', false)).memory[0]).toMatchObject({hugetlb: [{start: 768 * 2 ** 20, page_size: 2 ** 21}]});
	});

	// Expect arm64 to be refused (no ARCH_WANT_*_HUGETLB_VMEMMAP in 6.1 or 6.12), and x86_64 without VMEMMAP.
	it('refuses arches without HVO and configurations without SPARSEMEM_VMEMMAP', () => {
		const arm = yaml({arch: 'arm64-4k', kernel: '6.12', config: ['hugetlb_vmemmap: true'], entries: boot('0x4000_0000', '2G')});
		expectRejected(arm, where(arm, 'hugetlb_vmemmap'), ['ARCH_WANT_OPTIMIZE_HUGETLB_VMEMMAP']);
		const classic = yaml({kernel: '6.12', config: ['vmemmap: false', 'hugetlb_vmemmap: true'], entries: boot('0', '2G')});
		expectRejected(classic, where(classic, 'hugetlb_vmemmap'), ['SPARSEMEM_VMEMMAP']);
	});

	// Expect a range that is not page-size aligned, outside its boot entry or of an odd size refused.
	it('refuses misaligned, misplaced and odd-sized HugeTLB ranges', () => {
		const misaligned = yaml({entries: [...boot('0', '2G'), '    hugetlb:', '      - { start: 769M, size: 4M }']});
		expectRejected(misaligned, where(misaligned, '769M'), ['not a multiple of the page size 2M']);
		const outside = yaml({entries: [...boot('0', '2G'), '    hugetlb:', '      - { start: 2G, size: 2M }']});
		expectRejected(outside, where(outside, '2G, size'), ['not inside its boot entry']);
		const odd = yaml({entries: [...boot('0', '2G'), '    hugetlb:', '      - { start: 1G, size: 4M, page_size: 4M }']});
		expectRejected(odd, where(odd, 'page_size: 4M', '4M }'), ['not a HugeTLB page size', 'use page_size: 2M or 1G']);
	});
});

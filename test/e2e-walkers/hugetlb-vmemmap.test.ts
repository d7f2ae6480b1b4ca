/**
The `hvo` hazard end to end (source/model/hugetlb-vmemmap.ts, source/walker/hugetlb.ts): walkers
that write the struct page of a HugeTLB tail whose vmemmap HVO mapped read-only, and walkers that
only read it or write the head.
*/
import {describe, expect, it} from 'vitest';
import {DEFAULT_FAIL_SET} from '../../source/engine/fail-on.js';
import {evaluateWalker} from '../../source/engine/evaluate.js';
import {buildModel} from '../../source/model/build.js';
import {parseTopology} from '../../source/topology/load.js';
import damon_get_folio from '../../walkers/damon_get_folio.js';
import kvm_set_pfn_dirty from '../../walkers/kvm_set_pfn_dirty.js';
import kvm_try_get_pfn from '../../walkers/kvm_try_get_pfn.js';
import memory_failure from '../../walkers/memory_failure.js';
import split_huge_pages_all from '../../walkers/split_huge_pages_all.js';
import {audit, expectFailing, expectFixedBy, expectTouchedNotFailing, expectWitnessWritten, historyFix, stepAt} from './harness.js';

// x86_64, boot RAM [1 MiB, 2 GiB), four 2 MiB HugeTLB pages at 1 GiB, HVO on (or off):
//
//   pfn 0x40000 head | tails 0x40001-0x4003f | 0x40040 fake head | tails 0x40041-0x4007f | ... | 0x401c0 fake head | ... 0x401ff | next page 0x40200
//       ok: own vmemmap page                   hvo: read-only aliases of that page (7 per page)
const text = (hvo: boolean, extra: string[] = []) =>
	[
		'name: t',
		'arch: x86_64',
		'kernel: "6.1"',
		'config:',
		`  hugetlb_vmemmap: ${hvo}`,
		...extra.map(line => `  ${line}`),
		'memory:',
		'  - kind: boot',
		'    start: 0x10_0000',
		'    end: 0x8000_0000',
		'    hugetlb:',
		'      - { start: 0x4000_0000, size: 8M }',
	].join('\n') + '\n';
const HUGETLB: readonly [number, number] = [0x4_0000, 0x4_0800];

describe('hvo: writes to read-only HugeTLB tail struct pages', () => {
	// A test of split_huge_pages_all at v6.1, v6.10, v5.15 and without HVO. Expect at v6.1 failing
	// hvo touches whose witnesses are fake heads written by get_page_unless_zero(), 7 per page, and
	// the form naming bd225530a4c7 (v6.10); at v6.10 the same touches not failing; at v5.15 (two
	// vmemmap pages kept, no fake heads) none failing; without HVO no hvo at all.
	it('fails where get_page_unless_zero() increments a fake head, v5.18 to v6.9', () => {
		historyFix(split_huge_pages_all, '6.10', {id: 'bd225530a4c7'});
		const t = parseTopology(text(true), 't.yaml');
		const before = audit(split_huge_pages_all, t, '6.1');
		expectFailing(before.result, 'hvo', HUGETLB);
		expect(before.result.failing.hvo).toBe(4 * 7);
		expect(before.result.touches.hvo).toBe(4 * 448);
		expect(before.result.witnesses.filter(w => w.category === 'hvo').every(w => w.pfn % 64 === 0)).toBe(true);
		expectWitnessWritten(before, split_huge_pages_all, 'hvo', 'get_page_unless_zero');
		expectFixedBy(before.result, {id: 'bd225530a4c7', version: '6.10'});
		expectTouchedNotFailing(audit(split_huge_pages_all, t, '6.10').result, 'hvo');
		expectTouchedNotFailing(audit(split_huge_pages_all, t, '5.15').result, 'hvo');
		const off = audit(split_huge_pages_all, parseTopology(text(false), 't.yaml'), '6.1').result;
		expect(off.touches.hvo).toBe(0);
		expect(off.failing.ok).toBe(0);
	});

	// A test of the tally in both evaluation modes. Expect the same touches, writes, failing counts
	// and witnesses per pfn and per run: only the first write of a run is its hvo witness.
	it('counts write-only failures the same per pfn and per run', () => {
		const model = buildModel(parseTopology(text(true), 't.yaml'));
		const runs = evaluateWalker(split_huge_pages_all, model, {mode: 'runs', failOn: DEFAULT_FAIL_SET});
		const perPfn = evaluateWalker(split_huge_pages_all, model, {mode: 'per-pfn', failOn: DEFAULT_FAIL_SET});
		expect(perPfn.touches).toEqual(runs.touches);
		expect(perPfn.failing).toEqual(runs.failing);
		expect(perPfn.writes).toEqual(runs.writes);
		expect(perPfn.witnesses.map(w => [w.category, w.pfn, w.failing])).toEqual(runs.witnesses.map(w => [w.category, w.pfn, w.failing]));
	});

	// A test of damon_get_folio at v6.1 (damon_get_page(): get_page_unless_zero() on the raw page)
	// and v6.12 (folio_try_get(page_folio())). Expect failing hvo at v6.1, none at v6.12.
	it('fails in damon_get_page() and not in damon_get_folio()', () => {
		const t = parseTopology(text(true), 't.yaml');
		expectFailing(audit(damon_get_folio, t, '6.1').result, 'hvo', HUGETLB);
		expectTouchedNotFailing(audit(damon_get_folio, t, '6.12').result, 'hvo');
	});

	// A test of memory_failure at v6.1 on a tail. Expect TestSetPageHWPoison() on the head
	// (memory_failure_hugetlb()): the tail only read, no failing hvo.
	it('does not fail memory_failure(), which poisons the head', () => {
		const t = parseTopology(text(true), 't.yaml');
		const {model, result} = audit(memory_failure, t, '6.1');
		expectTouchedNotFailing(result, 'hvo');
		const touches = stepAt(memory_failure, model, 0x4_0041);
		expect(touches.map(touch => [touch.via, touch.access])).toEqual([
			['memory_failure', 'read'],
			['TestSetPageHWPoison(head)', 'read'],
		]);
	});

	// A test of the KVM PFNMAP walkers with /dev/mem open to RAM (strict_devmem: false) at v6.1.
	// Expect kvm_try_get_pfn (get_page_unless_zero() on the raw page) failing on fake heads and
	// kvm_set_pfn_dirty (SetPageDirty() is PF_HEAD, mark_page_accessed() takes the folio) not.
	it('fails kvm_try_get_pfn() on a PFNMAP of HugeTLB memory, not kvm_set_pfn_dirty()', () => {
		const t = parseTopology(text(true, ['strict_devmem: false']), 't.yaml');
		expectFailing(audit(kvm_try_get_pfn, t, '6.1').result, 'hvo', HUGETLB);
		expectTouchedNotFailing(audit(kvm_try_get_pfn, t, '6.12').result, 'hvo');
		expectTouchedNotFailing(audit(kvm_set_pfn_dirty, t, '6.1').result, 'hvo');
	});

	// A test of --fail-on without hvo. Expect the fake-head writes counted as writes, not failing.
	it('fails only when hvo is in --fail-on', () => {
		const model = buildModel(parseTopology(text(true), 't.yaml'));
		const result = evaluateWalker(split_huge_pages_all, model, {mode: 'runs', failOn: DEFAULT_FAIL_SET.filter(id => id !== 'hvo')});
		expect(result.writes?.hvo).toBe(4 * 7);
		expect(result.failing.hvo).toBe(0);
	});
});

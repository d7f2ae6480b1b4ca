/**
mm/hwpoison-inject.c:hwpoison_inject(): root writes any u64 to debugfs hwpoison/corrupt-pfn
(CONFIG_HWPOISON_INJECT). The only guard before the struct page is touched is pfn_valid(), in
every version read (5.10.262, 6.1.176, 6.12.117 [V]; the 4.x form from a public ~v4.4 copy and
the 5.10 merge shortlog [P]). Then it calls memory_failure(), modelled by walkers/
memory_failure.ts at the same kernel version, on the same pfn.

- v4.13–v5.9: p = pfn_to_page(); hpage = compound_head(p); get_hwpoison_page(p) pins the page
  (get_page_unless_zero(): a refcount write on any pfn_valid() page) before the filter check,
  then memory_failure(pfn, MF_COUNT_INCREASED).
- v5.10+: fd476720c9ba ("mm,hwpoison-inject: don't pin for hwpoison_filter", v5.10 merge
  window shortlog [P]) drops the pin; only compound_head() is read when the filter is off
  (page_folio() in the 6.12 tree; the folio conversion after 6.1 is not dated, so the name
  page_folio is shown from 6.12 on — the field read is the same).

hwpoison_filter_enable is 0 by default, so shake_page()/shake_folio(), the LRU/huge/buddy tests
and hwpoison_filter() (flags, memcg, mapping → inode → sb) are not modelled: with the filter on,
the derived head pointer of a poisoned memmap (0xff…fe) is dereferenced and faults [A].
Categories touched at every version [A]: C1, C2, C4, C5, metadata, hole — pfn_valid() says only
that a memmap exists. No mainline fix is known.
*/
import {atLeast, before} from '../source/kernel/version.js';
import {defineWalker} from '../source/walker/contract.js';
import {physicalSweep} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const HEAD = ['compound_head'] as const;
const FLAGS_REFCOUNT = ['flags', '_refcount'] as const;
import memory_failure from './memory_failure.js';

export default defineWalker({
	name: 'hwpoison_inject',
	models: 'mm/hwpoison-inject.c:hwpoison_inject()',
	trigger: 'write any pfn to /sys/kernel/debug/hwpoison/corrupt-pfn (CONFIG_HWPOISON_INJECT)',
	reachability: 'root-any-pfn',
	shape: 'one pfn per write, then memory_failure() on it; swept over every pfn of the physical address space and the boundary pfns beyond it',
	fields: ['compound_head', 'flags', '_refcount', 'mapping', 'index'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid()',
			confidence: 'P',
			note: 'compound_head() read and get_hwpoison_page() pin (refcount write) before hwpoison_filter_enable is tested',
		},
		{
			since: '5.10',
			guard: 'pfn_valid()',
			commits: [{id: 'fd476720c9ba', subject: "mm,hwpoison-inject: don't pin for hwpoison_filter"}],
			confidence: 'V',
			note: 'no pin any more; compound_head()/page_folio() is still read on any pfn_valid() pfn [A]',
		},
	],
	plan(model) {
		const k = model.kernel;
		const pins = before(k, '5.10');
		const head = atLeast(k, '6.12') ? 'page_folio' : 'compound_head';
		const inner = memory_failure.plan(model);
		const memoryFailureStep = inner?.passes[0]?.step;
		return {
			label: pins
				? 'v4.13–v5.9: pfn_valid(), compound_head() + get_hwpoison_page(), then memory_failure()'
				: `v5.10+: pfn_valid(), ${head}(), then memory_failure()`,
			guard: 'guards with pfn_valid() only',
			passes: [
				{
					label: 'corrupt-pfn: every pfn',
					ranges: physicalSweep(model),
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (!ctx.pfn_valid(pfn)) {
							return;
						}

						ctx.page(pfn, HEAD, head);
						if (pins) {
							ctx.page(pfn, FLAGS_REFCOUNT, 'get_hwpoison_page', 'write');
						}

						memoryFailureStep?.(ctx, pfn);
					},
				},
			],
		};
	},
});

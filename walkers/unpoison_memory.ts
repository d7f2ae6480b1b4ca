/**
mm/memory-failure.c:unpoison_memory(): root writes any pfn to debugfs hwpoison/unpoison-pfn
(mm/hwpoison-inject.c:hwpoison_unpoison(), CONFIG_HWPOISON_INJECT).

Forms:
- up to v6.16: pfn_valid() (-ENXIO), then p = pfn_to_page(); compound_head(); PageHWPoison(p).
  On a poisoned memmap (all bits set) PG_hwpoison reads as set, so the function goes on to
  page_count(), page_mapped(), page_mapping() and, through get_hwpoison_page() /
  TestClearPageHWPoison() / put_page(), writes flags and refcount. Miaohe Lin's report: after
  offlining a memory block, writing one of its pfns to unpoison-pfn hits
  VM_BUG_ON_PAGE(PagePoisoned(page)) (CONFIG_DEBUG_VM_PGFLAGS).
- v6.17+: pfn_to_online_page() (-EIO), d613f53c83ec "mm/memory-failure: fix
  VM_BUG_ON_PAGE(PagePoisoned(page)) when unpoison memory" (Miaohe Lin, Aug 2025; Fixes:
  f1dd2cd13c4b; CVE-2025-39883). It reached mainline through mm-hotfixes in the v6.17 cycle [P: v4
  patch, linux-next lists and the stable revlists that carry the id] and was backported to stable:
  the 5.10.262, 6.1.176 and 6.12.117 trees read here all have it [V]. With the named patch
  backport-d613f53c83ec (implied by every stable-* preset) the v6.17 form is in effect at any
  release. An earlier reading dated it 5.11–6.1 from 6.1.192: that was this backport.

An initialized page is modelled as not HWPoison (the model holds no hwpoison bits), so the path
stops after PageHWPoison(); garbage and poison contents take the worst case and continue.
*/
import {before} from '../source/kernel/version.js';
import {backportInEffect} from '../source/model/patches.js';
import type {StepContext} from '../source/walker/contract.js';
import {defineWalker} from '../source/walker/contract.js';
import {physicalSweep} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const HEAD_FLAGS = ['compound_head', 'flags'] as const;
const COUNTS_MAPPING = ['_refcount', '_mapcount', 'mapping'] as const;
const FLAGS_REFCOUNT = ['flags', '_refcount'] as const;

function unpoison(ctx: StepContext, pfn: number): void {
	const view = ctx.page(pfn, HEAD_FLAGS, 'unpoison_memory');
	if (view.content === 'init' || view.content === 'stale' || view.content === 'unbacked') {
		// Initialized: PageHWPoison() is clear ("already unpoisoned"). Unbacked: the read faulted.
		return;
	}

	ctx.page(pfn, COUNTS_MAPPING, 'unpoison_memory');
	ctx.page(pfn, FLAGS_REFCOUNT, 'TestClearPageHWPoison', 'write');
}

export default defineWalker({
	name: 'unpoison_memory',
	models: 'mm/memory-failure.c:unpoison_memory()',
	trigger: 'write any pfn to /sys/kernel/debug/hwpoison/unpoison-pfn (CONFIG_HWPOISON_INJECT)',
	reachability: 'root-any-pfn',
	shape: 'one pfn per write; swept over every pfn of the physical address space and the boundary pfns beyond it',
	fields: ['compound_head', 'flags', '_refcount', '_mapcount', 'mapping'],
	history: [
		{since: '4.13', guard: 'pfn_valid()', confidence: 'P'},
		{
			since: '6.17',
			guard: 'pfn_to_online_page()',
			commits: [{id: 'd613f53c83ec', subject: 'mm/memory-failure: fix VM_BUG_ON_PAGE(PagePoisoned(page)) when unpoison memory'}],
			confidence: 'P',
			note: 'CVE-2025-39883; stable backports verified in 5.10.262, 6.1.176, 6.12.117 (backport-d613f53c83ec)',
		},
	],
	plan(model) {
		const ranges = physicalSweep(model);
		// The fix by version from v6.17, or backported (every stable tree read has it).
		const online = backportInEffect(model.kernel, model.patches, 'backport-d613f53c83ec');
		if (!online) {
			return {
				label: '≤v6.16: pfn_valid()',
				guard: 'guards with pfn_valid() only',
				fixed_by: {id: 'd613f53c83ec', subject: 'mm/memory-failure: fix VM_BUG_ON_PAGE(PagePoisoned(page)) when unpoison memory', version: '6.17'},
				passes: [
					{
						label: 'unpoison-pfn: every pfn',
						ranges,
						direction: 'up',
						stride: 1,
						step(ctx, pfn) {
							if (ctx.pfn_valid(pfn)) {
								unpoison(ctx, pfn);
							}
						},
					},
				],
			};
		}

		return {
			label: before(model.kernel, '6.17') ? '≤v6.16 + backport-d613f53c83ec: pfn_to_online_page()' : 'v6.17+: pfn_to_online_page()',
			guard: 'guards with pfn_to_online_page()',
			passes: [
				{
					label: 'unpoison-pfn: every pfn',
					ranges,
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (ctx.pfn_to_online_page(pfn)) {
							unpoison(ctx, pfn);
						}
					},
				},
			],
		};
	},
});

/**
mm/memory-failure.c:memory_failure(), as reached from
/sys/devices/system/memory/hard_offline_page (drivers/base/memory.c:hard_offline_page_store(),
root, any physical address) and from debugfs hwpoison/corrupt-pfn (walkers/hwpoison_inject.ts).
Those callers pass no MF_COUNT_INCREASED (flags 0, MF_SW_SIMULATED from v5.19 [U]), so no
put_page() runs before the guards; the madvise(MADV_HWPOISON) caller only reaches its own
mapped pages and is not modelled.

Forms, by mainline release:
- v4.13–v4.18: pfn_valid(), then the normal path on pfn_to_page(): ZONE_DEVICE pages are
  handled like any kernel page (TestSetPageHWPoison(), get_hwpoison_page()).
- v4.19–v5.3: pfn_valid(), then get_dev_pagemap() routes ZONE_DEVICE pfns to
  memory_failure_dev_pagemap() (6100e34b2526). Offline memory (C1) still takes the normal path.
- v5.4–v5.11: pfn_to_online_page() for the normal path, else pfn_valid() && get_dev_pagemap()
  (96c804a6ae8c). The dev_pagemap path dereferences page->mapping of altmap metadata (C5 and
  the memmap-storage pfns) in dax_lock_page(): Dan Williams to David Hildenbrand, linux-mm, 12 Jan 2021 ("get_dev_pagemap() is valid for the metadata space").
- v5.12+: memory_failure_dev_pagemap() refuses metadata pfns with pgmap_pfn_valid() before
  touching the page (34dc45be4563). The stable trees carry it earlier (5.10.262 read [V]): with
  the named patch backport-34dc45be4563 (or the stable-5.10.262 preset) the check is in effect
  from v4.19, the first release with memory_failure_dev_pagemap().
  Still open [A]: get_dev_pagemap() succeeds during the memmap_init_zone_device() window and
  pgmap_pfn_valid() is arithmetic, so C4 is touched (and written: SetPageHWPoison()).
- From v5.17 arch_memory_failure() runs first when pfn_to_online_page() is NULL (x86 SGX EPC
  pages, outside any memmap: 03b122da74b2 "x86/sgx: Hook arch_memory_failure() into mainline
  code" [P: tip and linux-next revlists]; absent in 5.10.262, present in 6.1.176 and 6.12.117
  [V]); it returns -ENXIO for every pfn the model holds and is not modelled further.

The page is modelled up to the first write on each path, with the worst case where the
kernel's decision depends on page contents the model does not hold (refcount, mapping): the
path continues. Verified in linux-source 5.10.262, 6.1.176 and 6.12.117
(mm/memory-failure.c:memory_failure(), memory_failure_dev_pagemap(), mf_generic_kill_procs());
the pre-5.4 forms come from the patch mails of 6100e34b2526 and 96c804a6ae8c [P].
*/
import {atLeast, before} from '../source/kernel/version.js';
import {backportInEffect} from '../source/model/patches.js';
import type {StepContext} from '../source/walker/contract.js';
import {defineWalker} from '../source/walker/contract.js';
import {isHugetlbTail} from '../source/walker/hugetlb.js';
import {physicalSweep} from '../source/walker/ranges.js';

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const HEAD_FLAGS = ['compound_head', 'flags'] as const;
const HEAD_MAPPING = ['compound_head', 'mapping'] as const;

/**
The normal (buddy/online) path, two touches: PageHuge() (try_memory_failure_hugetlb() from
v5.x [U]) reads compound_head and flags; depending on its answer TestSetPageHWPoison() then
writes flags. get_hwpoison_page()'s refcount write comes after that first write and is not
modelled.
*/
function normalPath(ctx: StepContext, pfn: number): void {
	const view = ctx.page(pfn, HEAD_FLAGS, 'memory_failure');
	if (isHugetlbTail(view.hugetlb)) {
		// memory_failure_hugetlb() (try_memory_failure_hugetlb() in 6.1 and 6.12): the head's flags
		// (hugetlb_update_hwpoison(): TestSetPageHWPoison(hpage), the raw page on a list) [V 6.1].
		ctx.page(pfn, HEAD_FLAGS, 'TestSetPageHWPoison(head)', 'write');
		return;
	}

	ctx.page(pfn, FLAGS, 'TestSetPageHWPoison', 'write');
}

/**
memory_failure_dev_pagemap() (mf_generic_kill_procs() from v5.19 [U]), two touches:
dax_lock_page() reads page->mapping (dax_lock_folio() on pfn_folio() in the 6.12 tree; the
rename is dated v6.7 [U] and only changes the name shown), then, once the lock is taken,
SetPageHWPoison() writes flags. collect_procs()/unmap_mapping_range() read mapping and index
after that first write (not modelled).
*/
function devPagemapPath(ctx: StepContext, pfn: number): void {
	const lock = atLeast(ctx.kernel, '6.7') ? 'dax_lock_folio' : 'dax_lock_page';
	ctx.page(pfn, HEAD_MAPPING, lock);
	ctx.page(pfn, FLAGS, 'SetPageHWPoison', 'write');
}

export default defineWalker({
	name: 'memory_failure',
	models: 'mm/memory-failure.c:memory_failure()',
	trigger:
		'write a physical address to /sys/devices/system/memory/hard_offline_page (or a pfn to debugfs hwpoison/corrupt-pfn); also MCE/GHES with the failing pfn',
	reachability: 'root-any-pfn',
	shape: 'one pfn per call; swept over every pfn of the physical address space and the boundary pfns beyond it',
	fields: ['compound_head', 'flags', '_refcount', 'mapping', 'index'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid()',
			confidence: 'P',
			note: 'ZONE_DEVICE pages go the normal path as "reserved kernel page still referenced"',
		},
		{
			since: '4.19',
			guard: 'pfn_valid(), then get_dev_pagemap() → memory_failure_dev_pagemap()',
			commits: [{id: '6100e34b2526', subject: 'mm, memory_failure: Teach memory_failure() about dev_pagemap pages'}],
			confidence: 'P',
		},
		{
			since: '5.4',
			guard: 'pfn_to_online_page() || (pfn_valid() && get_dev_pagemap())',
			commits: [{id: '96c804a6ae8c', subject: "mm/memory-failure.c: don't access uninitialized memmaps in memory_failure()"}],
			confidence: 'P',
		},
		{
			since: '5.12',
			guard: 'pfn_to_online_page() || (pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid())',
			commits: [
				{id: '34dc45be4563', subject: 'mm: fix memory_failure() handling of dax-namespace metadata'},
				{id: '1f90a3477df3', subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions'},
			],
			confidence: 'V',
			note: 'verified in 5.10.262 (stable backport), 6.1.176, 6.12.117; C4 stays reachable [A]',
		},
		{
			since: '5.17',
			guard: 'pfn_to_online_page() || arch_memory_failure() || (pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid())',
			commits: [{id: '03b122da74b2', subject: 'x86/sgx: Hook arch_memory_failure() into mainline code'}],
			confidence: 'P',
			note: 'arch_memory_failure() handles x86 SGX EPC pfns only (no struct page); present in 6.1.176 and 6.12.117, absent in 5.10.262 [V]',
		},
	],
	plan(model) {
		const k = model.kernel;
		const sweep = physicalSweep(model);
		if (before(k, '4.19')) {
			return {
				label: 'v4.13–v4.18: pfn_valid()',
				guard: 'guards with pfn_valid() only',
				fixed_by: {id: '96c804a6ae8c', subject: "mm/memory-failure.c: don't access uninitialized memmaps in memory_failure()", version: '5.4'},
				passes: [
					{
						label: 'hard_offline_page: every pfn',
						ranges: sweep,
						direction: 'up',
						stride: 1,
						step(ctx, pfn) {
							if (!ctx.pfn_valid(pfn)) {
								return;
							}

							normalPath(ctx, pfn);
						},
					},
				],
			};
		}

		// 34dc45be4563's pgmap_pfn_valid() check: by version from v5.12, or backported (stable).
		const metadataCheck = backportInEffect(k, model.patches, 'backport-34dc45be4563');
		const backported = metadataCheck && before(k, '5.12') ? ' + backport-34dc45be4563: pgmap_pfn_valid()' : '';
		if (before(k, '5.4')) {
			return {
				label: `v4.19–v5.3: pfn_valid(), then get_dev_pagemap() → memory_failure_dev_pagemap()${backported}`,
				guard: `guards with pfn_valid() and routes get_dev_pagemap() pfns to memory_failure_dev_pagemap()${metadataCheck ? ', which refuses metadata with pgmap_pfn_valid()' : ''}`,
				fixed_by: {id: '96c804a6ae8c', subject: "mm/memory-failure.c: don't access uninitialized memmaps in memory_failure()", version: '5.4'},
				passes: [
					{
						label: 'hard_offline_page: every pfn',
						ranges: sweep,
						direction: 'up',
						stride: 1,
						step(ctx, pfn) {
							if (!ctx.pfn_valid(pfn)) {
								return;
							}

							const pgmap = ctx.get_dev_pagemap(pfn);
							if (pgmap === null) {
								normalPath(ctx, pfn);
							} else if (!metadataCheck || ctx.pgmap_pfn_valid(pgmap, pfn)) {
								devPagemapPath(ctx, pfn);
							}
						},
					},
				],
			};
		}

		return {
			label: metadataCheck
				? before(k, '5.12')
					? `v5.4–v5.11: pfn_to_online_page() || (pfn_valid() && get_dev_pagemap())${backported}`
					: 'v5.12+: pfn_to_online_page() || (pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid())'
				: 'v5.4–v5.11: pfn_to_online_page() || (pfn_valid() && get_dev_pagemap())',
			guard: metadataCheck
				? 'guards with pfn_to_online_page(), else pfn_valid() && get_dev_pagemap() && pgmap_pfn_valid()'
				: 'guards with pfn_to_online_page(), else pfn_valid() && get_dev_pagemap()',
			...(metadataCheck
				? {}
				: {fixed_by: {id: '34dc45be4563', subject: 'mm: fix memory_failure() handling of dax-namespace metadata', version: '5.12'}}),
			passes: [
				{
					label: 'hard_offline_page: every pfn',
					ranges: sweep,
					direction: 'up',
					stride: 1,
					step(ctx, pfn) {
						if (ctx.pfn_to_online_page(pfn)) {
							normalPath(ctx, pfn);
							return;
						}

						if (!ctx.pfn_valid(pfn)) {
							return;
						}

						const pgmap = ctx.get_dev_pagemap(pfn);
						if (pgmap === null) {
							return;
						}

						// "device metadata space is not recoverable" (v5.12+ or backported): nothing is touched first,
						// because these callers pass no MF_COUNT_INCREASED.
						if (metadataCheck && !ctx.pgmap_pfn_valid(pgmap, pfn)) {
							return;
						}

						devPagemapPath(ctx, pfn);
					},
				},
			],
		};
	},
});

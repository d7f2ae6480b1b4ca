/**
fs/proc/page.c:kpageflags_read() → stable_page_flags(). Also the shared guard
history and pfn domain of its siblings kpagecount_read() and kpagecgroup_read(), which have had the
same guard and bounds in every version.

Userspace: read()/pread() of /proc/kpageflags (0400 root); the file offset / 8 is the pfn, so a
root user can start anywhere; one pfn per 8-byte entry, no skipping (an unusable pfn reads as 0).

Guard:
- v4.13-v5.3: pfn_valid(pfn) → pfn_to_page().
- v5.4+: pfn_to_online_page(), aad5f69bc161 "fs/proc/page.c: don't access uninitialized memmaps in
  fs/proc/page.c" (David Hildenbrand, 2019-10-18, Cc stable 4.13+) [P]; ZONE_DEVICE is
  deliberately not inspected ("TODO: ZONE_DEVICE support requires to identify memmaps that were
  actually initialized", still in 5.10, 6.1, 6.12 [V]).

Bound:
- v4.13-v5.5: `count = min(count, max_pfn * 8 - src)` in unsigned arithmetic, before the alignment
  test. A read starting at max_pfn returns nothing, but one starting above it underflows the
  subtraction and reads on unbounded [P: abec749facff changelog: "it is possible to inspect PFNs up
  to max_pfn, and PFNs above max_pfn, however, max_pfn itself can't be inspected"; the page-types
  "(almost) endless loop"]. Modelled as [0, max_pfn) plus every pfn above max_pfn up to the end of
  the physical address space and its boundary pfns.
- v5.6+: [0, get_max_dump_pfn()) = [0, round_up(max_pfn, PAGES_PER_SECTION)) with SPARSEMEM,
  abec749facff "fs/proc/page.c: allow inspection of last section and fix end detection" (David
  Hildenbrand, committed with e822969cab48 on 2020-02-03, v5.6) [P; V 5.10, 6.1, 6.12].

Reads (stable_page_flags(), every version read): page_folio()/compound_head, flags, mapping
(anon/KSM bits), _mapcount (page_mapped()), page_type (buddy, offline, table, ...; the _mapcount
word before v4.18). The
compound order of a head page lives in the following struct page and is not modelled.
*/
import {atLeast, before, type KernelVersion} from '../source/kernel/version.js';
import type {Model} from '../source/model/types.js';
import type {GuardChange, PageField, Pass, StepContext, WalkerForm} from '../source/walker/contract.js';
import {defineWalker, PageBuddy_field} from '../source/walker/contract.js';
import {belowMaxDumpPfn, type PfnSpan, physicalSweep} from '../source/walker/ranges.js';

/** Guard history shared by kpageflags_read(), kpagecount_read() and kpagecgroup_read(). */
export const kpageHistory: readonly GuardChange[] = [
	{
		since: '4.13',
		guard: 'pfn_valid(); bound max_pfn (reads starting above max_pfn are not bounded)',
		confidence: 'P',
		note: 'pfn_valid() → pfn_to_page(), as in the patch context of aad5f69bc161.',
	},
	{
		since: '5.4',
		guard: 'pfn_to_online_page() (ZONE_DEVICE deliberately not inspected)',
		commits: [{id: 'aad5f69bc161', subject: "fs/proc/page.c: don't access uninitialized memmaps in fs/proc/page.c"}],
		confidence: 'P',
		note: 'Merged 2019-10-18 (v5.4-rc4), Cc stable 4.13+. The same TODO comment about ZONE_DEVICE is in 5.10, 6.1 and 6.12 [V].',
	},
	{
		since: '5.6',
		guard: 'pfn_to_online_page(); bound round_up(max_pfn, PAGES_PER_SECTION) (get_max_dump_pfn())',
		commits: [{id: 'abec749facff', subject: 'fs/proc/page.c: allow inspection of last section and fix end detection'}],
		confidence: 'P',
		note: 'Series "mm: fix max_pfn not falling on section boundary" v2 (Dec 2019), committed 2020-02-03 with e822969cab48; id from a later Fixes: tag. get_max_dump_pfn() read in 5.10, 6.1, 6.12 [V].',
	},
];

/** Every pfn at or above `from` that a read can reach when the bound underflows (v4.13-v5.5). */
function sweepFrom(model: Model, from: number): PfnSpan[] {
	const spans: PfnSpan[] = [];
	for (const span of physicalSweep(model)) {
		const start = Math.max(span.start, from);
		if (start < span.end) {
			spans.push({start, end: span.end});
		}
	}

	return spans;
}

/** The pfns a root user can read through /proc/kpage*, at the model's kernel version. */
export function kpageRanges(model: Model): {label: string; ranges: PfnSpan[]} {
	if (atLeast(model.kernel, '5.6')) {
		return {label: '[0, round_up(max_pfn, PAGES_PER_SECTION))', ranges: belowMaxDumpPfn(model)};
	}

	const below = model.max_pfn > 0 ? [{start: 0, end: model.max_pfn}] : [];
	return {
		label: '[0, max_pfn) and every pfn above max_pfn (the count bound underflows)',
		ranges: [...below, ...sweepFrom(model, model.max_pfn + 1)],
	};
}

/**
The guard of all three files at a version: pfn_valid() before v5.4, pfn_to_online_page() after;
decided once, at plan time (the step runs per pfn in per-pfn mode).
*/
function kpageGuardAt(kernel: KernelVersion): (ctx: StepContext, pfn: number) => boolean {
	return before(kernel, '5.4') ? (ctx, pfn) => ctx.pfn_valid(pfn) : (ctx, pfn) => ctx.pfn_to_online_page(pfn);
}

/** The WalkerForm of a /proc/kpage* reader: one pass over kpageRanges(), reading `fields` through `via`. */
export function kpageForm(model: Model, fields: (kernel: KernelVersion) => readonly PageField[], via: string): WalkerForm {
	const {label: rangeLabel, ranges} = kpageRanges(model);
	const read = fields(model.kernel);
	const guard = kpageGuardAt(model.kernel);
	const pass: Pass = {
		label: rangeLabel,
		ranges,
		direction: 'up',
		stride: 1,
		step(ctx, pfn) {
			if (guard(ctx, pfn)) {
				ctx.page(pfn, read, via);
			}
		},
	};
	if (before(model.kernel, '5.4')) {
		return {
			label: 'v4.13-v5.3: pfn_valid(), below max_pfn and above it (unbounded)',
			guard: 'guards with pfn_valid()',
			passes: [pass],
			fixed_by: {id: 'aad5f69bc161', subject: "fs/proc/page.c: don't access uninitialized memmaps in fs/proc/page.c", version: '5.4'},
		};
	}

	if (before(model.kernel, '5.6')) {
		return {
			label: 'v5.4-v5.5: pfn_to_online_page(), below max_pfn and above it (unbounded)',
			guard: 'guards with pfn_to_online_page()',
			passes: [pass],
		};
	}

	return {
		label: 'v5.6+: pfn_to_online_page(), below round_up(max_pfn, PAGES_PER_SECTION)',
		guard: 'guards with pfn_to_online_page()',
		passes: [pass],
	};
}

export default defineWalker({
	name: 'kpageflags_read',
	models: 'fs/proc/page.c:kpageflags_read()',
	trigger: 'read or pread /proc/kpageflags (page-types, procrank); the file offset / 8 selects the pfn',
	reachability: 'root-any-pfn',
	shape: 'consecutive pfns from a user-chosen offset, stride 1, no skipping',
	fields: ['flags', 'compound_head', 'mapping', '_mapcount', 'page_type'],
	history: kpageHistory,
	plan(model) {
		return kpageForm(
			model,
			kernel => ['flags', 'compound_head', 'mapping', ...new Set(['_mapcount', PageBuddy_field(kernel)] as const)],
			'stable_page_flags',
		);
	},
});

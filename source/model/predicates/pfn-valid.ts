/**
pfn_valid(): "is there a memmap entry (struct page) for this pfn" — never "is it initialized".

Generic SPARSEMEM version, include/linux/mmzone.h:pfn_valid():
- v4.13–v5.2: pfn_to_section_nr(pfn) >= NR_MEM_SECTIONS → 0; then valid_section() (section
  granularity).
- v5.3: `early_section(ms) || pfn_section_valid(ms, pfn)` — subsection precision for hot-added
  sections, early sections valid in full (326e1b8f83a4 "mm/sparsemem: Introduce a SECTION_IS_EARLY
  flag" and "mm/sparsemem: Support sub-section hotplug", Dan Williams' sub-section series) [M].
- v5.14: the upper-bits check `PHYS_PFN(PFN_PHYS(pfn)) != pfn` → 0 moved into the generic
  version (16c9afc77660 "arm64/mm: drop HAVE_ARCH_PFN_VALID", whose generic half survived the
  partial revert 3eb9cdffb397) [M; V in 6.1/6.12, absent in 5.10].
- v6.8: valid_section()/pfn_section_valid() under RCU with READ_ONCE(ms->usage), in three
  commits (section.ts pfn_section_valid()): 5ec8e8ea8b77 "mm/sparsemem: fix race in accessing
  memory_section->usage" (rcu_read_lock(), READ_ONCE), f6564fce256a "mm, kmsan: fix infinite
  recursion due to RCU critical section" (rcu_read_lock_sched(), v6.8) and 82f0b6f041fa "mm:
  prevent derefencing NULL ptr in pfn_section_valid()" (the NULL test, v6.10). No change to the
  answer, noted for the use-after-free of `usage` before it; stable
  trees carry them (backport-5ec8e8ea8b77: 5.10.262 with rcu_read_lock(), 6.1.176 with
  rcu_read_lock_sched() [V]). `explain` names the form.

arm64 version (CONFIG_HAVE_ARCH_PFN_VALID, arch/arm64/mm/init.c:pfn_valid(), until v5.16):
- v4.13–v5.11: upper-bits check `(addr >> PAGE_SHIFT) != pfn` (5ad356eabc47 "arm64: mm: check for
  upper PAGE_SHIFT bits in pfn_valid()"; cherry-picked into 4.9/4.14-based trees in Aug 2018,
  mainline release not verified — before it a pfn with upper bits set wrapped in PFN_PHYS() and
  memblock could say yes); with SPARSEMEM the NR_MEM_SECTIONS bound and valid_section() [U: the
  exact release of the section checks]; then memblock_is_map_memory(): NOMAP pfns and every
  ZONE_DEVICE pfn (no memblock entry) are !pfn_valid. pfnaudit assumes both checks from v4.13 and
  says so in the model notes.
- v5.12: non-early sections answer pfn_section_valid() (eeb0753ba27b "arm64/mm: Fix pfn_valid()
  for ZONE_DEVICE based memory", 093bbe211ea5 "arm64/mm: Reorganize pfn_valid()", V3 of the
  series); backport-eeb0753ba27b [V in Debian 5.10.262, without the reorganisation].
- v5.14: the final test is memblock_is_memory(): NOMAP becomes pfn_valid (a7d9f306ba70 "arm64:
  drop pfn_valid_within() and simplify pfn_valid()").
- v5.16: arm64 uses the generic version (3de360c3fdb3 "arm64/mm: drop HAVE_ARCH_PFN_VALID",
  after a9c38c5d267c "dma-mapping: remove bogus test for pfn_valid from dma_map_resource"); in
  5.15.y from 5.15.36 (backport-3de360c3fdb3, context.ts hasArchPfnValid()).

What-if `arm64-pfn-valid-v2` (<1612239114-28428-2-git-send-email-anshuman.khandual@arm.com>): V2 of that series computed
`__pfn_to_section(pfn)` before the NR_MEM_SECTIONS bound. Before v5.18 __nr_to_section() has no
root bound, so a pfn with section number >= NR_MEM_SECTIONS reads past the root array. The patch
changes only that order (and the non-early branch V3 kept): the memblock test of early sections
follows the version it is applied to, memblock_is_map_memory() before v5.14 and
memblock_is_memory() from v5.14 (a7d9f306ba70), so NOMAP pfns are pfn_valid() there too.
*/
import {atLeast, before} from '../../kernel/version.js';
import {hasArchPfnValid, hasArm64PfnValidV2, hasBackport, type ModelContext} from '../context.js';
import type {PfnFacts} from '../facts.js';
import {__nr_to_section, early_section, pfn_section_valid, valid_section} from './section.js';

export type PfnValidAnswer = {
	readonly valid: boolean;
	/** __nr_to_section() indexed the root array out of bounds on the way. */
	readonly oob: boolean;
	/** The kernel function that answered, for explain. */
	readonly form: string;
};

/** The generic include/linux/mmzone.h form. */
export function pfn_valid_generic(ctx: ModelContext, facts: PfnFacts): PfnValidAnswer {
	const form = hasBackport(ctx, 'backport-5ec8e8ea8b77')
		? 'include/linux/mmzone.h:pfn_valid() (under RCU, READ_ONCE(ms->usage): 5ec8e8ea8b77)'
		: 'include/linux/mmzone.h:pfn_valid()';
	if (atLeast(ctx.kernel, '5.14') && !facts.upper_bits_ok) {
		return {valid: false, oob: false, form};
	}

	if (!facts.section_nr_in_range) {
		return {valid: false, oob: false, form};
	}

	if (!valid_section(facts)) {
		return {valid: false, oob: false, form};
	}

	if (before(ctx.kernel, '5.3')) {
		return {valid: true, oob: false, form};
	}

	return {valid: early_section(ctx, facts) || pfn_section_valid(ctx, facts), oob: false, form};
}

/**
The final memblock test of arm64's pfn_valid() for early sections: memblock_is_map_memory() (NOMAP
pfns are not valid) before v5.14, memblock_is_memory() from v5.14 (a7d9f306ba70 "arm64: drop
pfn_valid_within() and simplify pfn_valid()").
*/
function arm64MemblockTest(ctx: ModelContext, facts: PfnFacts): boolean {
	return atLeast(ctx.kernel, '5.14') ? facts.memblock_memory : facts.memblock_memory && !facts.memblock_nomap;
}

/** arm64's arch/arm64/mm/init.c form at the model's version (v4.13–v5.15). */
export function pfn_valid_arm64(ctx: ModelContext, facts: PfnFacts): PfnValidAnswer {
	const form = 'arch/arm64/mm/init.c:pfn_valid()';
	if (!facts.upper_bits_ok || !facts.section_nr_in_range || !valid_section(facts)) {
		return {valid: false, oob: false, form};
	}

	if (hasBackport(ctx, 'backport-eeb0753ba27b') && !early_section(ctx, facts)) {
		return {valid: pfn_section_valid(ctx, facts), oob: false, form};
	}

	return {valid: arm64MemblockTest(ctx, facts), oob: false, form};
}

/** The V2 what-if ordering: section lookup before the NR_MEM_SECTIONS bound. */
export function pfn_valid_arm64_v2(ctx: ModelContext, facts: PfnFacts): PfnValidAnswer {
	const form = 'arch/arm64/mm/init.c:pfn_valid() [what-if arm64-pfn-valid-v2]';
	if (!facts.upper_bits_ok) {
		return {valid: false, oob: false, form};
	}

	// `struct mem_section *ms = __pfn_to_section(pfn);` in the declaration, before the bound.
	const oob = __nr_to_section(ctx, facts).kind === 'oob';
	if (!facts.section_nr_in_range || !valid_section(facts)) {
		return {valid: false, oob, form};
	}

	if (!early_section(ctx, facts)) {
		return {valid: pfn_section_valid(ctx, facts), oob, form};
	}

	// The patch reorders the section checks only; the final memblock test is the one of the
	// version it is applied to, as in pfn_valid_arm64() above.
	return {valid: arm64MemblockTest(ctx, facts), oob, form};
}

/** pfn_valid() as the model's kernel, arch and patches have it. */
export function pfn_valid(ctx: ModelContext, facts: PfnFacts): PfnValidAnswer {
	if (hasArm64PfnValidV2(ctx)) {
		return pfn_valid_arm64_v2(ctx, facts);
	}

	return hasArchPfnValid(ctx) ? pfn_valid_arm64(ctx, facts) : pfn_valid_generic(ctx, facts);
}

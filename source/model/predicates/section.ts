/**
The section helpers of include/linux/mmzone.h, answered from PfnFacts. Each is a null-checked flag
test in the kernel; a section that is not present (or whose root is not allocated) reads as all
flags clear, which is what the kernel's `section && (...)` gives for an unused mem_section entry.
*/
import {hasBackport, hasEarlyFlag, hasPfnSectionValid, hasSubsections, hasZoneDeviceTaint, type ModelContext, supportsZoneDevice} from '../context.js';
import type {PfnFacts} from '../facts.js';
import type {SectionState} from '../types.js';

/**
include/linux/mmzone.h:__nr_to_section(nr).
- v5.18+: returns NULL when SECTION_NR_TO_ROOT(nr) >= NR_SECTION_ROOTS (a431dbbc5405 "mm/sparsemem:
  fix 'mem_section' will never be NULL gcc 12 warning", Waiman Long); in stable 4.19.238,
  5.10.111, 5.15.34 (April 2022): backport-a431dbbc5405 [V in Debian 5.10.262].
- before v5.18 (without the backport): no root bound; a root index >= NR_SECTION_ROOTS reads past
  the root array (SPARSEMEM_EXTREME, memblock-allocated since v4.15, 83e3c48729d9): `oob`.
Callers in mainline check pfn_to_section_nr(pfn) < NR_MEM_SECTIONS first; only the arm64 V2
what-if patch does not.
*/
export function __nr_to_section(ctx: ModelContext, facts: PfnFacts): {kind: 'oob'} | {kind: 'null'} | {kind: 'section'; ms: SectionState} {
	if (!facts.root_in_range) {
		return hasBackport(ctx, 'backport-a431dbbc5405') ? {kind: 'null'} : {kind: 'oob'};
	}

	if (!facts.section_nr_in_range) {
		// Same root array, entry past NR_MEM_SECTIONS: never allocated.
		return {kind: 'null'};
	}

	return {kind: 'section', ms: facts.section};
}

/** present_section(): SECTION_MARKED_PRESENT. */
export function present_section(facts: PfnFacts): boolean {
	return facts.section_nr_in_range && facts.section.present;
}

/** valid_section(): SECTION_HAS_MEM_MAP (a memmap exists for the section). */
export function valid_section(facts: PfnFacts): boolean {
	return facts.section_nr_in_range && facts.section.valid;
}

/** online_section(): SECTION_IS_ONLINE (v4.13, 2d070eab2e82 "mm: consider zone which is not fully populated to have holes"). */
export function online_section(facts: PfnFacts): boolean {
	return facts.section_nr_in_range && facts.section.online;
}

/** early_section(): SECTION_IS_EARLY (v5.3, 326e1b8f83a4); the flag does not exist before, so false. */
export function early_section(ctx: ModelContext, facts: PfnFacts): boolean {
	return hasEarlyFlag(ctx) && facts.section_nr_in_range && facts.section.early;
}

/**
online_device_section(): SECTION_IS_ONLINE and SECTION_TAINT_ZONE_DEVICE both set (v5.12,
1f90a3477df3 "mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions"). Since v6.0
the flags are an enum ("mm: memory_hotplug: enumerate all supported section flags", Muchun Song,
v12 posted 16 May 2022 [P]; mainline id ed7802dd48f7 [U: not checked against mainline]) and the
taint bit exists only with CONFIG_ZONE_DEVICE; pfnaudit assumes
CONFIG_ZONE_DEVICE wherever the arch supports it (not s390).
*/
export function online_device_section(ctx: ModelContext, facts: PfnFacts): boolean {
	return hasZoneDeviceTaint(ctx) && supportsZoneDevice(ctx) && online_section(facts) && facts.section.taint_zone_device;
}

/**
pfn_section_valid(ms, pfn): with SPARSEMEM_VMEMMAP, the subsection_map bit of the pfn; without
VMEMMAP a stub returning 1 [V 5.10, 6.12]. How `ms->usage` is read changed three times:
- v6.8: READ_ONCE(ms->usage) (5ec8e8ea8b77 "mm/sparsemem: fix race in accessing
  memory_section->usage"; pfn_valid() takes rcu_read_lock() around it);
- v6.8: rcu_read_lock_sched() instead (f6564fce256a "mm, kmsan: fix infinite recursion due to RCU
  critical section", Marco Elver);
- v6.10: `usage ? test_bit(...) : 0` (82f0b6f041fa "mm: prevent derefencing NULL ptr in
  pfn_section_valid()", CVE-2024-41055); between 5ec8e8ea8b77 and it a NULL usage was dereferenced.
All three are in Debian 6.1.176; 5.10.262 has the first and third with rcu_read_lock() [V]
(backport-5ec8e8ea8b77). The model never holds a valid section without usage, so no answer depends
on them. It exists from
v5.3 (f46edbd1b151 "mm/sparsemem: add helpers track active portions of a section at boot", in
Dan Williams' "mm: Sub-section memory hotplug support" series) [P: commit read]; before, pfnaudit
answers "the section has a memmap", the granularity pfn_valid() had then.
*/
export function pfn_section_valid(ctx: ModelContext, facts: PfnFacts): boolean {
	if (!hasSubsections(ctx)) {
		return hasPfnSectionValid(ctx) ? true : valid_section(facts);
	}

	return facts.section.usage && facts.subsection_bit;
}

/** pfn_in_present_section() (formerly pfn_present()): bound check, then present_section(). */
export function pfn_in_present_section(facts: PfnFacts): boolean {
	return facts.section_nr_in_range && present_section(facts);
}

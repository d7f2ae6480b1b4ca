/**
Which of the predicates `explain` lists do not exist in the selected kernel, and what pfnaudit
answers for them instead. A kernel developer reading `pfn_valid_within() 1` at v6.12 or
`early_section() 0` at v4.19 should be told that the helper is not in that tree, not left to
think the model evaluated it there.
- early_section(): SECTION_IS_EARLY, v5.3 (326e1b8f83a4 "mm/sparsemem: introduce a
  SECTION_IS_EARLY flag"); answered false before (section.ts).
- pfn_section_valid(): v5.3 (f46edbd1b151 "mm/sparsemem: add helpers track active portions of a
  section at boot", Dan Williams' sub-section hotplug series); answered as valid_section() before
  (section.ts).
- online_device_section(): v5.12 (1f90a3477df3 "mm: teach pfn_to_online_page() about ZONE_DEVICE
  section collisions"); answered false before. Not in Debian 5.10.262 [V].
- pgmap_pfn_valid(): v5.12 (34dc45be4563 "mm: fix memory_failure() handling of dax-namespace
  metadata"), earlier with backport-34dc45be4563 (in Debian 5.10.262 [V]); answered false without.
- pfn_valid_within(): removed in v5.15 (859a85ddf90e "mm: remove pfn_valid_within() and
  CONFIG_HOLES_IN_ZONE"); answered 1, what its former callers now assume (pfn-valid-within.ts).
The version tests are the context.ts helpers the predicates themselves ask, so the two cannot
drift apart.
*/
import {atLeast} from '../../kernel/version.js';
import {hasEarlyFlag, hasPfnSectionValid, hasZoneDeviceTaint} from '../context.js';
import {backportInEffect} from '../patches.js';
import type {Model} from '../types.js';

export type AbsentPredicate = 'early_section' | 'pfn_section_valid' | 'online_device_section' | 'pgmap_pfn_valid' | 'pfn_valid_within';

/** For each predicate not in `model`'s kernel: one clause saying since when (or until when) and what is answered. */
export function absentPredicates(model: Pick<Model, 'kernel' | 'patches'>): Partial<Record<AbsentPredicate, string>> {
	const {kernel} = model;
	const out: Partial<Record<AbsentPredicate, string>> = {};
	const notIn = `not in v${kernel.label}`;
	if (!hasEarlyFlag(model)) {
		out.early_section = `${notIn}: SECTION_IS_EARLY came in v5.3 (326e1b8f83a4); answered 0`;
	}

	if (!hasPfnSectionValid(model)) {
		out.pfn_section_valid = `${notIn}: subsections came in v5.3 (f46edbd1b151); answered as valid_section()`;
	}

	if (!hasZoneDeviceTaint(model)) {
		out.online_device_section = `${notIn}: came in v5.12 (1f90a3477df3); answered 0`;
	}

	if (!backportInEffect(kernel, model.patches, 'backport-34dc45be4563')) {
		out.pgmap_pfn_valid = `${notIn}: came in v5.12 (34dc45be4563; stable trees: --patch backport-34dc45be4563); answered 0`;
	}

	if (atLeast(kernel, '5.15')) {
		out.pfn_valid_within = `${notIn}: removed in v5.15 (859a85ddf90e); answered 1, as its former callers now assume`;
	}

	return out;
}

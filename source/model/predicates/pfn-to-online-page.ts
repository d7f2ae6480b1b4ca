/**
pfn_to_online_page(pfn): the walker-safe accessor; true here means a struct page is returned.
It takes no reference.
- v4.13–v4.20: a macro in include/linux/memory_hotplug.h: `nr < NR_MEM_SECTIONS &&
  online_section_nr(nr)` (2d070eab2e82 "mm: consider zone which is not fully populated to have
  holes", Michal Hocko).
- v5.0–v5.11: `&& pfn_valid_within(pfn)` (b13bc35193d9 "mm/hotplug: invalid PFNs from
  pfn_to_online_page()", Qian Cai) [V: macro in 5.10]. No subsection check, blind to ZONE_DEVICE
  in online (early) sections.
- v5.12: out of line in mm/memory_hotplug.c (9f605f260594 "mm: move pfn_to_online_page() out of
  line"); online_section(), then `IS_ENABLED(CONFIG_HAVE_ARCH_PFN_VALID) && !pfn_valid(pfn)`,
  then pfn_section_valid() with no early-section exemption (9f9b02e5b346 "mm: teach
  pfn_to_online_page() to consider subsection validity"), then for online_device_section() the
  slow path get_dev_pagemap() != NULL → NULL (1f90a3477df3 "mm: teach pfn_to_online_page() about
  ZONE_DEVICE section collisions") [V 6.1, 6.12].
What-ifs (source/model/proposals.ts): `subsection-dev-map` refuses a pfn whose subsection has the
subsection_dev_map bit right after the online_section() test, at every version it applies to;
`pgmap-after-init` answers the v5.12 slow path from the pgmap_array entry (xa_load(), live ref)
because get_dev_pagemap() fails until memmap_init_zone_device() has finished, while its knob
`pgmap-after-init-get-dev-pagemap` keeps get_dev_pagemap() there.
Hazard kept: during memunmap_pages() the ref is dead, get_dev_pagemap() is NULL, and the slow path
returns the ZONE_DEVICE page.
*/
import {atLeast} from '../../kernel/version.js';
import {hasArchPfnValid, type ModelContext} from '../context.js';
import type {PfnFacts} from '../facts.js';
import {get_dev_pagemap, pgmap_array_entry, subsection_dev_map} from './dev-pagemap.js';
import {pfn_valid} from './pfn-valid.js';
import {pfn_valid_within} from './pfn-valid-within.js';
import {online_device_section, online_section, pfn_section_valid} from './section.js';

export type OnlinePageAnswer = {
	readonly page: boolean;
	/** mem_section was indexed out of bounds on the way (never in mainline: the bound comes first). */
	readonly oob: boolean;
	/** Which test decided, for explain. */
	readonly decided_by: string;
};

export function pfn_to_online_page(ctx: ModelContext, facts: PfnFacts): OnlinePageAnswer {
	if (!facts.section_nr_in_range) {
		return {page: false, oob: false, decided_by: 'pfn_to_section_nr(pfn) >= NR_MEM_SECTIONS'};
	}

	if (!online_section(facts)) {
		return {page: false, oob: false, decided_by: '!online_section()'};
	}

	if (subsection_dev_map(ctx, facts)) {
		return {page: false, oob: false, decided_by: 'subsection_dev_map bit set [what-if subsection-dev-map]'};
	}

	if (!atLeast(ctx.kernel, '5.12')) {
		if (atLeast(ctx.kernel, '5.0') && !pfn_valid_within(ctx, facts)) {
			return {page: false, oob: false, decided_by: '!pfn_valid_within()'};
		}

		return {page: true, oob: false, decided_by: 'online_section() (macro form)'};
	}

	if (hasArchPfnValid(ctx) && !pfn_valid(ctx, facts).valid) {
		return {page: false, oob: false, decided_by: 'CONFIG_HAVE_ARCH_PFN_VALID && !pfn_valid()'};
	}

	if (!pfn_section_valid(ctx, facts)) {
		return {page: false, oob: false, decided_by: '!pfn_section_valid()'};
	}

	if (!online_device_section(ctx, facts)) {
		return {page: true, oob: false, decided_by: 'online, subsection valid, no SECTION_TAINT_ZONE_DEVICE'};
	}

	if (ctx.patches.has('pgmap-after-init')) {
		return pgmap_array_entry(facts) === null
			? {page: true, oob: false, decided_by: 'slow path: no pgmap_array entry [what-if pgmap-after-init]'}
			: {page: false, oob: false, decided_by: 'slow path: pgmap_array entry found [what-if pgmap-after-init]'};
	}

	if (get_dev_pagemap(facts, ctx) !== null) {
		return {page: false, oob: false, decided_by: 'slow path: get_dev_pagemap() found a pgmap'};
	}

	return {page: true, oob: false, decided_by: 'slow path: get_dev_pagemap() returned NULL'};
}

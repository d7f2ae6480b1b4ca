/**
Every predicate's answer for one pfn (PredicateAnswers of source/model/types.ts), at the model's
kernel version, arch and what-if patches. Each predicate lives in its own file with its history.
*/
import type {ModelContext} from '../context.js';
import type {PfnFacts} from '../facts.js';
import type {PredicateAnswers} from '../types.js';
import {applyUserPredicates, type PfnView, userPatchesIn} from '../user-patches.js';
import {get_dev_pagemap, pfn_zone_device, pfn_zone_device_reserved, pgmap_pfn_valid} from './dev-pagemap.js';
import {pfn_to_online_page, type OnlinePageAnswer} from './pfn-to-online-page.js';
import {pfn_valid, type PfnValidAnswer} from './pfn-valid.js';
import {pfn_valid_within} from './pfn-valid-within.js';
import {
	early_section,
	online_device_section,
	online_section,
	pfn_in_present_section,
	pfn_section_valid,
	present_section,
	valid_section,
} from './section.js';

/** The what-if patches that add pfn_zone_device() or pfn_zone_device_reserved(). */
const WHAT_IF_HELPERS = ['pfn-zone-device', 'pfn-zone-device-data', 'pfn-zone-device-reserved', 'subsection-dev-map', 'subsection-dev-map-after-init'];

/** `valid` and `online`: pfn_valid() and pfn_to_online_page() at these facts, when the caller has them already. */
export function predicateAnswers(
	ctx: ModelContext,
	facts: PfnFacts,
	valid: PfnValidAnswer = pfn_valid(ctx, facts),
	online: OnlinePageAnswer = pfn_to_online_page(ctx, facts),
): PredicateAnswers {
	const answers = modelAnswers(ctx, facts, valid, online);
	const user = userPatchesIn(ctx.patches);
	return user.length === 0 ? answers : applyUserPredicates(user, userView(ctx, facts), answers);
}

/** What a user patch's predicates() sees (source/model/user-patches.ts PfnView). */
function userView(ctx: ModelContext, facts: PfnFacts): PfnView {
	const pgmap = facts.pgmap;
	return {
		kernel: ctx.kernel.label,
		arch: ctx.arch,
		section: facts.section,
		boot_section: facts.boot_section,
		subsection_bit: facts.subsection_bit,
		memblock_memory: facts.memblock_memory,
		memmap: facts.memmap,
		pgmap: pgmap
			? {
					id: pgmap.id,
					type: pgmap.type,
					entry: pgmap.entry,
					label: pgmap.label,
					start_pfn: pgmap.start_pfn,
					end_pfn: pgmap.end_pfn,
					nid: pgmap.nid,
					altmap: pgmap.altmap,
					ref: pgmap.ref,
					in_xarray: pgmap.in_xarray,
					init_cursor: pgmap.init_cursor,
					phase: pgmap.phase,
				}
			: null,
		altmap_part: facts.altmap_part,
	};
}

function modelAnswers(ctx: ModelContext, facts: PfnFacts, valid: PfnValidAnswer, online: OnlinePageAnswer): PredicateAnswers {
	const pgmap = get_dev_pagemap(facts, ctx);
	// One object literal (a literal that starts with a spread is built key by key at run time):
	// the what-if helpers go first, as they did, only with the patches that add them
	// (source/model/proposals.ts).
	const answers: PredicateAnswers = {
		pfn_valid: valid.valid,
		pfn_valid_oob: valid.oob,
		pfn_valid_within: pfn_valid_within(ctx, facts),
		pfn_to_online_page: online.page,
		pfn_to_online_page_oob: online.oob,
		get_dev_pagemap: pgmap ? pgmap.id : null,
		pgmap_pfn_valid: pgmap_pfn_valid(ctx, facts),
		present_section: present_section(facts),
		valid_section: valid_section(facts),
		online_section: online_section(facts),
		early_section: early_section(ctx, facts),
		online_device_section: online_device_section(ctx, facts),
		pfn_section_valid: facts.section_nr_in_range && pfn_section_valid(ctx, facts),
		pfn_in_present_section: pfn_in_present_section(facts),
		memblock_is_map_memory: facts.memblock_memory && !facts.memblock_nomap,
		memblock_is_memory: facts.memblock_memory,
	};
	return WHAT_IF_HELPERS.some(name => ctx.patches.has(name))
		? {pfn_zone_device: pfn_zone_device(ctx, facts, valid.valid), pfn_zone_device_reserved: pfn_zone_device_reserved(ctx, facts), ...answers}
		: answers;
}

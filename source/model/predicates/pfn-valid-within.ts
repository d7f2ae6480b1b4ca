/**
pfn_valid_within(pfn) (include/linux/mmzone.h): pfn_valid(pfn) with CONFIG_HOLES_IN_ZONE, else
the constant 1.
- arm64 selected HOLES_IN_ZONE until v5.14 (a7d9f306ba70 "arm64: drop pfn_valid_within() and
  simplify pfn_valid()") [V: arch/arm64/Kconfig in 5.10].
- v5.15 removed the helper and the option (859a85ddf90e "mm: remove pfn_valid_within() and
  CONFIG_HOLES_IN_ZONE"); pfnaudit then reports true, what the callers' code now assumes.
*/
import {hasHolesInZone, type ModelContext} from '../context.js';
import type {PfnFacts} from '../facts.js';
import {pfn_valid} from './pfn-valid.js';

export function pfn_valid_within(ctx: ModelContext, facts: PfnFacts): boolean {
	return hasHolesInZone(ctx) ? pfn_valid(ctx, facts).valid : true;
}

/**
Fixes made in a predicate rather than in a walker, which several walker forms name as their
`fixed_by`.

1f90a3477df3 "mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions" (Dan
Williams, v5.12): before it pfn_to_online_page() (the macro) tests online_section() only, so a
ZONE_DEVICE pfn in an online early section — a section collision, possible since the v5.3
sub-section hotplug — is returned as an online page; from it SECTION_TAINT_ZONE_DEVICE sends such
sections to get_dev_pagemap() and the pfn is refused [V 5.10 macro, 6.1/6.12 function]. Every
walker whose form guards with pfn_to_online_page() reads the colliding device pfns at v5.3–v5.11
(test/e2e-walkers/layouts.ts collision()).
*/
import {atLeast, before, type KernelVersion} from '../kernel/version.js';
import type {Commit} from './contract.js';

export const COLLISION_FIX: Commit & {readonly version: string} = {
	id: '1f90a3477df3',
	subject: 'mm: teach pfn_to_online_page() about ZONE_DEVICE section collisions',
	version: '5.12',
};

/**
`{fixed_by: COLLISION_FIX}` at v5.3–v5.11 (section collisions exist, the predicate is not fixed
yet), `{}` elsewhere: spread into a form that guards with pfn_to_online_page().
*/
export function collisionFixedBy(kernel: KernelVersion): {fixed_by?: Commit & {readonly version: string}} {
	return atLeast(kernel, '5.3') && before(kernel, '5.12') ? {fixed_by: COLLISION_FIX} : {};
}

/**
Hand-made PfnStates for the walker tests of slice A: the ZONE_DEVICE categories, holes and
offlined memory, with each predicate answered the way the kernel version under test answers it
(memory-model.md §1.3/§6.2). `kernel` decides the version-dependent answers:
- pfn_to_online_page() of a ZONE_DEVICE pfn in a section shared with online boot RAM (a
  "collision"): a page up to v5.11, NULL from v5.12 (1f90a3477df3);
- pfn_to_online_page() of a hole subsection of an early section: a page up to v5.11, NULL from
  v5.12 (9f9b02e5b346);
- pgmap_pfn_valid(): defined from v5.12 (false before, as the model types say).
*/
import {atLeast, v} from '../../source/kernel/version.js';
import type {DevPagemap, PfnState} from '../../source/model/types.js';
import {C1_POISON, state} from '../helpers/fake-model.js';

export type ZoneDeviceKind = 'C2' | 'C4' | 'C5' | 'metadata';

/** A ZONE_DEVICE pfn of pgmap 0 (node 0), optionally in a section shared with online boot RAM. */
export function zoneDevice(kind: ZoneDeviceKind, kernel: string, options: {collision?: boolean} = {}): PfnState {
	const k = v(kernel);
	const collision = options.collision ?? false;
	const metadata = kind === 'C5' || kind === 'metadata';
	const memmap: PfnState['memmap'] =
		kind === 'C2'
			? {content: 'init', zone: 'Device', nid: 0, pgmap: 0, reserved: true, writer: 'memmap_init_zone_device'}
			: kind === 'metadata'
				? {content: 'init', zone: 'Device', nid: 0, pgmap: null, reserved: true, writer: 'memmap_init_range (altmap memmap storage)'}
				: {content: 'poison', writer: 'page_init_poison (sparse_add_section)'};
	return state({
		section: {present: true, valid: true, usage: true, online: collision, early: collision},
		subsection_valid: true,
		memmap,
		pgmap: 0,
		altmap_part: kind === 'C5' ? 'reserve' : kind === 'metadata' ? 'free' : 'data',
		category: kind,
		uninitialized: memmap.content !== 'init',
		reason: `ZONE_DEVICE ${kind}${collision ? ' in a section shared with boot RAM' : ''}`,
		predicates: {
			pfn_valid: true,
			pfn_to_online_page: collision && !atLeast(k, '5.12'),
			get_dev_pagemap: 0,
			pgmap_pfn_valid: atLeast(k, '5.12') && !metadata,
			present_section: true,
			valid_section: true,
			online_section: collision,
			early_section: collision,
			online_device_section: collision && atLeast(k, '5.12'),
			pfn_section_valid: true,
			pfn_in_present_section: true,
		},
	});
}

/** A 2 MiB hole subsection of an early, online section: memmap initialized PageReserved from v5.6, garbage before. */
export function hole(kernel: string): PfnState {
	const k = v(kernel);
	const initialized = atLeast(k, '5.6');
	return state({
		section: {present: true, valid: true, online: true, early: true, usage: true},
		subsection_valid: false,
		memmap: initialized
			? {content: 'init', zone: 'Normal', nid: 0, reserved: true, writer: 'init_unavailable_range'}
			: {content: 'garbage', writer: 'none (hole skipped by memmap_init before v5.6)'},
		category: 'hole',
		uninitialized: !initialized,
		reason: 'hole in an early section',
		predicates: {
			pfn_valid: true,
			pfn_to_online_page: !atLeast(k, '5.12'),
			present_section: true,
			valid_section: true,
			online_section: true,
			early_section: true,
			pfn_in_present_section: true,
		},
	});
}

/** An offlined hot-plugged block: section !online, memmap poisoned again (remove_pfn_range_from_zone, v5.5+). */
export const OFFLINED = state({...C1_POISON, reason: 'offlined: memmap poisoned by remove_pfn_range_from_zone'});

/** Offlined memory before v5.5: the memmap keeps its stale zone/node (no poisoning on offline). */
export const OFFLINED_STALE = state({
	...C1_POISON,
	memmap: {content: 'stale', zone: 'Normal', nid: 0, writer: 'memmap_init_range (before offline)'},
	reason: 'offlined before v5.5: stale memmap',
});

/** pgmap 0: an fsdax namespace with an altmap, fully initialized unless `init_cursor` says otherwise. */
export function fsdax(start_pfn: number, end_pfn: number, altmap: {reserve: number; free: number} | undefined, extra: Partial<DevPagemap> = {}): DevPagemap {
	return {
		id: 0,
		type: 'fsdax',
		entry: 0,
		label: 'fsdax@test',
		start_pfn,
		end_pfn,
		nid: 0,
		altmap: altmap ? {base_pfn: start_pfn, ...altmap} : undefined,
		ref: 'live',
		in_xarray: true,
		init_cursor: end_pfn,
		...extra,
	};
}

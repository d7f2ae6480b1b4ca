import {describe, expect, it} from 'vitest';
import walker from '../../walkers/mark_free_pages.js';
import {audit, expectFailing} from './harness.js';
import {COLLISION_C5, COLLISION_METADATA, collision, OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

describe('mark_free_pages end to end', () => {
	// A test that documents the still-open pfn_valid()-only guard [A, walkers.md W17] at v6.12 and
	// v6.18 (and at v4.13, the oldest modelled release: it never changed), with
	// layouts.ts offlineInZoneSpan().
	//
	//   |   | A online | B offline (C1) | C online |
	//   0x80000 0x100000  0x108000         0x110000   0x118000   (ZONE_NORMAL spans A..C)
	//
	// Expect page_zone() of every pfn of B read during hibernation (failing C1: a poisoned page,
	// VM_BUG_ON_PGFLAGS with CONFIG_DEBUG_VM_PGFLAGS), and no fix named.
	it.each(['4.13', '6.12', '6.18'])('still reads an offline block inside the zone span at v%s', kernel => {
		const {result} = audit(walker, offlineInZoneSpan(), kernel);
		expectFailing(result, 'C1', OFFLINE_BLOCK);
		expect(result.form?.fixed_by).toBeUndefined();
	});

	// A test with a devdax range inside ZONE_DMA32's span (layouts.ts collision()) at v6.12.
	//
	//   | boot RAM | C5 | metadata | devdax data (C2) |   | boot RAM |
	//   0x0   0x84000 0x84002   0x84200            0x88000 0xc0000  0x100000   (ZONE_DMA32 span)
	//
	// Expect the altmap reserve and memmap storage read: failing C5 and metadata.
	it('still reads ZONE_DEVICE pfns inside the zone span at v6.12', () => {
		const {result} = audit(walker, collision(), '6.12');
		expectFailing(result, 'C5', COLLISION_C5);
		expectFailing(result, 'metadata', COLLISION_METADATA);
	});
});

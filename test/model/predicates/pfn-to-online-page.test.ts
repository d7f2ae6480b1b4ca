import {describe, expect, it} from 'vitest';
import {at, buildAt} from '../../helpers/model-probe.js';
import {GiB, MiB, topology} from '../../helpers/topology.js';

// The collision layout of these tests: an fsdax namespace with an altmap in the last 64 MiB of
// section 31, which boot RAM also uses (possible from v5.3, subsection hotplug).
//
//   | boot RAM (DMA32)          | reserve | free (memmap) | data (fsdax)   |
//   0x0                    0xfc000   0xfc002         0xfc102          0x100000
//                 section 31 = [0xf8000, 0x100000): early, online, shared
const collision = topology({kernel: '5.11'})
	.boot(0, 4 * GiB - 64 * MiB)
	.device('fsdax', 4 * GiB - 64 * MiB, 64 * MiB, {altmap: {reserve: 2, free: 'auto'}})
	.build();

describe('pfn_to_online_page()', () => {
	// Expect at v5.11 a page for every device pfn of the online section — reserve (C5), memmap
	// storage and data — because the macro only tests online_section() and pfn_valid_within().
	it('returns ZONE_DEVICE pages of an online early section up to v5.11', () => {
		const model = buildAt(collision, '5.11');
		for (const pfn of [0xf_c000, 0xf_c100, 0xf_d000]) {
			expect(at(model, pfn).predicates.pfn_to_online_page).toBe(true);
		}

		expect(at(model, 0xf_c000).category).toBe('C5');
		expect(at(model, 0xf_c000).uninitialized).toBe(true);
		expect(at(model, 0xf_c000).section.taint_zone_device).toBe(false);
	});

	// Expect at v5.12 SECTION_TAINT_ZONE_DEVICE on section 31, NULL for the device pfns (slow path:
	// get_dev_pagemap() finds the pgmap) and still a page for the boot RAM pfn 0xf9000.
	it('takes the SECTION_TAINT_ZONE_DEVICE slow path from v5.12 (1f90a3477df3)', () => {
		const model = buildAt(collision, '5.12');
		for (const pfn of [0xf_c000, 0xf_c100, 0xf_d000]) {
			expect(at(model, pfn).predicates.pfn_to_online_page).toBe(false);
			expect(at(model, pfn).detail?.pfn_to_online_page_by).toBe('slow path: get_dev_pagemap() found a pgmap');
		}

		expect(at(model, 0xf_9000).section.taint_zone_device).toBe(true);
		expect(at(model, 0xf_9000).predicates.online_device_section).toBe(true);
		expect(at(model, 0xf_9000).predicates.pfn_to_online_page).toBe(true);
	});

	// A test that reads a 2 MiB hole subsection of an online early section.
	//
	//   | boot RAM                | hole (4 MiB, tail of section 7) |
	//   0x0                  0x3fc00                            0x40000
	//
	// Expect a page at v5.11 (no subsection check) and NULL at v5.12 (9f9b02e5b346: no early
	// exemption), while pfn_valid() stays true.
	it('checks pfn_section_valid() without the early-section exemption from v5.12', () => {
		const t = topology({kernel: '5.11'}).boot(0, GiB - 4 * MiB).build();
		expect(at(buildAt(t, '5.11'), 0x3_fe00).predicates.pfn_to_online_page).toBe(true);
		expect(at(buildAt(t, '5.12'), 0x3_fe00).predicates.pfn_to_online_page).toBe(false);
		expect(at(buildAt(t, '5.12'), 0x3_fe00).predicates.pfn_valid).toBe(true);
	});

	// A test that reads an arm64 NOMAP pfn in an online boot section at v4.20 and v5.0.
	//
	//   | RAM | NOMAP (2 MiB) | RAM |
	//   0x80000 0x90000  0x90200  0x100000
	//
	// Expect a page at v4.20 (the macro has no pfn_valid_within() yet) with an uninitialized memmap,
	// and NULL at v5.0 (b13bc35193d9: pfn_valid_within() = arm64 pfn_valid()).
	it('adds pfn_valid_within() in v5.0', () => {
		const t = topology({arch: 'arm64-4k', kernel: '4.20'})
			.boot(2 * GiB, 2 * GiB, {nomap: [{start: 0x9000_0000, size: 2 * MiB}]})
			.build();
		const old = at(buildAt(t, '4.20'), 0x9_0000);
		expect(old.predicates.pfn_to_online_page).toBe(true);
		expect(old.category).toBe('nomap');
		expect(old.memmap.content).toBe('poison');
		expect(at(buildAt(t, '5.0'), 0x9_0000).predicates.pfn_to_online_page).toBe(false);
		expect(at(buildAt(t, '5.0'), 0x9_0000).detail?.pfn_to_online_page_by).toBe('!pfn_valid_within()');
	});

	// Same layout at v5.12 and v5.13 (arm64 keeps HAVE_ARCH_PFN_VALID): expect NULL because
	// `IS_ENABLED(CONFIG_HAVE_ARCH_PFN_VALID) && !pfn_valid()`; at v5.14 a page (NOMAP pfn_valid).
	it('asks the arch pfn_valid() with HAVE_ARCH_PFN_VALID from v5.12', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.13'})
			.boot(2 * GiB, 2 * GiB, {nomap: [{start: 0x9000_0000, size: 2 * MiB}]})
			.build();
		expect(at(buildAt(t, '5.13'), 0x9_0000).detail?.pfn_to_online_page_by).toBe('CONFIG_HAVE_ARCH_PFN_VALID && !pfn_valid()');
		expect(at(buildAt(t, '5.13'), 0x9_0000).predicates.pfn_to_online_page).toBe(false);
		expect(at(buildAt(t, '5.14'), 0x9_0000).predicates.pfn_to_online_page).toBe(true);
	});

	// A test that reads hot-added RAM before it is onlined (David's case 1) at v4.13 and v6.12.
	//
	//   | boot RAM | hole | hot-added, offline (4 GiB) |
	//   0x0   0x100000  0x200000                   0x300000
	//
	// Expect pfn_valid() true and pfn_to_online_page() NULL (section not online) in both versions.
	it('returns NULL for hot-added sections that are not online, in every version', () => {
		const t = topology({kernel: '4.13'}).boot(0, 4 * GiB).hotplug(8 * GiB, 4 * GiB, 'offline').build();
		for (const kernel of ['4.13', '6.12']) {
			const state = at(buildAt(t, kernel), 0x20_0000);
			expect(state.predicates.pfn_valid).toBe(true);
			expect(state.predicates.pfn_to_online_page).toBe(false);
			expect(state.category).toBe('C1');
		}
	});
});

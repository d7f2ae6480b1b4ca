import {describe, expect, it} from 'vitest';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// Two boot ranges on node 0: 0 - 1 GiB + 4 MiB, and 4 GiB - 5 GiB - 4 MiB.
//
//   | RAM (DMA, DMA32) | h1: hole to end of section 8 | ... | RAM (Normal) | h2: tail |
//   0x0           0x40400                         0x48000  0x100000   0x13fc00  0x140000
//
// h1 lies inside the DMA32 zone span; h2 lies beyond max_pfn (0x13fc00), outside every zone span.
const holes = topology({kernel: '5.5'})
	.boot(0, GiB + 4 * MiB)
	.boot(4 * GiB, GiB - 4 * MiB)
	.build();
const h1 = 0x4_0400;
const h2 = 0x13_fc00;

describe('boot holes by version', () => {
	// Expect at v5.5: h1 initialized as a DMA32 page by memmap_init_zone()'s zone-span loop, not
	// reserved; h2 (the partially populated last section above max_pfn) still poisoned, while
	// pfn_valid() and pfn_to_online_page() both accept it: the pre-e822969cab48 hazard.
	it('leaves the last-section tail uninitialized before v5.6', () => {
		const model = buildAt(holes, '5.5');
		expect(at(model, h1).memmap).toMatchObject({content: 'init', zone: 'DMA32', nid: 0, reserved: false});
		expect(at(model, h1).category).toBe('hole');
		expect(at(model, h1).uninitialized).toBe(false);
		const tail = at(model, h2);
		expect(tail.memmap.content).toBe('poison');
		expect(tail.category).toBe('hole');
		expect(tail.uninitialized).toBe(true);
		expect(tail.predicates.pfn_valid).toBe(true);
		expect(tail.predicates.pfn_to_online_page).toBe(true);
	});

	// Expect at v5.5 without CONFIG_DEBUG_VM the tail is garbage rather than poison.
	it('reads the raw boot memmap as garbage without CONFIG_DEBUG_VM', () => {
		const model = buildAt({...holes, config: {...holes.config, debug_vm: false}}, '5.5');
		expect(at(model, h2).memmap.content).toBe('garbage');
	});

	// Expect at v5.6 the tail initialized PageReserved with zone 0 (DMA) / node 0
	// (init_unavailable_mem(), 4b094b7851bf/e822969cab48), h1 still the zone-span INIT.
	it('initializes every hole up to the section end from v5.6', () => {
		const model = buildAt(holes, '5.6');
		expect(at(model, h2).memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: true});
		expect(at(model, h2).uninitialized).toBe(false);
		expect(at(model, h1).memmap).toMatchObject({content: 'init', zone: 'DMA32', reserved: false});
	});

	// Expect from v5.8 (memmap_init() iterates memblock ranges) h1 also zone 0 / node 0 reserved.
	it('gives in-span holes the bogus zone 0 / node 0 from v5.8 to v5.11', () => {
		for (const kernel of ['5.8', '5.11']) {
			const model = buildAt(holes, kernel);
			expect(at(model, h1).memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: true});
			expect(at(model, h1).memmap.writer).toContain('init_unavailable_mem()');
		}
	});

	// Expect at v5.12-v5.13 (0740a50b9baa, per-zone memmap init) h1 initialized with the zone being
	// processed when its gap is seen: DMA32 (the zone spanning it; range 2 clamps to DMA32's end),
	// reserved; h2 the Normal zone's tail. pfn_to_online_page() NULL for both (absent subsections),
	// pfn_valid() still true.
	it('uses the zone that spans the hole at v5.12-v5.13 (per-zone form)', () => {
		for (const kernel of ['5.12', '5.13']) {
			const model = buildAt(holes, kernel);
			expect(at(model, h1).memmap).toMatchObject({content: 'init', zone: 'DMA32', nid: 0, reserved: true});
			expect(at(model, h1).memmap.writer).toContain('per-zone form of 0740a50b9baa');
			expect(at(model, h2).memmap).toMatchObject({content: 'init', zone: 'Normal', nid: 0, reserved: true});
			expect(at(model, h1).predicates.pfn_valid).toBe(true);
			expect(at(model, h1).predicates.pfn_to_online_page).toBe(false);
		}

		expect(at(buildAt(holes, '5.11'), h1).predicates.pfn_to_online_page).toBe(true);
	});

	// Expect from v5.14 (122e093c1734, one loop over memblock ranges) h1 prepended to the zone of the
	// range above it (Normal at 4 GiB) and h2 appended to the last populated zone of the last node.
	it('uses the zone/node of the range above the hole from v5.14', () => {
		const model = buildAt(holes, '5.14');
		expect(at(model, h1).memmap).toMatchObject({content: 'init', zone: 'Normal', nid: 0, reserved: true});
		expect(at(model, h1).memmap.writer).toContain('122e093c1734');
		expect(at(model, h2).memmap).toMatchObject({content: 'init', zone: 'Normal', nid: 0, reserved: true});
	});
});

describe('boot holes on arm64 with its own pfn_valid()', () => {
	// A test that boots arm64-4k RAM starting 1 MiB into a pageblock (H6b).
	//
	//   | hole (1 MiB) | RAM                                  |
	//   0x80000    0x80100                              0x100000
	//   pageblock [0x80000, 0x80200): its first pfn is a hole
	//
	// Expect at v5.15 the hole still poisoned (init_unavailable_range() skips pageblocks whose first
	// pfn is !pfn_valid(), and arm64's pfn_valid() is memblock based) and !pfn_valid; at v5.16
	// (generic pfn_valid) the hole initialized PageReserved in ZONE_DMA (arm64's ZONE_DMA covers
	// the 32-bit range from v5.11 when no firmware DMA limit is set), node 0.
	it('skips hole pageblocks that do not start in memory before v5.16', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.15'}).boot(2 * GiB + MiB, 2 * GiB - MiB).build();
		const old = at(buildAt(t, '5.15'), 0x8_0000);
		expect(old.memmap.content).toBe('poison');
		expect(old.category).toBe('hole');
		expect(old.uninitialized).toBe(true);
		expect(old.predicates.pfn_valid).toBe(false);
		const now = at(buildAt(t, '5.16'), 0x8_0000);
		expect(now.memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: true});
		expect(now.predicates.pfn_valid).toBe(true);
	});

	// A test with RAM ending 1 MiB into a pageblock at v5.15: the trailing hole shares its pageblock
	// with RAM, so init_unavailable_range() does initialize it.
	//
	//   | RAM                         | hole (rest of the pageblock) | hole (later pageblocks) |
	//   0x80000                   0x88100                         0x88200               0x90000
	//
	// Expect 0x88100 initialized (pageblock start valid) and 0x88200 poisoned.
	it('initializes a hole whose pageblock starts in memory', () => {
		const model = buildAt(topology({arch: 'arm64-4k', kernel: '5.15'}).boot(2 * GiB, 129 * MiB).build(), '5.15');
		expect(at(model, 0x8_8100).memmap).toMatchObject({content: 'init', reserved: true});
		expect(at(model, 0x8_8200).memmap.content).toBe('poison');
	});
});

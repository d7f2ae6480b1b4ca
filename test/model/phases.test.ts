import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {isInputError} from '../../source/errors/input-error.js';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// A devdax range without an altmap in sections 64-71 (1 GiB at 8 GiB), memory[1].
//
//   | boot RAM | hole | devdax                                   |
//   0x0  0x100000     0x200000           0x220000           0x240000
//                                        ^ P6 cursor (half way)
const devdax = topology({kernel: '6.12'}).boot(0, 4 * GiB).device('devdax', 8 * GiB, GiB).build();

describe('memremap_pages() phases', () => {
	it('lists every phase id in replay order', () => {
		const model = buildModel(devdax);
		expect(model.phases.map(phase => phase.id)).toEqual([
			'boot',
			'memory[1]:P1',
			'memory[1]:P2',
			'memory[1]:P3',
			'memory[1]:P4',
			'memory[1]:P5',
			'memory[1]:P6',
			'memory[1]:P7',
			'final',
		]);
		expect(model.phase.id).toBe('final');
	});

	// Expect at P1 get_dev_pagemap() to succeed while there is no memmap yet (C4, pfn_valid() 0); at
	// P3 the memmap poisoned and pfn_valid() 1 (still C4); at P6 the first half C2, the second half C4;
	// at P7 everything C2.
	it('shows C4 from P1 until memmap_init_zone_device() reaches the pfn', () => {
		const p1 = buildModel(devdax, {phase: 'memory[1]:P1'});
		expect(at(p1, 0x20_0000).predicates.get_dev_pagemap).toBe(0);
		expect(at(p1, 0x20_0000).predicates.pfn_valid).toBe(false);
		expect(at(p1, 0x20_0000).category).toBe('C4');

		const p3 = buildModel(devdax, {phase: 'memory[1]:P3'});
		expect(at(p3, 0x20_0000).memmap.content).toBe('poison');
		expect(at(p3, 0x20_0000).predicates.pfn_valid).toBe(true);
		expect(at(p3, 0x20_0000).category).toBe('C4');

		const p5 = buildModel(devdax, {phase: 'memory[1]:P5'});
		expect(at(p5, 0x23_ffff).category).toBe('C4');

		const p6 = buildModel(devdax, {phase: 'memory[1]:P6'});
		expect(at(p6, 0x21_ffff).category).toBe('C2');
		expect(at(p6, 0x22_0000).category).toBe('C4');
		expect(p6.pgmaps[0]!.init_cursor).toBe(0x22_0000);

		const p7 = buildModel(devdax, {phase: 'memory[1]:P7'});
		expect(at(p7, 0x22_0000).category).toBe('C2');
		expect(at(p7, 0x23_ffff).category).toBe('C2');
	});

	// Expect a device declared `initializing` to stay at P5 for good: the phases stop there and the
	// final model still shows C4.
	it('stops an initializing device at P5', () => {
		const t = topology().boot(0, 4 * GiB).device('devdax', 8 * GiB, GiB, {state: 'initializing'}).build();
		const model = buildModel(t);
		expect(model.phases.map(phase => phase.id)).not.toContain('memory[1]:P6');
		expect(at(model, 0x20_0000).category).toBe('C4');
	});

	// Expect an unknown phase id to be an InputError that lists the valid ids.
	it('rejects an unknown phase with the list of valid ids', () => {
		try {
			buildModel(devdax, {phase: 'memory[1]:P9'});
			expect.unreachable();
		} catch (error) {
			expect(isInputError(error)).toBe(true);
			expect((error as Error).message).toContain('memory[1]:P4');
			expect((error as Error).message).toContain('final');
		}
	});
});

describe('memremap_pages() before v4.20', () => {
	// A test of the pre-966cf44f637e sequence at v4.19: memmap_init_zone() initializes the device
	// under the lock (P4) with no page->pgmap; the pgmap loop runs after mem_hotplug_done().
	//
	// Expect at P4 the data pfns INIT (ZONE_DEVICE) but pgmap NULL: C4 (weak form); at P6 the first
	// half has the pgmap (C2); at P7 all of it.
	it('sets page->pgmap after mem_hotplug_done()', () => {
		const t = topology({kernel: '4.19'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB).build();
		const p4 = buildModel(t, {phase: 'memory[1]:P4'});
		expect(at(p4, 0x20_0000).memmap).toMatchObject({content: 'init', zone: 'Device', pgmap: null});
		expect(at(p4, 0x20_0000).category).toBe('C4');
		const p6 = buildModel(t, {phase: 'memory[1]:P6'});
		expect(at(p6, 0x20_0000).category).toBe('C2');
		expect(at(p6, 0x23_ffff).category).toBe('C4');
		expect(at(buildModel(t), 0x23_ffff).category).toBe('C2');
	});

	// From v4.20 the same P4 leaves the data pfns poisoned (only altmap storage is initialized).
	it('initializes only the altmap memmap storage at P4 from v4.20', () => {
		const t = topology({kernel: '4.20'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB, {altmap: {reserve: 8, free: 'auto'}}).build();
		const p4 = buildModel(t, {phase: 'memory[1]:P4'});
		expect(at(p4, 0x20_0008).category).toBe('metadata');
		expect(at(p4, 0x20_0008).memmap.content).toBe('init');
		expect(at(p4, 0x20_2000).memmap.content).toBe('poison');
	});
});

describe('memunmap_pages() (teardown)', () => {
	// A test that tears down an fsdax namespace colliding with boot RAM in section 31 at v6.12.
	//
	//   | boot RAM         | fsdax (teardown)           |
	//   0xf8000       0xfc000                      0x100000
	//
	// Expect at T1 (percpu_ref_kill) get_dev_pagemap() NULL, the memmap still initialized and
	// pfn_to_online_page() returning the ZONE_DEVICE page (the H12 window); at T2 the memmap
	// poisoned (remove_pfn_range_from_zone()), still category teardown.
	it('returns the ZONE_DEVICE page from pfn_to_online_page() once the ref is dead', () => {
		const t = topology({kernel: '6.12'})
			.boot(0, 4 * GiB - 64 * MiB)
			.device('fsdax', 4 * GiB - 64 * MiB, 64 * MiB, {state: 'teardown'})
			.build();
		const t1 = buildModel(t, {phase: 'memory[1]:T1'});
		const state = at(t1, 0xf_d000);
		expect(state.category).toBe('teardown');
		expect(state.predicates.get_dev_pagemap).toBe(null);
		expect(state.memmap.content).toBe('init');
		expect(state.predicates.pfn_to_online_page).toBe(true);

		const t2 = buildModel(t);
		expect(t2.phase.id).toBe('final');
		expect(at(t2, 0xf_d000).memmap.content).toBe('poison');
		expect(at(t2, 0xf_d000).category).toBe('teardown');
		expect(t2.pgmaps[0]!.in_xarray).toBe(true);
	});

	// Expect before v5.5 no poisoning at T2 (no remove_pfn_range_from_zone()): the memmap is stale.
	it('leaves a stale memmap before v5.5', () => {
		const t = topology({kernel: '5.4'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB, {state: 'teardown'}).build();
		expect(at(buildAt(t, '5.4'), 0x20_0000).memmap.content).toBe('stale');
		expect(at(buildAt(t, '5.5'), 0x20_0000).memmap.content).toBe('poison');
	});
});

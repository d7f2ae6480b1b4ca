import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, topology} from '../helpers/topology.js';

// Boot RAM 0-8 GiB and a hot-added 2 GiB block right above it, memory[1].
//
//   | boot RAM (DMA, DMA32, Normal)  | hot-added (sections 64-79) |
//   0x0                        0x200000                     0x280000
const layout = (state: 'offline' | 'online' | 'online_movable' | 'offlined', kernel = '6.12', debug_vm = true) =>
	topology({kernel, config: {debug_vm}}).boot(0, 8 * GiB).hotplug(8 * GiB, 2 * GiB, state).build();

describe('hot-added System RAM', () => {
	// Expect after add_memory() (never onlined): present, valid, not online, not early; memmap
	// poisoned by sparse_add_section(); C1. Without CONFIG_DEBUG_VM: garbage. Before v4.17
	// (d0dc12e86b31): zeroed with the node set — stale, still C1.
	it('is C1 until onlined, whatever the memmap bytes', () => {
		const state = at(buildModel(layout('offline')), 0x20_0000);
		expect(state.section).toMatchObject({present: true, valid: true, online: false, early: false});
		expect(state.memmap.content).toBe('poison');
		expect(state.category).toBe('C1');
		expect(at(buildModel(layout('offline', '6.12', false)), 0x20_0000).memmap.content).toBe('garbage');
		const old = at(buildModel(layout('offline', '4.16')), 0x20_0000);
		expect(old.memmap).toMatchObject({content: 'stale', nid: 0});
		expect(old.category).toBe('C1');
		expect(at(buildModel(layout('offline', '4.17')), 0x20_0000).memmap.content).toBe('poison');
	});

	// Expect online_pages() to initialize the memmap in ZONE_NORMAL (or ZONE_MOVABLE), set the
	// sections online, grow the zone span, and leave the zone non-contiguous: set_zone_contiguous()
	// runs inside move_pfn_range_to_zone(), before online_mem_sections().
	it('onlines into Normal or Movable and leaves the zone non-contiguous', () => {
		const online = buildModel(layout('online'));
		expect(at(online, 0x20_0000).category).toBe('ok');
		expect(at(online, 0x20_0000).memmap).toMatchObject({content: 'init', zone: 'Normal', nid: 0, reserved: false});
		expect(at(online, 0x20_0000).memmap.writer).toContain('PageOffline');
		const normal = online.zones.find(zone => zone.name === 'Normal')!;
		expect(normal.zone_end_pfn).toBe(0x28_0000);
		expect(normal.contiguous).toBe(false);
		expect(buildModel(layout('offline')).zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(true);
		expect(at(buildModel(layout('online', '6.10')), 0x20_0000).memmap.writer).toContain('PageReserved');

		const movable = buildModel(layout('online_movable'));
		expect(at(movable, 0x20_0000).memmap.zone).toBe('Movable');
		expect(movable.zones.find(zone => zone.name === 'Movable')).toMatchObject({zone_start_pfn: 0x20_0000, zone_end_pfn: 0x28_0000, populated: true});
	});

	// Expect offline_pages() to clear SECTION_IS_ONLINE and poison the memmap again
	// (remove_pfn_range_from_zone(), v5.5); without CONFIG_DEBUG_VM, and at v5.4, the memmap is
	// stale; from v5.5 the zone span shrinks back to the boot RAM.
	it('is poisoned again after offline (C1 prime)', () => {
		const model = buildModel(layout('offlined'));
		const state = at(model, 0x20_0000);
		expect(state.section.online).toBe(false);
		expect(state.memmap.content).toBe('poison');
		expect(state.memmap.writer).toContain('remove_pfn_range_from_zone()');
		expect(state.category).toBe('C1');
		expect(model.phases.map(phase => phase.id)).toEqual(['boot', 'memory[1]:added', 'memory[1]:onlined', 'memory[1]:offlined', 'final']);
		expect(model.zones.find(zone => zone.name === 'Normal')!.zone_end_pfn).toBe(0x20_0000);

		expect(at(buildModel(layout('offlined', '6.12', false)), 0x20_0000).memmap.content).toBe('stale');
		const old = buildAt(layout('offlined'), '5.4');
		expect(at(old, 0x20_0000).memmap.content).toBe('stale');
		expect(old.zones.find(zone => zone.name === 'Normal')!.zone_end_pfn).toBe(0x28_0000);
	});

	it('raises max_pfn on x86 add_memory()', () => {
		expect(buildModel(layout('offline')).max_pfn).toBe(0x28_0000);
	});
});

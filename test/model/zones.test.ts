import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

describe('zones and zone->contiguous', () => {
	it('spans the x86_64 zones at their limits and never populates ZONE_DEVICE', () => {
		const model = buildModel(topology().boot(0, 8 * GiB).device('devdax', 16 * GiB, GiB).build());
		const spans = Object.fromEntries(model.zones.map(zone => [zone.name, [zone.zone_start_pfn, zone.zone_end_pfn, zone.populated]]));
		expect(spans).toMatchObject({DMA: [0, 0x1000, true], DMA32: [0x1000, 0x10_0000, true], Normal: [0x10_0000, 0x20_0000, true]});
		expect(spans['Device']).toEqual([0x40_0000, 0x44_0000, false]);
		expect(model.nodes).toEqual([{nid: 0, node_start_pfn: 0, node_end_pfn: 0x44_0000}]);
	});

	// A test of the walkers.md W07 [A] bypass at v5.4: a `memmap=` carve-out in the middle of Normal
	// RAM becomes an fsdax namespace that shares early sections with RAM.
	//
	//   | RAM 4-6 GiB (Normal) | fsdax 6 GiB + 64 MiB (hole at boot) | RAM (Normal) ... 8 GiB |
	//   0x100000          0x180000                           0x184000                0x200000
	//
	// Before v5.8 the hole inside the Normal span was initialized as a Normal page at boot, so Normal
	// comes out contiguous; memremap_pages() recomputes zone->contiguous for ZONE_DEVICE only.
	// Expect Normal still contiguous at the end although its span holds the device pfns, and
	// ZONE_DEVICE not contiguous.
	it('keeps a normal zone contiguous around a ZONE_DEVICE collision (only ZONE_DEVICE is recomputed)', () => {
		const t = topology({kernel: '5.4'})
			.boot(4 * GiB, 2 * GiB)
			.boot(6 * GiB + 64 * MiB, 2 * GiB - 64 * MiB)
			.device('fsdax', 6 * GiB, 64 * MiB)
			.build();
		const boot = buildModel(t, {phase: 'boot'});
		expect(boot.zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(true);
		const model = buildModel(t);
		const normal = model.zones.find(zone => zone.name === 'Normal')!;
		expect(normal.contiguous).toBe(true);
		expect(normal.zone_start_pfn <= 0x18_0000 && normal.zone_end_pfn > 0x18_4000 - 1).toBe(true);
		expect(at(model, 0x18_0000).category).toBe('C2');
		expect(model.zones.find(zone => zone.name === 'Device')!.contiguous).toBe(false);
	});

	// The same layout at v6.12: the boot hole gets PageReserved and an absent subsection, so
	// pfn_to_online_page() rejects it and Normal is not contiguous from boot on.
	it('sees the hole break contiguity from v5.12', () => {
		const t = topology({kernel: '6.12'})
			.boot(4 * GiB, 2 * GiB)
			.boot(6 * GiB + 64 * MiB, 2 * GiB - 64 * MiB)
			.build();
		expect(buildModel(t).zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(false);
	});

	it('computes contiguity for a large zone from its runs, not its pageblocks', () => {
		const model = buildModel(topology({config: {max_physmem_bits: 52}}).boot(0, 64 * 2 ** 40).build());
		expect(model.zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(true);
	});
});

import {describe, expect, it} from 'vitest';
import {buildModel} from '../../../source/model/build.js';
import {pfn_first, vmem_altmap_offset} from '../../../source/model/predicates/dev-pagemap.js';
import {page_zone, page_zone_id} from '../../../source/model/predicates/page-zone.js';
import {at, buildAt} from '../../helpers/model-probe.js';
import {GiB, topology} from '../../helpers/topology.js';

// An fsdax namespace with an altmap in sections 64-71 (1 GiB at 8 GiB):
//
//   | reserve | free (memmap storage) | data                             |
//   0x200000  0x200008                0x201008                        0x240000
//   reserve = 8 pages; free = 1 GiB of struct pages / 4 KiB = 0x1000 pages
const fsdax = topology({kernel: '5.11'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB, {altmap: {reserve: 8, free: 0x1000}}).build();

describe('ZONE_DEVICE lookups', () => {
	it('computes vmem_altmap_offset() and pfn_first() as reserve + free past the range start', () => {
		const model = buildModel(fsdax);
		const pgmap = model.pgmaps[0]!;
		expect(vmem_altmap_offset(pgmap)).toBe(8 + 0x1000);
		expect(pfn_first(pgmap)).toBe(0x20_1008);
		expect(pgmap.pfn_first).toBe(0x20_1008);
		expect(vmem_altmap_offset({altmap: undefined})).toBe(0);
	});

	// Expect get_dev_pagemap() to find the pgmap for reserve, memmap storage and data alike (the
	// xarray holds the whole range), and nothing just outside.
	it('finds the pgmap for metadata and data pfns (get_dev_pagemap())', () => {
		const model = buildModel(fsdax);
		for (const pfn of [0x20_0000, 0x20_0008, 0x20_1008, 0x23_ffff]) {
			expect(at(model, pfn).predicates.get_dev_pagemap).toBe(0);
		}

		expect(at(model, 0x24_0000).predicates.get_dev_pagemap).toBe(null);
		expect(at(model, 0x1f_ffff).predicates.get_dev_pagemap).toBe(null);
	});

	// Expect pgmap_pfn_valid() false everywhere at v5.11 (it does not exist) and, at v5.12
	// (34dc45be4563), false for reserve and memmap storage, true from pfn_first.
	it('tells metadata from data with pgmap_pfn_valid() from v5.12', () => {
		const old = buildAt(fsdax, '5.11');
		expect(at(old, 0x20_1008).predicates.pgmap_pfn_valid).toBe(false);
		const now = buildAt(fsdax, '5.12');
		expect(at(now, 0x20_0000).predicates.pgmap_pfn_valid).toBe(false);
		expect(at(now, 0x20_1007).predicates.pgmap_pfn_valid).toBe(false);
		expect(at(now, 0x20_1008).predicates.pgmap_pfn_valid).toBe(true);
	});

	// Expect the categories reserve → C5 (never initialized), free → metadata (initialized, pgmap
	// NULL), data → C2, and page_zone() of a data page ZONE_DEVICE on node 0.
	it('classifies the altmap layout', () => {
		const model = buildModel(fsdax);
		expect(at(model, 0x20_0000).category).toBe('C5');
		expect(at(model, 0x20_0000).altmap_part).toBe('reserve');
		expect(at(model, 0x20_0000).memmap.content).toBe('poison');
		expect(at(model, 0x20_0008).category).toBe('metadata');
		expect(at(model, 0x20_0008).memmap).toMatchObject({content: 'init', zone: 'Device', pgmap: null, reserved: true});
		expect(at(model, 0x20_1008).category).toBe('C2');
		expect(page_zone(at(model, 0x20_1008).memmap)).toEqual({zone: 'Device', nid: 0});
		expect(page_zone_id(at(model, 0x20_0000).memmap)).toBeUndefined();
	});
});

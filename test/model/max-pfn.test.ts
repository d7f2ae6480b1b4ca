import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {buildAt} from '../helpers/model-probe.js';
import {GiB, topology} from '../helpers/topology.js';

describe('max_pfn on hot-add', () => {
	// A test that adds an fsdax range above boot RAM on x86_64.
	//
	//   | boot RAM 0-4 GiB | hole | fsdax 8-9 GiB |
	//   0x0          0x100000   0x200000     0x240000
	//
	// Expect max_pfn raised to 0x240000 at v6.14 (add_pages() → update_end_of_memory_vars()) and left
	// at 0x100000 at v6.15 (7170130e4c72: not when params->pgmap is set); the knob forces the
	// backported behaviour on an older version.
	it('is raised by ZONE_DEVICE on x86 before v6.15 only', () => {
		const t = topology({kernel: '6.14'}).boot(0, 4 * GiB).device('fsdax', 8 * GiB, GiB).build();
		expect(buildAt(t, '6.14').max_pfn).toBe(0x24_0000);
		expect(buildAt(t, '6.15').max_pfn).toBe(0x10_0000);
		expect(buildAt(t, '6.12', {knobs: {x86_add_pages_skips_pgmap: true}}).max_pfn).toBe(0x10_0000);
		expect(buildAt(t, '5.10').max_pfn).toBe(0x24_0000);
	});

	// A test that hot-adds RAM below the boot RAM end on arm64-4k.
	//
	//   | hotplug 2-3 GiB | hole | boot RAM 4-8 GiB |
	//   0x80000     0xc0000      0x100000      0x200000
	//
	// Expect max_pfn untouched at v5.15 (no update), lowered to 0xc0000 at v5.16 (8fac67ca236b:
	// max_pfn = PFN_UP(start + size)), and kept at 0x200000 at v6.15 (89f43e1ce6f6: the max).
	it('follows arm64 arch_add_memory() by version', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.15'}).boot(4 * GiB, 4 * GiB).hotplug(2 * GiB, GiB, 'online').build();
		expect(buildAt(t, '5.15').max_pfn).toBe(0x20_0000);
		expect(buildAt(t, '5.16').max_pfn).toBe(0xc_0000);
		expect(buildAt(t, '6.15').max_pfn).toBe(0x20_0000);
	});

	it('is never moved by s390 arch_add_memory()', () => {
		const t = topology({arch: 's390x', kernel: '6.12'}).boot(0, 4 * GiB).hotplug(8 * GiB, GiB, 'online').build();
		expect(buildModel(t).max_pfn).toBe(0x10_0000);
		expect(buildModel(t).min_low_pfn).toBe(0);
	});
});

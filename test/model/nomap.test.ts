import {describe, expect, it} from 'vitest';
import {at, buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// arm64-4k, RAM 2-4 GiB with a 2 MiB MEMBLOCK_NOMAP firmware region.
//
//   | RAM | NOMAP | RAM |
//   0x80000 0x90000 0x90200 0x100000
const nomap = topology({arch: 'arm64-4k', kernel: '5.13'})
	.boot(2 * GiB, 2 * GiB, {nomap: [{start: 0x9000_0000, size: 2 * MiB}]})
	.build();

describe('MEMBLOCK_NOMAP memmap by version', () => {
	// Expect at v5.7 the NOMAP memmap never initialized (memmap_init_zone() skips !pfn_valid pfns,
	// and the pageblock-start check of zero_resv_unavail() fails too): poison, uninitialized.
	it('is uninitialized before v5.8 on arm64', () => {
		const state = at(buildAt(nomap, '5.7'), 0x9_0000);
		expect(state.category).toBe('nomap');
		expect(state.memmap.content).toBe('poison');
		expect(state.uninitialized).toBe(true);
	});

	// Expect at v5.8 and v5.13 INIT (ZONE_DMA: at v5.8 the 1 GiB above DRAM's 2 GiB start, at
	// v5.13 all of the 32-bit range; node 0) but not PageReserved; at v5.14 PageReserved
	// (9092d4f7a1f8) and pfn_valid().
	it('is initialized from v5.8 and PageReserved from v5.14', () => {
		for (const kernel of ['5.8', '5.13']) {
			const state = at(buildAt(nomap, kernel), 0x9_0000);
			expect(state.memmap).toMatchObject({content: 'init', zone: 'DMA', nid: 0, reserved: false});
			expect(state.predicates.pfn_valid).toBe(false);
		}

		const now = at(buildAt(nomap, '5.14'), 0x9_0000);
		expect(now.memmap).toMatchObject({content: 'init', reserved: true});
		expect(now.predicates.pfn_valid).toBe(true);
		expect(now.uninitialized).toBe(false);
	});

	// Expect the subsection map of the early section to include the NOMAP range
	// (for_each_mem_pfn_range() iterates memblock.memory including NOMAP).
	it('has subsection bits for NOMAP ranges', () => {
		expect(at(buildAt(nomap, '6.12'), 0x9_0000).subsection_valid).toBe(true);
	});
});

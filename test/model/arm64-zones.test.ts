/**
arm64's boot zones by release (source/model/zones.ts arm64Zones(): arch/arm64/mm/init.c
zone_sizes_init() and max_zone_phys()). On QEMU's virt machine (RAM from 0x40000000, 2000 MiB)
Debian's 6.1 and 6.12 kernels put all boot RAM in ZONE_DMA (/proc/zoneinfo: DMA spanned 512000
from start_pfn 262144; DMA32 and Normal spanned 0); the model said DMA32 before.
*/
import {describe, expect, it} from 'vitest';
import type {Model} from '../../source/model/types.js';
import {buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

const TiB = 1024 * GiB;

/** The boot zones of node 0 that span something: name → [start_pfn, end_pfn). */
function spans(model: Model): Record<string, [number, number]> {
	const out: Record<string, [number, number]> = {};
	for (const zone of model.zones) {
		if (zone.nid === 0 && zone.zone_end_pfn > zone.zone_start_pfn && zone.name !== 'Movable' && zone.name !== 'Device') {
			out[zone.name] = [zone.zone_start_pfn, zone.zone_end_pfn];
		}
	}

	return out;
}

const pfn = (bytes: number) => bytes / 4096;

describe('arm64 boot zones by release', () => {
	// A test of QEMU's virt machine: arm64-4k, 2000 MiB of RAM from 1 GiB, no dma-ranges, no IORT.
	//
	//   | RAM                                         |
	//   0x40000 (1 GiB)                       0xbd000 (1 GiB + 2000 MiB)
	//
	// Expect at v6.1 and v6.12 ZONE_DMA over all of it (zone_dma_bits = min3(32, 64, 64) = 32, and
	// ZONE_DMA32 ends where ZONE_DMA does): 512000 pfns from 262144, as the real kernels' zoneinfo;
	// no DMA32, no Normal.
	it('puts all of QEMU virt\'s RAM in ZONE_DMA at v6.1 and v6.12', () => {
		const virt = topology({arch: 'arm64-4k', kernel: '6.12'}).boot(GiB, 2000 * MiB).build();
		for (const kernel of ['6.1', '6.11', '6.12']) {
			expect(spans(buildAt(virt, kernel)), kernel).toEqual({DMA: [262_144, 262_144 + 512_000]});
		}
	});

	// The same machine at earlier releases.
	//
	//   v5.10 | DMA: 1 GiB above 1 GiB | DMA32: to the end (below 4 GiB) |
	//   v5.4  | DMA32: all                                               |
	//   v4.20 | DMA: all (the 32-bit zone was ZONE_DMA before v5.0)      |
	//
	// Expect v5.5-v5.10's ARM64_ZONE_DMA_BITS = 30 with the DMA offset (DRAM's start rounded
	// down to 1 GiB): ZONE_DMA [0x40000, 0x80000), ZONE_DMA32 [0x80000, 0xbd000).
	it('splits it at 2 GiB from v5.5 to v5.10 and has one 32-bit zone before', () => {
		const virt = topology({arch: 'arm64-4k', kernel: '5.10'}).boot(GiB, 2000 * MiB).build();
		expect(spans(buildAt(virt, '5.10'))).toEqual({DMA: [0x4_0000, 0x8_0000], DMA32: [0x8_0000, 0xb_d000]});
		expect(spans(buildAt(virt, '5.4'))).toEqual({DMA32: [0x4_0000, 0xb_d000]});
		expect(spans(buildAt(virt, '4.20'))).toEqual({DMA: [0x4_0000, 0xb_d000]});
		expect(buildAt(virt, '4.20').zones.some(zone => zone.name === 'DMA32')).toBe(false);
	});

	// A test of RAM that starts at 1 TiB (4 GiB of it), no firmware DMA limit.
	//
	//   | RAM                        |
	//   1 TiB                 1 TiB + 4 GiB
	//
	// Expect at v5.10 the DMA offset: ZONE_DMA the first 1 GiB, ZONE_DMA32 the next 3 GiB (up to
	// 1 TiB + 4 GiB, the 4 GiB above the start rounded down to 4 GiB); from v5.11 (791ab8b2e3db:
	// no DMA offset; DRAM above 4 GiB widens the mask to PHYS_ADDR_MAX) ZONE_DMA over all of it.
	it('follows the DMA offset of RAM above 4 GiB before v5.11 and ignores it after', () => {
		const high = topology({arch: 'arm64-4k', kernel: '6.12'}).boot(TiB, 4 * GiB).build();
		expect(spans(buildAt(high, '5.10'))).toEqual({DMA: [pfn(TiB), pfn(TiB + GiB)], DMA32: [pfn(TiB + GiB), pfn(TiB + 4 * GiB)]});
		for (const kernel of ['5.11', '6.11', '6.12']) {
			expect(spans(buildAt(high, kernel)), kernel).toEqual({DMA: [pfn(TiB), pfn(TiB + 4 * GiB)]});
		}
	});

	// A test of config.dma_limit: a Raspberry Pi 4-like 30-bit DMA limit (dma-ranges up to
	// 0x3fffffff) on RAM [0, 8 GiB).
	//
	//   | DMA | DMA32        | Normal          |
	//   0   1 GiB         4 GiB            8 GiB
	//
	// Expect from v5.11 zone_dma_bits = fls64(0x3fffffff) = 30: ZONE_DMA [0, 1 GiB), ZONE_DMA32 to
	// 4 GiB, Normal above; before v5.11 the knob is not read (v5.10 has ZONE_DMA 1 GiB anyway,
	// ARM64_ZONE_DMA_BITS), so a 31-bit limit changes nothing at v5.10 and halves nothing at v6.1.
	it('sizes ZONE_DMA from the firmware DMA limit from v5.11', () => {
		const pi = topology({arch: 'arm64-4k', kernel: '6.1', config: {dma_limit: 0x3fff_ffff}}).boot(0, 8 * GiB).build();
		for (const kernel of ['5.11', '6.1', '6.12']) {
			expect(spans(buildAt(pi, kernel)), kernel).toEqual({DMA: [0, pfn(GiB)], DMA32: [pfn(GiB), pfn(4 * GiB)], Normal: [pfn(4 * GiB), pfn(8 * GiB)]});
		}

		const wide = topology({arch: 'arm64-4k', kernel: '6.1', config: {dma_limit: 0x7fff_ffff}}).boot(0, 8 * GiB).build();
		expect(spans(buildAt(wide, '5.10'))).toEqual({DMA: [0, pfn(GiB)], DMA32: [pfn(GiB), pfn(4 * GiB)], Normal: [pfn(4 * GiB), pfn(8 * GiB)]});
		expect(spans(buildAt(wide, '6.1'))).toEqual({DMA: [0, pfn(2 * GiB)], DMA32: [pfn(2 * GiB), pfn(4 * GiB)], Normal: [pfn(4 * GiB), pfn(8 * GiB)]});
	});

	// A test of a DMA limit above 4 GiB on RAM that starts there: RAM [4 GiB, 12 GiB), dma-ranges
	// reaching 0x13fffffff (30 bits of DMA offset by 4 GiB).
	//
	//   v6.11 | DMA: all                                  |
	//   v6.12 | DMA          | Normal                     |
	//         4 GiB        5 GiB                      12 GiB
	//
	// Expect at v6.11 (zone_dma_bits = min(32, 33) = 32, DRAM above 4 GiB: PHYS_ADDR_MAX) ZONE_DMA
	// over all of it; at v6.12 (zone_dma_limit is an address, 3be9b846896d "arm64: support DMA zone
	// above 4GB") ZONE_DMA ends at 5 GiB, ZONE_DMA32 is empty (below DRAM) and Normal has the rest.
	it('ends ZONE_DMA at a limit above 4 GiB from v6.12', () => {
		const offset = topology({arch: 'arm64-4k', kernel: '6.12', config: {dma_limit: 0x1_3fff_ffff}}).boot(4 * GiB, 8 * GiB).build();
		expect(spans(buildAt(offset, '6.11'))).toEqual({DMA: [pfn(4 * GiB), pfn(12 * GiB)]});
		expect(spans(buildAt(offset, '6.12'))).toEqual({DMA: [pfn(4 * GiB), pfn(5 * GiB)], Normal: [pfn(5 * GiB), pfn(12 * GiB)]});
	});
});

/**
topologies/arm64-cma-zone-boundary.yaml, audited as shipped (arm64-4k, v6.12): two reusable
shared-dma-pool CMA areas (hex pfns, 128 MiB sections = 0x8000 pfns, ZONE_DMA below 4 GiB):

	0x40000      0xfe000    0x100000   0x102000  0x140000  0x140200       0x144200   0x180000
	| RAM (DMA)  | #1 DMA   | #1 Normal | RAM     | hole    | #2 (Normal)   | RAM      |
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import alloc_contig_range_noprof from '../../walkers/alloc_contig_range_noprof.js';
import cma_activate_area from '../../walkers/cma_activate_area.js';
import {audit, expectNoFailing} from './harness.js';

const shipped = () => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'arm64-cma-zone-boundary.yaml'));

describe('topologies/arm64-cma-zone-boundary.yaml', () => {
	// A test that audits cma_activate_area() over the shipped file at its kernel (6.12).
	//
	// Expect area #1 read from 0xfe000 to 0x100000, the first ZONE_NORMAL pfn, where not_in_zone
	// stops it (0x2001 reads), then all its 0x4000 pfns written by free_reserved_page(); area #2
	// read and written whole by init_cma_reserved_pageblock(): 0x2001 + 3 x 0x4000 touches, none
	// failing.
	it('cma_activate_area refuses the area across 4 GiB and activates the other', () => {
		const {model, result} = audit(cma_activate_area, shipped(), '6.12');
		expectNoFailing(result);
		expect(result.touches.ok).toBe(0x2001 + (3 * 0x4000));
		expect(cma_activate_area.plan(model)!.passes.map(pass => pass.label)).toEqual([
			'cma@0xfe000000: page_zone()',
			'cma@0xfe000000: free_reserved_page()',
			'cma@0x140200000: page_zone()',
			'cma@0x140200000: init_cma_reserved_pageblock()',
		]);
	});

	// A test that audits alloc_contig_range_noprof() over the shipped file at 6.12 and 6.1.
	//
	// Expect exactly one touch outside both areas in a hole: pfn 0x140000 (ALIGN_DOWN(0x140200,
	// MAX_ORDER_NR_PAGES)), below area #2, as its one witness, not failing (its memmap is
	// initialized by init_unavailable_range()).
	it('alloc_contig_range_noprof reads one pfn of the hole below the pageblock-aligned area', () => {
		for (const kernel of ['6.1', '6.12']) {
			const {result} = audit(alloc_contig_range_noprof, shipped(), kernel);
			expectNoFailing(result);
			expect(result.touches.hole, kernel).toBe(1);
			expect(result.witnesses.filter(w => w.category === 'hole').map(w => w.pfn)).toEqual([0x14_0000]);
		}
	});

	// A test that loads the file at v5.18, where CMA_MIN_ALIGNMENT_BYTES is 4 MiB.
	//
	// Expect area #2's base refused as cma_init_reserved_mem() refuses it.
	it('is refused before v5.19, where area #2 is not aligned', () => {
		expect(() => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'arm64-cma-zone-boundary.yaml'), {kernel: '5.18'})).toThrow(/memory\[1\]\.cma\[0\]\.start 0x1_4020_0000 is not aligned to CMA_MIN_ALIGNMENT_BYTES 4 MiB/);
	});
});

/**
The walkers the census of 6.12.118 found guarded (source/walker/census.ts, issue 17): an audit
shows them as guarded — on the showcase and on a topology with a hot-added block left offline
they touch no uninitialized struct page, at 6.12 and (the showcase) at its own release. Boot-only
walkers are audited at the boot phase, where they run; at the final phase they walk nothing.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import __shuffle_zone from '../../walkers/__shuffle_zone.js';
import generic_access_phys from '../../walkers/generic_access_phys.js';
import page_idle_bitmap_write from '../../walkers/page_idle_bitmap_write.js';
import pagetypeinfo_showblockcount_print from '../../walkers/pagetypeinfo_showblockcount_print.js';
import read_kcore_iter from '../../walkers/read_kcore_iter.js';
import split_huge_pages_all from '../../walkers/split_huge_pages_all.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched} from './harness.js';
import {offlineInZoneSpan} from './layouts.js';

const showcase = () => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'showcase.yaml'));

/** Walkers that run after boot, audited at the final phase. */
export const RUNTIME: readonly WalkerDefinition[] = [
	read_kcore_iter,
	page_idle_bitmap_write,
	generic_access_phys,
	pagetypeinfo_showblockcount_print,
	split_huge_pages_all,
	__shuffle_zone,
];

describe('the guarded walkers of the census', () => {
	// A test of each run-time guarded walker on the showcase at v6.12, and at the showcase's own
	// release (v5.15) unless the walker's form there names a later fix (split_huge_pages_all: its
	// own test shows it failing before 2b7aa91ba0e8). The showcase has offline hot-added blocks
	// (C1), ZONE_DEVICE ranges in every state (C2-C5), a raw hole pageblock and NOMAP pages.
	//
	// Expect no failing touch at all, and none of the offline blocks' (C1) or the initializing
	// device's (C4) pfns read.
	it.each(RUNTIME.map(walker => [walker.name, walker] as const))('%s touches nothing uninitialized on the showcase', (_name, walker) => {
		const at515 = audit(walker, showcase(), '5.15').result;
		const kernels = at515.form?.fixed_by === undefined ? ['5.15', '6.12'] : ['6.12'];
		for (const kernel of kernels) {
			const {result} = audit(walker, showcase(), kernel);
			expectNoFailing(result);
			expectUntouched(result, 'C1', 'C4');
		}

		// At v6.12 every one of them reads initialized struct pages: it walked, it was not idle.
		expectTouchedNotFailing(audit(walker, showcase(), '6.12').result, 'ok');
	});

	// A test of each with layouts.ts offlineInZoneSpan() at v6.12.
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000 = max_pfn
	//
	// Expect no failing touch, and B (C1) untouched: the walkers that cover ZONE_NORMAL's span or
	// System RAM pass over B and their guard refuses it.
	it.each(RUNTIME.map(walker => [walker.name, walker] as const))('%s skips a hot-added block left offline', (_name, walker) => {
		const {result} = audit(walker, offlineInZoneSpan(), '6.12');
		expectNoFailing(result);
		expectUntouched(result, 'C1');
		expect(result.status).toBe('ok');
	});
});

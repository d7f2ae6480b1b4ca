import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {PACKAGE_ROOT} from '../../source/paths.js';
import {CENSUS} from '../../source/walker/census.js';
import kvm_set_pfn_dirty from '../../walkers/kvm_set_pfn_dirty.js';
import {stepAt} from '../e2e-walkers/harness.js';
import {C1_PFN, C5_PFN, NO_STRICT_DEVMEM, pfnmapLayout} from './pfnmap-layout.js';

const seq = (touches: ReturnType<typeof stepAt>) => touches.map(t => `${t.via} ${t.access} ${t.fields.join('+')}`);

describe('kvm_set_pfn_dirty (and kvm_set_pfn_accessed)', () => {
	// A test of the zap of an accessed and dirty guest mapping of a never-onlined pfn (pfnmap-layout.ts
	// map), exposed without CONFIG_STRICT_DEVMEM. Expect kvm_set_pfn_accessed() then
	// kvm_set_pfn_dirty(), each a PageReserved() read and, for garbage, a flags write
	// (mark_page_accessed(), SetPageDirty()); for the poisoned altmap reserve (C5) the reads only.
	it('marks accessed, then dirty, a page that does not look reserved', () => {
		const garbage = pfnmapLayout('6.12', {...NO_STRICT_DEVMEM, debug_vm: false});
		expect(seq(stepAt(kvm_set_pfn_dirty, garbage, C1_PFN))).toEqual([
			'kvm_is_ad_tracked_page read flags',
			'mark_page_accessed write flags',
			'kvm_is_ad_tracked_page read flags',
			'SetPageDirty write flags',
		]);
		const poisoned = pfnmapLayout('6.12', NO_STRICT_DEVMEM);
		expect(seq(stepAt(kvm_set_pfn_dirty, poisoned, C5_PFN))).toEqual(['kvm_is_ad_tracked_page read flags', 'kvm_is_ad_tracked_page read flags']);
		expect(seq(stepAt(kvm_set_pfn_dirty, pfnmapLayout('5.19', {...NO_STRICT_DEVMEM, debug_vm: false}), C1_PFN))[0]).toBe('kvm_is_reserved_pfn read flags');
	});

	// A test of the family: the census lists kvm_set_pfn_accessed() with this walker as its
	// family, and the walker file names it. Expect both.
	it('models kvm_set_pfn_accessed() as its family', () => {
		expect(CENSUS.find(e => e.function === 'kvm_set_pfn_accessed')?.walker).toBe('kvm_set_pfn_dirty');
		expect(readFileSync(path.join(PACKAGE_ROOT, 'walkers', 'kvm_set_pfn_dirty.ts'), 'utf8')).toContain('kvm_set_pfn_accessed()');
	});
});

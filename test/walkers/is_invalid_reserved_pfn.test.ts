import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import is_invalid_reserved_pfn from '../../walkers/is_invalid_reserved_pfn.js';
import {audit, stepAt} from '../e2e-walkers/harness.js';
import {topology} from '../helpers/topology.js';
import {C1_PFN, NO_STRICT_DEVMEM, pfnmapLayout} from './pfnmap-layout.js';

describe('is_invalid_reserved_pfn', () => {
	// A test of VFIO_IOMMU_MAP_DMA over a /dev/mem mapping without CONFIG_STRICT_DEVMEM
	// (pfnmap-layout.ts map). Expect the never-onlined block read (page->flags, PageReserved()) and
	// failing, nothing written; through compound_head() first before v5.5 (026948f01eac).
	it('reads never-onlined memory behind a PFNMAP, and writes nothing', () => {
		const {result} = audit(is_invalid_reserved_pfn, pfnmapLayout('6.12', NO_STRICT_DEVMEM).topology, '6.12');
		expect(result.failing.C1).toBeGreaterThan(0);
		expect(result.witnesses.find(w => w.category === 'C1')?.why).toContain('pfn_valid() only');
		const at = (kernel: string) => stepAt(is_invalid_reserved_pfn, pfnmapLayout(kernel, NO_STRICT_DEVMEM), C1_PFN).map(t => [t.via, t.access]);
		expect(at('6.12')).toEqual([['PageReserved', 'read']]);
		expect(at('5.4')).toEqual([['compound_head', 'read']]);
	});

	// A test of where the type1 backend exists (drivers/vfio/Kconfig: X86 || S390 || ARM || ARM64).
	// Expect the walker absent on ppc64 and riscv64, present on arm64.
	it('exists only where VFIO selects VFIO_IOMMU_TYPE1', () => {
		const plan = (arch: 'ppc64-64k' | 'riscv64' | 'arm64-4k') => is_invalid_reserved_pfn.plan(buildModel(topology({arch, kernel: '6.12'}).boot(0x8000_0000, 2 ** 30).build()));
		expect(plan('ppc64-64k')).toBeNull();
		expect(plan('riscv64')).toBeNull();
		expect(plan('arm64-4k')).not.toBeNull();
	});

	// A test of the default. Expect no failing touch.
	it('fails nothing at the distribution default', () => {
		const {result} = audit(is_invalid_reserved_pfn, pfnmapLayout('6.12').topology, '6.12');
		expect(Object.values(result.failing).every(n => n === 0)).toBe(true);
	});
});

import {describe, expect, it} from 'vitest';
import kvm_try_get_pfn from '../../walkers/kvm_try_get_pfn.js';
import {audit, stepAt} from '../e2e-walkers/harness.js';
import {C1_PFN, C5_PFN, NO_STRICT_DEVMEM, P2PDMA_PFN, pfnmapLayout} from './pfnmap-layout.js';

const seq = (touches: ReturnType<typeof stepAt>) => touches.map(t => `${t.via} ${t.access} ${t.fields.join('+')}`);

describe('kvm_try_get_pfn', () => {
	// A test of what a stock kernel exposes (pfnmap-layout.ts map): /dev/mem under
	// CONFIG_STRICT_DEVMEM and CONFIG_IO_STRICT_DEVMEM refuses System RAM and busy device memory, so
	// the never-onlined block (C1) and the fsdax namespace (C5, metadata) are not reached; the
	// p2pdma BAR is, through a driver's PFNMAP. Expect only ok and C2 touches, and the BAR's
	// initialized ZONE_DEVICE page refcounted (its _refcount written).
	it('reaches no uninitialized memmap at the distribution default', () => {
		const model = pfnmapLayout('6.12');
		const {result} = audit(kvm_try_get_pfn, model.topology, '6.12');
		expect(Object.entries(result.touches).filter(([, n]) => n > 0).map(([c]) => c)).toEqual(['ok', 'C2']);
		expect(seq(stepAt(kvm_try_get_pfn, model, P2PDMA_PFN)).at(-1)).toBe('get_page_unless_zero write _refcount');
	});

	// A test of CONFIG_STRICT_DEVMEM=n: /dev/mem maps any pfn, and pfn_valid() is the only guard.
	// Expect the poisoned C1 page read (PageReserved(), then kvm_is_zone_device_page()'s
	// page_count() and page_zonenum()) and not written — the poison looks PG_reserved and not
	// ZONE_DEVICE — and the same pfn written when CONFIG_DEBUG_VM is off (garbage: the write is
	// the superset). The witness names the missing guard and the setting.
	it('reads never-onlined memory without CONFIG_STRICT_DEVMEM, and writes its _refcount when not poisoned', () => {
		const poisoned = pfnmapLayout('6.12', NO_STRICT_DEVMEM);
		expect(seq(stepAt(kvm_try_get_pfn, poisoned, C1_PFN))).toEqual([
			'kvm_pfn_to_refcounted_page read flags',
			'kvm_is_zone_device_page read _refcount',
			'is_zone_device_page read flags',
		]);
		const garbage = pfnmapLayout('6.12', {...NO_STRICT_DEVMEM, debug_vm: false});
		expect(seq(stepAt(kvm_try_get_pfn, garbage, C1_PFN))).toEqual(['kvm_pfn_to_refcounted_page read flags', 'get_page_unless_zero write _refcount']);
		const {result} = audit(kvm_try_get_pfn, poisoned.topology, '6.12');
		const witness = result.witnesses.find(w => w.category === 'C1');
		expect(witness?.failing).toBe(true);
		expect(witness?.why).toContain('guards with pfn_valid() only (no pfn_to_online_page())');
		expect(witness?.why).toContain('config.strict_devmem: false');
		expect(result.failing.C5).toBeGreaterThan(0);
	});

	// A test of the forms by version on the garbage C1 page. Expect get_page() through
	// kvm_is_reserved_pfn() before v5.13 (f8be156be163), get_page_unless_zero() from it, and
	// kvm_pfn_to_refcounted_page() naming the read from v6.0; at v4.13 the poisoned C5 page is only
	// read (PageReserved(), no ZONE_DEVICE test before v5.5).
	it('follows the versions', () => {
		const at = (kernel: string, pfn = C1_PFN, debug_vm = false) => seq(stepAt(kvm_try_get_pfn, pfnmapLayout(kernel, {...NO_STRICT_DEVMEM, debug_vm}), pfn));
		expect(at('5.12')).toEqual(['kvm_is_reserved_pfn read flags', 'get_page write _refcount']);
		expect(at('5.13')).toEqual(['kvm_is_reserved_pfn read flags', 'get_page_unless_zero write _refcount']);
		expect(at('6.1')).toEqual(['kvm_pfn_to_refcounted_page read flags', 'get_page_unless_zero write _refcount']);
		expect(at('4.13', C5_PFN, true)).toEqual(['kvm_is_reserved_pfn read flags']);
		expect(kvm_try_get_pfn.history.find(h => h.since === '5.13')?.commits?.[0]?.id).toBe('f8be156be163');
	});
});

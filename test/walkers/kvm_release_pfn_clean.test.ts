import {describe, expect, it} from 'vitest';
import kvm_release_pfn_clean from '../../walkers/kvm_release_pfn_clean.js';
import {audit, stepAt} from '../e2e-walkers/harness.js';
import {C1_PFN, NO_STRICT_DEVMEM, pfnmapLayout} from './pfnmap-layout.js';

const seq = (touches: ReturnType<typeof stepAt>) => touches.map(t => `${t.via} ${t.access} ${t.fields.join('+')}`);

describe('kvm_release_pfn_clean', () => {
	// A test of the release after the fault on a never-onlined pfn (pfnmap-layout.ts map) that
	// /dev/mem exposes without CONFIG_STRICT_DEVMEM. Expect, at v6.12 with garbage (no
	// CONFIG_DEBUG_VM), kvm_pfn_to_refcounted_page()'s read, then kvm_is_ad_tracked_page()'s read,
	// mark_page_accessed()'s flags write and put_page()'s _refcount write; at v5.19 no accessed
	// marking, only put_page(); with the poison, reads only.
	it('writes page->flags and page->_refcount of a page that does not look reserved', () => {
		const at = (kernel: string, debug_vm: boolean) => seq(stepAt(kvm_release_pfn_clean, pfnmapLayout(kernel, {...NO_STRICT_DEVMEM, debug_vm}), C1_PFN));
		expect(at('6.12', false)).toEqual([
			'kvm_pfn_to_refcounted_page read flags',
			'kvm_is_ad_tracked_page read flags',
			'mark_page_accessed write flags',
			'put_page write _refcount',
		]);
		expect(at('5.19', false)).toEqual(['kvm_is_reserved_pfn read flags', 'put_page write _refcount']);
		expect(at('6.12', true).every(t => t.includes(' read '))).toBe(true);
	});

	// A test of the default settings. Expect no failing touch: /dev/mem refuses System RAM and
	// busy device memory.
	it('fails nothing at the distribution default', () => {
		const {result} = audit(kvm_release_pfn_clean, pfnmapLayout('6.12').topology, '6.12');
		expect(Object.values(result.failing).every(n => n === 0)).toBe(true);
		expect(result.touches.C2).toBeGreaterThan(0);
	});
});

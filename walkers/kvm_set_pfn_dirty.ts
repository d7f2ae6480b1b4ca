/**
virt/kvm/kvm_main.c:kvm_set_pfn_dirty() and kvm_set_pfn_accessed(): when KVM zaps a shadow or TDP
page-table entry that was accessed or dirty, it passes the entry's pfn on
(arch/x86/kvm/mmu/mmu.c mmu_spte_clear_track_bits() and mmu_spte_update(), tdp_mmu.c
handle_changed_spte_dirty_log() [V 6.12]): the pfns a guest mapped, including every pfn a
VM_PFNMAP memslot holds (source/walker/pfnmap.ts decides which). One walker models both: they
run on the same pfn, accessed first, with the same guard.

The guard is pfn_valid() only. Then kvm_is_ad_tracked_page() reads PageReserved(); a page that
does not look reserved gets mark_page_accessed() (kvm_set_pfn_accessed(): page->flags written)
and SetPageDirty() (kvm_set_pfn_dirty(): page->flags written) [V 6.1.176, 6.12.118; both v6.0+,
Sean Christopherson's kvm_is_reserved_pfn() rework, U]. Before v6.0 the test was
`!kvm_is_reserved_pfn(pfn)` (and from v5.5 `!kvm_is_zone_device_pfn(pfn)`), the same pfn_valid()
and PageReserved() reads [U]. mmu_spte_clear_track_bits() also reads the page through
kvm_pfn_to_refcounted_page() for a WARN first (walkers/kvm_try_get_pfn.ts); not repeated here.
*/
import {atLeast} from '../source/kernel/version.js';
import {defineWalker} from '../source/walker/contract.js';
import {isHugetlbTail} from '../source/walker/hugetlb.js';
import {exposurePasses, pageReserved, pfnmapExposures} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;
// mark_page_accessed() (page_folio()) and SetPageDirty() (PF_HEAD) write a HugeTLB tail's head.
const HEAD_FLAGS = ['compound_head', 'flags'] as const;

export default defineWalker({
	name: 'kvm_set_pfn_dirty',
	models: 'virt/kvm/kvm_main.c:kvm_set_pfn_dirty()',
	trigger: 'KVM zaps an accessed or dirty guest mapping of a memslot backed by a VM_PFNMAP mapping (MMU notifier, memslot deletion, dirty logging): kvm_set_pfn_accessed(), then kvm_set_pfn_dirty()',
	reachability: 'root',
	shape: 'one pfn per zapped entry; swept over every pfn a VM_PFNMAP mapping can expose under the topology\'s /dev/mem and driver settings',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() && !PageReserved() (kvm_is_reserved_pfn()), then mark_page_accessed() / SetPageDirty()',
			confidence: 'U',
		},
		{
			since: '6.0',
			guard: 'pfn_valid() only, then kvm_is_ad_tracked_page() (!PageReserved()), mark_page_accessed() / SetPageDirty()',
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; the commit is not identified [U]',
		},
	],
	plan(model) {
		const via = atLeast(model.kernel, '6.0') ? 'kvm_is_ad_tracked_page' : 'kvm_is_reserved_pfn';
		return {
			label: atLeast(model.kernel, '6.0')
				? 'v6.0+: pfn_valid() only, kvm_is_ad_tracked_page(), mark_page_accessed() and SetPageDirty()'
				: 'v4.13-v5.19: pfn_valid() only, kvm_is_reserved_pfn(), mark_page_accessed() and SetPageDirty()',
			guard: 'guards with pfn_valid() only (no pfn_to_online_page()), then writes page->flags of a page that does not look reserved',
			passes: exposurePasses(
				pfnmapExposures(model),
				(ctx, pfn) => {
					if (!ctx.pfn_valid(pfn)) {
						return;
					}

					// kvm_set_pfn_accessed()
					const view = ctx.page(pfn, FLAGS, via);
					const fields = isHugetlbTail(view.hugetlb) ? HEAD_FLAGS : FLAGS;
					if (pageReserved(view) !== true) {
						ctx.page(pfn, fields, 'mark_page_accessed', 'write');
					}

					// kvm_set_pfn_dirty()
					if (pageReserved(ctx.page(pfn, FLAGS, via)) !== true) {
						ctx.page(pfn, fields, 'SetPageDirty', 'write');
					}
				},
				'no pfn a VM_PFNMAP mapping can expose under these settings',
			),
		};
	},
});

/**
virt/kvm/kvm_main.c:kvm_release_pfn_clean() (and kvm_release_pfn_dirty(), which reads the same
page first): the end of a KVM page fault releases the pfn hva_to_pfn() returned
(arch/x86/kvm/mmu/mmu.c kvm_mmu_finish_page_fault() and the error paths [V 6.12]), so every pfn
walkers/kvm_try_get_pfn.ts took from a VM_PFNMAP mapping comes here too: the same configuration
decides which pfns (source/walker/pfnmap.ts).

The guard is kvm_pfn_to_refcounted_page() (walkers/kvm_try_get_pfn.ts): pfn_valid() only. A page
it returns is released by kvm_release_page_clean(): kvm_set_page_accessed() reads PageReserved()
(kvm_is_ad_tracked_page()) and calls mark_page_accessed() (page->flags written) when it is clear,
then put_page() writes page->_refcount [V 6.1.176, 6.12.118]. Before v6.0 kvm_release_pfn_clean()
was `!is_error_noslot_pfn(pfn) && !kvm_is_reserved_pfn(pfn)`, then put_page(), with no accessed
marking [U: read in no tree; from the v6.0 rework's description]. kvm_release_pfn_dirty() also sets
PG_dirty (kvm_set_page_dirty()): the same pages, one more flags write; not modelled separately.

The model releases every pfn kvm_try_get_pfn() accepted; a page whose get_page_unless_zero() saw
a zero _refcount fails the fault before the release (not modelled: the superset) [A].
*/
import {atLeast} from '../source/kernel/version.js';
import {defineWalker} from '../source/walker/contract.js';
import {hasHugetlbPages, hugetlbPartAt, isHugetlbTail} from '../source/walker/hugetlb.js';
import {exposurePasses, pageReserved, pfnmapExposures} from '../source/walker/pfnmap.js';
import {kvm_pfn_to_refcounted_page} from './kvm_try_get_pfn.js';

const FLAGS = ['flags'] as const;
const REFCOUNT = ['_refcount'] as const;
// mark_page_accessed() and put_page() act on page_folio(page): a HugeTLB tail's head.
const HEAD_FLAGS = ['compound_head', 'flags'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

export default defineWalker({
	name: 'kvm_release_pfn_clean',
	models: 'virt/kvm/kvm_main.c:kvm_release_pfn_clean()',
	trigger: 'the end of a KVM guest page fault on a memslot backed by a VM_PFNMAP mapping: kvm_release_pfn_clean() of the pfn hva_to_pfn_remapped() returned',
	reachability: 'root',
	shape: 'one pfn per fault; swept over every pfn a VM_PFNMAP mapping can expose under the topology\'s /dev/mem and driver settings',
	fields: ['flags', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: '!kvm_is_reserved_pfn() (pfn_valid() only, PageReserved()), then put_page()',
			confidence: 'U',
		},
		{
			since: '6.0',
			guard: 'kvm_pfn_to_refcounted_page() (pfn_valid() only), then kvm_set_page_accessed() (PageReserved(), mark_page_accessed()) and put_page()',
			commits: [{subject: 'KVM: Rename/refactor kvm_is_reserved_pfn() to kvm_pfn_to_refcounted_page()'}],
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; the commit that added kvm_set_page_accessed() to the release is not identified [U]',
		},
	],
	plan(model) {
		const k = model.kernel;
		const marks = atLeast(k, '6.0');
		const huge = hasHugetlbPages(model);
		return {
			label: marks
				? 'v6.0+: kvm_pfn_to_refcounted_page() (pfn_valid() only), mark_page_accessed(), put_page()'
				: 'v4.13-v5.19: !kvm_is_reserved_pfn() (pfn_valid() only), put_page()',
			guard: 'guards with pfn_valid() only (no pfn_to_online_page()), then writes page->flags and page->_refcount of a page that does not look reserved',
			passes: exposurePasses(
				pfnmapExposures(model),
				(ctx, pfn) => {
					if (!kvm_pfn_to_refcounted_page(ctx, pfn, k)) {
						return;
					}

					const tail = huge && isHugetlbTail(hugetlbPartAt(ctx, pfn));
					if (marks && pageReserved(ctx.page(pfn, FLAGS, 'kvm_is_ad_tracked_page')) !== true) {
						ctx.page(pfn, tail ? HEAD_FLAGS : FLAGS, 'mark_page_accessed', 'write');
					}

					ctx.page(pfn, tail ? HEAD_REFCOUNT : REFCOUNT, 'put_page', 'write');
				},
				'no pfn a VM_PFNMAP mapping can expose under these settings',
			),
		};
	},
});

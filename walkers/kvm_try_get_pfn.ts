/**
virt/kvm/kvm_main.c:kvm_try_get_pfn(), called by hva_to_pfn_remapped() on the pfn a VM_IO or
VM_PFNMAP mapping holds at the faulting address of a memslot (get_user_pages() refuses such
VMAs). Any process with /dev/kvm whose memslot is backed by such a mapping reaches it: the pfns
it can put there are configuration (source/walker/pfnmap.ts: mmap() of /dev/mem under
CONFIG_STRICT_DEVMEM and CONFIG_IO_STRICT_DEVMEM, a driver's PFNMAP of device memory).

The guard is pfn_valid() only: no pfn_to_online_page(), so the struct page of hot-added memory
never onlined (C1), of a ZONE_DEVICE altmap reserve (C5) or of a device still initializing (C4) is
read, and when it does not look PG_reserved its _refcount is written. By version [V 6.1.176 and
6.12.118 virt/kvm/kvm_main.c; the older forms from the commits named, P/U as marked]:
- v4.13-v5.4: hva_to_pfn_remapped() calls kvm_get_pfn(): kvm_is_reserved_pfn() is pfn_valid()
  then PageReserved(); a page not reserved gets get_page() (a _refcount write). The remapped path
  came with add6a0cd1c5b "KVM: MMU: try to fix up page faults before giving up" (v4.7 [P]).
- v5.5-v5.12: kvm_is_reserved_pfn() also lets ZONE_DEVICE pages through
  (kvm_is_zone_device_pfn(): WARN_ON_ONCE(!page_count()), then is_zone_device_page()), a78986aae9b2
  "KVM: MMU: Do not treat ZONE_DEVICE pages as being reserved" [U: release not checked].
- v5.13+: kvm_try_get_pfn() takes get_page_unless_zero() instead of get_page(): f8be156be163
  "KVM: do not allow mapping valid but non-reference-counted pages" (Nicholas Piggin, the
  CVE-2021-22543 fix [P]).
- v6.0+: the test is kvm_pfn_to_refcounted_page() (pfn_valid(), PageReserved(), is_zero_pfn(),
  kvm_is_zone_device_page()): Sean Christopherson, "KVM: Rename/refactor kvm_is_reserved_pfn()
  to kvm_pfn_to_refcounted_page()" [U: id and release not checked; the 6.1 tree has it, V].
Releases after 6.12 were not read: Sean Christopherson's series "KVM: Stop grabbing references to
PFNMAP'd pages" reworks this path; the model keeps the 6.12 form there [U].

What a touched page shows decides the branch (source/walker/pfnmap.ts pageReserved()): a poisoned
page looks reserved and not ZONE_DEVICE, so kvm_pfn_to_refcounted_page() returns NULL after reading
its flags and _refcount; garbage can look like anything, and the model takes the write (the
superset) [A]. is_zero_pfn() is a pfn comparison, not modelled (the zero page is initialized
kernel memory).

HugeTLB pages (source/walker/hugetlb.ts): get_page() takes the folio's (the head's) count;
get_page_unless_zero() on the raw page of an HVO fake head (v5.18+) writes the read-only alias
until bd225530a4c7 (v6.10 [P]), and only reads a tail's zero count.
*/
import {atLeast, type KernelVersion} from '../source/kernel/version.js';
import {defineWalker, type StepContext} from '../source/walker/contract.js';
import {hasHugetlbPages, hugetlbPartAt, isHugetlbTail, refAddUnlessAccess} from '../source/walker/hugetlb.js';
import {exposurePasses, isZoneDevicePage, pageReserved, pfnmapExposures} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;
const REFCOUNT = ['_refcount'] as const;
const HEAD_REFCOUNT = ['compound_head', '_refcount'] as const;

/**
kvm_pfn_to_refcounted_page() (v6.0+), or !kvm_is_reserved_pfn() before: whether the pfn's page is
refcounted, with the reads it takes. `via` names the function at that version.
*/
export function kvm_pfn_to_refcounted_page(ctx: StepContext, pfn: number, k: KernelVersion): boolean {
	if (!ctx.pfn_valid(pfn)) {
		return false;
	}

	const via = atLeast(k, '6.0') ? 'kvm_pfn_to_refcounted_page' : 'kvm_is_reserved_pfn';
	const reserved = pageReserved(ctx.page(pfn, FLAGS, via));
	if (reserved !== true) {
		return true;
	}

	if (!atLeast(k, '5.5')) {
		return false;
	}

	// kvm_is_zone_device_page(): WARN_ON_ONCE(!page_count(page)), then is_zone_device_page().
	const zoneVia = atLeast(k, '6.0') ? 'kvm_is_zone_device_page' : 'kvm_is_zone_device_pfn';
	ctx.page(pfn, REFCOUNT, zoneVia);
	return isZoneDevicePage(ctx.page(pfn, FLAGS, 'is_zone_device_page')) === true;
}

export default defineWalker({
	name: 'kvm_try_get_pfn',
	models: 'virt/kvm/kvm_main.c:kvm_try_get_pfn()',
	trigger:
		'a KVM guest faults on a memslot backed by a VM_PFNMAP mapping (mmap() of /dev/mem, a driver\'s PFNMAP such as a vfio-pci BAR): hva_to_pfn_remapped() → kvm_try_get_pfn()',
	reachability: 'root',
	shape: 'one pfn per fault; swept over every pfn a VM_PFNMAP mapping can expose under the topology\'s /dev/mem and driver settings',
	fields: ['flags', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() && !PageReserved(), then get_page() (kvm_get_pfn())',
			commits: [{id: 'add6a0cd1c5b', subject: 'KVM: MMU: try to fix up page faults before giving up'}],
			confidence: 'P',
			note: 'the remapped path is from v4.7; v4.13 is the oldest modelled release',
		},
		{
			since: '5.5',
			guard: 'pfn_valid(), PageReserved() unless ZONE_DEVICE (page_count(), is_zone_device_page()), then get_page()',
			commits: [{id: 'a78986aae9b2', subject: 'KVM: MMU: Do not treat ZONE_DEVICE pages as being reserved'}],
			confidence: 'U',
		},
		{
			since: '5.13',
			guard: 'as v5.5, then get_page_unless_zero() (kvm_try_get_pfn())',
			commits: [{id: 'f8be156be163', subject: 'KVM: do not allow mapping valid but non-reference-counted pages'}],
			confidence: 'P',
		},
		{
			since: '6.0',
			guard: 'kvm_pfn_to_refcounted_page(): pfn_valid() only, PageReserved(), kvm_is_zone_device_page(); then get_page_unless_zero()',
			commits: [{subject: 'KVM: Rename/refactor kvm_is_reserved_pfn() to kvm_pfn_to_refcounted_page()'}],
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; commit id and release not checked [U]',
		},
	],
	plan(model) {
		const k = model.kernel;
		const label = atLeast(k, '6.0')
			? 'v6.0+: kvm_pfn_to_refcounted_page() (pfn_valid() only), then get_page_unless_zero()'
			: atLeast(k, '5.13')
				? 'v5.13-v5.19: kvm_is_reserved_pfn() (pfn_valid() only), then get_page_unless_zero()'
				: atLeast(k, '5.5')
					? 'v5.5-v5.12: kvm_get_pfn(): kvm_is_reserved_pfn() (pfn_valid() only), then get_page()'
					: 'v4.13-v5.4: kvm_get_pfn(): pfn_valid() && !PageReserved(), then get_page()';
		const getVia = atLeast(k, '5.13') ? 'get_page_unless_zero' : 'get_page';
		const huge = hasHugetlbPages(model);
		return {
			label,
			guard: 'guards with pfn_valid() only (no pfn_to_online_page()), then writes page->_refcount of a page that does not look reserved',
			passes: exposurePasses(
				pfnmapExposures(model),
				(ctx, pfn) => {
					if (kvm_pfn_to_refcounted_page(ctx, pfn, k)) {
						const part = huge ? hugetlbPartAt(ctx, pfn) : undefined;
						if (getVia === 'get_page') {
							ctx.page(pfn, isHugetlbTail(part) ? HEAD_REFCOUNT : REFCOUNT, getVia, 'write');
						} else {
							ctx.page(pfn, REFCOUNT, getVia, refAddUnlessAccess(k, part));
						}
					}
				},
				'no pfn a VM_PFNMAP mapping can expose under these settings',
			),
		};
	},
});

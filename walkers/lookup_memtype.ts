/**
arch/x86/mm/pat/memtype.c:lookup_memtype(): the cache mode of one physical page. When
pat_pagerange_is_ram() — an iomem "System RAM" test, which hot-added memory passes from
add_memory() on, onlined or not — says RAM, it reads the page's memtype from page->flags
(get_page_memtype()) with no pfn_valid() and no pfn_to_online_page() [V 6.1.176, 6.12.118]. x86
only; the legacy ISA range below 1 MiB is untracked (x86_platform.is_untracked_pat_range()) and
not RAM to pat_pagerange_is_ram().

Callers that take a user-chosen pfn: remap_pfn_range() → track_pfn_remap() → reserve_pfn_range(),
which for RAM only calls lookup_memtype() of the first page (an mmap() of /dev/mem over System
RAM); track_pfn_insert() (vmf_insert_pfn() in a driver's fault handler); KVM's kvm_is_mmio_pfn() →
pat_pfn_immune_to_uc_mtrr() on a reserved pfn of a VM_PFNMAP memslot. Which pfns a mapping can
put there is configuration (source/walker/pfnmap.ts): with CONFIG_STRICT_DEVMEM (the default)
/dev/mem refuses System RAM above 1 MiB, so nothing is read; without it every System RAM pfn can
be the start of an mmap().
*/
import {defineWalker} from '../source/walker/contract.js';
import {exposedSystemRam, exposurePasses, pfnmapExposures, X86_LOW_PFNS} from '../source/walker/pfnmap.js';

const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'lookup_memtype',
	models: 'arch/x86/mm/pat/memtype.c:lookup_memtype()',
	trigger: 'mmap() of /dev/mem (or a driver\'s PFNMAP) starting at a System RAM pfn: remap_pfn_range() → track_pfn_remap() → reserve_pfn_range() → lookup_memtype()',
	reachability: 'root',
	shape: 'one pfn per mapping (its first page); swept over the System RAM a VM_PFNMAP mapping can expose under the topology\'s /dev/mem settings',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'pat_pagerange_is_ram() (iomem System RAM) only, then get_page_memtype()',
			confidence: 'V',
			note: 'read in 6.1.176 and 6.12.118; unchanged in form since long before v4.13 [U]',
		},
	],
	plan(model) {
		if (model.geometry.arch !== 'x86_64') {
			return null;
		}

		return {
			label: 'v4.13+: pat_pagerange_is_ram(), then get_page_memtype()',
			guard: 'guards with pat_pagerange_is_ram() only (an iomem System RAM test; no pfn_valid(), no pfn_to_online_page())',
			passes: exposurePasses(
				exposedSystemRam(model, pfnmapExposures(model), X86_LOW_PFNS),
				(ctx, pfn) => {
					ctx.page(pfn, FLAGS, 'get_page_memtype');
				},
				'no System RAM above 1 MiB a VM_PFNMAP mapping can expose under these settings (CONFIG_STRICT_DEVMEM)',
			),
		};
	},
});

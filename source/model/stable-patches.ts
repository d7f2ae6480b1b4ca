/**
Stable backports and the stable-tree presets (source/model/patches.ts explains the kinds).

Evidence marks as in docs/model-facts.md: V read in a Debian linux-source tree (5.10.262, 6.1.176,
6.12.117 under /work/kernel), P stable-review mail, stable-queue revlist or patch mail read, U not
verified. Every backport's `versions` ends before the mainline release of its commit; its start is
the first release where the code it patches exists in the form the model has.
*/
import {ARCHES, ARM64_ARCHES as ARM64} from './geometry.js';
import type {PatchInfo} from './patches.js';

export const STABLE_BACKPORTS: readonly PatchInfo[] = [
	{
		name: 'backport-a431dbbc5405',
		kind: 'backport',
		summary: '__nr_to_section() returns NULL for a root index >= NR_SECTION_ROOTS: no out-of-bounds mem_section read',
		source:
			'stable 4.19.238, 5.10.111, 5.15.34 (linux-stable-rc revlists, Apr 2022) [P]; include/linux/mmzone.h:__nr_to_section() in Debian 5.10.262 [V]',
		arches: ARCHES,
		commit: {id: 'a431dbbc5405', subject: "mm/sparsemem: fix 'mem_section' will never be NULL gcc 12 warning", release: '5.18'},
		versions: {from: '4.13', to: '5.17'},
		applies_in: ['model'],
	},
	{
		name: 'backport-0740a50b9baa',
		kind: 'backport',
		summary:
			'holes initialized PageReserved with the zone/node of the zone being initialized (per-zone memmap_init() with a static hole_pfn), replacing init_unavailable_mem()',
		source:
			'Cc stable, Fixes: 73a6e474cb37 (v5.8); "failed to apply to 5.11-stable" (15 Mar 2021) and present in 5.10.49 in the per-zone memmap_init(size, nid, zone, start) form (the 122e093c1734 5.10 backport mail) [P]',
		arches: ARCHES,
		commit: {
			id: '0740a50b9baa',
			subject: 'mm/page_alloc.c: refactor initialization of struct page for holes in memory layout',
			release: '5.12',
		},
		versions: {from: '5.8', to: '5.11'},
		applies_in: ['model'],
	},
	{
		name: 'backport-122e093c1734',
		kind: 'backport',
		summary:
			'holes initialized with the zone/node of the next memblock range, the last-section tail with the last node\'s highest populated zone (one loop over memblock ranges)',
		source:
			'Mike Rapoport\'s 5.10 backport ("applies to v5.10.49", 11 Jul 2021) [P]; mm/page_alloc.c:memmap_init() in Debian 5.10.262 [V]',
		arches: ARCHES,
		commit: {id: '122e093c1734', subject: 'mm/page_alloc: fix memory map initialization for descending nodes', release: '5.14'},
		versions: {from: '5.8', to: '5.13'},
		implies: ['backport-0740a50b9baa'],
		applies_in: ['model'],
	},
	{
		name: 'backport-34dc45be4563',
		kind: 'backport',
		summary:
			'pgmap_pfn_valid(): altmap reserve and memmap-storage pfns are not data; memory_failure_dev_pagemap() refuses them',
		source:
			'mm/memremap.c:pgmap_pfn_valid() and mm/memory-failure.c:memory_failure_dev_pagemap() in Debian 5.10.262 [V]',
		arches: ARCHES,
		commit: {id: '34dc45be4563', subject: 'mm: fix memory_failure() handling of dax-namespace metadata', release: '5.12'},
		versions: {from: '4.19', to: '5.11'},
		applies_in: ['model', 'walker:memory_failure'],
	},
	{
		name: 'backport-eeb0753ba27b',
		kind: 'backport',
		summary: 'arm64 pfn_valid(): non-early (hot-added, ZONE_DEVICE) sections answer pfn_section_valid() instead of memblock',
		source:
			'arch/arm64/mm/init.c:pfn_valid() in Debian 5.10.262 [V] (without the 093bbe211ea5 reorganisation, same answers)',
		arches: ARM64,
		commit: {id: 'eeb0753ba27b', subject: 'arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory', release: '5.12'},
		versions: {from: '5.3', to: '5.11'},
		applies_in: ['model'],
	},
	{
		name: 'backport-3de360c3fdb3',
		kind: 'backport',
		summary:
			'arm64 drops its own pfn_valid() (HAVE_ARCH_PFN_VALID): the generic one answers, true for holes and NOMAP of early sections',
		source:
			'"[PATCH 5.15 007/124] arm64/mm: drop HAVE_ARCH_PFN_VALID" (26 Apr 2022, 5.15.36), Fixes: 859a85ddf90e [P]',
		arches: ARM64,
		commit: {id: '3de360c3fdb3', subject: 'arm64/mm: drop HAVE_ARCH_PFN_VALID', release: '5.16'},
		companions: [{id: 'a9c38c5d267c', subject: 'dma-mapping: remove bogus test for pfn_valid from dma_map_resource'}],
		versions: {from: '5.15', to: '5.15'},
		applies_in: ['model'],
	},
	{
		name: 'backport-5ec8e8ea8b77',
		kind: 'backport',
		summary:
			'pfn_valid() under RCU with READ_ONCE(ms->usage) and a NULL test in pfn_section_valid() (no answer changes for states pfnaudit produces; explain names the form)',
		source:
			'include/linux/mmzone.h in Debian 5.10.262 (rcu_read_lock()) and 6.1.176 (rcu_read_lock_sched()) [V]; 5.15.149-rc1 revlist (Feb 2024) [P]',
		arches: ARCHES,
		commit: {id: '5ec8e8ea8b77', subject: 'mm/sparsemem: fix race in accessing memory_section->usage', release: '6.8'},
		companions: [
			{id: 'f6564fce256a', subject: 'mm, kmsan: fix infinite recursion due to RCU critical section'},
			{id: '82f0b6f041fa', subject: 'mm: prevent derefencing NULL ptr in pfn_section_valid()'},
		],
		versions: {from: '5.3', to: '6.7'},
		applies_in: ['model'],
	},
	{
		name: 'backport-8fac67ca236b',
		kind: 'backport',
		summary: 'arm64 arch_add_memory() sets max_pfn = PFN_UP(end) (may lower it)',
		source:
			'arch/arm64/mm/mmu.c:arch_add_memory() in Debian 5.10.262 [V]; linux-5.10.y and linux-5.14.y pushes of 16 Nov 2021 [P]',
		arches: ARM64,
		commit: {id: '8fac67ca236b', subject: 'arm64: mm: update max_pfn after memory hotplug', release: '5.16'},
		versions: {from: '5.0', to: '5.15'},
		applies_in: ['model'],
	},
	{
		name: 'backport-89f43e1ce6f6',
		kind: 'backport',
		summary: 'arm64 arch_add_memory() keeps the larger max_pfn',
		source: 'Cc: stable # 6.1.x, Fixes: 8fac67ca236b [P]; arch/arm64/mm/mmu.c in Debian 6.1.176 and 6.12.117 [V]',
		arches: ARM64,
		commit: {id: '89f43e1ce6f6', subject: 'arm64: mm: Correct the update of max_pfn', release: '6.15'},
		versions: {from: '5.0', to: '6.14'},
		implies: ['backport-8fac67ca236b'],
		applies_in: ['model'],
	},
	{
		name: 'backport-7170130e4c72',
		kind: 'backport',
		summary: 'x86 add_pages() does not raise max_pfn when params->pgmap is set (ZONE_DEVICE)',
		source:
			'arch/x86/mm/init_64.c:add_pages() in Debian 6.1.176 and 6.12.117 [V]; needs struct mhp_params.pgmap (V in 6.1, absent in 5.10; the release that added it is not verified, so from v6.1 only)',
		arches: ['x86_64'],
		commit: {
			id: '7170130e4c72',
			subject:
				'x86/mm/init: Handle the special case of device private pages in add_pages(), to not increase max_pfn and trigger dma_addressing_limited() bounce buffers',
			release: '6.15',
		},
		versions: {from: '6.1', to: '6.14'},
		applies_in: ['model'],
	},
	{
		name: 'backport-d613f53c83ec',
		kind: 'backport',
		summary: 'unpoison_memory() guarded by pfn_to_online_page() instead of pfn_valid() (CVE-2025-39883)',
		source:
			'stable 5.10.245-rc1, 5.15.194-rc1 revlists and the 5.4.y backport mail (Sep 2025) [P]; mm/memory-failure.c:unpoison_memory() in Debian 5.10.262, 6.1.176, 6.12.117 [V]',
		arches: ARCHES,
		commit: {
			id: 'd613f53c83ec',
			subject: 'mm/memory-failure: fix VM_BUG_ON_PAGE(PagePoisoned(page)) when unpoison memory',
			release: '6.17',
		},
		versions: {from: '4.13', to: '6.16'},
		applies_in: ['walker:unpoison_memory'],
	},
];

export const STABLE_PRESETS: readonly PatchInfo[] = [
	{
		name: 'stable-5.10.262',
		kind: 'preset',
		summary:
			'the 5.10.262 stable tree (Debian bullseye linux-source): the root bound, the 0740a50b9baa + 122e093c1734 hole init, pgmap_pfn_valid(), arm64 pfn_valid() for ZONE_DEVICE and max_pfn = PFN_UP(end), RCU pfn_valid(), unpoison guard',
		source: 'every implied backport read in Debian linux-source 5.10.262 [V]',
		arches: ARCHES,
		versions: {from: '5.10', to: '5.10'},
		implies: [
			'backport-a431dbbc5405',
			'backport-0740a50b9baa',
			'backport-122e093c1734',
			'backport-34dc45be4563',
			'backport-eeb0753ba27b',
			'backport-8fac67ca236b',
			'backport-5ec8e8ea8b77',
			'backport-d613f53c83ec',
		],
		applies_in: ['model', 'walker:memory_failure', 'walker:unpoison_memory'],
	},
	{
		name: 'stable-5.15.y',
		kind: 'preset',
		summary:
			'5.15.y from 5.15.194 (Sep 2025) on: the root bound (5.15.34), arm64 generic pfn_valid() (5.15.36), RCU pfn_valid() (5.15.149), unpoison guard (5.15.194); 8fac67ca236b is not implied (not verified in 5.15.y)',
		source:
			'linux-stable-rc revlists (5.15.34-rc1, 5.15.149-rc1, 5.15.194-rc1) and "[PATCH 5.15 007/124]" [P]; no 5.15 tree was read',
		arches: ARCHES,
		versions: {from: '5.15', to: '5.15'},
		implies: ['backport-a431dbbc5405', 'backport-3de360c3fdb3', 'backport-5ec8e8ea8b77', 'backport-d613f53c83ec'],
		applies_in: ['model', 'walker:unpoison_memory'],
	},
	{
		name: 'stable-6.1.176',
		kind: 'preset',
		summary:
			'the 6.1.176 stable tree (Debian bookworm linux-source): RCU pfn_valid(), x86 add_pages() without pgmap max_pfn, arm64 max(max_pfn, end), unpoison guard',
		source: 'every implied backport read in Debian linux-source 6.1.176 [V]',
		arches: ARCHES,
		versions: {from: '6.1', to: '6.1'},
		implies: ['backport-5ec8e8ea8b77', 'backport-7170130e4c72', 'backport-89f43e1ce6f6', 'backport-d613f53c83ec'],
		applies_in: ['model', 'walker:unpoison_memory'],
	},
	{
		name: 'stable-6.12.117',
		kind: 'preset',
		summary:
			'the 6.12.117 stable tree (Debian bookworm-security linux-source): x86 add_pages() without pgmap max_pfn, arm64 max(max_pfn, end), unpoison guard',
		source: 'every implied backport read in Debian linux-source 6.12.117 [V]',
		arches: ARCHES,
		versions: {from: '6.12', to: '6.12'},
		implies: ['backport-7170130e4c72', 'backport-89f43e1ce6f6', 'backport-d613f53c83ec'],
		applies_in: ['model', 'walker:unpoison_memory'],
	},
];

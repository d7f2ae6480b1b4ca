/**
The proposals of the five-category thread as what-if patches (issue 13).

David Hildenbrand's list of the five cases a PFN walker can meet in a present, offline section
(linux-mm, "Re: [RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver.",
Sep 2019; Dan Williams' reply of 9 Sep 2019 quotes it) ended with proposals that were never
merged. Each is modelled here as a named what-if patch (`--patch`, topology `patches:`,
`pfnaudit compare --patch-set`) with the mail it comes from and the exact semantics pfnaudit
gives it. The semantics live with the predicate or replay step they change:

| patch | changes | where |
|---|---|---|
| init-altmap-reserve | memmap_init_zone()/memmap_init_range() no longer skips the altmap reserve at P4 | model/memremap.ts p4(), model/classify.ts |
| pfn-zone-device-reserved | pfn_zone_device_reserved(); stable_page_flags() returns KPF_RESERVED before reading | predicates/dev-pagemap.ts, walker/adopt.ts |
| pfn-zone-device, pfn-zone-device-data | pfn_zone_device(); adopting walkers skip the pfn before any read | predicates/dev-pagemap.ts, walker/adopt.ts |
| subsection-dev-map, subsection-dev-map-after-init | a per-subsection ZONE_DEVICE bit; pfn_to_online_page() returns NULL where it is set | predicates/dev-pagemap.ts, predicates/pfn-to-online-page.ts |
| pgmap-after-init, pgmap-after-init-get-dev-pagemap | get_dev_pagemap() fails until memmap_init_zone_device() has finished | predicates/dev-pagemap.ts, predicates/pfn-to-online-page.ts |

Where the thread left a choice open, the choice is a second patch name (a documented knob):
apply the variant instead of the base name. docs/proposals.md has the scorecard of every
built-in topology.
*/
import {ARCHES} from './geometry.js';
import type {PatchInfo} from './patches.js';

/** The mail a proposal comes from: what a reader can open on lore.kernel.org. */
export type ProposalMail = {
	readonly author: string;
	readonly date: string;
	readonly subject: string;
	/** Message-ID without angle brackets (https://lore.kernel.org/r/<id>). */
	readonly message_id?: string;
};

export type Proposal = {
	readonly name: string;
	/** The base proposal when this entry is a variant (a knob) of it. */
	readonly variant_of?: string;
	/** The mails it comes from, the posting first. */
	readonly mails: readonly ProposalMail[];
	/** The semantics pfnaudit models, in kernel terms. */
	readonly semantics: string;
	/** What it leaves open, honestly. */
	readonly leaves: string;
};

/** Dan Williams' reply quoting David Hildenbrand's five cases (<f9b10653-949b-64a6-6539-a32bd980edb9@redhat.com>). */
const FIVE_CATEGORY_MAIL: ProposalMail = {
	author: 'Dan Williams, replying to David Hildenbrand',
	date: '9 Sep 2019',
	subject: 'Re: [RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver.',
	message_id: 'CAPcyv4gA4mcDEPeCFokn_jy5gX62cK0U40EzL7M8c0iDO7U7bg@mail.gmail.com',
};

const INIT_RESERVE_V2: ProposalMail = {
	author: 'Toshiki Fukasawa',
	date: '6 Sep 2019',
	subject: '[RFC PATCH v2] mm: initialize struct pages reserved by ZONE_DEVICE driver.',
	message_id: '20190906081027.15477-1-t-fukasawa@vx.jp.nec.com',
};

const INIT_RESERVE_V1: ProposalMail = {
	author: 'Toshiki Fukasawa',
	date: '25 Jul 2019 (in -mm: akpm, <20190725032844.naJP-MffN%akpm@linux-foundation.org>)',
	subject: '/proc/kpageflags: do not use uninitialized struct pages',
	message_id: '20190725023100.31141-3-t-fukasawa@vx.jp.nec.com',
};

const PFN_ZONE_DEVICE: ProposalMail = {
	author: 'David Hildenbrand',
	date: '9 Oct 2019',
	subject: '[PATCH v1] mm: Fix access of uninitialized memmaps in fs/proc/page.c',
	message_id: '20191009091205.11753-1-david@redhat.com',
};

const SUBSECTION_DEV_MAP: ProposalMail = {
	author: 'Toshiki Fukasawa',
	date: '8 Nov 2019',
	subject: '[PATCH 2/3] mm: Introduce subsection_dev_map',
	message_id: '20191108000855.25209-3-t-fukasawa@vx.jp.nec.com',
};

/** No posting: case 4 of the five-category mail ("memmap_init_zone_device() did not yet succeed"), and the Jan 2021 exchange. */
const PGMAP_LATE: ProposalMail = {
	author: 'David Hildenbrand to Dan Williams',
	date: '12 Jan 2021',
	subject: 'get_dev_pagemap() "does not guarantee that the struct page returned by pfn_to_page() was initialized" (the exchange that led to 34dc45be4563); never posted as a patch',
};

export const PROPOSALS: readonly Proposal[] = [
	{
		name: 'init-altmap-reserve',
		mails: [INIT_RESERVE_V2, FIVE_CATEGORY_MAIL],
		semantics:
			'memmap_init_zone() (memmap_init_range() from v5.15) no longer skips `altmap->reserve` for ZONE_DEVICE: at P4, under mem_hotplug_lock, [base_pfn, base_pfn + reserve + free) is initialized as ZONE_DEVICE, PageReserved, page->pgmap NULL. The reserve pfns become what the memmap-storage pfns are: `metadata`, no longer `C5`.',
		leaves:
			'page->pgmap stays NULL on the reserve (memmap_init_zone_device() still starts at pfn_first()), so a walker that follows page_pgmap() on them still dereferences NULL: the touches move from C5 to metadata, and C1, C3, C4 are untouched ("#3 and #4 can\'t be detected").',
	},
	{
		name: 'pfn-zone-device-reserved',
		variant_of: 'init-altmap-reserve',
		mails: [INIT_RESERVE_V1],
		semantics:
			'Rev 1 of the same fix: pfn_zone_device_reserved(pfn) = get_dev_pagemap(pfn) && pfn < altmap->base_pfn + altmap->reserve, and stable_page_flags() returns KPF_RESERVED for such a pfn before reading the page. Adopted by kpageflags_read only (the patch touched stable_page_flags() alone); the memmap is not initialized.',
		leaves: 'kpagecount_read, kpagecgroup_read and every other walker still read the reserve; the memmap-storage pfns (metadata) are not covered.',
	},
	{
		name: 'pfn-zone-device',
		mails: [FIVE_CATEGORY_MAIL, PFN_ZONE_DEVICE],
		semantics:
			'pfn_zone_device(pfn): the pfn belongs to a ZONE_DEVICE pgmap, answered without reading the memmap — get_dev_pagemap(pfn) != NULL (pgmap_array lookup and percpu_ref_tryget_live(); the whole range: altmap reserve, memmap storage and data). A walker that adopts it skips such a pfn before any read of its struct page (walker/adopt.ts: every built-in walker whose job is buddy/online memory; memory_failure, hwpoison_inject and memunmap_pages do not adopt it, they handle ZONE_DEVICE pages on purpose).',
		leaves:
			'C1 and C3 (no pgmap there), and the teardown window: once memunmap_pages() has killed the ref, get_dev_pagemap() is NULL and the pfn is not skipped. Walkers that do not adopt it are unchanged.',
	},
	{
		name: 'pfn-zone-device-data',
		variant_of: 'pfn-zone-device',
		mails: [PFN_ZONE_DEVICE],
		semantics:
			'pfn_zone_device() with the body of David\'s v1 patch: `pfn >= pfn_first(pgmap) && pfn <= pfn_end(pgmap)` for get_dev_pagemap(pfn) — true only for data pfns ("the page was initialized to the ZONE_DEVICE (especially, is not reserved for driver usage)"). Adopting walkers skip data pfns only.',
		leaves:
			'The altmap reserve (C5) and memmap storage (metadata) answer false and are still read by a walker that skips on it; data pfns still being initialized (C4) answer true: "pfn_zone_device() succeeding but the memmap not being fully initialized yet" (same mail).',
	},
	{
		name: 'subsection-dev-map',
		mails: [FIVE_CATEGORY_MAIL, SUBSECTION_DEV_MAP],
		semantics:
			'Dan Williams\' "double the size of subsection_map": mem_section_usage gains subsection_dev_map, a bit per subsection set by sparse_add_section() for a pgmap (P3) and cleared by section_deactivate() (T3). pfn_to_online_page() returns NULL for a pfn whose subsection has the bit, before any other test, so a ZONE_DEVICE subsection inside an online (early) section is refused without get_dev_pagemap() — also before v5.12 and in the teardown window. Exposed to walkers as pfn_zone_device() = pfn_valid(pfn) && the bit (the 2/3 patch). From v5.3 (needs mem_section_usage).',
		leaves:
			'pfn_valid() keeps its meaning ("a memmap exists"), so walkers guarded by pfn_valid() alone still read C1, C2, C4 and C5; absent subsections (C3) carry no bit and are pfn_valid() == 0 already. Walkers do not adopt anything by this patch alone.',
	},
	{
		name: 'subsection-dev-map-after-init',
		variant_of: 'subsection-dev-map',
		mails: [SUBSECTION_DEV_MAP],
		semantics:
			'The bit as the posted 2/3 patch sets it: subsections_mark_device() runs after memmap_init_zone_device() (P7), not in sparse_add_section(). Until then pfn_to_online_page() does not see it; from then on as subsection-dev-map.',
		leaves: 'Collision subsections in online sections during memremap_pages() (P3-P6) are not refused by the bit: the v5.12 slow path still decides there.',
	},
	{
		name: 'pgmap-after-init',
		mails: [PGMAP_LATE, FIVE_CATEGORY_MAIL],
		semantics:
			'Case 4 closed at the source: get_dev_pagemap() fails until memmap_init_zone_device() has finished (P7), as if percpu_ref_tryget_live() could not succeed before memremap_pages() returns. pfn_to_online_page()\'s v5.12 slow path asks the pgmap_array entry (xa_load(), no reference) instead, so colliding subsections stay refused while they are being initialized.',
		leaves: 'C5 and metadata (get_dev_pagemap() succeeds for them once initialized), C1, C3 and the teardown window.',
	},
	{
		name: 'pgmap-after-init-get-dev-pagemap',
		variant_of: 'pgmap-after-init',
		mails: [PGMAP_LATE],
		semantics:
			'pgmap-after-init with pfn_to_online_page() unchanged: its v5.12 slow path keeps calling get_dev_pagemap(), which now fails during P1-P6, so a colliding subsection in an online section is returned as an online page while it is initialized — the knob shows what closing C4 in get_dev_pagemap() alone opens.',
		leaves: 'As pgmap-after-init, plus C4 touches through pfn_to_online_page() in TAINTed sections from v5.12.',
	},
];

export function findProposal(name: string): Proposal | undefined {
	return PROPOSALS.find(proposal => proposal.name === name);
}

/** "Toshiki Fukasawa, 6 Sep 2019, <id>" */
export function mailCitation(mail: ProposalMail): string {
	return `${mail.author}, "${mail.subject}", ${mail.date}${mail.message_id ? `, <${mail.message_id}>` : ''}`;
}

const SUMMARIES: Readonly<Record<string, string>> = {
	'init-altmap-reserve': 'the altmap reserve memmap is initialized at P4 (PageReserved, no pgmap): C5 becomes metadata',
	'pfn-zone-device-reserved': '(knob of init-altmap-reserve, its rev 1): stable_page_flags() returns KPF_RESERVED for pfn_zone_device_reserved() pfns',
	'pfn-zone-device': "David's pfn_zone_device() (get_dev_pagemap() != NULL); adopting walkers skip ZONE_DEVICE pfns without reading them",
	'pfn-zone-device-data': '(knob of pfn-zone-device): pfn_zone_device() true for data pfns only, as in the v1 patch body',
	'subsection-dev-map': "Dan's per-subsection ZONE_DEVICE bit (set at sparse_add_section()); pfn_to_online_page() refuses it",
	'subsection-dev-map-after-init': '(knob of subsection-dev-map): the bit is set after memmap_init_zone_device(), as the posted patch does',
	'pgmap-after-init': 'get_dev_pagemap() fails until memmap_init_zone_device() finished; pfn_to_online_page() asks the xarray',
	'pgmap-after-init-get-dev-pagemap': '(knob of pgmap-after-init): pfn_to_online_page() keeps using get_dev_pagemap()',
};

/** The proposals as named patches (source/model/patches.ts lists them with the other what-ifs). */
export const PROPOSAL_PATCHES: readonly PatchInfo[] = PROPOSALS.map(proposal => ({
	name: proposal.name,
	kind: 'what-if',
	summary: SUMMARIES[proposal.name]!,
	source: proposal.mails.map(mail => mailCitation(mail)).join('; '),
	arches: ARCHES,
	...(proposal.name.startsWith('subsection-dev-map') ? {versions: {from: '5.3', to: '6.18'}} : {}),
	applies_in:
		proposal.name === 'pfn-zone-device-reserved'
			? ['model', 'walker:kpageflags_read']
			: proposal.name.startsWith('pfn-zone-device')
				? ['model', 'walker:*']
				: ['model'],
}));


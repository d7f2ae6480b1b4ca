/**
fs/proc/page.c:kpagecount_read(): the mapcount of each pfn, for /proc/kpagecount
(0400 root). Guard, bound and their history are the same as kpageflags_read() (see
kpageflags_read.ts); the 5.4 report that led to aad5f69bc161 was this file: `cat /proc/kpagecount`
with an un-onlined DIMM and page poisoning faulted at fffffffffffffffe [P].

Reads: up to v6.1 `PageSlab(page) || page_has_type(page)` then page_mapcount() [V 5.10, 6.1];
in 6.12 folio_precise_page_mapcount(page_folio(page), page) [V] (the rename came with David
Hildenbrand's "fs/proc: move page_mapcount() to fs/proc/internal.h", posted June 2024; its release
is [U], so the touch is attributed to kpagecount_read() itself in every version). Both read
compound_head (PageCompound()/page_folio()), flags, page_type and _mapcount.
*/
import {defineWalker, PageBuddy_field} from '../source/walker/contract.js';
import {kpageForm, kpageHistory} from './kpageflags_read.js';

export default defineWalker({
	name: 'kpagecount_read',
	models: 'fs/proc/page.c:kpagecount_read()',
	trigger: 'read or pread /proc/kpagecount; the file offset / 8 selects the pfn',
	reachability: 'root-any-pfn',
	shape: 'consecutive pfns from a user-chosen offset, stride 1, no skipping',
	fields: ['flags', 'compound_head', 'page_type', '_mapcount'],
	history: kpageHistory,
	plan(model) {
		return kpageForm(
			model,
			kernel => ['flags', 'compound_head', ...new Set([PageBuddy_field(kernel), '_mapcount'] as const)],
			'kpagecount_read',
		);
	},
});

/**
fs/proc/page.c:kpagecgroup_read() → mm/memcontrol.c:page_cgroup_ino(): the
memcg inode of each pfn, for /proc/kpagecgroup (0400 root, CONFIG_MEMCG). Guard, bound and their
history are the same as kpageflags_read() (see kpageflags_read.ts).

Reads: page_cgroup_ino() reads the memcg word of the struct page: page->mem_cgroup in 5.10,
page_memcg_check(page) (page->memcg_data) in 6.1, folio_memcg_check(page_folio(page)) in 6.12,
which also reads compound_head [V]. The folio conversion landed between v6.2 and v6.12 [U]; the
model uses the 6.1 reads up to v6.11 and the 6.12 reads from v6.12 on.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker} from '../source/walker/contract.js';
import {kpageForm, kpageHistory} from './kpageflags_read.js';

export default defineWalker({
	name: 'kpagecgroup_read',
	models: 'fs/proc/page.c:kpagecgroup_read()',
	trigger: 'read or pread /proc/kpagecgroup (CONFIG_MEMCG); the file offset / 8 selects the pfn',
	reachability: 'root-any-pfn',
	shape: 'consecutive pfns from a user-chosen offset, stride 1, no skipping',
	fields: ['compound_head', 'memcg_data'],
	history: kpageHistory,
	plan(model) {
		return kpageForm(
			model,
			kernel => (before(kernel, '6.12') ? ['memcg_data'] : ['compound_head', 'memcg_data']),
			'page_cgroup_ino',
		);
	},
});

/**
fs/proc/kcore.c:read_kcore_iter(), the KCORE_RAM case: reading /proc/kcore (0400 root, and
CAP_SYS_RAWIO at open) copies the direct map of RAM page by page, e.g. for crash, drgn or gdb.

The KCORE_RAM list is rebuilt by kcore_ram_list() when memory was onlined or offlined
(kcore_need_update): walk_system_ram_range() over [0, the highest node_end_pfn() of an N_MEMORY
node), one entry per "System RAM" resource piece (kclist_add_private()) [V 6.1, 6.12]. A reader
chooses the window; the model reads every KCORE_RAM page (the worst case).

Per page [V 6.12, lines 555-571]: pfn_to_online_page(pfn); nothing is read from struct page of a
pfn it refuses; otherwise PageOffline() (page_type) and is_page_hwpoison() (flags, compound_head)
before pfn_is_ram() and pfn_is_unaccepted_memory(), which read no struct page.

History:
- v4.13-v5.13: read_kcore() tests kern_addr_valid() (a page-table walk) and pfn_is_ram(): no
  struct page is read, so the walker touches nothing [P: the lines the fix removes].
- v5.14 [U]: "fs/proc/kcore: don't read offline sections, logically offline pages and hwpoisoned
  pages" (David Hildenbrand, [PATCH v3 3/6], 26 May 2021, Message-ID
  <20210526093041.8800-4-david@redhat.com>) adds pfn_to_online_page(), PageOffline() and
  is_page_hwpoison(). The mainline commit id and the release it was merged for are not confirmed
  here: v5.14 is the first merge window after the post, unverified.
- v6.5 [U]: read_kcore() becomes read_kcore_iter() ("fs/proc/kcore: convert read_kcore() to
  read_kcore_iter()", Lorenzo Stoakes); the KCORE_RAM test is unchanged. 6.1.192 has
  read_kcore_iter() too (a stable backport) [V].
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, orNothingToWalk, passLabel, type Pass, type StepContext} from '../source/walker/contract.js';
import {collisionFixedBy} from '../source/walker/fixes.js';
import {spansWhere, systemRamResources} from '../source/walker/ranges.js';

const VIA = 'read_kcore_iter';

/** PageOffline(), is_page_hwpoison(): allocated once (a literal in the step is a new array per pfn). */
const OFFLINE_HWPOISON = ['page_type', 'flags', 'compound_head'] as const;

export default defineWalker({
	name: 'read_kcore_iter',
	models: 'fs/proc/kcore.c:read_kcore_iter()',
	trigger: 'read /proc/kcore (root with CAP_SYS_RAWIO; crash, drgn, gdb): the KCORE_RAM entries, page by page',
	reachability: 'root',
	shape: 'every page of the KCORE_RAM list (System RAM below the highest node end), stride 1',
	fields: ['page_type', 'flags', 'compound_head'],
	history: [
		{
			since: '4.13',
			guard: 'kern_addr_valid() and pfn_is_ram(): no struct page read',
			confidence: 'P',
			note: 'The lines removed by "fs/proc/kcore: don\'t read offline sections, logically offline pages and hwpoisoned pages".',
		},
		{
			since: '5.14',
			guard: 'pfn_to_online_page(), then PageOffline() and is_page_hwpoison()',
			commits: [{subject: "fs/proc/kcore: don't read offline sections, logically offline pages and hwpoisoned pages"}],
			confidence: 'U',
			note: 'Posted 26 May 2021 (<20210526093041.8800-4-david@redhat.com>); merge release and mainline id unconfirmed. 6.1 and 6.12 read [V].',
		},
	],
	plan(model) {
		const nodeEnd = Math.max(0, ...model.nodes.map(node => node.node_end_pfn));
		const reads = !before(model.kernel, '5.14');
		// kcore_ram_list() walks "System RAM" (walk_system_ram_range()): an arm64 MEMBLOCK_NOMAP
		// range is a "reserved" resource (arch/arm64/kernel/setup.c request_standard_resources() [V 6.12]).
		// One step for every pass (a closure per pass was 56 bytes, 80 000 of them at 100 000 entries).
		const step = (ctx: StepContext, pfn: number) => {
			if (reads && ctx.pfn_to_online_page(pfn)) {
				ctx.page(pfn, OFFLINE_HWPOISON, VIA);
			}
		};
		const passes: Pass[] = systemRamResources(model)
			.filter(resource => resource.start < nodeEnd)
			.map(resource => ({
				label: passLabel('KCORE_RAM ', resource.label),
				ranges: spansWhere(model, {start: resource.start, end: Math.min(resource.end, nodeEnd)}, state => !state.memblock_nomap),
				direction: 'up',
				stride: 1,
				step,
			}));
		const form = reads
			? {label: 'v5.14+: pfn_to_online_page(), PageOffline(), is_page_hwpoison()', guard: 'guards with pfn_to_online_page()', ...collisionFixedBy(model.kernel)}
			: {label: '≤v5.13: kern_addr_valid(), no struct page read', guard: 'reads no struct page (kern_addr_valid())'};
		return {...form, passes: orNothingToWalk(passes, 'no System RAM below the node ends')};
	},
});

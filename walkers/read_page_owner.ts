/**
mm/page_owner.c:read_page_owner(): /sys/kernel/debug/page_owner (0400, booted
with page_owner=on).

Shape [V 5.10, 6.1, 6.12]: from a start pfn up to max_pfn, pfn by pfn. The start is
min_low_pfn + the file position up to v6.0 (pread() chooses it: any pfn >= min_low_pfn), and the
file position itself, or min_low_pfn for position 0, from v6.1: "mm/page_owner.c: add llseek for
page_owner" (Kassey Li, v8 Aug 2022) [P; V: 5.10 has the old form, 6.1 the new one; release from
the posting date, mainline id not found], so any pfn from 1 on. A pre-loop first skips invalid pfns up to the next
MAX_ORDER_NR_PAGES-aligned pfn; then pfn_valid() is tested only at MAX_ORDER_NR_PAGES-aligned
pfns, and an invalid one skips the whole MAX_ORDER_NR_PAGES area. Until v5.14 every pfn was also
tested with pfn_valid_within() [V 5.10]; removed in v5.15 by 859a85ddf90e [P]. The guard was
never converted to pfn_to_online_page(): pfn_valid() only, in every version read [V].

Per pfn: PageBuddy() (page_type; the _mapcount word before the page_type split) and, for a free
buddy page, its order (private, conditional); then page_ext_get()/lookup_page_ext(), which finds
the page_ext through the pfn's section and reads no struct page with VMEMMAP. With classic
SPARSEMEM (config vmemmap: false) page_to_pfn() decodes the section number from page->flags
[V 6.12 include/asm-generic/memory_model.h], so that read is modelled as a flags touch there.

Still open in 6.12 [A; no report found]:
- C1, C2, C4 and C5 pfns below max_pfn are read (pfn_valid() is true for them): page_type and
  private only, so wrong skips rather than a crash.
- The 2 MiB corner: validity is checked per 4 MiB (MAX_ORDER_NR_PAGES on x86) but it changes per
  2 MiB subsection. A non-early section whose first 2 MiB of a 4 MiB area is valid and second is
  not has the second half read unchecked (C3, possibly unbacked).

Modelling of the start position (stateless): an unaligned pfn p is read when the
MAX_ORDER_NR_PAGES-aligned pfn below it (or the lowest start pfn, for the first partial area) is valid, or
when p itself is valid (a read started at p). The kernel also reads p when some valid pfn between
the area start and p was the start of a read; with subsection validity that needs more than two
subsections per MAX_ORDER_NR_PAGES area and is not modelled.
*/
import {before} from '../source/kernel/version.js';
import {ALIGN_DOWN} from '../source/model/geometry.js';
import {type Anchor, defineWalker, PageBuddy_field, type PageField} from '../source/walker/contract.js';

export default defineWalker({
	name: 'read_page_owner',
	models: 'mm/page_owner.c:read_page_owner()',
	trigger: 'read /sys/kernel/debug/page_owner with page_owner=on (pread/lseek choose the starting pfn)',
	reachability: 'root-any-pfn',
	shape: 'a start pfn (min_low_pfn or the file position) to max_pfn, stride 1; pfn_valid() only at MAX_ORDER_NR_PAGES-aligned pfns',
	fields: ['page_type', '_mapcount', 'private', 'flags'],
	history: [
		{
			since: '4.13',
			guard: 'pfn_valid() at MAX_ORDER_NR_PAGES-aligned pfns, pfn_valid_within() per pfn',
			confidence: 'V',
			note: 'Read in 5.10.223; the same loop shape is older than v4.13.',
		},
		{
			since: '5.15',
			guard: 'pfn_valid() at MAX_ORDER_NR_PAGES-aligned pfns only',
			commits: [{id: '859a85ddf90e', subject: 'mm: remove pfn_valid_within() and CONFIG_HOLES_IN_ZONE'}],
			confidence: 'P',
			note: 'Never converted to pfn_to_online_page(): pfn_valid() only in 6.1.192 and 6.12.117 [V].',
		},
		{
			since: '6.1',
			guard: 'pfn_valid() at MAX_ORDER_NR_PAGES-aligned pfns only; the file position is an absolute start pfn',
			commits: [{subject: 'mm/page_owner.c: add llseek for page_owner'}],
			confidence: 'P',
			note: 'Not a guard change: reads can now start below min_low_pfn. v8 posted Aug 2022; present in 6.1.192, absent in 5.10.223 [V].',
		},
	],
	plan(model) {
		const mo = model.geometry.MAX_ORDER_NR_PAGES;
		const vmemmap = model.topology.config.vmemmap;
		// The lowest pfn a read can start at: min_low_pfn, or from v6.1 any file position >= 1.
		const start = before(model.kernel, '6.1') ? model.min_low_pfn : Math.min(model.min_low_pfn, 1);
		const areaStart: Anchor = p => Math.max(ALIGN_DOWN(p, mo), start);
		const buddy = PageBuddy_field(model.kernel);
		const fields: PageField[] = vmemmap ? [buddy] : [buddy, 'flags'];
		const withinCheck = before(model.kernel, '5.15');
		return {
			label: withinCheck
				? 'v4.13-v5.14: pfn_valid() per MAX_ORDER_NR_PAGES area, pfn_valid_within() per pfn'
				: (before(model.kernel, '6.1')
					? 'v5.15-v6.0: pfn_valid() per MAX_ORDER_NR_PAGES area only'
					: 'v6.1+: pfn_valid() per MAX_ORDER_NR_PAGES area only, from any start pfn'),
			guard: 'guards with pfn_valid() at MAX_ORDER_NR_PAGES-aligned pfns only',
			passes: [
				{
					label: before(model.kernel, '6.1') ? '[min_low_pfn, max_pfn)' : '[min(min_low_pfn, 1), max_pfn)',
					ranges: start < model.max_pfn ? [{start, end: model.max_pfn}] : [],
					direction: 'up',
					stride: 1,
					anchors: [areaStart],
					step(ctx, pfn) {
						const area = areaStart(pfn);
						const reached = ctx.pfn_valid(area) || (pfn !== area && ctx.pfn_valid(pfn));
						if (!reached || (withinCheck && !ctx.pfn_valid_within(pfn))) {
							return;
						}

						ctx.page(pfn, fields, 'read_page_owner');
					},
				},
			],
		};
	},
});

/**
mm/memremap.c:memunmap_pages() (devm_memremap_pages_release() before v5.3 [U]; pageunmap_range()
per range from v5.10): the ZONE_DEVICE teardown. To learn the node and zone it has to remove the
range from, it reads one struct page of the range; which one is the bug.

It runs, in pfnaudit, for every pgmap whose teardown would come next (ranges.ts
pgmapsForTeardown: registered, ref live, memremap_pages() returned): unbinding the driver or
`ndctl destroy-namespace` reaches it for any namespace. A pgmap already in teardown (ref dead)
has done these reads before remove_pfn_range_from_zone() poisoned its memmap, so it is not run
again; a pgmap still in memmap_init_zone_device() cannot be torn down before its probe returns.

Reads, by version. Before v5.3 devm_memremap_pages_release() works on the section-aligned
resource: align_start = SECTION_ALIGN_DOWN(start) (res->start & ~(PA_SECTION_SIZE - 1)); v5.3's
sub-section remap ("mm/devm_memremap_pages: Enable sub-section remap") switched every read below
to PHYS_PFN(res->start) [P: the v5.2 code in the patch mails and the v5.3 diff]. The topology
rules require section-aligned device ranges before v5.3, so both name the same pfn there; the
code aligns anyway, so the answer stays right if that rule is relaxed.
- v4.13–v4.20: MEMORY_DEVICE_PRIVATE (69324b8f4833, "mm, devm_memremap_pages: add
  MEMORY_DEVICE_PRIVATE support") reads page_zone() of SECTION_ALIGN_DOWN(start); other types
  reach arch_remove_memory(align_start, …), which on x86 reads page_zone() of that pfn plus
  vmem_altmap_offset() ("With altmap the first mapped page is offset from @start",
  arch/x86/mm/init_64.c, until zones stopped being passed to __remove_pages() in v5.5 [P]) —
  pfn_first for an aligned range. Other architectures' arch_remove_memory() reads are not
  modelled.
- v5.0–v5.3: 2c2a5af6fed2 ("mm, memory_hotplug: add nid parameter to arch_remove_memory") adds
  page_to_nid(pfn_to_page(SECTION_ALIGN_DOWN(start))) (the unaligned start at v5.3): with an
  altmap that is the reserve (C5), never initialized. Aneesh Kumar's crash: "kernel BUG at
  include/linux/mm.h:1107" (PagePoisoned) while destroying a namespace.
- v5.4+: 77e080e7680e ("mm/memunmap: don't access uninitialized memmap in memunmap_pages()")
  reads pfn_to_page(pfn_first()) instead — the first pfn memmap_init_zone_device() initialized.
- v5.0–v5.17 [U]: before the reads, put_page() on every pfn of [pfn_first, pfn_end) to drop
  the per-page pgmap references (compound_head, flags, pgmap, refcount write): present in the
  5.10.262 tree [V], gone in 6.1.176 [V], where percpu_ref_put_many() replaced it — 27674ef6c73f
  "mm: remove the extra ZONE_DEVICE struct page refcount" (Christoph Hellwig; Feb 2022 posting
  read, "v5.17-rc4-75-g27674ef6c73f" in a compat note: merged for v5.18 [P]). The v5.0 start is
  [U] (Dan Williams' "mm, devm_memremap_pages: fix shutdown handling" from memory). These pfns
  are initialized (C2).
*/
import {atLeast, before} from '../source/kernel/version.js';
import {hex, SECTION_ALIGN_DOWN} from '../source/model/geometry.js';
import type {DevPagemap, Model} from '../source/model/types.js';
import type {Pass, StepContext} from '../source/walker/contract.js';
import {defineWalker, orNothingToWalk, passLabel} from '../source/walker/contract.js';
import {pgmapsForTeardown} from '../source/walker/ranges.js';

/** mm/memremap.c:pfn_first(): range start + vmem_altmap_offset() (altmap only on range 0). */
function pfn_first(pgmap: DevPagemap): number {
	return pgmap.start_pfn + (pgmap.altmap ? pgmap.altmap.reserve + pgmap.altmap.free : 0);
}

/** Field lists of the step's reads, allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;
const PUT_PAGE = ['compound_head', 'flags', 'pgmap', '_refcount'] as const;

/**
The step of a one-pfn pass by the function reading the page: one closure per function, not per
pass (a pass per pgmap range is 17 000 passes at 100 000 topology entries, docs/scale.md).
*/
const ONE_PFN_STEPS = new Map<string, Pass['step']>();

function putPage(ctx: StepContext, pfn: number): void {
	ctx.page(pfn, PUT_PAGE, 'put_page', 'write');
}

/** A pass that dereferences one struct page. */
function onePfn(label: string, pfn: number, via: string): Pass {
	let step = ONE_PFN_STEPS.get(via);
	if (step === undefined) {
		step = (ctx, p) => {
			ctx.page(p, FLAGS, via);
		};
		ONE_PFN_STEPS.set(via, step);
	}

	return {
		label,
		ranges: [{start: pfn, end: pfn + 1}],
		direction: 'up',
		stride: 1,
		step,
	};
}

function passesFor(model: Model, pgmap: DevPagemap): Pass[] {
	const k = model.kernel;
	const first = pfn_first(pgmap);
	// The start devm_memremap_pages_release() reads from: section aligned before v5.3.
	const start = before(k, '5.3') ? SECTION_ALIGN_DOWN(model.geometry, pgmap.start_pfn) : pgmap.start_pfn;
	const name = passLabel(pgmap.label, ' [', hex(pgmap.start_pfn), ', ', hex(pgmap.end_pfn), ')');
	const passes: Pass[] = [];
	if (atLeast(k, '5.0') && before(k, '5.18') && first < pgmap.end_pfn) {
		passes.push({
			label: passLabel('put_page() per device pfn: ', name),
			ranges: [{start: first, end: pgmap.end_pfn}],
			direction: 'up',
			stride: 1,
			step: putPage,
		});
	}

	if (atLeast(k, '5.4')) {
		passes.push(onePfn(passLabel('first_page = pfn_to_page(pfn_first()): ', name), first, atLeast(k, '5.5') ? 'page_zone' : 'page_to_nid'));
		return passes;
	}

	// One pass per read, in kernel order: two functions reading the same struct page are two
	// touches.
	if (atLeast(k, '5.0')) {
		passes.push(onePfn(passLabel('page_to_nid at ', hex(start), ': ', name), start, 'page_to_nid'));
	}

	if (pgmap.type === 'private') {
		passes.push(onePfn(passLabel('page_zone at ', hex(start), ': ', name), start, 'page_zone'));
	} else if (model.geometry.arch === 'x86_64') {
		// arch_remove_memory(start, …): start + vmem_altmap_offset() (altmap on range 0 only).
		const removed = start + (pgmap.altmap ? pgmap.altmap.reserve + pgmap.altmap.free : 0);
		passes.push(onePfn(passLabel('arch_remove_memory at ', hex(removed), ': ', name), removed, 'arch_remove_memory'));
	}

	return passes;
}

export default defineWalker({
	name: 'memunmap_pages',
	models: 'mm/memremap.c:memunmap_pages()',
	trigger: 'ZONE_DEVICE teardown: ndctl destroy-namespace, driver unbind (echo … > /sys/bus/…/unbind), module removal',
	reachability: 'root',
	shape: 'one struct page per pgmap range (the zone/node lookup); v5.0–v5.17 also every device pfn from pfn_first (put_page)',
	fields: ['flags', 'compound_head', 'pgmap', '_refcount'],
	history: [
		{
			since: '4.13',
			guard: 'none: reads SECTION_ALIGN_DOWN(start) (MEMORY_DEVICE_PRIVATE) or, in x86 arch_remove_memory(), that + vmem_altmap_offset()',
			commits: [{id: '69324b8f4833', subject: 'mm, devm_memremap_pages: add MEMORY_DEVICE_PRIVATE support'}],
			confidence: 'P',
		},
		{
			since: '5.0',
			guard: 'none: page_to_nid(pfn_to_page(SECTION_ALIGN_DOWN(start))) (the unaligned start at v5.3), the altmap reserve',
			commits: [{id: '2c2a5af6fed2', subject: 'mm, memory_hotplug: add nid parameter to arch_remove_memory'}],
			confidence: 'P',
			note: 'the put_page() loop over [pfn_first, pfn_end) is dated v5.0 [U]',
		},
		{
			since: '5.4',
			guard: 'none needed: reads pfn_to_page(pfn_first())',
			commits: [{id: '77e080e7680e', subject: "mm/memunmap: don't access uninitialized memmap in memunmap_pages()"}],
			confidence: 'V',
			note: 'verified in 5.10.262, 6.1.176, 6.12.117 (pageunmap_range)',
		},
		{
			since: '5.18',
			guard: 'no per-pfn put_page(): percpu_ref_put_many(pfn_len())',
			commits: [{id: '27674ef6c73f', subject: 'mm: remove the extra ZONE_DEVICE struct page refcount'}],
			confidence: 'P',
			note: 'put_page() loop present in 5.10.262, absent in 6.1.176 [V]; v5.18 from "v5.17-rc4-75-g27674ef6c73f" [P]',
		},
	],
	plan(model) {
		const k = model.kernel;
		let label = 'v5.4+: pfn_to_page(pfn_first())';
		if (before(k, '5.0')) {
			label = 'v4.13–v4.20: SECTION_ALIGN_DOWN(start) (private) / x86 arch_remove_memory() at SECTION_ALIGN_DOWN(start) + vmem_altmap_offset()';
		} else if (before(k, '5.3')) {
			label = 'v5.0–v5.2: page_to_nid(pfn_to_page(SECTION_ALIGN_DOWN(start)))';
		} else if (before(k, '5.4')) {
			label = 'v5.3: page_to_nid(pfn_to_page(range start))';
		}

		if (atLeast(k, '5.0') && before(k, '5.18')) {
			label += ', after put_page() on every device pfn';
		}

		return {
			label,
			guard: 'has no guard: it picks the struct page to read',
			...(atLeast(k, '5.0') && before(k, '5.4')
				? {fixed_by: {id: '77e080e7680e', subject: "mm/memunmap: don't access uninitialized memmap in memunmap_pages()", version: '5.4'}}
				: {}),
			passes: orNothingToWalk(
				pgmapsForTeardown(model).flatMap(pgmap => passesFor(model, pgmap)),
				'no ZONE_DEVICE pgmap is torn down in this topology',
			),
		};
	},
});

/**
HugeTLB pages as PFN walkers meet them (source/model/hugetlb-vmemmap.ts): which of a walker's
accesses write the struct page of a HugeTLB tail. A write through compound_head() or
page_folio() lands on the head (the StepContext records it as a read of the tail when its fields
start with `compound_head`); what page_ref_add_unless() does depends on the count it reads.
*/
import {atLeast, type KernelVersion} from '../kernel/version.js';
import {FAKE_HEAD_REF_RELEASE} from '../model/hugetlb-vmemmap.js';
import type {Model} from '../model/types.js';
import type {Access, PageView, StepContext} from './contract.js';

/** Whether the model holds any HugeTLB page (decided at plan time, so that other layouts pay nothing). */
export function hasHugetlbPages(model: Model): boolean {
	return model.runs.some(run => run.state.memmap.hugetlb !== undefined);
}

/**
The HugeTLB part of pfn's struct page as a read sees it, for a walker whose one access is a
read-modify-write (atomic_add_unless()) and must be recorded as a read or a write before it is
made: the same content the touch's PageView then shows.
*/
export function hugetlbPartAt(ctx: StepContext, pfn: number): PageView['hugetlb'] {
	return ctx.model.runAt(pfn).state.memmap.hugetlb?.part;
}

/**
page_ref_add_unless(page, 1, 0) (get_page_unless_zero(), and folio_try_get() on a page that is
not a folio head) on a raw struct page: atomic_add_unless() reads _refcount and writes it unless
it is 0 [V include/linux/page_ref.h 6.1, 6.12]. A HugeTLB tail's _refcount is 0: a read. A fake
head (HVO from v5.18) holds a copy of the head's count, non-zero for a page in use, so the
increment writes the read-only alias and faults — until bd225530a4c7 "mm/hugetlb_vmemmap: fix race
with speculative PFN walkers" (v6.10 [P]) made page_ref_add_unless() test !page_is_fake_head()
first. Any other page: the write (the model holds no refcounts; the superset).
*/
export function refAddUnlessAccess(kernel: KernelVersion, part: PageView['hugetlb']): Access {
	if (part === 'tail') {
		return 'read';
	}

	if (part === 'fake_head') {
		return atLeast(kernel, FAKE_HEAD_REF_RELEASE) ? 'read' : 'write';
	}

	return 'write';
}

/** A HugeTLB pfn other than the head: its struct page is a tail, or an HVO fake head. */
export function isHugetlbTail(part: PageView['hugetlb']): boolean {
	return part === 'tail' || part === 'fake_head';
}

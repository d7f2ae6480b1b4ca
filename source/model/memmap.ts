/**
Constructors for what a struct page holds, with the kernel function that
wrote it. Keeping them here keeps the writer strings — which appear in reasons and `explain` —
uniform.
*/
import {before} from '../kernel/version.js';
import {type ModelContext, poisons} from './context.js';
import type {MemmapState, ZoneName} from './types.js';
import {zoneZero} from './zones.js';

/**
A freshly allocated boot memmap, before memmap_init(), by version:
- v4.13–v4.14: allocated zeroed (memblock_virt_alloc_try_nid(), and vmemmap_alloc_block() with
  __GFP_ZERO): an untouched struct page reads zone 0, node 0, no flags. Michal Hocko: "we have
  zeroed memmaps during allocation before f7f99100d8d9" [P].
- v4.15: Pavel Tatashin's deferred-init series allocates it raw: ea1f5f3712af "mm: define
  memblock_virt_alloc_try_nid_raw", f7f99100d8d9 "mm: stop zeroing memory during allocation in
  vmemmap" (15 Nov 2017), and "mm: debug for raw alloctor" fills raw allocations with 0xff under
  CONFIG_DEBUG_VM [P: patch mails; the 0xff memset is the context of Michal Hocko's review of
  f165b378bbdf]. Without DEBUG_VM the bytes are whatever memblock handed out: garbage.
- v4.17: f165b378bbdf "mm: uninitialized struct page poisoning sanity checking" renames the
  pattern PAGE_POISON_PATTERN and adds PagePoisoned() checks — the content does not change.
- later the memset became page_init_poison() (memblock_alloc_try_nid_raw() in 5.10, memmap_alloc()
  in 6.12) [V], same content.
*/
export function bootRawMemmap(ctx: ModelContext): MemmapState {
	if (before(ctx.kernel, '4.15')) {
		return initPage(zoneZero(ctx.arch, ctx.kernel), 0, 'boot memmap allocated zeroed (before f7f99100d8d9, v4.15): zone 0, node 0, no flags');
	}

	if (poisons(ctx)) {
		return {content: 'poison', writer: 'page_init_poison() of the raw boot memmap (sparse_init_nid(), CONFIG_DEBUG_VM; a 0xff memset of the raw allocator from v4.15)'};
	}

	return {content: 'garbage', writer: 'raw boot memmap allocation (sparse_init_nid()), never written'};
}

export function initPage(zone: ZoneName, nid: number, writer: string, extra: {reserved?: boolean; offline?: boolean; pgmap?: number | null} = {}): MemmapState {
	// The keys in this order (content, zone, nid, reserved, offline, pgmap, writer; offline and
	// pgmap only when given), each case an object literal: a literal with spreads in it was built
	// key by key at run time, some 2 µs a page state in a 10 000-entry build.
	const reserved = extra.reserved ?? false;
	const {offline, pgmap} = extra;
	if (offline === undefined) {
		return pgmap === undefined
			? {content: 'init', zone, nid, reserved, writer}
			: {content: 'init', zone, nid, reserved, pgmap, writer};
	}

	return pgmap === undefined
		? {content: 'init', zone, nid, reserved, offline, writer}
		: {content: 'init', zone, nid, reserved, offline, pgmap, writer};
}

/** page_init_poison() with CONFIG_DEBUG_VM; without it the bytes are whatever the allocation held. */
export function poisonOrGarbage(ctx: ModelContext, poisonWriter: string, garbageWriter: string): MemmapState {
	return poisons(ctx) ? {content: 'poison', writer: poisonWriter} : {content: 'garbage', writer: garbageWriter};
}

/** A once-initialized page that the kernel now considers uninitialized again (no DEBUG_VM poison). */
export function staleOf(previous: MemmapState, writer: string): MemmapState {
	if (previous.content !== 'init' && previous.content !== 'stale') {
		return previous;
	}

	return {...previous, content: 'stale', writer};
}

/** Short human description: "poison", "init (Normal, node 0, reserved)". */
export function describeMemmap(memmap: MemmapState): string {
	if (memmap.content !== 'init' && memmap.content !== 'stale') {
		return memmap.content;
	}

	const flags: string[] = [];
	if (memmap.reserved) {
		flags.push('PageReserved');
	}

	if (memmap.offline) {
		flags.push('PageOffline');
	}

	if (memmap.compound) {
		flags.push(`compound order ${memmap.compound.order}, ${memmap.compound.unique} unique struct pages per compound page`);
	}

	if (memmap.self_hosted) {
		flags.push('memmap_on_memory vmemmap');
	}

	if (memmap.hugetlb) {
		const part = {head: 'head', tail: 'tail', fake_head: 'fake head'}[memmap.hugetlb.part];
		flags.push(`HugeTLB order ${memmap.hugetlb.order} ${part}${memmap.hugetlb.alias ? ', read-only vmemmap alias (HVO)' : ''}`);
	}

	if (memmap.pgmap !== undefined) {
		flags.push(memmap.pgmap === null ? 'pgmap NULL' : `pgmap #${memmap.pgmap}`);
	}

	const where = `${memmap.zone ?? '?'}, node ${memmap.nid ?? '?'}`;
	return `${memmap.content} (${[where, ...flags].join(', ')})`;
}

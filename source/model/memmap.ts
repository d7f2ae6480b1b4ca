/**
Constructors for what a struct page holds (memory-model.md §4), with the kernel function that
wrote it. Keeping them here keeps the writer strings — which appear in reasons and `explain` —
uniform.
*/
import {atLeast} from '../kernel/version.js';
import {type ModelContext, poisons} from './context.js';
import type {MemmapState, ZoneName} from './types.js';

/**
A freshly allocated boot memmap, before memmap_init(): sparse_init_nid() allocates it raw
(memmap_alloc()/memblock_alloc_try_nid_raw()), and with CONFIG_DEBUG_VM that allocation runs
page_init_poison() [V 5.10 mm/memblock.c, 6.12 mm/mm_init.c:memmap_alloc()]. The poisoning of
raw memblock allocations dates from v4.16 (f165b378bbdf "mm: uninitialized struct page poisoning
sanity checking") [U tag]; before, pfnaudit calls it garbage.
*/
export function bootRawMemmap(ctx: ModelContext): MemmapState {
	if (poisons(ctx) && atLeast(ctx.kernel, '4.16')) {
		return {content: 'poison', writer: 'page_init_poison() of the raw boot memmap (sparse_init_nid(), CONFIG_DEBUG_VM)'};
	}

	return {content: 'garbage', writer: 'raw boot memmap allocation (sparse_init_nid()), never written'};
}

export function initPage(zone: ZoneName, nid: number, writer: string, extra: {reserved?: boolean; offline?: boolean; pgmap?: number | null} = {}): MemmapState {
	return {
		content: 'init',
		zone,
		nid,
		reserved: extra.reserved ?? false,
		...(extra.offline === undefined ? {} : {offline: extra.offline}),
		...(extra.pgmap === undefined ? {} : {pgmap: extra.pgmap}),
		writer,
	};
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

	if (memmap.pgmap !== undefined) {
		flags.push(memmap.pgmap === null ? 'pgmap NULL' : `pgmap #${memmap.pgmap}`);
	}

	const where = `${memmap.zone ?? '?'}, node ${memmap.nid ?? '?'}`;
	return `${memmap.content} (${[where, ...flags].join(', ')})`;
}

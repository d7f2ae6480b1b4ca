/**
memmap_on_memory (MHP_MEMMAP_ON_MEMORY): the memmap of each hot-added memory block in the block's
first pages (source/model/memmap-on-memory.ts).
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';
import {at as where, boot, expectRejected, parse, yaml} from '../topology/helpers.js';

// x86_64, 128 MiB memory blocks (32768 pfns, memmap 2 MiB = 512 pfns = one pageblock).
// Boot RAM 0-4 GiB, one hot-added block memory[1] with memmap_on_memory:
//
//   | boot RAM           | vmemmap | rest of the block           |
//   0x0           0x100000  0x100200                     0x108000
const BLOCK = 128 * MiB;
const layout = (state: 'offline' | 'online' | 'offlined', kernel = '6.12', size = BLOCK) =>
	topology({kernel, config: {memory_block_size: BLOCK}}).boot(0, 4 * GiB).hotplug(4 * GiB, size, state, {memmap_on_memory: true}).build();

describe('memmap_on_memory: the vmemmap pages at the start of each block', () => {
	// Expect, after add_memory() only: the whole block C1 (memmap poisoned by sparse_add_section()),
	// the first 512 pfns marked as holding the block's vmemmap.
	it('is C1 like any hot-added block until onlined', () => {
		const model = buildModel(layout('offline'));
		expect(at(model, 0x10_0000)).toMatchObject({category: 'C1', memmap: {content: 'poison', self_hosted: true}});
		expect(at(model, 0x10_0200)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		expect(at(model, 0x10_0200).memmap.self_hosted).toBeUndefined();
	});

	// Expect at memory[1]:vmemmap-init (memory_block_online() between mhp_init_memmap_on_memory()
	// and online_pages()): pfns 0x100000-0x1001ff initialized in ZONE_NORMAL while the section is
	// not online; the rest of the block still C1. Expect after onlined: the vmemmap pfns PageReserved
	// before v6.11 and not from v6.11 (PageOffline cleared), never in the buddy; the rest ok.
	it('initializes the vmemmap pages before the rest of the block is onlined', () => {
		const t = layout('online');
		const model = buildModel(t, {phase: 'memory[1]:vmemmap-init'});
		expect(model.phases.map(phase => phase.id)).toEqual(['boot', 'memory[1]:added', 'memory[1]:vmemmap-init', 'memory[1]:onlined', 'final']);
		const vmemmap = at(model, 0x10_0000);
		expect(vmemmap.section.online).toBe(false);
		expect(vmemmap.memmap).toMatchObject({content: 'init', zone: 'Normal', self_hosted: true});
		expect(vmemmap.memmap.writer).toContain('mhp_init_memmap_on_memory()');
		expect(vmemmap.category).toBe('ok');
		expect(vmemmap.predicates.pfn_to_online_page).toBe(false);
		expect(at(model, 0x10_01ff).memmap.self_hosted).toBe(true);
		expect(at(model, 0x10_0200).category).toBe('C1');

		const online = buildModel(t);
		expect(at(online, 0x10_0000).memmap).toMatchObject({content: 'init', reserved: false, self_hosted: true});
		expect(at(online, 0x10_0000).predicates.pfn_to_online_page).toBe(true);
		expect(at(online, 0x10_0200).memmap.writer).toContain('generic_online_page()');
		expect(online.zones.find(zone => zone.name === 'Normal')!.zone_end_pfn).toBe(0x10_8000);
		expect(at(buildModel(layout('online', '6.10')), 0x10_0000).memmap.reserved).toBe(true);
	});

	// Expect at memory[1]:vmemmap-deinit (memory_block_offline() between offline_pages() and
	// mhp_deinit_memmap_on_memory()): the rest poisoned, the section offline, the vmemmap pfns still
	// initialized — while ZONE_NORMAL, which held only this block, is already empty: shrink_zone_span()
	// found no online pfn below 0x100200 (the section is offline). After offlined all of it is
	// poisoned again (C1).
	it('poisons the vmemmap pages last on offline', () => {
		const t = layout('offlined');
		const window = buildModel(t, {phase: 'memory[1]:vmemmap-deinit'});
		expect(at(window, 0x10_0200)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		expect(at(window, 0x10_0000)).toMatchObject({category: 'ok', memmap: {content: 'init', self_hosted: true}});
		expect(at(window, 0x10_0000).section.online).toBe(false);
		expect(window.zones.find(zone => zone.name === 'Normal')).toMatchObject({zone_start_pfn: 0, zone_end_pfn: 0});

		const done = buildModel(t);
		expect(at(done, 0x10_0000)).toMatchObject({category: 'C1', memmap: {content: 'poison', self_hosted: true}});
		expect(at(done, 0x10_0000).memmap.writer).toContain('mhp_deinit_memmap_on_memory()');
		expect(done.zones.find(zone => zone.name === 'Normal')).toMatchObject({zone_start_pfn: 0, zone_end_pfn: 0});
	});

	// Expect from v6.8 (6b8f0798b85a) a two-block range to have a vmemmap at the start of each block:
	// 0x100000-0x1001ff and 0x108000-0x1081ff; the pfns between them are plain memory.
	it('puts a vmemmap at the start of every block of a larger range (v6.8)', () => {
		const model = buildModel(layout('online', '6.12', 2 * BLOCK));
		expect(at(model, 0x10_0000).memmap.self_hosted).toBe(true);
		expect(at(model, 0x10_7fff).memmap.self_hosted).toBeUndefined();
		expect(at(model, 0x10_8000).memmap.self_hosted).toBe(true);
		expect(at(model, 0x10_8200).memmap.self_hosted).toBeUndefined();
	});

	it('leaves hotplug entries without memmap_on_memory as they were', () => {
		const plain = buildModel(topology({config: {memory_block_size: BLOCK}}).boot(0, 4 * GiB).hotplug(4 * GiB, BLOCK, 'online').build());
		expect(plain.phases.map(phase => phase.id)).toEqual(['boot', 'memory[1]:added', 'memory[1]:onlined', 'final']);
		expect(at(plain, 0x10_0000).memmap.self_hosted).toBeUndefined();
		expect(plain.runAt(0x10_0000).end).toBe(0x10_8000);
	});
});

describe('memmap_on_memory: refused where the kernel would not do it', () => {
	const entry = (size: string) => ['  - kind: hotplug', '    start: 4G', `    size: ${size}`, '    memmap_on_memory: true'];
	const text = (kernel: string, size = '128M', arch = 'x86_64') => yaml({arch, kernel, entries: [...boot('0', '4G'), ...entry(size)]});

	it('is accepted from v5.13 on x86_64 for one 128 MiB block', () => {
		expect(parse(text('5.13')).memory[1]).toMatchObject({kind: 'hotplug', memmap_on_memory: true});
		expect(parse(text('6.12', '256M')).memory[1]).toMatchObject({memmap_on_memory: true});
	});

	// Expect v5.12 to refuse it at the key: MHP_MEMMAP_ON_MEMORY arrived in v5.13 (a08a2ae34613).
	it('is refused before v5.13', () => {
		const t = text('5.12');
		expectRejected(t, where(t, 'memmap_on_memory'), ['a08a2ae34613', 'v5.13']);
	});

	// Expect a two-block range to be refused before v6.8 (one block per add_memory()).
	it('is refused for a range of several blocks before v6.8', () => {
		const t = text('6.7', '256M');
		expectRejected(t, where(t, 'memmap_on_memory'), ['exactly one memory block', '6b8f0798b85a']);
	});

	// Expect arm64 with 64K pages to be refused: 8192 struct pages of a 512 MiB block are 512 KiB, not a 512 MiB PMD.
	it('is refused where the vmemmap does not span whole PMDs', () => {
		const t = yaml({arch: 'arm64-64k', kernel: '6.12', entries: [...boot('0', '4G'), '  - kind: hotplug', '    start: 4G', '    size: 512M', '    memmap_on_memory: true']});
		expectRejected(t, where(t, 'memmap_on_memory'), ['whole PMDs']);
	});
});

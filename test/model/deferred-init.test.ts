/**
CONFIG_DEFERRED_STRUCT_PAGE_INIT (config.deferred_struct_page_init): the boot-deferred phase
(source/model/deferred-init.ts).
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at} from '../helpers/model-probe.js';
import {GiB, topology} from '../helpers/topology.js';
import {at as where, boot, expectRejected, parse, yaml} from '../topology/helpers.js';

// x86_64, 128 MiB sections (0x8000 pfns). Boot RAM 0-8 GiB on node 0: DMA, DMA32 up to 4 GiB,
// Normal [0x100000, 0x200000) — the node's highest zone, the only one that defers.
//
//   | DMA/DMA32 (never deferred) | Normal: 1 section init | deferred (raw until deferred_init_memmap()) |
//   0x0                    0x100000                 0x108000                                       0x200000
const layout = (kernel = '6.12', deferred = true) =>
	topology({kernel, config: {deferred_struct_page_init: deferred}}).boot(0, 8 * GiB).build();

describe('deferred struct page init', () => {
	// Expect the phases boot-deferred, boot, final; at boot-deferred the pfns from
	// first_deferred_pfn 0x108000 (the first section boundary after PAGES_PER_SECTION pfns of ZONE_NORMAL)
	// poisoned while the section is online: pfn_to_online_page() returns the page, category C1.
	it('leaves the highest zone past first_deferred_pfn uninitialized while its sections are online', () => {
		const t = layout();
		const window = buildModel(t, {phase: 'boot-deferred'});
		expect(window.phases.map(phase => phase.id)).toEqual(['boot-deferred', 'boot', 'final']);
		const deferred = at(window, 0x10_8000);
		expect(deferred.section.online).toBe(true);
		expect(deferred.memmap.content).toBe('poison');
		expect(deferred.memmap.writer).toContain('first_deferred_pfn');
		expect(deferred.predicates.pfn_to_online_page).toBe(true);
		expect(deferred.category).toBe('C1');
		expect(at(window, 0x1f_ffff).category).toBe('C1');
		// The first section of ZONE_NORMAL and the lower zones are initialized early.
		expect(at(window, 0x10_7fff)).toMatchObject({category: 'ok', memmap: {content: 'init', zone: 'Normal'}});
		expect(at(window, 0xf_ffff)).toMatchObject({category: 'ok', memmap: {zone: 'DMA32'}});
		expect(window.zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(false);
	});

	// Expect at boot (page_alloc_init_late() done) every memory pfn initialized by
	// deferred_init_memmap() and ZONE_NORMAL contiguous, as without the option.
	it('initializes the rest in deferred_init_memmap()', () => {
		const model = buildModel(layout());
		expect(model.phase.id).toBe('final');
		expect(at(model, 0x10_8000)).toMatchObject({category: 'ok', memmap: {content: 'init', zone: 'Normal', nid: 0}});
		expect(at(model, 0x10_8000).memmap.writer).toContain('deferred_init_memmap()');
		expect(model.zones.find(zone => zone.name === 'Normal')!.contiguous).toBe(true);
		const plain = buildModel(layout('6.12', false));
		expect(plain.phases.map(phase => phase.id)).toEqual(['boot', 'final']);
		expect(at(plain, 0x10_8000).memmap.writer).not.toContain('deferred');
	});

	// Expect a node whose highest zone has less than one section of memory to defer nothing
	// (defer_init() never counts past PAGES_PER_SECTION): 0-4 GiB + 64 MiB gives ZONE_NORMAL 0x4000 pfns.
	it('defers nothing when the highest zone has at most one section', () => {
		const t = topology({config: {deferred_struct_page_init: true}}).boot(0, 4 * GiB + 64 * 2 ** 20).build();
		const window = buildModel(t, {phase: 'boot-deferred'});
		expect(at(window, 0x10_3fff)).toMatchObject({category: 'ok', memmap: {content: 'init'}});
	});

	// Expect two nodes to defer each in its own highest zone: node 1 (8-16 GiB) from 0x208000.
	it('defers per node', () => {
		const t = topology({config: {deferred_struct_page_init: true}}).boot(0, 8 * GiB).boot(8 * GiB, 8 * GiB, {node: 1}).build();
		const window = buildModel(t, {phase: 'boot-deferred'});
		expect(at(window, 0x20_7fff).memmap.content).toBe('init');
		expect(at(window, 0x20_8000).memmap.content).toBe('poison');
		expect(at(window, 0x10_8000).memmap.content).toBe('poison');
	});
});

describe('deferred_struct_page_init in a topology file', () => {
	const text = (kernel: string) => yaml({kernel, config: ['deferred_struct_page_init: true'], entries: boot('0', '8G')});

	it('is read from config', () => {
		expect(parse(text('4.17')).config.deferred_struct_page_init).toBe(true);
	});

	// Expect v4.16 to be refused at the key: the one-section rule is c9e97a1997fb (v4.17).
	it('is refused before v4.17, whose defer_init() rule is modelled', () => {
		const t = text('4.16');
		expectRejected(t, where(t, 'deferred_struct_page_init'), ['c9e97a1997fb', 'v4.17']);
	});
});

/**
The boot-only walkers of the census of 6.12.118 (source/walker/census.ts, issue 17) —
init_pages_in_zone() (page_owner=on), page_ext_init() and register_mem_block_under_node_early() —
and the contiguous allocator alloc_contig_range_noprof(). All guarded there: an audit shows them
walking and touching no uninitialized struct page, and each test below fails if the guard were
modelled wrong (removed, or checked at the wrong granularity).
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createStepContext, type Touch} from '../../source/engine/context.js';
import {buildModel} from '../../source/model/build.js';
import {thawModel, workerModelData} from '../../source/model/model-data.js';
import type {Model} from '../../source/model/types.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile, parseTopology} from '../../source/topology/load.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {BOOT_ONLY} from '../../source/walker/ranges.js';
import alloc_contig_range_noprof from '../../walkers/alloc_contig_range_noprof.js';
import cma_activate_area from '../../walkers/cma_activate_area.js';
import init_pages_in_zone from '../../walkers/init_pages_in_zone.js';
import page_ext_init from '../../walkers/page_ext_init.js';
import read_page_owner from '../../walkers/read_page_owner.js';
import register_mem_block_under_node_early from '../../walkers/register_mem_block_under_node_early.js';
import {audit, expectNoFailing, expectTouchedNotFailing, expectUntouched, GiB, MiB, stepAt, topology} from './harness.js';
import {OFFLINE_BLOCK, offlineInZoneSpan} from './layouts.js';

const showcase = () => loadTopologyFile(path.join(TOPOLOGIES_DIR, 'showcase.yaml'));
const BOOT: readonly WalkerDefinition[] = [init_pages_in_zone, page_ext_init, register_mem_block_under_node_early];
const named = (walkers: readonly WalkerDefinition[]) => walkers.map(walker => [walker.name, walker] as const);
/** stepAt() on the pass that has `pfn` among its iteration points (range.start + k * stride). */
function stepAtPoint(walker: WalkerDefinition, model: Model, pfn: number): Touch[] {
	const form = walker.plan(model)!;
	const pass = form.passes.find(p => p.ranges.some(range => pfn >= range.start && pfn < range.end && (pfn - range.start) % p.stride === 0));
	expect(pass, `${walker.name} has pfn ${pfn.toString(16)} as an iteration point`).toBeDefined();
	const ctx = createStepContext(model);
	ctx.reset();
	pass!.step(ctx, pfn);
	return ctx.touches;
}

const total = (touches: Record<string, number>) => Object.values(touches).reduce((a, b) => a + b, 0);

/**
x86_64, 36-bit physical address space, sections 0x8000 pfns (128 MiB), memory blocks of 1 GiB
(8 sections). Boot RAM on node 0 with a hole of four absent sections, then node 1.

	| node 0 RAM      | hole (no section) | node 0 RAM       | node 1 RAM        |
	0x0          0x20000              0x40000... 0x60000   0x80000             0xc0000
	|<----------- memory block 0 -------->|<-------- memory block 1 ------->|
	               (0x20000-0x40000 absent)    0x40000-0x60000 absent, 0x60000 present
*/
function holeyNodes(extra: {deferred?: boolean} = {}) {
	return topology({kernel: '6.12', config: {max_physmem_bits: 36, memory_block_size: GiB, ...(extra.deferred ? {deferred_struct_page_init: true} : {})}})
		.boot(0, 512 * MiB)
		.boot(3 * 512 * MiB, 512 * MiB)
		.boot(2 * GiB, GiB, {node: 1})
		.build();
}

describe('the boot-only walkers of the census', () => {
	// A test of each on the showcase (arm64-4k) at the boot phase, at v5.15 and v6.12. Bank 1 ends
	// 2 MiB into the 4 MiB MAX_ORDER block at 0x13c000: its second pageblock starts in a hole
	// where arm64's own pfn_valid() is false at v5.15 and the memmap is raw (hole).
	//
	//   | bank 1 RAM (2 MiB) | hole pageblock (raw memmap at v5.15) |
	//   0x13c000          0x13c200                              0x13c400
	//
	// Expect no failing touch, initialized struct pages read, and at the final phase (after the
	// hot-add and the devices) nothing walked, the pass saying the walker runs at boot — also in
	// the copy of the model a worker thread walks.
	it.each(named(BOOT))('%s touches nothing uninitialized at boot and walks nothing later', (_name, walker) => {
		for (const kernel of ['5.15', '6.12']) {
			const {result} = audit(walker, showcase(), kernel, {phase: 'boot'});
			expectNoFailing(result);
			expect(result.touches.ok, `${walker.name} at v${kernel}`).toBeGreaterThan(0);
			const final = audit(walker, showcase(), kernel);
			expect(total(final.result.touches)).toBe(0);
			expect(walker.plan(final.model)!.passes.map(pass => pass.label)).toEqual([BOOT_ONLY]);
			// The copy a worker thread walks carries its own phase only (workerModelData()).
			const copy = thawModel(workerModelData(final.model));
			expect(walker.plan(copy)!.passes.map(pass => pass.label)).toEqual([BOOT_ONLY]);
		}
	});

	// A test of init_pages_in_zone()'s granularity on the showcase at v5.15, boot phase: it tests
	// pfn_valid() at every pageblock (a failure skips to the next MAX_ORDER_NR_PAGES boundary),
	// where read_page_owner() tests it once per MAX_ORDER_NR_PAGES.
	//
	// Expect init_pages_in_zone() to leave the hole pageblock untouched, and read_page_owner() on
	// the same model to read it (hole, failing): checked once per 4 MiB the guard would read it.
	it('init_pages_in_zone checks pfn_valid() per pageblock and skips the raw hole pageblock that read_page_owner reads', () => {
		const {result} = audit(init_pages_in_zone, showcase(), '5.15', {phase: 'boot'});
		expectUntouched(result, 'hole');
		const owner = audit(read_page_owner, showcase(), '5.15', {phase: 'boot'});
		expect(owner.result.failing.hole).toBeGreaterThan(0);
	});

	// A test of page_ext_init() with holeyNodes() at v6.12: one pfn per section of each node span.
	//
	//   0x0      (node 0, present): pfn_valid(), then pfn_to_nid() == 0
	//   0x20000  (node 0 span, no section): pfn_valid() false, nothing read
	//   0x80000  (node 1 start): pfn_to_nid() == 1
	//
	// Expect a flags read at 0x0 and 0x80000, none at 0x20000, no touch of a pfn without a memmap
	// in the whole audit (unbacked: the reads a missing pfn_valid() would make), and 8 + 8 reads:
	// sections 0-3 and 12-15 of node 0, 16-23 of node 1.
	it('page_ext_init reads one pfn per present section and none of the absent ones', () => {
		const model = buildModel({...holeyNodes(), kernel: '6.12'});
		expect(stepAt(page_ext_init, model, 0).map(touch => [touch.pfn, touch.via])).toEqual([[0, 'page_ext_init']]);
		expect(stepAt(page_ext_init, model, 0x2_0000)).toEqual([]);
		expect(stepAt(page_ext_init, model, 0x8_0000).map(touch => touch.pfn)).toEqual([0x8_0000]);
		const {result} = audit(page_ext_init, holeyNodes(), '6.12');
		expectUntouched(result, 'unbacked', 'oob');
		expect(result.touches.ok).toBe(16);
	});

	// A test of register_mem_block_under_node_early() with holeyNodes() at v6.12, without deferred
	// struct page init: per memory block, pfn_to_nid() at the first pfn of its first present
	// section.
	//
	//   0x0      block 0, section 0 present: read
	//   0x8000   block 0, section 1: section 0 linked the block already, nothing read
	//   0x40000  block 1, section 8 absent: nothing read
	//   0x60000  block 1, section 12, the block's first present one: read
	//
	// Expect exactly those reads, and with config.deferred_struct_page_init (get_nid_for_pfn() →
	// early_pfn_to_nid() before SYSTEM_RUNNING) no struct page read at all.
	it('register_mem_block_under_node_early reads the first present section of each block, and nothing with deferred struct page init', () => {
		const model = buildModel({...holeyNodes(), kernel: '6.12'});
		expect(stepAtPoint(register_mem_block_under_node_early, model, 0).map(touch => [touch.pfn, touch.via])).toEqual([[0, 'get_nid_for_pfn']]);
		expect(stepAtPoint(register_mem_block_under_node_early, model, 0x8000)).toEqual([]);
		expect(stepAtPoint(register_mem_block_under_node_early, model, 0x4_0000)).toEqual([]);
		expect(stepAtPoint(register_mem_block_under_node_early, model, 0x6_0000).map(touch => touch.pfn)).toEqual([0x6_0000]);
		const {result} = audit(register_mem_block_under_node_early, holeyNodes(), '6.12');
		expectNoFailing(result);
		expect(result.touches.ok).toBe(3);
		const deferred = audit(register_mem_block_under_node_early, holeyNodes({deferred: true}), '6.12');
		expect(total(deferred.result.touches)).toBe(0);
	});
});

describe('alloc_contig_range_noprof', () => {
	// A test with layouts.ts offlineInZoneSpan() at v6.12 (and v5.5, the first release the model
	// gives alloc_contig_pages()).
	//
	//   | boot RAM |   | A online | B offline (C1) | C online |
	//   0x0    0x80000 0x100000  0x108000         0x110000   0x118000
	//
	// Expect B untouched (pfn_range_valid_contig()'s pfn_to_online_page() refuses it: a stride-1
	// zone walk without it reads all of B), initialized pages read, nothing failing.
	it('allocates only from ranges pfn_range_valid_contig() accepted', () => {
		for (const kernel of ['5.5', '6.12']) {
			const {result} = audit(alloc_contig_range_noprof, offlineInZoneSpan(), kernel);
			expectNoFailing(result);
			expectUntouched(result, 'C1');
			expectTouchedNotFailing(result, 'ok');
		}

		const model = buildModel({...offlineInZoneSpan(), kernel: '6.12'});
		expect(stepAt(alloc_contig_range_noprof, model, OFFLINE_BLOCK[0])).toEqual([]);
		expect(stepAt(alloc_contig_range_noprof, model, 0x10_0000).map(touch => touch.via)).toEqual(['pfn_range_valid_contig', 'alloc_contig_range_noprof']);
	});
});

/**
x86_64 at v6.12: 8 GiB of boot RAM with two CMA areas (a boot
entry's `cma:`), A inside ZONE_NORMAL and B across the ZONE_DMA32 / ZONE_NORMAL boundary at 4 GiB;
`hotplug` adds a block after boot.

	| DMA, DMA32                  |B: 0xff000-0x100000|0x100000-0x102000| Normal ... |A: 0x180000-0x184000|
	0x0                        0xfe000            0x100000          0x102000     0x180000            0x184000  0x200000
*/
function cmaAreasTopology(hotplug = false): ReturnType<typeof parseTopology> {
	const text = [
		'name: cma',
		'arch: x86_64',
		'kernel: "6.12"',
		'memory:',
		'  - kind: boot',
		'    start: 0',
		'    size: 8G',
		'    cma:',
		'      - {start: 0xfe00_0000, size: 64M}',
		'      - {start: 0x1_8000_0000, size: 64M}',
		...(hotplug ? ['  - kind: hotplug', '    start: 0x8_0000_0000', '    size: 128M', '    state: online'] : []),
	].join('\n');
	return parseTopology(text, 'cma.yaml');
}

describe('cma_activate_area', () => {
	// A test with cmaAreasTopology() at v6.12 (boot only, so the final phase is the boot phase).
	//
	//   A [0x180000, 0x184000): one zone: page_zone() of each of its 0x4000 pfns, then
	//     init_cma_reserved_pageblock() writes each (2 x 0x4000 touches)
	//   B [0xfe000, 0x102000): page_zone() of 0xfe000-0xfffff (DMA32) and of 0x100000, the first
	//     Normal pfn, where not_in_zone leaves the loop (0x2001 reads); then free_reserved_page()
	//     writes all 0x4000 pfns
	//
	// Expect exactly 0x8000 + 0x2001 + 0x4000 touches, all of initialized struct pages, the writes
	// named after the kernel function of each path, and none in the 8 GiB outside the areas.
	it('reads page_zone() of every pfn of an area and stops at the first pfn of another zone', () => {
		const {model, result} = audit(cma_activate_area, cmaAreasTopology(), '6.12');
		expectNoFailing(result);
		expect(result.touches.ok).toBe(0x8000 + 0x2001 + 0x4000);
		expect(total(result.touches)).toBe(result.touches.ok);
		const labels = cma_activate_area.plan(model)!.passes.map(pass => pass.label);
		expect(labels).toEqual(['cma@0xfe000000: page_zone()', 'cma@0xfe000000: free_reserved_page()', 'cma@0x180000000: page_zone()', 'cma@0x180000000: init_cma_reserved_pageblock()']);
		expect(stepAt(cma_activate_area, model, 0x18_0000).map(touch => [touch.via, touch.access])).toEqual([['cma_activate_area', 'read']]);
	});

	// A test of the same areas with a block hot-added after boot, at the final phase, and at the
	// boot phase of that replay.
	//
	// Expect nothing walked at the final phase (the pass says it runs at boot), and at the boot
	// phase the same touches as without the hot-add.
	it('runs at boot only', () => {
		const final = audit(cma_activate_area, cmaAreasTopology(true), '6.12');
		expect(total(final.result.touches)).toBe(0);
		expect(cma_activate_area.plan(final.model)!.passes.map(pass => pass.label)).toEqual([BOOT_ONLY]);
		const boot = audit(cma_activate_area, cmaAreasTopology(true), '6.12', {phase: 'boot'});
		expect(boot.result.touches.ok).toBe(0x8000 + 0x2001 + 0x4000);
	});

	// A test without a CMA area (layouts.ts offlineInZoneSpan() has none) at its boot phase.
	//
	// Expect one empty pass saying there is no CMA area.
	it('says so when the topology declares no CMA area', () => {
		const {model} = audit(cma_activate_area, offlineInZoneSpan(), '6.12', {phase: 'boot'});
		expect(cma_activate_area.plan(model)!.passes.map(pass => [pass.label, pass.ranges.length])).toEqual([[expect.stringContaining('no CMA area'), 0]]);
	});
});

/** x86_64: boot RAM [0, 1 GiB) and [1 GiB + 2 MiB, 2 GiB), a CMA area at `cmaStart` of 32 MiB. */
function cmaAfterHole(kernel: string, cmaStart: string): ReturnType<typeof parseTopology> {
	const text = [
		'name: cma-after-hole',
		'arch: x86_64',
		`kernel: "${kernel}"`,
		'memory:',
		'  - {kind: boot, start: 0, size: 1G}',
		'  - kind: boot',
		'    start: 0x4020_0000',
		'    end: 0x8000_0000',
		'    cma:',
		`      - {start: ${cmaStart}, size: 32M}`,
	].join('\n');
	return parseTopology(text, 'cma-after-hole.yaml');
}

describe('alloc_contig_range_noprof in a CMA area', () => {
	// A test of cma_alloc()'s ranges with cmaAfterHole() at v6.12, the area at the first pfn of the
	// second boot range, 2 MiB (one pageblock) aligned, which CMA_MIN_ALIGNMENT allows from v5.19.
	//
	//   | RAM          | hole (2 MiB, section 8 present) | CMA area [0x40200, 0x42200)     | RAM |
	//   0x0        0x40000                           0x40200                         0x42200
	//
	// An allocation at the area's base walks down for a straddling buddy (find_large_buddy()):
	// 0x40200 & ~0x3ff = 0x40000, the first pfn of the hole. Expect exactly that one pfn read
	// outside the area (hole: its memmap initialized by init_unavailable_range(), not failing),
	// every pfn of the area read, and at v5.15, where the area must be 4 MiB aligned (0x40400),
	// no pfn below the area read.
	it('reads the pfn below a pageblock-aligned area that the walk to a MAX_ORDER boundary reaches', () => {
		const {model, result} = audit(alloc_contig_range_noprof, cmaAfterHole('6.12', '0x4020_0000'), '6.12');
		expectNoFailing(result);
		expect(result.touches.hole).toBe(1);
		expect(result.witnesses.filter(w => w.category === 'hole').map(w => w.pfn)).toEqual([0x4_0000]);
		const passes = alloc_contig_range_noprof.plan(model)!.passes;
		expect(passes.slice(0, 2).map(pass => [pass.label, pass.ranges])).toEqual([
			['cma@0x40200000 (cma_alloc())', [{start: 0x4_0200, end: 0x4_2200}]],
			['cma@0x40200000: PageBuddy() below the area (outer_start)', [{start: 0x4_0000, end: 0x4_0001}]],
		]);
		const v515 = audit(alloc_contig_range_noprof, cmaAfterHole('5.15', '0x4040_0000'), '5.15');
		expectUntouched(v515.result, 'hole');
		expect(alloc_contig_range_noprof.plan(v515.model)!.passes.map(pass => pass.label)).not.toContain('cma@0x40400000: PageBuddy() below the area (outer_start)');
	});

	// A test at v5.4, before alloc_contig_pages(): the walker exists for cma_alloc() only.
	//
	// Expect the CMA area walked and no zone pass; without a CMA area, one empty pass.
	it('walks only CMA areas before v5.5', () => {
		const {model} = audit(alloc_contig_range_noprof, cmaAfterHole('5.4', '0x4040_0000'), '5.4');
		expect(alloc_contig_range_noprof.plan(model)!.passes.map(pass => pass.label)).toEqual(['cma@0x40400000 (cma_alloc())']);
		const none = audit(alloc_contig_range_noprof, offlineInZoneSpan(), '5.4');
		expect(alloc_contig_range_noprof.plan(none.model)!.passes.map(pass => pass.ranges.length)).toEqual([0]);
	});
});

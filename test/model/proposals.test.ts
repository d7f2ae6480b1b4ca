/**
The five-category thread's proposals as what-if patches (source/model/proposals.ts): each closes
exactly what its semantics say, on a small map, and leaves the rest. Counts come from the real
audit engine (in-process), so adoption through source/walker/adopt.ts is exercised too.
*/
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {Tally} from '../../source/engine/types.js';
import {buildModel} from '../../source/model/build.js';
import {PATCHES} from '../../source/model/patches.js';
import {PROPOSALS} from '../../source/model/proposals.js';
import type {Topology} from '../../source/topology/types.js';
import {PFN_ZONE_DEVICE_ADOPTION} from '../../source/walker/adopt.js';
import {selectWalkers} from '../../source/walker/select.js';
import {builtinWalkerNames} from '../../source/walker/registry.js';
import {at} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

async function tallies(t: Topology, kernel: string, patches: string[], walkers: string[], mode: 'runs' | 'per-pfn' = 'runs'): Promise<Record<string, Tally>> {
	const report = await runAudit({
		topology: {...t, kernel, patches},
		walkers: await selectWalkers(walkers, process.cwd()),
		runner: 'in-process',
		mode,
	});
	return Object.fromEntries(report.walkers.map(walker => [walker.name, walker.touches]));
}

/**
Every category inside the span of ZONE_NORMAL (boot RAM at 4G and 12G), where zone walkers go:

   | boot 0-1G | .. | boot 4G | hotplug 5G | fsdax 6G (altmap)       | devdax 8G    | devdax 10G | .. | boot 12G |
                                C1 offline   C5 | metadata | C2 ...    C4 (initializing) teardown
*/
function everyCategory(): Topology {
	return topology({kernel: '6.12'})
		.boot(0, 1 * GiB)
		.boot(4 * GiB, 512 * MiB)
		.boot(12 * GiB, 512 * MiB)
		.hotplug(5 * GiB, 128 * MiB, 'offline')
		.device('fsdax', 6 * GiB, 256 * MiB, {altmap: {reserve: 2, free: 'auto'}})
		.device('devdax', 8 * GiB, 128 * MiB, {state: 'initializing'})
		.device('devdax', 10 * GiB, 128 * MiB, {state: 'teardown'})
		.build();
}

const RESERVE = (6 * GiB) / 4096;

describe('init-altmap-reserve', () => {
	// A test that maps an fsdax namespace with an altmap (reserve 2 pages) next to offline RAM,
	// with and without init-altmap-reserve (Toshiki Fukasawa, RFC v2, Sep 2019).
	//
	//   | hotplug 5G C1 | .. | fsdax 6G: reserve (2) | memmap storage | data ... |
	//
	// Expect the reserve pfns initialized (ZONE_DEVICE, PageReserved, pgmap NULL) and classified
	// metadata instead of C5; mark_free_pages' C5 touches move to metadata one for one; C1, C2,
	// C4 and teardown touches unchanged.
	it('turns C5 into metadata and nothing else', async () => {
		const t = everyCategory();
		const before = at(buildModel(t), RESERVE);
		const after = at(buildModel({...t, patches: ['init-altmap-reserve']}), RESERVE);
		expect(before.category).toBe('C5');
		expect(before.memmap.content).not.toBe('init');
		expect(after.category).toBe('metadata');
		expect(after.memmap).toMatchObject({content: 'init', zone: 'Device', reserved: true, pgmap: null});

		const [base, patched] = [await tallies(t, '6.12', [], ['mark_free_pages']), await tallies(t, '6.12', ['init-altmap-reserve'], ['mark_free_pages'])];
		const b = base['mark_free_pages']!;
		const p = patched['mark_free_pages']!;
		expect(b.C5).toBeGreaterThan(0);
		expect(p.C5).toBe(0);
		expect(p.metadata).toBe(b.metadata + b.C5);
		for (const id of ['ok', 'C1', 'C2', 'C3', 'C4', 'teardown'] as const) {
			expect(p[id]).toBe(b[id]);
		}
	});
});

describe('pfn-zone-device-reserved', () => {
	// A test that reads /proc/kpageflags at v5.3 (pfn_valid() guard) over the fsdax namespace with
	// pfn_zone_device_reserved() (rev 1 of the same fix, in -mm Jul 2019).
	//
	//   | fsdax 6G: reserve (2) | memmap storage | data |
	//
	// Expect kpageflags_read to skip the two reserve pfns (C5 0) and still read memmap storage and
	// data; kpagecount_read, which the patch did not touch, still reads the reserve.
	it('skips the reserve in stable_page_flags() only', async () => {
		const t = everyCategory();
		const walkers = ['kpageflags_read', 'kpagecount_read'];
		const base = await tallies(t, '5.3', [], walkers);
		const patched = await tallies(t, '5.3', ['pfn-zone-device-reserved'], walkers);
		expect(base['kpageflags_read']!.C5).toBe(2);
		expect(patched['kpageflags_read']!.C5).toBe(0);
		expect(patched['kpageflags_read']!.metadata).toBe(base['kpageflags_read']!.metadata);
		expect(patched['kpageflags_read']!.C2).toBe(base['kpageflags_read']!.C2);
		expect(patched['kpagecount_read']).toEqual(base['kpagecount_read']);
	});
});

describe('pfn-zone-device', () => {
	// A test that runs a buddy walker (mark_free_pages, which adopts the helper) and
	// memory_failure (which does not) over every category at v6.12.
	//
	//   | hotplug C1 | fsdax C5 | metadata | C2 | devdax C4 (initializing) | devdax teardown |
	//
	// Expect with pfn-zone-device (get_dev_pagemap() != NULL): mark_free_pages touches no C2, C4,
	// C5 or metadata, still C1 and teardown (the ref is dead, get_dev_pagemap() NULL);
	// memory_failure unchanged. With the knob pfn-zone-device-data (v1 body: data pfns only): C2
	// and C4 gone, C5 and metadata still touched.
	it('skips what get_dev_pagemap() finds in adopting walkers only', async () => {
		const t = everyCategory();
		const walkers = ['mark_free_pages', 'memory_failure'];
		const base = await tallies(t, '6.12', [], walkers);
		const whole = await tallies(t, '6.12', ['pfn-zone-device'], walkers);
		const data = await tallies(t, '6.12', ['pfn-zone-device-data'], walkers);
		const b = base['mark_free_pages']!;
		for (const id of ['C1', 'C2', 'C4', 'C5', 'metadata', 'teardown'] as const) {
			expect(b[id], id).toBeGreaterThan(0);
		}

		expect(whole['mark_free_pages']).toMatchObject({C1: b.C1, C2: 0, C4: 0, C5: 0, metadata: 0, teardown: b.teardown, ok: b.ok});
		expect(data['mark_free_pages']).toMatchObject({C1: b.C1, C2: 0, C4: 0, C5: b.C5, metadata: b.metadata, teardown: b.teardown});
		expect(whole['memory_failure']).toEqual(base['memory_failure']);
		expect(data['memory_failure']).toEqual(base['memory_failure']);
	});

	// A test that runs adopting walkers (zone scanners with pageblock anchors, /proc readers, the
	// hibernation walker) with pfn-zone-device in both evaluation modes. Expect identical tallies:
	// the adopted step only asks about its own pfn, so runs mode stays exact.
	it('gives the same tallies in runs and per-pfn mode', async () => {
		const walkers = ['mark_free_pages', 'read_page_owner', 'isolate_migratepages_block', '__reset_isolation_suitable', 'kpageflags_read'];
		const runs = await tallies(everyCategory(), '6.12', ['pfn-zone-device'], walkers, 'runs');
		const perPfn = await tallies(everyCategory(), '6.12', ['pfn-zone-device'], walkers, 'per-pfn');
		expect(runs).toEqual(perPfn);
	});

	// A test that lists the adoption table against the built-in walkers. Expect every built-in walker
	// to be named once, as adopting or declining, each with a reason.
	it('says for every built-in walker whether it adopts the helper and why', () => {
		const named = [...Object.keys(PFN_ZONE_DEVICE_ADOPTION.adopters), ...Object.keys(PFN_ZONE_DEVICE_ADOPTION.declined)].sort();
		expect(named).toEqual([...builtinWalkerNames()].sort());
		for (const reason of [...Object.values(PFN_ZONE_DEVICE_ADOPTION.adopters), ...Object.values(PFN_ZONE_DEVICE_ADOPTION.declined)]) {
			expect(reason.length).toBeGreaterThan(10);
		}
	});
});

/**
   | boot RAM 0 - 4G+64M         | devdax 4G+64M - 4G+128M |  (one section: 32, early and online)
*/
function collision(state: 'ready' | 'initializing' | 'teardown'): Topology {
	return topology({kernel: '6.12'})
		.boot(0, 4 * GiB + 64 * MiB)
		.device('devdax', 4 * GiB + 64 * MiB, 64 * MiB, {state})
		.hotplug(8 * GiB, 128 * MiB, 'offline')
		.build();
}

describe('subsection-dev-map', () => {
	// A test that shares section 32 between boot RAM and a devdax range, and reads /proc/kpageflags
	// (pfn_to_online_page() guard from v5.4).
	//
	//   | boot RAM ... 4G | 4G - 4G+64M (boot) | devdax 4G+64M - 4G+128M | .. | hotplug 8G (offline)
	//                     '------------- section 32, early, online -----'
	//
	// Expect at v5.4 (no SECTION_TAINT_ZONE_DEVICE yet) the ready device's pfns read as online pages
	// (C2) without the patch and not at all with it; at v6.12 the teardown window (dead ref,
	// get_dev_pagemap() NULL) read without the patch and closed with it (the bit lives until
	// section_deactivate()); pfn_valid() unchanged; the offline hotplug block (C1) never read.
	it('refuses ZONE_DEVICE subsections of online sections in pfn_to_online_page()', async () => {
		const device = (4 * GiB + 64 * MiB) / 4096;
		const ready = collision('ready');
		const base = await tallies(ready, '5.4', [], ['kpageflags_read']);
		const patched = await tallies(ready, '5.4', ['subsection-dev-map'], ['kpageflags_read']);
		expect(base['kpageflags_read']!.C2).toBe(16_384);
		expect(patched['kpageflags_read']!.C2).toBe(0);
		expect(patched['kpageflags_read']!.ok).toBe(base['kpageflags_read']!.ok);
		expect(patched['kpageflags_read']!.C1).toBe(0);

		const model = buildModel({...ready, kernel: '5.4', patches: ['subsection-dev-map']});
		expect(at(model, device).predicates.pfn_valid).toBe(true);
		expect(at(model, device).predicates.pfn_to_online_page).toBe(false);
		expect(at(model, device).detail?.pfn_to_online_page_by).toContain('subsection_dev_map');

		const teardown = collision('teardown');
		const tBase = await tallies(teardown, '6.12', [], ['kpageflags_read']);
		const tPatched = await tallies(teardown, '6.12', ['subsection-dev-map'], ['kpageflags_read']);
		expect(tBase['kpageflags_read']!.teardown).toBe(16_384);
		expect(tPatched['kpageflags_read']!.teardown).toBe(0);
	});

	// A test that stops the colliding device in memremap_pages() (after mem_hotplug_done(), before
	// memmap_init_zone_device()) at v5.4. Expect kpageflags_read to read its C4 pfns without the patch
	// and with the knob subsection-dev-map-after-init (the bit is only set after the init), and not
	// with subsection-dev-map (the bit is set by sparse_add_section()).
	it('closes the init window only when the bit is set at sparse_add_section()', async () => {
		const t = collision('initializing');
		const c4 = async (patches: string[]) => (await tallies(t, '5.4', patches, ['kpageflags_read']))['kpageflags_read']!.C4;
		expect(await c4([])).toBe(16_384);
		expect(await c4(['subsection-dev-map-after-init'])).toBe(16_384);
		expect(await c4(['subsection-dev-map'])).toBe(0);
	});

	// A test that applies the patch at v5.2. Expect an input error: there is no mem_section_usage.
	it('applies from v5.3 only', () => {
		expect(() => buildModel({...collision('ready'), kernel: '5.2', patches: ['subsection-dev-map']})).toThrow(/applies to v5.3-v6.18 only/);
	});
});

describe('pgmap-after-init', () => {
	// A test that stops a devdax device in memremap_pages() before memmap_init_zone_device() and
	// injects memory failures everywhere at v6.12, then the same with the device colliding with boot
	// RAM in an online section.
	//
	//   | boot 4G | hotplug 5G C1 | fsdax 6G C5 | metadata | C2 | devdax 8G C4 (initializing) | devdax 10G teardown | boot 12G |
	//
	// Expect memory_failure's C4 touches (pfn_valid() && get_dev_pagemap()) gone and its C1, C2, C5,
	// metadata and teardown counts unchanged. In the collision, expect kpageflags_read to read no C4
	// with pgmap-after-init (the slow path asks the xarray) but 16384 with the knob
	// pgmap-after-init-get-dev-pagemap (get_dev_pagemap() fails, the slow path returns the page).
	it('makes get_dev_pagemap() fail until memmap_init_zone_device() finished', async () => {
		const t = everyCategory();
		const base = (await tallies(t, '6.12', [], ['memory_failure']))['memory_failure']!;
		const patched = (await tallies(t, '6.12', ['pgmap-after-init'], ['memory_failure']))['memory_failure']!;
		expect(base.C4).toBeGreaterThan(0);
		expect(patched.C4).toBe(0);
		expect({...patched, C4: 0}).toEqual({...base, C4: 0});

		const c = collision('initializing');
		const c4 = async (patches: string[]) => (await tallies(c, '6.12', patches, ['kpageflags_read']))['kpageflags_read']!.C4;
		expect(await c4([])).toBe(0);
		expect(await c4(['pgmap-after-init'])).toBe(0);
		expect(await c4(['pgmap-after-init-get-dev-pagemap'])).toBe(16_384);
	});
});

describe('the proposals as named patches', () => {
	// A test that lists the patches. Expect every proposal to be a what-if patch whose source names
	// at least one mail with its date, and every variant to name an existing base proposal.
	it('cites a mail for each and names the base of each knob', () => {
		for (const proposal of PROPOSALS) {
			const patch = PATCHES.find(p => p.name === proposal.name);
			expect(patch?.kind).toBe('what-if');
			expect(proposal.mails.length).toBeGreaterThan(0);
			expect(patch!.source).toMatch(/20(19|21)/);
			if (proposal.variant_of) {
				expect(PROPOSALS.some(p => p.name === proposal.variant_of && !p.variant_of)).toBe(true);
			}
		}
	});
});

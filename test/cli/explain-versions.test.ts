/**
`pfnaudit explain <topology> <pfn> --kernel X --format json` on shipped topologies, at the versions
on both sides of each change of a predicate or memmap fact: section collisions, holes, NOMAP,
partial sections, altmaps, the SECTION_NID_SHIFT artefact, the early flag and the
__nr_to_section() root bound. Real topology parser and model; the answers are what the kernel
of that version would say.
*/
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';

type Explained = {
	pfn: string;
	kernel: string;
	section: {present: boolean; valid: boolean; online: boolean; early: boolean; taint_zone_device: boolean; taint_from_nid: boolean};
	mem_section_root: {in_bounds: boolean};
	subsection_valid: boolean;
	memmap: {state: string; zone?: string; nid?: number; pgmap?: string | null; reserved?: boolean; writer: string};
	category: string;
	uninitialized: boolean;
	predicates: Record<string, boolean>;
	forms: {pfn_valid: string; pfn_to_online_page: string};
	oob: {pfn_valid: boolean; pfn_to_online_page: boolean};
};

function io(): Io & {out: () => string; err: () => string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	return {stdout, stderr, stdin: new PassThrough(), env: {}, cwd: TOPOLOGIES_DIR, out: () => out, err: () => err};
}

async function explain(topology: string, pfn: string, kernel: string, patches: string[] = []): Promise<Explained> {
	const t = io();
	const argv = ['explain', path.join(TOPOLOGIES_DIR, `${topology}.yaml`), pfn, '--kernel', kernel, '--format', 'json', ...patches.flatMap(p => ['--patch', p])];
	const code = await main(argv, t);
	expect(t.err()).toBe('');
	expect(code).toBe(0);
	return JSON.parse(t.out()) as Explained;
}

async function rejected(topology: string, pfn: string, kernel: string): Promise<string> {
	const t = io();
	const code = await main(['explain', path.join(TOPOLOGIES_DIR, `${topology}.yaml`), pfn, '--kernel', kernel, '--format', 'json'], t);
	expect(code).toBe(2);
	expect(t.out()).toBe('');
	expect(t.err().trim().split('\n')).toHaveLength(1);
	return t.err();
}

describe('explain across a section collision (1f90a3477df3, v5.12)', () => {
	// A test that explains the first pmem pfn of early section 0x60 of pmem-section-collision.
	//
	//   | legacy pmem (fsdax)              | pmem 0x300000-0x304000 | boot RAM       |
	//   0x200000                      0x300000                  0x304000      0x308000
	//                                 |<-------- section 0x60 (early, online) ------>|
	//
	// Expect at v5.2 the layout rejected (devm_memremap_pages() refused a section mixed with
	// System RAM); at v5.11 pfn_to_online_page() returning the ZONE_DEVICE page (macro: online
	// section only, no taint bit yet); at v5.12 SECTION_TAINT_ZONE_DEVICE set and
	// pfn_to_online_page() NULL through get_dev_pagemap(). pfn_valid() and C2 on both sides.
	it('pfn_to_online_page() returns the colliding pmem page at v5.11 and NULL at v5.12', async () => {
		expect(await rejected('pmem-section-collision', '0x300000', '5.2')).toMatch(/section|System RAM/);
		const before = await explain('pmem-section-collision', '0x300000', '5.11');
		const after = await explain('pmem-section-collision', '0x300000', '5.12');
		for (const e of [before, after]) {
			expect(e).toMatchObject({category: 'C2', section: {early: true, online: true}, memmap: {state: 'init', zone: 'Device'}});
			expect(e.predicates).toMatchObject({pfn_valid: true, get_dev_pagemap: true, early_section: true, online_section: true});
		}

		expect(before.predicates.pfn_to_online_page).toBe(true);
		expect(before.section.taint_zone_device).toBe(false);
		expect(before.forms.pfn_to_online_page).toBe('online_section() (macro form)');
		expect(after.predicates.pfn_to_online_page).toBe(false);
		expect(after.section.taint_zone_device).toBe(true);
		expect(after.predicates.online_device_section).toBe(true);
		expect(after.forms.pfn_to_online_page).toBe('slow path: get_dev_pagemap() found a pgmap');
	});

	// The same in pmem-legacy-kaslr-split: namespace0.0 ends in section 0x2a, whose top 34 MiB
	// are boot RAM (the kernel image).
	//
	//   | namespace0.0 (fsdax, raw)      | boot RAM 0x155e00-0x15982c | hole |
	//   0x150000                     0x155e00                                 0x158000
	//   |<---------------- section 0x2a --------------->|
	//
	// Expect pfn 0x150000 online through pfn_to_online_page() at v5.3 and v5.11, not at v5.12.
	it.each([
		['5.3', true],
		['5.11', true],
		['5.12', false],
	] as const)('pmem-legacy-kaslr-split pfn 0x150000 at v%s: pfn_to_online_page() %s', async (kernel, page) => {
		const e = await explain('pmem-legacy-kaslr-split', '0x150000', kernel);
		expect(e.category).toBe('C2');
		expect(e.predicates.pfn_to_online_page).toBe(page);
		expect(e.section.taint_zone_device).toBe(!page);
	});
});

describe('explain across the hole initializers (v5.6 4b094b7851bf/e822969cab48, v5.12 0740a50b9baa)', () => {
	// A test that explains a pfn of the tail of section 0x2b in x86-qemu-holes, above max_pfn.
	//
	//   | RAM above 4 GiB              | tail of section 0x2b (hole) |
	//   0x100000                   0x15ac00 = max_pfn  0x15ae00   0x160000
	//
	// Expect at v5.5 an uninitialized memmap (raw, poisoned with DEBUG_VM: zero_resv_unavail()
	// stops at max_pfn); at v5.6 PageReserved in zone 0 / node 0 (init_unavailable_mem() up to the
	// section end); at v5.12 PageReserved in the last node's highest zone (init_unavailable_range()),
	// and pfn_to_online_page() NULL for the fully empty subsection (9f9b02e5b346), which v5.11
	// still returned. pfn_valid() true and category hole throughout.
	it('uninitialized at v5.5, zone 0 reserved at v5.6, the neighbour zone and no online page at v5.12', async () => {
		const v55 = await explain('x86-qemu-holes', '0x15ae00', '5.5');
		const v56 = await explain('x86-qemu-holes', '0x15ae00', '5.6');
		const v511 = await explain('x86-qemu-holes', '0x15ae00', '5.11');
		const v512 = await explain('x86-qemu-holes', '0x15ae00', '5.12');
		for (const e of [v55, v56, v511, v512]) {
			expect(e.category).toBe('hole');
			expect(e.predicates.pfn_valid).toBe(true);
		}

		expect(v55.uninitialized).toBe(true);
		expect(['poison', 'garbage']).toContain(v55.memmap.state);
		expect(v56).toMatchObject({uninitialized: false, memmap: {state: 'init', zone: 'DMA', nid: 0, reserved: true}});
		expect(v56.memmap.writer).toContain('init_unavailable_mem()');
		expect(v511.predicates.pfn_to_online_page).toBe(true);
		expect(v512).toMatchObject({uninitialized: false, memmap: {state: 'init', zone: 'Normal', nid: 0, reserved: true}, subsection_valid: false});
		expect(v512.memmap.writer).toContain('init_unavailable_range()');
		expect(v512.predicates.pfn_to_online_page).toBe(false);
	});

	// A test of the first pfn of the early section of boot RAM at v5.2 and v5.3.
	//
	//   | hole | RAM | hole | RAM ...
	//   0x0    0x1   0x9f   0x100
	//
	// Expect SECTION_IS_EARLY (326e1b8f83a4) only from v5.3: early_section() false at v5.2.
	it('SECTION_IS_EARLY exists from v5.3', async () => {
		expect((await explain('x86-qemu-holes', '0x100', '5.2')).section.early).toBe(false);
		expect((await explain('x86-qemu-holes', '0x100', '5.3')).section.early).toBe(true);
	});
});

describe('explain across the arm64 NOMAP changes (b13bc35193d9 v5.0, a7d9f306ba70/9092d4f7a1f8 v5.14, 3de360c3fdb3 v5.16)', () => {
	// A test that explains pfn 0x0 of arm64-nomap, the start of a 64 MiB NOMAP region in early
	// section 0.
	//
	//   | NOMAP | hole | NOMAP | hole | NOMAP | hole | NOMAP | hole | RAM ...
	//   0x0   0x4000 0x7e00  0x7f00 0x8000 0xc000 0xc200 0x10000 0x11000
	//
	// Expect at v4.20 pfn_to_online_page() returning it (macro: online section) with a raw memmap,
	// at v5.0 NULL (pfn_valid_within() is arm64's pfn_valid()); at v5.13 !pfn_valid (arm64
	// memblock_is_map_memory()) with a memmap initialized by memmap_init() but not reserved; at
	// v5.14 pfn_valid (memblock_is_memory()) and PageReserved; at v5.16 the generic pfn_valid().
	it('NOMAP pfn_valid(), pfn_to_online_page() and memmap by version', async () => {
		const v420 = await explain('arm64-nomap', '0x0', '4.20');
		expect(v420).toMatchObject({category: 'nomap', uninitialized: true, predicates: {pfn_valid: false, pfn_to_online_page: true}});
		const v50 = await explain('arm64-nomap', '0x0', '5.0');
		expect(v50.predicates.pfn_to_online_page).toBe(false);
		expect(v50.forms.pfn_to_online_page).toBe('!pfn_valid_within()');
		const v513 = await explain('arm64-nomap', '0x0', '5.13');
		expect(v513).toMatchObject({uninitialized: false, predicates: {pfn_valid: false, memblock_is_memory: true, memblock_is_map_memory: false}});
		expect(v513.memmap.reserved).toBe(false);
		expect(v513.forms.pfn_valid).toBe('arch/arm64/mm/init.c:pfn_valid()');
		const v514 = await explain('arm64-nomap', '0x0', '5.14');
		expect(v514).toMatchObject({category: 'nomap', predicates: {pfn_valid: true}, memmap: {state: 'init', reserved: true}});
		expect(v514.forms.pfn_valid).toBe('arch/arm64/mm/init.c:pfn_valid()');
		const v516 = await explain('arm64-nomap', '0x0', '5.16');
		expect(v516.predicates.pfn_valid).toBe(true);
		expect(v516.forms.pfn_valid).toBe('include/linux/mmzone.h:pfn_valid()');
	});
});

describe('explain a partial device section (subsection hotplug, v5.3)', () => {
	// A test that explains pfn 0x238000, the first pfn of section 0x47 in pmem-partial-sections,
	// whose only device subsection is its last 2 MiB.
	//
	//   | no memmap (C3)                              | devdax (altmap) ...
	//   0x238000                                   0x23fe00                   0x240000
	//   |<------------------- section 0x47 (not early) --------------------->|
	//
	// Expect at v5.2 the layout rejected (a device range had to be section aligned); at v5.3 and
	// v6.12 a present, valid, non-early section whose subsection bit is clear: pfn_valid() false,
	// no memmap (unbacked content), category C3.
	it('is rejected before v5.3 and C3 without a memmap from v5.3', async () => {
		expect(await rejected('pmem-partial-sections', '0x238000', '5.2')).toMatch(/section/);
		for (const kernel of ['5.3', '6.12']) {
			const e = await explain('pmem-partial-sections', '0x238000', kernel);
			expect(e).toMatchObject({
				category: 'C3',
				section: {present: true, valid: true, early: false, online: false},
				subsection_valid: false,
				memmap: {state: 'unbacked'},
				predicates: {pfn_valid: false, pfn_to_online_page: false, get_dev_pagemap: false},
			});
		}

		expect((await explain('pmem-partial-sections', '0x23fe00', '6.12')).predicates.pfn_valid).toBe(true);
	});
});

describe('explain an altmap (pgmap_pfn_valid(), 34dc45be4563 v5.12)', () => {
	// A test that explains the altmap of namespace1.0 (devdax, map=dev) in pmem-fsdax-devdax.
	//
	//   | reserve (C5) | memmap storage (metadata)        | data (C2) ...
	//   0x23fe00   0x23fe02                          0x243e00
	//
	// Expect get_dev_pagemap() for all three at v5.11 and v5.12; pgmap_pfn_valid() (v5.12) false
	// for the reserve and the memmap storage and true for data; the reserve never initialized, the
	// storage initialized without page->pgmap.
	it.each(['5.11', '5.12'])('tells reserve, storage and data apart at v%s', async kernel => {
		const reserve = await explain('pmem-fsdax-devdax', '0x23fe00', kernel);
		const storage = await explain('pmem-fsdax-devdax', '0x23fe02', kernel);
		const data = await explain('pmem-fsdax-devdax', '0x243e00', kernel);
		expect(reserve).toMatchObject({category: 'C5', uninitialized: true, predicates: {pfn_valid: true, get_dev_pagemap: true, pgmap_pfn_valid: false}});
		expect(storage).toMatchObject({category: 'metadata', uninitialized: false, memmap: {state: 'init', zone: 'Device', pgmap: null}});
		expect(storage.predicates).toMatchObject({get_dev_pagemap: true, pgmap_pfn_valid: false});
		expect(data).toMatchObject({category: 'C2', predicates: {get_dev_pagemap: true, pgmap_pfn_valid: kernel === '5.12'}});
	});
});

describe('explain the SECTION_NID_SHIFT artefact (v5.12-v5.14, 01c8d337d195 v5.15)', () => {
	// A test that explains the first pfn of node 2 in x86-8node-srat-movable.
	//
	//   | node 1 ...        |  (absent)  | node 2 boot RAM (nid 2: nid & 2 sets bit 4) |
	//   0x10000000                       0x80000000                              0x81000000
	//
	// Expect SECTION_TAINT_ZONE_DEVICE read from the early nid at v5.12 and v5.14 (bit 4 = nid & 2
	// while SECTION_NID_SHIFT was 3), not at v5.11 (no taint bit) nor v5.15 (SECTION_NID_SHIFT 6);
	// pfn_to_online_page() returns the page on all sides (slow path, no pgmap: performance only).
	it.each([
		['5.11', false],
		['5.12', true],
		['5.14', true],
		['5.15', false],
	] as const)('v%s: taint from nid %s', async (kernel, taint) => {
		const e = await explain('x86-8node-srat-movable', '0x80000000', kernel);
		expect(e.section.taint_zone_device).toBe(taint);
		expect(e.section.taint_from_nid).toBe(taint);
		expect(e).toMatchObject({category: 'ok', predicates: {pfn_valid: true, pfn_to_online_page: true}});
	});
});

describe('explain past NR_MEM_SECTIONS with arm64-pfn-valid-v2 (a431dbbc5405, v5.18)', () => {
	// A test that explains pfn 1 << 36 of the showcase (arm64 4K, 48 bits: section 1 << 21 =
	// NR_MEM_SECTIONS, root 8192 = NR_SECTION_ROOTS).
	//
	//   | ... physical address space (2^48) |  pfn 0x1000000000: section 0x200000, root 8192 |
	//
	// Expect at v5.17 an out-of-bounds mem_section read inside pfn_valid() (oob); at v5.18 the
	// root bound makes __nr_to_section() NULL: no oob, no memmap (unbacked).
	it('oob at v5.17, unbacked at v5.18', async () => {
		const v517 = await explain('showcase', '0x1000000000', '5.17');
		expect(v517).toMatchObject({category: 'oob', oob: {pfn_valid: true}, predicates: {pfn_valid: false}, mem_section_root: {in_bounds: false}});
		const v518 = await explain('showcase', '0x1000000000', '5.18');
		expect(v518).toMatchObject({category: 'unbacked', oob: {pfn_valid: false}, predicates: {pfn_valid: false}});
	});
});

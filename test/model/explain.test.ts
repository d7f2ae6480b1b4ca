import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {explainPfn} from '../../source/model/explain.js';
import {renderExplainText} from '../../source/model/explain-text.js';
import {buildAt} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// The collision layout: fsdax with an altmap (reserve 2 pages) sharing section 31 with boot RAM.
//
//   | boot RAM            | reserve | free (memmap) | data                |
//   0xf8000          0xfc000   0xfc002         0xfc102               0x100000
const collision = topology({kernel: '5.11', name: 'collision'})
	.boot(0, 4 * GiB - 64 * MiB)
	.device('fsdax', 4 * GiB - 64 * MiB, 64 * MiB, {altmap: {reserve: 2, free: 0x100}})
	.build();

function checkText(text: string): void {
	for (const line of text.trimEnd().split('\n')) {
		expect(line.length).toBeLessThanOrEqual(80);
		expect(line).toMatch(/^[\u0020-\u007E]*$/);
	}
}

describe('explainPfn() JSON', () => {
	// Expect SPEC §7's keys for the altmap reserve pfn 0xfc000: section flags, subsection bit,
	// memmap state, category C5 and the predicate answers; at v5.11 a page from
	// pfn_to_online_page(), at v5.12 NULL and the taint.
	it('explains an altmap reserve pfn of a collision on both sides of v5.12', () => {
		const old = explainPfn(buildAt(collision, '5.11'), 0xf_c000);
		expect(old).toMatchObject({
			pfn: '0xfc000',
			address: '0xfc000000',
			section_nr: 31,
			section: {present: true, valid: true, online: true, early: true, taint_zone_device: false},
			subsection_valid: true,
			subsection_index: 32,
			memmap: {state: 'poison', zone: null, pgmap: null},
			category: 'C5',
			uninitialized: true,
			predicates: {
				pfn_valid: true,
				pfn_to_online_page: true,
				get_dev_pagemap: true,
				pgmap_pfn_valid: false,
				online_section: true,
				early_section: true,
			},
			pgmap: {label: 'fsdax@0xfc000000', altmap_part: 'reserve', pfn_first: '0xfc102', ref: 'live'},
			kernel: '5.11',
			phase: 'final',
		});
		expect(old.reason).toContain('altmap reserve of fsdax@0xfc000000');

		const now = explainPfn(buildAt(collision, '5.12'), 0xf_c000);
		expect(now.section.taint_zone_device).toBe(true);
		expect(now.predicates.pfn_to_online_page).toBe(false);
		expect(now.forms?.pfn_to_online_page).toBe('slow path: get_dev_pagemap() found a pgmap');
	});

	// Expect a data pfn to report the pgmap it was initialized with.
	it('names the pgmap of an initialized ZONE_DEVICE page', () => {
		const result = explainPfn(buildModel(collision), 0xf_d000);
		expect(result.memmap).toMatchObject({state: 'init', zone: 'Device', nid: 0, pgmap: 'fsdax@0xfc000000', reserved: true});
		expect(result.category).toBe('C2');
	});

	// The last-section tail of 1 GiB + 4 MiB of boot RAM, at v5.5 and v5.6.
	//
	//   | boot RAM         | tail hole     |
	//   0x40000     0x40400           0x48000
	it('explains a hole on both sides of v5.6', () => {
		const t = topology({kernel: '5.5'}).boot(0, GiB + 4 * MiB).build();
		const old = explainPfn(buildAt(t, '5.5'), 0x4_0400);
		expect(old).toMatchObject({category: 'hole', uninitialized: true, memmap: {state: 'poison'}, subsection_valid: false});
		const now = explainPfn(buildAt(t, '5.6'), 0x4_0400);
		expect(now).toMatchObject({category: 'hole', uninitialized: false, memmap: {state: 'init', zone: 'DMA', nid: 0, reserved: true}});
		expect(now.memmap.writer).toContain('init_unavailable_mem()');
	});

	it('notes what does not exist at old versions and past NR_MEM_SECTIONS', () => {
		const t = topology({kernel: '5.2'}).boot(0, GiB).build();
		const result = explainPfn(buildModel(t), 0x4_0000_0000);
		expect(result.subsection_index).toBe(null);
		expect(result.section_nr_in_range).toBe(false);
		expect(result.notes.join(' ')).toContain('no subsection map before v5.3');
		expect(result.notes.join(' ')).toContain('NR_MEM_SECTIONS');
		expect(result.category).toBe('unbacked');
	});
});

describe('renderExplainText()', () => {
	it('prints a kmem -p style block within 80 ASCII columns', () => {
		const text = renderExplainText(explainPfn(buildAt(collision, '5.12'), 0xf_c000));
		checkText(text);
		const lines = text.split('\n');
		expect(lines[0]).toBe('collision (x86_64, v5.12, phase final)');
		expect(lines[1]).toContain('PFN');
		expect(lines[2]).toMatch(/^\s*0xfc000\s+0xfc000000\s+0x1f\s+0x0\s+32\s+C5$/);
		expect(text).toMatch(/\n  section\s+PRESENT HAS_MEM_MAP ONLINE EARLY TAINT_ZONE_DEVICE\n/);
		expect(text).toMatch(/\n  subsection\s+bit 32 = 1\n  memblock\s+none\n/);
		expect(text).toMatch(/pfn_to_online_page\(\)\s+NULL\s+slow path/);
		expect(text).toMatch(/pgmap_pfn_valid\(\)\s+0/);
		expect(text).toContain('altmap reserve');
	});

	// A test of issue 12 item 8: the largest arm64 pfn (0xffffffffffff, section 0x1ffffffff, root
	// 0x1ffffff) printed SECTION and ROOT as one number. Expect every column separated by at least
	// two spaces, each value under its header, and section numbers in hex like everywhere else.
	it('keeps the columns apart for the largest pfns, in hex', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.15', name: 'wide'}).boot(2 * GiB, 2 * GiB).build();
		const text = renderExplainText(explainPfn(buildModel(t), 0xffff_ffff_ffff));
		checkText(text);
		const [head, row] = text.split('\n').slice(1, 3) as [string, string];
		expect(row.trim().split(/ {2,}/)).toEqual(['0xffffffffffff', '-', '0x1ffffffff', '0x1ffffff', '63', 'unbacked']);
		for (const name of ['PFN', 'PHYSICAL', 'SECTION', 'ROOT', 'SUBSEC']) {
			const end = head.indexOf(name) + name.length;
			expect(row[end - 1], name).not.toBe(' ');
			expect(row[end], name).toBe(' ');
		}
	});

	it('wraps long reasons and marks out-of-bounds reads', () => {
		const t = topology({arch: 'arm64-4k', kernel: '5.17', patches: ['arm64-pfn-valid-v2'], name: 'tx2'}).boot(2 * GiB, 2 * GiB).build();
		const text = renderExplainText(explainPfn(buildModel(t), 2 ** 36));
		checkText(text);
		expect(text).toContain('+arm64-pfn-valid-v2');
		expect(text).toMatch(/pfn_valid\(\)\s+0 OOB/);
		expect(text).toContain('oob');
		expect(text).toContain('root 0x2000 >= NR_SECTION_ROOTS 0x2000');
	});
});

describe('predicates the selected kernel does not have', () => {
	// A test of the collision layout's reserve pfn 0xfc000 at v4.19, v5.11, v5.11 with
	// backport-34dc45be4563 and v6.12.
	//
	//   | boot RAM            | reserve | free (memmap) | data                |
	//   0xf8000          0xfc000   0xfc002         0xfc102               0x100000
	//
	// Expect early_section() and pfn_section_valid() flagged before v5.3, online_device_section()
	// and pgmap_pfn_valid() before v5.12 (pgmap_pfn_valid() not with the backport, under which it
	// exists and answers 0 for the reserve pfn, below pfn_first), pfn_valid_within() from v5.15;
	// the text says so next to the answer.
	it('says which listed helpers are not in the tree, and what is answered instead', () => {
		const v4_19 = explainPfn(buildAt(collision, '4.19'), 0xf_c000);
		expect(Object.keys(v4_19.absent).sort()).toEqual(['early_section', 'online_device_section', 'pfn_section_valid', 'pgmap_pfn_valid']);
		expect(v4_19.absent.early_section).toBe('not in v4.19: SECTION_IS_EARLY came in v5.3 (326e1b8f83a4); answered 0');

		const v5_11 = explainPfn(buildAt(collision, '5.11'), 0xf_c000);
		expect(Object.keys(v5_11.absent).sort()).toEqual(['online_device_section', 'pgmap_pfn_valid']);
		const backported = explainPfn(buildAt({...collision, patches: ['backport-34dc45be4563']}, '5.11'), 0xf_c000);
		expect(Object.keys(backported.absent)).toEqual(['online_device_section']);
		expect(backported.predicates.pgmap_pfn_valid).toBe(false);

		const v6_12 = explainPfn(buildAt(collision, '6.12'), 0xf_c000);
		expect(Object.keys(v6_12.absent)).toEqual(['pfn_valid_within']);
		const text = renderExplainText(v6_12);
		checkText(text);
		expect(text).toMatch(/pfn_valid_within\(\) +1 \(not in v6\.12: removed in v5\.15 \(859a85ddf90e\);/);
		expect(renderExplainText(v5_11)).toMatch(/pgmap_pfn_valid\(\) +0 \(not in v5\.11: came in v5\.12/);
		expect(text).not.toMatch(/pgmap_pfn_valid\(\) +0 \(/);
	});
});

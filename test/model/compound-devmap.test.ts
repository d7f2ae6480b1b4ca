/**
Compound ZONE_DEVICE pages: a device entry's `align:` (source/model/compound-devmap.ts).
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {at} from '../helpers/model-probe.js';
import {GiB, MiB, topology} from '../helpers/topology.js';
import {at as where, boot, expectRejected, parse, yaml} from '../topology/helpers.js';

// x86_64 at v6.12, boot RAM 0-4 GiB, a 1 GiB devdax range at 8 GiB (pfns 0x200000-0x240000)
// created with --align 2M: compound pages of 512 pfns (vmemmap_shift 9).
//
//   | boot RAM |  ...  | devdax: 512 compound pages of 2 MiB                  |
//   0x0   0x100000     0x200000                                            0x240000
const layout = (kernel = '6.12', extra: {altmap?: {reserve: number; free: 'auto'}; state?: 'ready' | 'initializing'} = {}, arch: 'x86_64' | 'arm64-4k' = 'x86_64') =>
	topology({arch, kernel}).boot(arch === 'x86_64' ? 0 : GiB, 3 * GiB).device('devdax', 8 * GiB, GiB, {align: 2 * MiB, ...extra}).build();

describe('compound ZONE_DEVICE pages (vmemmap_shift)', () => {
	// Expect after memmap_init_zone_device() every data pfn C2 with a memmap of compound order 9;
	// without an altmap on x86_64 only 128 struct pages per compound page are written (two vmemmap
	// pages), the other tails alias the second one; with an altmap all 512.
	it('initializes head and tails, with vmemmap deduplication only without an altmap', () => {
		const model = buildModel(layout());
		expect(model.pgmaps[0]!.vmemmap_shift).toBe(9);
		const data = at(model, 0x20_0000);
		expect(data.category).toBe('C2');
		expect(data.memmap.compound).toEqual({order: 9, unique: 128});
		expect(data.memmap.writer).toContain('memmap_init_compound()');
		expect(at(model, 0x23_ffff).memmap.compound).toEqual({order: 9, unique: 128});

		const withAltmap = buildModel(layout('6.12', {altmap: {reserve: 2, free: 'auto'}}));
		const first = withAltmap.pgmaps[0]!.pfn_first!;
		expect(at(withAltmap, first).memmap.compound).toEqual({order: 9, unique: 512});
	});

	// Expect at P6 (memmap_init_zone_device() half way) the cursor on a compound boundary: a
	// 1 GiB + 6 MiB range (0x200000-0x240600) is half done at 0x220300 in order-0 pages, at
	// 0x220200 in compound pages of 512 pfns; the pfns past it C4.
	it('initializes whole compound pages in the memmap_init_zone_device() window', () => {
		const t = topology().boot(0, 4 * GiB).device('devdax', 8 * GiB, GiB + 6 * MiB, {align: 2 * MiB}).build();
		const model = buildModel(t, {phase: 'memory[1]:P6'});
		const cursor = model.pgmaps[0]!.init_cursor;
		expect(cursor).toBe(0x22_0200);
		expect(at(model, cursor - 1).category).toBe('C2');
		expect(at(model, cursor).category).toBe('C4');
	});

	// Expect arm64 to deduplicate at v6.1 (generic path) and not at v6.12 (no
	// ARCH_WANT_OPTIMIZE_DAX_VMEMMAP from v6.6).
	it('deduplicates on arm64 at v6.1, not at v6.12', () => {
		expect(at(buildModel(layout('6.1', {}, 'arm64-4k')), 0x20_0000).memmap.compound).toEqual({order: 9, unique: 128});
		expect(at(buildModel(layout('6.12', {}, 'arm64-4k')), 0x20_0000).memmap.compound).toEqual({order: 9, unique: 512});
	});

	// A test that builds a 1 GiB devdax at 0x20_0000 with align 2M and no altmap (x86_64) at v5.18
	// and v5.19:
	//
	//   0x200000 | head | 511 tails | head | 511 tails | ...                        0x240000
	//   v5.18:     every tail written (memmap_init_compound(), no compound_nr_pages())
	//   v5.19:     head + 127 tails written, the rest alias the second vmemmap page
	//
	// Expect unique 512 at v5.18 and 128 at v5.19 (6fd3620b3428 / 4917f55b4ef9, posted after the
	// v5.18 merge window).
	it('deduplicates the compound vmemmap from v5.19, not at v5.17/v5.18', () => {
		expect(at(buildModel(layout('5.18', {})), 0x20_0000).memmap.compound).toEqual({order: 9, unique: 512});
		expect(at(buildModel(layout('5.19', {})), 0x20_0000).memmap.compound).toEqual({order: 9, unique: 128});
	});

	it('leaves devices without align order-0', () => {
		const model = buildModel(topology().boot(0, 4 * GiB).device('devdax', 8 * GiB, GiB).build());
		expect(at(model, 0x20_0000).memmap.compound).toBeUndefined();
		expect(model.pgmaps[0]!.vmemmap_shift).toBeUndefined();
	});
});

describe('align in a topology file', () => {
	const entry = (type: string, align: string) => ['  - kind: device', `    type: ${type}`, '    start: 8G', '    size: 1G', `    align: ${align}`];
	const text = (kernel: string, type = 'devdax', align = '2M') => yaml({kernel, entries: [...boot('0', '4G'), ...entry(type, align)]});

	it('is read for device-dax from v5.17', () => {
		expect(parse(text('5.17')).memory[1]).toMatchObject({kind: 'device', align: 2 * MiB});
		expect(parse(text('5.16', 'devdax', '4K')).memory[1]).not.toHaveProperty('align');
	});

	// Expect v5.16 to be refused at the key: vmemmap_shift came with c4386bd8ee3a (v5.17).
	it('is refused before v5.17 for compound alignments', () => {
		const t = text('5.16');
		expectRejected(t, where(t, 'align'), ['c4386bd8ee3a', 'v5.17']);
	});

	it('is refused for fsdax and for alignments device-dax does not take', () => {
		const fsdax = text('6.12', 'fsdax');
		expectRejected(fsdax, where(fsdax, 'align'), ['only device-dax sets pgmap->vmemmap_shift']);
		const odd = text('6.12', 'devdax', '64K');
		expectRejected(odd, where(odd, 'align'), ['dax_align_valid()']);
	});
});

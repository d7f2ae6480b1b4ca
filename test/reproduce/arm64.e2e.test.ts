/**
`pfnaudit reproduce --run` on arm64 (issue 16): topologies/qemu-arm64-nomap.yaml booted on Debian's
6.12 and 6.1 arm64 kernels (4K pages) and topologies/qemu-arm64-16k-nomap.yaml on 6.12 arm64-16k,
under qemu-system-aarch64 -machine virt -cpu max (TCG, -smp 1, all three at once), captured once
each, imported and compared with the model pfn by pfn. The 4K pfn map (hex pfns; 128 MiB sections =
0x8000 pfns; all of RAM is ZONE_DMA on virt):

  0x40000   0x50000-0x50200  0x5c001-0x5c004  0x67ff0|0x68000|0x68010  0x70005  0xbcf00-0xbd000
  | RAM ... | nomap 2 MiB    | nomap 3 pages  | nomap across sections  | 1 page | nomap top of RAM |

and with 16K pages (sections = 0x2000 pfns):

  0x10000   0x14000-0x14080  0x17001-0x17004  0x19ffc|0x1a000|0x1a004  0x1c001  0x2f3c0-0x2f400 | 0x30000-0x34000

the 16K guest with 256 MiB hot-added by virtio-mem at 0xc000_0000 (pfns 0x30000-0x34000, memory24-25),
auto-onlined to ZONE_NORMAL (topologies/qemu-arm64-virtio-mem.yaml's entry), captured once the blocks
are online (a few seconds more than the boot alone).

And topologies/qemu-arm64-uefi-nvdimm.yaml on 6.12 under UEFI with ACPI (Debian's AAVMF firmware):
two ACPI NFIT nvdimms made devdax (map=dev) and fsdax (map=mem) through sysfs; the firmware's own
NOMAP memory read back from debugfs memblock/memory:

  0x4000-0x8000 | hole | 0x40000 RAM (ACPI NVS, runtime services NOMAP inside) 0xbd000 | 0xc0000 devdax 0xe0000 | fsdax 0xf0000
  flash NOMAP

Needs qemu-system-aarch64 (qemu-system-arm), AAVMF (qemu-efi-aarch64), dtc (device-tree-compiler), aarch64-linux-gnu-gcc
(gcc-aarch64-linux-gnu, libc6-dev-arm64-cross), cpio, xz, depmod and apt lists with the arm64
architecture (linux-image-*-arm64, busybox-static:arm64) or their files in the cache; skipped
where they are missing, failing under PFNAUDIT_CI=1. 10-30 s per boot on one core.
*/
import {beforeAll, describe, expect, it} from 'vitest';
import {readCaptureDirectory} from '../../source/cli/capture-read.js';
import {compareReproduction} from '../../source/reproduce/compare.js';
import {bootGuest, removeBoot, type GuestBootResult} from '../../source/reproduce/guest/boot.js';
import {whichTool} from '../../source/reproduce/guest/tools.js';
import {buildRecipe} from '../../source/reproduce/recipe.js';
import {existsSync, readFileSync} from 'node:fs';
import {parseMemblock} from '../../source/import/memblock.js';
import {AAVMF_CODE} from '../../source/reproduce/recipe-arm64-uefi.js';
import {parseTopology} from '../../source/topology/load.js';
import type {ReproduceKernel} from '../../source/reproduce/types.js';

const TOOLS = ['qemu-system-aarch64', 'dtc', 'aarch64-linux-gnu-gcc', 'cpio', 'xz', 'depmod', 'apt-cache', 'dpkg-deb', 'tar'];
const missing = [...TOOLS.filter(tool => whichTool(tool) === undefined), ...(existsSync(AAVMF_CODE) ? [] : [AAVMF_CODE])];
const ci = process.env['PFNAUDIT_CI'] === '1';
if (ci && missing.length > 0) {
	throw new Error(`PFNAUDIT_CI is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (apt-get install qemu-system-arm qemu-efi-aarch64 device-tree-compiler gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio xz-utils kmod)`);
}

type Case = {
	readonly name: string;
	readonly topology: string;
	readonly kernel: ReproduceKernel;
	readonly release: RegExp;
	/** pfns of /proc/kpageflags (round_up(max_pfn, PAGES_PER_SECTION)), of 16 memory blocks, of the DMA zone. */
	readonly pfns: {readonly kpageflags: number; readonly blocks: number; readonly dma: number};
	/** The topology's NOMAP pfns, [start, end). */
	readonly nomap: ReadonlyArray<readonly [number, number]>;
	/** Appended to the topology: 256 MiB of virtio-mem at 0xc000_0000, online; then pfns of the Normal zone. */
	readonly virtioMem?: {readonly normal: number};
};

const VIRTIO_MEM = '  - kind: hotplug\n    start: 0xc000_0000\n    size: 256M\n    state: online\n';

const NOMAP_4K: ReadonlyArray<readonly [number, number]> = [[0x5_0000, 0x5_0200], [0x5_c001, 0x5_c004], [0x6_7ff0, 0x6_8010], [0x7_0005, 0x7_0006], [0xb_cf00, 0xb_d000]];
const CASES: readonly Case[] = [
	{name: '6.12 arm64-4k', topology: 'qemu-arm64-nomap.yaml', kernel: '6.12', release: /^6\.12\.\d+\+deb\d+-arm64$/, pfns: {kpageflags: 0xc_0000, blocks: 16 * 0x8000, dma: 512_000}, nomap: NOMAP_4K},
	{name: '6.1 arm64-4k', topology: 'qemu-arm64-nomap.yaml', kernel: '6.1', release: /^6\.1\.0-\d+-arm64$/, pfns: {kpageflags: 0xc_0000, blocks: 16 * 0x8000, dma: 512_000}, nomap: NOMAP_4K},
	{
		name: '6.12 arm64-16k',
		topology: 'qemu-arm64-16k-nomap.yaml',
		kernel: '6.12',
		release: /^6\.12\.\d+\+deb\d+-arm64-16k$/,
		pfns: {kpageflags: 0x3_4000, blocks: 18 * 0x2000, dma: 128_000},
		nomap: [[0x1_4000, 0x1_4080], [0x1_7001, 0x1_7004], [0x1_9ffc, 0x1_a004], [0x1_c001, 0x1_c002], [0x2_f3c0, 0x2_f400]],
		virtioMem: {normal: 0x4000},
	},
];

const UEFI = {name: '6.12 arm64-4k UEFI', topology: 'qemu-arm64-uefi-nvdimm.yaml', kernel: '6.12'} as const;
const uefiTopology = () => {
	const file = new URL(`../../topologies/${UEFI.topology}`, import.meta.url).pathname;
	return parseTopology(readFileSync(file, 'utf8'), file, {kernel: UEFI.kernel});
};

const topologyOf = (c: Case) => {
	const file = new URL(`../../topologies/${c.topology}`, import.meta.url).pathname;
	return parseTopology(`${readFileSync(file, 'utf8')}${c.virtioMem ? VIRTIO_MEM : ''}`, file, {kernel: c.kernel});
};
type Booted = {boot: GuestBootResult; captures: Array<{label: string; files: ReturnType<typeof readCaptureDirectory>['files']}>};
const booted = new Map<string, Booted>();

describe.skipIf(missing.length > 0)('reproduce --run on Debian\'s arm64 kernels under qemu-system-aarch64', () => {
	beforeAll(async () => {
		const settled = await Promise.allSettled(
			[...CASES.map(c => ({name: c.name, topology: topologyOf(c), kernel: c.kernel})), {name: UEFI.name, topology: uefiTopology(), kernel: UEFI.kernel}].map(async c => {
				const recipe = buildRecipe(c.topology, {kernel: c.kernel});
				const boot = await bootGuest({plan: recipe.plan, timeoutMs: 240_000});
				try {
					booted.set(c.name, {boot, captures: boot.captures.map(x => ({label: x.label, files: readCaptureDirectory(x.dir, x.label).files}))});
				} finally {
					removeBoot(boot);
				}
			}),
		);
		for (const outcome of settled) {
			if (outcome.status === 'rejected') {
				throw outcome.reason;
			}
		}
	}, 290_000);

	it('A test that boots two ACPI NFIT nvdimms under UEFI with ACPI on Debian\'s 6.12 arm64 kernel, one made devdax with its memmap in the namespace and one fsdax with its memmap in RAM, through sysfs. Expect every check to agree on every pfn, all of RAM in ZONE_DMA from the flash window up, the nvdimms imported as asked (no deviation there), and the deviations exactly the firmware\'s NOMAP regions of memblock/memory: the flash window [0x4000, 0x8000) where the topology has a hole, the rest inside RAM', () => {
		const {boot, captures} = booted.get(UEFI.name)!;
		expect(boot.release).toMatch(/^6\.12\.\d+\+deb\d+-arm64$/);
		expect(boot.qemuArgs).toEqual(expect.arrayContaining(['virt,acpi=on,nvdimm=on', `if=pflash,format=raw,readonly=on,file=${AAVMF_CODE}`]));
		expect(captures.map(x => x.label)).toEqual(['layout']);
		const result = compareReproduction(uefiTopology(), boot.version, captures);
		expect(result.disagreements).toEqual([]);
		const byName = new Map(result.checks.map(check => [check.name, check]));
		for (const check of result.checks) {
			expect(check.agree, check.name).toBe(check.pfns);
		}

		expect(byName.get('layout: pfn_to_online_page')?.pfns).toBe(0xf_0000);
		expect(byName.get('layout: max_pfn')?.pfns).toBe(0xf_0000);
		// 0x4000 (the flash window) to the end of RAM at 0xbd000.
		expect(byName.get('layout: zone_spans Node 0 DMA')?.pfns).toBe(0xb_d000 - 0x4000);
		const devices = result.comparisons[0]!.topology.memory.filter(e => e.kind === 'device');
		expect(devices.map(d => [d.type, d.start_pfn, d.end_pfn, d.altmap === undefined])).toEqual([['devdax', 0xc_0000, 0xe_0000, false], ['fsdax', 0xe_0000, 0xf_0000, true]]);
		const memblock = captures[0]!.files.find(f => f.name === 'sys/kernel/debug/memblock/memory');
		const nomap = parseMemblock(memblock!.text, 'memory').regions.filter(r => r.flags?.includes('NOMAP')).map(r => [r.start / 4096, r.end / 4096]);
		expect(nomap[0]).toEqual([0x4000, 0x8000]);
		expect(result.deviations).toEqual(nomap.map(([start, end]) => ({start_pfn: start, end_pfn: end, requested: start === 0x4000 ? 'hole' : 'boot RAM', realised: 'boot RAM, NOMAP'})));
		expect(nomap.slice(1).every(([start, end]) => start! >= 0x4_0000 && end! <= 0xb_d000)).toBe(true);
	});

	it('A test of the control on the UEFI guest: the same capture modelled at v5.13 (pfn_valid() ended in memblock_is_map_memory(); arch_add_memory() did not raise max_pfn before 8fac67ca236b, v5.16). Expect pfn_to_online_page to disagree on exactly the firmware\'s NOMAP pfns, max_pfn on exactly the nvdimms\' pfns, and nothing else', () => {
		const {boot, captures} = booted.get(UEFI.name)!;
		const result = compareReproduction(uefiTopology(), boot.version, captures, {kernel: '5.13'});
		const nomap = result.comparisons[0]!.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => ['layout: pfn_to_online_page', n.start_pfn, n.end_pfn, 'page', 'NULL (KPF_NOPAGE)']) : []));
		expect(nomap).toHaveLength(result.deviations.length);
		expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([...nomap, ['layout: max_pfn', 0xc_0000, 0xf_0000, 'in /proc/kpageflags', 'beyond its end 0xc0000']]);
	});

	for (const c of CASES) {
		it(`A test that boots the five no-map ranges on Debian's ${c.name} kernel and compares the capture with the model at the guest's version and the distribution's stable preset. Expect every check to agree on every pfn, all of RAM in ZONE_DMA${c.virtioMem ? ', the virtio-mem blocks online in ZONE_NORMAL' : ''}, and the no-map ranges realised as asked (no deviation)`, () => {
			const {boot, captures} = booted.get(c.name)!;
			expect(boot.release).toMatch(c.release);
			const result = compareReproduction(topologyOf(c), boot.version, captures);
			expect(result.disagreements).toEqual([]);
			expect(result.deviations).toEqual([]);
			const byName = new Map(result.checks.map(check => [check.name, check]));
			for (const check of result.checks) {
				expect(check.agree, check.name).toBe(check.pfns);
			}

			const label = c.virtioMem ? 'layout' : 'boot';
			expect(captures.map(x => x.label)).toEqual([label]);
			expect(byName.get(`${label}: pfn_to_online_page`)?.pfns).toBe(c.pfns.kpageflags);
			expect(byName.get(`${label}: max_pfn`)?.pfns).toBe(c.pfns.kpageflags);
			expect(byName.get(`${label}: memory_blocks`)?.pfns).toBe(c.pfns.blocks);
			expect(byName.get(`${label}: zone_spans Node 0 DMA`)?.pfns).toBe(c.pfns.dma);
			expect(byName.get(`${label}: zone_spans Node 0 Normal`)?.pfns).toBe(c.virtioMem?.normal);
			expect([...byName.keys()].filter(name => name.startsWith(`${label}: zone_spans`))).toEqual([`${label}: zone_spans Node 0 DMA`, ...(c.virtioMem ? [`${label}: zone_spans Node 0 Normal`] : [])]);
			const imported = result.comparisons[0]!.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => [n.start_pfn, n.end_pfn]) : []));
			expect(imported).toEqual(c.nomap);
		});

		it(`A test of the control on ${c.name}: the same capture modelled at v5.13, whose arm64 pfn_valid() still ended in memblock_is_map_memory() (a7d9f306ba70 and 9092d4f7a1f8 changed that in v5.14). Expect pfn_to_online_page to disagree on exactly the NOMAP pfns, kernel page, model NULL, and${c.virtioMem ? ' max_pfn on exactly the hot-added pfns (arm64 raises max_pfn on hot-add from 8fac67ca236b, v5.16), and' : ''} nothing else`, () => {
			const {boot, captures} = booted.get(c.name)!;
			const result = compareReproduction(topologyOf(c), boot.version, captures, {kernel: '5.13'});
			const nomap = c.nomap.map(([start, end]) => [`${c.virtioMem ? 'layout' : 'boot'}: pfn_to_online_page`, start, end, 'page', 'NULL (KPF_NOPAGE)']);
			// With virtio-mem: v5.13's arm64 arch_add_memory() does not raise max_pfn (8fac67ca236b "arm64: mm: update max_pfn after memory hotplug", v5.16), so the hot-added pfns lie beyond the model's max_pfn.
			const hotAdded = c.virtioMem ? [['layout: max_pfn', 0x3_0000, 0x3_4000, 'in /proc/kpageflags', 'beyond its end 0x30000']] : [];
			expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([...nomap, ...hotAdded]);
		});
	}
});

/**
`pfnaudit reproduce --run` on arm64 (issue 16): Debian's 6.12 and 6.1 arm64 kernels (4K pages) and
6.12 arm64-16k under qemu-system-aarch64 -machine virt -cpu max (TCG, -smp 1, all three at once),
captured once each, imported and compared with the model pfn by pfn, with the probe module
(pfnaudit_probe.ko, cross-built with aarch64-linux-gnu-gcc-12 against each release's arm64
linux-headers and the amd64 linux-kbuild: source/reproduce/probe/build.ts) loaded in every guest,
so the zone of each initialized page is checked too.

The 4K guests boot topologies/qemu-arm64-numa-split.yaml (two NUMA nodes of 1000 MiB, node 1
starting at 0x7e80_0000 inside section 15) with the five no-map ranges of
topologies/qemu-arm64-nomap.yaml on their nodes, and hot-add 256 MiB through virtio-mem at
0xc000_0000 (memory24-25, auto-onlined to ZONE_NORMAL) on the node the kernel picks on a
device-tree boot: node 1 on 6.12, node 0 on 6.1 (source/reproduce/recipe-arm64.ts hotAddNid()).
Their pfn map (hex pfns; 128 MiB sections = 0x8000 pfns; boot RAM is ZONE_DMA on virt):

  0x40000   0x50000-0x50200  0x5c001-0x5c004  0x67ff0|0x68000|0x68010  0x70005  0x78000 0x7e800 0x80000   0xbcf00-0xbd000  0xc0000-0xd0000
  | node 0  | nomap 2 MiB    | nomap 3 pages  | nomap across sections  | 1 page | section 15: node 0|node 1 | nomap top  | virtio-mem

The 16K guest boots topologies/qemu-arm64-16k-nomap.yaml on one node (sections = 0x2000 pfns):

  0x10000   0x14000-0x14080  0x17001-0x17004  0x19ffc|0x1a000|0x1a004  0x1c001  0x2f3c0-0x2f400 | 0x30000-0x34000

with the same virtio-mem range (pfns 0x30000-0x34000, memory24-25) on node 0.

And topologies/qemu-arm64-uefi-nvdimm.yaml on 6.12 under UEFI with ACPI (Debian's AAVMF firmware):
two ACPI NFIT nvdimms made devdax (map=dev) and fsdax (map=mem) through sysfs; the firmware's own
NOMAP memory read back from debugfs memblock/memory:

  0x4000-0x8000 | hole | 0x40000 RAM (ACPI NVS, runtime services NOMAP inside) 0xbd000 | 0xc0000 devdax 0xe0000 | fsdax 0xf0000
  flash NOMAP

Needs qemu-system-aarch64 (qemu-system-arm), AAVMF (qemu-efi-aarch64), dtc (device-tree-compiler), aarch64-linux-gnu-gcc
and aarch64-linux-gnu-gcc-12 (gcc-aarch64-linux-gnu, gcc-12-aarch64-linux-gnu, libc6-dev-arm64-cross), make, cpio, xz, depmod and apt lists with the arm64
architecture (linux-image-*-arm64, busybox-static:arm64) or their files in the cache; skipped
where they are missing, failing under PFNAUDIT_CI=1. 10-30 s per boot on one core.
*/
import {beforeAll, describe, expect, it} from 'vitest';
import {readCaptureDirectory} from '../../source/cli/capture-read.js';
import {compareReproduction} from '../../source/reproduce/compare.js';
import {bootGuest, defaultCacheDir, removeBoot, type GuestBootResult} from '../../source/reproduce/guest/boot.js';
import {buildProbeModule} from '../../source/reproduce/probe/build.js';
import {whichTool} from '../../source/reproduce/guest/tools.js';
import {buildRecipe} from '../../source/reproduce/recipe.js';
import {existsSync, readFileSync} from 'node:fs';
import {parseMemblock} from '../../source/import/memblock.js';
import {AAVMF_CODE} from '../../source/reproduce/recipe-arm64-uefi.js';
import {parseTopology} from '../../source/topology/load.js';
import {parse, stringify} from 'yaml';
import type {ReproduceKernel} from '../../source/reproduce/types.js';

const TOOLS = ['qemu-system-aarch64', 'dtc', 'aarch64-linux-gnu-gcc', 'aarch64-linux-gnu-gcc-12', 'make', 'cpio', 'xz', 'depmod', 'apt-cache', 'dpkg-deb', 'tar'];
const missing = [...TOOLS.filter(tool => whichTool(tool) === undefined), ...(existsSync(AAVMF_CODE) ? [] : [AAVMF_CODE])];
const ci = process.env['PFNAUDIT_CI'] === '1';
if (ci && missing.length > 0) {
	throw new Error(`PFNAUDIT_CI is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (apt-get install qemu-system-arm qemu-efi-aarch64 device-tree-compiler gcc-aarch64-linux-gnu gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross make cpio xz-utils kmod)`);
}

type Case = {
	readonly name: string;
	readonly yaml: string;
	readonly kernel: ReproduceKernel;
	readonly release: RegExp;
	/** pfns of /proc/kpageflags (round_up(max_pfn, PAGES_PER_SECTION)) and of the memory blocks. */
	readonly pfns: {readonly kpageflags: number; readonly blocks: number};
	/** The zoneinfo spans checked, with their pfns. */
	readonly zones: ReadonlyArray<readonly [string, number]>;
	/** The topology's NOMAP pfns, [start, end). */
	readonly nomap: ReadonlyArray<readonly [number, number]>;
	/** The hot-added pfns [start, end) (the control's max_pfn disagreement). */
	readonly hotAdded: readonly [number, number];
};

const topologyFile = (name: string) => new URL(`../../topologies/${name}`, import.meta.url).pathname;
const virtioMem = (node: number) => ({kind: 'hotplug', node, start: '0xc000_0000', size: '256M', state: 'online'});

/** topologies/qemu-arm64-numa-split.yaml with the no-map ranges of qemu-arm64-nomap.yaml on the node that holds each, and virtio-mem on `hotNode`. */
function splitWithNomap(hotNode: number): string {
	const split = parse(readFileSync(topologyFile('qemu-arm64-numa-split.yaml'), 'utf8')) as {memory: Array<Record<string, unknown>>};
	const nomap = (parse(readFileSync(topologyFile('qemu-arm64-nomap.yaml'), 'utf8')) as {memory: Array<{nomap: Array<{start: string; end: string}>}>}).memory[0]!.nomap;
	// The files write addresses as 0x4000_0000, which YAML reads as strings.
	const address = (value: unknown) => Number(String(value).replaceAll('_', ''));
	for (const entry of split.memory) {
		entry['nomap'] = nomap.filter(n => address(n.start) >= address(entry['start']) && address(n.end) <= address(entry['end']));
	}

	split.memory.push(virtioMem(hotNode));
	return stringify(split);
}

function withVirtioMem(file: string): string {
	const topology = parse(readFileSync(topologyFile(file), 'utf8')) as {memory: unknown[]};
	topology.memory.push(virtioMem(0));
	return stringify(topology);
}

/**
The probe checks (source/reproduce/probe/checks.ts) the control at v5.13 disagrees on: 5.13's arm64
pfn_valid() ended in memblock_is_map_memory(), false on NOMAP pfns and on the pfns of a present
section outside memblock.memory (`validOnly`: the end of the section that holds the top of RAM,
section 0 below the UEFI flash window), where the guest's generic pfn_valid() answers true for an
early section (include/linux/mmzone.h pfn_valid(): early_section()); so 5.13 reads no struct page
on the NOMAP pfns, which the guest reads in ZONE_DMA and PageReserved.
*/
function probeControl(nomap: ReadonlyArray<readonly [number, number]>, valid: ReadonlyArray<readonly [number, number]>): unknown[][] {
	return [
		...valid.map(([start, end]) => ['layout: probe pfn_valid', start, end, 'true', 'false']),
		...nomap.map(([start, end]) => ['layout: probe pfn_to_online_page', start, end, 'page', 'NULL']),
		...nomap.map(([start, end]) => ['layout: probe zone', start, end, 'DMA', 'no page read']),
		...nomap.map(([start, end]) => ['layout: probe PageReserved', start, end, 'PageReserved', 'no page read']),
	];
}

const NOMAP_4K: ReadonlyArray<readonly [number, number]> = [[0x5_0000, 0x5_0200], [0x5_c001, 0x5_c004], [0x6_7ff0, 0x6_8010], [0x7_0005, 0x7_0006], [0xb_cf00, 0xb_d000]];
const CASES: readonly Case[] = [
	{
		name: '6.12 arm64-4k',
		yaml: splitWithNomap(1),
		kernel: '6.12',
		release: /^6\.12\.\d+\+deb\d+-arm64$/,
		pfns: {kpageflags: 0xd_0000, blocks: 18 * 0x8000},
		zones: [['Node 0 DMA', 256_000], ['Node 1 DMA', 256_000], ['Node 1 Normal', 0x1_0000]],
		nomap: NOMAP_4K,
		hotAdded: [0xc_0000, 0xd_0000],
	},
	{
		name: '6.1 arm64-4k',
		yaml: splitWithNomap(0),
		kernel: '6.1',
		release: /^6\.1\.0-\d+-arm64$/,
		pfns: {kpageflags: 0xd_0000, blocks: 18 * 0x8000},
		zones: [['Node 0 DMA', 256_000], ['Node 0 Normal', 0x1_0000], ['Node 1 DMA', 256_000]],
		nomap: NOMAP_4K,
		hotAdded: [0xc_0000, 0xd_0000],
	},
	{
		name: '6.12 arm64-16k',
		yaml: withVirtioMem('qemu-arm64-16k-nomap.yaml'),
		kernel: '6.12',
		release: /^6\.12\.\d+\+deb\d+-arm64-16k$/,
		pfns: {kpageflags: 0x3_4000, blocks: 18 * 0x2000},
		zones: [['Node 0 DMA', 128_000], ['Node 0 Normal', 0x4000]],
		nomap: [[0x1_4000, 0x1_4080], [0x1_7001, 0x1_7004], [0x1_9ffc, 0x1_a004], [0x1_c001, 0x1_c002], [0x2_f3c0, 0x2_f400]],
		hotAdded: [0x3_0000, 0x3_4000],
	},
];

const UEFI = {name: '6.12 arm64-4k UEFI', topology: 'qemu-arm64-uefi-nvdimm.yaml', kernel: '6.12'} as const;
const uefiTopology = () => {
	const file = new URL(`../../topologies/${UEFI.topology}`, import.meta.url).pathname;
	return parseTopology(readFileSync(file, 'utf8'), file, {kernel: UEFI.kernel});
};

const topologyOf = (c: Case) => parseTopology(c.yaml, `${c.name}.yaml`, {kernel: c.kernel});
type Booted = {boot: GuestBootResult; captures: Array<{label: string; files: ReturnType<typeof readCaptureDirectory>['files']}>};
const booted = new Map<string, Booted>();

describe.skipIf(missing.length > 0)('reproduce --run on Debian\'s arm64 kernels under qemu-system-aarch64', () => {
	beforeAll(async () => {
		const settled = await Promise.allSettled(
			[...CASES.map(c => ({name: c.name, topology: topologyOf(c), kernel: c.kernel})), {name: UEFI.name, topology: uefiTopology(), kernel: UEFI.kernel}].map(async c => {
				const recipe = buildRecipe(c.topology, {kernel: c.kernel});
				// The probe module, cross-built against the release's arm64 linux-headers (cached after the first build).
				const boot = await bootGuest({plan: recipe.plan, timeoutMs: 240_000, probe: true, buildProbe: async release => buildProbeModule({release, cacheDir: defaultCacheDir()})});
				expect(boot.probeMissing, `${c.name}: the probe module`).toBeUndefined();
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

	it('A test that boots two ACPI NFIT nvdimms under UEFI with ACPI on Debian\'s 6.12 arm64 kernel, one made devdax with its memmap in the namespace and one fsdax with its memmap in RAM, through sysfs. Expect every check to agree on every pfn (the probe\'s zone of each page it reads included), all of RAM in ZONE_DMA from the flash window up, the nvdimms imported as asked (no deviation there), and the deviations exactly the firmware\'s NOMAP regions of memblock/memory: the flash window [0x4000, 0x8000) where the topology has a hole, the rest inside RAM', () => {
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
		// The probe module's zone of every page it reads (RAM, the flash window, the nvdimms' initialized pages) agrees: checked above with every check.
		expect(byName.get('layout: probe zone')?.pfns).toBeGreaterThan(0xb_d000 - 0x4_0000);
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

	it('A test of the control on the UEFI guest: the same capture modelled at v5.13 (pfn_valid() ended in memblock_is_map_memory(); arch_add_memory() did not raise max_pfn before 8fac67ca236b, v5.16). Expect pfn_to_online_page to disagree on exactly the firmware\'s NOMAP pfns, max_pfn on exactly the nvdimms\' pfns, the probe\'s pfn_valid on the NOMAP pfns and the rest of their early sections, its pfn_to_online_page, zone and PageReserved on exactly the NOMAP pfns, and nothing else', () => {
		const {boot, captures} = booted.get(UEFI.name)!;
		const result = compareReproduction(uefiTopology(), boot.version, captures, {kernel: '5.13'});
		const nomap = result.comparisons[0]!.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => ['layout: pfn_to_online_page', n.start_pfn, n.end_pfn, 'page', 'NULL (KPF_NOPAGE)']) : []));
		expect(nomap).toHaveLength(result.deviations.length);
		const nomapPfns = nomap.map(n => [n[1] as number, n[2] as number] as const);
		// pfn_valid: section 0 from pfn 0 (the flash window is its only memory), and the end of RAM's last section [0xbd000, 0xc0000).
		const valid = [[0, nomapPfns[0]![1]] as const, ...nomapPfns.slice(1), [0xb_d000, 0xc_0000] as const];
		expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([...nomap, ['layout: max_pfn', 0xc_0000, 0xf_0000, 'in /proc/kpageflags', 'beyond its end 0xc0000'], ...probeControl(nomapPfns, valid)]);
	});

	for (const c of CASES) {
		it(`A test that boots the five no-map ranges${c.name.includes('4k') ? ' on two NUMA nodes split inside section 15' : ''} and 256 MiB of virtio-mem on Debian's ${c.name} kernel and compares the capture with the model at the guest's version and the distribution's stable preset. Expect every check to agree on every pfn (the zone spans ${c.zones.map(z => z[0]).join(', ')}; the probe's zone of every page in them; each memory block's state, zone and nodes), and the layout realised as asked (no deviation: the no-map ranges, the nodes, the node of the hot-added memory)`, () => {
			const {boot, captures} = booted.get(c.name)!;
			expect(boot.release).toMatch(c.release);
			const result = compareReproduction(topologyOf(c), boot.version, captures);
			expect(result.disagreements).toEqual([]);
			expect(result.deviations).toEqual([]);
			const byName = new Map(result.checks.map(check => [check.name, check]));
			for (const check of result.checks) {
				expect(check.agree, check.name).toBe(check.pfns);
			}

			expect(captures.map(x => x.label)).toEqual(['layout']);
			// The probe module's zone of each initialized page: every pfn the zone spans hold (NOMAP included, hot-added memory in ZONE_NORMAL) was read and agrees.
			expect(byName.get('layout: probe zone')?.pfns).toBe(c.zones.reduce((sum, [, pfns]) => sum + pfns, 0));
			expect(byName.get('layout: pfn_to_online_page')?.pfns).toBe(c.pfns.kpageflags);
			expect(byName.get('layout: max_pfn')?.pfns).toBe(c.pfns.kpageflags);
			expect(byName.get('layout: memory_blocks')?.pfns).toBe(c.pfns.blocks);
			expect(byName.get('layout: memory_block_nodes')?.pfns).toBe(c.pfns.blocks);
			expect([...byName].filter(([name]) => name.startsWith('layout: zone_spans')).map(([name, check]) => [name.replace('layout: zone_spans ', ''), check.pfns])).toEqual(c.zones);
			const imported = result.comparisons[0]!.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => [n.start_pfn, n.end_pfn]) : []));
			expect(imported).toEqual(c.nomap);
		});

		it(`A test of the control on ${c.name}: the same capture modelled at v5.13, whose arm64 pfn_valid() still ended in memblock_is_map_memory() (a7d9f306ba70 and 9092d4f7a1f8 changed that in v5.14). Expect pfn_to_online_page to disagree on exactly the NOMAP pfns, kernel page, model NULL, max_pfn on exactly the hot-added pfns (arm64 raises max_pfn on hot-add from 8fac67ca236b, v5.16), the probe's pfn_valid on the NOMAP pfns and the rest of RAM's last section, its pfn_to_online_page, zone and PageReserved on exactly the NOMAP pfns, and nothing else`, () => {
			const {boot, captures} = booted.get(c.name)!;
			const result = compareReproduction(topologyOf(c), boot.version, captures, {kernel: '5.13'});
			const nomap = c.nomap.map(([start, end]) => ['layout: pfn_to_online_page', start, end, 'page', 'NULL (KPF_NOPAGE)']);
			// v5.13's arm64 arch_add_memory() does not raise max_pfn (8fac67ca236b "arm64: mm: update max_pfn after memory hotplug", v5.16), so the hot-added pfns lie beyond the model's max_pfn.
			const [start, end] = c.hotAdded;
			// The top no-map range ends RAM inside a section: pfn_valid() disagrees from its start to the section's end, where the hot-added memory starts.
			const valid = c.nomap.map(([s, e], i) => [s, i === c.nomap.length - 1 ? start : e] as const);
			expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([...nomap, ['layout: max_pfn', start, end, 'in /proc/kpageflags', `beyond its end 0x${start.toString(16)}`], ...probeControl(c.nomap, valid)]);
		});

		it(`A test that the comparison of ${c.name} reports a no-map page asked for and not realised: the same capture against its topology with one more no-map page at 0xa000_0000 (boot RAM${c.name.includes('4k') ? ' on node 1' : ''}). Expect exactly that pfn as a deviation, requested NOMAP, realised RAM`, () => {
			const {boot, captures} = booted.get(c.name)!;
			const asked = parse(c.yaml) as {memory: Array<{kind: string; start: string | number; end?: string | number; nomap?: Array<{start: number; end: number}>}>};
			const last = asked.memory.filter(e => e.kind === 'boot').at(-1)!;
			const page = c.name.includes('16k') ? 0x4000 : 0x1000;
			last.nomap = [{start: 0xa000_0000, end: 0xa000_0000 + page}, ...(last.nomap ?? [])];
			const result = compareReproduction(parseTopology(stringify(asked), `${c.name}.yaml`, {kernel: c.kernel}), boot.version, captures);
			const pfn = 0xa000_0000 / page;
			expect(result.deviations).toEqual([{start_pfn: pfn, end_pfn: pfn + 1, requested: expect.stringMatching(/^boot RAM( on node 1)?, NOMAP$/), realised: expect.stringMatching(/^boot RAM( on node 1)?$/)}]);
		});
	}
});

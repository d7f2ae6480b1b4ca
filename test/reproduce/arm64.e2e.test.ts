/**
`pfnaudit reproduce --run` on arm64 (issue 16): topologies/qemu-arm64-nomap.yaml booted on Debian's
6.12 arm64 kernel (4K pages) under qemu-system-aarch64 -machine virt -cpu max (TCG, -smp 1),
captured once, imported and compared with the model pfn by pfn. Its pfn map (hex pfns, 4K pages;
128 MiB sections = 0x8000 pfns; all of RAM is ZONE_DMA on virt):

  0x40000   0x50000-0x50200  0x5c001-0x5c004  0x67ff0|0x68000|0x68010  0x70005  0xbcf00-0xbd000
  | RAM ... | nomap 2 MiB    | nomap 3 pages  | nomap across sections  | 1 page | nomap top of RAM |

Needs qemu-system-aarch64 (qemu-system-arm), dtc (device-tree-compiler), aarch64-linux-gnu-gcc
(gcc-aarch64-linux-gnu, libc6-dev-arm64-cross), cpio, xz, depmod and apt lists with the arm64
architecture (linux-image-6.12.*+deb12-arm64, busybox-static:arm64) or their files in the cache;
skipped where they are missing, failing under PFNAUDIT_CI=1. About 25 s on one core.
*/
import {beforeAll, describe, expect, it} from 'vitest';
import {readCaptureDirectory} from '../../source/cli/capture-read.js';
import {compareReproduction} from '../../source/reproduce/compare.js';
import {bootGuest, removeBoot, type GuestBootResult} from '../../source/reproduce/guest/boot.js';
import {whichTool} from '../../source/reproduce/guest/tools.js';
import {buildRecipe} from '../../source/reproduce/recipe.js';
import {loadTopologyFile} from '../../source/topology/load.js';

const TOPOLOGY = new URL('../../topologies/qemu-arm64-nomap.yaml', import.meta.url).pathname;
const TOOLS = ['qemu-system-aarch64', 'dtc', 'aarch64-linux-gnu-gcc', 'cpio', 'xz', 'depmod', 'apt-cache', 'dpkg-deb', 'tar'];
const missing = TOOLS.filter(tool => whichTool(tool) === undefined);
const ci = process.env['PFNAUDIT_CI'] === '1';
if (ci && missing.length > 0) {
	throw new Error(`PFNAUDIT_CI is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (apt-get install qemu-system-arm device-tree-compiler gcc-aarch64-linux-gnu libc6-dev-arm64-cross cpio xz-utils kmod)`);
}

/** The topology's NOMAP pfns, [start, end). */
const NOMAP: ReadonlyArray<[number, number]> = [[0x5_0000, 0x5_0200], [0x5_c001, 0x5_c004], [0x6_7ff0, 0x6_8010], [0x7_0005, 0x7_0006], [0xb_cf00, 0xb_d000]];

let boot: GuestBootResult | undefined;
let captures: Array<{label: string; files: ReturnType<typeof readCaptureDirectory>['files']}> = [];

describe.skipIf(missing.length > 0)('reproduce --run on Debian\'s arm64 kernel under qemu-system-aarch64', () => {
	beforeAll(async () => {
		const recipe = buildRecipe(loadTopologyFile(TOPOLOGY));
		boot = await bootGuest({plan: recipe.plan, timeoutMs: 200_000});
		try {
			captures = boot.captures.map(c => ({label: c.label, files: readCaptureDirectory(c.dir, c.label).files}));
		} finally {
			removeBoot(boot);
		}
	}, 280_000);

	it('A test that boots the five no-map ranges on Debian\'s 6.12 arm64 kernel and compares the capture with the model at the guest\'s version and the distribution\'s stable preset. Expect every check to agree on every pfn, kpageflags over [0, 0xc0000), all of RAM in ZONE_DMA (512000 pfns from 0x40000), and the no-map ranges realised as asked (no deviation)', () => {
		expect(boot!.release).toMatch(/^6\.12\.\d+\+deb\d+-arm64$/);
		const result = compareReproduction(loadTopologyFile(TOPOLOGY), boot!.version, captures);
		expect(result.disagreements).toEqual([]);
		expect(result.deviations).toEqual([]);
		const byName = new Map(result.checks.map(c => [c.name, c]));
		for (const check of result.checks) {
			expect(check.agree, check.name).toBe(check.pfns);
		}

		expect(byName.get('boot: pfn_to_online_page')?.pfns).toBe(0xc_0000);
		expect(byName.get('boot: max_pfn')?.pfns).toBe(0xc_0000);
		expect(byName.get('boot: memory_blocks')?.pfns).toBe(16 * 0x8000);
		expect(byName.get('boot: zone_spans Node 0 DMA')?.pfns).toBe(512_000);
		expect([...byName.keys()].filter(name => name.startsWith('boot: zone_spans'))).toEqual(['boot: zone_spans Node 0 DMA']);
		const imported = result.comparisons[0]!.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => [n.start_pfn, n.end_pfn]) : []));
		expect(imported).toEqual(NOMAP);
	});

	it('A test of the control: the same capture modelled at v5.13, whose arm64 pfn_valid() still ended in memblock_is_map_memory() (a7d9f306ba70 and 9092d4f7a1f8 changed that in v5.14). Expect pfn_to_online_page to disagree on exactly the NOMAP pfns, kernel page, model NULL, and nothing else', () => {
		const result = compareReproduction(loadTopologyFile(TOPOLOGY), boot!.version, captures, {kernel: '5.13'});
		expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual(NOMAP.map(([start, end]) => ['boot: pfn_to_online_page', start, end, 'page', 'NULL (KPF_NOPAGE)']));
	});
});

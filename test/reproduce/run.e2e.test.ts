/**
`pfnaudit reproduce --run` for real (issue 9): topologies/qemu-pmem-hotplug.yaml booted on Debian's
6.1 and 6.12 kernels under QEMU (TCG, -smp 1, both at once), captured at each step, imported and
compared with the model pfn by pfn. Its pfn map (hex pfns; 128 MiB sections and memory blocks =
0x8000 pfns):

  0     0x9f 0x100          0x41000        0x48000      0x60000      0x7ffdc 0x80000
  | RAM  | hole | RAM ...     | pmem devdax map=dev        | RAM         | fw    |
                              section 8 [0x40000, 0x48000): boot RAM + pmem (NOPAGE from v5.12)
  0x100000    0x108000        0x110000    0x118000 … 0x140000   0x140000 … 0x160000
  | blk 32    | blk 33        | blk 34    | blks 35-39 offline   | nvdimm fsdax map=mem |
  | offlined  | online_movable| online by operations[0]          (beyond /proc/kpageflags: 7170130e4c72)

Needs qemu-system-x86, busybox-static, ndctl, daxctl, kmod, cpio, gcc and apt lists with the two
kernels (or their packages in the cache); skipped where they are missing, failing under
PFNAUDIT_CI=1. About 30-45 s per kernel on one core.
*/
import {beforeAll, describe, expect, it} from 'vitest';
import {readCaptureDirectory} from '../../source/cli/capture-read.js';
import {compareReproduction} from '../../source/reproduce/compare.js';
import {bootGuest, removeBoot, type GuestBootResult} from '../../source/reproduce/guest/boot.js';
import {whichTool} from '../../source/reproduce/guest/tools.js';
import {buildRecipe} from '../../source/reproduce/recipe.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {ReproduceKernel} from '../../source/reproduce/types.js';

const TOPOLOGY = new URL('../../topologies/qemu-pmem-hotplug.yaml', import.meta.url).pathname;
const TOOLS = ['qemu-system-x86_64', 'busybox', 'ndctl', 'daxctl', 'kmod', 'cpio', 'gcc', 'apt-cache', 'dpkg-deb', 'tar'];
const missing = TOOLS.filter(tool => whichTool(tool) === undefined);
const ci = process.env['PFNAUDIT_CI'] === '1';
if (ci && missing.length > 0) {
	throw new Error(`PFNAUDIT_CI is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (apt-get install qemu-system-x86 busybox-static ndctl daxctl kmod cpio gcc)`);
}

type Booted = {boot: GuestBootResult; captures: Array<{label: string; files: ReturnType<typeof readCaptureDirectory>['files']}>};
const KERNELS: readonly ReproduceKernel[] = ['6.1', '6.12'];
const booted = new Map<ReproduceKernel, Booted>();

function requested(kernel: ReproduceKernel) {
	return loadTopologyFile(TOPOLOGY, {kernel});
}

describe.skipIf(missing.length > 0)('reproduce --run on Debian\'s kernels under QEMU', () => {
	beforeAll(async () => {
		const settled = await Promise.allSettled(
			KERNELS.map(async kernel => {
				const recipe = buildRecipe(requested(kernel), {kernel});
				const boot = await bootGuest({plan: recipe.plan, timeoutMs: 200_000});
				try {
					const captures = boot.captures.map(c => ({label: c.label, files: readCaptureDirectory(c.dir, c.label).files}));
					booted.set(kernel, {boot, captures});
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
	}, 280_000);

	for (const kernel of KERNELS) {
		it(`A test that boots the layout on Debian's ${kernel} and compares its three captures (boot, layout, operations[0]) with the model at the guest's version and the distribution's stable preset. Expect every check of every capture to agree on every pfn, the kpageflags checks over all 0x140000 pfns, and only SeaBIOS's top of low RAM as a deviation`, () => {
			const {boot, captures} = booted.get(kernel)!;
			expect(boot.release.startsWith(`${kernel}.`)).toBe(true);
			expect(boot.version).toMatch(new RegExp(`^${kernel.replace('.', '\\.')}\\.\\d+$`));
			expect(captures.map(c => c.label)).toEqual(['boot', 'layout', 'operations[0]']);
			const result = compareReproduction(requested(kernel), boot.version, captures);
			expect(result.comparisons.map(c => c.modelled)).toEqual(Array(3).fill(`v${kernel} + ${kernel === '6.1' ? 'stable-6.1.176' : 'stable-6.12.117'}`));
			expect(result.disagreements).toEqual([]);
			for (const check of result.checks) {
				expect(check.agree, check.name).toBe(check.pfns);
				expect(check.pfns, check.name).toBeGreaterThan(0);
			}

			const byName = new Map(result.checks.map(c => [c.name, c.pfns]));
			for (const label of ['boot', 'layout', 'operations[0]']) {
				expect(byName.get(`${label}: pfn_to_online_page`)).toBe(0x14_0000);
				expect(byName.get(`${label}: max_pfn`)).toBe(0x14_0000);
				expect(byName.has(`${label}: hole_reserved`)).toBe(true);
				expect(byName.has(`${label}: memory_blocks`)).toBe(true);
			}

			expect(byName.get('layout: zone_spans Node 0 Movable')).toBe(0x8000);
			expect(byName.get('operations[0]: zone_spans Node 0 Normal')).toBe(0x8000);
			expect(result.deviations.map(d => [d.end_pfn, d.requested, d.realised])).toEqual([[0x8_0000, 'boot RAM', 'hole']]);
		});
	}

	it('A test that the layout capture realised what the topology asks: the legacy pmem as devdax with an altmap sharing section 8 with boot RAM, block 32 offline (onlined, then offlined), block 33 online_movable. Expect those entries in the imported topology of both kernels', () => {
		for (const kernel of KERNELS) {
			const {boot, captures} = booted.get(kernel)!;
			const layout = compareReproduction(requested(kernel), boot.version, captures).comparisons.find(c => c.label === 'layout')!;
			const devdax = layout.topology.memory.find(e => e.kind === 'device' && e.start_pfn === 0x4_1000);
			expect(devdax).toMatchObject({kind: 'device', type: 'devdax', end_pfn: 0x6_0000});
			expect(devdax?.kind === 'device' && devdax.altmap !== undefined).toBe(true);
			const hotplug = layout.topology.memory.find(e => e.kind === 'hotplug');
			const blocks = hotplug?.kind === 'hotplug' ? hotplug.blocks ?? [] : [];
			expect(blocks.find(b => b.start_pfn === 0x10_8000)?.state).toBe('online_movable');
			expect(hotplug?.kind === 'hotplug' && hotplug.state).toBe('offline');
		}
	});

	it('A test of the negative control on a real capture: the 6.12 layout modelled at v5.10 semantics, before pfn_to_online_page() learnt about ZONE_DEVICE in an online section (1f90a3477df3, v5.12). Expect pfn_to_online_page to disagree on exactly the pmem pfns of section 8 [0x41000, 0x48000), kernel NULL, model page', () => {
		const {boot, captures} = booted.get('6.12')!;
		const layout = captures.filter(c => c.label === 'layout');
		const result = compareReproduction(requested('6.12'), boot.version, layout, {kernel: '5.10'});
		const online = result.disagreements.filter(d => d.check === 'layout: pfn_to_online_page');
		expect(online).toEqual([{check: 'layout: pfn_to_online_page', start_pfn: 0x4_1000, end_pfn: 0x4_8000, kernel: 'NULL (KPF_NOPAGE)', model: 'page'}]);
	});

	it('A test of the negative control without the stable preset: the 6.1 layout modelled as mainline v6.1, which raises max_pfn for the nvdimm\'s pgmap (7170130e4c72 is in Debian\'s stable tree, not in v6.1). Expect max_pfn to disagree on the nvdimm\'s [0x140000, 0x160000) and nothing else', () => {
		const {boot, captures} = booted.get('6.1')!;
		const layout = captures.filter(c => c.label === 'layout');
		const result = compareReproduction(requested('6.1'), boot.version, layout, {withoutPreset: true});
		expect(result.disagreements).toEqual([{check: 'layout: max_pfn', start_pfn: 0x14_0000, end_pfn: 0x16_0000, kernel: 'beyond its end 0x140000', model: 'in /proc/kpageflags'}]);
	});
});

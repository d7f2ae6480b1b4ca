/**
Import round trip on every public sample (test/fixtures/samples, test/fixtures/captures): each
single file is imported as `pfnaudit import FILE` would, and either gives a topology that loads and
audits (every built-in walker, in-process) or one sentence saying why not. A test that would break
if a sample's entries changed names them.
*/
import {readdirSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {importCapture} from '../../source/import/index.js';
import type {Topology} from '../../source/topology/types.js';
import {builtinWalkerFile, builtinWalkers} from '../../source/walker/registry.js';
import {captureFiles, FIXTURES, fixture, located} from './helpers.js';

const walkers = builtinWalkers().map(definition => ({
	definition,
	source: {kind: 'builtin', name: definition.name} as const,
	file: builtinWalkerFile(definition.name),
	builtin: true,
}));

type Outcome = {entries: string[]} | {reason: RegExp};

const hex = (n: number): string => `0x${n.toString(16)}`;
const describeEntry = (e: Topology['memory'][number]): string =>
	`${e.kind}${e.kind === 'device' ? `:${e.type}${e.altmap ? '+altmap' : ''}` : ''}${e.kind === 'hotplug' ? `:${e.state}` : ''} ${hex(e.start)}-${hex(e.end)}${e.node === 0 ? '' : ` node${e.node}`}${e.kind === 'boot' && e.nomap.length > 0 ? ` nomap ${e.nomap.map(n => `${hex(n.start)}-${hex(n.end)}`).join(',')}` : ''}`;

/** What each public sample gives. */
const EXPECTED: Record<string, Outcome> = {
	'cxl-list-memdevs-per-root-decoder-issue276.json': {reason: /the capture says nothing about boot memory/},
	'daxctl-list-system-ram-movable-issue139.json': {reason: /the capture says nothing about boot memory/},
	// Early memory node ranges as logged; the EFI map's write-back Reserved regions are NOMAP.
	'dmesg-arm64-efi-memmap-mirror-kernelcore-movable-4node.txt': {
		entries: [
			'boot 0x0-0x4000000 node1 nomap 0x0-0x4000000',
			'boot 0x7e00000-0x7f00000 node1 nomap 0x7e00000-0x7f00000',
			'boot 0x8000000-0xc000000 node1 nomap 0x8000000-0xc000000',
			'boot 0xc200000-0x10000000 node1 nomap 0xc200000-0x10000000',
			'boot 0x11000000-0x1c000000 node1',
			'boot 0x1c000000-0x20000000 node1 nomap 0x1c000000-0x20000000',
			'boot 0x20000000-0x5e270000 node1',
			'boot 0x5e270000-0x5fbf0000 node1',
			'boot 0x5fbf0000-0x80000000 node1',
			'boot 0x82080000000-0x82480000000 node1',
			'boot 0x82880000000-0x84000000000 node1',
			'boot 0x84000000000-0x84004000000 nomap 0x84000000000-0x84004000000',
			'boot 0x84004000000-0x84800000000',
			'boot 0x85000000000-0x86000000000',
			'boot 0x282000000000-0x282100000000 node3',
			'boot 0x282200000000-0x284000000000 node3',
			'boot 0x284000000000-0x284200000000 node2',
			'boot 0x284400000000-0x286000000000 node2',
		],
	},
	// The BAR is read ("added peer-to-peer DMA memory"), but the excerpt has no boot memory.
	'dmesg-p2pdma-bar-beyond-direct-map-kaslr.txt': {reason: /the capture says nothing about boot memory/},
	'dmesg-x86-8node-srat-hotplug-movable-zones-e820.txt': {
		entries: [
			'boot 0x1000-0xa0000',
			'boot 0x100000-0x41a2e000',
			'boot 0x41a2f000-0x4f22f000',
			'boot 0x5b87f000-0x6d266000',
			'boot 0x6d2ec000-0x70000000',
			'boot 0x100000000-0x1000000000',
			'boot 0xff80000000-0x10000000000',
			'boot 0x10000000000-0x11000000000 node1',
			'boot 0x80000000000-0x81000000000 node2',
			'boot 0x90000000000-0x91000000000 node3',
			'boot 0x100000000000-0x101000000000 node4',
			'boot 0x110000000000-0x111000000000 node5',
			'boot 0x180000000000-0x181000000000 node6',
			'boot 0x190000000000-0x191000000000 node7',
		],
	},
	// memmap=4G!4G memmap=4G!9G (persistent (type 12)) and efi_fake_mem (soft reserved) carve
	// [4G, 14G) out of the usable e820 range.
	'e820-setup-data-memmap-pmem-and-efi-fake-mem-soft-reserved-hmm-tests.txt': {entries: ['boot 0x380000000-0x44eb00000']},
	'iomem-cxl-soft-reserved-qemu-scenarios.txt': {reason: /the capture says nothing about boot memory/},
	// A mail: prose around four iomem excerpts.
	'iomem-cxl-window-soft-reserved-hmem-vs-cxl-region.txt': {reason: /^iomem-cxl-window-soft-reserved-hmem-vs-cxl-region\.txt: not one capture file but text around pieces of some \(\/proc\/iomem lines at line 4\); put each command's output alone/},
	// Dave Hansen's kmem prototype: System RAM as a child of Persistent Memory (legacy) is hot-added.
	'iomem-pmem-legacy-kmem-child-system-ram-2018.txt': {
		entries: ['boot 0x1000-0x9f000', 'boot 0x100000-0xa0000000', 'boot 0xb0000000-0xbffe0000', 'hotplug:online 0xa0000000-0xa8000000'],
	},
	// memmap=4G!4G split around the kernel: namespace0.0 (fsdax) shares section 0x2a with the
	// kernel's System RAM; the second legacy pmem range has no namespace (nothing maps it).
	'iomem-pmem-legacy-memmap-4G-split-by-kernel-1.txt': {
		entries: [
			'boot 0x1000-0x94000',
			'boot 0x100000-0x5a7a1000',
			'boot 0x5b5e1000-0x790ff000',
			'boot 0x7b7ff000-0x7b800000',
			'boot 0x155e00000-0x15982c000',
			'boot 0x200000000-0x880000000',
			'device:fsdax 0x100000000-0x155e00000',
		],
	},
	'iomem-pmem-section-collision-subsection-excerpt.txt': {reason: /not a \/proc\/iomem line \("WARNING: CPU: 38/},
	'iomem-pmem-two-regions-2MiB-aligned-pmem-docs.txt': {reason: /the capture says nothing about boot memory/},
	'lsmem-blocks-start-at-1TiB-util-linux-pr4056.txt': {entries: ['boot 0x10000000000-0x103e8000000', 'boot 0x103f8000000-0x10400000000']},
	// A pasted session (test/import/devices.test.ts imports its pieces as a capture).
	'ndctl-create-list-fsdax-map-dev-and-iomem-cxl-pmem-qemu.txt': {reason: /not one capture file but text around pieces of some \(ndctl\/daxctl\/cxl JSON at line 4, \/proc\/iomem lines at line 117\)/},
	'ndctl-list-N-Nu-create-fsdax-devdax-pmem-docs-user-guide.txt': {reason: /not one capture file but text around pieces of some \(ndctl\/daxctl\/cxl JSON at line 5\)/},
	'ndctl-list-devdax-then-system-ram-issue129.txt': {reason: /not one capture file but text around pieces of some \(ndctl\/daxctl\/cxl JSON at line 5\)/},
	'ndctl-regions-fsdax-map-dev-alignment-collision-issue76.txt': {reason: /not one capture file but text around pieces of some \(ndctl\/daxctl\/cxl JSON at line 7\)/},
};

describe('import round trip on the public samples', () => {
	it('has an expectation for every sample', () => {
		expect(readdirSync(new URL('samples/', FIXTURES)).sort()).toEqual(Object.keys(EXPECTED).sort());
	});

	for (const [file, outcome] of Object.entries(EXPECTED)) {
		it(`A test that imports ${file}. Expect ${'entries' in outcome ? 'its entries, and an audit of every walker that runs' : 'one sentence saying why not'}`, async () => {
			const input = {kind: 'files' as const, label: file, files: [{name: file, text: fixture(`samples/${file}`)}]};
			if ('reason' in outcome) {
				const message = located(() => importCapture(input));
				expect(message).toMatch(outcome.reason);
				expect(message.split('\n')).toHaveLength(1);
				return;
			}

			const {topology} = importCapture(input);
			expect(topology.memory.map(describeEntry)).toEqual(outcome.entries);
			const report = await runAudit({topology, walkers, runner: 'in-process', phases: false});
			expect(report.walkers.filter(w => w.status !== 'ok' && w.status !== 'absent').map(w => `${w.name}: ${w.status}`)).toEqual([]);
		});
	}

	it('A test that imports the Firecracker 6.18 capture and audits it. Expect every walker to run', async () => {
		const {topology} = importCapture({kind: 'capture', label: 'firecracker-6.18', files: captureFiles('captures/firecracker-6.18', ['iomem.txt', 'lsmem.txt', 'sys-devices-system-memory.txt', 'zoneinfo.txt'])});
		const report = await runAudit({topology, walkers, runner: 'in-process', phases: false});
		expect(report.walkers.filter(w => w.status !== 'ok' && w.status !== 'absent')).toEqual([]);
		expect(report.walkers.length).toBeGreaterThan(20);
	});
});

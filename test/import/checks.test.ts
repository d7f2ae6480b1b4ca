/**
What the import checks against the capture itself: the kernel's own zones (dmesg "Zone ranges",
"Movable zone start for each node", /proc/zoneinfo) against the imported topology, the SRAT hotplug
range of hot-added memory, the per-block files it reads only to check them; and every bad capture
through the command: one sentence, exit 2, nothing written.

Map of the small x86 machine below (e820):
  [0x100, 0x80000)        boot RAM, 2 GiB minus the first MiB   DMA, DMA32 (spanning to 4 GiB:
                                                                 node 0 goes on above it)
  [0x100000, 0x180000)    boot RAM, 2 GiB above 4 GiB           Normal
  [0x180000, 0x1a0000)    a DIMM hot-added in the SRAT hotplug range of node 1
*/
import {existsSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {importCapture} from '../../source/import/index.js';
import {runCli} from './cli.js';
import {located} from './helpers.js';

const DMESG = [
	'[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) #1 SMP',
	'[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable',
	'[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000017fffffff] usable',
	'[    0.000000] ACPI: SRAT: Node 0 PXM 0 [mem 0x00000000-0x7fffffff]',
	'[    0.000000] ACPI: SRAT: Node 0 PXM 0 [mem 0x100000000-0x17fffffff]',
	'[    0.000000] ACPI: SRAT: Node 1 PXM 1 [mem 0x180000000-0x1ffffffff] hotplug',
	'[    0.000000] Zone ranges:',
	'[    0.000000]   DMA      [mem 0x0000000000100000-0x0000000000ffffff]',
	'[    0.000000]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]',
	'[    0.000000]   Normal   [mem 0x0000000100000000-0x000000017fffffff]',
	'[    0.000000]   Device   empty',
	'',
].join('\n');

const IOMEM = '00100000-7fffffff : System RAM\n100000000-17fffffff : System RAM\n180000000-19fffffff : System RAM\n';

function zoneinfo(normalSpanned: number): string {
	const zone = (node: number, name: string, start: number | undefined, spanned: number): string =>
		`Node ${node}, zone ${name.padStart(8)}\n  pages free     1\n        spanned  ${spanned}\n        present  ${spanned}\n        managed  ${spanned}\n${start === undefined ? '' : `  start_pfn:           ${start}\n`}`;
	return [zone(0, 'DMA', 0x100, 0x1000 - 0x100), zone(0, 'DMA32', 0x1000, 0xf_f000), zone(0, 'Normal', 0x10_0000, normalSpanned), zone(0, 'Movable', undefined, 0), zone(1, 'Normal', 0x18_0000, 0x2_0000)].join('');
}

function machine(extra: Array<{name: string; text: string}> = [], dmesg = DMESG): Array<{name: string; text: string}> {
	return [
		{name: 'dmesg.txt', text: dmesg},
		{name: 'proc/iomem', text: IOMEM},
		{name: 'sys/devices/system/memory/block_size_bytes', text: '8000000\n'},
		...[48, 49, 50, 51].map(id => ({name: `sys/devices/system/memory/memory${id}/state`, text: 'online\n'})),
		...[48, 49, 50, 51].map(id => ({name: `sys/devices/system/memory/memory${id}/removable`, text: '1\n'})),
		...[48, 49, 50, 51].map(id => ({name: `sys/devices/system/memory/memory${id}/phys_device`, text: '0\n'})),
		...extra,
	];
}

const messages = (r: ReturnType<typeof importCapture>): string[] => r.warnings.map(w => `${w.file}:${w.line ?? ''}: ${w.message}`);

describe('the import against the kernel\'s own zones', () => {
	it('A test that imports a machine whose Zone ranges and /proc/zoneinfo agree with the topology. Expect no warning, and the DIMM on node 1 with its SRAT line in the comment', () => {
		const result = importCapture({kind: 'capture', label: 'm', files: machine([{name: 'proc/zoneinfo', text: zoneinfo(0x8_0000)}])});
		expect(messages(result)).toEqual([]);
		expect(result.text).toMatch(/ {2}# proc\/iomem:3, dmesg\.txt:6, sys\/devices\/system\/memory\/memory48\/state:1,.* — in the SRAT hotplug range of node 1\n {2}- kind: hotplug\n {4}start: 0x1_8000_0000\n {4}end: 0x1_a000_0000\n {4}node: 1\n {4}state: online\n/);
	});

	it('A test that imports it with a Normal zone the kernel printed empty, and a zoneinfo whose Normal spans half of what the topology gives. Expect a warning at each line, naming both spans', () => {
		const dmesg = DMESG.replace(/ {2}Normal {3}\[mem [^\]]+\]/, '  Normal   empty');
		const result = importCapture({kind: 'capture', label: 'm', files: machine([{name: 'proc/zoneinfo', text: zoneinfo(0x4_0000)}], dmesg)});
		expect(messages(result)).toEqual([
			expect.stringMatching(/^dmesg\.txt:10: the kernel's ZONE Normal is empty at boot, the imported topology's boot memory has it at pfns \[0x100000, 0x180000\)/),
			expect.stringMatching(/^proc\/zoneinfo:13: the kernel's node 0 Normal zone spans pfns \[0x100000, 0x140000\), the imported topology's pfns \[0x100000, 0x180000\): the zones differ$/),
		]);
	});

	it('A test that imports it with DMA32 printed to 1 GiB (a kernel with another limit than the model). Expect the zone range named with both spans', () => {
		const dmesg = DMESG.replace('DMA32    [mem 0x0000000001000000-0x00000000ffffffff]', 'DMA32    [mem 0x0000000001000000-0x000000003fffffff]');
		expect(messages(importCapture({kind: 'capture', label: 'm', files: machine([], dmesg)}))).toEqual([
			expect.stringMatching(/^dmesg\.txt:9: the kernel's DMA32 zone range is pfns \[0x1000, 0x40000\), the imported topology's boot memory has it at pfns \[0x1000, 0x100000\)/),
		]);
	});

	it('A test that imports a boot log with "Movable zone start for each node" (kernelcore=). Expect a warning that boot ZONE_MOVABLE is not modelled, at the node\'s line', () => {
		const dmesg = `${DMESG}[    0.000000] Movable zone start for each node\n[    0.000000]   Node 0: 0x0000000140000000\n`;
		expect(messages(importCapture({kind: 'capture', label: 'm', files: machine([], dmesg)}))).toEqual([
			expect.stringMatching(/^dmesg\.txt:13: the kernel put node 0's boot memory from 0x140000000 in ZONE_MOVABLE .*not modelled/),
		]);
	});

	it('A test that imports a machine booted with movable_node, memory_hotplug.memmap_on_memory=1 and mem=4G, with a boot log lacking the user: map. Expect a warning for each at proc/cmdline:1', () => {
		const result = importCapture({kind: 'capture', label: 'm', files: machine([{name: 'proc/cmdline', text: 'BOOT_IMAGE=/vmlinuz root=/dev/vda1 movable_node memory_hotplug.memmap_on_memory=1 mem=4G\n'}])});
		expect(messages(result)).toEqual([
			expect.stringMatching(/^proc\/cmdline:1: movable_node: the kernel may put boot memory in ZONE_MOVABLE, which is not modelled/),
			expect.stringMatching(/^proc\/cmdline:1: memory_hotplug\.memmap_on_memory=1: an ACPI DIMM \(v5\.13\+\) or a dax\/kmem device .*add memmap_on_memory: true to those it applies to$/),
			expect.stringMatching(/^proc\/cmdline:1: mem=4G rewrites the e820 map, but dmesg\.txt has no "user:" map/),
		]);
	});

	it('A test that imports a CXL ram region onlined by dax_kmem (QEMU, the iomem tree of the public CXL sample), with cxl list and daxctl list, and a second cxl region /proc/iomem does not have. Expect hot-added RAM on daxctl\'s target node, online_movable as daxctl says, its comment naming the cxl region, and a warning for the missing region', () => {
		const iomem = `${IOMEM}a90000000-b8fffffff : CXL Window 0\n  a90000000-b8fffffff : region0\n    a90000000-b8fffffff : dax0.0\n      a90000000-b8fffffff : System RAM (kmem)\n`;
		const cxl = JSON.stringify([{region: 'region0', resource: 0xa_9000_0000, size: 0x1_0000_0000, type: 'ram'}, {region: 'region1', resource: 0xb_9000_0000, size: 0x1_0000_0000, type: 'ram'}], null, 2);
		const daxctl = JSON.stringify([{chardev: 'dax0.0', size: 0x1_0000_0000, target_node: 2, mode: 'system-ram', movable: true}], null, 2);
		const result = importCapture({kind: 'capture', label: 'm', files: machine([{name: 'proc/iomem', text: iomem}, {name: 'cxl-list.json', text: cxl}, {name: 'daxctl-list.json', text: daxctl}]).filter((f, i, all) => f.name !== 'proc/iomem' || all.findIndex(g => g.name === 'proc/iomem') !== i)});
		const kmem = result.topology.memory.at(-1)!;
		expect(kmem.kind === 'hotplug' && [kmem.start, kmem.end, kmem.node, kmem.state]).toEqual([0xa_9000_0000, 0xb_9000_0000, 2, 'online_movable']);
		expect(result.text).toMatch(/ {2}# proc\/iomem:7, cxl-list\.json:3 — dax_kmem: System RAM \(kmem\) under dax0\.0 \/ region0 \/ CXL Window 0\n {2}- kind: hotplug\n {4}start: 0xa_9000_0000/);
		expect(messages(result)).toEqual([
			expect.stringMatching(/^cxl-list\.json:9: cxl region region1 at 0xb90000000 is not in \/proc\/iomem: cxl-list\.json and \/proc\/iomem were taken at different times/),
			expect.stringMatching(/^proc\/iomem:7: the state of the memory blocks of 0xa90000000-0xb8fffffff is not in the capture .*daxctl says movable: true/),
		]);
	});

	it('A test that imports a removable or phys_device file that is not a number. Expect one sentence at the file', () => {
		expect(located(() => importCapture({kind: 'capture', label: 'm', files: machine([{name: 'sys/devices/system/memory/memory52/removable', text: 'yes\n'}])}))).toMatch(
			/^sys\/devices\/system\/memory\/memory52\/removable:1:1: removable "yes" is neither 0 nor 1/,
		);
		expect(located(() => importCapture({kind: 'capture', label: 'm', files: machine([{name: 'sys/devices/system/memory/memory52/phys_device', text: '\n'}])}))).toMatch(
			/^sys\/devices\/system\/memory\/memory52\/phys_device:1:1: phys_device "" is not a decimal number.*truncated/,
		);
	});
});

/** Bad captures given to `pfnaudit import DIR -o out.yaml`: the first line of stderr for each. */
const BAD: Record<string, {files: Record<string, string>; says: RegExp}> = {
	'a truncated /proc/iomem': {files: {'proc/iomem': '00001000-0009fbff : System RAM\n00100000-7ff'}, says: /^pfnaudit: proc\/iomem:2:1: not a \/proc\/iomem line \("00100000-7ff"\).*truncated/},
	'a /proc/iomem read as non-root (every address 0)': {files: {'proc/iomem': '00000000-00000000 : System RAM\n00000000-00000000 : Reserved\n'}, says: /^pfnaudit: proc\/iomem:1:1: every address is 0: .*only to root.*sudo cat \/proc\/iomem/},
	'a /proc/iomem without addresses (names only)': {files: {'proc/iomem': 'System RAM\nReserved\n'}, says: /^pfnaudit: proc\/iomem:1:1: not a \/proc\/iomem line \("System RAM"\): expected "<start>-<end> : <name>"/},
	'a truncated /proc/zoneinfo': {files: {'dmesg.txt': DMESG, 'proc/zoneinfo': 'Node 0, zone      DMA\n  pages free 1\n'}, says: /^pfnaudit: proc\/zoneinfo:1:1: the last zone \(Node 0, zone DMA\) has no "spanned" line: the file is truncated/},
	'a truncated lsmem line': {files: {'lsmem.txt': 'RANGE SIZE STATE REMOVABLE BLOCK\n0x0000000000000000-0x0000000007ffffff 128M online\n'}, says: /^pfnaudit: lsmem\.txt:2:1: lsmem line has 3 columns, the header 5/},
	'contradictory block states (sysfs and lsmem)': {
		files: {
			'dmesg.txt': DMESG,
			'sys/devices/system/memory/block_size_bytes': '8000000\n',
			'sys/devices/system/memory/memory48/state': 'offline\n',
			'lsmem.txt': 'RANGE                                  SIZE  STATE REMOVABLE BLOCK\n0x0000000180000000-0x0000000187ffffff  128M online       yes 48\n',
		},
		says: /^pfnaudit: lsmem\.txt:2:1: contradictory block states: memory48 is online here but offline in sys\/devices\/system\/memory\/memory48\/state:1/,
	},
	'a block size that is not a power of two': {files: {'dmesg.txt': DMESG, 'sys/devices/system/memory/block_size_bytes': '9000000\n'}, says: /^pfnaudit: sys\/devices\/system\/memory\/block_size_bytes:1:1: block_size_bytes 0x9000000 is not a power of two/},
	'unparseable JSON': {files: {'dmesg.txt': DMESG, 'ndctl-list.json': '[\n  {\n    "dev":"namespace0.0",\n    "mode":"fsdax",\n'}, says: /^pfnaudit: ndctl-list\.json:\d+:1: unparseable JSON \(.*\); is the file truncated\?/},
	'a phys_index of another block': {files: {'sys/devices/system/memory/memory5/phys_index': '00000006\n'}, says: /^pfnaudit: sys\/devices\/system\/memory\/memory5\/phys_index:1:1: phys_index "00000006" is not memory5's block id/},
};

describe('bad captures through pfnaudit import', () => {
	for (const [what, {files, says}] of Object.entries(BAD)) {
		it(`A test that imports a capture with ${what} to -o. Expect exit 2, one sentence on stderr, nothing on stdout and no file written`, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-bad-'));
			for (const [name, text] of Object.entries(files)) {
				mkdirSync(path.dirname(path.join(dir, 'c', name)), {recursive: true});
				writeFileSync(path.join(dir, 'c', name), text);
			}

			const run = await runCli(['import', 'c', '-o', 'out.yaml'], dir);
			expect(run.code).toBe(2);
			expect(run.stderr).toMatch(says);
			expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
			expect(run.stdout).toBe('');
			expect(existsSync(path.join(dir, 'out.yaml'))).toBe(false);
		});
	}
});

/**
`pfnaudit import`: captures → topology entries, each validated by the topology loader and built by
the model; bad captures → one sentence, exit 2, nothing written.
*/
import {mkdtempSync, existsSync, mkdirSync, writeFileSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {packTar} from 'modern-tar';
import {describe, expect, it} from 'vitest';
import {importCapture} from '../../source/import/index.js';
import {createRealEngine} from '../../source/ui/real-engine.js';
import {buildModel} from '../../source/model/build.js';
import {syntheticCapture} from '../../bench/import-scale.js';
import {runCli} from './cli.js';
import {captureFiles, located} from './helpers.js';

const FIRECRACKER = ['iomem.txt', 'lsmem.txt', 'sys-devices-system-memory.txt', 'zoneinfo.txt'];
const MiB = 2 ** 20;
const GiB = 2 ** 30;

/** A small x86 machine: 4 GiB boot RAM, a 1 GiB DIMM half online, a devdax map=dev namespace, a dax kmem device. */
function machine(): Array<{name: string; text: string}> {
	return [
		{name: 'proc/sys/kernel/osrelease', text: '6.12.118+deb12-amd64\n'},
		{
			name: 'dmesg.txt',
			text: [
				'[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12) #1 SMP',
				'[    0.000000] BIOS-provided physical RAM map:',
				'[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable',
				'[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved',
				'[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000bffdffff] usable',
				'[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable',
				'[    0.000000] Hypervisor detected: KVM',
				'',
			].join('\n'),
		},
		{
			name: 'proc/iomem',
			text: [
				'00000000-00000fff : Reserved',
				'00001000-0009fbff : System RAM',
				'00100000-bffdffff : System RAM',
				'100000000-13fffffff : System RAM',
				'140000000-17fffffff : System RAM',
				'180000000-1bfffffff : Persistent Memory',
				'  180000000-1821fffff : namespace0.0',
				'  182200000-1bfffffff : dax0.0',
				'1c0000000-1ffffffff : Soft Reserved',
				'  1c0000000-1ffffffff : dax1.0',
				'    1c0000000-1ffffffff : System RAM (kmem)',
				'',
			].join('\n'),
		},
		{name: 'ndctl-list.json', text: JSON.stringify([{dev: 'namespace0.0', mode: 'devdax', map: 'dev', size: 0x3de0_0000, chardev: 'dax0.0', align: 2097152}], null, 2)},
		{name: 'daxctl-list.json', text: JSON.stringify([{chardev: 'dax1.0', size: GiB, target_node: 1, mode: 'system-ram', movable: true}], null, 2)},
		{name: 'sys/devices/system/memory/block_size_bytes', text: '8000000\n'},
		{name: 'sys/devices/system/memory/auto_online_blocks', text: 'offline\n'},
		...[40, 41, 42, 43, 44, 45, 46, 47].map(id => ({name: `sys/devices/system/memory/memory${id}/state`, text: id < 44 ? 'online\n' : 'offline\n'})),
		...[40, 41].map(id => ({name: `sys/devices/system/memory/memory${id}/valid_zones`, text: 'Normal\n'})),
		...[42, 43].map(id => ({name: `sys/devices/system/memory/memory${id}/valid_zones`, text: 'Movable\n'})),
		...[56, 57, 58, 59, 60, 61, 62, 63].map(id => ({name: `sys/devices/system/memory/memory${id}/state`, text: 'online\n'})),
		...[56, 57, 58, 59, 60, 61, 62, 63].map(id => ({name: `sys/devices/system/memory/memory${id}/valid_zones`, text: 'Movable\n'})),
		...[56, 57, 58, 59, 60, 61, 62, 63].map(id => ({name: `sys/devices/system/node/node1/memory${id}`, text: ''})),
	];
}

describe('import of whole captures', () => {
	it('A test that imports the Firecracker 6.18 guest (iomem, lsmem, blocks, zoneinfo). Expect three boot ranges page-rounded as PFN_UP/PFN_DOWN, 128 MiB blocks, and a model that builds', () => {
		const result = importCapture({kind: 'capture', label: 'firecracker-6.18', files: captureFiles('captures/firecracker-6.18', FIRECRACKER)});
		// 00001000-0009fbff: PFN_DOWN(0x9fc00) = 0x9f, the sub-page tail is not memory.
		expect(result.topology.memory.map(e => [e.kind, e.start, e.end])).toEqual([
			['boot', 0x1000, 0x9_f000],
			['boot', 0x10_0000, 0xc000_0000],
			['boot', 0x1_0000_0000, 0x6_4000_0000],
		]);
		expect(result.topology).toMatchObject({name: 'firecracker-6.18', arch: 'x86_64', kernel: '6.18', config: {memory_block_size: 128 * MiB, memory_block_size_auto: false}});
		expect(result.text).toMatch(/# iomem\.txt:2\n {2}- kind: boot\n {4}start: 0x1000\n {4}end: 0x9_f000/);
		expect(result.warnings.map(w => w.message).join('\n')).toMatch(/cannot tell boot RAM from hot-added RAM/);
		expect(buildModel(result.topology).end_pfn).toBeGreaterThan(0x64_0000);
	});

	it('A test that imports a machine with a half-online DIMM, a devdax map=dev namespace and dax kmem. Expect the block states split, the real altmap data offset, kmem as hot-added RAM and stable-6.12.117', () => {
		const result = importCapture({kind: 'capture', label: 'vm', files: machine()});
		const t = result.topology;
		expect(t).toMatchObject({kernel: '6.12', patches: ['stable-6.12.117'], config: {hypervisor: true, memory_block_size: 128 * MiB}});
		expect(t.memory.map(e => [e.kind, e.start, e.end, e.node, e.kind === 'hotplug' ? e.state : e.kind === 'device' ? e.type : ''])).toEqual([
			// e820 usable 0-0x9fbff minus page 0 (trim_bios_range()), 0x9fbff rounded down.
			['boot', 0x1000, 0x9_f000, 0, ''],
			['boot', 0x10_0000, 0xbffe_0000, 0, ''],
			['boot', 0x1_0000_0000, 0x1_4000_0000, 0, ''],
			['hotplug', 0x1_4000_0000, 0x1_8000_0000, 0, 'offline'],
			['device', 0x1_8000_0000, 0x1_c000_0000, 0, 'devdax'],
			['hotplug', 0x1_c000_0000, 0x2_0000_0000, 1, 'online_movable'],
		]);
		// One add_memory() of 1 GiB: blocks 40-41 online (Normal), 42-43 online_movable, 44-47 offline.
		const dimm = t.memory[3]!;
		expect(dimm.kind === 'hotplug' && dimm.blocks?.map(b => [b.start_pfn, b.end_pfn, b.state])).toEqual([
			[0x14_0000, 0x15_0000, 'online'],
			[0x15_0000, 0x16_0000, 'online_movable'],
		]);
		const devdax = t.memory[4]!;
		// dax0.0 starts 0x2200000 into namespace0.0: reserve = the 8K info block, free = the rest.
		expect(devdax.kind === 'device' && devdax.altmap).toMatchObject({reserve: 2, free: 0x2200 - 2});
		expect(result.text).toMatch(/# proc\/sys\/kernel\/osrelease:1, dmesg\.txt:1 — 6\.12\.118\+deb12-amd64 → v6\.12 with stable-6\.12\.117|6\.12\.118\+deb12-amd64 → v6\.12 with stable-6\.12\.117/);
		expect(result.text).toMatch(/# proc\/iomem:7-8, ndctl-list\.json:\d+ — namespace0\.0 devdax map=dev: data offset 0x2200000/);
		const model = buildModel(t);
		expect(model.end_pfn).toBeGreaterThan(0x20_0000);
		expect(model.phases.map(p => p.id)).toContain('memory[3]:onlined@0x150000');
	});

	it('A test that imports a boot log where the kernel trimmed the e820 map after printing it (mtrr_trim_uncached_memory(): "e820: update … usable ==> reserved"; "e820: remove … usable"). Expect the trimmed ranges out of boot memory and the lines in the comment', () => {
		const dmesg = [
			'[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009ffff] usable',
			'[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x00000000ffffffff] usable',
			'[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x000000013fffffff] usable',
			'[    0.000396] e820: update [mem 0x00000000-0x00000fff] usable ==> reserved',
			'[    0.004000] e820: update [mem 0xbf000000-0xffffffff] usable ==> reserved',
			'[    0.004100] e820: remove [mem 0x138000800-0x13fffffff] usable',
			'',
		].join('\n');
		const result = importCapture({kind: 'capture', label: 'm', files: [{name: 'dmesg.txt', text: dmesg}]});
		// 0x138000800: the page holding it is cut whole (PFN_DOWN), what is left rounds inward.
		expect(result.topology.memory.map(e => [e.start, e.end])).toEqual([[0x1000, 0xa_0000], [0x10_0000, 0xbf00_0000], [0x1_0000_0000, 0x1_3800_0000]]);
		expect(result.text).toMatch(/# dmesg\.txt:2-3,5\n {2}- kind: boot\n {4}start: 0x10_0000\n {4}end: 0xbf00_0000/);
		expect(result.text).toMatch(/# dmesg\.txt:2-3,5-6\n {2}- kind: boot\n {4}start: 0x1_0000_0000\n {4}end: 0x1_3800_0000/);
	});

	it('A test that imports an arm64 capture of Debian\'s 6.1 under QEMU virt, which prints no OF no-map lines: its NOMAP shows only as top-level "reserved" in /proc/iomem (request_standard_resources(): memblock_is_nomap() regions). Expect the top-level reserved ranges inside boot memory as nomap and the nested reserved ranges (memblock.reserved) not', () => {
		// pfn map: 0x40000 RAM | 0x50000-0x50200 NOMAP (top-level reserved) | 0x50200 RAM … 0xbd000; 0x48000-0x481d0 initrd (nested reserved)
		const dmesg = [
			'[    0.000000] Linux version 6.1.0-57-arm64 (debian-kernel@lists.debian.org) (gcc-12) #1 SMP Debian 6.1.192-1 (2026-11-01)',
			'[    0.000000] Early memory node ranges',
			'[    0.000000]   node   0: [mem 0x0000000040000000-0x000000004fffffff]',
			'[    0.000000]   node   0: [mem 0x0000000050000000-0x00000000501fffff]',
			'[    0.000000]   node   0: [mem 0x0000000050200000-0x00000000bcffffff]',
			'',
		].join('\n');
		const iomem = ['40000000-4fffffff : System RAM', '  48000000-481cffff : reserved', '50000000-501fffff : reserved', '50200000-bcffffff : System RAM', '  bcc23000-bcffffff : reserved', ''].join('\n');
		const result = importCapture({kind: 'capture', label: 'm', files: [{name: 'dmesg.txt', text: dmesg}, {name: 'proc/iomem', text: iomem}]});
		expect(result.topology.arch).toBe('arm64-4k');
		expect(result.topology.memory.flatMap(e => (e.kind === 'boot' ? e.nomap.map(n => [n.start, n.end]) : []))).toEqual([[0x5000_0000, 0x5020_0000]]);
	});

	it('A test that imports a capture of 10 000 memory blocks of 128 MiB (bench/import-scale.ts: every sysfs file of each block, lsmem -a, iomem, e820), half hot-added as 1 GiB DIMMs on node 1. Expect 625 DIMMs, each one hotplug entry in its blocks\' states (the speed is in npm run bench --import)', () => {
		const result = importCapture({kind: 'capture', label: 'big', files: syntheticCapture(10_000)});
		const hot = result.topology.memory.filter(e => e.kind === 'hotplug');
		expect(result.topology.memory.filter(e => e.kind === 'boot')).toHaveLength(3);
		expect(hot).toHaveLength(625);
		// DIMM 0 (blocks 5008-5015): 2 online, 2 online_movable, 4 offline; DIMM 1 online_movable; DIMM 2 offline.
		expect(hot.slice(0, 3).map(h => h.kind === 'hotplug' && [h.start, h.end, h.node, h.state, h.blocks?.map(b => [b.start_pfn, b.end_pfn, b.state])])).toEqual([
			[5008 * 128 * MiB, 5016 * 128 * MiB, 1, 'offline', [[5008 * 0x8000, 5010 * 0x8000, 'online'], [5010 * 0x8000, 5012 * 0x8000, 'online_movable']]],
			[5016 * 128 * MiB, 5024 * 128 * MiB, 1, 'online_movable', undefined],
			[5024 * 128 * MiB, 5032 * 128 * MiB, 1, 'offline', undefined],
		]);
		expect(result.warnings).toEqual([]);
	});
});

describe('bad captures', () => {
	it('A test that imports an iomem read as a normal user. Expect the needs-root sentence at the file', () => {
		expect(located(() => importCapture({kind: 'capture', label: 'c', files: [{name: 'proc/iomem', text: '00000000-00000000 : System RAM\n'}]}))).toMatch(
			/^proc\/iomem:1:1: every address is 0: \/proc\/iomem shows real addresses only to root/,
		);
	});

	it('A test that imports block states that contradict each other (sysfs vs lsmem, two lines for one block). Expect "contradictory block states" at the line', () => {
		const lsmem = 'RANGE                                  SIZE  STATE REMOVABLE BLOCK\n0x0000000140000000-0x000000014fffffff  256M offline       yes 40-41\n';
		expect(located(() => importCapture({kind: 'capture', label: 'vm', files: [...machine(), {name: 'lsmem.txt', text: lsmem}]}))).toMatch(
			/^lsmem\.txt:2:1: contradictory block states: memory40 is offline here but online in sys\/devices\/system\/memory\/memory40\/state:1/,
		);
		expect(located(() => importCapture({kind: 'files', label: 'm', files: [{name: 'm', text: 'block_size_bytes 8000000\nmemory40 state=online\nmemory40 state=offline\n'}]}))).toMatch(/^m:3:1: contradictory block states: memory40 is offline here but online on line 2/);
	});

	it('A test that imports a capture with no file of the format. Expect one sentence naming the files it wants', () => {
		expect(located(() => importCapture({kind: 'capture', label: 'c', files: [{name: 'notes.md', text: 'hello'}]}))).toMatch(/^c: no capture file found/);
	});

	it('A test that imports a release older than v4.13. Expect a refusal with --kernel as the fix', () => {
		expect(located(() => importCapture({kind: 'capture', label: 'c', files: [...machine().filter(f => f.name !== 'dmesg.txt' && f.name !== 'proc/sys/kernel/osrelease'), {name: 'proc/sys/kernel/osrelease', text: '4.9.0-8-amd64\n'}]}))).toMatch(
			/osrelease:1:1: kernel 4\.9\.0-8-amd64 is older than v4\.13.*give --kernel/,
		);
	});
});

describe('the import command', () => {
	it('A test that imports a tarball of the Firecracker capture to -o. Expect the file written and warnings on stderr only', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		const tar = await packTar(captureFiles('captures/firecracker-6.18', FIRECRACKER).map(f => ({header: {name: `fc/${f.name}`, size: Buffer.byteLength(f.text)}, body: f.text})));
		writeFileSync(path.join(dir, 'fc.tar.gz'), gzipSync(tar));
		const run = await runCli(['import', 'fc.tar.gz', '-o', 'fc.yaml'], dir);
		expect(run.code).toBe(0);
		expect(run.stdout).toBe('');
		expect(readFileSync(path.join(dir, 'fc.yaml'), 'utf8')).toMatch(/^name: fc$/m);
		expect(run.stderr).toMatch(/warning: iomem\.txt:2: \/proc\/iomem alone cannot tell/);
		const again = await runCli(['import', 'fc.tar.gz', '-o', 'fc.yaml'], dir);
		expect(again).toMatchObject({code: 2, stderr: expect.stringMatching(/fc\.yaml: the output file exists; give --force/)});
		writeFileSync(path.join(dir, 'fc.yaml'), 'mine\n');
		expect((await runCli(['import', 'fc.tar.gz', '-o', 'fc.yaml', '--force'], dir)).code).toBe(0);
		expect(readFileSync(path.join(dir, 'fc.yaml'), 'utf8')).toMatch(/^name: fc$/m);
		// A tarball cut short (a copy interrupted): one sentence, exit 2, nothing written.
		writeFileSync(path.join(dir, 'cut.tar.gz'), readFileSync(path.join(dir, 'fc.tar.gz')).subarray(0, 200));
		const cut = await runCli(['import', 'cut.tar.gz', '-o', 'cut.yaml'], dir);
		expect(cut).toMatchObject({code: 2, stdout: '', stderr: 'pfnaudit: cut.tar.gz: the gzip stream ends early: the tarball is truncated; copy it again, or make it again with tar czf capture.tar.gz -C DIR .\n'});
		expect(existsSync(path.join(dir, 'cut.yaml'))).toBe(false);
	});

	it('A test that imports single files with names that say nothing (the Firecracker iomem and lsmem as a and b) with --name and --kernel. Expect each recognised by content, the name and kernel given, and the comment saying what the capture said', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		writeFileSync(path.join(dir, 'a'), captureFiles('captures/firecracker-6.18', ['iomem.txt'])[0]!.text);
		writeFileSync(path.join(dir, 'b'), captureFiles('captures/firecracker-6.18', ['lsmem.txt'])[0]!.text);
		writeFileSync(path.join(dir, 'c'), '6.18.44-fc-v669\n');
		const run = await runCli(['import', 'a', 'b', 'c', '--name', 'fc-guest', '--kernel', '6.1'], dir);
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^name: fc-guest$/m);
		expect(run.stdout).toMatch(/^# --kernel 6\.1 \(the capture says 6\.18\.44-fc-v669\)\nkernel: "6\.1"$/m);
		expect(run.stdout).toMatch(/^description: "Imported by pfnaudit import from a, b, c \(a \(iomem\), b \(lsmem\), c \(osrelease\)\)\."$/m);
		expect(run.stdout).toMatch(/ {2}# b:\d+/);
		const badName = await runCli(['import', 'a', '--name', 'Box 1'], dir);
		expect(badName).toMatchObject({code: 2, stdout: ''});
		expect(badName.stderr).toMatch(/^pfnaudit: --name "Box 1" must match \[a-z0-9._-\]\+/);
		const badKernel = await runCli(['import', 'a', '--kernel', '3.10'], dir);
		expect(badKernel).toMatchObject({code: 2, stdout: ''});
		expect(badKernel.stderr.trimEnd().split('\n')).toHaveLength(1);
	});

	it('A test that imports tarballs with a ".." path and with a symlink out of the capture. Expect exit 2, one sentence, nothing written', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		writeFileSync(path.join(dir, 'dots.tar.gz'), gzipSync(await packTar([{header: {name: 'c/../../etc/iomem', size: 4}, body: 'text'}])));
		writeFileSync(path.join(dir, 'link.tar.gz'), gzipSync(await packTar([{header: {name: 'c/proc/iomem', type: 'symlink', linkname: '../../../etc/passwd', size: 0}}])));
		const dots = await runCli(['import', 'dots.tar.gz', '-o', 'out.yaml'], dir);
		expect(dots.code).toBe(2);
		expect(dots.stderr).toMatch(/^pfnaudit: dots\.tar\.gz: the tarball entry "c\/\.\.\/\.\.\/etc\/iomem" has a "\.\." component/);
		const link = await runCli(['import', 'link.tar.gz', '-o', 'out.yaml'], dir);
		expect(link.code).toBe(2);
		expect(link.stderr).toMatch(/symlink proc\/iomem points out of the capture/);
		expect(existsSync(path.join(dir, 'out.yaml'))).toBe(false);
	});

	it('A test that gives audit a capture directory. Expect it imported on the fly and audited', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		for (const f of machine()) {
			mkdirSync(path.dirname(path.join(dir, 'vm', f.name)), {recursive: true});
			writeFileSync(path.join(dir, 'vm', f.name), f.text);
		}

		const run = await runCli(['explain', 'vm', '0x180000', '--format', 'json'], dir);
		expect(run.code).toBe(0);
		expect(JSON.parse(run.stdout)).toMatchObject({pfn: '0x180000', category: 'C5'});
	});

	it('A test that gives audit, explain, compare and the dashboard engine a capture tarball, one named .tar.gz and one named otherwise. Expect each imported on the fly as the directory is, and a gzip file that is no tarball one sentence, exit 2', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		const tar = gzipSync(await packTar(machine().map(f => ({header: {name: `vm/${f.name}`, size: Buffer.byteLength(f.text)}, body: f.text}))));
		writeFileSync(path.join(dir, 'vm.tar.gz'), tar);
		writeFileSync(path.join(dir, 'vm-capture'), tar);
		writeFileSync(path.join(dir, 'junk.tar.gz'), gzipSync('not a tar archive\n'));
		// The devdax namespace at pfn 0x180000: its altmap-backed memmap (C5), as from the directory.
		for (const file of ['vm.tar.gz', 'vm-capture']) {
			const explain = await runCli(['explain', file, '0x180000', '--format', 'json'], dir);
			expect(explain.code).toBe(0);
			expect(JSON.parse(explain.stdout)).toMatchObject({pfn: '0x180000', category: 'C5'});
		}

		const audit = await runCli(['audit', 'vm.tar.gz', '--format', 'json', '--walker', 'memory_failure'], dir);
		expect(audit.code).toBe(0);
		expect(JSON.parse(audit.stdout)).toMatchObject({topology: {name: 'vm'}, kernel: '6.12'});
		const compare = await runCli(['compare', 'vm.tar.gz', '--kernel', '6.1', '--kernel', '6.12', '--format', 'json', '--walker', 'memory_failure'], dir);
		expect(compare.code).toBe(0);
		const prepared = await createRealEngine({cwd: dir}).prepare({topologyFile: 'vm.tar.gz', patches: []});
		expect(prepared.topology.memory).toHaveLength(6);
		const junk = await runCli(['audit', 'junk.tar.gz'], dir);
		expect(junk.code).toBe(2);
		expect(junk.stderr).toMatch(/^pfnaudit: junk\.tar\.gz: not a readable tar archive \(.*\); is it truncated\? Make it again with tar czf\n$/);
	});

	it('A test that gives the dashboard engine a capture directory. Expect it imported, with the distribution preset kept as the file\'s own patch', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-import-'));
		for (const f of machine()) {
			mkdirSync(path.dirname(path.join(dir, 'vm', f.name)), {recursive: true});
			writeFileSync(path.join(dir, 'vm', f.name), f.text);
		}

		const prepared = await createRealEngine({cwd: dir}).prepare({topologyFile: 'vm', patches: []});
		expect(prepared.topology.memory).toHaveLength(6);
		expect(prepared.filePatches).toEqual(['stable-6.12.117']);
		expect(prepared.fileKernel).toBe('6.12');
	});
});

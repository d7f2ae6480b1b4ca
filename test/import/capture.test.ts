/**
`pfnaudit capture` and scripts/pfnaudit-capture.sh: a capture of a machine that `import` reads, and
on stderr what could not be read and why.
*/
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {captureLive} from '../../source/cli/capture-live.js';
import {runCli} from './cli.js';

const SCRIPT = new URL('../../scripts/pfnaudit-capture.sh', import.meta.url).pathname;

/** A fake root with a small machine's files: 1 GiB of boot RAM and a hot-added 256 MiB, half offline. */
function fakeRoot(): string {
	const root = mkdtempSync(path.join(tmpdir(), 'pfnaudit-root-'));
	const files: Record<string, string> = {
		'proc/iomem': '00001000-0009fbff : System RAM\n00100000-3fffffff : System RAM\n40000000-4fffffff : System RAM\n',
		'proc/sys/kernel/osrelease': '6.1.176-1-amd64\n',
		'sys/devices/system/memory/block_size_bytes': '8000000\n',
		'sys/devices/system/memory/memory8/state': 'online\n',
		'sys/devices/system/memory/memory8/phys_index': '00000008\n',
		'sys/devices/system/memory/memory9/state': 'offline\n',
		'sys/devices/system/memory/memory9/phys_index': '00000009\n',
		'sys/devices/system/node/node0/memory8': '',
	};
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(root, name)), {recursive: true});
		writeFileSync(path.join(root, name), text);
	}

	return root;
}

describe('pfnaudit capture', () => {
	it('A test that captures a fake root with --sysroot. Expect its files under their own paths, the missing ones named with why, and an import with the block states', async () => {
		const root = fakeRoot();
		const work = mkdtempSync(path.join(tmpdir(), 'pfnaudit-cap-'));
		const run = await runCli(['capture', 'box', '--sysroot', root], work);
		expect(run.code).toBe(0);
		expect(readFileSync(path.join(work, 'box/sys/devices/system/memory/memory9/state'), 'utf8')).toBe('offline\n');
		expect(existsSync(path.join(work, 'box/sys/devices/system/node/node0/memory8'))).toBe(true);
		expect(run.stderr).toMatch(/not captured: proc\/zoneinfo: not present on this kernel/);
		expect(run.stderr).toMatch(/next: pfnaudit import box -o topology\.yaml/);
		const imported = await runCli(['import', 'box'], work);
		expect(imported.code).toBe(0);
		expect(imported.stdout).toMatch(/kernel: "6\.1"/);
		expect(imported.stdout).toMatch(/patches: \[stable-6\.1\.176\]/);
		// One add_memory() (one iomem resource) whose two blocks differ: one entry with blocks:.
		expect(imported.stdout).toMatch(/- kind: hotplug\n {4}start: 0x4000_0000\n {4}end: 0x5000_0000\n {4}state: (online|offline)\n {4}blocks:\n {6}# sys\/devices\/system\/memory\/memory(8|9)\/state:1\n {6}- \{start: 0x4[08]00_0000, end: 0x[45][08]00_0000, state: (offline|online)\}\n/);
		const again = await runCli(['capture', 'box', '--sysroot', root], work);
		expect(again).toMatchObject({code: 2, stderr: expect.stringMatching(/box: the directory exists and is not empty/)});
	});

	it('A test that captures a fake arm64 root with debugfs memblock and an nvdimm namespace, and one with debugfs not mounted. Expect memblock/memory and memblock/reserved under their own paths, the namespace\'s mode (not the region\'s attributes), else "debugfs is not mounted"', async () => {
		const root = fakeRoot();
		const memblock = path.join(root, 'sys/kernel/debug/memblock');
		mkdirSync(memblock, {recursive: true});
		writeFileSync(path.join(memblock, 'memory'), '   0: 0x0000000000000000..0x000000003fffffff    0 NONE\n   1: 0x0000000040000000..0x00000000401fffff    0 NOMAP\n');
		writeFileSync(path.join(memblock, 'reserved'), '   0: 0x0000000001000000..0x0000000001000fa7    0 NONE\n');
		const capture = captureLive({sysroot: root, isRoot: true, tools: false});
		expect(capture.files.filter(f => f.name.startsWith('sys/kernel/debug/')).map(f => f.name)).toEqual(['sys/kernel/debug/memblock/memory', 'sys/kernel/debug/memblock/reserved']);
		expect(capture.missing.map(m => m.name)).not.toContain('sys/kernel/debug/memblock');
		const nd = path.join(root, 'sys/bus/nd/devices');
		mkdirSync(path.join(nd, 'namespace0.0'), {recursive: true});
		mkdirSync(path.join(nd, 'region0'), {recursive: true});
		writeFileSync(path.join(nd, 'namespace0.0/mode'), 'raw\n');
		writeFileSync(path.join(nd, 'region0/size'), '536870912\n');
		const withNd = captureLive({sysroot: root, isRoot: true, tools: false});
		expect(withNd.files.filter(f => f.name.startsWith('sys/bus/nd/')).map(f => f.name)).toEqual(['sys/bus/nd/devices/namespace0.0/mode']);
		const bare = fakeRoot();
		mkdirSync(path.join(bare, 'sys/kernel/debug'), {recursive: true});
		const unmounted = captureLive({sysroot: bare, isRoot: true, tools: false});
		expect(unmounted.missing.find(m => m.name === 'sys/kernel/debug/memblock')?.why).toBe('debugfs is not mounted (mount -t debugfs none /sys/kernel/debug)');
	});

	it('A test that runs the tools of a capture with a fake runner. Expect a missing tool named with its package and a failing one with its error', () => {
		const root = fakeRoot();
		const capture = captureLive({
			sysroot: root,
			isRoot: false,
			tools: true,
			run: command => (command === 'ndctl'
				? {status: 1, stdout: '', stderr: 'error: no bus\n', missing: false}
				: command === 'dmesg'
					? {status: 1, stdout: '', stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n', missing: false}
					: {status: null, stdout: '', stderr: '', missing: true}),
		});
		const why = Object.fromEntries(capture.missing.map(m => [m.name, m.why]));
		expect(why['ndctl-list.json']).toBe('ndctl list -RNDi failed: error: no bus');
		expect(why['daxctl-list.json']).toBe('daxctl is not installed (apt-get install daxctl)');
		expect(why['dmesg.txt']).toBe('needs root (kernel.dmesg_restrict)');
	});

	it.runIf(process.platform === 'linux' && existsSync('/proc/iomem'))('A test that captures this machine for real (pfnaudit capture, then the sh script) and imports both. Expect the same topology, or as non-root the needs-root refusal', async () => {
		const work = mkdtempSync(path.join(tmpdir(), 'pfnaudit-live-'));
		const node = await runCli(['capture', 'live', '--tar'], work);
		expect(node.code).toBe(0);
		execFileSync('sh', [SCRIPT, path.join(work, 'script')], {stdio: 'pipe'});
		const a = await runCli(['import', 'live.tar.gz', '--name', 'm'], work);
		const b = await runCli(['import', 'script', '--name', 'm'], work);
		if (process.getuid?.() === 0) {
			expect(a.code).toBe(0);
			expect(a.stdout).toMatch(/- kind: boot/);
			expect(b.stdout.replace(/^description: .*$/m, '')).toBe(a.stdout.replace(/^description: .*$/m, ''));
		} else {
			expect(node.stderr).toMatch(/not as root/);
			expect(a).toMatchObject({code: 2, stderr: expect.stringMatching(/only to root/)});
		}
	});
});

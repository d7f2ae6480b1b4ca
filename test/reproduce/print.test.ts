/** `pfnaudit reproduce <topology> --print` through the command line (source/cli/commands/reproduce.ts). */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';

function io(): Io & {out: () => string; err: () => string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	return {stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd(), out: () => out, err: () => err};
}

describe('pfnaudit reproduce --print', () => {
	it('A test that --print writes the recipe of the issue 9 layout. Expect exit 0, the qemu command line, the kernel command line and the numbered guest steps.', async () => {
		const t = io();
		expect(await main(['reproduce', 'topologies/qemu-pmem-hotplug.yaml', '--print'], t)).toBe(0);
		expect(t.out()).toContain('qemu-system-x86_64 -accel tcg -machine pc,nvdimm=on -m 2G,slots=2,maxmem=4G');
		expect(t.out()).toContain('## Kernel command line\nmemmap=496M!1040M memhp_default_state=offline nokaslr\n');
		expect(t.out()).toMatch(/^1\. capture "boot"/m);
		expect(t.out()).toMatch(/^8\. capture "operations\[0\]"/m);
		expect(t.err()).toBe('');
	});

	it('A test that a topology QEMU cannot realise is refused. Expect exit 2 and one sentence naming the file and the reason.', async () => {
		const t = io();
		expect(await main(['reproduce', 'topologies/arm64-nomap.yaml', '--print'], t)).toBe(2);
		expect(t.out()).toBe('');
		expect(t.err().trim().split('\n')).toHaveLength(1);
		expect(t.err()).toMatch(/^pfnaudit: topologies\/arm64-nomap\.yaml: not realisable on a Debian arm64 kernel under QEMU: kernel 5\.13 on arm64-4k: Debian has linux-image packages of 6\.1 and 6\.12 for it/);
	});

	it('A test that --kernel picks the Debian kernel. Expect a 6.18 topology refused without it and realised with --kernel 6.1.', async () => {
		const refused = io();
		expect(await main(['reproduce', 'topologies/x86-vm-hotplug.yaml'], refused)).toBe(2);
		expect(refused.err()).toMatch(/kernel 6\.18: Debian has linux-image packages of 6\.1 and 6\.12 only/);
		const realised = io();
		expect(await main(['reproduce', 'topologies/x86-vm-hotplug.yaml', '--kernel', '6.1'], realised)).toBe(0);
		expect(realised.out()).toContain('# x86-vm-hotplug on Debian linux-image 6.1');
		expect(realised.out()).toContain('-m 24G,slots=3,maxmem=26G');
	});

	it('A test that --uefi boots an arm64 guest through UEFI firmware with ACPI. Expect the virtio-mem topology printed with -machine virt,acpi=on, the AAVMF pflash drives and efi=debug; the no-map topology refused with exit 2 (no /reserved-memory under UEFI); --uefi on x86_64 refused', async () => {
		const t = io();
		expect(await main(['reproduce', 'topologies/qemu-arm64-virtio-mem.yaml', '--print', '--uefi'], t)).toBe(0);
		expect(t.out()).toContain('qemu-system-aarch64 -accel tcg -machine virt,acpi=on -cpu max');
		expect(t.out()).toContain('-drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd');
		expect(t.out()).toMatch(/## Kernel command line\nmemhp_default_state=online nokaslr efi=debug\n/);
		const nomap = io();
		expect(await main(['reproduce', 'topologies/qemu-arm64-nomap.yaml', '--print', '--uefi'], nomap)).toBe(2);
		expect(nomap.err()).toMatch(/under UEFI \(--uefi\) the kernel takes its memory map from the firmware/);
		const x86 = io();
		expect(await main(['reproduce', 'topologies/qemu-pmem-hotplug.yaml', '--print', '--uefi'], x86)).toBe(2);
		expect(x86.err()).toMatch(/--uefi is for arm64 guests/);
	});

	it('A test that --keep refuses a directory that is not empty before anything is downloaded or booted. Expect exit 2 and one sentence naming the directory and the fix', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-keep-'));
		try {
			writeFileSync(path.join(dir, 'something'), 'x');
			const t = io();
			expect(await main(['reproduce', 'topologies/qemu-pmem-hotplug.yaml', '--run', '--keep', dir], t)).toBe(2);
			expect(t.err().trim().split('\n')).toEqual([`pfnaudit: --keep ${dir}: the directory is not empty; give a new or empty directory`]);
		} finally {
			rmSync(dir, {recursive: true, force: true});
		}
	});
});

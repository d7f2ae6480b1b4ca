/**
The kernel cache of `pfnaudit reproduce --run` (source/reproduce/guest/kernel.ts fetchKernel()):
two fetches of the same release at once (two test files, or two pfnaudit runs) must both end with
a complete tree. Debian's tools are stood in for by small scripts on PATH: apt-cache lists one
arm64 release, apt-get download writes a .deb, dpkg-deb -x unpacks a vmlinuz and a modules
directory without modules.dep (as Debian's arm64 packages come), and depmod -b writes modules.dep
after a pause, from inside the modules directory it was given.
*/
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {fetchKernel} from '../../source/reproduce/guest/kernel.js';

const RELEASE = '6.12.99+deb12-arm64';

const SCRIPTS: Record<string, string> = {
	'apt-cache': `echo "linux-image-${RELEASE} - Linux 6.12 for 64-bit ARMv8 machines (signed)"`,
	'apt-get': `touch "linux-image-${RELEASE}_6.12.99-1_arm64.deb"`,
	'dpkg-deb': `sleep 0.2; mkdir -p "$3/boot" "$3/lib/modules/${RELEASE}/kernel"; echo vmlinuz > "$3/boot/vmlinuz-${RELEASE}"`,
	// Works inside the directory it was given, as the real depmod writes there: removed under it, the write fails.
	depmod: `cd "$2/lib/modules/$3" || exit 1; sleep 0.4; echo "kernel/x.ko:" > modules.dep`,
};

let dir: string;
let savedPath: string | undefined;

beforeEach(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-kernel-cache-'));
	const bin = path.join(dir, 'bin');
	mkdirSync(bin);
	for (const [name, body] of Object.entries(SCRIPTS)) {
		writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
		chmodSync(path.join(bin, name), 0o755);
	}

	savedPath = process.env['PATH'];
	process.env['PATH'] = `${bin}:${savedPath ?? ''}`;
});

afterEach(() => {
	process.env['PATH'] = savedPath;
	rmSync(dir, {recursive: true, force: true});
});

describe('fetchKernel(): the kernel cache under concurrent fetches', () => {
	it('A test that fetches the same arm64 release twice at once into an empty cache (each unpacks, runs depmod -b and moves its tree into kernels/<release>). Expect both fetches to succeed with vmlinuz and modules.dep in place, and no download directory left behind', async () => {
		const cache = path.join(dir, 'cache');
		const fetch = async () => fetchKernel('6.12', cache, () => undefined, undefined, 'arm64-4k');
		const [a, b] = await Promise.all([fetch(), fetch()]);
		expect(a.release).toBe(RELEASE);
		expect(b).toEqual(a);
		expect(existsSync(a.vmlinuz)).toBe(true);
		expect(existsSync(path.join(a.modulesDir, 'modules.dep'))).toBe(true);
		expect(readdirSync(path.join(cache, 'kernels'))).toEqual([RELEASE]);
	});

	it('A test that fetches a release whose cached tree is complete. Expect it used as it is, with no download (apt-get would leave a .deb behind)', async () => {
		const cache = path.join(dir, 'cache');
		await fetchKernel('6.12', cache, () => undefined, undefined, 'arm64-4k');
		const lines: string[] = [];
		await fetchKernel('6.12', cache, line => lines.push(line), undefined, 'arm64-4k');
		expect(lines).toEqual([`kernel linux-image-${RELEASE} (cached)`]);
	});
});

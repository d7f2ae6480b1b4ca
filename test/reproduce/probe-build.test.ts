/**
The probe module's builder (source/reproduce/probe/build.ts): the Debian package names and the
compiler it reads from apt and the headers, and a real build of pfnaudit_probe.ko against the
linux-headers of Debian's current 6.1 and 6.12 kernels (downloaded with apt-get into the user's
pfnaudit cache, as `reproduce --run` does). Under .ci/run (PFNAUDIT_CI=1) a machine without
apt-get, make or gcc fails the build tests instead of skipping them.
*/
import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {probeOrFallback} from '../../source/cli/commands/reproduce-run.js';
import {buildProbeModule, crossArchOf, crossCompiler, headerPackagesOf, headersCompiler, moduleVermagic} from '../../source/reproduce/probe/build.js';

const have = (tool: string) => (process.env['PATH'] ?? '').split(':').some(dir => dir !== '' && existsSync(path.join(dir, tool)));
const tools = ['apt-get', 'apt-cache', 'dpkg-deb', 'make', 'gcc'];
const missing = tools.filter(t => !have(t));
if (missing.length > 0 && process.env['PFNAUDIT_CI'] === '1') {
	throw new Error(`PFNAUDIT_CI is set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not installed: the probe module build test needs them (.ci/run installs make and gcc-12)`);
}

/** The arm64 cross build also needs the cross compiler and apt lists with the arm64 architecture (linux-headers-*-arm64). */
const crossMissing = [...missing, ...(have('aarch64-linux-gnu-gcc-12') ? [] : ['aarch64-linux-gnu-gcc-12'])];
if (crossMissing.length > 0 && process.env['PFNAUDIT_CI'] === '1') {
	throw new Error(`PFNAUDIT_CI is set but ${crossMissing.join(', ')} ${crossMissing.length === 1 ? 'is' : 'are'} not installed: the arm64 probe module build test needs them (.ci/run installs gcc-12-aarch64-linux-gnu)`);
}

const cacheDir = path.join(process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'), 'pfnaudit');

/** The newest Debian amd64 kernel release of a series that has headers in the apt sources. */
function currentRelease(series: '6.1' | '6.12', flavour: 'amd64' | 'arm64' | 'arm64-16k' = 'amd64'): string | undefined {
	const names = execFileSync('apt-cache', ['search', '--names-only', `^linux-headers-${series.replace('.', '\\.')}\\.[0-9]+.*-${flavour}$`], {encoding: 'utf8'})
		.split('\n')
		.map(line => line.split(' ')[0]!)
		.filter(name => name.endsWith(`-${flavour}`) && !/-(cloud|rt)-(amd64|arm64)$/.test(name) && (flavour === 'arm64-16k' || !name.endsWith('-16k')))
		.map(name => name.replace(/^linux-headers-/, ''));
	const key = (release: string) => release.match(/\d+/g)!.map(Number);
	return names.sort((a, b) => {
		const [x, y] = [key(a), key(b)];
		for (let i = 0; i < Math.max(x.length, y.length); i++) {
			if ((x[i] ?? 0) !== (y[i] ?? 0)) {
				return (x[i] ?? 0) - (y[i] ?? 0);
			}
		}

		return 0;
	}).at(-1);
}

describe('probe module build', () => {
	it('A test that the packages Kbuild needs are read from linux-headers-<release>\'s Depends. Expect the release\'s headers, its -common tree and its linux-kbuild for both Debian series, and nothing for a package without them', () => {
		expect(headerPackagesOf('6.12.118+deb12-amd64', 'Package: linux-headers-6.12.118+deb12-amd64\nDepends: linux-base (>= 4.12~), linux-headers-6.12.118+deb12-common (= 6.12.118-1~deb12u1), linux-image-6.12.118+deb12-amd64 (= 6.12.118-1~deb12u1) | linux-image-6.12.118+deb12-amd64-unsigned (= 6.12.118-1~deb12u1), linux-kbuild-6.12.118+deb12, gcc-12\n')).toEqual([
			'linux-headers-6.12.118+deb12-amd64',
			'linux-headers-6.12.118+deb12-common',
			'linux-kbuild-6.12.118+deb12',
		]);
		expect(headerPackagesOf('6.1.0-57-amd64', 'Depends: linux-headers-6.1.0-57-common (= 6.1.192-3), linux-kbuild-6.1 (>= 6.1.192-3), linux-compiler-gcc-12-x86\n')).toEqual(['linux-headers-6.1.0-57-amd64', 'linux-headers-6.1.0-57-common', 'linux-kbuild-6.1']);
		expect(headerPackagesOf('x', 'Depends: linux-base\n')).toBeUndefined();
	});

	it('A test that the compiler is the one the headers\' .kernelvariables names. Expect gcc-12 for 6.1 (its CROSS_COMPILE is for cross builds only) and x86_64-linux-gnu-gcc-12 for 6.12', () => {
		expect(headersCompiler('override ARCH = x86\nCC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-12\nifneq ($(DEB_BUILD_ARCH),$(DEB_HOST_ARCH))\noverride CROSS_COMPILE = $(DEB_HOST_GNU_TYPE)-\nendif\n')).toBe('gcc-12');
		expect(headersCompiler('CC = $(if $(DEBIAN_KERNEL_USE_CCACHE),$(CCACHE)) $(CROSS_COMPILE)gcc-12\nDEB_BUILD_ARCH ?= $(shell dpkg --print-architecture)\noverride CROSS_COMPILE = x86_64-linux-gnu-\n')).toBe('x86_64-linux-gnu-gcc-12');
	});

	for (const series of ['6.1', '6.12'] as const) {
		it.runIf(missing.length === 0)(`A test that builds pfnaudit_probe.ko against Debian's current ${series} linux-headers. Expect a module whose .modinfo has license=Dual MIT/GPL, the end_pfn parameter and the release's vermagic, and a second build to come from the cache`, async () => {
			const release = currentRelease(series);
			expect(release, `no linux-headers-${series}.*-amd64 in the apt sources (apt-get update)`).toBeDefined();
			const built = await buildProbeModule({release: release!, cacheDir});
			expect(built).toMatchObject({kind: 'built'});
			if (built.kind !== 'built') {
				return;
			}

			const modinfo = readFileSync(built.ko).toString('latin1');
			expect(modinfo).toContain('license=Dual MIT/GPL\0');
			expect(modinfo).toContain('parm=end_pfn:');
			expect(modinfo).toContain(`vermagic=${release!} `);
			const again = await buildProbeModule({release: release!, cacheDir});
			expect(again).toMatchObject({kind: 'built', cached: true, ko: built.ko});
		}, 600_000);
	}

	it('A test that an arm64 release is cross-built off arm64 with the compiler its headers name. Expect arm64 for -arm64 and -arm64-16k on x64 and nothing on arm64 or for amd64, and aarch64-linux-gnu-gcc-12 from 6.1\'s gcc-12 and from 6.12\'s aarch64-linux-gnu-gcc-12', () => {
		expect(crossArchOf('6.12.118+deb12-arm64', 'x64')).toBe('arm64');
		expect(crossArchOf('6.12.118+deb12-arm64-16k', 'x64')).toBe('arm64');
		expect(crossArchOf('6.1.0-57-arm64', 'x64')).toBe('arm64');
		expect(crossArchOf('6.1.0-57-arm64', 'arm64')).toBeUndefined();
		expect(crossArchOf('6.12.118+deb12-amd64', 'x64')).toBeUndefined();
		expect(crossCompiler('gcc-12', 'arm64')).toBe('aarch64-linux-gnu-gcc-12');
		expect(crossCompiler('aarch64-linux-gnu-gcc-12', 'arm64')).toBe('aarch64-linux-gnu-gcc-12');
		expect(crossCompiler(undefined, 'arm64')).toBe('aarch64-linux-gnu-gcc');
	});

	it('A test that the vermagic is read from a module\'s .modinfo strings. Expect the string after vermagic= up to its NUL, and nothing without one', () => {
		const modinfo = Buffer.from('\0license=GPL\0vermagic=6.1.0-57-arm64 SMP mod_unload modversions aarch64\0name=x\0', 'latin1');
		expect(moduleVermagic(modinfo)).toBe('6.1.0-57-arm64 SMP mod_unload modversions aarch64');
		expect(moduleVermagic(Buffer.from('\0license=GPL\0', 'latin1'))).toBeUndefined();
	});

	for (const [series, flavour] of [['6.1', 'arm64'], ['6.12', 'arm64'], ['6.12', 'arm64-16k']] as const) {
		it.runIf(crossMissing.length === 0 && process.arch !== 'arm64')(`A test that cross-builds pfnaudit_probe.ko against Debian's current ${series} ${flavour} linux-headers with the amd64 linux-kbuild. Expect an aarch64 ELF module whose vermagic is the release's and ends in aarch64, built with aarch64-linux-gnu-gcc-12`, async () => {
			const release = currentRelease(series, flavour);
			expect(release, `no linux-headers-${series}.*-${flavour} in the apt sources (dpkg --add-architecture arm64; apt-get update)`).toBeDefined();
			const built = await buildProbeModule({release: release!, cacheDir});
			expect(built).toMatchObject({kind: 'built', compiler: 'aarch64-linux-gnu-gcc-12'});
			if (built.kind !== 'built') {
				return;
			}

			const ko = readFileSync(built.ko);
			// e_machine (offset 18, little-endian) EM_AARCH64 = 183.
			expect(ko.readUInt16LE(18)).toBe(183);
			expect(moduleVermagic(ko)).toMatch(new RegExp(`^${release!.replaceAll('.', '\\.').replaceAll('+', '\\+')} SMP .*aarch64$`));
		}, 600_000);
	}

	it('A test that a release Debian does not have comes back as missing, not as an error. Expect one sentence naming the package', async () => {
		const result = await buildProbeModule({release: '6.1.0-0-nosuch', cacheDir: path.join(cacheDir, 'test-missing')});
		expect(result.kind).toBe('missing');
		if (result.kind === 'missing') {
			expect(result.reason).toMatch(missing.length === 0 ? /^no package linux-headers-6\.1\.0-0-nosuch in the apt sources/ : / is not installed/);
		}
	});

	it('A test that `reproduce --run` goes on without the probe module when it cannot be built (probeOrFallback()). Expect a `missing` answer that says why, and one warning line that says so and that the checks come from /proc/kpageflags and sysfs only', async () => {
		const lines: string[] = [];
		const build = probeOrFallback({cacheDir: path.join(cacheDir, 'test-missing'), onProgress: line => lines.push(line)});
		const result = await build('6.1.0-0-nosuch');
		expect(result.kind).toBe('missing');
		const reason = result.kind === 'missing' ? result.reason : '';
		expect(reason).toMatch(missing.length === 0 ? /^no package linux-headers-6\.1\.0-0-nosuch in the apt sources: run apt-get update/ : / is not installed/);
		expect(lines.filter(line => line.startsWith('warning: the probe module cannot be built: '))).toEqual([`warning: the probe module cannot be built: ${reason}; comparing /proc/kpageflags and sysfs only (--no-probe skips the build)`]);
	});
});

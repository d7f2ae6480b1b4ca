/**
Builds the probe module (./module/pfnaudit_probe.c, docs/probe-format.md) for one Debian kernel
release, out of tree with Kbuild, against that release's own `linux-headers` packages:

1. `apt-cache show linux-headers-<release>` names the two packages it depends on,
   `linux-headers-<abi>-common` and `linux-kbuild-<version>`;
2. `apt-get download` fetches the three, `dpkg-deb -x` unpacks them under
   `<cacheDir>/headers/<release>/` (their Makefile includes the common tree by its absolute
   /usr/src path, which is pointed at the unpacked copy);
3. `make -C <headers> M=<build dir> modules` with the compiler the headers name
   (`.kernelvariables`: gcc-12 for Debian bookworm's 6.1 and 6.12 packages) when it is installed,
   else the machine's `gcc` (Debian switches the compiler version check off:
   DEBIAN_KERNEL_NO_CC_VERSION_CHECK). `CONFIG_DEBUG_INFO_BTF_MODULES=` is given on the command
   line: the 6.12 headers would run pahole (package dwarves) to add BTF the probe does not need.

An arm64 release (`-arm64`, `-arm64-16k`) on a machine that is not arm64 is cross-built: the
headers package is the arm64 one (`linux-headers-<release>:arm64`), while linux-kbuild-<version>
is the machine's own architecture — the headers' scripts/ and tools/ are symlinks into
/usr/lib/linux-kbuild-<version>, so Kbuild's host tools (fixdep, modpost, genksyms) are amd64
builds of the same version — and make gets `ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-` with
`CC=aarch64-linux-gnu-gcc-12` (Debian's gcc-12-aarch64-linux-gnu, which the headers' .config
names: CONFIG_CC_VERSION_TEXT "aarch64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0" in
6.12.118+deb12-arm64; 6.1.0-57-arm64 was built natively with "gcc-12 (Debian 12.2.0-14+deb12u1)"
of the same version). 6.1's .kernelvariables sets CROSS_COMPILE only when DEB_BUILD_ARCH differs
from DEB_HOST_ARCH, so the command line gives it. A built module whose vermagic does not start
with the release is refused (the guest's insmod would refuse it too).

The built .ko is cached under `<cacheDir>/probe/<release>-<hash of the source>/`. Whatever is
missing — the headers in the apt sources, apt-get, make, a compiler — or a failed build comes back
as `missing` with one sentence; `pfnaudit reproduce` then compares /proc/kpageflags only and says so
(BootResult.probeMissing).
*/
import {execFile} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync} from 'node:fs';
import {copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export type ProbeBuild =
	| {readonly kind: 'built'; readonly ko: string; readonly cached: boolean; readonly wallMs: number; readonly compiler: string}
	| {readonly kind: 'missing'; readonly reason: string};

export type ProbeBuildOptions = {
	/** `uname -r` of the guest kernel, e.g. `6.12.118+deb12-amd64`. */
	readonly release: string;
	/** The user's pfnaudit cache directory (headers and builds go below it). */
	readonly cacheDir: string;
	readonly onProgress?: (line: string) => void;
	readonly signal?: AbortSignal;
};

const MODULE_FILES = ['pfnaudit_probe.c', 'Kbuild'] as const;
const BUILD_TIMEOUT_MS = 5 * 60_000;

type RunResult = {readonly code: number; readonly stdout: string; readonly stderr: string; readonly missing: boolean};

function run(command: string, args: readonly string[], options: {cwd?: string; signal?: AbortSignal; timeoutMs?: number; env?: NodeJS.ProcessEnv} = {}): Promise<RunResult> {
	return new Promise(resolve => {
		execFile(command, args, {cwd: options.cwd, signal: options.signal, timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024, env: options.env ?? process.env}, (error, stdout, stderr) => {
			const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
			resolve({code, stdout: String(stdout), stderr: String(stderr), missing: (error as NodeJS.ErrnoException | null)?.code === 'ENOENT'});
		});
	});
}

async function onPath(command: string): Promise<boolean> {
	const dirs = (process.env['PATH'] ?? '/usr/bin:/bin').split(path.delimiter);
	return dirs.some(dir => dir !== '' && existsSync(path.join(dir, command)));
}

/** The directory of the module's source, found from this file in the source tree or in dist/. */
export function probeModuleSourceDir(): string {
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 8; i++) {
		const candidate = path.join(dir, 'source', 'reproduce', 'probe', 'module');
		if (existsSync(path.join(candidate, 'pfnaudit_probe.c'))) {
			return candidate;
		}

		dir = path.dirname(dir);
	}

	throw new Error('the probe module source (source/reproduce/probe/module/pfnaudit_probe.c) is not installed with this pfnaudit');
}

/** The Debian architecture of a release's kernel when it is not the machine's: `arm64` for `…-arm64` and `…-arm64-16k` off arm64. */
export function crossArchOf(release: string, machineArch: string = process.arch): 'arm64' | undefined {
	return /-arm64(-16k)?$/.test(release) && machineArch !== 'arm64' ? 'arm64' : undefined;
}

const CROSS_PREFIX = {arm64: 'aarch64-linux-gnu-'} as const;

/** The cross compiler for `arch` named after the headers' one: `gcc-12` (6.1) or `aarch64-linux-gnu-gcc-12` (6.12) → `aarch64-linux-gnu-gcc-12`. */
export function crossCompiler(wanted: string | undefined, arch: 'arm64'): string {
	const cc = (wanted ?? 'gcc').replace(/^\w+-linux-gnu-/, '');
	return `${CROSS_PREFIX[arch]}${cc}`;
}

/** The packages linux-headers-<release> depends on that Kbuild needs: its -common tree and linux-kbuild. */
export function headerPackagesOf(release: string, aptCacheShow: string): string[] | undefined {
	const depends = /^Depends:\s*(.*)$/m.exec(aptCacheShow)?.[1];
	if (depends === undefined) {
		return undefined;
	}

	const names = depends.split(',').map(d => d.trim().split(/[\s(|]/)[0]!);
	const common = names.find(n => /^linux-headers-.*-common$/.test(n));
	const kbuild = names.find(n => n.startsWith('linux-kbuild-'));
	return common && kbuild ? [`linux-headers-${release}`, common, kbuild] : undefined;
}

/** `CC = ... gcc-12` of the headers' .kernelvariables → `gcc-12` (with the CROSS_COMPILE prefix Debian sets for a native build). */
export function headersCompiler(kernelVariables: string): string | undefined {
	const cc = /^CC\s*=.*\)\s*\$\(CROSS_COMPILE\)(\S+)\s*$/m.exec(kernelVariables)?.[1];
	if (cc === undefined) {
		return undefined;
	}

	// Only an unconditional prefix (6.12: `override CROSS_COMPILE = x86_64-linux-gnu-`); 6.1 sets one for cross builds only.
	const cross = /^override CROSS_COMPILE\s*=\s*([^\s$]+)\s*$/m.exec(kernelVariables)?.[1];
	return `${cross ?? ''}${cc}`;
}

async function fetchHeaders(release: string, root: string, options: ProbeBuildOptions): Promise<string | {missing: string}> {
	const headers = path.join(root, 'usr', 'src', `linux-headers-${release}`);
	if (existsSync(path.join(root, '.complete'))) {
		return headers;
	}

	for (const tool of ['apt-cache', 'apt-get', 'dpkg-deb']) {
		if (!(await onPath(tool))) {
			return {missing: `${tool} is not installed: the probe module is built against Debian's linux-headers-${release}, fetched with apt-get download (a Debian or Ubuntu machine)`};
		}
	}

	const show = await run('apt-cache', ['show', '--no-all-versions', `linux-headers-${release}`], {signal: options.signal});
	const packages = show.code === 0 ? headerPackagesOf(release, show.stdout) : undefined;
	if (!packages) {
		return {missing: `no package linux-headers-${release} in the apt sources: run apt-get update (Debian's archive has the headers of the kernels it ships)`};
	}

	// A cross build: the arm64 headers, the -common tree (Architecture: all) and the machine's own linux-kbuild.
	const cross = crossArchOf(release);
	if (cross !== undefined) {
		packages[0] = `${packages[0]!}:${cross}`;
	}

	options.onProgress?.(`probe: downloading ${packages.join(', ')}`);
	// Unpacked into a directory of its own and renamed into place complete: two builds of one release
	// at once (parallel test files, two reproduce runs) never see each other's half-unpacked tree.
	await mkdir(path.dirname(root), {recursive: true});
	const staging = await mkdtemp(path.join(path.dirname(root), '.headers-'));
	const download = await mkdtemp(path.join(path.dirname(root), '.download-'));
	try {
		const got = await run('apt-get', ['download', ...packages], {cwd: download, signal: options.signal, timeoutMs: 10 * 60_000});
		if (got.code !== 0) {
			return {missing: `apt-get download ${packages.join(' ')} failed: ${lastLine(got.stderr) ?? `exit ${got.code}`}`};
		}

		for (const deb of (await readdir(download)).filter(f => f.endsWith('.deb'))) {
			const x = await run('dpkg-deb', ['-x', path.join(download, deb), staging], {signal: options.signal});
			if (x.code !== 0) {
				return {missing: `dpkg-deb -x ${deb} failed: ${lastLine(x.stderr) ?? `exit ${x.code}`}`};
			}
		}

		// The release's Makefile includes /usr/src/linux-headers-<abi>-common/Makefile: point it at the copy (at its final place).
		const makefile = path.join(staging, 'usr', 'src', `linux-headers-${release}`, 'Makefile');
		if (!existsSync(makefile)) {
			return {missing: `linux-headers-${release} has no Makefile at usr/src/linux-headers-${release}: not a Debian headers package this pfnaudit knows`};
		}

		const text = await readFile(makefile, 'utf8');
		await writeFile(makefile, text.replaceAll('include /usr/src/', `include ${path.join(root, 'usr', 'src')}/`));
		await writeFile(path.join(staging, '.complete'), `${packages.join('\n')}\n`);
		if (existsSync(root) && !existsSync(path.join(root, '.complete'))) {
			await rm(root, {recursive: true, force: true});
		}

		try {
			await rename(staging, root);
		} catch (error) {
			if (!existsSync(path.join(root, '.complete'))) {
				return {missing: `the headers of ${release} could not be put at ${root}: ${(error as Error).message}`};
			}
		}

		return headers;
	} finally {
		await rm(download, {recursive: true, force: true});
		await rm(staging, {recursive: true, force: true});
	}
}

/** The `vermagic=` string of a module's .modinfo (NUL-separated key=value strings), e.g. `6.12.118+deb12-arm64 SMP mod_unload modversions aarch64`. */
export function moduleVermagic(ko: Uint8Array): string | undefined {
	const text = Buffer.from(ko).toString('latin1');
	const at = text.indexOf('\0vermagic=');
	if (at < 0) {
		return undefined;
	}

	const start = at + '\0vermagic='.length;
	const end = text.indexOf('\0', start);
	return text.slice(start, end < 0 ? undefined : end);
}

function lastLine(text: string): string | undefined {
	const lines = text.split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('make'));
	return lines.find(l => /error/i.test(l)) ?? lines.at(-1);
}

/** Build (or find in the cache) the probe module for `release`. Never throws for a missing tool or a failed build. */
export async function buildProbeModule(options: ProbeBuildOptions): Promise<ProbeBuild> {
	const started = Date.now();
	const sourceDir = probeModuleSourceDir();
	const hash = createHash('sha256');
	for (const f of MODULE_FILES) {
		hash.update(f).update(await readFile(path.join(sourceDir, f)));
	}

	const key = `${options.release}-${hash.digest('hex').slice(0, 16)}`;
	const cached = path.join(options.cacheDir, 'probe', key, 'pfnaudit_probe.ko');
	if (existsSync(cached)) {
		return {kind: 'built', ko: cached, cached: true, wallMs: Date.now() - started, compiler: (await readFile(path.join(path.dirname(cached), 'compiler'), 'utf8').catch(() => '?')).trim()};
	}

	if (!(await onPath('make'))) {
		return {kind: 'missing', reason: 'make is not installed: the probe module is built with Kbuild (apt-get install make gcc)'};
	}

	const headers = await fetchHeaders(options.release, path.join(options.cacheDir, 'headers', options.release), options);
	if (typeof headers !== 'string') {
		return {kind: 'missing', reason: headers.missing};
	}

	const wanted = headersCompiler(await readFile(path.join(headers, '.kernelvariables'), 'utf8').catch(() => ''));
	const cross = crossArchOf(options.release);
	let compiler: string;
	const crossArgs: string[] = [];
	if (cross !== undefined) {
		const candidates = [crossCompiler(wanted, cross), crossCompiler(undefined, cross)];
		const found = [];
		for (const c of candidates) {
			if (await onPath(c)) {
				found.push(c);
			}
		}

		if (found.length === 0) {
			return {kind: 'missing', reason: `no cross compiler for ${options.release}: the arm64 probe module is built with ${candidates[0]!} (apt-get install gcc-aarch64-linux-gnu)`};
		}

		compiler = found[0]!;
		if (compiler !== candidates[0]) {
			options.onProgress?.(`probe: ${candidates[0]!} is not installed; building with ${compiler}`);
		}

		crossArgs.push(`ARCH=${cross}`, `CROSS_COMPILE=${CROSS_PREFIX[cross]}`);
	} else if (wanted !== undefined && (await onPath(wanted))) {
		compiler = wanted;
	} else if (await onPath('gcc')) {
		compiler = 'gcc';
		options.onProgress?.(`probe: ${wanted ?? 'the headers\' compiler'} is not installed; building with gcc`);
	} else {
		return {kind: 'missing', reason: `no C compiler: the probe module for ${options.release} is built with ${wanted ?? 'gcc'} (apt-get install ${wanted?.replace(/^x86_64-linux-gnu-/, '') ?? 'gcc'})`};
	}

	options.onProgress?.(`probe: building pfnaudit_probe.ko for ${options.release} with ${compiler}`);
	await mkdir(path.join(options.cacheDir, 'probe'), {recursive: true});
	const buildDir = await mkdtemp(path.join(options.cacheDir, 'probe', '.build-'));
	try {
		for (const f of MODULE_FILES) {
			await copyFile(path.join(sourceDir, f), path.join(buildDir, f));
		}

		const made = await run('make', ['-C', headers, `M=${buildDir}`, ...crossArgs, `CC=${compiler}`, 'CONFIG_DEBUG_INFO_BTF_MODULES=', 'modules'], {signal: options.signal, timeoutMs: BUILD_TIMEOUT_MS});
		const ko = path.join(buildDir, 'pfnaudit_probe.ko');
		if (made.code !== 0 || !existsSync(ko)) {
			return {kind: 'missing', reason: `building the probe module against linux-headers-${options.release} with ${compiler} failed: ${lastLine(made.stderr) ?? lastLine(made.stdout) ?? `exit ${made.code}`}`};
		}

		const vermagic = moduleVermagic(await readFile(ko));
		if (vermagic === undefined || !vermagic.startsWith(`${options.release} `)) {
			return {kind: 'missing', reason: `the probe module built against linux-headers-${options.release} has vermagic ${vermagic === undefined ? '(none)' : `"${vermagic}"`}, not the release's: the guest would refuse it`};
		}

		await mkdir(path.dirname(cached), {recursive: true});
		await writeFile(path.join(path.dirname(cached), 'compiler'), `${compiler}\n`);
		await copyFile(ko, `${cached}.tmp`);
		await rename(`${cached}.tmp`, cached);
		return {kind: 'built', ko: cached, cached: false, wallMs: Date.now() - started, compiler};
	} finally {
		await rm(buildDir, {recursive: true, force: true});
	}
}

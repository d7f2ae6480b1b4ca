/**
The guest's initramfs, as newc cpio archives written by GNU cpio (`cpio -o -H newc`):
- the base (cached per kernel release, module set and tool binaries): /init (./init.ts), busybox
  (busybox-static), ndctl, daxctl and kmod with the shared libraries ldd names, kpageflags-runs
  (c/kpageflags-runs.c, built static with the host's gcc and cached), the capture script
  (scripts/pfnaudit-capture.sh), and the kernel package's own modules the plan needs with their
  dependencies (./modules.ts), listed in load order in /etc/pfnaudit/modules;
- the plan (per boot, small): /etc/pfnaudit/plan.sh and its step scripts, and the probe module at
  PROBE_GUEST_KO when there is one.
The two are concatenated into one file for -initrd (the kernel unpacks them in turn).
*/
import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {chmodSync, copyFileSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {InputError} from '../../errors/input-error.js';
import {PACKAGE_ROOT} from '../../paths.js';
import type {GuestPlan, ReproduceArch} from '../types.js';
import {PROBE_GUEST_KO} from '../types.js';
import {GUEST_CAPTURE_SCRIPT, GUEST_KPAGEFLAGS_RUNS, GUEST_MODULES, INIT_SCRIPT, initScript, planFiles} from './init.js';
import type {KernelFiles} from './kernel.js';
import {moduleLoadOrder, parseModulesBuiltin, parseModulesDep} from './modules.js';
import {missingTool, requireTool, run, sharedLibraries, whichTool} from './tools.js';

/** Modules the host side needs besides the plan's: the virtio disk the captures come back on. */
export const TRANSPORT_MODULES = ['virtio_pci', 'virtio_blk'];

export const KPAGEFLAGS_RUNS_SOURCE = path.join(PACKAGE_ROOT, 'source', 'reproduce', 'guest', 'c', 'kpageflags-runs.c');
export const CAPTURE_SCRIPT = path.join(PACKAGE_ROOT, 'scripts', 'pfnaudit-capture.sh');

function hashOf(parts: ReadonlyArray<string | Buffer>): string {
	const hash = createHash('sha256');
	for (const part of parts) {
		hash.update(part);
		hash.update('\0');
	}

	return hash.digest('hex').slice(0, 20);
}

/**
kpageflags-runs built from its source with the host's gcc (static when libc.a is there), cached by
the source's hash; for an arm64 guest with Debian's cross compiler aarch64-linux-gnu-gcc
(gcc-aarch64-linux-gnu, libc6-dev-arm64-cross), always static.
*/
export async function buildKpageflagsRuns(cacheDir: string, signal?: AbortSignal, arch: ReproduceArch = 'x86_64'): Promise<string> {
	const source = readFileSync(KPAGEFLAGS_RUNS_SOURCE);
	const out = path.join(cacheDir, 'tools', `kpageflags-runs-${arch === 'x86_64' ? '' : 'arm64-'}${hashOf([source]).slice(0, 16)}`);
	if (existsSync(out)) {
		return out;
	}

	if (arch !== 'x86_64') {
		const cross = requireTool('aarch64-linux-gnu-gcc');
		mkdirSync(path.dirname(out), {recursive: true});
		const temporary = `${out}.${process.pid}.tmp`;
		await run(cross, ['-O2', '-static', '-o', temporary, KPAGEFLAGS_RUNS_SOURCE], {signal});
		renameSync(temporary, out);
		return out;
	}

	const gcc = whichTool('gcc') ?? whichTool('cc');
	if (gcc === undefined) {
		throw missingTool('gcc');
	}

	mkdirSync(path.dirname(out), {recursive: true});
	const temporary = `${out}.${process.pid}.tmp`;
	try {
		await run(gcc, ['-O2', '-static', '-o', temporary, KPAGEFLAGS_RUNS_SOURCE], {signal});
	} catch {
		// No libc.a (libc6-dev): a dynamic binary; its libraries go into the initramfs like ndctl's.
		await run(gcc, ['-O2', '-o', temporary, KPAGEFLAGS_RUNS_SOURCE], {signal});
	}

	renameSync(temporary, out);
	return out;
}

/** Write `files` (paths relative to `root`, sorted) as a newc archive. */
async function cpioArchive(root: string, out: string, signal?: AbortSignal): Promise<void> {
	const cpio = requireTool('cpio');
	const names: string[] = [];
	const walk = (relative: string) => {
		for (const name of readdirSync(path.join(root, relative)).sort()) {
			const rel = relative === '' ? name : `${relative}/${name}`;
			names.push(rel);
			if (statSync(path.join(root, rel)).isDirectory()) {
				walk(rel);
			}
		}
	};

	walk('');
	const child = spawn(cpio, ['-o', '-H', 'newc', '--quiet', '-R', '0:0', '--reproducible'], {cwd: root, signal, stdio: ['pipe', 'pipe', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const exited = new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	});
	child.stdin.end(`${names.join('\n')}\n`);
	await pipeline(child.stdout, createWriteStream(out));
	const code = await exited;
	if (code !== 0) {
		throw new Error(`cpio -o -H newc failed (exit ${code}): ${stderr.trim()}`);
	}
}

/** Fill a fresh directory next to `out`, archive it, and move the archive to `out` (the cache) in one rename; the directory is removed whatever happens. */
async function writeArchive(out: string, signal: AbortSignal | undefined, fill: (root: string) => void | Promise<void>): Promise<void> {
	mkdirSync(path.dirname(out), {recursive: true});
	const root = mkdtempSync(path.join(path.dirname(out), '.build-'));
	try {
		await fill(root);
		const temporary = `${out}.${process.pid}.tmp`;
		await cpioArchive(root, temporary, signal);
		renameSync(temporary, out);
	} finally {
		rmSync(root, {recursive: true, force: true});
	}
}

function put(root: string, guestPath: string, from: string | {text: string}, mode = 0o755): void {
	const target = path.join(root, guestPath);
	mkdirSync(path.dirname(target), {recursive: true});
	if (typeof from === 'string') {
		copyFileSync(from, target);
	} else {
		writeFileSync(target, from.text);
	}

	chmodSync(target, mode);
}

export type BaseImage = {readonly file: string; readonly modules: readonly string[]};

/**
Debian's static arm64 busybox (busybox-static:arm64, fetched with apt-get download and unpacked
with dpkg-deb -x), cached under cacheDir/tools/arm64/. Needs the arm64 architecture in apt's lists.
*/
export async function fetchArm64Busybox(cacheDir: string, progress: (line: string) => void, signal?: AbortSignal): Promise<string> {
	const out = path.join(cacheDir, 'tools', 'arm64', 'busybox');
	if (existsSync(out)) {
		return out;
	}

	const aptGet = requireTool('apt-get');
	const dpkgDeb = requireTool('dpkg-deb');
	mkdirSync(path.dirname(out), {recursive: true});
	const work = mkdtempSync(path.join(path.dirname(out), '.download-'));
	try {
		progress('downloading busybox-static:arm64 (apt-get download)');
		try {
			await run(aptGet, ['download', 'busybox-static:arm64'], {cwd: work, signal});
		} catch {
			throw new InputError('apt-get download busybox-static:arm64 failed: the arm64 guest needs Debian\'s static arm64 busybox; run dpkg --add-architecture arm64 && apt-get update');
		}

		const deb = readdirSync(work).find(name => name.startsWith('busybox-static_') && name.endsWith('.deb'));
		if (deb === undefined) {
			throw new InputError('apt-get download busybox-static:arm64 wrote no .deb; check the apt sources');
		}

		await run(dpkgDeb, ['-x', path.join(work, deb), path.join(work, 'root')], {signal});
		renameSync(path.join(work, 'root', 'bin', 'busybox'), out);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}

	return out;
}

/** The base archive for a kernel and module set, cached under cacheDir/initramfs/. */
export async function buildBaseInitramfs(kernel: KernelFiles, wantedModules: readonly string[], cacheDir: string, progress: (line: string) => void, signal?: AbortSignal, arch: ReproduceArch = 'x86_64'): Promise<BaseImage> {
	const dep = parseModulesDep(readFileSync(path.join(kernel.modulesDir, 'modules.dep'), 'utf8'));
	const builtinFile = path.join(kernel.modulesDir, 'modules.builtin');
	const builtin = parseModulesBuiltin(existsSync(builtinFile) ? readFileSync(builtinFile, 'utf8') : '');
	const order = moduleLoadOrder([...wantedModules, ...TRANSPORT_MODULES], dep, builtin, kernel.release);
	if (arch !== 'x86_64') {
		return buildArm64BaseInitramfs(kernel, order, arch, cacheDir, progress, signal);
	}

	const guestModules = order.map(rel => `/lib/modules/${kernel.release}/${rel}`);

	const busybox = whichTool('busybox');
	if (busybox === undefined) {
		throw missingTool('busybox');
	}

	if (sharedLibraries(busybox).length > 0) {
		throw missingTool('busybox', 'is the dynamically linked one (package busybox)');
	}

	const binaries = {ndctl: requireTool('ndctl'), daxctl: requireTool('daxctl'), kmod: requireTool('kmod')};
	const kpageflagsRuns = await buildKpageflagsRuns(cacheDir, signal);
	const captureScript = readFileSync(CAPTURE_SCRIPT, 'utf8');
	const libraries = [...new Set([...Object.values(binaries), kpageflagsRuns].flatMap(file => sharedLibraries(file)))].sort();
	const key = hashOf([
		kernel.release,
		INIT_SCRIPT,
		captureScript,
		guestModules.join('\n'),
		...[busybox, ...Object.values(binaries), kpageflagsRuns, ...libraries].map(file => `${file}:${statSync(file).size}:${statSync(file).mtimeMs}`),
	]);
	const out = path.join(cacheDir, 'initramfs', `${kernel.release}-${key}.cpio`);
	if (existsSync(out)) {
		return {file: out, modules: guestModules};
	}

	progress(`building the initramfs for ${kernel.release} (busybox, ndctl, daxctl, kmod, ${order.length} modules)`);
	await writeArchive(out, signal, root => {
		put(root, 'init', {text: INIT_SCRIPT});
		put(root, 'bin/busybox', busybox);
		for (const [name, file] of Object.entries(binaries)) {
			put(root, `usr/bin/${name}`, file);
		}

		put(root, GUEST_KPAGEFLAGS_RUNS, kpageflagsRuns);
		put(root, GUEST_CAPTURE_SCRIPT, {text: captureScript});
		for (const lib of libraries) {
			put(root, lib, lib);
		}

		for (const [i, rel] of order.entries()) {
			put(root, guestModules[i]!, path.join(kernel.modulesDir, rel), 0o644);
		}

		put(root, GUEST_MODULES, {text: `${guestModules.join('\n')}\n`}, 0o644);
	});

	return {file: out, modules: guestModules};
}

/**
The arm64 base archive: busybox-static:arm64, kpageflags-runs cross-built, the capture script and
the modules decompressed on the host (busybox insmod reads plain .ko files).
*/
async function buildArm64BaseInitramfs(kernel: KernelFiles, order: readonly string[], arch: ReproduceArch, cacheDir: string, progress: (line: string) => void, signal?: AbortSignal): Promise<BaseImage> {
	const busybox = await fetchArm64Busybox(cacheDir, progress, signal);
	const kpageflagsRuns = await buildKpageflagsRuns(cacheDir, signal, arch);
	const captureScript = readFileSync(CAPTURE_SCRIPT, 'utf8');
	const init = initScript(arch);
	const guestModules = order.map(rel => `/lib/modules/${kernel.release}/${rel.replace(/\.ko\.xz$/, '.ko')}`);
	const key = hashOf([kernel.release, init, captureScript, guestModules.join('\n'), ...[busybox, kpageflagsRuns].map(file => `${file}:${statSync(file).size}:${statSync(file).mtimeMs}`)]);
	const out = path.join(cacheDir, 'initramfs', `${kernel.release}-${key}.cpio`);
	if (existsSync(out)) {
		return {file: out, modules: guestModules};
	}

	progress(`building the initramfs for ${kernel.release} (busybox-static:arm64, ${order.length} modules)`);
	await writeArchive(out, signal, async root => {
		put(root, 'init', {text: init});
		put(root, 'bin/busybox', busybox);
		put(root, GUEST_KPAGEFLAGS_RUNS, kpageflagsRuns);
		put(root, GUEST_CAPTURE_SCRIPT, {text: captureScript});
		for (const [i, rel] of order.entries()) {
			if (rel.endsWith('.ko.xz')) {
				put(root, `${guestModules[i]!}.xz`, path.join(kernel.modulesDir, rel), 0o644);
				await run(requireTool('xz'), ['-d', path.join(root, `${guestModules[i]!}.xz`)], {signal});
			} else {
				put(root, guestModules[i]!, path.join(kernel.modulesDir, rel), 0o644);
			}
		}

		put(root, GUEST_MODULES, {text: `${guestModules.join('\n')}\n`}, 0o644);
	});

	return {file: out, modules: guestModules};
}

/** The per-boot archive (plan.sh, step scripts, the probe module), written into `workDir`. */
export async function buildPlanInitramfs(plan: GuestPlan, probeModule: string | undefined, workDir: string, signal?: AbortSignal): Promise<string> {
	const root = path.join(workDir, 'plan-root');
	for (const file of planFiles(plan, probeModule !== undefined)) {
		put(root, file.name, {text: file.text});
	}

	if (probeModule !== undefined) {
		put(root, PROBE_GUEST_KO, probeModule, 0o644);
	}

	const out = path.join(workDir, 'plan.cpio');
	await cpioArchive(root, out, signal);
	rmSync(root, {recursive: true, force: true});
	return out;
}

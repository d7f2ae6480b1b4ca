/**
Debian's kernel packages for `pfnaudit reproduce --run`: the newest `linux-image-<release>-amd64`
of a series that apt knows (`apt-cache search`), fetched with `apt-get download` and unpacked with
`dpkg-deb -x` into the cache directory (kernels/<release>/: boot/vmlinuz-<release> and
lib/modules/<release>/). Debian names its 6.1 packages by ABI (`linux-image-6.1.0-57-amd64`, the
kernel 6.1.192) and its 6.12 ones by version (`linux-image-6.12.118+deb12-amd64`).
*/
import {existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../../errors/input-error.js';
import type {ReproduceArch, ReproduceKernel} from '../types.js';
import {requireTool, run} from './tools.js';

/**
The Debian flavour of each guest arch: amd64, arm64 (4K pages) and arm64-16k. The arm64 ones need
the arm64 architecture in apt's lists (dpkg --add-architecture arm64; apt-get update).
*/
export const FLAVOURS: Readonly<Record<ReproduceArch, string>> = {'x86_64': 'amd64', 'arm64-4k': 'arm64', 'arm64-16k': 'arm64-16k'};

/** The package names of a series: the plain flavour only (not -cloud, -rt, -dbg, -unsigned). */
function packagePattern(kernel: ReproduceKernel, arch: ReproduceArch): {apt: string; re: RegExp} {
	const flavour = FLAVOURS[arch].replaceAll('-', String.raw`\-`);
	return kernel === '6.1'
		? {apt: String.raw`^linux-image-6\.1\.0-[0-9]+-${flavour}$`, re: new RegExp(String.raw`^linux-image-(6\.1\.0-\d+-${flavour})$`)}
		: {apt: String.raw`^linux-image-6\.12\.[0-9]+\+deb[0-9]+-${flavour}$`, re: new RegExp(String.raw`^linux-image-(6\.12\.\d+\+deb\d+-${flavour})$`)};
}

/** Order releases by their numbers: 6.1.0-9 < 6.1.0-57, 6.12.99+deb12 < 6.12.118+deb12. */
export function compareReleases(a: string, b: string): number {
	const na = a.match(/\d+/g)!.map(Number);
	const nb = b.match(/\d+/g)!.map(Number);
	for (let i = 0; i < Math.max(na.length, nb.length); i++) {
		const d = (na[i] ?? -1) - (nb[i] ?? -1);
		if (d !== 0) {
			return d;
		}
	}

	return 0;
}

/** The releases of a series in `apt-cache search` output, newest last. */
export function releasesIn(aptCacheOutput: string, kernel: ReproduceKernel, arch: ReproduceArch = 'x86_64'): string[] {
	const out: string[] = [];
	for (const line of aptCacheOutput.split('\n')) {
		const name = line.split(' ')[0] ?? '';
		const m = packagePattern(kernel, arch).re.exec(name);
		if (m) {
			out.push(m[1]!);
		}
	}

	return out.sort(compareReleases);
}

export type KernelFiles = {
	readonly release: string;
	readonly vmlinuz: string;
	/** lib/modules/<release> */
	readonly modulesDir: string;
};

function kernelFiles(cacheDir: string, release: string): KernelFiles {
	const root = path.join(cacheDir, 'kernels', release);
	return {release, vmlinuz: path.join(root, 'boot', `vmlinuz-${release}`), modulesDir: path.join(root, 'lib', 'modules', release)};
}

function complete(files: KernelFiles): boolean {
	return existsSync(files.vmlinuz) && existsSync(path.join(files.modulesDir, 'modules.dep'));
}

function cachedReleases(cacheDir: string, kernel: ReproduceKernel, arch: ReproduceArch): string[] {
	const dir = path.join(cacheDir, 'kernels');
	if (!existsSync(dir)) {
		return [];
	}

	return readdirSync(dir)
		.filter(name => packagePattern(kernel, arch).re.test(`linux-image-${name}`) && complete(kernelFiles(cacheDir, name)))
		.sort(compareReleases);
}

/**
The newest Debian kernel of the series, unpacked in the cache (downloaded first when it is not
there). Without apt lists (no `apt-get update` yet) the newest cached one is used.
*/
export async function fetchKernel(kernel: ReproduceKernel, cacheDir: string, progress: (line: string) => void, signal?: AbortSignal, arch: ReproduceArch = 'x86_64'): Promise<KernelFiles> {
	const aptCache = requireTool('apt-cache');
	const pattern = packagePattern(kernel, arch);
	const {stdout} = await run(aptCache, ['search', '--names-only', pattern.apt], {signal});
	const available = releasesIn(stdout, kernel, arch);
	const cached = cachedReleases(cacheDir, kernel, arch);
	const release = available.at(-1) ?? cached.at(-1);
	if (release === undefined) {
		throw new InputError(`apt knows no linux-image ${kernel} package for ${FLAVOURS[arch]} (apt-cache search ${pattern.apt} found nothing): run apt-get update, with bookworm (and bookworm-updates/-security) in the sources for 6.1 and 6.12${arch === 'x86_64' ? '' : ', after dpkg --add-architecture arm64'}`);
	}

	const files = kernelFiles(cacheDir, release);
	if (complete(files)) {
		progress(`kernel linux-image-${release} (cached)`);
		return files;
	}

	const aptGet = requireTool('apt-get');
	const dpkgDeb = requireTool('dpkg-deb');
	mkdirSync(path.join(cacheDir, 'kernels'), {recursive: true});
	const work = mkdtempSync(path.join(cacheDir, 'kernels', `.download-${release}-`));
	try {
		progress(`downloading linux-image-${release} (apt-get download)`);
		await run(aptGet, ['download', `linux-image-${release}`], {cwd: work, signal});
		const deb = readdirSync(work).find(name => name.startsWith(`linux-image-${release}_`) && name.endsWith('.deb'));
		if (deb === undefined) {
			throw new InputError(`apt-get download linux-image-${release} wrote no .deb; check the apt sources`);
		}

		progress(`unpacking ${deb} (dpkg-deb -x)`);
		const root = path.join(work, 'root');
		await run(dpkgDeb, ['-x', path.join(work, deb), root], {signal});
		if (!existsSync(path.join(root, 'lib', 'modules', release, 'modules.dep'))) {
			// Debian's arm64 packages ship no modules.dep: build it (depmod reads any arch's modules).
			progress(`depmod -b for ${release}`);
			await run(requireTool('depmod'), ['-b', root, release], {signal});
		}

		// The kernel is completed in the download's own directory and then renamed into place, so
		// that another pfnaudit (or test file) fetching the same release at the same time never
		// sees, or removes, a half-built tree: whichever finishes second finds it complete.
		if (!complete(files)) {
			const target = path.join(cacheDir, 'kernels', release);
			rmSync(target, {recursive: true, force: true});
			try {
				renameSync(root, target);
			} catch (error) {
				if (!complete(files)) {
					throw error;
				}
			}
		}
	} finally {
		rmSync(work, {recursive: true, force: true});
	}

	if (!complete(files)) {
		throw new InputError(`linux-image-${release} has no boot/vmlinuz-${release} or lib/modules/${release}/modules.dep once unpacked; is it a meta-package?`);
	}

	return files;
}

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
import type {ReproduceKernel} from '../types.js';
import {requireTool, run} from './tools.js';

/** The package names of a series: the plain amd64 flavour only (not -cloud, -rt, -dbg, -unsigned). */
const PACKAGE_PATTERN: Record<ReproduceKernel, {apt: string; re: RegExp}> = {
	'6.1': {apt: String.raw`^linux-image-6\.1\.0-[0-9]+-amd64$`, re: /^linux-image-(6\.1\.0-\d+-amd64)$/},
	'6.12': {apt: String.raw`^linux-image-6\.12\.[0-9]+\+deb[0-9]+-amd64$`, re: /^linux-image-(6\.12\.\d+\+deb\d+-amd64)$/},
};

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
export function releasesIn(aptCacheOutput: string, kernel: ReproduceKernel): string[] {
	const out: string[] = [];
	for (const line of aptCacheOutput.split('\n')) {
		const name = line.split(' ')[0] ?? '';
		const m = PACKAGE_PATTERN[kernel].re.exec(name);
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

function cachedReleases(cacheDir: string, kernel: ReproduceKernel): string[] {
	const dir = path.join(cacheDir, 'kernels');
	if (!existsSync(dir)) {
		return [];
	}

	return readdirSync(dir)
		.filter(name => PACKAGE_PATTERN[kernel].re.test(`linux-image-${name}`) && complete(kernelFiles(cacheDir, name)))
		.sort(compareReleases);
}

/**
The newest Debian kernel of the series, unpacked in the cache (downloaded first when it is not
there). Without apt lists (no `apt-get update` yet) the newest cached one is used.
*/
export async function fetchKernel(kernel: ReproduceKernel, cacheDir: string, progress: (line: string) => void, signal?: AbortSignal): Promise<KernelFiles> {
	const aptCache = requireTool('apt-cache');
	const {stdout} = await run(aptCache, ['search', '--names-only', PACKAGE_PATTERN[kernel].apt], {signal});
	const available = releasesIn(stdout, kernel);
	const cached = cachedReleases(cacheDir, kernel);
	const release = available.at(-1) ?? cached.at(-1);
	if (release === undefined) {
		throw new InputError(`apt knows no linux-image ${kernel} package for amd64 (apt-cache search ${PACKAGE_PATTERN[kernel].apt} found nothing): run apt-get update, with bookworm (and bookworm-updates/-security) in the sources for 6.1 and 6.12`);
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
		const unpacked = path.join(root);
		const target = path.join(cacheDir, 'kernels', release);
		rmSync(target, {recursive: true, force: true});
		renameSync(unpacked, target);
	} finally {
		rmSync(work, {recursive: true, force: true});
	}

	if (!complete(files)) {
		throw new InputError(`linux-image-${release} has no boot/vmlinuz-${release} or lib/modules/${release}/modules.dep once unpacked; is it a meta-package?`);
	}

	return files;
}

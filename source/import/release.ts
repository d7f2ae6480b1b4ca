/**
A kernel release string (`/proc/sys/kernel/osrelease`, `uname -r`, the `Linux version` banner) →
the semantics pfnaudit models: the mainline `MAJOR.MINOR`, and for a stable/distribution release
the nearest modelled stable preset at or below its sublevel (source/model/stable-patches.ts), e.g.
`6.12.118+deb12-amd64` → `6.12` with `stable-6.12.117`. A release with no preset at or below it
is modelled as mainline, which the importer says on stderr.
*/
import {NEWEST_KERNEL, OLDEST_KERNEL, parseKernelVersion} from '../kernel/version.js';
import {STABLE_PRESETS} from '../model/stable-patches.js';
import type {Arch} from '../model/geometry.js';

export type ReleaseMapping = {
	readonly release: string;
	/** "6.12" */
	readonly kernel: string;
	readonly preset: string | undefined;
	/** Why no preset / why the version changed: said on stderr. */
	readonly warning: string | undefined;
	/** What the comment in the topology says. */
	readonly note: string;
	/** The arch the release names (`-amd64`, `.aarch64`, …), if any. */
	readonly arch: Arch | undefined;
};

/** Presets named `stable-X.Y.Z` (a tree read at that sublevel) or `stable-X.Y.y` (summary says "from X.Y.Z"). */
function presetSublevel(name: string, summary: string): {series: string; sublevel: number} | undefined {
	const exact = /^stable-(\d+\.\d+)\.(\d+)$/.exec(name);
	if (exact) {
		return {series: exact[1]!, sublevel: Number(exact[2])};
	}

	const y = /^stable-(\d+\.\d+)\.y$/.exec(name);
	const from = /from (\d+\.\d+)\.(\d+)/.exec(summary);
	if (y && from && from[1] === y[1]) {
		return {series: y[1]!, sublevel: Number(from[2])};
	}

	return undefined;
}

function archOf(release: string): Arch | undefined {
	if (/amd64|x86_64/.test(release)) {
		return 'x86_64';
	}

	if (/arm64|aarch64/.test(release)) {
		return /64k/.test(release) ? 'arm64-64k' : (/16k/.test(release) ? 'arm64-16k' : 'arm64-4k');
	}

	if (/ppc64/.test(release)) {
		return 'ppc64-64k';
	}

	if (/riscv64/.test(release)) {
		return 'riscv64';
	}

	return /s390x/.test(release) ? 's390x' : undefined;
}

/**
The upstream version of a Debian kernel named by its ABI (`6.1.0-57-amd64`: the sublevel is not
in the release): `6.1.192` from the `Linux version` banner's `#1 SMP … Debian 6.1.192-3 (…)` (the
compiler's `(Debian 12.2.0-14)` comes before the `#`). Undefined for any other release.
*/
export function debianUpstreamVersion(release: string, banner: string): string | undefined {
	const abi = /^(\d+\.\d+)\.0-\d+-/.exec(release.trim());
	const debian = /#\d+\b.*\bDebian (\d+\.\d+)\.(\d+)-/.exec(banner);
	return abi && debian && debian[1] === abi[1] ? `${debian[1]}.${debian[2]!}` : undefined;
}

/** `upstream`: the version proper when the release does not carry it (debianUpstreamVersion()). */
export function mapRelease(release: string, upstream?: string): ReleaseMapping | undefined {
	const match = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec((upstream ?? release).trim());
	if (!match) {
		return undefined;
	}

	const series = `${match[1]}.${match[2]}`;
	const sublevel = match[3] === undefined ? 0 : Number(match[3]);
	const arch = archOf(release);
	const version = parseKernelVersion(series);
	const named = upstream === undefined ? release : `${release} (Debian's ${upstream})`;
	if (!version) {
		const newer = Number(match[1]) * 1000 + Number(match[2]) > 6018;
		if (!newer) {
			return {release, kernel: series, preset: undefined, arch, warning: `kernel ${release} is older than v${OLDEST_KERNEL}, the oldest release pfnaudit models`, note: ''};
		}

		return {
			release,
			kernel: NEWEST_KERNEL,
			preset: undefined,
			arch,
			warning: `kernel ${release} is newer than v${NEWEST_KERNEL}, the newest release pfnaudit models: modelled as mainline v${NEWEST_KERNEL} (give --kernel to choose)`,
			note: `${release} is newer than every modelled release: mainline v${NEWEST_KERNEL}`,
		};
	}

	let best: {name: string; sublevel: number} | undefined;
	for (const preset of STABLE_PRESETS) {
		const at = presetSublevel(preset.name, preset.summary);
		if (at && at.series === series && at.sublevel <= sublevel && (!best || at.sublevel > best.sublevel)) {
			best = {name: preset.name, sublevel: at.sublevel};
		}
	}

	if (best) {
		return {release, kernel: series, preset: best.name, arch, warning: undefined, note: `${named} → v${series} with ${best.name}, the nearest modelled stable tree at or below ${series}.${sublevel}`};
	}

	if (sublevel === 0) {
		return {release, kernel: series, preset: undefined, arch, warning: undefined, note: `${release} → mainline v${series}`};
	}

	return {
		release,
		kernel: series,
		preset: undefined,
		arch,
		warning: `kernel ${named}: no modelled stable tree of ${series}.y at or below sublevel ${sublevel}; modelled as mainline v${series} (stable backports after v${series} are not applied; pfnaudit list patches shows the presets)`,
		note: `${named} → mainline v${series} (no modelled stable tree at or below ${series}.${sublevel})`,
	};
}

/**
The topology header: kernel version (file or --kernel), what-if patches (file plus --patch),
and `config:` values that do not depend on the memory list.
*/
import {InputError} from '../errors/input-error.js';
import {type KernelVersion, NEWEST_KERNEL, OLDEST_KERNEL, parseKernelVersion} from '../kernel/version.js';
import {allowedMaxPhysmemBits, type Arch, defaultMaxPhysmemBits, maxPhysmemBitsVersionProblem} from '../model/geometry.js';
import {findPatch, PATCHES, patchProblem} from '../model/patches.js';
import type {PositionIndex} from './positions.js';

const VERSION_HINT = `a mainline release "MAJOR.MINOR" from ${OLDEST_KERNEL} to ${NEWEST_KERNEL} (pfnaudit list kernels); quote it in YAML so that "6.10" is not read as 6.1`;

function versionProblem(text: string): string {
	if (/^\d+\.\d+\.\d+/.test(text.trim())) {
		const series = text.trim().split('.').slice(0, 2).join('.');
		const presets = PATCHES.filter(patch => patch.kind === 'preset' && patch.versions?.from === series).map(patch => patch.name);
		const how =
			presets.length > 0
				? `and add ${presets.join(' or ')} to patches: (or --patch) to model that stable tree`
				: 'and add the stable backports it carries to patches: (pfnaudit list patches)';
		return `kernel "${text}" names a stable release; pfnaudit models mainline releases: give "${series}" ${how}`;
	}

	if (/^v\d/.test(text.trim())) {
		return `kernel "${text}" has a v prefix; write "${text.trim().slice(1)}"`;
	}

	return `unknown kernel version "${text}": pfnaudit models ${VERSION_HINT}`;
}

/** Resolve `kernel:` or the --kernel override. Throws InputError at the right "where". */
export function resolveKernel(
	fileKernel: string,
	cliKernel: string | undefined,
	file: string,
	index: PositionIndex,
): {kernel: KernelVersion; fromCli: boolean} {
	if (cliKernel !== undefined) {
		const kernel = parseKernelVersion(cliKernel);
		if (!kernel) {
			throw new InputError(versionProblem(cliKernel), {file: '--kernel'});
		}

		return {kernel, fromCli: true};
	}

	const kernel = parseKernelVersion(fileKernel);
	if (!kernel) {
		const pos = index.at(['kernel']);
		throw new InputError(versionProblem(fileKernel), {file, line: pos.line, column: pos.column});
	}

	return {kernel, fromCli: false};
}

/**
Validate `patches:` plus --patch: known names that apply to this arch and kernel version (a
backport only to the releases before its mainline one, a stable-* preset only to its series),
each once.
*/
export function resolvePatches(
	filePatches: readonly string[],
	cliPatches: readonly string[],
	arch: Arch,
	kernel: KernelVersion,
	file: string,
	index: PositionIndex,
	/** File patches the user turned off (`--patch none`, the dashboard's `p` chooser): neither checked nor applied. */
	dropped: (name: string) => boolean = () => false,
): string[] {
	const known = PATCHES.map(patch => patch.name).join(', ');
	const out: string[] = [];
	const check = (name: string, where: () => {file: string; line?: number; column?: number}) => {
		const patch = findPatch(name);
		if (!patch) {
			throw new InputError(`unknown patch "${name}"; the patches are: ${known} (pfnaudit list patches)`, where());
		}

		const problem = patchProblem(patch, arch, kernel);
		if (problem) {
			const fix = patch.arches.includes(arch) ? 'drop it or change kernel' : 'drop it or change arch';
			throw new InputError(`patch "${name}" ${problem}; ${fix} (pfnaudit list patches)`, where());
		}

		if (!out.includes(name)) {
			out.push(name);
		}
	};

	for (const [i, name] of filePatches.entries()) {
		if (dropped(name)) {
			continue;
		}

		check(name, () => {
			const pos = index.at(['patches', i]);
			return {file, line: pos.line, column: pos.column};
		});
	}

	for (const name of cliPatches) {
		check(name, () => ({file: '--patch'}));
	}

	return out;
}

/**
config.max_physmem_bits: one of the values the arch can be built or booted with
(geometry.ts allowedMaxPhysmemBits), e.g. x86_64 46 (4-level paging) or 52 (5-level).
*/
export function resolveMaxPhysmemBits(
	given: number | undefined,
	arch: Arch,
	kernel: KernelVersion,
	file: string,
	index: PositionIndex,
): number {
	if (given === undefined) {
		return defaultMaxPhysmemBits(arch, kernel);
	}

	const allowed = allowedMaxPhysmemBits(arch, kernel);
	const versionRule = maxPhysmemBitsVersionProblem(arch, kernel, given);
	if (versionRule) {
		const pos = index.at(['config', 'max_physmem_bits']);
		throw new InputError(`config.max_physmem_bits ${given}: ${versionRule}`, {file, line: pos.line, column: pos.column});
	}

	if (!allowed.includes(given)) {
		const pos = index.at(['config', 'max_physmem_bits']);
		throw new InputError(
			`config.max_physmem_bits ${given} is not a MAX_PHYSMEM_BITS that ${arch} can have; use one of ${allowed.join(', ')} (arch/*/include/asm/sparsemem.h)`,
			{file, line: pos.line, column: pos.column},
		);
	}

	return given;
}

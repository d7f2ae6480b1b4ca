/**
The patch chooser's list (`p`): every named patch of source/model/patches.ts, each able to say why
it cannot be applied at the arch and kernel of the current run, so the chooser greys out what the
model would reject instead of rerunning into an error.
*/
import {parseKernelVersion} from '../kernel/version.js';
import {type Arch, ARCHES} from '../model/geometry.js';
import {PATCHES, patchProblem} from '../model/patches.js';
import type {PatchChoice} from './port.js';

function isArch(name: string): name is Arch {
	return (ARCHES as readonly string[]).includes(name);
}

export function patchChoices(): PatchChoice[] {
	return PATCHES.map(patch => ({
		name: patch.name,
		summary: patch.summary,
		arches: patch.arches,
		problem(arch: string, kernel: string) {
			const version = parseKernelVersion(kernel);
			if (!isArch(arch) || version === undefined) {
				return undefined;
			}

			return patchProblem(patch, arch, version);
		},
	}));
}

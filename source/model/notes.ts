/**
Model-level notes: one line each, about the kernel selection rather than a pfn — what the model
does not know about the selected kernel. `explain` prints them before the per-pfn notes and the
audit report should carry them (Model.notes).

- An LTS series (kernel.org longterm) without a stable-* preset: the stable tree of that series
  carries backports that change answers (docs/model-facts.md "Stable backports").
- arm64 before v4.19: CONFIG_HOLES_IN_ZONE depended on NUMA (6d526ee26ccd, v4.11) until James
  Morse's "arm64: mm: always enable CONFIG_HOLES_IN_ZONE" (posted 30 Aug 2018 [P], release not
  verified); pfnaudit assumes CONFIG_NUMA=y. arm64's pfn_valid() upper-bits test (5ad356eabc47)
  and section checks are assumed from v4.13 [U] (predicates/pfn-valid.ts).
*/
import {before, type KernelVersion} from '../kernel/version.js';
import type {Arch} from './geometry.js';
import {findPatch, LTS_SERIES, stablePatchesFor} from './patches.js';

/** The notes for a model of `kernel` on `arch` with the patches in effect. */
export function modelNotes(kernel: KernelVersion, arch: Arch, patches: readonly string[]): string[] {
	const notes: string[] = [];
	const hasPreset = patches.some(name => findPatch(name)?.kind === 'preset');
	if (LTS_SERIES.includes(kernel.label) && !hasPreset) {
		notes.push(ltsNote(kernel, arch, patches));
	}

	if (arch.startsWith('arm64') && before(kernel, '4.19')) {
		notes.push(
			'arm64 before v4.19: CONFIG_HOLES_IN_ZONE is assumed on (it depended on NUMA until "arm64: mm: always enable CONFIG_HOLES_IN_ZONE"), and pfn_valid()\'s upper-bits test (5ad356eabc47) and section checks are assumed present [U: releases not verified]',
		);
	}

	return notes;
}

function ltsNote(kernel: KernelVersion, arch: Arch, patches: readonly string[]): string {
	const series = `v${kernel.label} is a long-term stable series; this models mainline v${kernel.label}`;
	const {presets, backports} = stablePatchesFor(arch, kernel);
	if (presets.length > 0) {
		const names = presets.map(preset => preset.name).join(' or ');
		return `${series}: ${kernel.label}.y trees carry backports that change answers - add --patch ${names} (topology patches:) to model the stable tree (pfnaudit list patches)`;
	}

	const missing = backports.map(patch => patch.name).filter(name => !patches.includes(name));
	const list = missing.length > 0 ? `; its backports can be applied one by one: ${missing.join(', ')}` : '';
	return `${series}: no stable-* preset models ${kernel.label}.y${list} (pfnaudit list patches)`;
}

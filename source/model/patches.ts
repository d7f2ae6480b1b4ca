/**
Named what-if patches (topology `patches:`, CLI `--patch`). A patch changes how the model
answers a predicate; its semantics live with the predicate it changes (source/model/), this
registry only names and describes them so that topologies and the CLI can validate names.
*/
import type {Arch} from './geometry.js';

export type PatchInfo = {
	readonly name: string;
	/** One line for `pfnaudit list patches`. */
	readonly summary: string;
	/** The posting it models. */
	readonly source: string;
	/** Architectures it applies to; applying it elsewhere is an input error. */
	readonly arches: readonly Arch[];
};

export const PATCHES: readonly PatchInfo[] = [
	{
		name: 'arm64-pfn-valid-v2',
		summary:
			'arm64 pfn_valid() as in V2 of "arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory": __pfn_to_section() before the NR_MEM_SECTIONS bound (an out-of-bounds mem_section read before v5.18)',
		source:
			'[PATCH V2 1/2, 2/2] arm64/mm (Anshuman Khandual, 2 Feb 2021), queued for v5.12 and dropped after the CKI ThunderX2 boot failure (seeds/000, 001)',
		arches: ['arm64-4k', 'arm64-16k', 'arm64-64k'],
	},
];

export function findPatch(name: string): PatchInfo | undefined {
	return PATCHES.find(patch => patch.name === name);
}

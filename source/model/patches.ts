/**
Named patches (topology `patches:`, CLI `--patch`), three kinds:
- `what-if`: a posting that never shipped as modelled (arm64-pfn-valid-v2);
- `backport`: one mainline commit applied to an older release, as the stable trees did; from its
  mainline release on the behaviour is in effect by version anyway, so a backport only applies to
  the releases before it (`versions`);
- `preset`: a real stable tree the project read (Debian linux-source 5.10.262, 6.1.176, 6.12.117)
  or a documented series, naming the backports it carries (`implies`).
A patch changes how the model (or a walker) answers; its semantics live with the predicate or the
replay step it changes (source/model/, walkers/). This registry names and describes them, and says
where each applies. The evidence for each entry is in `source` and in docs/model-facts.md
"Stable backports".
*/
import {atLeast, type KernelVersion, v} from '../kernel/version.js';
import {type Arch, ARCHES, ARM64_ARCHES as ARM64} from './geometry.js';
import {PROPOSAL_PATCHES} from './proposals.js';
import {STABLE_BACKPORTS, STABLE_PRESETS} from './stable-patches.js';
import {findUserPatch} from './user-patches.js';

export type PatchKind = 'what-if' | 'backport' | 'preset';

/** Where a patch takes effect: the model's predicates and replay, or a walker (by its name). */
export type PatchTarget = 'model' | `walker:${string}`;

export type PatchInfo = {
	readonly name: string;
	readonly kind: PatchKind;
	/** One line for `pfnaudit list patches`. */
	readonly summary: string;
	/** The posting, stable mail or tree it models, and how it was verified. */
	readonly source: string;
	/** Architectures it applies to; applying it elsewhere is an input error. */
	readonly arches: readonly Arch[];
	/** Backports: the mainline commit it brings and the release that first has it. */
	readonly commit?: {readonly id: string; readonly subject: string; readonly release: string};
	/** Further mainline commits the same backport carries or depends on (informational). */
	readonly companions?: ReadonlyArray<{readonly id?: string; readonly subject: string}>;
	/** The modelled releases it applies to, inclusive ("MAJOR.MINOR"); absent = every release. */
	readonly versions?: {readonly from: string; readonly to: string};
	/** Other patches it brings along (applied where they apply; a preset's backports). */
	readonly implies?: readonly string[];
	/** Where it takes effect. */
	readonly applies_in: readonly PatchTarget[];
};

const WHAT_IF: readonly PatchInfo[] = [
	{
		name: 'arm64-pfn-valid-v2',
		kind: 'what-if',
		summary:
			'arm64 pfn_valid() as in V2 of "arm64/mm: Fix pfn_valid() for ZONE_DEVICE based memory": __pfn_to_section() before the NR_MEM_SECTIONS bound (an out-of-bounds mem_section read before v5.18)',
		source:
			'[PATCH V2 1/2, 2/2] arm64/mm (Anshuman Khandual, 2 Feb 2021), queued for v5.12 and dropped after the CKI ThunderX2 boot failure; Message-ID <1612239114-28428-2-git-send-email-anshuman.khandual@arm.com>',
		arches: ARM64,
		applies_in: ['model'],
	},
	// The proposals of the five-category thread (source/model/proposals.ts).
	...PROPOSAL_PATCHES,
];

/** Every named patch: what-ifs, backports, stable presets. */
export const PATCHES: readonly PatchInfo[] = [...WHAT_IF, ...STABLE_BACKPORTS, ...STABLE_PRESETS];

/**
PATCHES by name, the first of a name kept (what PATCHES.find() gave): hasBackport() asks for a
backport on every pfn_valid() (some 100 000 times in a 10 000-entry build).
*/
let patchesByName: Map<string, PatchInfo> | undefined;

export function findPatch(name: string): PatchInfo | undefined {
	if (!patchesByName) {
		patchesByName = new Map();
		for (const patch of PATCHES) {
			if (!patchesByName.has(patch.name)) {
				patchesByName.set(patch.name, patch);
			}
		}
	}

	return patchesByName.get(name) ?? userPatchInfo(name);
}

/** A user what-if patch loaded from a file (source/model/user-patches.ts), as a PatchInfo. */
function userPatchInfo(name: string): PatchInfo | undefined {
	const patch = findUserPatch(name);
	if (!patch) {
		return undefined;
	}

	const {definition} = patch;
	return {
		name,
		kind: 'what-if',
		summary: definition.summary,
		source: `${definition.source} (${patch.file})`,
		arches: ARCHES,
		...(definition.versions ? {versions: definition.versions} : {}),
		applies_in: ['model'],
	};
}

/** Why `patch` cannot be applied at this kernel and arch (one clause), or undefined when it can. */
export function patchProblem(patch: PatchInfo, arch: Arch, kernel: KernelVersion): string | undefined {
	if (!patch.arches.includes(arch)) {
		return `applies to ${patch.arches.join(', ')}, not to arch ${arch}`;
	}

	if (patch.versions && (kernel.code < v(patch.versions.from).code || kernel.code > v(patch.versions.to).code)) {
		const range = patch.versions.from === patch.versions.to ? `v${patch.versions.from}` : `v${patch.versions.from}-v${patch.versions.to}`;
		const native = patch.commit && atLeast(kernel, patch.commit.release) ? ` (v${kernel.label} has ${patch.commit.id} by version: mainline v${patch.commit.release})` : '';
		return `applies to ${range} only, not to v${kernel.label}${native}`;
	}

	return undefined;
}

/**
The patches in effect for a request: the named ones (each must apply — the caller has validated
them) plus everything they imply that applies to this kernel and arch, each once, named ones first.
A preset's backport that does not apply (another arch, already in mainline at this version) is
skipped silently: the preset only brings what its tree could have.
*/
export function expandPatches(names: Iterable<string>, arch: Arch, kernel: KernelVersion): string[] {
	const out = [...new Set(names)];
	const queue = [...out];
	for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
		for (const implied of findPatch(name)?.implies ?? []) {
			const patch = findPatch(implied);
			if (patch && !out.includes(implied) && patchProblem(patch, arch, kernel) === undefined) {
				out.push(implied);
				queue.push(implied);
			}
		}
	}

	return out;
}

/**
True when the behaviour a backport brings is in effect: the kernel is at or past the mainline
release of its commit, or the backport is among `patches` (expanded). Walkers use this through
`backportInEffect(model, name)`.
*/
export function backportInEffect(kernel: KernelVersion, patches: ReadonlySet<string> | readonly string[], name: string): boolean {
	const patch = findPatch(name);
	if (!patch?.commit) {
		throw new Error(`internal: ${name} is not a backport in source/model/patches.ts`);
	}

	const applied = Array.isArray(patches) ? patches.includes(name) : (patches as ReadonlySet<string>).has(name);
	return atLeast(kernel, patch.commit.release) || applied;
}

/** The stable-* presets and backports that apply at a kernel and arch (for notes and `list`). */
export function stablePatchesFor(arch: Arch, kernel: KernelVersion): {presets: PatchInfo[]; backports: PatchInfo[]} {
	const fits = (patch: PatchInfo) => patchProblem(patch, arch, kernel) === undefined;
	return {presets: STABLE_PRESETS.filter(fits), backports: STABLE_BACKPORTS.filter(fits)};
}

/** Long-term stable series (kernel.org longterm releases) in the modelled range. */
export const LTS_SERIES: readonly string[] = ['4.14', '4.19', '5.4', '5.10', '5.15', '6.1', '6.6', '6.12'];

/**
User what-if patches (`--patch ./mine.ts`, docs/writing-a-patch.md): a file that default-exports a
definition made with `defineWhatIf({...})`, loaded and checked like a user walker
(source/patch/load.ts), registered here under its name, and from then on a named patch like the
built-in what-ifs (findPatch(), `patches:`, `--patch-set`).

The contract — what a patch may change, and only through these two doors:
- `predicates(view, answers)`: override predicate answers. `view` is what the kernel holds for the
  pfn (section flags, subsection bit, memmap content, the pgmap and where in its altmap layout the
  pfn lies, the kernel version and arch), `answers` what the model's predicates answered; return
  the answers to replace (OVERRIDABLE keys), or nothing. The view holds no pfn number on purpose:
  answers must be uniform over pfns whose state is uniform, which is what lets walkers be
  evaluated once per run (source/model/runs.ts).
- `afterStep(step, memmap)`: after a step of the replay (boot, a hotplug step, a memremap_pages()
  phase P1-P7 or a memunmap_pages() phase T1-T4 of a device), rewrite memmap content inside the
  range of the entry the step belongs to: initialize pages (ZONE_DEVICE with or without
  page->pgmap, or the zone of the entry) or poison them.
Pure: no I/O; the functions run during the model build, and an exception or a malformed answer
is an InputError naming the patch file (exit 2).
*/
import {InputError} from '../errors/input-error.js';
import type {Arch} from './geometry.js';
import type {DevPagemap, MemmapState, PhaseStep, PredicateAnswers, SectionState} from './types.js';

/** Predicate answers a user patch may replace. */
export const OVERRIDABLE = [
	'pfn_valid',
	'pfn_valid_within',
	'pfn_to_online_page',
	'get_dev_pagemap',
	'pgmap_pfn_valid',
	'pfn_zone_device',
	'pfn_zone_device_reserved',
] as const;
export type Overridable = (typeof OVERRIDABLE)[number];
export type AnswerOverrides = Partial<Pick<PredicateAnswers, Overridable>>;

/** What the kernel holds for a pfn, as a user patch sees it (no pfn number: see the file comment). */
export type PfnView = {
	readonly kernel: string;
	readonly arch: Arch;
	readonly section: SectionState;
	/** The pfn was in a boot (early) section. */
	readonly boot_section: boolean;
	readonly subsection_bit: boolean;
	readonly memblock_memory: boolean;
	readonly memmap: MemmapState;
	/** The pgmap holding the pfn (xarray contents, whatever its ref), with its replay phase. */
	readonly pgmap: (Omit<DevPagemap, 'phase'> & {readonly phase: string}) | null;
	readonly altmap_part: 'reserve' | 'free' | 'data' | null;
};

/** A replay step as afterStep() sees it. */
export type ReplayStepView = {
	/** "boot", "memory[3]:P4", ... (pfnaudit explain --phase takes these). */
	readonly id: string;
	readonly step: PhaseStep;
	readonly kernel: string;
	readonly arch: Arch;
	/** The topology entry the step belongs to (none for boot). */
	readonly entry?: {readonly index: number; readonly kind: 'hotplug' | 'device'; readonly start_pfn: number; readonly end_pfn: number; readonly node: number};
	/** For device steps: the pgmap as the step left it. */
	readonly pgmap?: Omit<DevPagemap, 'phase'> & {readonly phase: string};
};

/** What afterStep() may write: memmap content of pfns in [start, end) inside the step's entry. */
export type MemmapWriter = {
	/** Initialize as ZONE_DEVICE pages of the step's pgmap (`pgmap: true` sets page->pgmap, `false` leaves it NULL), PageReserved. */
	initDevice(start: number, end: number, options: {readonly pgmap: boolean}): void;
	/** page_init_poison(): 0xff over the memmap (garbage without CONFIG_DEBUG_VM is not distinguished). */
	poison(start: number, end: number): void;
};

export type UserPatchDefinition = {
	/** [a-z0-9][a-z0-9._-]*, not a built-in patch name. */
	readonly name: string;
	/** One line for `pfnaudit list patches` and reports. */
	readonly summary: string;
	/** The posting it models: author, date, subject, Message-ID or lore link. */
	readonly source: string;
	/** Releases it applies to, inclusive ("MAJOR.MINOR"); absent = every release. */
	readonly versions?: {readonly from: string; readonly to: string};
	predicates?(view: PfnView, answers: Readonly<PredicateAnswers>): AnswerOverrides | undefined | void;
	afterStep?(step: ReplayStepView, memmap: MemmapWriter): void;
};

/** Identity function that gives a patch file its type. */
export function defineWhatIf(definition: UserPatchDefinition): UserPatchDefinition {
	return definition;
}

export type UserPatch = {readonly definition: UserPatchDefinition; readonly file: string};

const REGISTRY = new Map<string, UserPatch>();

/** Register a loaded patch (source/patch/load.ts). A second file with the same name is refused there. */
export function registerUserPatch(patch: UserPatch): void {
	REGISTRY.set(patch.definition.name, patch);
}

export function findUserPatch(name: string): UserPatch | undefined {
	return REGISTRY.get(name);
}

/** The user patches in effect among `names`. */
export function userPatchesIn(names: Iterable<string>): UserPatch[] {
	const out: UserPatch[] = [];
	for (const name of names) {
		const patch = REGISTRY.get(name);
		if (patch) {
			out.push(patch);
		}
	}

	return out;
}

function problem(patch: UserPatch, what: string, cause?: unknown): InputError {
	const why = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
	return new InputError(`what-if patch '${patch.definition.name}': ${what}${why}; see docs/writing-a-patch.md`, {file: patch.file}, cause === undefined ? undefined : {cause});
}

/** `answers` with the overrides of every user patch in effect, checked. */
export function applyUserPredicates(patches: readonly UserPatch[], view: PfnView, answers: PredicateAnswers): PredicateAnswers {
	let out = answers;
	for (const patch of patches) {
		const hook = patch.definition.predicates;
		if (!hook) {
			continue;
		}

		let overrides: AnswerOverrides | undefined | void;
		try {
			overrides = hook(view, out);
		} catch (error) {
			throw problem(patch, 'predicates() threw', error);
		}

		if (overrides === undefined || overrides === null) {
			continue;
		}

		if (typeof overrides !== 'object') {
			throw problem(patch, `predicates() returned ${typeof overrides}; return an object of answers to replace, or nothing`);
		}

		for (const [key, value] of Object.entries(overrides)) {
			if (!(OVERRIDABLE as readonly string[]).includes(key)) {
				throw problem(patch, `predicates() returned '${key}', which a patch cannot override; choose from ${OVERRIDABLE.join(', ')}`);
			}

			const ok = key === 'get_dev_pagemap' ? value === null || (Number.isSafeInteger(value) && view.pgmap?.id === value) : typeof value === 'boolean';
			if (!ok) {
				throw problem(
					patch,
					key === 'get_dev_pagemap'
						? `predicates() returned get_dev_pagemap: ${String(value)}; return null or the id of the pgmap holding the pfn (view.pgmap.id)`
						: `predicates() returned ${key}: ${JSON.stringify(value)}; return true or false`,
				);
			}
		}

		out = {...out, ...overrides};
	}

	return out;
}

/** Run every user patch's afterStep() for one replay step. */
export function runUserSteps(patches: readonly UserPatch[], step: ReplayStepView, writer: (patch: UserPatch) => MemmapWriter): void {
	for (const patch of patches) {
		const hook = patch.definition.afterStep;
		if (!hook) {
			continue;
		}

		try {
			hook(step, writer(patch));
		} catch (error) {
			if (error instanceof InputError) {
				throw error;
			}

			throw problem(patch, `afterStep() threw at ${step.id}`, error);
		}
	}
}

/** The InputError for a write outside the step's entry. */
export function writeOutside(patch: UserPatch, step: ReplayStepView, start: number, end: number): InputError {
	const range = step.entry ? `[${step.entry.start_pfn}, ${step.entry.end_pfn})` : 'nothing (boot has no entry)';
	return problem(patch, `afterStep() wrote the memmap of [${start}, ${end}) at ${step.id}, outside the step's entry ${range}; write only inside the entry the step belongs to`);
}

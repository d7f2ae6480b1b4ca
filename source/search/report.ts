/**
What `pfnaudit search` writes: the counterexample as a commented topology file (layout.ts
emitLayout) — how it was found, the witness pfn and why, the command that checks it, and per
entry its pfns and sections — and the one-paragraph summary on stderr.
*/
import {CATEGORY_TITLES, type CategoryId} from '../model/categories.js';
import {v} from '../kernel/version.js';
import {geometryFor, hex} from '../model/geometry.js';
import type {Layout} from './layout.js';
import {emitLayout} from './layout.js';
import type {SearchResult} from './search.js';

export type SearchInvocation = {
	readonly walker: string;
	/** What the walker models ("fs/proc/page.c:kpageflags_read()"). */
	readonly models: string;
	/** How --walker was given (a name or the user's path). */
	readonly walkerArg: string;
	readonly categories: readonly CategoryId[];
	readonly seed: number;
	readonly kernel: string;
	readonly arches: readonly string[];
	readonly allArches: boolean;
	readonly patches: readonly string[];
	/** false: --no-phases (final states only). */
	readonly phases?: boolean;
	/** Where the file goes (for the check command), or undefined for stdout. */
	readonly output?: string;
};

/** The name: key of the file: `search-kpageflags_read-5.3`. */
export function counterexampleName(walker: string, kernel: string): string {
	return `search-${walker}-${kernel}`.toLowerCase().replaceAll(/[^a-z0-9._-]/g, '-');
}

function pfnRange(start: number, end: number): string {
	return `[${hex(start)}, ${hex(end)})`;
}

/** A comment per entry: its pfns, its sections, and where the witness is. */
function entryNotes(layout: Layout, witnessPfn: number): Map<number, string> {
	const g = geometryFor(layout.arch, v(layout.kernel));
	const page = g.PAGE_SIZE;
	const section = g.PAGES_PER_SECTION;
	const notes = new Map<number, string>();
	for (const [i, entry] of layout.memory.entries()) {
		const start = entry.start / page;
		const end = entry.end / page;
		const first = Math.floor(start / section);
		const last = Math.floor((end - 1) / section);
		const sections = first === last ? `section ${hex(first)}` : `sections ${hex(first)}-${hex(last)}`;
		const partial = start % section !== 0 || end % section !== 0 ? ', not section aligned' : '';
		const here = witnessPfn >= start && witnessPfn < end ? `; the witness pfn ${hex(witnessPfn)} is here` : '';
		notes.set(i, `memory[${i}]: pfns ${pfnRange(start, end)}, ${sections}${partial}${here}`);
	}

	return notes;
}

/** The counterexample topology file. */
export function renderCounterexample(result: NonNullable<SearchResult['found']>, invocation: SearchInvocation): string {
	const {layout, witness} = result.result;
	const g = geometryFor(layout.arch, v(layout.kernel));
	const flags = [
		`--walker ${invocation.walkerArg}`,
		`--kernel ${invocation.kernel}`,
		...(invocation.allArches ? [] : [`--arch ${invocation.arches.join(',')}`]),
		...(invocation.patches.length > 0 ? [`--patch ${invocation.patches.join(',')}`] : []),
		`--category ${invocation.categories.join(',')}`,
		`--seed ${invocation.seed}`,
		...(invocation.phases === false ? ['--no-phases'] : []),
	].join(' ');
	const phases = witness.phase === 'final' ? '' : ' --phases';
	const file = invocation.output ?? 'FILE.yaml';
	const header = [
		`pfnaudit search: a layout on which ${invocation.walker} (${invocation.models}) touches a ${witness.category} pfn at v${layout.kernel}.`,
		`Found by: pfnaudit search ${flags}`,
		`(layout ${result.index + 1} of the search, shrunk by fast-check in ${result.fastCheckShrinks} steps and by pfnaudit in ${result.shrinkSteps};${
			result.minimal
				? ' 1-minimal: dropping any entry or operation, or moving any boundary inward to the next section edge, makes the audit pass)'
				: ' the shrink was interrupted: smaller than found, not necessarily minimal)'
		}`,
		'',
		`Witness: pfn ${hex(witness.pfn)} (section ${hex(witness.section_nr)}, ${witness.phase === 'final' ? 'final state' : `phase ${witness.phase}`}): ${witness.category}, ${CATEGORY_TITLES[witness.category]}.`,
		witness.why,
		'',
		`Geometry: ${layout.arch}, ${g.PAGE_SIZE / 1024} KiB pages, sections of ${hex(g.PAGES_PER_SECTION)} pfns, subsections of ${hex(g.PAGES_PER_SUBSECTION)}.`,
		`Check: pfnaudit audit ${file} --walker ${invocation.walkerArg} --fail-on ${witness.category}${phases}`,
	];
	return emitLayout(layout, {
		name: counterexampleName(invocation.walker, layout.kernel),
		description: `Counterexample for ${invocation.walker} at v${layout.kernel}: ${witness.category} at pfn ${hex(witness.pfn)}${witness.phase === 'final' ? '' : ` (phase ${witness.phase})`}.`,
		header,
		entryNotes: entryNotes(layout, witness.pfn),
	});
}

/** "12 000 layouts in 9.8 s (1 224/s)". */
export function rateText(tried: number, elapsedMs: number): string {
	const seconds = elapsedMs / 1000;
	return `${tried} layouts in ${seconds.toFixed(1)} s (${seconds > 0 ? Math.round(tried / seconds) : 0}/s)`;
}

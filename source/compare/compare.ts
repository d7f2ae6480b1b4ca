/**
Comparing audits of one topology (`pfnaudit compare`, the dashboard's kernel/patch change,
`pfnaudit bisect`): several AuditReports of the same topology and walkers — one per column, each a
kernel version and a set of patches — side by side, walker by walker and category by category,
with every column's difference against the first.

Pure: no I/O. The audits themselves are run by the caller (source/compare/run.ts), one per
column, with the ordinary audit engine (source/engine/audit.ts), so a column's counts are exactly
what `pfnaudit audit --kernel K --patch P` reports.
*/
import type {AuditReport, Tally, WalkerResult} from '../engine/types.js';
import {CATEGORY_IDS, type CategoryId} from '../model/categories.js';

export type Verdict = WalkerResult['verdict'];

/** One column: the kernel version and the patches in effect (named and implied), as the audit reported them. */
export type ComparisonColumn = {
	readonly kernel: string;
	readonly patches: readonly string[];
	/** The audit's verdict over every walker. */
	readonly verdict: 'pass' | 'fail';
	/** What the user asked for, for headings: "v6.12", "init-altmap-reserve", "(no patch)". */
	readonly label: string;
};

export type ComparisonRow = {
	readonly name: string;
	readonly models: string;
	/** One tally per column (every category key present). */
	readonly touches: readonly Tally[];
	/** Failing touches per column (hole/nomap only where uninitialized). */
	readonly failing: readonly Tally[];
	/** One verdict per column; "absent" where the walker does not exist at that column's kernel. */
	readonly verdicts: ReadonlyArray<Verdict | 'absent'>;
	/** The walker's form in each column ("v5.4+: pfn_to_online_page()"; "" when absent). */
	readonly forms: readonly string[];
	/** Column i minus column 0, per category (every key; all zero for column 0). */
	readonly deltas: readonly Tally[];
	/** True when some column differs from the first in a count or a verdict. */
	readonly changed: boolean;
};

export type Comparison = {
	readonly topology: {readonly name: string; readonly file: string};
	readonly arch: string;
	readonly columns: readonly ComparisonColumn[];
	readonly walkers: readonly ComparisonRow[];
};

/** after − before in one category: a comparison's delta cell and the dashboard's Δ cell (source/ui/state/deltas.ts). */
export function categoryDelta(before: Tally, after: Tally, id: CategoryId): number {
	return after[id] - before[id];
}

/** after − before, for every category. */
export function tallyDelta(before: Tally, after: Tally): Tally {
	return Object.fromEntries(CATEGORY_IDS.map(id => [id, categoryDelta(before, after, id)])) as Tally;
}

/** The categories with a non-zero entry in `tally`. */
export function nonZero(tally: Tally): CategoryId[] {
	return CATEGORY_IDS.filter(id => tally[id] !== 0);
}

function verdictOf(walker: WalkerResult): Verdict | 'absent' {
	return walker.status === 'absent' ? 'absent' : walker.verdict;
}

const ZERO: Tally = Object.freeze(Object.fromEntries(CATEGORY_IDS.map(id => [id, 0]))) as Tally;

/**
The comparison of `reports` (one per column, same topology). `labels` name the columns as the
user asked for them (default: the kernel and patches). Walkers are matched by name, in the order
of the first report; a walker missing from a report counts as absent there.
*/
export function compareReports(reports: readonly AuditReport[], labels?: readonly string[]): Comparison {
	const first = reports[0];
	if (!first) {
		throw new Error('internal: compareReports() needs at least one report');
	}

	for (const report of reports) {
		if (report.topology.name !== first.topology.name || report.arch !== first.arch) {
			throw new Error(`internal: compareReports() of different topologies (${first.topology.name}, ${report.topology.name})`);
		}
	}

	const names: string[] = [];
	for (const report of reports) {
		for (const walker of report.walkers) {
			if (!names.includes(walker.name)) {
				names.push(walker.name);
			}
		}
	}

	const columns = reports.map((report, i) => ({
		kernel: report.kernel,
		patches: [...report.patches],
		verdict: report.verdict,
		label: labels?.[i] ?? columnLabel(report.kernel, report.patches),
	}));
	const walkers = names.map(name => {
		const results = reports.map(report => report.walkers.find(walker => walker.name === name));
		const touches = results.map(result => result?.touches ?? ZERO);
		const failing = results.map(result => result?.failing ?? ZERO);
		const verdicts = results.map(result => (result ? verdictOf(result) : 'absent'));
		const deltas = touches.map(tally => tallyDelta(touches[0]!, tally));
		const changed = deltas.some(delta => nonZero(delta).length > 0) || verdicts.some(verdict => verdict !== verdicts[0]);
		return {
			name,
			models: results.find(result => result)?.models ?? '',
			touches,
			failing,
			verdicts,
			forms: results.map(result => result?.form ?? ''),
			deltas,
			changed,
		};
	});
	return {topology: {name: first.topology.name, file: first.topology.file}, arch: first.arch, columns, walkers};
}

/** "v6.12", "v6.12 + init-altmap-reserve". */
export function columnLabel(kernel: string, patches: readonly string[]): string {
	return [`v${kernel}`, ...patches].join(' + ');
}

/**
What changed against the previous run (after `v`, `p` or `r`): per walker and category, the
difference of the engine's counts, computed as `pfnaudit compare` computes it
(source/compare/compare.ts categoryDelta()). Only finished rows are compared, so a cell never shows a
"delta" that is just the walk not having got there yet.
*/
import {categoryDelta} from '../../compare/compare.js';
import type {AuditReport, Tally} from '../../engine/types.js';
import type {CategoryId} from '../../model/categories.js';
import type {WalkerRow} from './run-store.js';

export type BaselineRow = {
	readonly touches: Tally;
	readonly verdict: 'pass' | 'fail' | 'error';
	readonly form: string;
};

export type Baseline = {
	readonly topologyFile: string;
	readonly kernel: string;
	readonly patches: readonly string[];
	readonly rows: ReadonlyMap<string, BaselineRow>;
};

export function baselineOf(report: AuditReport, topologyFile: string): Baseline {
	return {
		topologyFile,
		kernel: report.kernel,
		patches: report.patches,
		rows: new Map(report.walkers.map(walker => [walker.name, {touches: walker.touches, verdict: walker.verdict, form: walker.form}])),
	};
}

/** "v5.4", "v6.12 + arm64-pfn-valid-v2". */
export function describeBaseline(baseline: Baseline): string {
	return [`v${baseline.kernel}`, ...baseline.patches].join(' + ');
}

function finished(row: WalkerRow): boolean {
	return row.status !== 'pending' && row.status !== 'running';
}

/** current − previous, or undefined when there is nothing to compare (yet). */
export function cellDelta(baseline: Baseline | undefined, row: WalkerRow, category: CategoryId): number | undefined {
	const before = baseline?.rows.get(row.name);
	if (!before || !finished(row)) {
		return undefined;
	}

	return categoryDelta(before.touches, row.touches, category);
}

/** Sum of deltas over several categories (the grouped "haz" column). */
export function groupDelta(baseline: Baseline | undefined, row: WalkerRow, categories: readonly CategoryId[]): number | undefined {
	let sum = 0;
	for (const category of categories) {
		const delta = cellDelta(baseline, row, category);
		if (delta === undefined) {
			return undefined;
		}

		sum += delta;
	}

	return sum;
}

/** The previous verdict when it differs from the finished row's, e.g. "pass" for a row now failing. */
export function verdictChange(baseline: Baseline | undefined, row: WalkerRow): string | undefined {
	const before = baseline?.rows.get(row.name);
	if (!before || !finished(row) || before.verdict === row.verdict) {
		return undefined;
	}

	return before.verdict;
}

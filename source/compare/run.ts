/**
Running the audits of a comparison: one ordinary audit (source/engine/audit.ts runAudit()) per
column and topology, with the column's kernel and patches applied as `--kernel` and `--patch`
would apply them. `pfnaudit compare` and `pfnaudit bisect` call this; nothing here renders.
*/
import {type AuditOptions, runAudit} from '../engine/audit.js';
import type {EvaluationMode} from '../engine/evaluate.js';
import type {AuditReport} from '../engine/types.js';
import type {AuditWalker} from '../engine/jobs.js';
import {InputError} from '../errors/input-error.js';
import type {CategoryId} from '../model/categories.js';
import type {Topology} from '../topology/types.js';

/** What a column asks for: a kernel (undefined: the topology's own) and the patches added to the topology's. */
export type ColumnRequest = {
	readonly kernel: string | undefined;
	readonly patches: readonly string[];
};

/** Spelling of an empty patch set on the command line (`--patch-set none`). */
export const NO_PATCH = 'none';

/** A `--patch-set` value: names separated by commas or `+`; `none` (or empty) is no patch. */
export function parsePatchSet(text: string): string[] {
	const names = text
		.split(/[,+]/)
		.map(name => name.trim())
		.filter(Boolean);
	return names.length === 1 && names[0] === NO_PATCH ? [] : names.filter(name => name !== NO_PATCH);
}

/**
The columns of `--kernel` and `--patch-set`: several kernels (each with the one patch set, if
given), or several patch sets (each at the one kernel, if given). Both several is refused: a
comparison has one axis.
*/
export function columnRequests(kernels: readonly string[], patchSets: ReadonlyArray<readonly string[]>): ColumnRequest[] {
	if (kernels.length > 1 && patchSets.length > 1) {
		throw new InputError(
			`compare takes several --kernel or several --patch-set, not both (${kernels.length} kernels, ${patchSets.length} patch sets); give one --kernel with several --patch-set, or the reverse`,
		);
	}

	const columns =
		kernels.length > 1
			? kernels.map(kernel => ({kernel, patches: patchSets[0] ?? []}))
			: patchSets.map(patches => ({kernel: kernels[0], patches}));
	if (columns.length < 2) {
		throw new InputError('compare needs at least two columns: repeat --kernel (--kernel 5.3 --kernel 5.4) or --patch-set (--patch-set none --patch-set init-altmap-reserve)');
	}

	return columns;
}

export type ColumnAuditOptions = {
	readonly walkers: readonly AuditWalker[];
	readonly failOn: readonly CategoryId[];
	readonly mode: EvaluationMode;
	readonly timeLimitMs: number;
	readonly workers?: number;
	readonly signal?: AbortSignal;
	readonly audit?: Partial<Pick<AuditOptions, 'runner' | 'modelModule' | 'buildModel' | 'progressIntervalMs'>>;
	/** Called before each column's audit (progress lines). */
	readonly onColumn?: (index: number, count: number) => void;
};

/**
One audit per column. `topologyAt(column)` gives the topology with the column's kernel and patches
applied (the CLI re-reads the file with them, so every input check of `audit` applies).
*/
export async function auditColumns(
	columns: readonly ColumnRequest[],
	topologyAt: (column: ColumnRequest) => Topology,
	options: ColumnAuditOptions,
): Promise<AuditReport[]> {
	// Every column's topology first: a patch that does not apply at one column's kernel is an input
	// error before any audit runs.
	const topologies = columns.map(column => topologyAt(column));
	const reports: AuditReport[] = [];
	for (const [i, topology] of topologies.entries()) {
		options.onColumn?.(i, topologies.length);
		// eslint-disable-next-line no-await-in-loop
		const report = await runAudit({
			topology,
			walkers: options.walkers,
			failOn: options.failOn,
			mode: options.mode,
			timeLimitMs: options.timeLimitMs,
			...(options.workers === undefined ? {} : {workers: options.workers}),
			...(options.signal ? {signal: options.signal} : {}),
			...options.audit,
		});
		if (options.signal?.aborted) {
			return reports;
		}

		reports.push(report);
	}

	return reports;
}

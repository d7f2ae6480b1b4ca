/**
From per-phase job results to one WalkerResult per walker. Deterministic: the inputs are in
phase order whatever order the workers finished in.

- Tallies and pfns visited are sums over the audited phases (with --phases a pfn is counted at
  every phase it is touched at; `by_phase` keeps the breakdown).
- Witnesses: per category the first `limit`, phase by phase in walk order, skipping a witness an
  earlier phase already gave (same pfn and call chain): a region that stays broken from P5 to
  `final` is shown once, at the first phase that exposes it.
- Status: the worst of the phases (malformed > threw > timeout > cancelled > ok > absent).
*/
import type {CategoryId} from '../model/categories.js';
import type {FormInfo, JobResult} from './evaluate.js';
import {addTallies, emptyTally, tallyTotal} from './tally.js';
import type {PhaseResult, WalkerResult, WalkerStatus, Witness} from './types.js';

/** What the engine knows about a walker besides its results. */
export type WalkerMeta = {
	readonly name: string;
	readonly models: string;
	readonly file: string;
	readonly builtin: boolean;
};

const SEVERITY: Readonly<Record<WalkerStatus, number>> = {
	absent: 0,
	ok: 1,
	cancelled: 2,
	timeout: 3,
	threw: 4,
	malformed: 5,
};

/** Statuses that make a walker's verdict `error`: its tallies are incomplete. */
export const ERROR_STATUSES: readonly WalkerStatus[] = ['threw', 'timeout', 'malformed', 'cancelled'];

function mergeWitnesses(jobs: readonly JobResult[], limit: number): Witness[] {
	const perCategory = new Map<CategoryId, number>();
	const seen = new Set<string>();
	const out: Witness[] = [];
	for (const job of jobs) {
		for (const witness of job.witnesses) {
			const key = `${witness.category} ${witness.pfn} ${witness.chain.join('/')}`;
			const count = perCategory.get(witness.category) ?? 0;
			if (seen.has(key) || count >= limit) {
				continue;
			}

			seen.add(key);
			perCategory.set(witness.category, count + 1);
			out.push(witness);
		}
	}

	return out;
}

/** `planned`: the form the main thread planned, for a walker stopped before any phase reported one. */
export function combineJobs(meta: WalkerMeta, jobs: readonly JobResult[], limit: number, planned?: FormInfo): WalkerResult {
	const touches = emptyTally();
	const failing = emptyTally();
	const writes = emptyTally();
	let visited = 0;
	let elapsed = 0;
	let status: WalkerStatus = 'absent';
	let error: string | undefined;
	for (const job of jobs) {
		addTallies(touches, job.touches);
		addTallies(failing, job.failing);
		if (job.writes) {
			addTallies(writes, job.writes);
		}

		visited += job.pfns_visited;
		elapsed += job.elapsed_ms;
		if (SEVERITY[job.status] > SEVERITY[status]) {
			status = job.status;
		}

		if (job.error !== undefined && error === undefined) {
			error = jobs.length > 1 ? `phase ${job.phase}: ${job.error}` : job.error;
		}
	}

	const form = jobs.find(job => job.form !== undefined)?.form ?? planned;
	const verdict = ERROR_STATUSES.includes(status) ? 'error' : (tallyTotal(failing) > 0 ? 'fail' : 'pass');
	const byPhase: PhaseResult[] = jobs.map(job => ({
		phase: job.phase,
		status: job.status,
		...(job.error === undefined ? {} : {error: job.error}),
		pfns_visited: job.pfns_visited,
		touches: job.touches,
		failing: job.failing,
		writes: job.writes ?? emptyTally(),
	}));
	return {
		name: meta.name,
		models: meta.models,
		form: form?.form ?? '',
		guard: form?.guard ?? '',
		...(form?.fixed_by ? {fixed_by: form.fixed_by} : {}),
		file: meta.file,
		builtin: meta.builtin,
		status,
		...(error === undefined ? {} : {error}),
		pfns_visited: visited,
		touches,
		failing,
		writes,
		witnesses: mergeWitnesses(jobs, limit),
		verdict,
		...(jobs.length > 1 ? {by_phase: byPhase} : {}),
		elapsed_ms: elapsed,
	};
}

/** The overall verdict: `fail` when a failing category has a non-zero count, or a walker could not be audited. */
export function overallVerdict(walkers: readonly WalkerResult[]): 'pass' | 'fail' {
	return walkers.some(walker => walker.verdict !== 'pass') ? 'fail' : 'pass';
}

/**
The unit of work of an audit: one walker at one phase. Shared by the in-process runner and the
worker pool (everything here is structured-clonable: it crosses the worker boundary).
*/
import type {CategoryId} from '../model/categories.js';
import type {ModelOptions} from '../model/types.js';
import type {WalkerDefinition} from '../walker/contract.js';
import type {EvaluationMode, JobProgress, JobResult} from './evaluate.js';
import {emptyTally} from './tally.js';

/** Where a walker comes from: a worker re-imports it from there. */
export type WalkerSource =
	| {readonly kind: 'builtin'; readonly name: string}
	/** An absolute path to a user walker file (.ts, .mts, .js, .mjs). */
	| {readonly kind: 'file'; readonly path: string};

/** A walker selected for an audit. */
export type AuditWalker = {
	/**
	A built-in's definition; a user walker's plain description without plan() (isolate.ts): the
	CLI's thread never runs a user walker's code, the workers load it from `source`.
	*/
	readonly definition: WalkerDefinition | Omit<WalkerDefinition, 'plan'>;
	readonly source: WalkerSource;
	/** Shown in reports: "walkers/kpageflags_read.ts", or the user's path as given. */
	readonly file: string;
	readonly builtin: boolean;
};

export type Job = {
	readonly id: number;
	/** Index into the audit's walker list. */
	readonly walker: number;
	readonly source: WalkerSource;
	readonly name: string;
	/** Phase id ("final", "memory[3]:P4"). */
	readonly phase: string;
};

/** What every job of one audit shares. */
export type JobSettings = {
	readonly modelOptions: Omit<ModelOptions, 'phase'>;
	readonly failOn: readonly CategoryId[];
	readonly mode: EvaluationMode;
	readonly witnessLimit: number;
	readonly progressIntervalMs: number;
	readonly timeLimitMs: number;
	/** file: URL of a module exporting `buildModel(topology, options)`. */
	readonly modelModule: string;
	/** The nice value of the pool's worker threads (AuditOptions.workerNice); undefined: as the process. */
	readonly workerNice?: number;
};

export type JobHooks = {
	progress(job: Job, progress: JobProgress): void;
	done(job: Job, result: JobResult): void;
};

/** A job that never ran (timed out or failed at an earlier phase, or cancelled before it started). */
export function unrunJob(job: Job, status: JobResult['status'], error: string): JobResult {
	return {
		walker: job.name,
		phase: job.phase,
		status,
		error,
		form: undefined,
		pfns_visited: 0,
		total_points: 0,
		touches: emptyTally(),
		failing: emptyTally(),
		witnesses: [],
		elapsed_ms: 0,
	};
}

/**
Decides whether a job still runs: once a walker threw, timed out or broke the contract at one
phase, its later phases are reported with the same status instead of being run again (a walker
that loops forever must not cost the time limit once per phase).
*/
export class JobGate {
	private readonly failed = new Map<number, {status: JobResult['status']; phase: string}>();

	skip(job: Job): JobResult | undefined {
		const earlier = this.failed.get(job.walker);
		return earlier ? unrunJob(job, earlier.status, `${job.name}: not run, it already ended with ${earlier.status} at phase ${earlier.phase}`) : undefined;
	}

	record(job: Job, result: JobResult): void {
		if (result.status === 'threw' || result.status === 'timeout' || result.status === 'malformed') {
			if (!this.failed.has(job.walker)) {
				this.failed.set(job.walker, {status: result.status, phase: job.phase});
			}
		}
	}
}

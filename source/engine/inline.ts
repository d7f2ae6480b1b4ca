/**
The in-process runner: every job in the calling thread, one after the other, yielding to the
event loop between jobs. For tests and tiny inputs. The time limit is cooperative (checked
between chunks of pfns), so a step that never returns cannot be stopped here — the worker pool
(pool.ts) is the runner that isolates such walkers.
*/
import type {Model, ModelOptions} from '../model/types.js';
import type {Topology} from '../topology/types.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {evaluateWalker} from './evaluate.js';
import {inlineForMode} from './inlining.js';
import {type AuditWalker, type Job, JobGate, type JobHooks, type JobSettings, unrunJob} from './jobs.js';

export type BuildModel = (topology: Topology, options?: ModelOptions) => Model;

export async function runInline(
	settings: JobSettings,
	walkers: ReadonlyArray<AuditWalker & {readonly definition: WalkerDefinition}>,
	phases: readonly string[],
	/** The model of a phase (the caller builds each once). */
	modelAt: (phase: string) => Model,
	hooks: JobHooks,
	signal?: AbortSignal,
): Promise<void> {
	if (settings.mode === 'per-pfn') {
		// A pool that walked in runs mode before may have left a smaller budget (inlining.ts).
		inlineForMode(settings.mode);
	}

	const gate = new JobGate();
	let id = 0;
	for (const [index, walker] of walkers.entries()) {
		for (const phase of phases) {
			const job: Job = {id: id++, walker: index, source: walker.source, name: walker.definition.name, phase};
			const skipped = signal?.aborted ? unrunJob(job, 'cancelled', `${job.name} was cancelled`) : gate.skip(job);
			if (skipped) {
				hooks.done(job, skipped);
				continue;
			}

			const result = evaluateWalker(walker.definition, modelAt(phase), {
				mode: settings.mode,
				failOn: settings.failOn,
				witnessLimit: settings.witnessLimit,
				progressIntervalMs: settings.progressIntervalMs,
				timeLimitMs: settings.timeLimitMs,
				...(signal ? {signal} : {}),
				onProgress: progress => hooks.progress(job, progress),
			});
			gate.record(job, result);
			hooks.done(job, result);
			await new Promise(resolve => setImmediate(resolve));
		}
	}
}

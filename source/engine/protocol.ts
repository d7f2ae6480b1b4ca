/**
Messages between the pool (main thread) and a worker. Everything is structured-clonable.
*/
import type {JobProgress, JobResult} from './evaluate.js';
import type {SharedModel} from '../model/model-data.js';
import type {Job, JobSettings} from './jobs.js';

/**
workerData of every worker. `pause` is the audit's shared pause flag (pause.ts), when it can be
paused. `__entry` is the module the .mjs bootstrap imports (source runs only).
*/
export type WorkerInit = {readonly settings: WorkerSettings; readonly pause?: SharedArrayBuffer; readonly __entry?: string};

/** The job settings a worker needs: not the model builder (the model comes built). */
export type WorkerSettings = Omit<JobSettings, 'modelModule'>;

export type ToWorker =
	/**
	A job, and with the first job of each phase a worker sees, the model of that phase: built once
	by the audit's thread and laid out once in SharedArrayBuffers that every worker reads
	(model-data.ts modelBytes(): runs, reasons and topology entries read in place, the rest
	deserialized by each worker), instead of every worker replaying the topology again.
	*/
	| {readonly type: 'job'; readonly job: Job; readonly model?: SharedModel}
	/** No more jobs: end when idle, so what the walkers printed is flushed (terminate() would drop it). */
	| {readonly type: 'close'};

export type FromWorker =
	/** The worker has loaded its modules. */
	| {readonly type: 'ready'}
	/** The model is built and the walker loaded: the job's time limit starts now. */
	| {readonly type: 'started'; readonly id: number}
	| {readonly type: 'progress'; readonly id: number; readonly progress: JobProgress}
	| {readonly type: 'result'; readonly id: number; readonly result: JobResult}
	/** Something that is pfnaudit's fault (the model could not be built): ends the audit, exit 3. */
	| {readonly type: 'fatal'; readonly id: number; readonly message: string};

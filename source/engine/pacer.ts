/**
Time keeping of one evaluation, checked between chunks of work (never per pfn): progress by
time (a dashboard wants 10–20 Hz), the time limit, cancellation, and
pausing (pause.ts): in a worker whose audit is paused, tick() blocks until it is resumed.
*/
import {RUNNING} from './pause.js';
import {WalkerCancelled, WalkerTimeout} from './violation.js';

/** This thread's pause flag (worker.ts installs it; the main thread has none and never blocks). */
let pauseFlag: Int32Array | undefined;
/** Milliseconds this thread has spent blocked in waitWhilePaused(). */
let pausedMs = 0;

/** Called once by a worker thread with its audit's PauseController.buffer. */
export function installPauseFlag(buffer: SharedArrayBuffer): void {
	pauseFlag = new Int32Array(buffer);
}

/**
Blocks this thread while its audit is paused (Atomics.wait: no CPU). Only worker threads install
a flag: the main thread must never block, it is the one that resumes.
*/
export function waitWhilePaused(): void {
	const flag = pauseFlag;
	if (flag === undefined || Atomics.load(flag, 0) === RUNNING) {
		return;
	}

	const from = performance.now();
	for (let value = Atomics.load(flag, 0); value !== RUNNING; value = Atomics.load(flag, 0)) {
		Atomics.wait(flag, 0, value);
	}

	pausedMs += performance.now() - from;
}

/** performance.now() without the time this thread spent paused: the clock walks are timed by. */
export function walkClock(): number {
	return performance.now() - pausedMs;
}

export type PacerOptions = {
	/** Milliseconds between progress callbacks. */
	readonly intervalMs: number;
	/** Milliseconds the evaluation may run; Infinity for none. */
	readonly timeLimitMs: number;
	readonly signal?: AbortSignal | undefined;
	readonly now?: () => number;
	readonly onProgress?: (() => void) | undefined;
};

export class Pacer {
	private readonly now: () => number;
	private readonly deadline: number;
	private nextProgress: number;
	readonly started: number;

	constructor(private readonly options: PacerOptions) {
		this.now = options.now ?? walkClock;
		this.started = this.now();
		this.deadline = this.started + options.timeLimitMs;
		this.nextProgress = this.started + options.intervalMs;
	}

	/** Between chunks: waits out a pause; throws WalkerCancelled or WalkerTimeout; reports progress when due. */
	tick(): void {
		waitWhilePaused();
		if (this.options.signal?.aborted) {
			throw new WalkerCancelled('cancelled');
		}

		const t = this.now();
		if (t > this.deadline) {
			throw new WalkerTimeout(`did not finish within ${formatDuration(this.options.timeLimitMs)}`);
		}

		if (t >= this.nextProgress) {
			this.nextProgress = t + this.options.intervalMs;
			this.options.onProgress?.();
		}
	}

	elapsed(): number {
		return this.now() - this.started;
	}
}

/** "60 s", "500 ms" */
export function formatDuration(ms: number): string {
	return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}

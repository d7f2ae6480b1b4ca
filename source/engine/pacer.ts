/**
Time keeping of one evaluation, checked between chunks of work (never per pfn): progress by
time (SPEC's dashboards want 10–20 Hz, ecosystem.md §3.1), the time limit, and cancellation.
*/
import {WalkerCancelled, WalkerTimeout} from './violation.js';

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
		this.now = options.now ?? (() => performance.now());
		this.started = this.now();
		this.deadline = this.started + options.timeLimitMs;
		this.nextProgress = this.started + options.intervalMs;
	}

	/** Between chunks: throws WalkerCancelled or WalkerTimeout; reports progress when due. */
	tick(): void {
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

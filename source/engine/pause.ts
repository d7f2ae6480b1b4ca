/**
Pausing an audit that runs in worker threads (the dashboard's Space key).

The flag is one Int32 in a SharedArrayBuffer that every worker of the audit shares. The main
thread sets it; a worker's Pacer.tick() — called between chunks of work, never per pfn — blocks
in Atomics.wait() while it is set (pacer.ts waitWhilePaused), so a paused worker holds its
place mid-walk and uses no CPU. The pool hands out no new job while paused and suspends its
own kill timers. Paused time is not walk time: the workers' clocks, the time limits, the
report's elapsed_ms and pfns_per_second all leave it out.

	const pause = new PauseController();
	const report = runAudit({topology, walkers, pause});
	pause.pause(); … pause.resume();
*/

/** Values of the shared flag. */
export const RUNNING = 0;
export const PAUSED = 1;

export type PauseListener = (paused: boolean) => void;

export class PauseController {
	/** Shared with the workers (WorkerInit.pause). */
	readonly buffer = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
	private readonly flag = new Int32Array(this.buffer);
	private readonly listeners = new Set<PauseListener>();
	private since: number | undefined;
	private total = 0;

	constructor(private readonly now: () => number = () => performance.now()) {}

	get paused(): boolean {
		return this.since !== undefined;
	}

	/** Stop the workers at their next chunk boundary; idempotent. */
	pause(): void {
		if (this.since !== undefined) {
			return;
		}

		this.since = this.now();
		Atomics.store(this.flag, 0, PAUSED);
		this.changed(true);
	}

	/** Wake the workers; idempotent. */
	resume(): void {
		if (this.since === undefined) {
			return;
		}

		this.total += this.now() - this.since;
		this.since = undefined;
		Atomics.store(this.flag, 0, RUNNING);
		Atomics.notify(this.flag, 0);
		this.changed(false);
	}

	/** Milliseconds spent paused so far, the current pause included. */
	pausedMs(): number {
		return this.total + (this.since === undefined ? 0 : this.now() - this.since);
	}

	/** Called with true on pause and false on resume; returns the unsubscribe function. */
	onChange(listener: PauseListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Resolves at once when running, else at resume() — or when `signal` aborts. */
	async whenRunning(signal?: AbortSignal): Promise<void> {
		if (!this.paused || signal?.aborted) {
			return;
		}

		await new Promise<void>(resolve => {
			const done = (): void => {
				off();
				signal?.removeEventListener('abort', done);
				resolve();
			};

			const off = this.onChange(paused => {
				if (!paused) {
					done();
				}
			});
			signal?.addEventListener('abort', done, {once: true});
		});
	}

	private changed(paused: boolean): void {
		for (const listener of [...this.listeners]) {
			listener(paused);
		}
	}
}

/**
A timeout that stands still while `pause` is paused: a paused worker is not a slow one. Returns
the function that cancels it.
*/
export function pausableTimeout(pause: PauseController | undefined, ms: number, fire: () => void): () => void {
	if (!pause) {
		const timer = setTimeout(fire, ms);
		return () => clearTimeout(timer);
	}

	let left = ms;
	let armedAt = 0;
	let timer: NodeJS.Timeout | undefined;
	const arm = (): void => {
		armedAt = performance.now();
		timer = setTimeout(() => {
			off();
			fire();
		}, left);
	};

	const off = pause.onChange(paused => {
		if (paused && timer !== undefined) {
			clearTimeout(timer);
			timer = undefined;
			left = Math.max(0, left - (performance.now() - armedAt));
		} else if (!paused && timer === undefined) {
			arm();
		}
	});
	if (!pause.paused) {
		arm();
	}

	return () => {
		off();
		clearTimeout(timer);
		timer = undefined;
	};
}

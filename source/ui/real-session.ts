/**
One audit of the real engine as an AuditSession (port.ts): runAudit in worker threads with an
AbortSignal (cancel) and a PauseController (pause/resume), its EngineEvents kept in a compact
log so that a listener that subscribes late gets the whole story.
*/
import {PauseController} from '../engine/pause.js';
import type {AuditReport, EngineEvent} from '../engine/types.js';
import type {AuditListener, AuditMeta, AuditSession} from './port.js';

type Progress = Extract<EngineEvent, {type: 'progress'}>;

/**
The events so far, for replay. A walker's progress events are folded into one (the latest
counts, every witness so far: each event carries only the witnesses found since the previous
one), so the log stays as long as the number of walkers however long the walk runs.
*/
export class EventLog {
	private readonly events: EngineEvent[] = [];
	/** Index in `events` of each running walker's folded progress event. */
	private readonly progressAt = new Map<string, number>();

	add(event: EngineEvent): void {
		if (event.type === 'progress') {
			const at = this.progressAt.get(event.walker);
			if (at !== undefined) {
				const previous = this.events[at] as Progress;
				this.events[at] = {...event, witnesses: [...previous.witnesses, ...event.witnesses]};
				return;
			}

			this.progressAt.set(event.walker, this.events.length);
		} else if (event.type === 'walker-done') {
			this.progressAt.delete(event.result.name);
		}

		this.events.push(event);
	}

	replay(listener: AuditListener): void {
		for (const event of this.events) {
			listener(event);
		}
	}

	get length(): number {
		return this.events.length;
	}
}

/** What runAudit needs from the session: where to send events, and the controls. */
export type SessionControls = {
	readonly signal: AbortSignal;
	readonly pause: PauseController;
	readonly onEvent: (event: EngineEvent) => void;
};

/** Raised through `done` after cancel(). */
export class AuditCancelled extends Error {
	constructor() {
		super('the audit was cancelled');
		this.name = 'AuditCancelled';
	}
}

/**
Start `run` (runAudit with the controls) and wrap it as a session. `done` settles once runAudit
has returned, i.e. after the workers are gone; after cancel() it rejects with AuditCancelled
and no event reaches a listener any more.
*/
export function startEngineSession(
	meta: AuditMeta,
	run: (controls: SessionControls) => Promise<AuditReport>,
	filePatches: readonly string[] = [],
	fileKernel?: string,
): AuditSession {
	const log = new EventLog();
	const listeners = new Set<AuditListener>();
	const controller = new AbortController();
	const pause = new PauseController();
	let cancelled = false;
	let finished = false;

	const onEvent = (event: EngineEvent): void => {
		if (cancelled) {
			return;
		}

		log.add(event);
		for (const listener of [...listeners]) {
			listener(event);
		}
	};

	let running: Promise<AuditReport>;
	try {
		running = run({signal: controller.signal, pause, onEvent});
	} catch (error) {
		running = Promise.reject(error);
	}

	const done = running.then(
		report => {
			finished = true;
			listeners.clear();
			if (cancelled) {
				throw new AuditCancelled();
			}

			return report;
		},
		(error: unknown) => {
			finished = true;
			listeners.clear();
			throw cancelled ? new AuditCancelled() : error;
		},
	);
	// A cancelled run is awaited by nobody: keep its rejection from counting as unhandled.
	done.catch(() => undefined);

	return {
		meta,
		filePatches,
		...(fileKernel === undefined ? {} : {fileKernel}),
		onEvent(listener) {
			log.replay(listener);
			if (!cancelled && !finished) {
				listeners.add(listener);
			}

			return () => listeners.delete(listener);
		},
		pause() {
			if (!cancelled && !finished) {
				pause.pause();
			}
		},
		resume() {
			pause.resume();
		},
		cancel() {
			if (cancelled || finished) {
				return;
			}

			cancelled = true;
			listeners.clear();
			controller.abort();
		},
		done,
	};
}

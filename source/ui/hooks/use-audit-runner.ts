import {useCallback, useEffect, useRef} from 'react';
import type {AuditReport} from '../../engine/types.js';
import {isInputError} from '../../errors/input-error.js';
import type {AuditMeta, AuditRequest, AuditSession, DashboardPort, LoadStage} from '../port.js';
import {type Baseline, baselineOf} from '../state/deltas.js';
import {RunStore, type RunSnapshot} from '../state/run-store.js';
import {useLatestState} from './use-latest-state.js';

/** UI refresh rate while a walk runs: engine events are coalesced into one frame per tick. */
export const REFRESH_MS = 200;

export type RunStatus = 'loading' | 'running' | 'paused' | 'done' | 'failed';

export type RunnerState = {
	readonly request: AuditRequest;
	/** Increases with every start; stale sessions' events are dropped. */
	readonly runId: number;
	readonly status: RunStatus;
	/** While loading: the stage the port reported (StartOptions.onStage). */
	readonly stage?: LoadStage;
	readonly meta?: AuditMeta;
	readonly snapshot: RunSnapshot;
	/** One sentence when the topology could not be loaded or the audit failed. */
	readonly error?: string;
	/** Wall time spent walking, pauses excluded. */
	readonly elapsedMs: number;
	/** Patches the topology file applies itself (AuditSession.filePatches); kept across runs of the same file. */
	readonly filePatches?: readonly string[];
	/** The topology file's own `kernel:` (AuditSession.fileKernel); kept across runs of the same file. */
	readonly fileKernel?: string;
	/** The topology's name from the last run of the same file: the header names it while loading or after a load error. */
	readonly topologyName?: string;
	/** The previous finished run of the same topology, for deltas. */
	readonly baseline?: Baseline;
};

export type AuditRunner = {
	readonly state: RunnerState;
	start(request: AuditRequest): void;
	rerun(): void;
	togglePause(): void;
};

const EMPTY: RunSnapshot = {version: 0, rows: []};

function describeError(error: unknown): string {
	if (isInputError(error)) {
		return error.format();
	}

	return `internal error: ${error instanceof Error ? error.message : String(error)}`;
}

/**
Owns the audit sessions: starts them through the port, folds their events into a RunStore and
publishes a snapshot at most every REFRESH_MS. Cancels the session on unmount (the engine's
workers must not outlive the dashboard).
*/
export type RunnerOptions = {
	/**
	Called instead of showing "Cannot audit" when the first request (the command line's) fails
	to load with an InputError: the drawn dashboard then gives the terminal back and reports it
	in one sentence, exit 2, as `audit` would.
	*/
	readonly onInitialInputError?: (error: Error) => void;
};

export function useAuditRunner(port: DashboardPort, initial: AuditRequest, options: RunnerOptions = {}): AuditRunner {
	// The latest state is read through a ref: a key can arrive before React re-subscribes handlers.
	const [state, setState, stateRef] = useLatestState<RunnerState>({request: initial, runId: 0, status: 'loading', snapshot: EMPTY, elapsedMs: 0});
	const session = useRef<AuditSession | undefined>(undefined);
	const store = useRef(new RunStore());
	const runId = useRef(0);
	const lastReport = useRef<{report: AuditReport; file: string} | undefined>(undefined);
	const clock = useRef({accumulated: 0, since: undefined as number | undefined});
	/** Aborts the loading of the run being loaded (a new start, or unmount). */
	const loading = useRef<AbortController | undefined>(undefined);
	const onInitialInputError = useRef(options.onInitialInputError);
	onInitialInputError.current = options.onInitialInputError;

	const elapsed = (): number => clock.current.accumulated + (clock.current.since === undefined ? 0 : Date.now() - clock.current.since);
	const stopClock = (): void => {
		clock.current = {accumulated: elapsed(), since: undefined};
	};

	const start = useCallback(
		(request: AuditRequest) => {
			session.current?.cancel();
			session.current = undefined;
			loading.current?.abort();
			const controller = new AbortController();
			loading.current = controller;
			const id = ++runId.current;
			store.current = new RunStore();
			clock.current = {accumulated: 0, since: undefined};
			const previous = lastReport.current;
			const baseline = previous && previous.file === request.topologyFile ? baselineOf(previous.report, previous.file) : undefined;
			// What is known of the file from its last run stays until the new run reports.
			const before = stateRef.current;
			const sameFile = before.request.topologyFile === request.topologyFile;
			const known = sameFile
				? {
						...(before.filePatches ? {filePatches: before.filePatches} : {}),
						...(before.fileKernel ? {fileKernel: before.fileKernel} : {}),
						...(before.topologyName ? {topologyName: before.topologyName} : {}),
					}
				: {};
			setState({request, runId: id, status: 'loading', snapshot: EMPTY, elapsedMs: 0, ...known, ...(baseline ? {baseline} : {})});
			port
				.startAudit(request, {
					signal: controller.signal,
					onStage(stage) {
						if (id === runId.current) {
							setState(current => ({...current, stage}));
						}
					},
				})
				.then(
				started => {
					if (id !== runId.current) {
						started.cancel();
						return;
					}

					loading.current = undefined;

					session.current = started;
					clock.current = {accumulated: 0, since: Date.now()};
					const mine = store.current;
					started.onEvent(event => {
						if (id === runId.current) {
							mine.apply(event);
						}
					});
					setState(({stage: _stage, ...current}) => ({
						...current,
						status: 'running',
						meta: started.meta,
						filePatches: started.filePatches ?? [],
						...(started.fileKernel ? {fileKernel: started.fileKernel} : {}),
						topologyName: started.meta.topology.name,
						snapshot: mine.snapshot(),
					}));
					started.done.then(
						report => {
							if (id !== runId.current) {
								return;
							}

							stopClock();
							lastReport.current = {report, file: request.topologyFile};
							setState(current => ({...current, status: 'done', snapshot: mine.snapshot(), elapsedMs: elapsed()}));
						},
						(error: unknown) => {
							if (id !== runId.current) {
								return;
							}

							stopClock();
							setState(current => ({...current, status: 'failed', error: describeError(error), snapshot: mine.snapshot(), elapsedMs: elapsed()}));
						},
					);
				},
				(error: unknown) => {
					if (id !== runId.current) {
						return;
					}

					loading.current = undefined;
					if (id === 1 && onInitialInputError.current && isInputError(error)) {
						onInitialInputError.current(error);
						return;
					}

					setState(current => ({...current, status: 'failed', error: describeError(error)}));
				},
			);
		},
		[port],
	);

	const rerun = useCallback(() => {
		start(stateRef.current.request);
	}, [start]);

	const togglePause = useCallback(() => {
		const current = session.current;
		if (!current) {
			return;
		}

		const {status} = stateRef.current;
		if (status === 'running') {
			current.pause();
			stopClock();
			setState(previous => ({...previous, status: 'paused', elapsedMs: elapsed()}));
		} else if (status === 'paused') {
			current.resume();
			clock.current = {accumulated: clock.current.accumulated, since: Date.now()};
			setState(previous => ({...previous, status: 'running'}));
		}
	}, []);

	useEffect(() => {
		start(initial);
		return () => {
			runId.current++;
			loading.current?.abort();
			session.current?.cancel();
		};
		// The initial request only: later runs are started by the user.
		// eslint-disable-next-line react-hooks/exhaustive-deps
	}, []);

	useEffect(() => {
		if (state.status !== 'running') {
			return;
		}

		let seen = -1;
		const timer = setInterval(() => {
			const version = store.current.version;
			const snapshot = version === seen ? undefined : store.current.snapshot();
			seen = version;
			const elapsedMs = elapsed();
			setState(current => ({...current, elapsedMs, ...(snapshot ? {snapshot} : {})}));
		}, REFRESH_MS);
		return () => {
			clearInterval(timer);
		};
	}, [state.status, state.runId]);

	return {state, start, rerun, togglePause};
}

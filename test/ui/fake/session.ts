/**
Replays a scripted audit over time like the engine does: a pool of four walkers at a time,
progress events every 100 ms (divided by `speed`), walker-done as each finishes, done at the end.
The session around the script (event log and replay, pause, cancel, `done`) is the real one
(real-session.ts startEngineSession()), driven by play() where the real port runs runAudit.
*/
import {overallVerdict} from '../../../source/engine/aggregate.js';
import type {AuditReport, WalkerResult} from '../../../source/engine/types.js';
import type {AuditMeta, AuditSession} from '../../../source/ui/port.js';
import {type SessionControls, startEngineSession} from '../../../source/ui/real-session.js';
import {resultOf, tallyAt, type WalkerPlan} from './script.js';

const TICK_MS = 100;
const POOL = 4;
/** Duration of a walker of weight 1 at speed 1. */
const BASE_MS = 1800;

type Running = {plan: WalkerPlan; visited: number; emitted: number};

export type FakeSessionOptions = {
	readonly speed: number;
	/** Injected clock and timers (tests); default: real ones. */
	readonly now?: () => number;
};

export function startFakeSession(meta: AuditMeta, plans: readonly WalkerPlan[], options: FakeSessionOptions): AuditSession {
	return startEngineSession(meta, async controls => play(meta, plans, options, controls));
}

/** The script replayed over time, in runAudit's place: resolves to the report, rejects on abort. */
async function play(meta: AuditMeta, plans: readonly WalkerPlan[], options: FakeSessionOptions, {signal, pause, onEvent}: SessionControls): Promise<AuditReport> {
	const now = options.now ?? (() => Date.now());
	const results = new Map<string, WalkerResult>();
	const queue = [...plans];
	const running: Running[] = [];
	let timer: NodeJS.Timeout | undefined;
	const startedAt = now();
	let resolveDone!: (report: AuditReport) => void;
	let rejectDone!: (error: Error) => void;
	const done = new Promise<AuditReport>((resolve, reject) => {
		resolveDone = resolve;
		rejectDone = reject;
	});

	const finishWalker = (plan: WalkerPlan, visited: number, status: WalkerResult['status'], error?: string): void => {
		const result = resultOf(plan, visited, status, error);
		results.set(plan.walker.name, result);
		onEvent({type: 'walker-done', result});
	};

	const fill = (): void => {
		while (running.length < POOL && queue.length > 0) {
			const plan = queue.shift()!;
			if (plan.form) {
				running.push({plan, visited: 0, emitted: 0});
			} else {
				finishWalker(plan, 0, 'absent');
			}
		}
	};

	const tick = (): void => {
		for (const entry of [...running]) {
			const {plan} = entry;
			const step = (plan.total * TICK_MS * options.speed) / (BASE_MS * plan.walker.weight);
			entry.visited = Math.min(plan.total, Math.ceil(entry.visited + step));
			const fraction = plan.total === 0 ? 1 : entry.visited / plan.total;
			const throwsNow = plan.walker.throwsAt !== undefined && fraction >= plan.walker.throwsAt;
			if (throwsNow) {
				entry.visited = Math.floor(plan.total * plan.walker.throwsAt!);
			}

			const fresh = plan.witnesses.filter(item => item.at < entry.visited).slice(entry.emitted);
			entry.emitted += fresh.length;
			const {touches, failing} = tallyAt(plan, entry.visited);
			onEvent({
				type: 'progress',
				walker: plan.walker.name,
				phase: 'final',
				pfns_visited: entry.visited,
				fraction: throwsNow ? plan.walker.throwsAt! : fraction,
				touches,
				failing,
				witnesses: fresh.map(item => item.witness),
			});
			if (throwsNow || entry.visited >= plan.total) {
				running.splice(running.indexOf(entry), 1);
				finishWalker(
					plan,
					entry.visited,
					throwsNow ? 'threw' : 'ok',
					throwsNow ? `${plan.walker.name} threw TypeError: Cannot read properties of undefined (reading 'flags') in step() at ${plan.walker.file ?? plan.walker.name}:41:17` : undefined,
				);
			}
		}

		fill();
		if (running.length === 0 && queue.length === 0) {
			complete();
		}
	};

	const complete = (): void => {
		stop();
		offPause();
		const walkers = plans.map(plan => results.get(plan.walker.name)!);
		const elapsed = Math.max(1, now() - startedAt);
		const visited = walkers.reduce((sum, walker) => sum + walker.pfns_visited, 0);
		const report: AuditReport = {
			...meta,
			walkers,
			verdict: overallVerdict(walkers),
			elapsed_ms: elapsed,
			pfns_per_second: Math.round((visited * 1000) / elapsed),
		};
		onEvent({type: 'done', report});
		resolveDone(report);
	};

	const start = (): void => {
		if (!timer) {
			timer = setInterval(tick, TICK_MS);
		}
	};

	const stop = (): void => {
		if (timer) {
			clearInterval(timer);
			timer = undefined;
		}
	};

	const offPause = pause.onChange(paused => {
		if (paused) {
			stop();
		} else {
			start();
		}
	});
	signal.addEventListener(
		'abort',
		() => {
			stop();
			offPause();
			rejectDone(new Error('the audit was cancelled'));
		},
		{once: true},
	);
	onEvent({
		type: 'start',
		walkers: plans.map(plan => ({
			name: plan.walker.name,
			models: plan.walker.models,
			form: plan.form ? `v${plan.form.since}+: ${plan.form.form}` : '',
		})),
		phases: meta.phases,
	});
	fill();
	start();
	return done;
}

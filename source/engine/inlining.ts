/**
The inlining budget V8's optimizing compiler gets for a walk, by evaluation mode (issue 10: CPU
at scale); set by the worker pool before it starts a worker (pool.ts), and set back for a per-pfn
walk in this thread (inline.ts).
*/
import {setFlagsFromString} from 'node:v8';
import type {EvaluationMode} from './defaults.js';

/** V8's --max-inlined-bytecode-size-cumulative: its default, and the budget of a walk in runs mode. */
const DEFAULT_INLINING_BUDGET = 920;
const RUNS_INLINING_BUDGET = 200;

/** The process was started with an inlining budget of its own: leave it. */
const budgetChosenOnCommandLine = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some(arg => arg.replaceAll('_', '-').includes('max-inlined-bytecode-size'));

/**
A walk in runs mode compiles with a smaller inlining budget (V8's
--max-inlined-bytecode-size-cumulative, 920 bytes of bytecode by default, 200 here). Each worker
warms the engine's code up again: walkPassRuns() and the stretch and tally code it inlines are
recompiled some nine times a worker as walker after walker takes new paths through them (a pass
walked down, a spot check, a pfn past 2^31: `node --trace-deopt`), and with the default budget
each compile inlines most of the engine. A runs-mode walk calls that code once a stretch, not once
a pfn: too few times for the deeper inlining to pay for its compiles. Measured on the 2-core
machine of the README (load average 6-8, three alternating runs of `node dist/bench/scale.js`),
the CPU of the 10 000-entry audit after its build: 1.93-2.07 -> 1.66-1.78 s; at 100 000 entries
10.1-10.3 s against 10.1-10.6 s (the same). A per-pfn walk calls its step and the context's
accessors once a pfn and needs the full budget (bench/run.js, `pfn_valid(), then page->flags`
in-process: 132 M pfns/s with it, 81 M with 200): a pool that walks per pfn, or an in-process
per-pfn walk (inline.ts), sets the default back. V8's flags are the process's: the thread that
started the workers compiles with the same budget meanwhile (the dashboard's CPU per key on the
10 000-entry walk, bench/keys.ts at load average 8.6: 7 ms, 8 ms before).
*/
export function inlineForMode(mode: EvaluationMode): void {
	if (!budgetChosenOnCommandLine) {
		setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${mode === 'runs' ? RUNS_INLINING_BUDGET : DEFAULT_INLINING_BUDGET}`);
	}
}

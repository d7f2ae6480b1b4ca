/**
Reading and building a large topology without TurboFan's inlining (issue 10: CPU at scale).

Parsing, validating and building a topology run each function of the model over the entries once
(a replay, then the runs): code that is hot for a few hundred milliseconds and then never again
in the process. TurboFan inlines deeply into that code (the model's predicates call small helpers
through several levels) and recompiles it after each deoptimization the replay's many shapes
cause; traced (`node --trace-opt`) on the 10 000-entry generated topology, its optimizing compiles
took some 2.8 s of compile-job time for a build of 0.8 s, most of it on background threads that
count as the process's CPU. Without inlining (V8's --no-turbo-inlining, set for the duration of
the parse and of the build), measured on the 2-core machine of the README, generated topologies,
process CPU of parse / build (two runs each, load average 4):
- 1 000 entries: 78-83 / 174-191 ms -> 65-66 / 105-108 ms;
- 10 000 entries: 340-400 / 780-870 ms -> 280-330 / 500-580 ms;
- 100 000 entries: 1.56 / 3.47 s -> 1.43 / 3.36 s (the compiles saved are about what the code
  without inlining loses over ten times the entries).
Hot loops that run far longer than their compile need the inlining: per-pfn walks (bench/run.js,
`pfn_valid(), then page->flags` 132 -> 47 M pfns/s with the flag for the whole process) and
`pfnaudit search`, which builds thousands of small models a second (1 632 -> 1 479 layouts per
CPU second). So the flag is set only around one parse or build of a large topology (LARGE_ENTRIES),
only in the main thread, and never once it has started a worker thread (closeOnePass(),
source/engine/pool.ts): V8's
flags are the process's, and a walker's loop compiled in a worker while it is set would keep code
without inlining for the rest of its walk. The flag is read when a compile is requested, so what
the parse and the build compiled keeps no inlining; code compiled later (the walk in this thread,
the dashboard) is compiled as before.
*/
import {setFlagsFromString} from 'node:v8';
import {isMainThread} from 'node:worker_threads';

/** From this many memory entries on a topology is read and built without inlining (search layouts have a few). */
export const LARGE_ENTRIES = 1000;

/** Topology text of this many characters holds about LARGE_ENTRIES entries (73 bytes an entry in a generated topology). */
export const LARGE_TEXT_CHARS = 64 * 1024;

let depth = 0;
/** A worker thread never sets the flag: another thread may be walking. */
let closed = !isMainThread;

/** The process was started with a choice of its own about inlining: leave it. */
const chosenOnCommandLine = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)].some(arg => arg.replaceAll('_', '-').includes('turbo-inlining'));

/** `fn()`, compiled without TurboFan's inlining when `large` (see the file comment). */
export function onePass<T>(large: boolean, fn: () => T): T {
	if (!large || closed || chosenOnCommandLine) {
		return fn();
	}

	if (depth === 0) {
		setFlagsFromString('--no-turbo-inlining');
	}

	depth++;
	try {
		return fn();
	} finally {
		depth--;
		if (depth === 0) {
			setFlagsFromString('--turbo-inlining');
		}
	}
}

/** From now on onePass() only calls its function: this process has started a worker thread. */
export function closeOnePass(): void {
	closed = true;
}

/** Whether onePass() has V8's inlining off now (tests). */
export function inOnePass(): boolean {
	return depth > 0;
}

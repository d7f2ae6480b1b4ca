/**
How the heaps of an audit of a large topology are kept small (issue 10: memory at scale): lean
heaps from the parse on (leanHeap()), and one full garbage collection of the audit's thread once
its model is built (collectIfLarge()).

The collection: parsing and building a 100 000-entry topology leaves 400-600 MiB of garbage in the heap
of the thread that did it; the thread then mostly waits on its workers and allocates too little
for V8 to collect it, so the garbage stayed resident for the whole audit (a heap of 877 MiB
holding some 300 MiB live, next to the workers' heaps), or not, depending on where the last
collection of the build fell. Node has no API to ask for a collection but the `gc` function of
--expose-gc: it is enabled for the moment it takes to make one context that has it, then
disabled again (V8 flags are the process's: worker threads started later, user walkers among
them, must not see a `gc` global).
*/
import {getHeapStatistics, setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';

/** Below this much heap in use, a collection is not worth its CPU (a 10 000-entry audit's thread holds some 70 MiB). */
const WORTH_COLLECTING = 256 * 2 ** 20;

let collect: (() => void) | undefined;

/**
A full collection of this thread's heap if it holds at least `worth` bytes; returns whether it ran.

`compact`: move what survives onto as few pages as it fills, so that the pages it leaves are given
back. A collection that only frees leaves the pages a build filled each holding a few live objects,
committed: after a 100 000-entry audit's thread let go of its model, 192 MiB of heap stayed
committed for 97 MiB live, 131 MiB with compaction. It costs a copy of what survives, and while it
runs the copies and the pages they leave are both resident: not worth it on a heap that still
holds what it is about to let go. (V8's flag --compact-on-every-full-gc, on for that collection.)
*/
export function collectIfLarge(worth = WORTH_COLLECTING, {compact = false}: {readonly compact?: boolean} = {}): boolean {
	if (getHeapStatistics().used_heap_size < worth) {
		return false;
	}

	if (collect === undefined) {
		const own = (globalThis as {gc?: unknown}).gc;
		if (typeof own === 'function') {
			collect = own as () => void;
		} else {
			setFlagsFromString('--expose-gc');
			try {
				collect = runInNewContext('gc') as () => void;
			} finally {
				setFlagsFromString('--no-expose-gc');
			}
		}
	}

	if (!compact) {
		collect();
		return true;
	}

	setFlagsFromString('--compact-on-every-full-gc');
	try {
		collect();
	} finally {
		setFlagsFromString('--no-compact-on-every-full-gc');
	}

	return true;
}

/**
Topology text from this many characters on (some 28 000 entries of a generated topology; 10 000
entries are 0.7 MiB) is parsed, built and walked with lean heaps (leanHeap()).
*/
export const LEAN_HEAP_FROM_CHARS = 2 * 2 ** 20;

/** By how much of its live size a lean heap may grow between two full collections (V8 --heap-growing-percent). */
const LEAN_GROWTH_PERCENT = 50;

let lean = false;

/**
From now on, every heap of this process, this thread's and those of the worker threads it starts,
grows by at most LEAN_GROWTH_PERCENT of what it holds live between two full collections. V8
otherwise lets a heap whose limit is 2 GiB or more (the main thread's, on a machine with a few GiB
of memory) grow by up to 4 times its live size (src/heap/heap-controller.cc,
MemoryController::MaxGrowingFactor()): parsing and building a 100 000-entry topology, whose live
set ends at some 300 MiB, took the thread's heap to 750-780 MiB, 870-900 MiB of RSS. Lean, the
same parse and build peak at some 470 MiB of RSS, for some more collections (CPU). V8's flags are
the process's and cannot be set per thread; the switch is one way: the process has a large
topology to audit. The workers of built-in walkers started from then on also get a smaller young
generation (source/engine/pool.ts workerLimits()).
*/
export function leanHeap(): void {
	if (!lean) {
		setFlagsFromString(`--heap-growing-percent=${LEAN_GROWTH_PERCENT}`);
		lean = true;
	}

	holdYoungGeneration();
}

/** By how much of its live size a lean heap may grow while the audit's thread hands its model over (tightHeap()). */
const TIGHT_GROWTH_PERCENT = 10;

let tight = false;

/**
Until looseHeap(), a lean heap grows by at most TIGHT_GROWTH_PERCENT of what it holds live between
two full collections, instead of LEAN_GROWTH_PERCENT: for the audit's thread while it builds the
report's basis and lays its model out for the workers (source/engine/audit.ts), the audit's peak at
100 000 entries. The collection after the build sets the heap's next limit from the live set (some
200 MiB, the model) and the growing factor; laying the model out allocates some 70 MiB more, most
of it garbage by the end, and with half the live set to grow into the heap grew by that instead of
being collected: 346 MiB of heap for 260 in use when the model was laid out, against 276-283 MiB
for 227-232 with a tenth (RSS 476-479 -> 406-415 MiB, one more collection or two, some 0.3 s of
CPU). V8's flags are the process's: looseHeap() before any worker starts, whose heap would
otherwise grow as tightly. Only when the heaps are lean (leanHeap()): a small topology's audit is
left as it was.
*/
export function tightHeap(): void {
	if (lean && !tight) {
		setFlagsFromString(`--heap-growing-percent=${TIGHT_GROWTH_PERCENT}`);
		tight = true;
	}
}

/** Lean heaps grow by LEAN_GROWTH_PERCENT again (tightHeap()). */
export function looseHeap(): void {
	if (tight) {
		setFlagsFromString(`--heap-growing-percent=${LEAN_GROWTH_PERCENT}`);
		tight = false;
	}
}

/** Whether the heaps are tight (tightHeap()). */
export function heapIsTight(): boolean {
	return tight;
}

/** V8's own --semi-space-growth-factor (node --v8-options, Node 20). */
const SEMI_SPACE_GROWTH_FACTOR = 2;

let youngHeld = false;

/**
From now on, no young generation of this process grows: V8 doubles a thread's new space
(--semi-space-growth-factor) whenever enough of what it allocates survives a scavenge, up to two
semi-spaces of 16 MiB for the main thread, and never gives it back (neither a full collection nor
a last-resort one shrinks it on Node 20). Loading pfnaudit's modules took the main thread's new
space from 2 to 16 MiB and parsing a 100 000-entry topology to 32 MiB: 30 MiB committed and
resident for the rest of the audit, in a thread that then holds 33 MiB live. Held from the start
of the process, the same parse and build end at 2 MiB of new space and 413 instead of 443-456 MiB
of RSS, for 0.2-0.4 s more CPU (5.8-6.0 -> 6.2 s; more scavenges, more promoted); held only from
the parse on (leanHeap()), the modules have already grown it to 16 MiB: 7 MiB of RSS saved after
the build. At the audit's peak the two did not differ (`pfnaudit audit` of 100 000 entries, four
pairs: 532-536 MiB and 18.1-18.8 s of CPU held from the start by the executable, 525-533 MiB and
17.3-17.8 s held from the parse on), so it is held from the parse on only. The flag is the
process's, but measured on Node 20 a worker thread's new space grows
to its maximum (resourceLimits.maxYoungGenerationSizeMb, source/engine/pool.ts workerLimits())
held or not: what this holds is the main thread's.
*/
export function holdYoungGeneration(): void {
	if (!youngHeld) {
		setFlagsFromString('--semi-space-growth-factor=1');
		youngHeld = true;
	}
}

/** Young generations grow again as V8 grows them (holdYoungGeneration()): the process turned out to have no large topology to audit. */
export function releaseYoungGeneration(): void {
	if (youngHeld) {
		setFlagsFromString(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH_FACTOR}`);
		youngHeld = false;
	}
}

/** Whether young generations are held at their size (holdYoungGeneration()). */
export function youngGenerationHeld(): boolean {
	return youngHeld;
}

/** Whether leanHeap() was called: the heaps of this process are lean. */
export function heapsAreLean(): boolean {
	return lean;
}

/** The young generation of a worker of built-in walkers when the heaps are lean (source/engine/pool.ts workerLimits()), in MiB. */
export const LEAN_YOUNG_GENERATION_MB = 12;

/** leanHeap() if `text`, a topology about to be parsed, is large (LEAN_HEAP_FROM_CHARS); returns whether the heaps are lean. */
export function leanHeapFor(text: string): boolean {
	if (text.length >= LEAN_HEAP_FROM_CHARS) {
		leanHeap();
	} else if (!lean) {
		releaseYoungGeneration();
	}

	return lean;
}

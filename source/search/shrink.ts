/**
Shrinking a failing layout to a 1-minimal one, in the layout's own terms (after fast-check's
shrinking of the plan, search.ts): drop operations, entries, states, altmaps, nomap ranges and
`blocks:`; move each boundary inward to a section or subsection edge; shorten ranges by a
section, a subsection or by half; move entries a section lower. A step is kept when the layout
still fails in the category the search found. Every step makes the layout strictly smaller — in
order: fewer entries and operations, fewer states off their defaults, fewer bytes, lower
addresses — so the shrink cannot cycle and ends at a fixpoint: a layout that is 1-minimal for
every step of shrinkSteps(). In particular dropping any entry or operation, or moving any
boundary inward to the next section edge, makes the audit pass (or the kernel refuse the layout);
test/search/search.test.ts checks that on shrunk results.
*/
import {v} from '../kernel/version.js';
import {geometryFor} from '../model/geometry.js';
import type {Layout, LayoutEntry, LayoutOperation, LayoutRange} from './layout.js';
import {type ProbeOptions, type ProbeResult, probeLayout} from './probe.js';

/** One candidate: a simpler layout and what was done, for the progress line. */
export type ShrinkStep = {readonly layout: Layout; readonly what: string};

function withEntry(layout: Layout, i: number, entry: LayoutEntry): Layout {
	return {...layout, memory: layout.memory.map((e, j) => (j === i ? entry : e))};
}

/** Operations that name `entry` by its range (remove, teardown, and block operations inside it). */
function actsOn(op: LayoutOperation, entry: LayoutRange): boolean {
	return op.op !== 'create' && op.start >= entry.start && op.start < entry.end;
}

/** Move an entry's start or end, carrying along the operations that name its start. */
function moveBoundary(layout: Layout, i: number, side: 'start' | 'end', to: number): Layout | undefined {
	const entry = layout.memory[i]!;
	const start = side === 'start' ? to : entry.start;
	const end = side === 'end' ? to : entry.end;
	if (end <= start || (side === 'start' ? entry.start : entry.end) === to) {
		return undefined;
	}

	const clip = <T extends LayoutRange>(r: T): T | undefined => {
		const s = Math.max(r.start, start);
		const e = Math.min(r.end, end);
		return s < e ? {...r, start: s, end: e} : undefined;
	};

	let moved: LayoutEntry;
	if (entry.kind === 'boot') {
		moved = {...entry, start, end, nomap: entry.nomap.flatMap(r => clip(r) ?? [])};
	} else if (entry.kind === 'hotplug') {
		moved = {...entry, start, end, blocks: entry.blocks.flatMap(b => clip(b) ?? [])};
	} else {
		moved = {...entry, start, end};
	}

	const operations = layout.operations.flatMap((op): LayoutOperation[] => {
		if (!actsOn(op, entry)) {
			return [op];
		}

		if (op.op === 'remove' || op.op === 'teardown') {
			return op.start === entry.start ? [{...op, start}] : [op];
		}

		if (op.op === 'create') {
			return [op];
		}

		const clipped = clip(op as LayoutRange & {readonly op: 'online' | 'online_movable' | 'offline'});
		return clipped ? [clipped] : [];
	});
	return {...withEntry(layout, i, moved), operations};
}

/** Section and subsection sizes in bytes of a layout's arch and kernel. */
function edges(layout: Layout): {section: number; subsection: number} {
	const g = geometryFor(layout.arch, v(layout.kernel));
	return {section: g.PAGES_PER_SECTION * g.PAGE_SIZE, subsection: g.PAGES_PER_SUBSECTION * g.PAGE_SIZE};
}

/**
The boundary moves of the 1-minimality rule: each entry's start and end moved inward to the next
section edge (the start up, the end down), when it is not on one already and the entry does not
become empty.
*/
export function sectionEdgeMoves(layout: Layout): ShrinkStep[] {
	const {section} = edges(layout);
	const out: ShrinkStep[] = [];
	for (const [i, entry] of layout.memory.entries()) {
		const up = moveBoundary(layout, i, 'start', Math.ceil(entry.start / section) * section);
		if (up) {
			out.push({layout: up, what: `memory[${i}].start up to the section edge 0x${(Math.ceil(entry.start / section) * section).toString(16)}`});
		}

		const down = moveBoundary(layout, i, 'end', Math.floor(entry.end / section) * section);
		if (down) {
			out.push({layout: down, what: `memory[${i}].end down to the section edge 0x${(Math.floor(entry.end / section) * section).toString(16)}`});
		}
	}

	return out;
}

/** Dropping each operation, then each entry with the operations that name it. */
export function dropSteps(layout: Layout): ShrinkStep[] {
	const out: ShrinkStep[] = [];
	for (let k = layout.operations.length - 1; k >= 0; k--) {
		out.push({layout: {...layout, operations: layout.operations.filter((_, j) => j !== k)}, what: `drop operations[${k}]`});
	}

	for (let i = layout.memory.length - 1; i >= 0; i--) {
		const entry = layout.memory[i]!;
		out.push({
			layout: {...layout, memory: layout.memory.filter((_, j) => j !== i), operations: layout.operations.filter(op => !actsOn(op, entry))},
			what: `drop memory[${i}]`,
		});
	}

	return out;
}

/** States, altmaps, nodes, nomap and `blocks:` back to their defaults, one at a time. */
function stateSteps(layout: Layout): ShrinkStep[] {
	const out: ShrinkStep[] = [];
	if (layout.phase !== undefined) {
		const {phase: _phase, ...rest} = layout;
		out.push({layout: rest, what: 'final state only'});
	}

	if (!layout.config.debug_vm) {
		out.push({layout: {...layout, config: {...layout.config, debug_vm: true}}, what: 'debug_vm: true'});
	}

	if (!layout.config.vmemmap) {
		out.push({layout: {...layout, config: {...layout.config, vmemmap: true}}, what: 'vmemmap: true'});
	}

	for (const [i, entry] of layout.memory.entries()) {
		if (entry.node !== 0) {
			out.push({layout: withEntry(layout, i, {...entry, node: 0}), what: `memory[${i}] on node 0`});
		}

		if (entry.kind === 'boot') {
			for (const [j] of entry.nomap.entries()) {
				out.push({layout: withEntry(layout, i, {...entry, nomap: entry.nomap.filter((_, k) => k !== j)}), what: `drop memory[${i}].nomap[${j}]`});
			}
		} else if (entry.kind === 'hotplug') {
			for (const [j] of entry.blocks.entries()) {
				out.push({layout: withEntry(layout, i, {...entry, blocks: entry.blocks.filter((_, k) => k !== j)}), what: `drop memory[${i}].blocks[${j}]`});
			}

			if (entry.state !== 'offline') {
				out.push({layout: withEntry(layout, i, {...entry, state: 'offline'}), what: `memory[${i}] state: offline`});
			}
		} else {
			if (entry.altmap) {
				const {altmap: _altmap, ...rest} = entry;
				out.push({layout: withEntry(layout, i, rest), what: `drop memory[${i}].altmap`});
			}

			if (entry.state !== 'ready') {
				out.push({layout: withEntry(layout, i, {...entry, state: 'ready'}), what: `memory[${i}] state: ready`});
			}

			if (entry.type !== 'fsdax' && entry.type !== 'devdax') {
				out.push({layout: withEntry(layout, i, {...entry, type: 'fsdax'}), what: `memory[${i}] type: fsdax`});
			}
		}
	}

	return out;
}

/** Boundaries to subsection edges, and ranges shortened by a section, a subsection, or by half. */
function shortenSteps(layout: Layout): ShrinkStep[] {
	const {section, subsection} = edges(layout);
	const out: ShrinkStep[] = [];
	const add = (i: number, side: 'start' | 'end', to: number, what: string) => {
		const moved = moveBoundary(layout, i, side, to);
		if (moved) {
			out.push({layout: moved, what: `memory[${i}].${side} ${what}`});
		}
	};

	for (const [i, entry] of layout.memory.entries()) {
		const half = Math.floor((entry.end - entry.start) / 2 / subsection) * subsection;
		if (half > 0) {
			add(i, 'end', entry.start + half, 'halved');
		}

		if (entry.kind !== 'boot' && entry.start >= section) {
			// The whole entry a section lower (the end first, so the range never turns empty).
			const lowered = moveBoundary(layout, i, 'start', entry.start - section);
			const both = lowered && moveBoundary(lowered, i, 'end', entry.end - section);
			if (both) {
				out.push({layout: both, what: `memory[${i}] a section lower`});
			}
		}

		add(i, 'end', entry.end - section, 'a section lower');
		add(i, 'start', entry.start + section, 'a section higher');
		add(i, 'start', Math.ceil(entry.start / subsection) * subsection, 'up to the subsection edge');
		add(i, 'end', Math.floor(entry.end / subsection) * subsection, 'down to the subsection edge');

		add(i, 'end', entry.end - subsection, 'a subsection lower');
		add(i, 'start', entry.start + subsection, 'a subsection higher');
	}

	return out;
}

/** Every shrink step of a layout, most drastic first. */
export function shrinkSteps(layout: Layout): ShrinkStep[] {
	return [...dropSteps(layout), ...stateSteps(layout), ...sectionEdgeMoves(layout), ...shortenSteps(layout)];
}

export type ShrinkProgress = {readonly steps: number; readonly probes: number; readonly layout: Layout; readonly what: string};

export type ShrinkOutcome = {
	readonly result: Extract<ProbeResult, {verdict: 'fail'}>;
	/** Steps kept. */
	readonly steps: number;
	/** Layouts audited while shrinking. */
	readonly probes: number;
	/** Stopped by the signal or the deadline before the fixpoint: smaller, not necessarily 1-minimal. */
	readonly complete: boolean;
};

/**
Shrink a failing layout while it fails in `failing.witness.category`. Yields to the event loop
now and then (a Ctrl+C or a stop message gets through); `shouldStop` ends it early with the best
layout so far.
*/
export async function shrinkLayout(
	failing: Extract<ProbeResult, {verdict: 'fail'}>,
	options: ProbeOptions,
	hooks: {readonly shouldStop?: () => boolean; readonly onStep?: (progress: ShrinkProgress) => void} = {},
): Promise<ShrinkOutcome> {
	const probe = {...options, only: failing.witness.category};
	let current = failing;
	let steps = 0;
	let probes = 0;
	let lastYield = performance.now();
	const seen = new Set<string>([JSON.stringify(current.layout)]);
	for (;;) {
		let improved = false;
		for (const step of shrinkSteps(current.layout)) {
			const key = JSON.stringify(step.layout);
			if (seen.has(key)) {
				continue;
			}

			seen.add(key);
			if (performance.now() - lastYield > 50) {
				await new Promise(resolve => setImmediate(resolve));
				lastYield = performance.now();
			}

			if (hooks.shouldStop?.()) {
				return {result: current, steps, probes, complete: false};
			}

			probes++;
			const result = probeLayout(step.layout, probe);
			if (result.verdict === 'fail') {
				current = result;
				steps++;
				improved = true;
				hooks.onStep?.({steps, probes, layout: current.layout, what: step.what});
				break;
			}
		}

		if (!improved) {
			return {result: current, steps, probes, complete: true};
		}
	}
}

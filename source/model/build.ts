/**
Replaying a topology into a Model: boot, then each operation in order,
stopping at the requested phase. Pure: no I/O, no clock.
*/
import {InputError} from '../errors/input-error.js';
import {InternalError} from '../errors/internal-error.js';
import {parseKernelVersion} from '../kernel/version.js';
import type {Topology} from '../topology/types.js';
import type {ModelContext} from './context.js';
import {geometryFor} from './geometry.js';
import {modelNotes} from './notes.js';
import {expandPatches, findPatch, patchProblem} from './patches.js';
import {phaseIndex, phasesOf, planSteps, replayThrough} from './phases.js';
import {pfn_first} from './predicates/dev-pagemap.js';
import {computeRuns} from './runs.js';
import {thawModel} from './model-data.js';
import {ModelState, type PgmapRec} from './state.js';
import type {DevPagemap, Model, ModelOptions, Run} from './types.js';
import {freezeZone, nodeSpan} from './zones.js';
import {LARGE_ENTRIES, onePass} from './one-pass.js';

function resolveContext(topology: Topology, options: ModelOptions): ModelContext {
	const where = {file: topology.file};
	const label = options.kernel ?? topology.kernel;
	const kernel = parseKernelVersion(label);
	if (!kernel) {
		throw new InputError(`unknown kernel version "${label}"; use a mainline release "MAJOR.MINOR" from 4.13 to 6.18 (e.g. --kernel 6.12)`, where);
	}

	const named = [...new Set([...topology.patches, ...(options.patches ?? [])])];
	for (const name of named) {
		const patch = findPatch(name);
		if (!patch) {
			throw new InputError(`unknown patch "${name}"; run 'pfnaudit list patches' for the available patches`, where);
		}

		const problem = patchProblem(patch, topology.arch, kernel);
		if (problem) {
			throw new InputError(`patch "${name}" ${problem}; drop it or change the kernel or arch (pfnaudit list patches)`, where);
		}
	}

	const patches = new Set(expandPatches(named, topology.arch, kernel));
	const g = geometryFor(topology.arch, kernel, topology.config.max_physmem_bits);
	return {kernel, arch: topology.arch, g, config: topology.config, patches, knobs: options.knobs ?? {}};
}

function freezePgmap(pgmap: PgmapRec): DevPagemap {
	return {
		id: pgmap.id,
		type: pgmap.type,
		entry: pgmap.entry,
		label: pgmap.label,
		start_pfn: pgmap.start_pfn,
		end_pfn: pgmap.end_pfn,
		nid: pgmap.nid,
		altmap: pgmap.altmap,
		ref: pgmap.ref,
		in_xarray: pgmap.in_xarray,
		init_cursor: pgmap.init_cursor,
		pfn_first: pfn_first(pgmap),
		phase: pgmap.phase,
		span: {start_pfn: pgmap.span_start, end_pfn: pgmap.span_end},
		...(pgmap.vmemmap_shift ? {vmemmap_shift: pgmap.vmemmap_shift} : {}),
	};
}

/** The replay state at the requested phase (what buildModel() freezes into a Model). */
export function replayState(topology: Topology, options: ModelOptions = {}): {state: ModelState; steps: ReturnType<typeof planSteps>; target: number} {
	const ctx = resolveContext(topology, options);
	const {g} = ctx;
	const end_pfn = g.pfn_upper_bits_limit + g.PAGES_PER_SECTION;
	if (!Number.isSafeInteger(end_pfn)) {
		throw new InternalError(`end_pfn ${end_pfn} of ${topology.arch} is not a safe integer`);
	}

	const steps = planSteps(topology);
	const target = phaseIndex(steps, options.phase ?? 'final', topology.file);
	const state = new ModelState(ctx, end_pfn);
	replayThrough(state, steps, target, topology.memory);
	return {state, steps, target};
}

export function buildModel(topology: Topology, options: ModelOptions = {}): Model {
	return onePass(topology.memory.length >= LARGE_ENTRIES, () => buildModelOnce(topology, options));
}

function buildModelOnce(topology: Topology, options: ModelOptions): Model {
	const {state, steps, target} = replayState(topology, options);
	const {ctx, pfnLimit: end_pfn} = state;
	const g = ctx.g;

	const runs: readonly Run[] = computeRuns(state, topology.memory);
	const nids = [...new Set(state.zones.map(zone => zone.nid))].sort((a, b) => a - b);
	return thawModel({
		topology,
		kernel: ctx.kernel,
		patches: [...ctx.patches],
		notes: modelNotes(ctx.kernel, ctx.arch, [...ctx.patches]),
		geometry: g,
		phase: phasesOf([steps[target]!])[0]!,
		// Every phase of the replay, each with an id and a label: 220 000 of them at 100 000 entries,
		// some 40 MiB of objects and strings that an audit of the final state never reads but held
		// while it laid the model out for its workers (the audit's peak, issue 10). Worked out again
		// from the topology when first read (--phases, the dashboard, search): planSteps() is a pure
		// function of the topology, so they are the phases the replay above ran through.
		phases: () => phasesOf(planSteps(topology)),
		max_pfn: state.max_pfn,
		min_low_pfn: state.min_low_pfn,
		zones: state.zones.map(zone => freezeZone(zone)),
		nodes: nids.map(nid => nodeSpan(state.zones, nid)),
		pgmaps: state.pgmaps.map(pgmap => freezePgmap(pgmap)),
		runs,
		end_pfn,
		entries: topology.memory,
	});
}

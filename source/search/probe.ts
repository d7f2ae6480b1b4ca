/**
One layout audited with one walker, in-process and without the CLI: validate the layout
(layout.ts), build the model (source/model/build.ts) at the final state and, when the layout
names one, at an intermediate phase of the replay, and evaluate the walker in runs mode
(source/engine/evaluate.ts) with the asked categories as the failing set.
*/
import type {CategoryId} from '../model/categories.js';
import {buildModel} from '../model/build.js';
import type {Model} from '../model/types.js';
import {evaluateWalker} from '../engine/evaluate.js';
import type {Tally, Witness} from '../engine/types.js';
import {InputError} from '../errors/input-error.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {type Layout, layoutTopology} from './layout.js';

export type ProbeResult =
	/** The walker touched a pfn of an asked category: the first such touch, in walk order. */
	| {readonly verdict: 'fail'; readonly witness: Witness; readonly touches: Tally; readonly layout: Layout}
	| {readonly verdict: 'pass'; readonly touches: Tally; readonly layout: Layout}
	/** The topology rules (or the model) refuse the layout: the kernel would not build it. */
	| {readonly verdict: 'refused'; readonly error: string; readonly layout: Layout}
	/** The walker does not exist at the layout's kernel (plan() returned null). */
	| {readonly verdict: 'absent'; readonly layout: Layout}
	/** The walker threw, timed out or broke the contract on this layout. */
	| {readonly verdict: 'error'; readonly error: string; readonly layout: Layout};

export type ProbeOptions = {
	readonly walker: WalkerDefinition;
	readonly categories: readonly CategoryId[];
	/** Per walker evaluation (a runaway user walker). */
	readonly timeLimitMs?: number;
	/**
	Only a touch of this category counts as failing (the shrinker keeps the category the search
	found); default: any of `categories`.
	*/
	readonly only?: CategoryId;
};

/**
Audit `layout`. `phasePick` (generated layouts): besides the final state, audit the phase at
that index (modulo the number of phases); the returned layout names it in `phase`.
*/
export function probeLayout(layout: Layout, options: ProbeOptions, phasePick?: number | null): ProbeResult {
	const topology = layoutTopology(layout);
	if (topology instanceof InputError) {
		return {verdict: 'refused', error: topology.message, layout};
	}

	let final: Model;
	try {
		final = buildModel(topology);
	} catch (error) {
		if (error instanceof InputError) {
			return {verdict: 'refused', error: error.message, layout};
		}

		throw error;
	}

	let resolved = layout;
	if (phasePick !== undefined && phasePick !== null) {
		const phases = final.phases.filter(phase => phase.id !== 'final');
		const phase = phases[phasePick % Math.max(1, phases.length)];
		const {phase: _dropped, ...rest} = layout;
		resolved = phase === undefined ? rest : {...rest, phase: phase.id};
	}

	const failing = options.only === undefined ? options.categories : [options.only];
	const models = [final];
	if (resolved.phase !== undefined) {
		if (!final.phases.some(phase => phase.id === resolved.phase)) {
			// A shrink step dropped what the phase belonged to.
			return {verdict: 'refused', error: `no phase ${resolved.phase}`, layout: resolved};
		}

		models.push(buildModel(topology, {phase: resolved.phase}));
	}

	let touches: Tally | undefined;
	for (const model of models) {
		const result = evaluateWalker(options.walker, model, {
			mode: 'runs',
			failOn: failing,
			witnessLimit: 1,
			...(options.timeLimitMs === undefined ? {} : {timeLimitMs: options.timeLimitMs}),
		});
		if (result.status === 'absent') {
			return {verdict: 'absent', layout: resolved};
		}

		if (result.status !== 'ok') {
			return {verdict: 'error', error: result.error ?? `${options.walker.name} ${result.status}`, layout: resolved};
		}

		touches = touches === undefined ? {...result.touches} : addTally(touches, result.touches);
		const witness = result.witnesses.find(w => w.failing && failing.includes(w.category));
		if (witness) {
			return {verdict: 'fail', witness, touches, layout: resolved};
		}
	}

	return {verdict: 'pass', touches: touches!, layout: resolved};
}

function addTally(a: Tally, b: Tally): Tally {
	const out = {...a};
	for (const key of Object.keys(b) as CategoryId[]) {
		out[key] = (out[key] ?? 0) + b[key];
	}

	return out;
}

/**
What a per-pfn audit will cost, before it runs (issue 11 item 9). In `--mode per-pfn` every
iteration point of a walker's passes is one step, so the work of a walker is the sum of its
passes' points (form-check.ts passPoints), known from plan() alone. A whole-address-space sweep
of a 2^52-byte machine is 2^40 points: no time limit a user would choose covers it, and the
time limit would stop it with an error after the user waited for it. Such an audit is refused up
front instead, with the numbers and what to do.

The rate is PER_PFN_CEILING, above anything a walker reaches per thread (measured with `npm run
bench`, README: 55–70 M pfns/s for a struct-page-reading walker, 160 M for pfn_valid() alone;
4–40 M for the built-ins over the showcase), so a walker refused here could not have finished in
time; one that passes may still run out of time on a slow machine, which headless.ts reports as
a consequence of the mode (exit 2), not as a bug. User walkers are not planned in this thread (walker/isolate.ts) and are not estimated.
*/
import {InputError} from '../errors/input-error.js';
import type {Model} from '../model/types.js';
import type {Topology} from '../topology/types.js';
import {planWalker} from '../walker/adopt.js';
import type {WalkerDefinition} from '../walker/contract.js';
import {passPoints} from './form-check.js';
import type {AuditWalker} from './jobs.js';

/** Pfns per second per walker that no built-in walker exceeds in per-pfn mode. */
export const PER_PFN_CEILING = 200e6;

export type WalkerWork = {
	readonly walker: string;
	/** Steps of one phase in per-pfn mode. */
	readonly points: number;
	/** At least this many seconds per phase (points at PER_PFN_CEILING). */
	readonly seconds: number;
};

/** The per-pfn work of every built-in walker over `model`; a walker whose plan() throws is left to the audit to report. */
export function perPfnWork(model: Model, walkers: readonly AuditWalker[]): WalkerWork[] {
	const work: WalkerWork[] = [];
	for (const walker of walkers) {
		if (!walker.builtin || !('plan' in walker.definition)) {
			continue;
		}

		let points = 0;
		try {
			const form = planWalker(walker.definition as WalkerDefinition, model);
			points = form === null ? 0 : form.passes.reduce((sum, pass) => sum + passPoints(pass), 0);
		} catch {
			continue;
		}

		work.push({walker: walker.definition.name, points, seconds: points / PER_PFN_CEILING});
	}

	return work;
}

/** "3.4 hours", "12 min", "45 s". */
export function formatDuration(seconds: number): string {
	if (seconds >= 2 * 86_400) {
		return `${Math.round(seconds / 86_400)} days`;
	}

	if (seconds >= 2 * 3600) {
		return `${(seconds / 3600).toFixed(1)} hours`;
	}

	return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.ceil(seconds)} s`;
}

/** 1.10e12 → "1.1e12", 9437184 → "9437184". */
export function formatCount(count: number): string {
	return count >= 1e9 ? count.toExponential(1).replace('e+', 'e') : String(count);
}

/**
Refuse a per-pfn audit that cannot finish: a built-in walker whose steps (perPfnWork) take longer
than --timeout even at the fastest per-pfn rate. One sentence with the numbers and the ways out.
*/
export function checkPerPfnWork(topologies: readonly Topology[], walkers: readonly AuditWalker[], timeLimitMs: number, build: (topology: Topology) => Model): void {
	for (const topology of topologies) {
		const work = perPfnWork(build(topology), walkers);
		const over = work.filter(item => item.seconds * 1000 > timeLimitMs).sort((a, b) => b.points - a.points);
		if (over.length === 0) {
			continue;
		}

		const worst = over[0]!;
		const others = over.length > 1 ? ` (and ${over.length - 1} more walker${over.length > 2 ? 's' : ''} past the limit)` : '';
		const fits = work.filter(item => item.seconds * 1000 <= timeLimitMs && item.points > 0).sort((a, b) => b.points - a.points).map(item => item.walker);
		throw new InputError(
			`--mode per-pfn would step ${formatCount(worst.points)} pfns in ${worst.walker}${others} on ${topology.name}: at least ${formatDuration(worst.seconds)} at the fastest per-pfn rate (${PER_PFN_CEILING / 1e6}M pfns/s), past --timeout ${timeLimitMs / 1000} s; use --mode runs (the same tallies, far faster)${fits.length > 0 ? `, pick walkers that fit with --walker (such as ${fits.slice(0, 2).join(', ')})` : ''}, or raise --timeout above ${Math.ceil(worst.seconds)}`,
		);
	}
}

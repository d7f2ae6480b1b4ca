/**
What the layouts a search tried covered, for the "no counterexample" summary: how many had each
kind of entry, state, altmap, section collision, partial section and operation, which arches,
how many had an intermediate phase audited, and in how many the walker touched each category.
Counts are of layouts (one layout with three devices counts once for `device`).
*/
import {CATEGORY_IDS, type CategoryId} from '../model/categories.js';
import type {Tally} from '../engine/types.js';
import type {Layout} from './layout.js';

export type Coverage = {
	layouts: number;
	refused: number;
	errors: number;
	/** Layouts on which the walker does not exist (plan() null: the kernel is outside its history); the search stops at the first. */
	absent: number;
	features: Record<string, number>;
	arches: Record<string, number>;
	/** Layouts in which the walker touched each category (any touch, failing or not). */
	touched: Partial<Record<CategoryId, number>>;
};

export function emptyCoverage(): Coverage {
	return {layouts: 0, refused: 0, errors: 0, absent: 0, features: {}, arches: {}, touched: {}};
}

function bump(record: Record<string, number>, key: string, by = 1): void {
	record[key] = (record[key] ?? 0) + by;
}

/** The features of one layout (section geometry in bytes for collisions and partial sections). */
export function layoutFeatures(layout: Layout, sectionBytes: number): Set<string> {
	const features = new Set<string>();
	const boots = layout.memory.filter(e => e.kind === 'boot');
	for (const entry of layout.memory) {
		features.add(entry.kind);
		if (entry.kind === 'hotplug') {
			features.add(`hotplug ${entry.state}`);
			for (const b of entry.blocks) {
				features.add(`hotplug ${b.state}`);
			}

			if (entry.blocks.length > 0) {
				features.add('blocks:');
			}
		}

		if (entry.kind === 'boot' && entry.nomap.length > 0) {
			features.add('nomap');
		}

		if (entry.kind === 'device') {
			features.add(`device ${entry.type}`);
			features.add(`device ${entry.state}`);
			if (entry.altmap) {
				features.add('altmap');
			}

			const first = Math.floor(entry.start / sectionBytes);
			const last = Math.floor((entry.end - 1) / sectionBytes);
			if (boots.some(b => Math.floor(b.start / sectionBytes) <= last && Math.floor((b.end - 1) / sectionBytes) >= first)) {
				features.add('section collision');
			}

			if (entry.start % sectionBytes !== 0 || entry.end % sectionBytes !== 0) {
				features.add('partial section');
			}
		}
	}

	for (const op of layout.operations) {
		features.add(`op ${op.op}`);
	}

	if (layout.phase !== undefined) {
		features.add('intermediate phase');
	}

	return features;
}

export function recordLayout(coverage: Coverage, layout: Layout, sectionBytes: number, touches: Tally | undefined): void {
	coverage.layouts++;
	bump(coverage.arches, layout.arch);
	for (const feature of layoutFeatures(layout, sectionBytes)) {
		bump(coverage.features, feature);
	}

	if (touches) {
		for (const id of CATEGORY_IDS) {
			if (touches[id] > 0) {
				coverage.touched[id] = (coverage.touched[id] ?? 0) + 1;
			}
		}
	}
}

export function mergeCoverage(into: Coverage, from: Coverage): void {
	into.layouts += from.layouts;
	into.refused += from.refused;
	into.errors += from.errors;
	into.absent += from.absent;
	for (const [key, n] of Object.entries(from.features)) {
		bump(into.features, key, n);
	}

	for (const [key, n] of Object.entries(from.arches)) {
		bump(into.arches, key, n);
	}

	for (const [key, n] of Object.entries(from.touched)) {
		into.touched[key as CategoryId] = (into.touched[key as CategoryId] ?? 0) + n;
	}
}

/** "4 812 layouts (12 refused by the topology rules): x86_64 700, …; boot 4812, device 3021, …; the walker touched C1 in 0, C2 in 1 200, …" */
export function describeCoverage(coverage: Coverage, categories: readonly CategoryId[]): string {
	const list = (record: Record<string, number>) =>
		Object.entries(record)
			.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
			.map(([key, n]) => `${key} ${n}`)
			.join(', ');
	const touched = CATEGORY_IDS.filter(id => id !== 'ok')
		.map(id => `${id} in ${coverage.touched[id] ?? 0}${categories.includes(id) ? '' : ' (not asked)'}`)
		.join(', ');
	return [
		`${coverage.layouts} layouts audited (${coverage.refused} more refused by the topology rules${coverage.errors > 0 ? `, ${coverage.errors} where the walker failed to run` : ''})`,
		`arches: ${list(coverage.arches)}`,
		`layouts with: ${list(coverage.features)}`,
		`the walker touched ${touched}`,
	].join('\n');
}

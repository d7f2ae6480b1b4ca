/**
The proposal scorecard (`pfnaudit compare <topology...> --proposals`): for each topology, the
comparison of no patch with each proposal of the five-category thread (source/model/proposals.ts),
shown as proposal × category → how many walkers still touch it, then, per proposal, which walkers
it closes a category for and which it opens one for. docs/proposals.md is this output for every
built-in topology.
*/
import {type CategoryId, CATEGORY_IDS} from '../model/categories.js';
import {findProposal, mailCitation, PROPOSALS} from '../model/proposals.js';
import {mdCode, mdText} from '../report/escape.js';
import type {Comparison} from './compare.js';

/** The categories a scorecard shows: the five cases and the ZONE_DEVICE hazards beside them. */
export const SCORECARD_CATEGORIES: readonly CategoryId[] = ['C1', 'C2', 'C3', 'C4', 'C5', 'metadata', 'teardown'];

/** Walkers with a touch in `id` in column `column`. */
function touching(comparison: Comparison, column: number, id: CategoryId): string[] {
	return comparison.walkers.filter(row => row.touches[column]![id] > 0).map(row => row.name);
}

export type ScorecardRow = {
	readonly patch: string;
	/** Walkers still touching each category. */
	readonly touching: Readonly<Record<string, readonly string[]>>;
	/** Per category: walkers that touched it without the patch and do not with it. */
	readonly closed: Readonly<Record<string, readonly string[]>>;
	/** Per category: walkers that touch it only with the patch. */
	readonly opened: Readonly<Record<string, readonly string[]>>;
};

/** Column 0 is the comparison without patches; every other column one proposal. */
export function scorecardRows(comparison: Comparison): ScorecardRow[] {
	return comparison.columns.map((column, i) => {
		const touchingNow: Record<string, string[]> = {};
		const closed: Record<string, string[]> = {};
		const opened: Record<string, string[]> = {};
		for (const id of CATEGORY_IDS) {
			const now = touching(comparison, i, id);
			const before = touching(comparison, 0, id);
			touchingNow[id] = now;
			closed[id] = before.filter(name => !now.includes(name));
			opened[id] = now.filter(name => !before.includes(name));
		}

		return {patch: i === 0 ? '(no patch)' : column.patches.filter(name => findProposal(name)).join(' + ') || column.label, touching: touchingNow, closed, opened};
	});
}

function cell(row: ScorecardRow, base: ScorecardRow, id: CategoryId): string {
	const count = row.touching[id]!.length;
	const change = count - base.touching[id]!.length;
	return change === 0 || row === base ? String(count) : `${count} (${change > 0 ? '+' : ''}${change})`;
}

/** The legend: every proposal with the mails it comes from. */
export function proposalLegend(): string[] {
	const lines = ['| proposal | from | modelled as |', '|:---|:---|:---|'];
	for (const proposal of PROPOSALS) {
		const name = proposal.variant_of ? `${mdCode(proposal.name)} (knob of ${mdCode(proposal.variant_of)})` : mdCode(proposal.name);
		lines.push(`| ${name} | ${proposal.mails.map(mail => mdText(mailCitation(mail))).join('<br/>')} | ${mdText(proposal.semantics)} |`);
	}

	return lines;
}

/** One topology's scorecard in Markdown. `notApplied` lists proposals left out, with why. */
export function renderScorecardMarkdown(comparison: Comparison, notApplied: ReadonlyArray<{name: string; why: string}> = []): string {
	const rows = scorecardRows(comparison);
	const base = rows[0]!;
	const kernel = comparison.columns[0]!.kernel;
	const out = [`### ${mdCode(comparison.topology.name)} (${comparison.arch}, v${kernel})`, ''];
	out.push(`Walkers (of ${comparison.walkers.length}) still touching each category:`, '');
	out.push(`| patch | ${SCORECARD_CATEGORIES.join(' | ')} |`, `|:---|${SCORECARD_CATEGORIES.map(() => '---:').join('|')}|`);
	for (const row of rows) {
		out.push(`| ${row === base ? row.patch : mdCode(row.patch)} | ${SCORECARD_CATEGORIES.map(id => cell(row, base, id)).join(' | ')} |`);
	}

	out.push('');
	const changes: string[] = [];
	for (const row of rows.slice(1)) {
		const closed = SCORECARD_CATEGORIES.filter(id => row.closed[id]!.length > 0).map(id => `${id} no longer by ${row.closed[id]!.map(name => mdCode(name)).join(', ')}`);
		const opened = SCORECARD_CATEGORIES.filter(id => row.opened[id]!.length > 0).map(id => `${id} newly by ${row.opened[id]!.map(name => mdCode(name)).join(', ')}`);
		if (closed.length > 0 || opened.length > 0) {
			changes.push(`- ${mdCode(row.patch)}: ${[...closed, ...opened].join('; ')}`);
		}
	}

	out.push(...(changes.length > 0 ? changes : ['No proposal changes which walkers touch these categories here.']));
	// C2 is safe to touch: "left open" names the failing categories only.
	const still = SCORECARD_CATEGORIES.filter(id => id !== 'C2' && base.touching[id]!.length > 0 && rows.slice(1).every(row => row.touching[id]!.length > 0));
	if (still.length > 0) {
		out.push(`- left open by every proposal: ${still.map(id => `${id} (${base.touching[id]!.map(name => mdCode(name)).join(', ')})`).join('; ')}`);
	}

	for (const skip of notApplied) {
		out.push(`- ${mdCode(skip.name)} not applied: ${mdText(skip.why)}`);
	}

	out.push('');
	return out.join('\n');
}

/** Plain text for a terminal: the same table, 80 columns. */
export function renderScorecardText(comparison: Comparison, notApplied: ReadonlyArray<{name: string; why: string}> = []): string {
	const rows = scorecardRows(comparison);
	const base = rows[0]!;
	const width = Math.max(12, ...rows.map(row => row.patch.length));
	const lines = [`${comparison.topology.name} (${comparison.arch}, v${comparison.columns[0]!.kernel}): walkers still touching each category`];
	lines.push(`${'patch'.padEnd(width)}${SCORECARD_CATEGORIES.map(id => `${id === 'metadata' ? 'meta' : id === 'teardown' ? 'tdown' : id} `.padStart(7)).join('')}`.trimEnd());
	for (const row of rows) {
		const cells = SCORECARD_CATEGORIES.map(id => {
			const change = row.touching[id]!.length - base.touching[id]!.length;
			return `${row.touching[id]!.length}${change < 0 ? '-' : change > 0 ? '+' : ' '}`.padStart(7);
		});
		lines.push(`${row.patch.padEnd(width)}${cells.join('')}`.trimEnd());
	}

	lines.push('(- fewer walkers than with no patch, + more)');

	for (const skip of notApplied) {
		lines.push(`(${skip.name} not applied: ${skip.why})`);
	}

	return `${lines.join('\n')}\n`;
}

/**
What every report format derives from an AuditReport the same way: the order walkers are shown
in, which cells fail, counts, the fixing-commit phrase, and word wrapping for the text formats.
*/
import {ERROR_STATUSES} from '../engine/aggregate.js';
import type {AuditReport, TopologyWarning, WalkerResult, Witness} from '../engine/types.js';
import {CATEGORY_IDS, type CategoryId, FAIL_WHEN_UNINITIALIZED, FAIL_WHEN_WRITTEN} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {toAscii} from './escape.js';

/**
Statuses where the walker did not run to completion: reported as errors, never as pass. The
engine gives exactly these walkers the verdict `error` (engine/aggregate.ts ERROR_STATUSES).
*/
export function isErrorStatus(walker: WalkerResult): boolean {
	return ERROR_STATUSES.includes(walker.status);
}

/**
The word a report's headline shows. The report `verdict` is `fail` both when a failing category
has a non-zero count and when a walker could not be audited (engine/aggregate.ts
overallVerdict(): incomplete tallies must not pass a CI job). The headline tells the two apart:
`ERROR` when any walker threw, timed out, broke the contract or was cancelled (whatever the
other walkers found), else `FAIL` or `PASS`.
*/
export function headlineVerdict(report: AuditReport): 'PASS' | 'FAIL' | 'ERROR' {
	if (report.walkers.some(walker => isErrorStatus(walker))) {
		return 'ERROR';
	}

	return report.verdict === 'fail' ? 'FAIL' : 'PASS';
}

/** The headline of several reports: ERROR when a walker of some topology did not finish, else FAIL or PASS. */
export function combinedHeadline(reports: readonly AuditReport[]): 'PASS' | 'FAIL' | 'ERROR' {
	const words = reports.map(report => headlineVerdict(report));
	return words.includes('ERROR') ? 'ERROR' : words.includes('FAIL') ? 'FAIL' : 'PASS';
}

/** `pfnaudit 1.0.0`: the tool that wrote several reports (the first one's), for their shared heading. */
export function toolName(reports: readonly AuditReport[]): string {
	const first = reports[0];
	return first ? `${first.tool.name} ${first.tool.version}` : 'pfnaudit';
}

/** The model notes of a report (AuditReport.notes), none for a report built without them. */
export function reportNotes(report: AuditReport): readonly string[] {
	return report.notes ?? [];
}

/** The topology warnings of a report (AuditReport.warnings), none for a report built without them. */
export function reportWarnings(report: AuditReport): readonly TopologyWarning[] {
	return report.warnings ?? [];
}

/** `topologies/showcase.yaml:70:5`: where a warning was raised, as compilers print it. */
export function warningWhere(warning: TopologyWarning): string {
	return `${warning.file}:${warning.line}:${warning.column}`;
}

/** `topologies/showcase.yaml:70:5: memory[5] (devdax@…) shares section 0x27 …` */
export function warningLine(warning: TopologyWarning): string {
	return `${warningWhere(warning)}: ${warning.message}`;
}

export type WalkerGroups = {
	/** verdict fail */
	readonly failing: readonly WalkerResult[];
	/** threw, timed out, malformed, cancelled */
	readonly errors: readonly WalkerResult[];
	/** ran and passed */
	readonly passing: readonly WalkerResult[];
	/** does not exist at this kernel version */
	readonly absent: readonly WalkerResult[];
};

/** Walkers split by outcome, each group in report order: what reviewers read first comes first. */
export function groupWalkers(report: AuditReport): WalkerGroups {
	const failing: WalkerResult[] = [];
	const errors: WalkerResult[] = [];
	const passing: WalkerResult[] = [];
	const absent: WalkerResult[] = [];
	for (const walker of report.walkers) {
		if (walker.status === 'absent') {
			absent.push(walker);
		} else if (isErrorStatus(walker)) {
			errors.push(walker);
		} else if (walker.verdict === 'fail') {
			failing.push(walker);
		} else {
			passing.push(walker);
		}
	}

	return {failing, errors, passing, absent};
}

/** Categories with a failing count, in source/model/categories.ts order. */
export function failingCategories(walker: WalkerResult): CategoryId[] {
	return CATEGORY_IDS.filter(id => walker.failing[id] > 0);
}

/** Categories with any touch, in source/model/categories.ts order. */
export function touchedCategories(walker: WalkerResult): CategoryId[] {
	return CATEGORY_IDS.filter(id => walker.touches[id] > 0);
}

/** Whether a (walker, category) cell is failing: the engine's failing tally decides, per --fail-on. */
export function isFailingCell(walker: Pick<WalkerResult, 'failing'>, id: CategoryId): boolean {
	return walker.failing[id] > 0;
}

/**
Whether touches of category `id` fail in this audit: it is in `--fail-on`, and for `hole` and
`nomap`, which fail only where the memmap is uninitialized at the kernel version, some walker
actually has a failing touch of it (an initialized hole at v5.6+ is not a failing region); the
same for `hvo`, which fails only where a walker writes it.
*/
export function categoryFails(report: AuditReport, id: CategoryId): boolean {
	if (!report.fail_on.includes(id)) {
		return false;
	}

	return !(FAIL_WHEN_UNINITIALIZED.includes(id) || FAIL_WHEN_WRITTEN.includes(id)) || report.walkers.some(walker => walker.failing[id] > 0);
}

/** The witnesses of one category, in the order the engine found them. */
export function witnessesOf(walker: WalkerResult, id: CategoryId): Witness[] {
	return walker.witnesses.filter(witness => witness.category === id);
}

/**
`34dc45be4563 ("mm: fix memory_failure() handling of dax-namespace metadata") in v5.12` — the
form a kernel changelog cites a commit in (Documentation/process/submitting-patches.rst).
*/
export function fixedByPhrase(fixed: NonNullable<WalkerResult['fixed_by']>): string {
	const commit = fixed.id ? `${fixed.id} ("${fixed.subject}")` : `"${fixed.subject}"`;
	return `${commit} in v${fixed.version}`;
}

/**
`pfn 0x23c000 (section 0x47)`, plus the phase when the audit ran over several. Section numbers
are hex, as in the engine's sentences and in topology descriptions ("section 0x27").
*/
export function witnessWhere(witness: Witness, report: AuditReport): string {
	const phase = showPhases(report) ? `, phase ${witness.phase}` : '';
	return `pfn ${hex(witness.pfn)} (section ${hex(witness.section_nr)}${phase})`;
}

/** Phases are worth printing only when the audit stopped at more than the final state. */
export function showPhases(report: AuditReport): boolean {
	return report.phases.length !== 1 || report.phases[0] !== 'final';
}

/**
`read page->mapping`, `write page->flags`; `read mem_section` for the mem_section entry that
__nr_to_section() reads (the `mem_section` pseudo-field, or no field at all), which is not a
struct page field.
*/
export function accessPhrase(witness: Witness): string {
	const fields = witness.fields.length === 0 ? 'mem_section' : witness.fields.map(field => (field === 'struct page' || field === 'mem_section' ? field : `page->${field}`)).join(', ');
	return `${witness.access} ${fields}`;
}

/**
The call chain as `a -> b`, or undefined when the `why` sentence already starts with it (the
engine writes "memory_failure → dax_lock_page reads page->mapping of pfn …") or there is none:
a report prints the chain on its own only when it adds something.
*/
export function separateChain(witness: Witness): string | undefined {
	if (witness.chain.length === 0) {
		return undefined;
	}

	for (const separator of [' \u2192 ', ' -> ']) {
		const prefix = witness.chain.join(separator);
		// The chain must end at a word boundary: "memory_failure" does not prefix "memory_failure_dev_pagemap".
		if (witness.why.startsWith(prefix) && !/^\w/.test(witness.why.slice(prefix.length))) {
			return undefined;
		}
	}

	return witness.chain.join(' -> ');
}

/** The one count formatter (source/format/count.ts), shared with the dashboard. */
export {compactCount} from '../format/count.js';

/** A byte size in binary units, as topology files write them: 8G, 128M, 8K, 4096. */
export function sizeLabel(bytes: number): string {
	const units = ['K', 'M', 'G', 'T', 'P', 'E'];
	let value = bytes;
	let unit = -1;
	while (value >= 1024 && value % 1024 === 0 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}

	if (unit >= 0) {
		return `${value}${units[unit] ?? ''}`;
	}

	// Not a whole number of KiB: give the nearest binary unit with one decimal.
	let approx = bytes;
	let approxUnit = -1;
	while (approx >= 1024 && approxUnit < units.length - 1) {
		approx /= 1024;
		approxUnit++;
	}

	return approxUnit < 0 ? `${bytes}` : `~${approx.toFixed(1)}${units[approxUnit] ?? ''}`;
}

/**
Greedy word wrap to `width` columns; the first line is prefixed with `first`, the others with
`rest`. Words longer than a line are cut. Input is expected to be one line already (toAscii).
*/
export function wrap(text: string, width: number, first = '', rest = first): string[] {
	const lines: string[] = [];
	let line = first;
	let lineHasWord = false;
	const prefixFor = () => (lines.length === 0 ? first : rest);
	for (const word of text.split(' ').filter(part => part !== '')) {
		let remaining = word;
		while (remaining !== '') {
			const room = width - line.length - (lineHasWord ? 1 : 0);
			if (remaining.length <= room) {
				line += (lineHasWord ? ' ' : '') + remaining;
				lineHasWord = true;
				remaining = '';
			} else if (lineHasWord) {
				lines.push(line);
				line = rest;
				lineHasWord = false;
			} else {
				// A word longer than a whole line: cut it.
				const cut = Math.max(1, width - line.length);
				line += remaining.slice(0, cut);
				remaining = remaining.slice(cut);
				lines.push(line);
				line = rest;
			}
		}
	}

	if (lineHasWord || lines.length === 0) {
		lines.push(lineHasWord ? line : prefixFor().trimEnd());
	}

	return lines;
}

/**
The first `perCategory` witnesses as wrapped plain text, the way the text and md reports list
them: `<indent>- pfn … (section …): read page->…`, then `via a -> b` when the chain adds
something (separateChain), then the engine's sentence, each continuation two columns deeper;
a last line counts the witnesses left out.
*/
export function witnessLines(witnesses: readonly Witness[], report: AuditReport, width: number, perCategory: number, indent: string): string[] {
	const item = `${indent}  `;
	const lines: string[] = [];
	for (const witness of witnesses.slice(0, perCategory)) {
		lines.push(...wrap(toAscii(`${witnessWhere(witness, report)}: ${accessPhrase(witness)}`), width, `${indent}- `, item));
		const chain = separateChain(witness);
		if (chain !== undefined) {
			lines.push(...wrap(toAscii(`via ${chain}`), width, item, `${item}    `));
		}

		lines.push(...wrap(toAscii(witness.why), width, item));
	}

	if (witnesses.length > perCategory) {
		lines.push(`${indent}(${witnesses.length - perCategory} more in the JSON report)`);
	}

	return lines;
}

/** `5 fail, 1 error, 2 pass, 1 absent` (zero groups left out). */
export function groupSummary(groups: WalkerGroups): string {
	const parts = [
		[groups.failing.length, 'fail'],
		[groups.errors.length, groups.errors.length === 1 ? 'error' : 'errors'],
		[groups.passing.length, 'pass'],
		[groups.absent.length, 'absent'],
	] as const;
	return parts
		.filter(([count]) => count > 0)
		.map(([count, label]) => `${count} ${label}`)
		.join(', ');
}

/** `threw`, `timed out`, … for error lines. */
export function statusPhrase(walker: WalkerResult): string {
	switch (walker.status) {
		case 'threw': {
			return 'threw';
		}

		case 'timeout': {
			return 'timed out';
		}

		case 'malformed': {
			return 'broke the walker contract';
		}

		case 'cancelled': {
			return 'was cancelled';
		}

		case 'absent': {
			return 'is absent';
		}

		case 'ok': {
			return 'ran';
		}
	}
}

/** Write touches of a (walker, category) cell: 0 when the walker only reads it (or a hand-built result has no `writes`). */
export function writesOf(walker: Pick<WalkerResult, 'writes'>, id: CategoryId): number {
	return walker.writes?.[id] ?? 0;
}

/** ", 12 of them writes" for a cell reached through a write, "" otherwise. */
export function writesPhrase(walker: Pick<WalkerResult, 'writes'>, id: CategoryId): string {
	const writes = writesOf(walker, id);
	return writes > 0 ? `, ${writes} of them ${writes === 1 ? 'a write' : 'writes'}` : '';
}

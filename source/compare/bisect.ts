/**
`pfnaudit bisect`: the releases where one walker's verdict on a topology (or its count in one
category) changes, v4.13 to v6.18, each transition with the commits the walker's guard history
(walkers/, GuardChange) and the model's version history (source/kernel/changes.ts) place in it.

Every release is audited — no binary search: a verdict may change back (a guard fixed, then a
model change exposing a new hazard), and an audit of one walker costs milliseconds. A release the
topology cannot be replayed at (an operation the kernel does not have yet, say) is skipped and
listed; a transition then spans the skipped releases, and its commits cover all of them.

JSON (README.md, Commands): {"walker", "category", "transitions": [{"from", "to", "before", "after",
"commits": [{"id", "subject", "release", "in": "walker" | "model", "what"}]}]}, plus "topology",
"arch", "values" (every audited release and its value) and "skipped" ([{"kernel", "why"}]).
*/
import type {AuditReport} from '../engine/types.js';
import {type KernelChange, KERNEL_CHANGES} from '../kernel/changes.js';
import {v} from '../kernel/version.js';
import type {CategoryId} from '../model/categories.js';
import type {Arch} from '../model/geometry.js';
import type {GuardChange} from '../walker/contract.js';

/** A walker's value at one release: its verdict ("absent" where it does not exist), or its count in the category. */
export type BisectValue = string | number;

export type BisectCommit = {
	readonly id?: string;
	readonly subject: string;
	/** The release that first has it. */
	readonly release: string;
	/** Whose history names it: the walker's guard history or the model's version history. */
	readonly in: 'walker' | 'model';
	/** What changed, in kernel terms. */
	readonly what: string;
};

export type Transition = {
	readonly from: string;
	readonly to: string;
	readonly before: BisectValue;
	readonly after: BisectValue;
	readonly commits: readonly BisectCommit[];
};

export type Bisection = {
	readonly walker: string;
	readonly category: CategoryId | null;
	readonly topology: {readonly name: string; readonly file: string};
	readonly arch: string;
	readonly patches: readonly string[];
	readonly values: ReadonlyArray<{readonly kernel: string; readonly value: BisectValue; readonly form: string}>;
	readonly skipped: ReadonlyArray<{readonly kernel: string; readonly why: string}>;
	readonly transitions: readonly Transition[];
};

/** One release's audit, or why the topology could not be replayed there. */
export type ReleaseAudit = {readonly kernel: string; readonly report: AuditReport} | {readonly kernel: string; readonly skipped: string};

/** The value of `walker` in `report`. */
export function bisectValue(report: AuditReport, walker: string, category: CategoryId | null): {value: BisectValue; form: string} {
	const result = report.walkers.find(w => w.name === walker);
	if (!result) {
		throw new Error(`internal: bisect: no result for ${walker} at v${report.kernel}`);
	}

	if (category !== null) {
		return {value: result.touches[category], form: result.form};
	}

	return {value: result.status === 'absent' ? 'absent' : result.verdict, form: result.form};
}

/** Releases in (from, to]. */
function inRange(release: string, from: string, to: string): boolean {
	const code = v(release).code;
	return code > v(from).code && code <= v(to).code;
}

/** The walker's and the model's commits first released in (from, to]. */
export function commitsBetween(from: string, to: string, history: readonly GuardChange[], arch: Arch, changes: readonly KernelChange[] = KERNEL_CHANGES): BisectCommit[] {
	const out: BisectCommit[] = [];
	for (const step of history) {
		if (!inRange(step.since, from, to)) {
			continue;
		}

		const commits = step.commits && step.commits.length > 0 ? step.commits : [{subject: `(no commit id known) ${step.guard}`}];
		for (const commit of commits) {
			out.push({...(commit.id ? {id: commit.id} : {}), subject: commit.subject, release: step.since, in: 'walker', what: `guard: ${step.guard}`});
		}
	}

	for (const change of changes) {
		if (!inRange(change.since, from, to) || (change.arches && !change.arches.includes(arch))) {
			continue;
		}

		for (const commit of change.commits) {
			if (!out.some(seen => seen.in === 'model' && seen.subject === commit.subject && seen.id === commit.id)) {
				out.push({...(commit.id ? {id: commit.id} : {}), subject: commit.subject, release: change.since, in: 'model', what: `${change.what} (${change.source})`});
			}
		}
	}

	return out;
}

/** The bisection of `walker` over audits of consecutive releases (oldest first). */
export function bisect(
	audits: readonly ReleaseAudit[],
	walker: {readonly name: string; readonly history: readonly GuardChange[]},
	category: CategoryId | null,
): Bisection {
	const values: Array<{kernel: string; value: BisectValue; form: string}> = [];
	const skipped: Array<{kernel: string; why: string}> = [];
	let first: AuditReport | undefined;
	for (const audit of audits) {
		if ('skipped' in audit) {
			skipped.push({kernel: audit.kernel, why: audit.skipped});
			continue;
		}

		first ??= audit.report;
		values.push({kernel: audit.kernel, ...bisectValue(audit.report, walker.name, category)});
	}

	const arch = (first?.arch ?? 'x86_64') as Arch;
	const transitions: Transition[] = [];
	for (let i = 1; i < values.length; i++) {
		const previous = values[i - 1]!;
		const current = values[i]!;
		if (previous.value !== current.value) {
			transitions.push({
				from: previous.kernel,
				to: current.kernel,
				before: previous.value,
				after: current.value,
				commits: commitsBetween(previous.kernel, current.kernel, walker.history, arch),
			});
		}
	}

	return {
		walker: walker.name,
		category,
		topology: first ? {name: first.topology.name, file: first.topology.file} : {name: '', file: ''},
		arch,
		patches: first?.patches ?? [],
		values,
		skipped,
		transitions,
	};
}

// ---------------------------------------------------------------------------------------------
// Output

export function bisectionJson(bisection: Bisection) {
	return {
		schema: 'pfnaudit-bisect/1',
		walker: bisection.walker,
		category: bisection.category,
		topology: bisection.topology,
		arch: bisection.arch,
		patches: bisection.patches,
		transitions: bisection.transitions.map(t => ({from: `v${t.from}`, to: `v${t.to}`, before: t.before, after: t.after, commits: t.commits})),
		values: bisection.values.map(value => ({kernel: `v${value.kernel}`, value: value.value})),
		skipped: bisection.skipped.map(skip => ({kernel: `v${skip.kernel}`, why: skip.why})),
	};
}

/** Releases grouped into spans of equal value: "v4.13-v5.3  fail". */
function spans(bisection: Bisection): Array<{from: string; to: string; value: BisectValue; form: string}> {
	const out: Array<{from: string; to: string; value: BisectValue; form: string}> = [];
	for (const value of bisection.values) {
		const last = out.at(-1);
		if (last && last.value === value.value && last.form === value.form) {
			last.to = value.kernel;
		} else {
			out.push({from: value.kernel, to: value.kernel, value: value.value, form: value.form});
		}
	}

	return out;
}

function wrapLine(text: string, width: number, indent: string): string[] {
	const lead = /^ */.exec(text)![0];
	const lines: string[] = [];
	let line = lead;
	for (const word of text.slice(lead.length).split(' ')) {
		if (line.trim().length > 0 && line.length + 1 + word.length > width) {
			lines.push(line);
			line = indent + word;
		} else {
			line = line.trim().length === 0 ? line + word : `${line} ${word}`;
		}
	}

	if (line.trim().length > 0) {
		lines.push(line);
	}

	return lines;
}

export function renderBisectionText(bisection: Bisection, width = 80): string {
	const what = bisection.category === null ? 'verdict' : `touches in ${bisection.category}`;
	const patches = bisection.patches.length > 0 ? ` + ${bisection.patches.join(' + ')}` : '';
	const lines = [`pfnaudit bisect: ${bisection.walker} on ${bisection.topology.name} (${bisection.arch}${patches}): ${what} by release`, ''];
	for (const span of spans(bisection)) {
		const range = span.from === span.to ? `v${span.from}` : `v${span.from}-v${span.to}`;
		lines.push(...wrapLine(`  ${range.padEnd(13)} ${String(span.value).padEnd(8)} ${span.form}`, width, ' '.repeat(25)));
	}

	if (bisection.skipped.length > 0) {
		lines.push('', ...wrapLine(`skipped (the topology cannot be replayed there): ${bisection.skipped.map(skip => `v${skip.kernel}`).join(' ')}`, width, '  '));
		lines.push(...wrapLine(`  first reason: ${bisection.skipped[0]!.why}`, width, '    '));
	}

	lines.push('', bisection.transitions.length === 0 ? `no transition: the ${what} is the same at every audited release` : 'transitions:');
	for (const t of bisection.transitions) {
		lines.push(`  v${t.from} -> v${t.to}: ${t.before} -> ${t.after}`);
		if (t.commits.length === 0) {
			lines.push('    (no commit in the walker\'s or the model\'s history at this release)');
		}

		for (const commit of t.commits) {
			lines.push(...wrapLine(`    ${commit.in.padEnd(6)} ${commit.id ?? '(no id)'} ("${commit.subject}") v${commit.release}`, width, '             '));
		}
	}

	return `${lines.join('\n')}\n`;
}

export function renderBisectionMarkdown(bisection: Bisection): string {
	const what = bisection.category === null ? 'verdict' : `touches in ${bisection.category}`;
	const lines = [`## pfnaudit bisect: \`${bisection.walker}\` on \`${bisection.topology.name}\` (${bisection.arch}), ${what}`, ''];
	lines.push('| releases | value | form |', '|:---|---:|:---|');
	for (const span of spans(bisection)) {
		lines.push(`| v${span.from}${span.from === span.to ? '' : `-v${span.to}`} | ${span.value} | ${span.form.replaceAll('|', '\\|')} |`);
	}

	lines.push('', '### Transitions', '');
	if (bisection.transitions.length === 0) {
		lines.push('None.');
	}

	for (const t of bisection.transitions) {
		lines.push(`- **v${t.from} → v${t.to}**: ${t.before} → ${t.after}`);
		for (const commit of t.commits) {
			lines.push(`  - ${commit.in}: ${commit.id ? `${commit.id} ` : ''}("${commit.subject}"), v${commit.release}`);
		}
	}

	if (bisection.skipped.length > 0) {
		lines.push('', `Skipped: ${bisection.skipped.map(skip => `v${skip.kernel}`).join(', ')} (${bisection.skipped[0]!.why})`);
	}

	return `${lines.join('\n')}\n`;
}

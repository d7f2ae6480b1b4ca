/**
`--format ktap`: KTAP version 1 (Documentation/dev-tools/ktap.rst) laid out the way KUnit emits it,
so that the kernel's own parser (tools/testing/kunit/kunit.py parse, kunit_parser.py) accepts it:

	KTAP version 1
	# <facts>
	1..<walkers>
	  KTAP version 1
	  # Subtest: <walker>
	  1..12
	  ok 1 ok
	  # C4: 254464 failing touches
	  # C4 pfn 0x400000 (section 0x80): read page->mapping via memory_failure -> ...: <why>
	  not ok 5 C4
	  ...
	# <walker>: pass:9 fail:3 skip:0 total:12
	not ok 1 <walker>
	ok 7 damon_get_folio # SKIP absent at v5.10
	# Totals: pass:.. fail:.. skip:.. total:..

One test per walker with one subtest per category of source/model/categories.ts (always all twelve, numbered in that
order, so a category keeps its number across runs). Several audits in one document
(`pfnaudit audit a.yaml b.yaml --format ktap`) add one level: a test per topology, its walkers
nested inside, as KUnit nests parameterised cases inside a suite. A walker that threw or timed out is a leaf
`not ok` with the ERROR or TIMEOUT directive: as a leaf it counts as failed in kunit.py's totals,
whereas a parent whose subtests all pass would be counted as passed. Absent walkers are leaves
with `# SKIP`. Descriptions never contain `#` and every line is one line of ASCII.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_IDS} from '../model/categories.js';
import {accessPhrase, fixedByPhrase, isErrorStatus, isFailingCell, reportNotes, reportWarnings, separateChain, statusPhrase, toolName, warningLine, witnessesOf, witnessWhere, writesPhrase} from './common.js';
import {armorLines} from '../topology/embedded.js';
import {ktapName, toAscii} from './escape.js';
import {reproduceCommand} from './reproduce.js';

/** kunit_parser.py's KTAP_END: a line matching it stops extraction, so diagnostics must never match. */
const KTAP_END = /(List of all partitions:|Kernel panic - not syncing: VFS:|reboot: System halted)/g;

function diagnostic(indent: string, text: string): string {
	return `${indent}# ${toAscii(text).replaceAll(KTAP_END, match => match.replace(':', ' -'))}`.trimEnd();
}

/** Directive data after `# SKIP` etc.: one line, and no `#` that could read as a second directive. */
function directiveData(text: string): string {
	return toAscii(text).replaceAll('#', '_').replaceAll(KTAP_END, match => match.replace(':', ' -'));
}

type Counts = {pass: number; fail: number; skip: number};

function add(totals: Counts, counts: Counts): void {
	totals.pass += counts.pass;
	totals.fail += counts.fail;
	totals.skip += counts.skip;
}

function summary(indent: string, name: string, counts: Counts): string {
	return `${indent}# ${name}: pass:${counts.pass} fail:${counts.fail} skip:${counts.skip} total:${counts.pass + counts.fail + counts.skip}`;
}

/** An absent walker (SKIP) or one that did not finish (ERROR, TIMEOUT): a leaf. */
function leafResult(walker: WalkerResult, number: number, report: AuditReport, indent: string, lines: string[]): Counts {
	const name = ktapName(walker.name);
	if (walker.status === 'absent') {
		lines.push(`${indent}ok ${number} ${name} # SKIP absent at v${directiveData(report.kernel)}`);
		return {pass: 0, fail: 0, skip: 1};
	}

	const sentence = walker.error ?? `the walker ${statusPhrase(walker)}`;
	lines.push(diagnostic(indent, `${walker.name} ${statusPhrase(walker)}: ${sentence}`));
	lines.push(diagnostic(indent, `models ${walker.models}; ${walker.pfns_visited} pfns visited before it stopped`));
	const directive = walker.status === 'timeout' ? 'TIMEOUT' : 'ERROR';
	lines.push(`${indent}not ok ${number} ${name} # ${directive} ${directiveData(sentence)}`.trimEnd());
	return {pass: 0, fail: 1, skip: 0};
}

/** A walker that ran: a test at `indent` with its twelve category subtests two spaces deeper. */
function walkerTest(walker: WalkerResult, number: number, report: AuditReport, indent: string, lines: string[]): Counts {
	const name = ktapName(walker.name);
	const inner = `${indent}  `;
	lines.push(`${inner}KTAP version 1`, `${inner}# Subtest: ${name}`);
	lines.push(diagnostic(inner, `models ${walker.models}; ${walker.pfns_visited} pfns visited`));
	if (walker.form !== '') {
		lines.push(diagnostic(inner, `form ${walker.form}`));
	}

	if (walker.fixed_by) {
		lines.push(diagnostic(inner, `fixed by ${fixedByPhrase(walker.fixed_by)}`));
	}

	lines.push(`${inner}1..${CATEGORY_IDS.length}`);
	const counts: Counts = {pass: 0, fail: 0, skip: 0};
	for (const [index, id] of CATEGORY_IDS.entries()) {
		const failing = isFailingCell(walker, id);
		if (walker.touches[id] > 0 || failing) {
			const total = failing ? `${walker.failing[id]} failing of ${walker.touches[id]} touches${writesPhrase(walker, id)}` : `${walker.touches[id]} touches${writesPhrase(walker, id)}, none failing`;
			lines.push(diagnostic(inner, `${id}: ${total}`));
		}

		for (const witness of witnessesOf(walker, id)) {
			const chain = separateChain(witness);
			lines.push(diagnostic(inner, `${id} ${witnessWhere(witness, report)}: ${accessPhrase(witness)}${chain === undefined ? '' : ` via ${chain}`}: ${witness.why}`));
		}

		lines.push(`${inner}${failing ? 'not ok' : 'ok'} ${index + 1} ${id}`);
		counts[failing ? 'fail' : 'pass']++;
	}

	lines.push(summary(indent, name, counts));
	lines.push(`${indent}${counts.fail > 0 ? 'not ok' : 'ok'} ${number} ${name}`);
	return counts;
}

/** The walkers of one report as numbered tests at `indent`; returns the leaf counts. */
function walkerTests(report: AuditReport, indent: string, lines: string[]): Counts {
	const totals: Counts = {pass: 0, fail: 0, skip: 0};
	for (const [index, walker] of report.walkers.entries()) {
		const leaf = walker.status === 'absent' || isErrorStatus(walker);
		add(totals, leaf ? leafResult(walker, index + 1, report, indent, lines) : walkerTest(walker, index + 1, report, indent, lines));
	}

	return totals;
}

function facts(report: AuditReport): string {
	return `arch ${report.arch}, kernel v${report.kernel}, patches ${report.patches.length === 0 ? 'none' : report.patches.join(',')}, phases ${report.phases.join(',')}, fail-on ${report.fail_on.join(',')}`;
}

/**
`# reproduce: pfnaudit audit …`, then the topology file armored as diagnostics (topology/embedded.ts,
quoted-printable, so every line is ASCII and none can read as a KTAP result or directive).
*/
function reproduceDiagnostics(report: AuditReport, indent: string): string[] {
	return [diagnostic(indent, `reproduce: ${reproduceCommand(report)}`), ...armorLines(report, {ascii: true}).map(line => `${indent}# ${line}`.trimEnd())];
}

function totalsLine(totals: Counts): string {
	return `# Totals: pass:${totals.pass} fail:${totals.fail} skip:${totals.skip} total:${totals.pass + totals.fail + totals.skip}`;
}

/** Renders the KTAP report. */
export function renderKtap(report: AuditReport): string {
	const lines = ['KTAP version 1'];
	lines.push(diagnostic('', `${report.tool.name} ${report.tool.version}: topology ${report.topology.name} (${report.topology.file})`));
	lines.push(diagnostic('', facts(report)));
	lines.push(...reportNotes(report).map(note => diagnostic('', `note: ${note}`)));
	lines.push(...reportWarnings(report).map(warning => diagnostic('', `warning: ${warningLine(warning)}`)));
	lines.push(...reproduceDiagnostics(report, ''));
	lines.push(`1..${report.walkers.length}`);
	const totals = walkerTests(report, '', lines);
	lines.push(totalsLine(totals));
	return `${lines.join('\n')}\n`;
}

/**
Several reports in one KTAP document: one top-level test per topology (`# Subtest: <topology>`),
its walkers nested inside, their categories one level deeper. A topology's summary line counts
the category leaves, as KUnit's suite statistics count parameterised cases.
*/
export function renderKtapReports(reports: readonly AuditReport[]): string {
	const lines = ['KTAP version 1'];
	lines.push(diagnostic('', `${toolName(reports)}: ${reports.length} topologies`));
	lines.push(`1..${reports.length}`);
	const totals: Counts = {pass: 0, fail: 0, skip: 0};
	for (const [index, report] of reports.entries()) {
		const name = ktapName(report.topology.name);
		lines.push('  KTAP version 1', `  # Subtest: ${name}`);
		lines.push(diagnostic('  ', `topology ${report.topology.name} (${report.topology.file})`), diagnostic('  ', facts(report)));
		lines.push(...reportNotes(report).map(note => diagnostic('  ', `note: ${note}`)));
		lines.push(...reportWarnings(report).map(warning => diagnostic('  ', `warning: ${warningLine(warning)}`)));
		lines.push(...reproduceDiagnostics(report, '  '));
		lines.push(`  1..${report.walkers.length}`);
		const counts = walkerTests(report, '  ', lines);
		lines.push(summary('', name, counts));
		lines.push(`${counts.fail > 0 ? 'not ok' : 'ok'} ${index + 1} ${name}`);
		add(totals, counts);
	}

	lines.push(totalsLine(totals));
	return `${lines.join('\n')}\n`;
}

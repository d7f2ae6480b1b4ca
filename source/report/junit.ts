/**
`--format junit`: JUnit XML in the Ant/Jenkins dialect that GitLab's unit-test report and the
GitHub JUnit actions read. One `<testcase>` per walker:
- a walker with failing touches carries one `<failure>` (Jenkins keeps only one per testcase)
  listing every failing category with its witnesses;
- a walker that threw, timed out, broke the contract or was cancelled carries an `<error>`;
- an absent walker is `<skipped>`.
GitLab keys test cases by classname + name and ignores duplicates after the first
(gitlab#50964), so `classname` names the topology, arch, kernel and patches: the same walker
audited on two topologies or kernels stays two test cases. Every string is XML-escaped and
characters XML 1.0 forbids (C0 controls from a pasted log) are dropped, so strict parsers (expat,
saxes) accept the file. Several audits in one file are one `<testsuite>` each inside the one
`<testsuites>`, whose counts are the sums.
*/
import type {AuditReport, WalkerResult} from '../engine/types.js';
import {CATEGORY_TITLES} from '../model/categories.js';
import {accessPhrase, failingCategories, fixedByPhrase, isErrorStatus, reportNotes, reportWarnings, separateChain, statusPhrase, touchedCategories, warningLine, witnessesOf, witnessWhere, writesOf, writesPhrase} from './common.js';
import {armorLines} from '../topology/embedded.js';
import {xmlAttr, xmlText} from './escape.js';
import {reproduceCommand} from './reproduce.js';

/**
`pfnaudit.<topology>.<arch>-v<kernel>[+patch…]`: dots only between the three levels, so Jenkins
shows package `pfnaudit.<topology>` and class `<arch>-v<kernel>`.
*/
export function junitClassname(report: AuditReport): string {
	const undot = (text: string) => text.replaceAll('.', '_');
	const patches = report.patches.map(patch => `+${undot(patch)}`).join('');
	return `pfnaudit.${undot(report.topology.name)}.${undot(report.arch)}-v${undot(report.kernel)}${patches}`;
}

function failureText(report: AuditReport, walker: WalkerResult): string {
	const lines: string[] = [`${walker.name} (${walker.models}), form ${walker.form}`];
	if (walker.fixed_by) {
		lines.push(`fixed: ${fixedByPhrase(walker.fixed_by)}`);
	}

	for (const id of failingCategories(walker)) {
		lines.push('', `${id}: ${walker.failing[id]} failing of ${walker.touches[id]} touches${writesPhrase(walker, id)} - ${CATEGORY_TITLES[id]}`);
		for (const witness of witnessesOf(walker, id)) {
			const chain = separateChain(witness);
			lines.push(`  ${witnessWhere(witness, report)}: ${accessPhrase(witness)}`, ...(chain === undefined ? [] : [`    via ${chain}`]), `    ${witness.why}`);
		}
	}

	return lines.join('\n');
}

function systemOut(walker: WalkerResult): string {
	const touched = touchedCategories(walker)
		.map(id => `${id}=${walker.touches[id]}`)
		.join(' ');
	const written = touchedCategories(walker)
		.filter(id => writesOf(walker, id) > 0)
		.map(id => `${id}=${writesOf(walker, id)}`)
		.join(' ');
	return `models ${walker.models}\nform ${walker.form === '' ? '(absent)' : walker.form}\nguard ${walker.guard}\npfns_visited ${walker.pfns_visited}\ntouches ${touched === '' ? 'none' : touched}${written === '' ? '' : `\nwrites ${written}`}`;
}

function testcase(report: AuditReport, walker: WalkerResult, classname: string): string {
	const open = `    <testcase name="${xmlAttr(walker.name)}" classname="${xmlAttr(classname)}" file="${xmlAttr(walker.file)}"`;
	if (walker.status === 'absent') {
		return `${open}>\n      <skipped message="${xmlAttr(`absent at v${report.kernel}`)}"/>\n    </testcase>`;
	}

	const body: string[] = [];
	if (isErrorStatus(walker)) {
		const message = walker.error ?? `the walker ${statusPhrase(walker)}`;
		body.push(`      <error message="${xmlAttr(message)}" type="${xmlAttr(walker.status)}">${xmlText(message)}</error>`);
	} else if (walker.verdict === 'fail') {
		const categories = failingCategories(walker);
		const message = `${categories.map(id => `${id} ${walker.failing[id]}${writesOf(walker, id) > 0 ? ' (through writes)' : ''}`).join(', ')} failing touches`;
		body.push(`      <failure message="${xmlAttr(message)}" type="${xmlAttr(categories.join(','))}">${xmlText(failureText(report, walker))}</failure>`);
	}

	body.push(`      <system-out>${xmlText(systemOut(walker))}</system-out>`);
	return `${open}>\n${body.join('\n')}\n    </testcase>`;
}

type SuiteCounts = {tests: number; failures: number; errors: number; skipped: number; ms: number};

function suiteCounts(report: AuditReport): SuiteCounts {
	return {
		tests: report.walkers.length,
		failures: report.walkers.filter(walker => walker.verdict === 'fail' && !isErrorStatus(walker)).length,
		errors: report.walkers.filter(walker => isErrorStatus(walker)).length,
		skipped: report.walkers.filter(walker => walker.status === 'absent').length,
		ms: report.elapsed_ms,
	};
}

function countAttributes(counts: SuiteCounts): string {
	return `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${(counts.ms / 1000).toFixed(3)}"`;
}

/** One `<testsuite>` (indented for `<testsuites>`): properties, then a testcase per walker. */
function testsuite(report: AuditReport): string {
	const classname = junitClassname(report);
	const properties = [
		['topology', report.topology.name],
		['topology.file', report.topology.file],
		['arch', report.arch],
		['kernel', report.kernel],
		['patches', report.patches.join(',')],
		['phases', report.phases.join(',')],
		['fail_on', report.fail_on.join(',')],
		['verdict', report.verdict],
		['tool.version', report.tool.version],
		['reproduce', reproduceCommand(report)],
		// Model notes: note.1, note.2, … (a property name is unique within a suite).
		...reportNotes(report).map((note, index) => [`note.${index + 1}`, note]),
		// Topology warnings: warning.1, … as `file:line:column: message`.
		...reportWarnings(report).map((warning, index) => [`warning.${index + 1}`, warningLine(warning)]),
	]
		.map(([name, value]) => `      <property name="${xmlAttr(name ?? '')}" value="${xmlAttr(value ?? '')}"/>`)
		.join('\n');
	// Notes, warnings and the topology file (armored, topology/embedded.ts): the suite's output as text.
	const suiteOut = [...reportNotes(report).map(note => `note: ${note}`), ...reportWarnings(report).map(warning => `warning: ${warningLine(warning)}`), ...armorLines(report)];
	return [
		`  <testsuite name="${xmlAttr(classname)}" ${countAttributes(suiteCounts(report))}>`,
		'    <properties>',
		properties,
		'    </properties>',
		...report.walkers.map(walker => testcase(report, walker, classname)),
		// The suite's <system-out> (after the testcases, as the Ant schema orders it): notes and warnings as text.
		...(suiteOut.length > 0 ? [`    <system-out>${xmlText(suiteOut.join('\n'))}\n    </system-out>`] : []),
		'  </testsuite>',
	].join('\n');
}

/** Renders the JUnit XML report. */
export function renderJunit(report: AuditReport): string {
	return renderJunitReports([report]);
}

/** Several reports in one file: one `<testsuite>` per topology; `<testsuites>` carries the sums. */
export function renderJunitReports(reports: readonly AuditReport[]): string {
	const sum = reports.map(report => suiteCounts(report)).reduce((a, b) => ({tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped, ms: a.ms + b.ms}), {
		tests: 0,
		failures: 0,
		errors: 0,
		skipped: 0,
		ms: 0,
	});
	return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="pfnaudit" ${countAttributes(sum)}>`, ...reports.map(report => testsuite(report)), '</testsuites>', ''].join('\n');
}

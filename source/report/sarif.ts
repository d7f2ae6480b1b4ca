/**
`--format sarif`: SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and
other SARIF viewers. It validates against the OASIS schema (schema/vendor/sarif-schema-2.1.0.json)
and follows GitHub's ingestion rules: `$schema`, driver name/version/informationUri, one rule per
category, a region with startLine on every result (GitHub rule GH1003), and partialFingerprints
so re-uploads update alerts instead of duplicating them.

One result per failing (walker, category) cell. Its physical location is the walker's source
file (walkers/<name>.ts, or the user's --walker path) — the code a reviewer would change — and
its logical locations are the kernel function the walker models and the topology it ran on
(a finding about a topology has no source line of its own). The first witness's call chain
becomes a SARIF stack, innermost frame first.

Several audits in one file are one run each. GitHub identifies a run by its tool and
`automationDetails.id` and rejects a file with two runs that share both (since July 2025), and
accepts at most 20 runs per file; so every run's id names topology, arch, kernel and patches, and
a combination that would break either rule is refused with an InputError before anything is
written. Because every run carries an id, upload-sarif's `category` input leaves them alone.
*/
import type {AuditReport, WalkerResult, Witness} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_TITLES, type CategoryId} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {InputError} from '../errors/input-error.js';
import {accessPhrase, failingCategories, fixedByPhrase, isErrorStatus, reportWarnings, separateChain, statusPhrase, warningLine, witnessesOf, writesOf} from './common.js';
import {reproduceCommand} from './reproduce.js';
import {sarifRules} from './sarif-rules.js';

/** The SARIF 2.1.0 schema URI GitHub expects in `$schema`. */
export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/**
driver.informationUri must be an absolute URI. pfnaudit has no published home page yet
(package.json has no homepage or repository): until it does, point at the kernel's own
description of the memory model pfnaudit checks.
*/
export const TOOL_INFORMATION_URI = 'https://docs.kernel.org/mm/memory-model.html';

/**
An artifactLocation for a walker file: repository-relative paths stay relative to %SRCROOT% (so
GitHub matches them to the checkout), absolute ones become file: URIs; every path segment is
percent-encoded so the value is a valid uri-reference whatever the file is called.
*/
export function artifactLocation(file: string): {uri: string; uriBaseId?: string} {
	const slashed = file.split('\\').join('/');
	const encode = (path: string) =>
		path
			.split('/')
			.map(segment => encodeURIComponent(segment))
			.join('/');
	if (/^[A-Za-z]:\//.test(slashed)) {
		return {uri: `file:///${slashed.slice(0, 2)}${encode(slashed.slice(2))}`};
	}

	if (slashed.startsWith('/')) {
		return {uri: `file://${encode(slashed)}`};
	}

	return {uri: encode(slashed.replace(/^\.\//, '')), uriBaseId: '%SRCROOT%'};
}

/** `models: "mm/memory-failure.c:memory_failure()"` → the kernel function's logical location. */
function kernelFunction(walker: WalkerResult) {
	const match = /^(?<file>[^:]+):(?<fn>[A-Za-z_]\w*)/.exec(walker.models);
	const name = match?.groups?.fn ?? walker.name;
	return {name, fullyQualifiedName: walker.models, kind: 'function'};
}

function topologyLocation(report: AuditReport) {
	return {
		name: report.topology.name,
		fullyQualifiedName: `${report.topology.name}@${report.arch}/v${report.kernel}${report.patches.map(patch => `+${patch}`).join('')}`,
		kind: 'resource',
	};
}

/** The first witness's call chain as a SARIF stack: frames innermost first, as stacks are read. */
function witnessStack(witness: Witness) {
	return {
		message: {text: `call chain at ${hex(witness.pfn)}`},
		frames: [...witness.chain].reverse().map(fn => ({location: {logicalLocations: [{name: fn, kind: 'function'}]}})),
	};
}

function resultFor(report: AuditReport, walker: WalkerResult, id: CategoryId) {
	const witnesses = witnessesOf(walker, id);
	const first = witnesses[0];
	const chain = first ? separateChain(first) : undefined;
	const example = first ? ` For example pfn ${hex(first.pfn)} (section ${hex(first.section_nr)}): ${accessPhrase(first)}${chain === undefined ? '' : ` via ${chain}`}. ${first.why}` : '';
	const fix = walker.fixed_by ? ` Fixed in mainline by ${fixedByPhrase(walker.fixed_by)}.` : '';
	const writes = writesOf(walker, id);
	const through = writes > 0 ? `, ${writes} of the touches writes` : '';
	const text = `${walker.name} touches ${walker.failing[id]} struct pages of category ${id} (${CATEGORY_TITLES[id]})${through} on topology ${report.topology.name}, ${report.arch}, kernel v${report.kernel}.${example}${fix}`;
	return {
		ruleId: id,
		ruleIndex: CATEGORY_IDS.indexOf(id),
		level: 'error',
		message: {text},
		locations: [
			{
				physicalLocation: {
					artifactLocation: artifactLocation(walker.file),
					region: {startLine: walker.line ?? 1},
				},
				logicalLocations: [kernelFunction(walker), topologyLocation(report)],
			},
		],
		partialFingerprints: {
			// Stable across runs: the same walker failing the same category on the same machine is one alert.
			'pfnaudit/v1': `${walker.name}:${id}:${report.topology.name}:${report.arch}:${report.kernel}:${report.patches.join('+')}`,
		},
		...(first ? {stacks: [witnessStack(first)]} : {}),
		properties: {
			walker: walker.name,
			category: id,
			touches: walker.touches[id],
			failing: walker.failing[id],
			writes,
			form: walker.form,
			witnesses: witnesses.map(witness => ({pfn: hex(witness.pfn), section_nr: witness.section_nr, phase: witness.phase, chain: witness.chain, why: witness.why})),
		},
	};
}

/** Walkers that did not finish become tool execution notifications, and the run is not successful. */
function notifications(walkers: readonly WalkerResult[]) {
	return walkers
		.filter(walker => isErrorStatus(walker))
		.map(walker => ({
			level: 'error',
			message: {text: `${walker.name} ${statusPhrase(walker)}: ${walker.error ?? 'no error sentence was recorded'}`},
			locations: [{physicalLocation: {artifactLocation: artifactLocation(walker.file), region: {startLine: walker.line ?? 1}}}],
		}));
}

/** GitHub code scanning accepts at most this many runs in one SARIF file. */
export const SARIF_MAX_RUNS = 20;

/** What identifies a run: an AuditReport, or a topology before it is audited. */
export type SarifRunKey = {
	readonly topology: {readonly name: string; readonly file: string};
	readonly arch: string;
	readonly kernel: string;
	readonly patches: readonly string[];
};

/**
The run's `automationDetails.id`: GitHub's analysis category (everything up to the last `/`),
unique per topology, arch, kernel and patch set.
*/
export function sarifAutomationId(report: SarifRunKey): string {
	return `pfnaudit/${report.topology.name}/${report.arch}/v${report.kernel}${report.patches.map(patch => `+${patch}`).join('')}/`;
}

/**
Topology warnings become warning-level tool execution notifications at the topology file's
line and column: about the input, not findings in walker code, so they neither raise alerts nor
make the run unsuccessful.
*/
function warningNotifications(report: AuditReport) {
	return reportWarnings(report).map(warning => ({
		level: 'warning',
		descriptor: {id: 'topology-warning'},
		message: {text: warningLine(warning)},
		locations: [{physicalLocation: {artifactLocation: artifactLocation(warning.file), region: {startLine: warning.line, startColumn: warning.column}}}],
	}));
}

function sarifRun(report: AuditReport) {
	const failed = notifications(report.walkers);
	return {
		tool: {
			driver: {
				name: 'pfnaudit',
				version: report.tool.version,
				semanticVersion: report.tool.version,
				informationUri: TOOL_INFORMATION_URI,
				rules: sarifRules(),
			},
		},
		automationDetails: {id: sarifAutomationId(report)},
		// The topology file, with its text: what the run analysed, and what `pfnaudit audit` reads back from this log.
		...(report.topology.source === undefined
			? {}
			: {artifacts: [{location: artifactLocation(report.topology.file), roles: ['analysisTarget'], mimeType: 'application/yaml', contents: {text: report.topology.source}}]}),
		invocations: [{executionSuccessful: failed.length === 0, toolExecutionNotifications: [...failed, ...warningNotifications(report)]}],
		results: report.walkers.flatMap(walker => (walker.verdict === 'fail' ? failingCategories(walker).map(id => resultFor(report, walker, id)) : [])),
		properties: {
			topology: {name: report.topology.name, file: report.topology.file},
			arch: report.arch,
			kernel: report.kernel,
			patches: report.patches,
			phases: report.phases,
			fail_on: report.fail_on,
			verdict: report.verdict,
			reproduce: reproduceCommand(report),
			notes: report.notes ?? [],
			warnings: reportWarnings(report).map(warning => ({file: warning.file, line: warning.line, column: warning.column, message: warning.message})),
		},
	};
}

/**
Refuses a set of runs GitHub code scanning would reject as one SARIF file; the CLI calls it with
the topologies before auditing them, renderSarifReports with the reports.
*/
export function checkSarifRuns(reports: readonly SarifRunKey[]): void {
	if (reports.length > SARIF_MAX_RUNS) {
		throw new InputError(
			`a SARIF file for ${reports.length} topologies would hold ${reports.length} runs, but GitHub code scanning accepts at most ${SARIF_MAX_RUNS} per file; audit at most ${SARIF_MAX_RUNS} topologies per call, or write one file per topology with --output 'pfnaudit-{topology}.sarif'`,
		);
	}

	const seen = new Map<string, SarifRunKey>();
	for (const report of reports) {
		const id = sarifAutomationId(report);
		const other = seen.get(id);
		if (other?.topology.file === report.topology.file) {
			throw new InputError(`${report.topology.file} is given twice, and GitHub code scanning rejects a SARIF file with two runs of the same category; leave one out`);
		}

		if (other) {
			throw new InputError(
				`${other.topology.file} and ${report.topology.file} both audit topology ${report.topology.name} on ${report.arch} at v${report.kernel}, and GitHub code scanning rejects a SARIF file with two runs of the same category; give one of them another name, or leave one out`,
			);
		}

		seen.set(id, report);
	}
}

/** The SARIF log object. */
export function toSarif(report: AuditReport) {
	return toSarifReports([report]);
}

/** The SARIF log of several reports: one run per report (see checkSarifRuns). */
export function toSarifReports(reports: readonly AuditReport[]) {
	checkSarifRuns(reports);
	return {$schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: reports.map(report => sarifRun(report))};
}

/** Renders the SARIF report (2-space JSON and a final newline). */
export function renderSarif(report: AuditReport): string {
	return `${JSON.stringify(toSarif(report), null, 2)}\n`;
}

/** Renders several reports as one SARIF log. */
export function renderSarifReports(reports: readonly AuditReport[]): string {
	return `${JSON.stringify(toSarifReports(reports), null, 2)}\n`;
}

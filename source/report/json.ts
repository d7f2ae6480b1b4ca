/**
The JSON report (schema/pfnaudit-report-1.schema.json). The pfnaudit-report/1 keys come first in every object, in their order; the
extra keys documented in docs/reports.md and schema/pfnaudit-report-1.schema.json follow them.
PFNs are 0x hex strings, every category key is present in every tally, and optional facts are
`null` rather than missing so `jq` filters need no `?`.
*/
import type {AuditReport, MapRegion, Tally, WalkerResult, Witness} from '../engine/types.js';
import {emptyTally} from '../engine/tally.js';
import {CATEGORY_IDS} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {reproduceCommand} from './reproduce.js';

/** The value of the top-level `schema` key. */
export const JSON_REPORT_SCHEMA = 'pfnaudit-report/1';

function fullTally(tally: Tally): Record<string, number> {
	return Object.fromEntries(CATEGORY_IDS.map(id => [id, tally[id]]));
}

function jsonWitness(witness: Witness) {
	return {
		category: witness.category,
		pfn: hex(witness.pfn),
		why: witness.why,
		// Extras:
		section_nr: witness.section_nr,
		chain: witness.chain,
		fields: witness.fields,
		access: witness.access,
		phase: witness.phase,
		failing: witness.failing,
	};
}

function jsonWalker(walker: WalkerResult) {
	return {
		name: walker.name,
		models: walker.models,
		pfns_visited: walker.pfns_visited,
		touches: fullTally(walker.touches),
		witnesses: walker.witnesses.map(witness => jsonWitness(witness)),
		verdict: walker.verdict,
		// Extras:
		status: walker.status,
		error: walker.error ?? null,
		form: walker.form,
		guard: walker.guard,
		fixed_by: walker.fixed_by ? {id: walker.fixed_by.id ?? null, subject: walker.fixed_by.subject, version: walker.fixed_by.version} : null,
		failing: fullTally(walker.failing),
		file: walker.file,
		builtin: walker.builtin,
		writes: fullTally(walker.writes ?? emptyTally()),
	};
}

function jsonRegion(region: MapRegion) {
	return {start_pfn: hex(region.start_pfn), end_pfn: hex(region.end_pfn), category: region.category, label: region.label};
}

/** The JSON report object (serialise with JSON.stringify; renderReport adds 2-space indent and a newline). */
export function toJsonReport(report: AuditReport) {
	return {
		schema: JSON_REPORT_SCHEMA,
		tool: {name: report.tool.name, version: report.tool.version},
		topology: {name: report.topology.name, file: report.topology.file, description: report.topology.description, source: report.topology.source ?? null},
		arch: report.arch,
		kernel: report.kernel,
		patches: report.patches,
		walkers: report.walkers.map(walker => jsonWalker(walker)),
		verdict: report.verdict,
		// Extras:
		reproduce: reproduceCommand(report),
		notes: report.notes ?? [],
		warnings: (report.warnings ?? []).map(warning => ({file: warning.file, line: warning.line, column: warning.column, message: warning.message})),
		phases: report.phases,
		fail_on: report.fail_on,
		geometry: {...report.geometry},
		map: report.map.map(region => jsonRegion(region)),
		elapsed_ms: report.elapsed_ms,
		pfns_per_second: report.pfns_per_second,
	};
}

/** `--format json`: the report with 2-space indentation and a final newline. */
export function renderJson(report: AuditReport): string {
	return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
}

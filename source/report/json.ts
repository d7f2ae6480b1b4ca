/**
SPEC §8: the JSON report. Keys and their order are the contract; pfns are 0x hex strings.
*/
import type {AuditReport} from '../engine/types.js';
import {CATEGORY_IDS} from '../model/categories.js';
import {hex} from '../model/geometry.js';

export function toJsonReport(report: AuditReport) {
	return {
		schema: 'pfnaudit-report/1',
		tool: report.tool,
		topology: {name: report.topology.name, file: report.topology.file},
		arch: report.arch,
		kernel: report.kernel,
		patches: report.patches,
		walkers: report.walkers.map(walker => ({
			name: walker.name,
			models: walker.models,
			pfns_visited: walker.pfns_visited,
			touches: Object.fromEntries(CATEGORY_IDS.map(id => [id, walker.touches[id]])),
			witnesses: walker.witnesses.map(witness => ({category: witness.category, pfn: hex(witness.pfn), why: witness.why})),
			verdict: walker.verdict,
		})),
		verdict: report.verdict,
	};
}

/**
Report formats (SPEC §7–§8). Every renderer is a pure function of an AuditReport.
*/
import type {AuditReport} from '../engine/types.js';
import {toJsonReport} from './json.js';

export const REPORT_FORMATS = ['text', 'json', 'md', 'html', 'ktap', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type RenderOptions = {
	/** Terminal colour for `text` on a TTY; reports written to files never carry colour. */
	readonly color?: boolean;
	/** Columns available for `text` (default 80). */
	readonly columns?: number;
};

export function renderReport(report: AuditReport, format: ReportFormat, _options: RenderOptions = {}): string {
	switch (format) {
		case 'json': {
			return `${JSON.stringify(toJsonReport(report), null, 2)}\n`;
		}

		default: {
			throw new Error(`internal: the ${format} report is not built yet`);
		}
	}
}

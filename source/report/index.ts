/**
Report formats (SPEC §7–§8). Every renderer is a pure function of an AuditReport and options:
no clock, no environment, no file system — writing is source/report/output.ts's job.
docs/reports.md describes each format and how CI consumes it.
*/
import type {AuditReport} from '../engine/types.js';
import {InternalError} from '../errors/internal-error.js';
import {renderHtml} from './html.js';
import {renderJson} from './json.js';
import {renderJunit} from './junit.js';
import {renderKtap} from './ktap.js';
import {renderMarkdown} from './md.js';
import {renderSarif} from './sarif.js';
import {renderText} from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'md', 'html', 'ktap', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export type RenderOptions = {
	/** Terminal colour for `text` on a TTY; reports written to files never carry colour. */
	readonly color?: boolean;
	/** Columns available for `text` (default 80). */
	readonly columns?: number;
	/** `md`: size budget in bytes (default 1 MiB, GitHub's step-summary limit); longer reports are truncated with a note. */
	readonly maxBytes?: number;
	/** `text` and `md`: witnesses shown per failing category (text 2, md 10); json, html, sarif and junit carry all. */
	readonly witnessesPerCategory?: number;
};

export function renderReport(report: AuditReport, format: ReportFormat, options: RenderOptions = {}): string {
	switch (format) {
		case 'text': {
			return renderText(report, options);
		}

		case 'json': {
			return renderJson(report);
		}

		case 'md': {
			return renderMarkdown(report, options);
		}

		case 'html': {
			return renderHtml(report);
		}

		case 'ktap': {
			return renderKtap(report);
		}

		case 'junit': {
			return renderJunit(report);
		}

		case 'sarif': {
			return renderSarif(report);
		}

		default: {
			// The CLI validates --format against REPORT_FORMATS; reaching this is a bug.
			const unknown: never = format;
			throw new InternalError(`unknown report format ${String(unknown)}`);
		}
	}
}

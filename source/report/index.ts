/**
Report formats (SPEC §7–§8). Every renderer is a pure function of an AuditReport and options:
no clock, no environment, no file system — writing is source/report/output.ts's job.
docs/reports.md describes each format and how CI consumes it. renderReports combines the reports
of several topologies into one document of the same format, for CI systems that want a single
artifact.
*/
import type {AuditReport} from '../engine/types.js';
import {InternalError} from '../errors/internal-error.js';
import {renderHtml, renderHtmlReports} from './html.js';
import {renderJson} from './json.js';
import {renderJunit, renderJunitReports} from './junit.js';
import {renderKtap, renderKtapReports} from './ktap.js';
import {renderMarkdown} from './md.js';
import {renderSarif, renderSarifReports} from './sarif.js';
import {renderJsonReports, renderMarkdownReports, renderTextReports} from './several.js';
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

/**
The reports of several topologies as one document of `format`; one report renders exactly as
renderReport does. `json`: an array of reports; `text`, `md`: an overview, then each report
behind a separator; `html`: one page with a section per topology; `ktap`: one top-level test per
topology with its walkers nested; `junit`: one `<testsuite>` per topology; `sarif`: one run per
topology (at most 20, GitHub's limit: more is an InputError, as are two runs GitHub would
consider the same analysis).
*/
export function renderReports(reports: readonly AuditReport[], format: ReportFormat, options: RenderOptions = {}): string {
	const [first] = reports;
	if (!first) {
		throw new InternalError('renderReports needs at least one report');
	}

	if (reports.length === 1) {
		return renderReport(first, format, options);
	}

	switch (format) {
		case 'text': {
			return renderTextReports(reports, options);
		}

		case 'json': {
			return renderJsonReports(reports);
		}

		case 'md': {
			return renderMarkdownReports(reports, options);
		}

		case 'html': {
			return renderHtmlReports(reports);
		}

		case 'ktap': {
			return renderKtapReports(reports);
		}

		case 'junit': {
			return renderJunitReports(reports);
		}

		case 'sarif': {
			return renderSarifReports(reports);
		}

		default: {
			const unknown: never = format;
			throw new InternalError(`unknown report format ${String(unknown)}`);
		}
	}
}

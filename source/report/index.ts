/**
Report formats (docs/reports.md). Every renderer is a pure function of an AuditReport and options:
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
import type {ReportFormat} from './formats.js';

export {REPORT_FORMATS, type ReportFormat} from './formats.js';

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

/** One report in each format (options a format has no use for are ignored). */
const RENDER_ONE: Readonly<Record<ReportFormat, (report: AuditReport, options: RenderOptions) => string>> = {
	text: renderText,
	json: report => renderJson(report),
	md: renderMarkdown,
	html: report => renderHtml(report),
	ktap: report => renderKtap(report),
	junit: report => renderJunit(report),
	sarif: report => renderSarif(report),
};

/** Several reports as one document of each format (see renderReports). */
const RENDER_SEVERAL: Readonly<Record<ReportFormat, (reports: readonly AuditReport[], options: RenderOptions) => string>> = {
	text: renderTextReports,
	json: reports => renderJsonReports(reports),
	md: renderMarkdownReports,
	html: reports => renderHtmlReports(reports),
	ktap: reports => renderKtapReports(reports),
	junit: reports => renderJunitReports(reports),
	sarif: reports => renderSarifReports(reports),
};

/** The renderer of `format` in `table`; the CLI validates --format against REPORT_FORMATS, so a miss is a bug. */
function rendererOf<T>(table: Readonly<Record<ReportFormat, T>>, format: ReportFormat): T {
	if (!Object.hasOwn(table, format)) {
		throw new InternalError(`unknown report format ${String(format)}`);
	}

	return table[format];
}

export function renderReport(report: AuditReport, format: ReportFormat, options: RenderOptions = {}): string {
	return rendererOf(RENDER_ONE, format)(report, options);
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

	return rendererOf(RENDER_SEVERAL, format)(reports, options);
}

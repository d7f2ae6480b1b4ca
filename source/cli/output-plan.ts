/**
Where reports go and in which format (`--format`, `--output`, several topologies).

- Format: `--format` wins; otherwise the extension of `--output` decides (.json, .md, .html,
  .ktap/.tap, .xml → junit, .sarif, .txt → text); otherwise `text` when stdout is a terminal
  and `json` when it is not (CI logs and pipes get the machine-readable report).
- One topology: one report, on stdout or in `--output`.
- Several topologies: `--output` may hold a `{topology}` placeholder (replaced by each
  topology's name): one file per topology. Without it, the reports are combined: a JSON array
  for `json`, documents separated by a blank line for `text` and `md`; `html`, `ktap`, `junit`
  and `sarif` documents cannot be concatenated, so they need the placeholder.
- An existing file is never replaced without `--force` (checked before the audit runs).
*/
import {existsSync, statSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';
import {REPORT_FORMATS, type ReportFormat} from '../report/index.js';

export const TOPOLOGY_PLACEHOLDER = '{topology}';

const BY_EXTENSION: Readonly<Record<string, ReportFormat>> = {
	'.json': 'json',
	'.md': 'md',
	'.markdown': 'md',
	'.html': 'html',
	'.htm': 'html',
	'.ktap': 'ktap',
	'.tap': 'ktap',
	'.xml': 'junit',
	'.sarif': 'sarif',
	'.txt': 'text',
};

/** Formats whose documents can be concatenated into one stream. */
const CONCATENABLE: readonly ReportFormat[] = ['json', 'text', 'md'];

export function isReportFormat(text: string): text is ReportFormat {
	return (REPORT_FORMATS as readonly string[]).includes(text);
}

export function chooseFormat(format: string | undefined, output: string | undefined, stdoutIsTty: boolean): ReportFormat {
	if (format !== undefined) {
		if (!isReportFormat(format)) {
			throw new InputError(`--format ${format} is not a report format; choose one of ${REPORT_FORMATS.join(', ')}`);
		}

		return format;
	}

	if (output !== undefined) {
		const extension = path.extname(output.replaceAll(TOPOLOGY_PLACEHOLDER, 'x')).toLowerCase();
		const byExtension = BY_EXTENSION[extension];
		if (!byExtension) {
			throw new InputError(
				`cannot tell the report format from the name ${output}; pass --format (${REPORT_FORMATS.join(', ')}) or use an extension such as .json, .sarif, .xml`,
			);
		}

		return byExtension;
	}

	return stdoutIsTty ? 'text' : 'json';
}

export type OutputPlan =
	/** One document (or a combined one) on stdout. */
	| {readonly kind: 'stdout'}
	/** One document (or a combined one) in a file. */
	| {readonly kind: 'file'; readonly file: string}
	/** One file per topology. */
	| {readonly kind: 'per-topology'; readonly files: readonly string[]};

/** Safe file name part for a topology name (names are [a-z0-9._-]+ already; be defensive). */
function fileSafe(name: string): string {
	return name.replaceAll(/[^\w.-]/g, '_');
}

export function planOutput(options: {
	readonly output: string | undefined;
	readonly format: ReportFormat;
	readonly topologyNames: readonly string[];
	readonly force: boolean;
	readonly cwd: string;
}): OutputPlan {
	const {output, format, topologyNames} = options;
	const several = topologyNames.length > 1;
	if (output === undefined) {
		if (several && !CONCATENABLE.includes(format)) {
			throw new InputError(
				`${format} reports of ${topologyNames.length} topologies cannot share stdout; pass --output with a ${TOPOLOGY_PLACEHOLDER} placeholder (e.g. --output 'report-${TOPOLOGY_PLACEHOLDER}.${format === 'junit' ? 'xml' : format}')`,
			);
		}

		return {kind: 'stdout'};
	}

	const hasPlaceholder = output.includes(TOPOLOGY_PLACEHOLDER);
	let plan: OutputPlan;
	if (hasPlaceholder) {
		const files = topologyNames.map(name => output.replaceAll(TOPOLOGY_PLACEHOLDER, fileSafe(name)));
		const clash = files.find((file, i) => files.indexOf(file) !== i);
		if (clash !== undefined) {
			throw new InputError(`two topologies are named alike, so --output ${output} would write ${clash} twice; rename one topology`);
		}

		plan = {kind: 'per-topology', files};
	} else {
		if (several && !CONCATENABLE.includes(format)) {
			throw new InputError(
				`${format} reports of ${topologyNames.length} topologies cannot share one file; put a ${TOPOLOGY_PLACEHOLDER} placeholder in --output (e.g. 'report-${TOPOLOGY_PLACEHOLDER}.${path.extname(output).slice(1) || format}')`,
			);
		}

		plan = {kind: 'file', file: output};
	}

	for (const file of plan.kind === 'file' ? [plan.file] : plan.files) {
		const absolute = path.resolve(options.cwd, file);
		if (existsSync(absolute) && !options.force) {
			throw new InputError(`${file} exists; pass --force to replace it, or choose another --output`);
		}

		const directory = path.dirname(absolute);
		if (!existsSync(directory) || !statSync(directory).isDirectory()) {
			throw new InputError(`cannot write ${file}: the directory ${path.dirname(file)} does not exist; create it or choose another --output`);
		}
	}

	return plan;
}

/** Combine several rendered documents of one format into one stream. */
export function combineDocuments(format: ReportFormat, documents: readonly string[]): string {
	if (documents.length === 1) {
		return documents[0]!;
	}

	if (format === 'json') {
		const body = documents.map(document => document.trimEnd().replaceAll('\n', '\n  '));
		return `[\n  ${body.join(',\n  ')}\n]\n`;
	}

	return documents.map(document => document.trimEnd()).join('\n\n') + '\n';
}

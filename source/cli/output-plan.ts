/**
Where reports go and in which format (`--format`, `--output`, several topologies).

- Format: `--format` wins; otherwise the extension of `--output` decides (.json, .md, .html,
  .ktap/.tap, .xml → junit, .sarif, .txt → text); otherwise `text` when stdout is a terminal
  and `json` when it is not (CI logs and pipes get the machine-readable report).
- One topology: one report, on stdout or in `--output`.
- Several topologies: one combined document of the format (source/report/index.ts
  renderReports: a JSON array, one HTML page, one KTAP tree, one JUnit file with a testsuite per
  topology, one SARIF log with a run per topology, text and md one after the other), on stdout or
  in `--output`. A `{topology}` placeholder in `--output` (replaced by each topology's name)
  writes one file per topology instead.
- A combined SARIF file GitHub code scanning would reject (more than 20 runs, two runs of the
  same analysis) is refused before the audit runs (headless.ts, report/sarif.ts checkSarifRuns).
- An existing file is never replaced without `--force` (checked before the audit runs).
*/
import {existsSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';
import {REPORT_FORMATS, type ReportFormat} from '../report/index.js';
import {missingDirectory, statOrUndefined} from '../report/output.js';

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

export function isReportFormat(text: string): text is ReportFormat {
	return (REPORT_FORMATS as readonly string[]).includes(text);
}

/**
`--output newdir/` (or `.`, `..`, `dir/.`) names a directory, not a file: refused, rather than
writing a file called `newdir`.
*/
export function checkOutputName(output: string): void {
	const last = output.split('/').at(-1)!;
	if (output === '' || last === '' || last === '.' || last === '..') {
		throw new InputError(
			output === ''
				? '--output is empty; give a file name such as audit.json'
				: `--output ${output} names a directory, not a file; give a file name in it, such as ${path.join(output, 'audit.json')} (or '${path.join(output, '{topology}.json')}' for one file per topology)`,
		);
	}
}

export function chooseFormat(format: string | undefined, output: string | undefined, stdoutIsTty: boolean): ReportFormat {
	if (output !== undefined) {
		checkOutputName(output);
	}

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
	const {output, topologyNames} = options;
	if (output === undefined) {
		return {kind: 'stdout'};
	}

	checkOutputName(output);
	let plan: OutputPlan;
	if (output.includes(TOPOLOGY_PLACEHOLDER)) {
		// A topology named `.` or `..` would turn 'x/{topology}/r.json' into a path outside x/.
		const dots = topologyNames.find(name => name === '.' || name === '..');
		if (dots !== undefined) {
			throw new InputError(`a topology is named "${dots}", which --output ${output} would make a directory reference; rename the topology (name:) or give --output without {topology}`);
		}

		const files = topologyNames.map(name => output.replaceAll(TOPOLOGY_PLACEHOLDER, fileSafe(name)));
		const clash = files.find((file, i) => files.indexOf(file) !== i);
		if (clash !== undefined) {
			throw new InputError(`two topologies are named alike, so --output ${output} would write ${clash} twice; rename one topology`);
		}

		plan = {kind: 'per-topology', files};
	} else {
		plan = {kind: 'file', file: output};
	}

	for (const file of plan.kind === 'file' ? [plan.file] : plan.files) {
		const absolute = path.resolve(options.cwd, file);
		if (statOrUndefined(absolute)?.isDirectory()) {
			throw new InputError(`cannot write ${file}: it is a directory; give a file name in it, such as ${path.join(file, 'audit.json')}`);
		}

		if (existsSync(absolute) && !options.force) {
			throw new InputError(`${file} exists; pass --force to replace it, or choose another --output`);
		}

		const directory = path.dirname(absolute);
		if (!statOrUndefined(directory)?.isDirectory()) {
			const why = missingDirectory(directory, path.dirname(file));
			throw new InputError(`cannot write ${file}: ${why}; ${why.endsWith('does not exist') ? 'create it or ' : ''}choose another --output`);
		}
	}

	return plan;
}

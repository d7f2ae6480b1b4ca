/**
The topology a report was audited on, carried inside the report, so that a report attached to a
mail or a CI job can be audited again without the YAML file:

	pfnaudit audit report.json          (or report.txt, .md, .html, .ktap, .xml, .sarif)

JSON carries it as `topology.source`, SARIF as the contents of the topology artifact; the other
formats carry an armored block, after the manner of RFC 4880 ASCII armor (a BEGIN line, header
lines, a blank line, the body, an END line):

	-----BEGIN PFNAUDIT TOPOLOGY-----
	File: topologies/showcase.yaml
	Kernel: 5.15
	Patches: arm64-pfn-valid-v2
	Encoding: quoted-printable

	name: showcase
	...
	-----END PFNAUDIT TOPOLOGY-----

Every line of the block may carry the same prefix (`# ` in KTAP, `> ` once the report is quoted
in a mail reply): the reader takes whatever precedes the BEGIN marker as the prefix. In the text
and KTAP reports, which are ASCII within 80 columns, the body is quoted-printable (RFC 2045
§6.7: `=XX` for `=` and non-ASCII bytes, `=` at the end of a line that continues), which leaves
an ASCII topology readable as it is; in md, html and junit it is verbatim (escaped for the
format, which the reader undoes).

This module is light on purpose (no model, no walkers): the command layer reads topology files
through it.
*/

export const BEGIN_MARKER = '-----BEGIN PFNAUDIT TOPOLOGY-----';
export const END_MARKER = '-----END PFNAUDIT TOPOLOGY-----';

/** What a report says about the audit to run again: the topology text and the kernel selection. */
export type EmbeddedTopology = {
	/** The topology file as it was read. */
	readonly source: string;
	/** The topology file's name in the audit that wrote the report. */
	readonly file: string;
	/** The kernel the report was audited at ("5.15"). */
	readonly kernel?: string;
	/** The patches in effect (topology `patches:` and --patch). */
	readonly patches: readonly string[];
};

/** What the armored block needs from a report. */
export type ArmorInput = {
	readonly topology: {readonly file: string; readonly source?: string | undefined};
	readonly kernel: string;
	readonly patches: readonly string[];
};

/** Longest quoted-printable line, RFC 2045's limit (the `=` of a soft break included). */
const QP_LINE = 76;

function qpByte(byte: number): string {
	return `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
`text` as quoted-printable lines of at most 76 characters: printable ASCII but `=` as itself,
everything else (non-ASCII bytes, `=`, control characters, a trailing space) as `=XX`, long lines
cut with a soft break (`=` at the end).
*/
export function toQuotedPrintable(text: string): string[] {
	const out: string[] = [];
	for (const line of text.split('\n')) {
		const bytes = Buffer.from(line, 'utf8');
		const tokens: string[] = [];
		for (const [index, byte] of bytes.entries()) {
			const last = index === bytes.length - 1;
			const plain = byte >= 0x20 && byte <= 0x7e && byte !== 0x3d && !(last && byte === 0x20);
			tokens.push(plain ? String.fromCodePoint(byte) : qpByte(byte));
		}

		let current = '';
		for (const token of tokens) {
			if (current.length + token.length > QP_LINE - 1) {
				out.push(`${current}=`);
				current = '';
			}

			current += token;
		}

		out.push(current);
	}

	return out;
}

/** The inverse of toQuotedPrintable (trailing whitespace a mailer added is ignored). */
export function fromQuotedPrintable(lines: readonly string[]): string {
	const bytes: number[] = [];
	for (const [index, raw] of lines.entries()) {
		const line = raw.trimEnd();
		const soft = line.endsWith('=');
		const body = soft ? line.slice(0, -1) : line;
		for (let i = 0; i < body.length; i++) {
			const hex = body.slice(i + 1, i + 3);
			if (body[i] === '=' && /^[\dA-Fa-f]{2}$/.test(hex)) {
				bytes.push(Number.parseInt(hex, 16));
				i += 2;
			} else {
				bytes.push(...Buffer.from(body[i]!, 'utf8'));
			}
		}

		if (!soft && index < lines.length - 1) {
			bytes.push(0x0a);
		}
	}

	return Buffer.from(bytes).toString('utf8');
}

/** What the format allows inside the block: any text, or printable ASCII lines (of at most `columns`). */
export type ArmorLimits = {readonly ascii: boolean; readonly columns?: number};

/**
The armored block of a report's topology, one string per line, or none when the report carries
no topology text (a report built by hand). The body is verbatim when the format allows it as it
is (always in md, html, junit; in text and KTAP when every line is printable ASCII, within the
text report's columns), else quoted-printable.
*/
export function armorLines(report: ArmorInput, limits: ArmorLimits = {ascii: false}): string[] {
	const source = report.topology.source;
	if (source === undefined) {
		return [];
	}

	// CRLF files come back with LF line ends: the same YAML.
	const body = (source.endsWith('\n') ? source.slice(0, -1) : source).replaceAll('\r\n', '\n');
	const quoted = limits.ascii && body.split('\n').some(line => !/^[\x20-\x7e]*$/.test(line) || line.length > (limits.columns ?? Number.POSITIVE_INFINITY) || line.endsWith(' '));
	return [
		BEGIN_MARKER,
		`File: ${report.topology.file}`,
		`Kernel: ${report.kernel}`,
		`Patches: ${report.patches.length === 0 ? 'none' : report.patches.join(',')}`,
		`Encoding: ${quoted ? 'quoted-printable' : 'verbatim'}`,
		'',
		...(quoted ? toQuotedPrintable(body) : body.split('\n')),
		END_MARKER,
	];
}

const ENTITIES: Readonly<Record<string, string>> = {lt: '<', gt: '>', amp: '&', quot: '"', apos: "'"};

/** HTML and XML character references back to characters (what htmlText/xmlText wrote). */
function decodeEntities(text: string): string {
	return text.replaceAll(/&(#x[\dA-Fa-f]+|#\d+|[a-z]+);/g, (match, name: string) => {
		if (name.startsWith('#x')) {
			return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
		}

		if (name.startsWith('#')) {
			return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
		}

		return ENTITIES[name] ?? match;
	});
}

/** The armored block in `text`, when there is one. */
function fromArmor(text: string): EmbeddedTopology | undefined {
	const markup = /^\s*</.test(text);
	const lines = text.split(/\r?\n/);
	const begin = lines.findIndex(line => line.trimEnd().endsWith(BEGIN_MARKER));
	if (begin === -1) {
		return undefined;
	}

	const prefix = lines[begin]!.trimEnd().slice(0, -BEGIN_MARKER.length);
	const strip = (line: string) => (line.startsWith(prefix) ? line.slice(prefix.length) : line.trimEnd() === prefix.trimEnd() ? '' : line);
	// In HTML and XML the closing tag may follow the END marker on its line.
	const end = lines.findIndex((line, index) => index > begin && (markup ? strip(line).startsWith(END_MARKER) : strip(line).trimEnd() === END_MARKER));
	if (end === -1) {
		return undefined;
	}

	const block = lines.slice(begin + 1, end).map(line => strip(line));
	const blank = block.findIndex(line => line.trim() === '');
	const headerLines = blank === -1 ? [] : block.slice(0, blank);
	const headers = new Map(headerLines.map(line => [line.slice(0, line.indexOf(':')).trim().toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
	const bodyLines = block.slice(blank + 1);
	let source = headers.get('encoding') === 'quoted-printable' ? fromQuotedPrintable(bodyLines) : bodyLines.join('\n');
	if (markup) {
		source = decodeEntities(source);
	}

	const patches = headers.get('patches');
	const decode = (value: string | undefined) => (value !== undefined && markup ? decodeEntities(value) : value);
	const kernel = decode(headers.get('kernel'));
	return {
		source: `${source}\n`,
		file: decode(headers.get('file')) ?? '',
		...(kernel ? {kernel} : {}),
		patches: patches === undefined || patches === 'none' ? [] : (decode(patches) ?? '').split(',').filter(Boolean),
	};
}

type JsonReport = {schema?: unknown; topology?: {file?: unknown; source?: unknown}; kernel?: unknown; patches?: unknown};

function fromJsonReport(report: JsonReport): EmbeddedTopology | undefined {
	const source = report.topology?.source;
	if (typeof source !== 'string') {
		return undefined;
	}

	return {
		source,
		file: typeof report.topology?.file === 'string' ? report.topology.file : '',
		...(typeof report.kernel === 'string' ? {kernel: report.kernel} : {}),
		patches: Array.isArray(report.patches) ? report.patches.map(String) : [],
	};
}

type SarifLog = {runs?: Array<{artifacts?: Array<{roles?: unknown; contents?: {text?: unknown}; location?: {uri?: unknown}}>; properties?: JsonReport}>};

function fromSarif(log: SarifLog): EmbeddedTopology | undefined {
	const run = log.runs?.[0];
	const artifact = run?.artifacts?.find(item => Array.isArray(item.roles) && item.roles.includes('analysisTarget') && typeof item.contents?.text === 'string');
	if (!run || !artifact) {
		return undefined;
	}

	const properties = run.properties ?? {};
	return fromJsonReport({...properties, topology: {file: properties.topology?.file, source: artifact.contents?.text}});
}

/** How many topologies a document of several reports embeds (JSON arrays and SARIF runs). */
export type Extracted = {readonly topology: EmbeddedTopology; readonly of: number} | {readonly topology: undefined; readonly report: boolean};

/**
The topology embedded in a pfnaudit report of any format, or `{topology: undefined, report}`
saying whether `text` is a pfnaudit report at all (one without an embedded topology: written by
an older pfnaudit, or by hand). A document of several reports gives the first, with `of` the count.
*/
export function extractEmbeddedTopology(text: string): Extracted {
	const trimmed = text.trimStart();
	if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch {
			return {topology: undefined, report: false};
		}

		const reports = (Array.isArray(value) ? value : [value]) as JsonReport[];
		if (reports.length > 0 && reports.every(report => report && typeof report === 'object' && report.schema === 'pfnaudit-report/1')) {
			const topology = fromJsonReport(reports[0]!);
			return topology ? {topology, of: reports.length} : {topology: undefined, report: true};
		}

		const log = value as SarifLog & {version?: unknown};
		if (!Array.isArray(value) && log.version === '2.1.0' && Array.isArray(log.runs) && log.runs.some(run => (run as {tool?: {driver?: {name?: unknown}}}).tool?.driver?.name === 'pfnaudit')) {
			const topology = fromSarif(log);
			return topology ? {topology, of: log.runs.length} : {topology: undefined, report: true};
		}

		return {topology: undefined, report: false};
	}

	const topology = fromArmor(text);
	if (topology) {
		const count = text.split(/\r?\n/).filter(line => line.trimEnd().endsWith(BEGIN_MARKER)).length;
		return {topology, of: count};
	}

	// A pfnaudit report of another format without the block: say so rather than fail to parse it as YAML.
	const report = /^(pfnaudit \S+ audit|KTAP version 1\n# pfnaudit|## pfnaudit |<!DOCTYPE html>[^]*<meta name="generator" content="pfnaudit|<\?xml[^]*<testsuites name="pfnaudit")/.test(trimmed.slice(0, 4096));
	return {topology: undefined, report};
}

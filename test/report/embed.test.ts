/**
Every report format carries the command that runs the audit again and the topology file itself
(source/topology/embedded.ts, source/report/reproduce.ts), so that a report attached to a mail or a
CI job can be audited again without the YAML: `pfnaudit audit <report>`.
*/
import {copyFileSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import type {AuditReport} from '../../source/engine/types.js';
import {BEGIN_MARKER, extractEmbeddedTopology, fromQuotedPrintable, toQuotedPrintable} from '../../source/topology/embedded.js';
import {renderReport, renderReports, REPORT_FORMATS} from '../../source/report/index.js';
import {reproduceCommand} from '../../source/report/reproduce.js';
import {showcaseReport} from '../fixtures/report-showcase.js';
import {runCli} from '../cli/harness.js';
import {reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

// A topology text with what every format must carry through: markup characters, a CDATA end,
// `=` (quoted-printable's escape), non-ASCII, a line longer than 76 columns, trailing spaces,
// a tab and a blank line.
const SOURCE = [
	'name: embed-test   ',
	'description: |',
	'  <b>bold</b> & "quotes" ]]> a=b \u00a7 5 \u2014 caf\u00e9',
	'',
	`  ${'long line '.repeat(12).trim()}`,
	'\tkernel: "6.12"',
	'',
].join('\n');
const report: AuditReport = {...showcaseReport, topology: {...showcaseReport.topology, file: 'dir/t.yaml', source: SOURCE}};

describe('quoted-printable bodies (text and KTAP)', () => {
	// A test that any text survives the round trip, and every encoded line is printable ASCII of at
	// most 76 columns (RFC 2045), so the text report stays ASCII within 80 columns.
	it('round-trips any text within 76 printable ASCII columns', () => {
		fc.assert(
			fc.property(fc.string({unit: 'grapheme', maxLength: 300}), text => {
				const lines = toQuotedPrintable(text);
				expect(lines.every(line => line.length <= 76 && /^[\x20-\x7e]*$/.test(line))).toBe(true);
				expect(fromQuotedPrintable(lines)).toBe(text);
			}),
		);
		expect(toQuotedPrintable('a=b \u00a7')).toEqual(['a=3Db =C2=A7']);
	});
});

describe('the topology and the reproduce command in every format', () => {
	it.each(REPORT_FORMATS.map(format => [format]))('%s: the embedded topology reads back exactly, with kernel and patches', format => {
		const output = renderReport(report, format);
		const extracted = extractEmbeddedTopology(output);
		expect(extracted.topology).toEqual({source: SOURCE, file: 'dir/t.yaml', kernel: report.kernel, patches: report.patches});
		// The reproduce command, in every format (JSON-escaped in json and sarif).
		const command = reproduceCommand(report);
		expect(command).toMatch(/^pfnaudit audit dir\/t\.yaml --kernel 5\.10 /);
		const structured = format === 'json' || format === 'sarif';
		const shown = structured ? JSON.stringify(output) : output.replaceAll(/ \\\n +/g, ' ');
		const escaped = format === 'html' || format === 'junit' ? command.replaceAll('&', '&amp;').replaceAll("'", '&#39;') : command;
		expect(shown).toContain(structured ? JSON.stringify(command).slice(1, -1) : escaped);
	});

	it('text and ktap stay ASCII within 80 columns with the topology embedded', () => {
		const text = renderReport(report, 'text').split('\n');
		expect(text.filter(line => line.length > 80 || !/^[\x20-\x7e]*$/.test(line))).toEqual([]);
		const ktap = renderReport(report, 'ktap').split('\n');
		expect(ktap.filter(line => !/^[\x20-\x7e]*$/.test(line))).toEqual([]);
		const block = ktap.slice(ktap.indexOf(`# ${BEGIN_MARKER}`));
		expect(block.slice(0, block.findIndex(line => line.includes('END PFNAUDIT'))).filter(line => line.length > 80)).toEqual([]);
	});

	// A plain topology (printable ASCII within the width) is embedded as it is, readable in the mail.
	it('embeds an ASCII topology verbatim in text and KTAP', () => {
		const plain: AuditReport = {...report, topology: {...report.topology, source: 'name: t\nkernel: "6.12"\n'}};
		for (const format of ['text', 'ktap'] as const) {
			const output = renderReport(plain, format);
			expect(output, format).toMatch(/Encoding: verbatim\n#?\n(# )?name: t\n(# )?kernel: "6\.12"\n(# )?-----END/);
			expect(extractEmbeddedTopology(output).topology?.source).toBe('name: t\nkernel: "6.12"\n');
		}

		expect(renderReport(report, 'text')).toContain('Encoding: quoted-printable');
	});

	// A text report pasted into a mail and quoted in a reply (`> ` before every line, `>` on blank
	// ones) still gives its topology back.
	it('reads a text report quoted in a mail reply', () => {
		const quoted = renderReport(report, 'text')
			.split('\n')
			.map(line => (line === '' ? '>' : `> ${line}`))
			.join('\n');
		expect(extractEmbeddedTopology(quoted).topology?.source).toBe(SOURCE);
	});

	it('json and sarif: topology.source, reproduce, the topology artifact; schema-valid', () => {
		const json = JSON.parse(renderReport(report, 'json')) as Json;
		expect(json.topology.source).toBe(SOURCE);
		expect(json.reproduce).toBe(reproduceCommand(report));
		expect(reportSchemaProblems(json)).toEqual([]);
		const sarif = JSON.parse(renderReport(report, 'sarif')) as Json;
		expect(sarif.runs[0].artifacts).toEqual([{location: {uri: 'dir/t.yaml', uriBaseId: '%SRCROOT%'}, roles: ['analysisTarget'], mimeType: 'application/yaml', contents: {text: SOURCE}}]);
		expect(sarifSchemaProblems(sarif)).toEqual([]);
	});

	// A report built without topology text (a topology built in code) has no block, and is still
	// recognised as a report rather than parsed as YAML.
	it('says a report without a topology is one', () => {
		const bare: AuditReport = {...showcaseReport};
		for (const format of REPORT_FORMATS) {
			const output = renderReport(bare, format);
			expect(output, format).not.toContain(BEGIN_MARKER);
			expect(extractEmbeddedTopology(output), format).toEqual({topology: undefined, report: true});
		}

		expect(extractEmbeddedTopology('name: t\nmemory: []\n')).toEqual({topology: undefined, report: false});
	});

	it('several reports in one document: the first topology, and how many there are', () => {
		const second: AuditReport = {...report, topology: {...report.topology, name: 'other', file: 'other.yaml', source: 'name: other\n'}};
		for (const format of REPORT_FORMATS) {
			const extracted = extractEmbeddedTopology(renderReports([report, second], format));
			expect(extracted, format).toEqual({topology: expect.objectContaining({source: SOURCE}), of: 2});
		}
	});

	// The reproduce command names every flag that changes the audit: a subset of the built-in
	// walkers, a user walker file, --phases, a --fail-on set other than the default; file names
	// that need it are quoted for the shell.
	it('names the flags that make the audit the same', () => {
		const command = reproduceCommand({...report, topology: {...report.topology, file: 'my dir/t.yaml'}, phases: ['boot', 'final'], fail_on: ['C1']});
		expect(command).toMatch(/^pfnaudit audit 'my dir\/t\.yaml' --kernel 5\.10 --phases/);
		expect(command).toContain(' --phases --fail-on C1 ');
		expect(command).toContain(' --walker memory_failure ');
		expect(command).toContain(' --walker contrib/my_pfn_scan.ts');
		expect(reproduceCommand({...report, patches: ['a b']})).toContain("--patch 'a b'");
	});

	// A test of the text report's reproduce field: shell lines within the width that a shell reads
	// back as the one command, a flag kept with its value, an overlong path cut and joined.
	it('breaks the text reproduce field into lines a shell pastes back', () => {
		const long = `${'d/'.repeat(60)}t.yaml`;
		for (const file of ['dir/t.yaml', long]) {
			const lines = renderReport({...report, topology: {...report.topology, file}}, 'text', {columns: 60}).split('\n');
			const start = lines.findIndex(line => line.startsWith('reproduce: '));
			const end = lines.findIndex((line, index) => index > start && !line.endsWith('\\'));
			const field = lines.slice(start, end + 1);
			expect(field.every(line => line.length <= 60), file).toBe(true);
			expect(field.filter(line => /--walker$/.test(line.replace(/ \\$/, '')))).toEqual([]);
			// What sh does with backslash-newline: removes it; the indentation then separates words.
			const joined = field.join('\n').slice('reproduce: '.length).replaceAll('\\\n', '').replaceAll(/\s+/g, ' ');
			expect(joined).toBe(reproduceCommand({...report, topology: {...report.topology, file}}));
		}
	});
});

describe('pfnaudit audit <report>', () => {
	const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-embed-'));
	afterAll(() => rmSync(cwd, {recursive: true, force: true}));
	const cli = (argv: string[]) => runCli(argv, {cwd, commands: [createAuditCommand({audit: {runner: 'in-process'}})]});
	const comparable = (text: string): Json => {
		const json = JSON.parse(text) as Json;
		return {...json, topology: {...json.topology, file: ''}, elapsed_ms: 0, pfns_per_second: 0, reproduce: '', warnings: (json.warnings as Json[]).map(w => ({...w, file: ''}))};
	};

	// A test that audits the showcase at another kernel with one walker, writes the report in
	// every format, deletes the topology file, and audits each report: expect the same JSON
	// report (kernel, patches, tallies, witnesses, warnings) from each, and a sentence on stderr
	// saying which topology it audits.
	it('audits the topology a report embeds, at the report kernel and patches', async () => {
		copyFileSync(path.resolve('topologies/showcase.yaml'), path.join(cwd, 'showcase.yaml'));
		const flags = ['--kernel', '5.16', '--walker', 'read_page_owner'];
		const first = await cli(['audit', 'showcase.yaml', ...flags, '--format', 'json', '-o', 'r.json']);
		expect(first.code).toBe(1);
		for (const format of REPORT_FORMATS.filter(f => f !== 'json')) {
			expect((await cli(['audit', 'showcase.yaml', ...flags, '--format', format, '-o', `r.${format}`])).stderr).toBe('');
		}

		rmSync(path.join(cwd, 'showcase.yaml'));
		const original = comparable(readFileSync(path.join(cwd, 'r.json'), 'utf8'));
		expect(original.kernel).toBe('5.16');
		for (const format of REPORT_FORMATS) {
			const again = await cli(['audit', `r.${format}`, '--walker', 'read_page_owner', '--format', 'json']);
			expect(again.code, format).toBe(1);
			expect(again.stderr, format).toBe(`pfnaudit: r.${format}: auditing the topology embedded in this report: showcase.yaml at v5.16, patches arm64-pfn-valid-v2; positions are lines of showcase.yaml\n`);
			expect(comparable(again.stdout), format).toEqual(original);
		}

		// The command line still wins: --kernel overrides the report's.
		const at515 = await cli(['audit', 'r.json', '--kernel', '5.15', '--walker', 'read_page_owner', '--format', 'json']);
		expect((JSON.parse(at515.stdout) as Json).kernel).toBe('5.15');
	});
});

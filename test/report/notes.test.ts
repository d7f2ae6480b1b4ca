/**
Model notes (Model.notes → AuditReport.notes) in every report format: what the model does not
know about the kernel selection (an LTS series without its stable-* preset, old arm64
assumptions) must reach whoever reads the report, whatever its format.
*/
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {AuditReport} from '../../source/engine/types.js';
import {renderReport, renderReports} from '../../source/report/index.js';
import {selectWalkers} from '../../source/walker/select.js';
import {showcaseReport} from '../fixtures/report-showcase.js';
import {GiB, topology} from '../helpers/topology.js';
import {checkKtap} from './helpers/ktap-checker.js';
import {allElements, parseXml, reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

// Two notes, one with characters every writer must escape (the model's notes quote commit
// subjects; a future one may carry markup characters).
const NOTES = [
	'v5.10 is a long-term stable series; this models mainline v5.10: 5.10.y trees carry backports that change answers - add --patch stable-5.10.262 (topology patches:) to model the stable tree (pfnaudit list patches)',
	'arm64 before v4.19: "HOLES_IN_ZONE" <assumed> & #unverified',
];
const noted: AuditReport = {...showcaseReport, notes: NOTES};
const plain: AuditReport = {...showcaseReport, notes: []};

describe('model notes in every report format', () => {
	// A test of the text report. Expect one `note:` field per note after `reproduce:`, wrapped
	// within 80 columns, none without notes.
	it('text: a note: field per note in the header', () => {
		const text = renderReport(noted, 'text');
		const header = text.split('\n\n')[1]!;
		expect(header.match(/^note: {6}/gm)).toHaveLength(2);
		expect(header).toMatch(/^reproduce:[^]*^note: {6}v5\.10 is a long-term stable series/m);
		expect(header).toContain('note:      arm64 before v4.19: "HOLES_IN_ZONE" <assumed> & #unverified');
		expect(renderReport(plain, 'text')).not.toMatch(/^note:/m);
	});

	// Markdown and HTML: a list after the facts, escaped for the format.
	it('md and html: a list of notes, escaped', () => {
		const md = renderReport(noted, 'md');
		expect(md).toContain('**Model notes**\n\n- v5.10 is a long-term stable series');
		expect(md).toContain('- arm64 before v4.19: "HOLES\\_IN\\_ZONE" &lt;assumed&gt; &amp; \\#unverified');
		const html = renderReport(noted, 'html');
		expect(html).toContain('<dt>notes</dt><dd><ul class="notes"><li>v5.10 is a long-term stable series');
		expect(html).toContain('<li>arm64 before v4.19: &quot;HOLES_IN_ZONE&quot; &lt;assumed&gt; &amp; #unverified</li>');
		expect(() => parseXml(html.replace('<!DOCTYPE html>\n', ''))).not.toThrow();
		expect(renderReport(plain, 'md')).not.toContain('Model notes');
		expect(renderReport(plain, 'html')).not.toContain('<dt>notes</dt>');
	});

	// JSON (schema-valid, `notes` an array, empty without notes) and SARIF run properties.
	it('json and sarif: a notes array', () => {
		const json = JSON.parse(renderReport(noted, 'json')) as Json;
		expect(json.notes).toEqual(NOTES);
		expect(reportSchemaProblems(json)).toEqual([]);
		expect((JSON.parse(renderReport(plain, 'json')) as Json).notes).toEqual([]);
		expect(reportSchemaProblems({...json, notes: ['']})).not.toEqual([]);
		const sarif = JSON.parse(renderReport(noted, 'sarif')) as Json;
		expect(sarif.runs[0].properties.notes).toEqual(NOTES);
		expect(sarifSchemaProblems(sarif)).toEqual([]);
	});

	// KTAP: a `# note:` diagnostic per note before the plan line, for one report and for several;
	// the document stays valid KTAP (no `#` directive can be smuggled in through a diagnostic).
	it('ktap: a note diagnostic per note', () => {
		const ktap = renderReport(noted, 'ktap');
		const lines = ktap.split('\n');
		const plan = lines.findIndex(line => /^1\.\.\d+$/.test(line));
		expect(lines.slice(0, plan).filter(line => line.startsWith('# note: '))).toHaveLength(2);
		expect(checkKtap(ktap).errors).toEqual([]);
		const several = renderReports([noted, plain], 'ktap');
		expect(several.split('\n').filter(line => line.startsWith('  # note: '))).toHaveLength(2);
		expect(checkKtap(several).errors).toEqual([]);
		expect(renderReport(plain, 'ktap')).not.toContain('# note:');
	});

	// JUnit: properties note.1, note.2 and the suite's <system-out>, after its testcases.
	it('junit: note properties and the suite system-out', () => {
		const root = parseXml(renderReport(noted, 'junit'));
		const suite = root.children.find(child => child.name === 'testsuite')!;
		const properties = allElements(suite).filter(element => element.name === 'property');
		expect(properties.filter(p => p.attributes.name!.startsWith('note.')).map(p => [p.attributes.name, p.attributes.value])).toEqual([
			['note.1', NOTES[0]],
			['note.2', NOTES[1]],
		]);
		expect(suite.children.map(child => child.name).at(-1)).toBe('system-out');
		expect(suite.children.findIndex(child => child.name === 'system-out')).toBeGreaterThan(suite.children.findLastIndex(child => child.name === 'testcase'));
		const plainSuite = parseXml(renderReport(plain, 'junit')).children.find(child => child.name === 'testsuite')!;
		expect(plainSuite.children.map(child => child.name).at(-1)).toBe('testcase');
	});
});

describe('the engine carries Model.notes into the report', () => {
	// A test that audits a small x86_64 machine at mainline v5.10 (an LTS series), with and
	// without the stable-5.10.262 preset.
	//
	//   | boot RAM |
	//   0x0     0x40000
	//
	// Expect the LTS note (naming the preset) without it, and no note with it.
	it('notes an LTS series without its stable preset', async () => {
		const walkers = await selectWalkers(['kpageflags_read'], process.cwd());
		const t = topology({kernel: '5.10', config: {max_physmem_bits: 36}}).boot(0, GiB).build();
		const report = await runAudit({topology: t, walkers, runner: 'in-process'});
		expect(report.notes).toHaveLength(1);
		expect(report.notes![0]).toMatch(/^v5\.10 is a long-term stable series; .*--patch stable-5\.10\.262/);
		const stable = await runAudit({topology: {...t, patches: ['stable-5.10.262']}, walkers, runner: 'in-process'});
		expect(stable.notes).toEqual([]);
		expect((JSON.parse(renderReport(report, 'json')) as Json).notes).toEqual(report.notes);
	});
});

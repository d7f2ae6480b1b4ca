/**
Topology warnings (Topology.warnings → AuditReport.warnings) in every report format: what the
kernel accepts but a reviewer would question — a section collision, a partial section — must
reach whoever reads the report, whatever its format, with file:line:column.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {AuditReport, TopologyWarning} from '../../source/engine/types.js';
import {renderReport, renderReports, REPORT_FORMATS} from '../../source/report/index.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import {selectWalkers} from '../../source/walker/select.js';
import {showcaseReport} from '../fixtures/report-showcase.js';
import {checkKtap} from './helpers/ktap-checker.js';
import {allElements, parseXml, reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

// Two warnings, one with characters every writer must escape.
const WARNINGS: TopologyWarning[] = [
	{file: 'topologies/t.yaml', line: 70, column: 5, message: 'memory[5] (devdax@0x13e000000) shares section 0x27 [0x1_3800_0000, 0x1_4000_0000) with boot memory'},
	{file: 'topologies/t.yaml', line: 88, column: 5, message: 'memory[8] (<odd> & "#label") covers only part of section 0xa0'},
];
const warned: AuditReport = {...showcaseReport, warnings: WARNINGS};
const plain: AuditReport = {...showcaseReport, warnings: []};

describe('topology warnings in every report format', () => {
	// A test of the text report. Expect one `warning:` field per warning in the header, as a
	// compiler prints it (file:line:column: message), wrapped within 80 columns; none without.
	it('text: a warning: field per warning in the header', () => {
		const text = renderReport(warned, 'text');
		const header = text.split('\n\n')[1]!;
		expect(header.match(/^warning: {3}/gm)).toHaveLength(2);
		expect(header).toContain('warning:   topologies/t.yaml:70:5: memory[5] (devdax@0x13e000000) shares');
		expect(header).toContain('warning:   topologies/t.yaml:88:5: memory[8] (<odd> & "#label") covers only');
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
		expect(renderReport(plain, 'text')).not.toMatch(/^warning:/m);
	});

	it('md and html: a list of warnings with their locations, escaped', () => {
		const md = renderReport(warned, 'md');
		expect(md).toContain('**Topology warnings**\n\n- `topologies/t.yaml:70:5`: memory\\[5\\]');
		expect(md).toContain('&lt;odd&gt; &amp;');
		const html = renderReport(warned, 'html');
		expect(html).toContain('<dt>warnings</dt><dd><ul class="notes warnings"><li><code>topologies/t.yaml:70:5</code>: memory[5]');
		expect(html).toContain('(&lt;odd&gt; &amp; &quot;#label&quot;)');
		expect(() => parseXml(html.replace('<!DOCTYPE html>\n', ''))).not.toThrow();
		expect(renderReport(plain, 'md')).not.toContain('Topology warnings');
		expect(renderReport(plain, 'html')).not.toContain('<dt>warnings</dt>');
	});

	// JSON: schema-valid objects with file, line, column and message; SARIF: warning-level tool
	// execution notifications at the topology file's line and column, which leave the run
	// successful and raise no alert.
	it('json and sarif: located warnings', () => {
		const json = JSON.parse(renderReport(warned, 'json')) as Json;
		expect(json.warnings).toEqual(WARNINGS);
		expect(reportSchemaProblems(json)).toEqual([]);
		expect(reportSchemaProblems({...json, warnings: [{...WARNINGS[0], line: 0}]})).not.toEqual([]);
		expect((JSON.parse(renderReport(plain, 'json')) as Json).warnings).toEqual([]);
		const sarif = JSON.parse(renderReport({...warned, walkers: warned.walkers.filter(w => w.status === 'ok')}, 'sarif')) as Json;
		const run = sarif.runs[0];
		const notes = run.invocations[0].toolExecutionNotifications as Json[];
		expect(notes).toHaveLength(2);
		expect(notes[0]).toMatchObject({
			level: 'warning',
			descriptor: {id: 'topology-warning'},
			locations: [{physicalLocation: {artifactLocation: {uri: 'topologies/t.yaml', uriBaseId: '%SRCROOT%'}, region: {startLine: 70, startColumn: 5}}}],
		});
		expect(notes[1]!.message.text).toBe(`topologies/t.yaml:88:5: ${WARNINGS[1]!.message}`);
		expect(run.invocations[0].executionSuccessful).toBe(true);
		expect(run.properties.warnings).toEqual(WARNINGS);
		expect(sarifSchemaProblems(sarif)).toEqual([]);
	});

	it('ktap: a warning diagnostic per warning before the plan line, for one report and several', () => {
		const ktap = renderReport(warned, 'ktap');
		const lines = ktap.split('\n');
		const plan = lines.findIndex(line => /^1\.\.\d+$/.test(line));
		expect(lines.slice(0, plan).filter(line => line.startsWith('# warning: topologies/t.yaml:'))).toHaveLength(2);
		expect(checkKtap(ktap).errors).toEqual([]);
		const several = renderReports([warned, plain], 'ktap');
		expect(several.split('\n').filter(line => line.startsWith('  # warning: '))).toHaveLength(2);
		expect(checkKtap(several).errors).toEqual([]);
		expect(renderReport(plain, 'ktap')).not.toContain('# warning:');
	});

	it('junit: warning properties and the suite system-out', () => {
		const suite = parseXml(renderReport(warned, 'junit')).children.find(child => child.name === 'testsuite')!;
		const properties = allElements(suite).filter(element => element.name === 'property');
		expect(properties.filter(p => p.attributes.name!.startsWith('warning.')).map(p => [p.attributes.name, p.attributes.value])).toEqual([
			['warning.1', `topologies/t.yaml:70:5: ${WARNINGS[0]!.message}`],
			['warning.2', `topologies/t.yaml:88:5: ${WARNINGS[1]!.message}`],
		]);
		const out = suite.children.filter(child => child.name === 'system-out').at(-1)!;
		expect(out.text).toContain(`warning: topologies/t.yaml:88:5: ${WARNINGS[1]!.message}`);
	});
});

describe('the engine carries Topology.warnings into the report', () => {
	// A test that audits the shipped showcase, whose description promises two warnings:
	//
	//   section 0x27: | bank 1 (boot) ...| hole | devdax |   <- collision, topologies/showcase.yaml:70:5
	//   section 0xa0: |  64M no memmap  | devdax 62M  |2M|  <- partial section, :88:5
	//
	// Expect both, with their file:line:column, in every format.
	it('reports the section collision and the partial section of topologies/showcase.yaml', async () => {
		const file = path.join('topologies', 'showcase.yaml');
		const walkers = await selectWalkers(['set_zone_contiguous'], process.cwd());
		const report = await runAudit({topology: loadTopologyFile(file), walkers, runner: 'in-process'});
		expect(report.warnings?.map(w => [w.file, w.line, w.column])).toEqual([
			[file, 70, 5],
			[file, 88, 5],
		]);
		expect(report.warnings![0]!.message).toMatch(/shares section 0x27 .* with boot memory/);
		expect(report.warnings![1]!.message).toMatch(/covers only part of section 0xa0/);
		expect((JSON.parse(renderReport(report, 'json')) as Json).warnings).toEqual(report.warnings);
		for (const format of REPORT_FORMATS.filter(format => format !== 'json')) {
			const output = renderReport(report, format);
			expect(output, format).toContain(`${file}:70:`);
			expect(output, format).toContain(`${file}:88:5`);
			expect(output, format).toMatch(/section 0x27/);
			expect(output, format).toMatch(/only part of section 0xa0/);
		}
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {renderReport} from '../../source/report/index.js';
import {artifactLocation} from '../../source/report/sarif.js';
import {passingReport, showcaseReport} from '../fixtures/report-showcase.js';
import {sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

function parse(report: AuditReport): Json {
	return JSON.parse(renderReport(report, 'sarif')) as Json;
}

// A test that renders the showcase report as SARIF and checks it against the official OASIS
// SARIF 2.1.0 schema (draft-04, vendored in schema/vendor/) and GitHub's ingestion rules.
// Expect one rule per category, one result per failing (walker, category) cell, each located in
// the walker's source file with a startLine, and fingerprints that do not depend on the run.
describe('sarif report', () => {
	const sarif = parse(showcaseReport);
	const run = sarif.runs[0];

	it.each([
		['showcase', showcaseReport],
		['passing', passingReport],
	])('validates the %s report against the SARIF 2.1.0 schema', (_name, report) => {
		expect(sarifSchemaProblems(parse(report))).toEqual([]);
	});

	it('is rejected by the schema when a result has no message (the validator is live)', () => {
		const broken = parse(showcaseReport);
		delete broken.runs[0].results[0].message;
		expect(sarifSchemaProblems(broken).join('\n')).toMatch(/\/runs\/0\/results\/0 must have required property 'message'/);
	});

	it('names the tool as GitHub requires: $schema, driver name, version, informationUri', () => {
		expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
		expect(sarif.version).toBe('2.1.0');
		expect(run.tool.driver).toMatchObject({name: 'pfnaudit', version: '0.1.0', semanticVersion: '0.1.0'});
		expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
	});

	it('has one rule per category with the category id as rule id and a default level', () => {
		const rules = run.tool.driver.rules as Json[];
		expect(rules.map(rule => rule.id)).toEqual([...CATEGORY_IDS]);
		for (const rule of rules) {
			expect(rule.name).toMatch(/^[A-Z][A-Za-z\d]+$/);
			expect(rule.shortDescription.text).toContain(`${rule.id}: `);
			expect(rule.fullDescription.text.length).toBeGreaterThan(20);
			expect(rule.help.text.length).toBeGreaterThan(40);
		}

		const level = (id: string) => rules.find(rule => rule.id === id)?.defaultConfiguration.level;
		expect([level('C5'), level('oob'), level('hole'), level('C2'), level('ok')]).toEqual(['error', 'error', 'warning', 'note', 'none']);
	});

	it('has one result per failing walker × category, pointing at the walker source', () => {
		const results = run.results as Json[];
		const cells = results.map(result => `${result.properties.walker}:${result.ruleId}`);
		expect(cells).toEqual([
			'memory_failure:C4',
			'memory_failure:C5',
			'memory_failure:metadata',
			'kpageflags_read:C5',
			'kpageflags_read:metadata',
			'hwpoison_inject:C1',
			'hwpoison_inject:C4',
			'hwpoison_inject:C5',
			'hwpoison_inject:metadata',
			'mark_free_pages:C1',
			'my_pfn_scan:unbacked',
			'my_pfn_scan:oob',
		]);
		for (const result of results) {
			expect(result.ruleIndex).toBe(CATEGORY_IDS.indexOf(result.ruleId));
			expect(result.level).toBe('error');
			const location = result.locations[0];
			expect(location.physicalLocation.region.startLine).toBeGreaterThanOrEqual(1);
			expect(location.logicalLocations[1]).toEqual({name: 'x86-fsdax-collision', fullyQualifiedName: 'x86-fsdax-collision@x86_64/v5.10', kind: 'resource'});
		}

		const first = results[0]!;
		expect(first.locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'walkers/memory_failure.ts', uriBaseId: '%SRCROOT%'}, region: {startLine: 87}});
		expect(first.locations[0].logicalLocations[0]).toEqual({name: 'memory_failure', fullyQualifiedName: 'mm/memory-failure.c:memory_failure()', kind: 'function'});
		expect(first.message.text).toMatch(/^memory_failure touches 254464 struct pages of category C4 /);
		expect(first.message.text).toContain('34dc45be4563');
		expect(first.stacks[0].frames.map((frame: Json) => frame.location.logicalLocations[0].name)).toEqual(['dax_lock_page', 'memory_failure_dev_pagemap', 'memory_failure']);
		// A user walker without a known line still gets the region GitHub requires.
		expect(results.at(-1)?.locations[0].physicalLocation).toEqual({artifactLocation: {uri: 'contrib/my_pfn_scan.ts', uriBaseId: '%SRCROOT%'}, region: {startLine: 1}});
	});

	it('gives an example witness in the message, with the chain only where the sentence lacks it', () => {
		const message = (walker: string, category: string) => run.results.find((result: Json) => result.properties.walker === walker && result.ruleId === category).message.text as string;
		expect(message('memory_failure', 'C4')).toContain('For example pfn 0x400000 (section 0x80): read page->mapping via memory_failure -> memory_failure_dev_pagemap -> dax_lock_page. get_dev_pagemap() already succeeds');
		expect(message('hwpoison_inject', 'C1')).toContain('For example pfn 0x300000 (section 0x60): read page->compound_head. hwpoison_inject \u2192 compound_head reads');
		expect(message('memory_failure', 'C4')).toContain('Fixed in mainline by 34dc45be4563');
	});

	it('fingerprints results by walker, category and machine, not by run', () => {
		const fingerprints = (run.results as Json[]).map(result => result.partialFingerprints['pfnaudit/v1']);
		expect(new Set(fingerprints).size).toBe(fingerprints.length);
		expect(fingerprints[0]).toBe('memory_failure:C4:x86-fsdax-collision:x86_64:5.10:');
		const again = parse({...showcaseReport, elapsed_ms: 99, pfns_per_second: 1});
		expect(again.runs[0].results.map((result: Json) => result.partialFingerprints)).toEqual(run.results.map((result: Json) => result.partialFingerprints));
	});

	it('reports a walker that threw as a failed tool execution, not as a result', () => {
		const invocation = run.invocations[0];
		expect(invocation.executionSuccessful).toBe(false);
		expect(invocation.toolExecutionNotifications).toHaveLength(1);
		expect(invocation.toolExecutionNotifications[0].message.text).toMatch(/^read_page_owner threw: walkers\/read_page_owner\.ts threw TypeError/);
		expect((run.results as Json[]).some(result => result.properties.walker === 'read_page_owner')).toBe(false);
		expect(parse(passingReport).runs[0].invocations[0].executionSuccessful).toBe(true);
		expect(parse(passingReport).runs[0].results).toEqual([]);
	});

	it('makes valid uri-references of any walker path', () => {
		expect(artifactLocation('walkers/__reset_isolation_suitable.ts')).toEqual({uri: 'walkers/__reset_isolation_suitable.ts', uriBaseId: '%SRCROOT%'});
		expect(artifactLocation('./my walkers/scan#2.ts')).toEqual({uri: 'my%20walkers/scan%232.ts', uriBaseId: '%SRCROOT%'});
		expect(artifactLocation('/home/me/scan.ts')).toEqual({uri: 'file:///home/me/scan.ts'});
		expect(artifactLocation('C:\\walkers\\scan.ts')).toEqual({uri: 'file:///C:/walkers/scan.ts'});
		const report = {...showcaseReport, walkers: showcaseReport.walkers.map(walker => (walker.builtin ? walker : {...walker, file: './my walkers/scan#2.ts'}))};
		expect(sarifSchemaProblems(parse(report))).toEqual([]);
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {renderReport} from '../../source/report/index.js';
import {junitClassname} from '../../source/report/junit.js';
import {passingReport, showcaseReport} from '../fixtures/report-showcase.js';
import {allElements, parseXml, type XmlElement} from './helpers/validators.js';

function cases(root: XmlElement): XmlElement[] {
	return allElements(root).filter(element => element.name === 'testcase');
}

// A test that renders the showcase report as JUnit XML and parses it with saxes, a strict XML
// parser. Expect one testcase per walker with classname set (GitLab keys on classname + name),
// a failure for failing walkers, an error for the one that threw, skipped for the absent one,
// and the witness text escaped with the C0 controls dropped.
describe('junit report', () => {
	const xml = renderReport(showcaseReport, 'junit');
	const root = parseXml(xml);

	it('is well-formed XML with testsuites > testsuite > testcase and matching counts', () => {
		expect(root.name).toBe('testsuites');
		const suite = root.children.find(child => child.name === 'testsuite');
		expect(suite?.attributes).toMatchObject({name: 'pfnaudit.x86-fsdax-collision.x86_64-v5_10', tests: '9', failures: '5', errors: '1', skipped: '1', time: '1.834'});
		expect(root.attributes).toMatchObject({tests: '9', failures: '5', errors: '1', skipped: '1'});
		const properties = Object.fromEntries(allElements(root).filter(element => element.name === 'property').map(element => [element.attributes.name, element.attributes.value]));
		expect(properties).toMatchObject({arch: 'x86_64', kernel: '5.10', verdict: 'fail', fail_on: 'C1,C3,C4,C5,metadata,teardown,unbacked,oob,hole,nomap,hvo'});
	});

	it('has one testcase per walker, each with classname, unique by classname + name', () => {
		const all = cases(root);
		expect(all.map(element => element.attributes.name)).toEqual(showcaseReport.walkers.map(walker => walker.name));
		expect(new Set(all.map(element => `${element.attributes.classname}/${element.attributes.name}`)).size).toBe(all.length);
		for (const element of all) {
			expect(element.attributes.classname).toBe('pfnaudit.x86-fsdax-collision.x86_64-v5_10');
		}

		expect(all[0]?.attributes.file).toBe('walkers/memory_failure.ts');
	});

	it('puts failures, errors and skips where they belong', () => {
		const byName = new Map(cases(root).map(element => [element.attributes.name, element.children.map(child => child.name)]));
		expect(byName.get('memory_failure')).toEqual(['failure', 'system-out']);
		expect(byName.get('read_page_owner')).toEqual(['error', 'system-out']);
		expect(byName.get('damon_get_folio')).toEqual(['skipped']);
		expect(byName.get('set_zone_contiguous')).toEqual(['system-out']);
		const failure = cases(root)[0]?.children[0];
		expect(failure?.attributes).toEqual({message: 'C4 254464, C5 2, metadata 4352 failing touches', type: 'C4,C5,metadata'});
		expect(failure?.text).toContain('pfn 0x400000 (section 0x80): read page->mapping');
		expect(failure?.text).toContain('memory_failure -> memory_failure_dev_pagemap -> dax_lock_page');
		expect(failure?.text).toContain('fixed: 34dc45be4563 ("mm: fix memory_failure() handling of dax-namespace metadata") in v5.12');
		const error = cases(root).find(element => element.attributes.name === 'read_page_owner')?.children[0];
		expect(error?.attributes.type).toBe('threw');
		expect(error?.attributes.message).toMatch(/reading 'order'\) at pfn 0x23c000/);
	});

	it('escapes markup and drops the C0 controls a strict parser refuses', () => {
		const oob = cases(root).find(element => element.attributes.name === 'my_pfn_scan')?.children[0]?.text ?? '';
		expect(oob).toContain('"one past" NR_SECTION_ROOTS <2048> & #oob [31mno bound check[0m');
		expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
		expect(xml).toContain('&lt;2048&gt; &amp; #oob');
	});

	it('survives hostile names and text in attributes', () => {
		const hostile: AuditReport = {
			...showcaseReport,
			topology: {...showcaseReport.topology, name: 'a"b<c>&d'},
			walkers: [{...showcaseReport.walkers[0]!, name: 'x"\'<y>&\u0001z\tw\n', error: undefined}],
		};
		const parsed = parseXml(renderReport(hostile, 'junit'));
		expect(cases(parsed)[0]?.attributes.name).toBe('x"\'<y>&z\tw\n');
		expect(cases(parsed)[0]?.attributes.classname).toBe('pfnaudit.a"b<c>&d.x86_64-v5_10');
	});

	it('keeps the classname distinct across kernels, arches and patches', () => {
		expect(junitClassname({...showcaseReport, kernel: '6.12'})).toBe('pfnaudit.x86-fsdax-collision.x86_64-v6_12');
		expect(junitClassname({...showcaseReport, arch: 'arm64-4k', patches: ['arm64-pfn-valid-v2'], topology: {...showcaseReport.topology, name: 'a.b'}})).toBe(
			'pfnaudit.a_b.arm64-4k-v5_10+arm64-pfn-valid-v2',
		);
	});

	it('renders the all-clear report without failure or error elements', () => {
		const clear = parseXml(renderReport(passingReport, 'junit'));
		expect(allElements(clear).some(element => element.name === 'failure' || element.name === 'error')).toBe(false);
		expect(clear.attributes).toMatchObject({tests: '3', failures: '0', errors: '0', skipped: '1'});
	});
});

import {describe, expect, it} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {CATEGORY_IDS} from '../../source/model/categories.js';
import {renderReport} from '../../source/report/index.js';
import {passingReport, phasedReport, showcaseReport} from '../fixtures/report-showcase.js';
import {reportSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

function parse(report: AuditReport): Json {
	return JSON.parse(renderReport(report, 'json')) as Json;
}

// A test that renders the showcase report (x86_64, v5.10, five failing walkers, one that threw,
// one absent) as JSON. Expect exactly the SPEC §8 keys first, in SPEC order, then the documented
// extras; every category key in every tally; pfns as 0x hex strings.
describe('json report', () => {
	const json = parse(showcaseReport);

	it('puts the SPEC §8 keys first, in SPEC order, then the extras', () => {
		expect(Object.keys(json)).toEqual([
			'schema',
			'tool',
			'topology',
			'arch',
			'kernel',
			'patches',
			'walkers',
			'verdict',
			'reproduce',
			'notes',
			'warnings',
			'phases',
			'fail_on',
			'geometry',
			'map',
			'elapsed_ms',
			'pfns_per_second',
		]);
		expect(json.schema).toBe('pfnaudit-report/1');
		expect(json.tool).toEqual({name: 'pfnaudit', version: '0.1.0'});
		expect(json.topology).toEqual({
			name: 'x86-fsdax-collision',
			file: 'topologies/x86-fsdax-collision.yaml',
			description: showcaseReport.topology.description,
			// A topology built in code has no file text to embed.
			source: null,
		});
		expect(json.verdict).toBe('fail');
		expect(json.notes).toEqual(showcaseReport.notes);
		// A report built without notes (older hand-built ones) still has the key, empty.
		expect(parse({...showcaseReport, notes: undefined}).notes).toEqual([]);
		expect(Object.keys(json.walkers[0]).slice(0, 6)).toEqual(['name', 'models', 'pfns_visited', 'touches', 'witnesses', 'verdict']);
		expect(Object.keys(json.walkers[0].witnesses[0]).slice(0, 3)).toEqual(['category', 'pfn', 'why']);
	});

	it('lists every category key in every touches and failing tally, in SPEC order', () => {
		for (const walker of json.walkers) {
			expect(Object.keys(walker.touches)).toEqual([...CATEGORY_IDS]);
			expect(Object.keys(walker.failing)).toEqual([...CATEGORY_IDS]);
		}

		const absent = json.walkers.find((walker: Json) => walker.name === 'damon_get_folio');
		expect(Object.values(absent.touches).every(count => count === 0)).toBe(true);
	});

	it('writes pfns as lower-case 0x hex strings, numbers otherwise exact', () => {
		const memoryFailure = json.walkers.find((walker: Json) => walker.name === 'memory_failure');
		expect(memoryFailure.witnesses.map((witness: Json) => witness.pfn)).toEqual(['0x400000', '0x43e1ff', '0x23c000', '0x23c002']);
		expect(memoryFailure.touches.C4).toBe(0x43_e200 - 0x40_0000);
		expect(memoryFailure.fixed_by).toEqual({id: '34dc45be4563', subject: 'mm: fix memory_failure() handling of dax-namespace metadata', version: '5.12'});
		const oob = json.walkers.find((walker: Json) => walker.name === 'my_pfn_scan').witnesses.at(-1);
		expect(oob.pfn).toBe('0x400000000');
		expect(json.map.at(-1)).toEqual({start_pfn: '0x400000000', end_pfn: '0x10000000000', category: 'oob', label: 'section >= NR_MEM_SECTIONS'});
	});

	it('keeps witness text byte for byte, control characters included', () => {
		const oob = json.walkers.find((walker: Json) => walker.name === 'my_pfn_scan').witnesses.at(-1);
		expect(oob.why).toBe(showcaseReport.walkers.find(walker => walker.name === 'my_pfn_scan')?.witnesses.at(-1)?.why);
		expect(renderReport(showcaseReport, 'json')).toContain(String.raw`\u001b[31m`);
	});

	it('writes null, not nothing, for facts a walker does not have', () => {
		const threw = json.walkers.find((walker: Json) => walker.name === 'read_page_owner');
		expect(threw).toMatchObject({status: 'threw', verdict: 'error', fixed_by: null});
		expect(threw.error).toMatch(/^walkers\/read_page_owner\.ts threw TypeError/);
		expect(json.walkers.find((walker: Json) => walker.name === 'hwpoison_inject').error).toBeNull();
	});

	it.each([
		['showcase', showcaseReport],
		['passing', passingReport],
		['phased', phasedReport],
	])('validates the %s report against schema/pfnaudit-report-1.schema.json', (_name, report) => {
		expect(reportSchemaProblems(parse(report))).toEqual([]);
	});

	// The schema must reject what SPEC §8 forbids, or validating against it proves nothing.
	it.each([
		['a missing category key', (doc: Json) => delete doc.walkers[0].touches.oob, '/walkers/0/touches'],
		['a numeric pfn', (doc: Json) => (doc.walkers[0].witnesses[0].pfn = 0x40_0000), '/walkers/0/witnesses/0/pfn'],
		['an upper-case hex pfn', (doc: Json) => (doc.walkers[0].witnesses[0].pfn = '0x43E1FF'), '/walkers/0/witnesses/0/pfn'],
		['an unknown verdict', (doc: Json) => (doc.verdict = 'maybe'), '/verdict'],
		['an unknown category', (doc: Json) => (doc.walkers[0].witnesses[0].category = 'C6'), '/walkers/0/witnesses/0/category'],
		['an undocumented key', (doc: Json) => (doc.walkers[0].extra = 1), '/walkers/0'],
		['a missing SPEC key', (doc: Json) => delete doc.kernel, '/'],
	])('rejects %s', (_what, mutate, path) => {
		const doc = parse(showcaseReport);
		mutate(doc);
		const problems = reportSchemaProblems(doc);
		expect(problems.length).toBeGreaterThan(0);
		expect(problems.some(problem => problem.startsWith(path))).toBe(true);
	});
});

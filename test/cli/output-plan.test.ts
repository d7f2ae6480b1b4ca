import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {chooseFormat, planOutput} from '../../source/cli/output-plan.js';

describe('chooseFormat', () => {
	it('takes --format, else the --output extension, else text on a terminal and json otherwise', () => {
		expect(chooseFormat('sarif', 'x.json', false)).toBe('sarif');
		expect(chooseFormat(undefined, 'audit.sarif', true)).toBe('sarif');
		expect(chooseFormat(undefined, 'junit-{topology}.xml', true)).toBe('junit');
		expect(chooseFormat(undefined, 'r.TAP', true)).toBe('ktap');
		expect(chooseFormat(undefined, undefined, true)).toBe('text');
		expect(chooseFormat(undefined, undefined, false)).toBe('json');
		expect(() => chooseFormat(undefined, 'report', false)).toThrow('cannot tell the report format from the name report');
	});
});

describe('planOutput', () => {
	const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-plan-'));
	afterAll(() => rmSync(cwd, {recursive: true, force: true}));
	const plan = (output: string | undefined, topologyNames: string[], format: 'junit' | 'json' = 'junit', force = false) => planOutput({output, format, topologyNames, force, cwd});

	it('combines several topologies into one document on stdout or in one file, whatever the format', () => {
		expect(plan(undefined, ['a', 'b'])).toEqual({kind: 'stdout'});
		expect(plan('all.xml', ['a', 'b'])).toEqual({kind: 'file', file: 'all.xml'});
	});

	it('writes one file per topology with the {topology} placeholder, and refuses names that clash', () => {
		expect(plan('r-{topology}.xml', ['a', 'b'])).toEqual({kind: 'per-topology', files: ['r-a.xml', 'r-b.xml']});
		expect(() => plan('r-{topology}.xml', ['a', 'a'])).toThrow('two topologies are named alike, so --output r-{topology}.xml would write r-a.xml twice');
	});

	it('refuses an existing file without --force and a missing directory', () => {
		writeFileSync(path.join(cwd, 'taken.json'), '{}');
		expect(() => plan('taken.json', ['a'], 'json')).toThrow('taken.json exists; pass --force');
		expect(plan('taken.json', ['a'], 'json', true)).toEqual({kind: 'file', file: 'taken.json'});
		expect(() => plan('nowhere/r.json', ['a'], 'json')).toThrow('the directory nowhere does not exist');
	});
});

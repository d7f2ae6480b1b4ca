import {describe, expect, it} from 'vitest';
import {chooseFormat, combineDocuments} from '../../source/cli/output-plan.js';

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

describe('combineDocuments', () => {
	it('makes a JSON array of JSON reports and separates text documents by a blank line', () => {
		const combined = combineDocuments('json', ['{\n  "a": 1\n}\n', '{\n  "b": 2\n}\n']);
		expect(JSON.parse(combined)).toEqual([{a: 1}, {b: 2}]);
		expect(combineDocuments('text', ['one\n', 'two\n'])).toBe('one\n\ntwo\n');
		expect(combineDocuments('md', ['only\n'])).toBe('only\n');
	});
});

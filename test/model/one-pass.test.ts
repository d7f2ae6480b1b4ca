/**
source/model/one-pass.ts: a large topology is read and built with V8's inlining off, and the flag
is back on for whatever runs after it, whether the build returned or threw.
*/
import {setFlagsFromString} from 'node:v8';
import {afterEach, describe, expect, it, vi} from 'vitest';

vi.mock('node:v8', async importOriginal => ({...await importOriginal<typeof import('node:v8')>(), setFlagsFromString: vi.fn()}));

const {closeOnePass, inOnePass, onePass} = await import('../../source/model/one-pass.js');
const flags = vi.mocked(setFlagsFromString);

afterEach(() => {
	flags.mockClear();
});

describe('onePass()', () => {
	it('turns inlining off for a large input and on again after it', () => {
		const seen: string[] = [];
		const result = onePass(true, () => {
			seen.push(...flags.mock.calls.map(call => call[0]));
			return inOnePass() ? 'inside' : 'outside';
		});
		expect(result).toBe('inside');
		expect(seen).toEqual(['--no-turbo-inlining']);
		expect(flags.mock.calls.map(call => call[0])).toEqual(['--no-turbo-inlining', '--turbo-inlining']);
		expect(inOnePass()).toBe(false);
	});

	it('sets the flag once for nested calls (the parse inside a build) and restores it when the function throws', () => {
		expect(() => onePass(true, () => onePass(true, () => {
			throw new Error('bad entry');
		}))).toThrow('bad entry');
		expect(flags.mock.calls.map(call => call[0])).toEqual(['--no-turbo-inlining', '--turbo-inlining']);
		expect(inOnePass()).toBe(false);
	});

	it('leaves the flag alone for a small input (a search layout)', () => {
		expect(onePass(false, () => inOnePass())).toBe(false);
		expect(flags).not.toHaveBeenCalled();
	});

	it('leaves the flag alone once the process has started a worker thread', () => {
		closeOnePass();
		expect(onePass(true, () => inOnePass())).toBe(false);
		expect(flags).not.toHaveBeenCalled();
	});
});

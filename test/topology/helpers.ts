/**
Helpers for topology parser tests: build small YAML files with known line numbers, and assert
that parsing fails with one InputError at an exact file:line:column whose message names the rule.
*/
import {expect} from 'vitest';
import {InputError, isInputError} from '../../source/errors/input-error.js';
import {type LoadOptions, parseTopology} from '../../source/topology/load.js';
import type {Topology} from '../../source/topology/types.js';

/**
A YAML topology whose header takes lines 1-4 (`name`, `arch`, `kernel`, `memory:`) unless
`config` lines are given, which go between `kernel` and `memory:`. `entries` are YAML lines of
the memory list, indented by two spaces ("- kind: boot" is written "  - kind: boot").
*/
export function yaml(options: {arch?: string; kernel?: string; config?: string[]; extra?: string[]; entries: string[]}): string {
	return [
		'name: t',
		`arch: ${options.arch ?? 'x86_64'}`,
		`kernel: "${options.kernel ?? '6.12'}"`,
		...(options.config ? ['config:', ...options.config.map(line => `  ${line}`)] : []),
		...(options.extra ?? []),
		'memory:',
		...options.entries,
	].join('\n') + '\n';
}

/** A boot entry, three lines: `  - kind: boot`, `    start: ...`, `    size: ...`. */
export function boot(start: string, size: string): string[] {
	return ['  - kind: boot', `    start: ${start}`, `    size: ${size}`];
}

export function parse(text: string, options: LoadOptions = {}, file = 't.yaml'): Topology {
	return parseTopology(text, file, options);
}

/** Parse and return the InputError (fails the test if parsing succeeds or throws something else). */
export function inputError(text: string, options: LoadOptions = {}, file = 't.yaml'): InputError {
	try {
		parseTopology(text, file, options);
	} catch (error) {
		if (isInputError(error)) {
			return error as InputError;
		}

		throw error;
	}

	throw new Error('expected an InputError, but the topology parsed');
}

/**
Expect an InputError at exactly `where` ("t.yaml:7:12") whose message contains every string of
`names` (the rule and the kernel function it mirrors).
*/
export function expectRejected(text: string, where: string, names: string[], options: LoadOptions = {}, file = 't.yaml'): InputError {
	const error = inputError(text, options, file);
	const formatted = error.format();
	expect(formatted.startsWith(`${where}: `), `${formatted}\n  expected at ${where}`).toBe(true);
	for (const name of names) {
		expect(error.message).toContain(name);
	}

	// One sentence-like line: no stack, no newline.
	expect(error.message).not.toContain('\n');
	return error;
}

/**
"t.yaml:LINE:COLUMN" of `token` on the only line of `text` that contains `lineText` (token
defaults to the part after ": ", i.e. the value). Lets tests state "at the start value of that
entry" without counting lines by hand; the line must be unique.
*/
export function at(text: string, lineText: string, token?: string, file = 't.yaml'): string {
	const lines = text.split('\n');
	const matches = lines.flatMap((line, i) => (line.includes(lineText) ? [i] : []));
	if (matches.length !== 1) {
		throw new Error(`at(): ${JSON.stringify(lineText)} is on ${matches.length} lines`);
	}

	const line = lines[matches[0]!]!;
	const column = token === undefined ? line.indexOf(': ') + 3 : line.indexOf(token) + 1;
	return `${file}:${matches[0]! + 1}:${column}`;
}

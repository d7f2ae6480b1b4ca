/**
The mutation fuzzer of issue 11 ("Show"): shipped topologies (topologies/*.yaml) with a few
random edits — lines deleted, duplicated, swapped, re-indented or borrowed from another file,
values replaced by hostile ones (2^64, -1, 1e400, tags, aliases, collections), YAML punctuation
sprinkled in, the text cut short, and edits that keep the file well-formed (an address moved by
a page, pageblock, subsection, section or block; another modelled kernel) so that the model and
the walkers see the mutants too — each audited through main() in-process with one to three
built-in walkers. Every run must exit 0, 1 or 2 (never 3, an internal error), never print a
stack trace, and finish within its bound.

The number of cases is bounded for CI (PFNAUDIT_FUZZ_RUNS, default 60; a few seconds); a failure
prints fast-check's seed and the shrunk case, and PFNAUDIT_FUZZ_SEED replays it;
PFNAUDIT_FUZZ_STATS=1 prints how many mutants were audited (exit 0/1) and refused (2): about a
fifth are audited.
*/
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {KERNEL_VERSIONS} from '../../source/kernel/version.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {run, scratch, STACK_FRAME, TOPOLOGIES} from './harness.js';

const RUNS = Number(process.env.PFNAUDIT_FUZZ_RUNS ?? 60);
const SEED = process.env.PFNAUDIT_FUZZ_SEED === undefined ? undefined : Number(process.env.PFNAUDIT_FUZZ_SEED);
/** Milliseconds one mutated audit may take (the shipped topologies take well under a second). */
const BOUND_MS = 15_000;

const {dir, remove} = scratch();
afterAll(remove);

const sources = readdirSync(TOPOLOGIES)
	.filter(name => name.endsWith('.yaml'))
	.sort()
	.map(name => ({name, lines: readFileSync(path.join(TOPOLOGIES, name), 'utf8').split('\n')}));

/** Values that have broken parsers before: huge, negative, fractional, non-finite, typed, structured. */
const HOSTILE_VALUES = [
	'0',
	'-1',
	'-0x1',
	'0x0',
	'0x1',
	'0xffffffffffffffff',
	'9007199254740993',
	'1e400',
	'0.5',
	'4G',
	'16E',
	'1_0',
	'0x_',
	'',
	'~',
	'null',
	'.nan',
	'.inf',
	'true',
	'[]',
	'{}',
	'[1, 2]',
	'"x"',
	"'6.12'",
	'!!str 1',
	'!!float 1',
	'&a 1',
	'*a',
	'&r [*r]',
	'|\n  text',
	'"\\u0000"',
	'x'.repeat(300),
];
const PUNCTUATION = [':', '{', '}', '[', ']', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`', '#', ',', '-', '?', '\t', '\n', ' ', '\u0000', '\uFEFF', 'é'];

type Mutation =
	| {kind: 'delete'; at: number}
	| {kind: 'duplicate'; at: number}
	| {kind: 'swap'; at: number; with: number}
	| {kind: 'value'; at: number; value: number}
	| {kind: 'borrow'; at: number; from: number; line: number}
	| {kind: 'indent'; at: number; by: number}
	| {kind: 'punctuate'; at: number; offset: number; char: number}
	| {kind: 'truncate'; at: number}
	| {kind: 'nudge'; at: number; by: number; sign: boolean}
	| {kind: 'kernel'; at: number; version: number};

const index = fc.nat({max: 10_000});
/** Page, pageblock, subsection, section and memory-block steps, and one byte. */
const NUDGES = [1, 0x1000, 0x20_0000, 0x800_0000, 0x4000_0000];
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
	fc.record({kind: fc.constant('delete' as const), at: index}),
	fc.record({kind: fc.constant('duplicate' as const), at: index}),
	fc.record({kind: fc.constant('swap' as const), at: index, with: index}),
	fc.record({kind: fc.constant('value' as const), at: index, value: fc.nat({max: HOSTILE_VALUES.length - 1})}),
	fc.record({kind: fc.constant('borrow' as const), at: index, from: fc.nat({max: sources.length - 1}), line: index}),
	fc.record({kind: fc.constant('indent' as const), at: index, by: fc.integer({min: -4, max: 4})}),
	fc.record({kind: fc.constant('punctuate' as const), at: index, offset: index, char: fc.nat({max: PUNCTUATION.length - 1})}),
	fc.record({kind: fc.constant('truncate' as const), at: index}),
	// Edits that keep the file well-formed, so that the model and the walkers see the mutant.
	fc.record({kind: fc.constant('nudge' as const), at: index, by: fc.nat({max: NUDGES.length - 1}), sign: fc.boolean()}),
	fc.record({kind: fc.constant('kernel' as const), at: index, version: fc.nat({max: KERNEL_VERSIONS.length - 1})}),
);

function mutate(lines: string[], m: Mutation): string[] {
	const out = [...lines];
	const at = m.at % Math.max(1, out.length);
	switch (m.kind) {
		case 'delete': {
			out.splice(at, 1);
			break;
		}

		case 'duplicate': {
			out.splice(at, 0, out[at] ?? '');
			break;
		}

		case 'swap': {
			const other = m.with % Math.max(1, out.length);
			[out[at], out[other]] = [out[other] ?? '', out[at] ?? ''];
			break;
		}

		case 'value': {
			// The value after the first `key:` (or list dash) on the line, else the whole line.
			const line = out[at] ?? '';
			const match = /^(\s*(?:- )?[\w.-]+:\s?)/.exec(line);
			out[at] = match ? `${match[1]!}${HOSTILE_VALUES[m.value]!}` : HOSTILE_VALUES[m.value]!;
			break;
		}

		case 'borrow': {
			const donor = sources[m.from]!.lines;
			out.splice(at, 0, donor[m.line % donor.length]!);
			break;
		}

		case 'indent': {
			const line = out[at] ?? '';
			out[at] = m.by >= 0 ? `${' '.repeat(m.by)}${line}` : line.replace(new RegExp(`^ {0,${-m.by}}`), '');
			break;
		}

		case 'punctuate': {
			const line = out[at] ?? '';
			const offset = m.offset % (line.length + 1);
			out[at] = `${line.slice(0, offset)}${PUNCTUATION[m.char]!}${line.slice(offset)}`;
			break;
		}

		case 'truncate': {
			out.splice(at + 1);
			break;
		}

		case 'nudge': {
			// The first number on the line (of the lines that have one, counted from `at`), moved by a step.
			const numbered = out.map((line, i) => i).filter(i => /:\s*(0x[\da-f_]+|\d+)\s*$/i.test(out[i]!));
			if (numbered.length === 0) {
				break;
			}

			const i = numbered[m.at % numbered.length]!;
			out[i] = out[i]!.replace(/(0x[\da-f_]+|\d+)(\s*)$/i, (literal, _number, space: string) => {
				const value = Number(literal.replaceAll('_', '')) + (m.sign ? 1 : -1) * NUDGES[m.by]!;
				return `${value < 0 ? '0' : `0x${value.toString(16)}`}${space}`;
			});
			break;
		}

		case 'kernel': {
			const i = out.findIndex(line => line.startsWith('kernel:'));
			if (i !== -1) {
				out[i] = `kernel: "${KERNEL_VERSIONS[m.version]!}"`;
			}

			break;
		}
	}

	return out;
}

const walkerNames = BUILTIN_WALKERS.map(walker => walker.name);

const fuzzCase = fc.record({
	source: fc.nat({max: sources.length - 1}),
	mutations: fc.array(mutation, {minLength: 1, maxLength: 4}),
	walkers: fc.uniqueArray(fc.nat({max: walkerNames.length - 1}), {minLength: 1, maxLength: 3}),
	phases: fc.boolean(),
});

describe('mutated shipped topologies', () => {
	it(`exit 0, 1 or 2, without a stack trace, within ${BOUND_MS / 1000} s (${RUNS} cases)`, async () => {
		let n = 0;
		const codes = new Map<number, number>();
		await fc.assert(
			fc.asyncProperty(fuzzCase, async ({source, mutations, walkers, phases}) => {
				const text = mutations.reduce((lines, m) => mutate(lines, m), sources[source]!.lines).join('\n');
				const file = `case-${n++}.yaml`;
				writeFileSync(path.join(dir, file), text);
				const argv = ['audit', file, '--format', 'json', '--timeout', '10', ...(phases ? ['--phases'] : []), ...walkers.flatMap(i => ['--walker', walkerNames[i]!])];
				const started = performance.now();
				const result = await run(argv, {cwd: dir});
				const elapsed = performance.now() - started;
				codes.set(result.code, (codes.get(result.code) ?? 0) + 1);
				const context = `${sources[source]!.name} ${JSON.stringify(mutations)}\n--- text ---\n${text}\n--- stderr ---\n${result.stderr}`;
				expect([0, 1, 2], context).toContain(result.code);
				expect(result.stderr, context).not.toMatch(STACK_FRAME);
				expect(result.stderr, context).not.toContain('internal error');
				expect(elapsed, context).toBeLessThan(BOUND_MS);
				if (result.code === 2 && result.stdout === '') {
					// Refused input: one sentence on one line.
					expect(result.stderr, context).toMatch(/^pfnaudit: [^\n]+\n$/);
				}
			}),
			{numRuns: RUNS, ...(SEED === undefined ? {} : {seed: SEED}), endOnFailure: true},
		);
		if (process.env.PFNAUDIT_FUZZ_STATS === '1') {
			// How many mutants the audit ran on (0, 1) and how many were refused (2).
			console.log(`exit codes: ${JSON.stringify(Object.fromEntries([...codes].sort()))}`);
		}
	}, 120_000);
});

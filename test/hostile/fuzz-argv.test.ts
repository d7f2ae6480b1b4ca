/**
The argument fuzzer: command lines drawn from the commands, flags and values pfnaudit takes —
and ones it does not (missing values, bad numbers, unknown flags, negative pfns, directories,
devices) — run through main() in-process (search with a small --budget). Every run must exit 0, 1 or 2, print no stack trace
and no "internal error", and a refusal is one line. `--mode per-pfn` is left out (its whole
sweeps are refused up front or take minutes; test/hostile/per-pfn.test.ts), and `--output`
only names files inside a scratch directory.

PFNAUDIT_FUZZ_RUNS (default 60) and PFNAUDIT_FUZZ_SEED as in fuzz.test.ts.
*/
import path from 'node:path';
import fc from 'fast-check';
import {afterAll, describe, expect, it} from 'vitest';
import {REPO, run, scratch, STACK_FRAME} from './harness.js';

const RUNS = Number(process.env.PFNAUDIT_FUZZ_RUNS ?? 60);
const SEED = process.env.PFNAUDIT_FUZZ_SEED === undefined ? undefined : Number(process.env.PFNAUDIT_FUZZ_SEED);

const {dir, remove} = scratch();
afterAll(remove);

const topology = fc.constantFrom(
	path.join(REPO, 'topologies', 'showcase.yaml'),
	path.join(REPO, 'topologies', 'pmem-partial-sections.yaml'),
	path.join(REPO, 'topologies', 'arm64-nomap.yaml'),
	'nosuch.yaml',
	'/dev/null',
	'/dev/zero',
	'.',
	'lst',
	'',
);
const pfn = fc.constantFrom('0x1000', '0', '4096', '-0x1', '-1', 'abc', '0xffffffffffffffffff', '1e3', '0x1_0000', '4G', '');
const value = (...values: string[]) => fc.constantFrom(...values);

/** A flag and its value(s), or a flag left without its value. */
const flag: fc.Arbitrary<readonly string[]> = fc.oneof(
	fc.tuple(fc.constant('--walker'), value('kpageflags_read', 'memory_failure', 'nosuch', './nosuch.ts', '', 'read_page_owner')),
	fc.tuple(fc.constant('--kernel'), value('5.4', '6.12', '4.13', '9.9', 'x', '', '5.10.1')),
	fc.tuple(fc.constant('--patch'), value('none', 'bogus', 'none,bogus', '', ',')),
	fc.tuple(fc.constant('--fail-on'), value('C1', 'none', 'default', 'bogus', 'C1,,C2', '')),
	fc.tuple(fc.constant('--format'), value('json', 'text', 'md', 'html', 'ktap', 'junit', 'sarif', 'xx', '')),
	fc.tuple(fc.constantFrom('--output', '-o'), value('out.json', 'r-{topology}.xml', 'x/{topology}/r.json', 'newdir/', '.', '', 'out', 'nosuchdir/r.json')),
	fc.tuple(fc.constant('--mode'), value('runs', 'fast', '')),
	fc.tuple(fc.constant('--timeout'), value('10', '0', '-1', 'abc', '0.001', 'Infinity', '')),
	fc.tuple(fc.constant('--jobs'), value('1', '2', '0', '-1', '1.5', 'abc', '')),
	fc.tuple(fc.constant('--color'), value('auto', 'always', 'never', 'sometimes')),
	fc.tuple(fc.constant('--phase'), value('final', 'nosuch', '')),
	fc.tuple(fc.constant('--patch-set'), value('none', 'bogus', 'none+bogus', '', '+')),
	fc.tuple(fc.constant('--category'), value('C1', 'C5,metadata', 'default', 'ok', 'bogus', '', ',')),
	fc.tuple(fc.constant('--arch'), value('x86_64', 'arm64-64k,s390x', 'vax', '', ',')),
	fc.tuple(fc.constant('--seed'), value('0', '7', '-1', '2147483648', 'x', '')),
	fc.tuple(fc.constant('--budget'), value('5', '0', '-1', 'x', '')),
	fc.constantFrom(['--phases'], ['--force'], ['--address'], ['--bogus'], ['--walker'], ['--jobs'], ['--timeout'], ['--kernel'], ['--'], ['-x'], ['--help']),
);

const commandLine = fc.oneof(
	fc.tuple(fc.constant(['audit']), fc.array(topology, {maxLength: 2})),
	fc.tuple(fc.constant(['explain']), fc.tuple(topology, pfn)),
	fc.tuple(fc.constant(['list']), fc.array(value('walkers', 'topologies', 'kernels', 'patches', 'walkr', 'x'), {maxLength: 2})),
	fc.tuple(fc.constant([] as string[]), fc.array(topology, {maxLength: 1})),
	fc.tuple(fc.constant(['lst']), fc.constant([] as string[])),
	fc.tuple(fc.constant(['compare']), fc.array(topology, {maxLength: 1})),
	// A small --budget first, so that a search that finds nothing ends within the case's time.
	fc.tuple(fc.constant(['search', '--budget', '20']), fc.constant([] as string[])),
);

describe('fuzzed command lines', () => {
	it(`exit 0, 1 or 2 without a stack trace (${RUNS} cases)`, async () => {
		await fc.assert(
			fc.asyncProperty(commandLine, fc.array(flag, {maxLength: 4}), fc.nat(), async ([command, positionals], flags, cut) => {
				// Flags anywhere after the command (yargs takes them between positionals too).
				const rest: string[] = [...positionals];
				rest.splice(cut % (rest.length + 1), 0, ...flags.flat());
				const argv = [...command, ...rest];
				const result = await run(argv, {cwd: dir});
				const context = `${JSON.stringify(argv)}\n--- stderr ---\n${result.stderr}`;
				expect([0, 1, 2], context).toContain(result.code);
				expect(result.stderr, context).not.toMatch(STACK_FRAME);
				expect(result.stderr, context).not.toContain('internal error');
				if (result.code === 2 && result.stdout === '') {
					expect(result.stderr, context).toMatch(/^pfnaudit: [^\n]+\n$/);
				}
			}),
			{numRuns: RUNS, ...(SEED === undefined ? {} : {seed: SEED}), endOnFailure: true},
		);
	}, 120_000);
});

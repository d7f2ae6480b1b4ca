/**
Issue 11 item 8 and issue 12 item 13: every usage error the argument parser finds is one
sentence on one line — what is wrong and how to fix it — and exit 2; a value-taking flag without
its value is an error, never silently ignored; a mistyped command gets the nearest command.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {editDistance, nearest} from '../../source/cli/usage-errors.js';
import {run, STACK_FRAME} from './harness.js';

const showcase = path.join('topologies', 'showcase.yaml');

async function usage(argv: string[]): Promise<string> {
	const result = await run(argv);
	expect(result.stdout).toBe('');
	expect(result.stderr).not.toMatch(STACK_FRAME);
	expect(result.stderr).toMatch(/^pfnaudit: [^\n]+\n$/);
	expect(result.code).toBe(2);
	return result.stderr.slice('pfnaudit: '.length, -1);
}

describe('usage errors are one sentence and exit 2', () => {
	// The argument parser's messages, one per kind it has. Expect one line each, naming the
	// argument and the fix. Before: "Invalid values:" / "  Argument: …" / "Run 'pfnaudit --help'".
	it.each([
		[['audit'], 'audit needs more arguments: pfnaudit audit <topology...> (see pfnaudit audit --help)'],
		[['explain', 't.yaml'], 'explain needs more arguments: pfnaudit explain <topology> <pfn> (see pfnaudit explain --help)'],
		[['audit', showcase, '--mode', 'fast'], '--mode fast is not one of runs or per-pfn'],
		[['audit', showcase, '--format', 'jsn'], '--format jsn is not one of text, json, md, html, ktap, junit or sarif (did you mean json?)'],
		[['list', 'walkr'], 'walkr is not one of walkers, topologies, kernels or patches (did you mean walkers?)'],
		[['audit', showcase, '--walkers', 'x'], '--walkers is not an option of pfnaudit audit; did you mean --walker?'],
		[['--colr', 'never'], '--colr is not an option of pfnaudit; did you mean --color?'],
		[['audit', showcase, '--bogus'], '--bogus is not an option of pfnaudit audit; see pfnaudit audit --help'],
		[['list', 'walkers', 'extra'], 'unexpected argument extra: pfnaudit list <what> takes no more (see pfnaudit list --help)'],
		[['explain', showcase, '0x1', '--color', 'sometimes'], '--color sometimes is not one of auto, always or never'],
	])('%j', async (argv, sentence) => {
		expect(await usage(argv)).toBe(sentence);
	});

	// `explain t.yaml -0x1`: the parser reads -0x1 as options, so a positional is "missing".
	// Expect the blame on -0x1, not "not enough arguments".
	it('blames a negative pfn, not a missing argument', async () => {
		expect(await usage(['explain', showcase, '-0x1'])).toBe('-0x1 is not a pfn: pfns and addresses are not negative (write 0x1), and a word starting with "-" is read as an option');
	});
});

describe('a flag without its value', () => {
	// `--jobs` and `--timeout` at the end of the line were silently dropped (the audit ran with
	// the defaults); `--walker` without a value was exit 3 "internal error". Expect exit 2 each.
	it.each([
		[['audit', showcase, '--jobs'], '--jobs'],
		[['audit', showcase, '--timeout'], '--timeout'],
		[['audit', showcase, '--walker'], '--walker'],
		[['audit', showcase, '--jobs', '--timeout', '5'], '--jobs'],
		[['explain', showcase, '0x1', '--kernel'], '--kernel'],
		[['list', 'walkers', '--kernel'], '--kernel'],
	])('%j', async (argv, name) => {
		expect(await usage(argv)).toMatch(new RegExp(`^${name} needs a value \\(see pfnaudit \\w+ --help\\)$`));
	});
});

describe('a flag that takes one value, given twice', () => {
	// Found by test/hostile/fuzz-argv.test.ts: `list topologies --kernel 5.10 --kernel 5.10`
	// was exit 3 "text.trim is not a function"; explain dropped a repeated --kernel silently.
	it.each([
		[['list', 'walkers', '--kernel', '5.10', '--kernel', '6.1']],
		[['explain', showcase, '0x1000', '--kernel', '5.10', '--kernel', '6.1']],
	])('%j', async argv => {
		expect(await usage(argv)).toBe('--kernel is given 2 times (5.10, 6.1); give it once');
	});
});

describe('mistyped commands', () => {
	// `pfnaudit lst walkers` was "Unknown argument: walkers" (lst taken for a topology file).
	// Expect the nearest command.
	it.each([
		[['lst', 'walkers'], 'list'],
		[['lst'], 'list'],
		[['audti', showcase], 'audit'],
		[['expalin', showcase, '0x1'], 'explain'],
	])('%j suggests %s', async (argv, command) => {
		expect(await usage(argv)).toMatch(new RegExp(`^${argv[0]!} is not a command; did you mean pfnaudit ${command}\\? \\(commands: audit, explain, list, `));
	});

	// A word far from every command is still read as a topology file by the default command.
	it('leaves a topology path to the dashboard command', async () => {
		expect(await usage(['nosuchfile'])).toMatch(/^nosuchfile: cannot read the topology file \(ENOENT\)/);
	});

	// `pfnaudit completion` read "completion" as a topology. Expect yargs' completion script.
	it('offers shell completion as a command', async () => {
		const lines: string[] = [];
		const log = console.log;
		console.log = (text: string) => lines.push(text);
		try {
			const result = await run(['completion']);
			expect(result).toMatchObject({code: 0, stderr: ''});
		} finally {
			console.log = log;
		}

		expect(lines.join('\n')).toContain('--get-yargs-completions');
	});

	// What the script asks for when the user presses Tab after `pfnaudit `. Expect the commands,
	// not the default command's `$0 [topology]`.
	it('completes command names', async () => {
		const lines: string[] = [];
		const log = console.log;
		console.log = (text: string) => lines.push(text);
		try {
			expect((await run(['--get-yargs-completions', ''])).code).toBe(0);
		} finally {
			console.log = log;
		}

		expect(lines).toEqual(expect.arrayContaining(['audit', 'explain', 'list', 'completion']));
		expect(lines.filter(line => line.startsWith('$0'))).toEqual([]);
	});
});

describe('nearest()', () => {
	// Transpositions count one edit: audti → audit.
	it('measures edits the way typos happen', () => {
		expect(editDistance('audti', 'audit')).toBe(1);
		expect(editDistance('lst', 'list')).toBe(1);
		expect(nearest('walkr', ['walkers', 'kernels'])).toBe('walkers');
		expect(nearest('zzz', ['audit', 'list'])).toBeUndefined();
	});
});

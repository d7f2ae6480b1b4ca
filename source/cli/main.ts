/**
Command-line entry: parses arguments, dispatches to one command module, and maps every error to
the exit codes of source/errors/exit-codes.ts with one clear sentence on stderr (a stack trace only with --debug).
*/
import {existsSync} from 'node:fs';
import path from 'node:path';
import yargs from 'yargs';
import {EXIT_INPUT, EXIT_INTERNAL} from '../errors/exit-codes.js';
import {isInputError} from '../errors/input-error.js';
import {TOOL_VERSION} from '../paths.js';
import type {CommandModule, Io} from './command.js';
import {auditCommand} from './commands/audit.js';
import {bisectCommand} from './commands/bisect.js';
import {compareCommand} from './commands/compare.js';
import {dashboardCommand} from './commands/dashboard.js';
import {explainCommand} from './commands/explain.js';
import {captureCommand} from './commands/capture.js';
import {importCommand} from './commands/import.js';
import {listCommand} from './commands/list.js';
import {reproduceCommand} from './commands/reproduce.js';
import {searchCommand} from './commands/search.js';
import {guardOutput, outputFailureOutcome} from './output-stream.js';
import {mistypedCommand, type UsageContext, usageSentence} from './usage-errors.js';

export const COMMANDS: readonly CommandModule[] = [dashboardCommand, auditCommand, explainCommand, listCommand, compareCommand, bisectCommand, importCommand, captureCommand, reproduceCommand, searchCommand];

const processIo: Io = {
	stdout: process.stdout,
	stderr: process.stderr,
	stdin: process.stdin,
	env: process.env,
	cwd: process.cwd(),
};

/**
`commands` defaults to COMMANDS; tests pass commands built with fakes (e.g. createAuditCommand).
A reader closing stdout early ends the run quietly with its own exit code; a failed write of
stdout (a full device) is one sentence and exit 2 (source/cli/output-stream.ts).
*/
export async function main(argv: readonly string[], io: Io = processIo, commands: readonly CommandModule[] = COMMANDS): Promise<number> {
	const guard = guardOutput(io.stdout);
	try {
		const code = await dispatch(argv, io, commands);
		const failure = await guard.settle();
		if (failure === undefined) {
			return code;
		}

		const outcome = outputFailureOutcome(failure, code);
		if (outcome.message !== undefined) {
			io.stderr.write(`pfnaudit: ${outcome.message}\n`);
		}

		return outcome.code;
	} finally {
		guard.dispose();
	}
}

async function dispatch(argv: readonly string[], io: Io, commands: readonly CommandModule[]): Promise<number> {
	const debug = argv.includes('--debug');
	let exitCode = 0;
	let usageError: string | undefined;
	const names = [...commands.map(module => commandName(module)).filter(Boolean), 'completion'];
	// `pfnaudit lst walkers`: the default command would read `lst` as a topology file.
	const mistyped = mistypedCommand(argv, names, file => existsSync(path.resolve(io.cwd, file)));
	if (mistyped !== undefined) {
		io.stderr.write(`pfnaudit: ${mistyped}\n`);
		return EXIT_INPUT;
	}

	const parser = yargs([...argv])
		.scriptName('pfnaudit')
		.locale('en')
		.version(TOOL_VERSION)
		.strict()
		.completion('completion', 'print a bash/zsh completion script: pfnaudit completion >> ~/.bashrc', ((_current: string, _argv: unknown, completionFilter: (onCompleted: (error: unknown, completions: string[] | undefined) => void) => void, done: (completions: string[]) => void) => {
			// The default command is registered as `$0 [topology]`: not a word to complete.
			completionFilter((_error, completions) => {
				done((completions ?? []).filter(word => !word.startsWith('$0')));
			});
		}) as never)
		.wrap(Math.min(100, (io.stdout.columns ?? 80)))
		.option('debug', {type: 'boolean', describe: 'print stack traces of internal errors', global: true})
		.option('color', {
			type: 'string',
			choices: ['auto', 'always', 'never'] as const,
			default: 'auto',
			describe: 'colour: auto (on a terminal), always (also into a pipe or less -R) or never; NO_COLOR and FORCE_COLOR are honoured',
			global: true,
		})
		.exitProcess(false)
		.fail((message, error) => {
			// yargs-parser's own complaints (`--walker` with no value) arrive as a YError.
			if (error && error.name !== 'YError') {
				throw error;
			}

			usageError = usageSentence(message ?? error?.message ?? '', usageContext(argv, commands, names, parser));
			// yargs goes on to run the command's handler after a failed validation (unknown
			// argument, invalid choice) unless fail() throws: stop here.
			throw new Error(message);
		});
	if (argv[0] === 'completion') {
		// yargs would print the script and then run the default command with `completion` as
		// its topology (exitProcess is off): print it and stop here.
		parser.showCompletionScript();
		return 0;
	}

	for (const module of commands) {
		parser.command(
			module.command as string | string[],
			module.describe,
			y => module.builder(y),
			async args => {
				exitCode = await module.run(args as Record<string, unknown>, io);
			},
		);
	}

	try {
		await parser.parseAsync();
	} catch (error) {
		if (usageError !== undefined) {
			io.stderr.write(`pfnaudit: ${usageError}\n`);
			return EXIT_INPUT;
		}

		if (isInputError(error)) {
			io.stderr.write(`pfnaudit: ${error.format()}\n`);
			if (debug && error.stack) {
				io.stderr.write(`${error.stack}\n`);
			}

			return EXIT_INPUT;
		}

		const message = error instanceof Error ? error.message : String(error);
		io.stderr.write(`pfnaudit: internal error: ${message}\n`);
		io.stderr.write(debug && error instanceof Error && error.stack ? `${error.stack}\n` : 'Run again with --debug for the stack trace, and please report it with the topology.\n');
		return EXIT_INTERNAL;
	}

	if (usageError !== undefined) {
		io.stderr.write(`pfnaudit: ${usageError}\n`);
		return EXIT_INPUT;
	}

	return exitCode;
}

/** The first word of a command module's command: `audit` for 'audit <topology...>', '' for the default. */
function commandName(module: CommandModule): string {
	const first = (Array.isArray(module.command) ? module.command[0] : module.command) as string;
	const word = first.split(' ')[0]!;
	return word === '$0' ? '' : word;
}

/** What usageSentence() needs to know about the line that failed. */
function usageContext(argv: readonly string[], commands: readonly CommandModule[], names: readonly string[], instance: unknown): UsageContext {
	const word = argv.find(item => !item.startsWith('-'));
	const module = commands.find(candidate => commandName(candidate) === word) ?? commands.find(candidate => commandName(candidate) === '');
	const spec = module ? ((Array.isArray(module.command) ? module.command[0] : module.command) as string) : '';
	const options = Object.keys((instance as {getOptions?: () => {key: Record<string, unknown>}} | undefined)?.getOptions?.().key ?? {});
	return {
		argv,
		commands: names,
		options,
		command: module ? commandName(module) : '',
		usage: `pfnaudit ${spec.replace(/^\$0 ?/, '')}`.trim(),
	};
}

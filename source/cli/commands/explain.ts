/**
`pfnaudit explain <topology> <pfn>`: the command definition. run() loads the topology parser
and the model from ./explain-run.ts (the lazy pattern of source/cli/command.ts).
*/
import {InputError} from '../../errors/input-error.js';
import type {CommandModule} from '../command.js';

const NUMBER = /^(?:0[xX][\da-fA-F](?:_?[\da-fA-F])*|\d(?:_?\d)*)$/;

/** Decimal or 0x hex with `_` separators, as a safe integer; an InputError naming `what` otherwise. */
export function parseNumberArgument(text: string, what: string): number {
	const trimmed = text.trim();
	if (!NUMBER.test(trimmed)) {
		throw new InputError(`${what} "${text}" is not a number; give decimal (2359296) or 0x hex (0x24_0000)`);
	}

	const value = Number(trimmed.replaceAll('_', ''));
	if (!Number.isSafeInteger(value)) {
		throw new InputError(`${what} "${text}" is larger than 2^53 - 1 and cannot be represented exactly; give a smaller value`);
	}

	return value;
}

/** `pfnaudit explain <topology> <pfn>` — one pfn, like crash's `kmem -p` for the model (README.md, Commands). */
export const explainCommand: CommandModule = {
	command: 'explain <topology> <pfn>',
	describe: 'explain one pfn: section, subsection, memmap, category and every predicate',
	builder: y =>
		y
			.positional('topology', {type: 'string', describe: 'topology file (YAML or JSON)'})
			.positional('pfn', {type: 'string', describe: 'pfn (decimal or 0x hex, `_` allowed); a physical address with --address'})
			.option('address', {type: 'boolean', default: false, describe: 'the positional is a physical address, not a pfn'})
			.option('kernel', {type: 'string', requiresArg: true, describe: 'kernel semantics version "MAJOR.MINOR" (overrides the topology)'})
			.option('patch', {type: 'string', requiresArg: true, describe: 'apply a named what-if patch or stable backport; repeatable or comma-separated (pfnaudit list patches)'})
			.option('phase', {type: 'string', requiresArg: true, describe: 'replay phase to stop at (default: final)'})
			.option('format', {type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'output format'}),
	async run(args, io) {
		const {runExplain} = await import('./explain-run.js');
		return runExplain(args, io);
	},
};

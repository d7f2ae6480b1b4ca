/**
`pfnaudit explain <topology> <pfn>`: the command definition. run() loads the topology parser
and the model from ./explain-run.ts (the lazy pattern of source/cli/command.ts).
*/
import {InputError} from '../../errors/input-error.js';
import {parseNumberText} from '../../topology/numbers.js';
import type {CommandModule} from '../command.js';

/**
A pfn or a physical address from the command line, in the number syntax of topology files
(source/topology/numbers.ts: decimal, 0x hex with `_` separators, a size with a binary suffix:
`--address 4G`), plus `_` between decimal digits; a safe integer, or an InputError naming `what`.
A pfn takes no size suffix: a suffix counts bytes, so the sentence points at --address.
*/
export function parseNumberArgument(text: string, what: 'pfn' | 'address'): number {
	const trimmed = text.trim();
	const normal = /^\d+(?:_\d+)+$/.test(trimmed) ? trimmed.replaceAll('_', '') : trimmed;
	const result = parseNumberText(normal);
	if (!result.ok) {
		throw new InputError(`${what} ${result.error}`);
	}

	if (what === 'pfn' && /^\d+[KMGTP]$/.test(normal)) {
		throw new InputError(`pfn ${trimmed}: a K, M, G, T or P suffix is a size in bytes, not a pfn count; give the pfn in decimal or 0x hex, or use --address ${trimmed} for the pfn at that physical address`);
	}

	return result.value;
}

/** `pfnaudit explain <topology> <pfn>` — one pfn, like crash's `kmem -p` for the model (README.md, Commands). */
export const explainCommand: CommandModule = {
	command: 'explain <topology> <pfn>',
	describe: 'explain one pfn: section, subsection, memmap, category and every predicate',
	builder: y =>
		y
			.positional('topology', {type: 'string', describe: 'topology file (YAML or JSON)'})
			.positional('pfn', {type: 'string', describe: 'pfn (decimal or 0x hex, `_` allowed); a physical address with --address, also as a size (4G)'})
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

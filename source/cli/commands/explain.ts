/**
`pfnaudit explain <topology> <pfn>`: the command definition. run() loads the topology parser
and the model from ./explain-run.ts (the lazy pattern of source/cli/command.ts).
*/
import type {CommandModule} from '../command.js';

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

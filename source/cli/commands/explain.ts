import type {CommandModule} from '../command.js';

/** `pfnaudit explain <topology> <pfn>` — one pfn, like crash's `kmem -p` for the model (SPEC §7). */
export const explainCommand: CommandModule = {
	command: 'explain <topology> <pfn>',
	describe: 'explain one pfn: section, subsection, memmap, category and every predicate',
	builder: y => y.positional('topology', {type: 'string'}).positional('pfn', {type: 'string'}),
	async run() {
		throw new Error('explain is not built yet');
	},
};

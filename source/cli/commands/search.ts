/**
`pfnaudit search --walker W` (README.md, Commands): random layouts audited with one walker until
one fails in the asked categories, shrunk to a 1-minimal counterexample written as a topology
file (source/search/). The work is in ./search-run.ts, loaded by run() (source/cli/command.ts).
*/
import type {CommandModule} from '../command.js';

export const searchCommand: CommandModule = {
	command: 'search',
	describe: 'look for the smallest layout on which a walker touches an uninitialized memmap',
	builder: y =>
		y
			.option('walker', {type: 'string', requiresArg: true, describe: 'a built-in walker name or the path of a walker file (.ts/.js)'})
			.option('category', {
				type: 'string',
				requiresArg: true,
				describe: "categories that count as a failure, comma-separated (default: the audit's default --fail-on set)",
			})
			.option('kernel', {type: 'string', requiresArg: true, describe: 'kernel semantics version "MAJOR.MINOR" of the layouts (default: the newest modelled)'})
			.option('patch', {type: 'string', requiresArg: true, describe: 'apply a named what-if patch or stable backport to every layout; repeatable or comma-separated'})
			.option('arch', {type: 'string', requiresArg: true, describe: 'arches to generate, comma-separated or repeated (default: every arch)'})
			.option('budget', {requiresArg: true, describe: 'layouts to try before giving up (default 10000 without --time)'})
			.option('time', {requiresArg: true, describe: 'seconds to search for, instead of a number of layouts'})
			.option('seed', {requiresArg: true, describe: 'the seed of the layouts: the same seed finds the same counterexample (default 1)'})
			.option('jobs', {requiresArg: true, describe: 'worker threads (default 1; a user walker file always runs in workers)'})
			.option('phases', {type: 'boolean', describe: 'audit an intermediate phase of the replay besides the final state, as the layout picks (default true; --no-phases: final states only)'})
			.option('timeout', {requiresArg: true, describe: 'seconds one audit of one layout may take (default 10)'})
			.option('output', {alias: 'o', type: 'string', requiresArg: true, describe: 'write the counterexample topology to FILE instead of stdout'})
			.option('force', {type: 'boolean', describe: 'replace an existing --output file'})
			.example('pfnaudit search --walker kpageflags_read --kernel 5.3 --category C1', 'a layout on which /proc/kpageflags reads an offline memmap at v5.3')
			.example('pfnaudit search --walker ./my_walker.ts --kernel 6.12 --time 60 -o counterexample.yaml', 'your own walker, for a minute'),
	async run(args, io) {
		const {runSearch} = await import('./search-run.js');
		return runSearch(args, io);
	},
};

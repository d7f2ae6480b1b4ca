import type {CommandModule} from '../command.js';

/** `pfnaudit list walkers|topologies|kernels|patches` (SPEC §7). */
export const listCommand: CommandModule = {
	command: 'list <what>',
	describe: 'list walkers, topologies, kernels or patches',
	builder: y => y.positional('what', {type: 'string', choices: ['walkers', 'topologies', 'kernels', 'patches']}),
	async run() {
		throw new Error('list is not built yet');
	},
};

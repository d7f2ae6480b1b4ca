/**
`pfnaudit list walkers|topologies|kernels|patches` (README.md, Commands): the command definition; run()
loads ./list-run.ts (the lazy pattern of source/cli/command.ts).
*/
import type {CommandModule} from '../command.js';

export const WHAT = ['walkers', 'topologies', 'kernels', 'patches'] as const;
export type What = (typeof WHAT)[number];

export const listCommand: CommandModule = {
	command: 'list <what>',
	describe: 'list walkers, topologies, kernels or patches',
	builder: y =>
		y
			.positional('what', {type: 'string', choices: WHAT, describe: 'what to list'})
			.option('kernel', {type: 'string', requiresArg: true, describe: 'with walkers: the guard in effect at this version (X.Y); with patches: only those that apply to it'})
			.option('format', {type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'output format'})
			.example('$0 list walkers --kernel 5.3', 'guards as they were before the v5.4 fixes')
			.example('$0 list kernels', 'what the model changes at each release')
			.example('$0 list patches --kernel 5.10', 'the stable backports and presets for a 5.10.y kernel'),
	async run(args, io) {
		const {runList} = await import('./list-run.js');
		return runList(args, io);
	},
};

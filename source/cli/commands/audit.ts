import type {CommandModule} from '../command.js';

/** `pfnaudit audit <topology...>` — headless audit (SPEC §7). Implemented by the engine work. */
export const auditCommand: CommandModule = {
	command: 'audit <topology...>',
	describe: 'audit walkers over one or more topologies, headless',
	builder: y => y.positional('topology', {type: 'string', array: true, describe: 'topology file(s)'}),
	async run() {
		throw new Error('audit is not built yet');
	},
};

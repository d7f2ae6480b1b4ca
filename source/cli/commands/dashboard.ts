import type {CommandModule} from '../command.js';

/** `pfnaudit [topology]` — the dashboard on a terminal, the headless audit otherwise (SPEC §7). */
export const dashboardCommand: CommandModule = {
	command: '$0 [topology]',
	describe: 'open the dashboard (headless audit when stdout is not a terminal or CI is set)',
	builder: y => y.positional('topology', {type: 'string', describe: 'topology file (default: the showcase)'}),
	async run() {
		throw new Error('the dashboard is not built yet');
	},
};

/**
`pfnaudit audit <topology...>` — the headless audit (README.md, Commands). The work is in ../headless.ts,
which the dashboard command shares for non-terminal runs; run() loads it (source/cli/command.ts).
*/
import type {Argv} from 'yargs';
import {DEFAULT_TIME_LIMIT_MS, EVALUATION_MODES} from '../../engine/defaults.js';
import {DEFAULT_FAIL_SET} from '../../model/categories.js';
import {REPORT_FORMATS} from '../../report/formats.js';
import type {CommandModule} from '../command.js';
import type {HeadlessDeps} from '../headless.js';

/**
The audit options (everything but the topology), shared with the dashboard command so that
`pfnaudit [topology] --walker … --format …` means the same when it runs headless.
*/
export function withAuditOptions(y: Argv): Argv {
	return y
		.option('walker', {
			type: 'string',
			requiresArg: true,
			describe: 'a built-in walker name or the path of a walker file (.ts/.js); repeat for several (default: every built-in)',
		})
		.option('kernel', {type: 'string', requiresArg: true, describe: 'kernel semantics version "MAJOR.MINOR", overriding the topology'})
		.option('patch', {type: 'string', requiresArg: true, describe: 'apply a named what-if patch or stable backport; repeatable or comma-separated (pfnaudit list patches); none (or --no-patch) drops the topology file\'s own patches: --patch none,NAME applies NAME only'})
		.option('phases', {type: 'boolean', describe: 'audit every phase of the replay, not only the final state'})
		.option('fail-on', {
			type: 'string',
			requiresArg: true,
			describe: `categories that fail the audit, comma-separated, or 'default' / 'none' (default: ${DEFAULT_FAIL_SET.join(',')}; hole and nomap only where uninitialized)`,
		})
		.option('format', {
			type: 'string',
			choices: REPORT_FORMATS,
			describe: 'report format (default: from the --output extension, else text on a terminal, json otherwise)',
		})
		.option('output', {alias: 'o', type: 'string', requiresArg: true, describe: "write the report to a file; '{topology}' in the name gives one file per topology"})
		.option('force', {type: 'boolean', describe: 'replace an existing --output file'})
		.option('mode', {
			type: 'string',
			choices: EVALUATION_MODES,
			default: 'runs',
			describe: 'evaluation mode: runs (fast) or per-pfn (the reference: one step per pfn, tens of millions of pfns per second; raise --timeout for whole-address-space sweeps); both give identical tallies',
		})
		// No `type: 'number'`: yargs would turn `--timeout abc` into NaN; audit-args.ts says what is wrong with the text.
		.option('timeout', {requiresArg: true, default: DEFAULT_TIME_LIMIT_MS / 1000, describe: 'seconds a walker may run per phase before it is stopped (a number)'})
		.option('jobs', {requiresArg: true, describe: 'worker threads, a whole number (default: available CPUs)'});
}

export function createAuditCommand(deps: HeadlessDeps = {}): CommandModule {
	return {
		command: 'audit <topology...>',
		describe: 'audit walkers over one or more topologies, headless',
		builder: y =>
			withAuditOptions(y.positional('topology', {type: 'string', array: true, describe: 'topology file(s), YAML or JSON'}))
				.example('pfnaudit audit topologies/showcase.yaml', 'every built-in walker, report on stdout')
				.example('pfnaudit audit t.yaml --kernel 5.3 --walker kpageflags_read --format sarif -o audit.sarif', 'one walker at v5.3, SARIF for code scanning')
				.example("pfnaudit audit topologies/*.yaml --format junit -o 'junit-{topology}.xml'", 'one JUnit file per topology')
				.example('pfnaudit audit t.yaml --walker ./my_walker.ts', 'your own walker (docs/writing-a-walker.md)'),
		async run(args, io) {
			const {headlessOptionsFromArgs, runHeadlessAudit} = await import('../headless.js');
			return runHeadlessAudit(headlessOptionsFromArgs(args), io, deps);
		},
	};
}

export const auditCommand: CommandModule = createAuditCommand();

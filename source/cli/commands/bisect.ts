/**
`pfnaudit bisect <topology> --walker W [--category C]` (README.md, Commands): the releases between v4.13 and
v6.18 where the walker's verdict on the topology (or its count in C) changes, each transition
with the commits of the walker's guard history and the model's version history at that release
(source/compare/bisect.ts). One audit of the one walker per release, in this thread.

Exit codes: 0 bisected (whatever it found), 2 bad input (no release could be replayed, an
unknown walker or category), 3 a built-in walker that could not be audited.

Only yargs wiring at the top level; the engine, the model and the renderers are imported in run().
*/
import type {CommandModule} from '../command.js';
import type {HeadlessDeps} from '../headless.js';

const FORMATS = ['text', 'md', 'json'] as const;

export function createBisectCommand(deps: Pick<HeadlessDeps, 'audit' | 'parseTopology'> = {}): CommandModule {
	return {
		command: 'bisect <topology>',
		describe: "the releases where a walker's verdict (or its count in a category) changes, with the commits there",
		builder: y =>
			y
				.positional('topology', {type: 'string', describe: 'topology file, YAML or JSON'})
				.option('walker', {type: 'string', requiresArg: true, demandOption: true, describe: 'a built-in walker name or a walker file'})
				.option('category', {type: 'string', requiresArg: true, describe: 'follow the count of touches in this category (C1..C5, metadata, hole, ...) instead of the verdict'})
				.option('patch', {type: 'string', requiresArg: true, describe: 'named patches applied at every release (releases they do not apply to are skipped)'})
				.option('from', {type: 'string', requiresArg: true, describe: 'first release (default 4.13)'})
				.option('to', {type: 'string', requiresArg: true, describe: 'last release (default 6.18)'})
				.option('fail-on', {type: 'string', requiresArg: true, describe: "categories that make the verdict fail, comma-separated, or 'default' / 'none'"})
				.option('format', {type: 'string', choices: FORMATS, describe: 'output format (default: text on a terminal, json otherwise)'})
				.option('output', {alias: 'o', type: 'string', requiresArg: true, describe: 'write the result to a file'})
				.option('force', {type: 'boolean', describe: 'replace an existing --output file'})
				.option('timeout', {requiresArg: true, default: 60, describe: 'seconds the walker may run per release (a number)'})
				.example('pfnaudit bisect topologies/pmem-fsdax-devdax.yaml --walker kpageflags_read', 'v5.4: pfn_to_online_page() (aad5f69bc161)')
				.example('pfnaudit bisect topologies/pmem-fsdax-devdax.yaml --walker memory_failure --category metadata', 'v5.12: pgmap_pfn_valid() (34dc45be4563)'),
		async run(args, io) {
			const [{InputError, isInputError}, {EXIT_INPUT, EXIT_INTERNAL, EXIT_OK}, headless, {parseFailOn}, {selectWalkers}, {runAudit}, version, categories, bisectModule, {writeOutput}, path] =
				await Promise.all([
					import('../../errors/input-error.js'),
					import('../../errors/exit-codes.js'),
					import('../headless.js'),
					import('../../engine/fail-on.js'),
					import('../../walker/select.js'),
					import('../../engine/audit.js'),
					import('../../kernel/version.js'),
					import('../../model/categories.js'),
					import('../../compare/bisect.js'),
					import('../../report/output.js'),
					import('node:path'),
				]);
			const category = args['category'] === undefined ? null : String(args['category']);
			if (category !== null && !categories.isCategoryId(category)) {
				throw new InputError(`--category ${category} is not a category id; choose one of ${categories.CATEGORY_IDS.join(', ')}`);
			}

			const range = (flag: 'from' | 'to', fallback: string) => {
				const text = args[flag] === undefined ? fallback : String(args[flag]).replace(/^v/, '');
				if (!version.parseKernelVersion(text)) {
					throw new InputError(`--${flag} ${text} is not a modelled mainline release; give "MAJOR.MINOR" from ${version.OLDEST_KERNEL} to ${version.NEWEST_KERNEL}`);
				}

				return version.v(text).code;
			};

			const [from, to] = [range('from', version.OLDEST_KERNEL), range('to', version.NEWEST_KERNEL)];
			const kernels = version.KERNEL_VERSIONS.filter(kernel => version.v(kernel).code >= from && version.v(kernel).code <= to);
			if (kernels.length < 2) {
				throw new InputError('--from and --to leave fewer than two releases to compare; widen the range');
			}

			const {resolvePatchValues} = await import('../../patch/load.js');
			const patches = (await resolvePatchValues(headless.patchValues(args['patch']) ?? [], io.cwd)).names;
			const {timeLimitMs} = headless.checkFlags({topologies: [], patches, timeout: headless.numberFlag('timeout', args['timeout'])});
			const timeout = timeLimitMs / 1000;
			const walkers = await selectWalkers([String(args['walker'])], io.cwd, {timeLimitMs: timeout * 1000, output: io.stderr});
			const walker = walkers[0]!;
			const failOn = parseFailOn(args['fail-on'] === undefined ? undefined : String(args['fail-on']));
			const file = String(args['topology']);
			const audits = [];
			let exitCode = EXIT_OK;
			await headless.readCaptureTarballs([file], io.cwd);
			for (const kernel of kernels) {
				let report;
				try {
					const topology = headless.readTopology(file, io, {kernel, patches}, deps.parseTopology);
					// eslint-disable-next-line no-await-in-loop
					// A built-in runs in this thread; a user walker file only ever in worker threads (source/walker/isolate.ts).
					report = await runAudit({topology, walkers, failOn, timeLimitMs: timeout * 1000, runner: walker.builtin ? 'in-process' : 'workers', ...deps.audit});
				} catch (error) {
					if (!isInputError(error)) {
						throw error;
					}

					audits.push({kernel, skipped: error.message});
					continue;
				}

				const result = report.walkers[0]!;
				if (result.verdict === 'error') {
					io.stderr.write(`pfnaudit: v${kernel}: ${result.error ?? `${result.name} ${result.status}`}\n`);
					exitCode = Math.max(exitCode, result.builtin ? EXIT_INTERNAL : EXIT_INPUT);
				}

				audits.push({kernel, report});
			}

			if (!audits.some(audit => 'report' in audit)) {
				const first = audits[0] as {skipped: string} | undefined;
				throw new InputError(`the topology cannot be replayed at any release from v${kernels[0]!} to v${kernels.at(-1)!}: ${first?.skipped ?? 'no release'}`, {file});
			}

			const definition = walker.definition as {name: string; history?: ReadonlyArray<import('../../walker/contract.js').GuardChange>};
			const result = bisectModule.bisect(audits, {name: definition.name, history: definition.history ?? []}, category as never);
			const output = args['output'] === undefined ? undefined : String(args['output']);
			const format = args['format'] === undefined ? (output?.endsWith('.json') ? 'json' : output?.endsWith('.md') ? 'md' : io.stdout.isTTY || output ? 'text' : 'json') : String(args['format']);
			const text =
				format === 'json'
					? `${JSON.stringify(bisectModule.bisectionJson(result), null, 2)}\n`
					: format === 'md'
						? bisectModule.renderBisectionMarkdown(result)
						: bisectModule.renderBisectionText(result, io.stdout.columns ?? 80);
			if (output === undefined) {
				io.stdout.write(text);
			} else {
				writeOutput(path.resolve(io.cwd, output), text, {force: args['force'] === true});
			}

			return exitCode;
		},
	};
}

export const bisectCommand: CommandModule = createBisectCommand();

/**
`pfnaudit compare <topology...> (--kernel A --kernel B ... | --patch-set P --patch-set Q ...)`
(README.md, Commands): the walker × category table of each column and what differs between them, per
topology. One ordinary audit per column (source/compare/run.ts), compared by
source/compare/compare.ts — the code the dashboard's Δ view uses too.

Exit codes: 0 compared, 2 bad input (or a user walker that could not be audited), 3 a built-in
walker that could not be audited. Failing touches do not change the exit code: a comparison
reports them in every column; use `pfnaudit audit` to gate CI on them.

Only yargs wiring at the top level; the engine, the model and the renderers are imported in run().
*/
import type {CommandModule} from '../command.js';
import type {HeadlessDeps} from '../headless.js';

const FORMATS = ['text', 'md', 'json', 'html'] as const;
const BY_EXTENSION: Readonly<Record<string, (typeof FORMATS)[number]>> = {'.txt': 'text', '.md': 'md', '.json': 'json', '.html': 'html', '.htm': 'html'};

function strings(value: unknown): string[] {
	if (value === undefined || value === null) {
		return [];
	}

	return (Array.isArray(value) ? value : [value]).map(String);
}

/** `deps` as for `audit` (tests run the audits in-process or with a hand-made model). */
export function createCompareCommand(deps: Pick<HeadlessDeps, 'audit' | 'parseTopology'> = {}): CommandModule {
	return {
		command: 'compare <topology...>',
		describe: 'walker x category tables for several --kernel or --patch-set columns, and their differences',
		builder: y =>
			y
				.positional('topology', {type: 'string', array: true, describe: 'topology file(s), YAML or JSON'})
				.option('kernel', {type: 'string', requiresArg: true, describe: 'a column per kernel version "MAJOR.MINOR" (repeat), or the one kernel of every --patch-set column'})
				.option('patch-set', {
					type: 'string',
					requiresArg: true,
					describe: "a column per patch set: names joined by ',' or '+', 'none' for no patch (repeat; pfnaudit list patches)",
				})
				.option('proposals', {
					type: 'boolean',
					describe: 'the proposal scorecard: no patch and each proposal of the five-category thread as columns (pfnaudit list patches), shown as proposal x category -> walkers still touching it',
				})
				.option('walker', {type: 'string', requiresArg: true, describe: 'a built-in walker name or a walker file; repeat for several (default: every built-in)'})
				.option('fail-on', {type: 'string', requiresArg: true, describe: "categories counted as failing, comma-separated, or 'default' / 'none'"})
				.option('format', {type: 'string', choices: FORMATS, describe: 'output format (default: from the --output extension, else text on a terminal, json otherwise)'})
				.option('output', {alias: 'o', type: 'string', requiresArg: true, describe: 'write the comparison to a file'})
				.option('force', {type: 'boolean', describe: 'replace an existing --output file'})
				.option('mode', {type: 'string', choices: ['runs', 'per-pfn'] as const, default: 'runs', describe: 'evaluation mode (identical tallies)'})
				// No `type: 'number'`, which turns `--timeout abc` into NaN: numberFlag() quotes what was given.
				.option('timeout', {requiresArg: true, default: 60, describe: 'seconds a walker may run per column (a number)'})
				.option('jobs', {requiresArg: true, describe: 'worker threads, a whole number (default: available CPUs)'})
				.example('pfnaudit compare topologies/showcase.yaml --kernel 5.3 --kernel 5.4', 'what v5.4 changed, walker by walker')
				.example('pfnaudit compare topologies/pmem-fsdax-devdax.yaml --patch-set none --patch-set init-altmap-reserve', 'what a proposal closes')
				.example('pfnaudit compare topologies/*.yaml --proposals --format md', 'the scorecard of docs/proposals.md'),
		async run(args, io) {
			const [{InputError}, {EXIT_INPUT, EXIT_INTERNAL, EXIT_OK}, headless, {parseFailOn}, {selectWalkers}, run, {compareReports, columnLabel}, render, {writeOutput}, path, {SHOWCASE_TOPOLOGY}] =
				await Promise.all([
					import('../../errors/input-error.js'),
					import('../../errors/exit-codes.js'),
					import('../headless.js'),
					import('../../engine/fail-on.js'),
					import('../../walker/select.js'),
					import('../../compare/run.js'),
					import('../../compare/compare.js'),
					import('../../compare/render.js'),
					import('../../report/output.js'),
					import('node:path'),
					import('../../paths.js'),
				]);
			const kernels = strings(args['kernel']);
			const proposals = args['proposals'] === true;
			if (proposals && (strings(args['patch-set']).length > 0 || kernels.length > 1)) {
				throw new InputError('--proposals makes the columns itself (no patch, then each proposal); drop --patch-set, and give at most one --kernel');
			}

			const {PROPOSALS} = await import('../../model/proposals.js');
			const {resolvePatchValues} = await import('../../patch/load.js');
			let userPatches = false;
			const patchSets: string[][] = [];
			for (const set of proposals ? [[], ...PROPOSALS.map(proposal => [proposal.name])] : strings(args['patch-set']).map(text => run.parsePatchSet(text))) {
				// `--patch-set ./mine.ts`: a user what-if patch (source/patch/load.ts); the audits then run in-process.
				const resolved = await resolvePatchValues(set, io.cwd);
				userPatches ||= resolved.loaded;
				patchSets.push(resolved.names);
			}

			const allColumns = run.columnRequests(kernels, patchSets);
			const {mode, timeLimitMs} = headless.checkFlags({
				topologies: [],
				patches: patchSets.flat(),
				mode: args['mode'] === undefined ? undefined : String(args['mode']),
				timeout: headless.numberFlag('timeout', args['timeout']),
				jobs: headless.numberFlag('jobs', args['jobs']),
			});
			for (const kernel of kernels) {
				headless.checkKernelFlag(kernel);
			}

			const output = args['output'] === undefined ? undefined : String(args['output']);
			let format = args['format'] === undefined ? undefined : String(args['format']);
			if (format === undefined && output !== undefined) {
				format = BY_EXTENSION[path.extname(output).toLowerCase()];
				if (format === undefined) {
					throw new InputError(`cannot tell the format from the name ${output}; pass --format (${FORMATS.join(', ')}) or use .txt, .md, .json or .html`);
				}
			}

			format ??= io.stdout.isTTY ? 'text' : 'json';
			const failOn = parseFailOn(strings(args['fail-on'] ?? args['failOn']).length > 0 ? strings(args['fail-on'] ?? args['failOn']) : undefined);
			const walkers = await selectWalkers(strings(args['walker']), io.cwd, {timeLimitMs, output: io.stderr});
			const files = strings(args['topology']);
			const comparisons = [];
			let exitCode = EXIT_OK;
			const scorecard = await import('../../compare/scorecard.js');
			const {findPatch, patchProblem} = await import('../../model/patches.js');
			const {v} = await import('../../kernel/version.js');
			const notApplied: Array<Array<{name: string; why: string}>> = [];
			await headless.readCaptureTarballs(files, io.cwd);
			for (const file of files.length > 0 ? files : [SHOWCASE_TOPOLOGY]) {
				// --proposals: a proposal that does not apply at the topology's kernel (subsection-dev-map before v5.3) is left out, with why.
				let columns = allColumns;
				const skipped: Array<{name: string; why: string}> = [];
				if (proposals) {
					const plain = headless.readTopology(file, io, kernels[0] === undefined ? {} : {kernel: kernels[0]}, deps.parseTopology);
					columns = allColumns.filter(column => {
						const name = column.patches[0];
						const problem = name === undefined ? undefined : patchProblem(findPatch(name)!, plain.arch, v(plain.kernel));
						if (problem !== undefined) {
							skipped.push({name: name!, why: problem});
						}

						return problem === undefined;
					});
				}

				notApplied.push(skipped);
				const topologyAt = (column: {kernel: string | undefined; patches: readonly string[]}) =>
					headless.readTopology(file, io, {...(column.kernel === undefined ? {} : {kernel: column.kernel}), patches: column.patches}, deps.parseTopology);
				if (mode === 'per-pfn') {
					// As `audit --mode per-pfn` (source/engine/estimate.ts): a column that cannot finish within --timeout is refused up front.
					// eslint-disable-next-line no-await-in-loop
					const [{checkPerPfnWork}, {buildModel}] = await Promise.all([import('../../engine/estimate.js'), import('../../model/build.js')]);
					checkPerPfnWork(columns.map(column => topologyAt(column)), walkers, timeLimitMs, topology => buildModel(topology));
				}

				// eslint-disable-next-line no-await-in-loop
				const reports = await run.auditColumns(columns, topologyAt, {
					walkers,
					failOn,
					mode,
					timeLimitMs,
					...(args['jobs'] === undefined ? {} : {workers: Number(args['jobs'])}),
					...(deps.audit || userPatches ? {audit: {...(userPatches ? {runner: 'in-process' as const} : {}), ...deps.audit}} : {}),
				});
				const code = headless.exitCodeFor(reports, timeLimitMs);
				if (code === EXIT_INTERNAL || code === EXIT_INPUT) {
					exitCode = Math.max(exitCode, code);
					for (const report of reports) {
						for (const walker of report.walkers.filter(w => w.verdict === 'error')) {
							io.stderr.write(`pfnaudit: ${report.topology.name} v${report.kernel}: ${walker.error ?? `${walker.name} ${walker.status}`}\n`);
						}
					}
				}

				const labels = reports.map((report, i) =>
					columns[i]!.patches.length === 0 && patchSets.length > 1 ? `v${report.kernel} (no patch)` : columnLabel(report.kernel, columns[i]!.patches),
				);
				comparisons.push(compareReports(reports, labels));
			}

			const text = !proposals || format === 'json' || format === 'html'
				? render.renderComparisons(comparisons, format as 'text', io.stdout.columns ?? 80)
				: format === 'md'
					? [scorecard.proposalLegend().join('\n'), '', ...comparisons.map((comparison, i) => scorecard.renderScorecardMarkdown(comparison, notApplied[i]))].join('\n')
					: comparisons.map((comparison, i) => scorecard.renderScorecardText(comparison, notApplied[i])).join('\n');
			if (output === undefined) {
				io.stdout.write(text);
			} else {
				writeOutput(path.resolve(io.cwd, output), text, {force: args['force'] === true});
			}

			return exitCode;
		},
	};
}

export const compareCommand: CommandModule = createCompareCommand();

/**
The audit flags as the commands read them (--kernel, --patch, --mode, --timeout, --jobs, …):
parsed yargs arguments to HeadlessOptions and the checks that name the flag at fault. Light on
purpose — the dashboard checks its flags with these before it loads the engine — and
re-exported by ./headless.ts.
*/
import {DEFAULT_TIME_LIMIT_MS, EVALUATION_MODES, type EvaluationMode} from '../engine/defaults.js';
import {InputError} from '../errors/input-error.js';
import {KERNEL_VERSIONS, parseKernelVersion} from '../kernel/version.js';
import {findPatch, PATCHES} from '../model/patches.js';
import {mapRelease} from '../import/release.js';

export type HeadlessOptions = {
	/** Topology files; none: the built-in showcase. */
	readonly topologies: readonly string[];
	readonly walkers?: readonly string[];
	readonly kernel?: string;
	readonly patches?: readonly string[];
	readonly phases?: boolean;
	readonly failOn?: string | readonly string[];
	readonly format?: string;
	readonly output?: string;
	readonly force?: boolean;
	readonly mode?: string;
	/** Seconds per walker and phase. */
	readonly timeout?: number;
	readonly jobs?: number;
};

function list(value: unknown): string[] | undefined {
	if (value === undefined || value === null) {
		return undefined;
	}

	return (Array.isArray(value) ? value : [value]).map(String);
}

/**
The values of `--patch`, for every command that takes it (audit, the dashboard, explain): repeated
flags and comma-separated lists alike, trimmed, empty items dropped. `--walker` is not split on
commas (it also takes file paths): repeat it.
*/
export function patchValues(value: unknown): string[] | undefined {
	// `--no-patch` reaches us as `patch: [false]` (yargs boolean negation): `--patch none`.
	const values = Array.isArray(value) ? value : value === undefined ? undefined : [value];
	return list(values?.map(item => (item === false ? 'none' : item)))?.flatMap(text => text.split(',')).map(text => text.trim()).filter(Boolean);
}

/**
The value of --timeout or --jobs as a number, or an InputError quoting what was given: yargs
leaves a value that is not a number as the text the user typed (the options have no `type`, so
that `--timeout abc` is not turned into NaN before anyone can say what was wrong with it).
*/
export function numberFlag(flag: 'timeout' | 'jobs', value: unknown): number | undefined {
	if (value === undefined) {
		return undefined;
	}

	const number = typeof value === 'number' ? value : String(value).trim() === '' ? Number.NaN : Number(value);
	if (Number.isNaN(number)) {
		const example = flag === 'timeout' ? 'a number of seconds, such as --timeout 120' : 'a whole number of worker threads, such as --jobs 2';
		throw new InputError(`--${flag} ${JSON.stringify(String(value))} is not a number; give ${example}`);
	}

	return number;
}

/** HeadlessOptions from parsed yargs arguments of `audit` (topology: string[]) or the dashboard (topology?: string). */
export function headlessOptionsFromArgs(args: Record<string, unknown>): HeadlessOptions {
	const number = (flag: 'timeout' | 'jobs', value: unknown) => numberFlag(flag, value);
	return {
		topologies: list(args.topology) ?? [],
		walkers: list(args.walker),
		kernel: args.kernel === undefined ? undefined : String(args.kernel),
		patches: patchValues(args.patch),
		phases: args.phases === true,
		failOn: list(args.failOn ?? args['fail-on']),
		format: args.format === undefined ? undefined : String(args.format),
		output: args.output === undefined ? undefined : String(args.output),
		force: args.force === true,
		mode: args.mode === undefined ? undefined : String(args.mode),
		timeout: number('timeout', args.timeout),
		jobs: number('jobs', args.jobs),
	};
}

/**
--kernel with a stable sublevel ("6.12.118"): which trees pfnaudit has for it, in one sentence —
mainline "6.12", and the stable preset at or below that sublevel (source/import/release.ts, as
`import` picks it) — or undefined when `kernel` is not MAJOR.MINOR.SUBLEVEL of a modelled series.
*/
export function stableReleaseHint(kernel: string): string | undefined {
	const match = /^(\d+\.\d+)\.(\d+)$/.exec(kernel.trim());
	if (!match || !parseKernelVersion(match[1]!)) {
		return undefined;
	}

	const series = match[1]!;
	const mapping = mapRelease(kernel.trim());
	const tree = mapping?.preset
		? `for the ${series}.y stable tree add --patch ${mapping.preset} (the nearest stable preset at or below ${kernel.trim()}; \`pfnaudit import\` of a ${kernel.trim()} machine picks it too)`
		: `pfnaudit has no ${series}.y stable preset at or below ${kernel.trim()}, so its backports are not modelled (pfnaudit list patches)`;
	return `--kernel ${kernel} names a stable release: --kernel takes the mainline release "${series}", which models mainline v${series} alone; ${tree}`;
}

/** Check --kernel (InputError naming the flag). Shared with the list command. */
export function checkKernelFlag(kernel: string | undefined): void {
	if (kernel !== undefined && !parseKernelVersion(kernel)) {
		const stable = stableReleaseHint(kernel);
		if (stable) {
			throw new InputError(stable);
		}

		throw new InputError(`--kernel ${kernel} is not a modelled mainline release; give "MAJOR.MINOR" from ${KERNEL_VERSIONS[0]!} to ${KERNEL_VERSIONS.at(-1)!} (pfnaudit list kernels)`);
	}
}

/** Check --kernel, --patch, --mode, --timeout and --jobs (InputError naming the flag). Shared with the dashboard command. */
export function checkFlags(options: HeadlessOptions): {mode: EvaluationMode; timeLimitMs: number} {
	checkKernelFlag(options.kernel);

	for (const patch of options.patches ?? []) {
		// `none`: no patch from the topology file (topology/load.ts NO_FILE_PATCHES).
		if (patch !== 'none' && !findPatch(patch)) {
			throw new InputError(`--patch ${patch} is not a known what-if patch; choose one of ${PATCHES.map(p => p.name).join(', ')} (pfnaudit list patches)`);
		}
	}

	const mode = options.mode ?? 'runs';
	if (!(EVALUATION_MODES as readonly string[]).includes(mode)) {
		throw new InputError(`--mode ${mode} is not an evaluation mode; choose ${EVALUATION_MODES.join(' or ')}`);
	}

	const timeout = options.timeout ?? DEFAULT_TIME_LIMIT_MS / 1000;
	if (!(Number.isFinite(timeout) && timeout > 0)) {
		throw new InputError(`--timeout ${String(options.timeout)} is not a positive number of seconds`);
	}

	if (options.jobs !== undefined && !(Number.isSafeInteger(options.jobs) && options.jobs >= 1)) {
		throw new InputError(`--jobs ${String(options.jobs)} is not a positive whole number of worker threads`);
	}

	return {mode: mode as EvaluationMode, timeLimitMs: timeout * 1000};
}


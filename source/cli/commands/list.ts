/**
`pfnaudit list walkers|topologies|kernels|patches` (SPEC §7): what is available, as text for a
terminal (≤ 80 columns) or JSON for scripts.
*/
import path from 'node:path';
import {InputError} from '../../errors/input-error.js';
import {changesIntroducedIn} from '../../kernel/changes.js';
import {KERNEL_VERSIONS, parseKernelVersion, v} from '../../kernel/version.js';
import {PATCHES} from '../../model/patches.js';
import {PACKAGE_ROOT} from '../../paths.js';
import {listBuiltinTopologies} from '../../topology/builtin.js';
import {loadTopologyFile} from '../../topology/load.js';
import type {GuardChange, WalkerDefinition} from '../../walker/contract.js';
import {BUILTIN_WALKERS} from '../../../walkers/index.js';
import type {CommandModule, Io} from '../command.js';

const WHAT = ['walkers', 'topologies', 'kernels', 'patches'] as const;
type What = (typeof WHAT)[number];

/** The guard history entry in effect at a kernel version (the last one at or before it). */
export function guardAt(walker: WalkerDefinition, kernel: string): GuardChange | undefined {
	const code = v(kernel).code;
	return walker.history.filter(change => v(change.since).code <= code).at(-1);
}

/** Word-wrap `text` to `width` columns: the first line indented by `first`, the others by `indent` spaces. */
export function wrap(text: string, width: number, indent: number, first = indent): string {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(/\s+/).filter(Boolean)) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = ' '.repeat(indent) + word;
		} else {
			line = line ? `${line} ${word}` : ' '.repeat(lines.length === 0 ? first : indent) + word;
		}
	}

	if (line.trim()) {
		lines.push(line);
	}

	return lines.join('\n');
}

function listWalkers(kernel: string | undefined) {
	return BUILTIN_WALKERS.map(walker => {
		const guard = kernel ? guardAt(walker, kernel) : walker.history.at(-1);
		return {
			name: walker.name,
			models: walker.models,
			reachability: walker.reachability,
			guard: guard?.guard ?? '(not present)',
			since: guard?.since ?? null,
			history: walker.history.map(change => ({since: change.since, guard: change.guard, commits: change.commits ?? []})),
		};
	});
}

function listTopologies() {
	return listBuiltinTopologies().map(entry => {
		const topology = loadTopologyFile(entry.file);
		return {
			name: topology.name,
			arch: topology.arch,
			kernel: topology.kernel,
			file: path.relative(PACKAGE_ROOT, entry.file),
			description: topology.description,
		};
	});
}

function listKernels() {
	return KERNEL_VERSIONS.map(label => {
		const kernel = v(label);
		const walkerChanges = BUILTIN_WALKERS.flatMap(walker =>
			walker.history
				.filter((change, index) => index > 0 && change.since === label)
				.map(change => ({walker: walker.name, guard: change.guard, commits: change.commits ?? []})),
		);
		return {
			kernel: label,
			model: changesIntroducedIn(kernel).map(change => ({what: change.what, source: change.source, commits: change.commits, arches: change.arches ?? null})),
			walkers: walkerChanges,
		};
	});
}

function render(what: What, kernel: string | undefined): string {
	const out: string[] = [];
	switch (what) {
		case 'walkers': {
			out.push(kernel ? `Built-in walkers, guards in effect at v${kernel}:` : 'Built-in walkers, latest guards (use --kernel X.Y for another version):', '');
			for (const walker of listWalkers(kernel)) {
				out.push(`${walker.name}  [${walker.reachability}]`, wrap(walker.models, 78, 4), wrap(`guard: ${walker.guard}${walker.since ? ` (since v${walker.since})` : ''}`, 78, 4), '');
			}

			break;
		}

		case 'topologies': {
			for (const topology of listTopologies()) {
				out.push(`${topology.name}  (${topology.arch}, v${topology.kernel}, ${topology.file})`, wrap(topology.description, 78, 4), '');
			}

			break;
		}

		case 'kernels': {
			out.push('Modelled mainline releases and what changes at each (model; walker guards):', '');
			for (const entry of listKernels()) {
				out.push(`v${entry.kernel}`);
				for (const change of entry.model) {
					const commit = change.commits[0]?.id ? ` (${change.commits[0].id})` : '';
					out.push(wrap(`- ${change.what}${commit}${change.arches ? ` [${change.arches.join(', ')}]` : ''}`, 78, 6, 4));
				}

				for (const change of entry.walkers) {
					const commit = change.commits[0]?.id ? ` (${change.commits[0].id})` : '';
					out.push(wrap(`- ${change.walker}: ${change.guard}${commit}`, 78, 6, 4));
				}
			}

			break;
		}

		case 'patches': {
			for (const patch of PATCHES) {
				out.push(`${patch.name}  [${patch.arches.join(', ')}]`, wrap(patch.summary, 78, 4), wrap(`source: ${patch.source}`, 78, 4), '');
			}

			break;
		}
	}

	return `${out.join('\n').trimEnd()}\n`;
}

function collect(what: What, kernel: string | undefined): unknown {
	switch (what) {
		case 'walkers': {
			return listWalkers(kernel);
		}

		case 'topologies': {
			return listTopologies();
		}

		case 'kernels': {
			return listKernels();
		}

		case 'patches': {
			return PATCHES;
		}
	}
}

export const listCommand: CommandModule = {
	command: 'list <what>',
	describe: 'list walkers, topologies, kernels or patches',
	builder: y =>
		y
			.positional('what', {type: 'string', choices: WHAT, describe: 'what to list'})
			.option('kernel', {type: 'string', describe: 'with walkers: show the guard in effect at this version (X.Y)'})
			.option('format', {type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'output format'})
			.example('$0 list walkers --kernel 5.3', 'guards as they were before the v5.4 fixes')
			.example('$0 list kernels', 'what the model changes at each release'),
	async run(args, io: Io) {
		const what = args.what as What;
		const kernel = args.kernel as string | undefined;
		if (kernel !== undefined && !parseKernelVersion(kernel)) {
			throw new InputError(`--kernel ${kernel} is not a modelled mainline release; use one of ${KERNEL_VERSIONS[0]}…${KERNEL_VERSIONS.at(-1)} (pfnaudit list kernels)`);
		}

		io.stdout.write(args.format === 'json' ? `${JSON.stringify(collect(what, kernel), null, 2)}\n` : render(what, kernel));
		return 0;
	},
};

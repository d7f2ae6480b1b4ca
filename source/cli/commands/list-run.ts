/**
`pfnaudit list walkers|topologies|kernels|patches` (README.md, Commands), loaded by run() of ./list.ts: what
is available, as text for a terminal (≤ 80 columns) or JSON for scripts.
*/
import path from 'node:path';
import {changesIntroducedIn} from '../../kernel/changes.js';
import {KERNEL_VERSIONS, v} from '../../kernel/version.js';
import {ARCHES} from '../../model/geometry.js';
import {PATCHES, type PatchInfo, patchProblem} from '../../model/patches.js';
import {PACKAGE_ROOT} from '../../paths.js';
import type {GuardChange, WalkerDefinition} from '../../walker/contract.js';
import {checkKernelFlag} from '../audit-args.js';
import type {Io} from '../command.js';
import {singleValue} from '../usage-errors.js';
import type {What} from './list.js';


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

/** What a listing reads besides the kernel and patch tables, loaded for the listings that need it. */
type Catalog = {
	readonly walkers: readonly WalkerDefinition[];
	readonly topologies: ReadonlyArray<{name: string; arch: string; kernel: string; file: string; description: string}>;
};

/** The walker catalog for walkers and kernels, the built-in topologies (parsed) for topologies; nothing else. */
async function loadCatalog(what: What): Promise<Catalog> {
	const walkers = what === 'walkers' || what === 'kernels' ? (await import('../../../walkers/index.js')).BUILTIN_WALKERS : [];
	const topologies = what === 'topologies' ? await listTopologies() : [];
	return {walkers, topologies};
}

function listWalkers(catalog: Catalog, kernel: string | undefined) {
	return catalog.walkers.map(walker => {
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

async function listTopologies() {
	const [{listBuiltinTopologies}, {loadTopologyFile}] = await Promise.all([import('../../topology/builtin.js'), import('../../topology/load.js')]);
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

function listKernels(catalog: Catalog) {
	return KERNEL_VERSIONS.map(label => {
		const kernel = v(label);
		const walkerChanges = catalog.walkers.flatMap(walker =>
			walker.history
				.filter((change, index) => index > 0 && change.since === label)
				.map(change => ({walker: walker.name, guard: change.guard, commits: change.commits ?? []})),
		);
		return {
			kernel: label,
			model: changesIntroducedIn(kernel).map(change => ({
				what: change.what,
				source: change.source,
				commits: change.commits,
				arches: change.arches ?? null,
				backport: change.backport ?? null,
			})),
			walkers: walkerChanges,
		};
	});
}

/** The patches, all or (with --kernel) those that apply to that release on some arch. */
function listPatches(kernel: string | undefined): PatchInfo[] {
	if (kernel === undefined) {
		return [...PATCHES];
	}

	const version = v(kernel);
	return PATCHES.filter(patch => patch.arches.some(arch => patchProblem(patch, arch, version) === undefined));
}

function archesText(patch: PatchInfo): string {
	return patch.arches.length === ARCHES.length ? 'all arches' : patch.arches.join(', ');
}

function versionsText(patch: PatchInfo): string {
	if (!patch.versions) {
		return 'every release';
	}

	return patch.versions.from === patch.versions.to ? `v${patch.versions.from}` : `v${patch.versions.from}-v${patch.versions.to}`;
}

const PATCH_KIND_TITLES: Record<PatchInfo['kind'], string> = {
	'what-if': 'What-if patches (postings that never shipped in this form):',
	backport: 'Stable backports (a mainline commit applied to the releases before it):',
	preset: 'Stable trees (presets naming the backports each carries):',
};

/** `list patches` text: grouped by kind, each with where it applies and its evidence. */
function renderPatches(kernel: string | undefined): string[] {
	const out: string[] = [];
	const patches = listPatches(kernel);
	if (kernel !== undefined) {
		out.push(`Patches that apply at v${kernel}:`, '');
	}

	for (const kind of ['what-if', 'backport', 'preset'] as const) {
		const group = patches.filter(patch => patch.kind === kind);
		if (group.length === 0) {
			continue;
		}

		out.push(PATCH_KIND_TITLES[kind], '');
		for (const patch of group) {
			out.push(wrap(`${patch.name} [${versionsText(patch)}; ${archesText(patch)}]`, 78, 4, 0));
			if (patch.commit) {
				out.push(wrap(`${patch.commit.id} "${patch.commit.subject}" (mainline v${patch.commit.release})`, 78, 4));
			}

			if (patch.companions && patch.companions.length > 0) {
				out.push(wrap(`with: ${patch.companions.map(commit => commit.id ?? `"${commit.subject}"`).join(', ')}`, 78, 6, 4));
			}

			out.push(wrap(patch.summary, 78, 4));
			if (patch.implies && patch.implies.length > 0) {
				out.push(wrap(`implies: ${patch.implies.join(', ')}`, 78, 6, 4));
			}

			out.push(wrap(`applies in: ${patch.applies_in.join(', ')}`, 78, 4), wrap(`source: ${patch.source}`, 78, 6, 4), '');
		}
	}

	return out;
}

function render(catalog: Catalog, what: What, kernel: string | undefined): string {
	const out: string[] = [];
	switch (what) {
		case 'walkers': {
			out.push(kernel ? `Built-in walkers, guards in effect at v${kernel}:` : 'Built-in walkers, latest guards (use --kernel X.Y for another version):', '');
			for (const walker of listWalkers(catalog, kernel)) {
				out.push(`${walker.name}  [${walker.reachability}]`, wrap(walker.models, 78, 4), wrap(`guard: ${walker.guard}${walker.since ? ` (since v${walker.since})` : ''}`, 78, 4), '');
			}

			break;
		}

		case 'topologies': {
			for (const topology of catalog.topologies) {
				out.push(`${topology.name}  (${topology.arch}, v${topology.kernel}, ${topology.file})`, wrap(topology.description, 78, 4), '');
			}

			break;
		}

		case 'kernels': {
			out.push('Modelled mainline releases and what changes at each (model; walker guards):', '');
			for (const entry of listKernels(catalog)) {
				out.push(`v${entry.kernel}`);
				for (const change of entry.model) {
					const commit = change.commits[0]?.id ? ` (${change.commits[0].id})` : '';
					const backport = change.backport ? ` (earlier with ${change.backport})` : '';
					out.push(wrap(`- ${change.what}${commit}${change.arches ? ` [${change.arches.join(', ')}]` : ''}${backport}`, 78, 6, 4));
				}

				for (const change of entry.walkers) {
					const commit = change.commits[0]?.id ? ` (${change.commits[0].id})` : '';
					out.push(wrap(`- ${change.walker}: ${change.guard}${commit}`, 78, 6, 4));
				}
			}

			break;
		}

		case 'patches': {
			out.push(...renderPatches(kernel));
			break;
		}
	}

	return `${out.join('\n').trimEnd()}\n`;
}

function collect(catalog: Catalog, what: What, kernel: string | undefined): unknown {
	switch (what) {
		case 'walkers': {
			return listWalkers(catalog, kernel);
		}

		case 'topologies': {
			return catalog.topologies;
		}

		case 'kernels': {
			return listKernels(catalog);
		}

		case 'patches': {
			return listPatches(kernel);
		}
	}
}

export async function runList(args: Record<string, unknown>, io: Io): Promise<number> {
	const what = args.what as What;
	const kernel = singleValue(args, 'kernel');
	checkKernelFlag(kernel);
	const catalog = await loadCatalog(what);
	io.stdout.write(args.format === 'json' ? `${JSON.stringify(collect(catalog, what, kernel), null, 2)}\n` : render(catalog, what, kernel));
	return 0;
}

/**
`pfnaudit list walkers|topologies|kernels|patches` (README.md, Commands), loaded by run() of ./list.ts: what
is available, as text for a terminal (≤ 80 columns) or JSON for scripts.
*/
import path from 'node:path';
import {changesIntroducedIn} from '../../kernel/changes.js';
import {KERNEL_VERSIONS, NEWEST_KERNEL, v} from '../../kernel/version.js';
import {ARCHES} from '../../model/geometry.js';
import {findPatch, LTS_SERIES, PATCHES, type PatchInfo, patchProblem} from '../../model/patches.js';
import {STABLE_PRESETS} from '../../model/stable-patches.js';
import {PACKAGE_ROOT, TOPOLOGIES_DIR} from '../../paths.js';
import type {Model} from '../../model/types.js';
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
	/** For walkers: the names of the walkers that exist at the selected release (plan() is not null). */
	readonly present: ReadonlySet<string>;
	/** For walkers: the census of PFN walkers (source/walker/census.ts). */
	readonly census?: typeof import('../../walker/census.js');
};

/** The walker catalog for walkers and kernels, the built-in topologies (parsed) for topologies; nothing else. */
async function loadCatalog(what: What, kernel: string | undefined): Promise<Catalog> {
	const walkers = what === 'walkers' || what === 'kernels' ? (await import('../../../walkers/index.js')).BUILTIN_WALKERS : [];
	const topologies = what === 'topologies' ? await listTopologies() : [];
	const present = what === 'walkers' ? await presentWalkers(walkers, kernel ?? NEWEST_KERNEL) : new Set<string>();
	const census = what === 'walkers' ? await import('../../walker/census.js') : undefined;
	return {walkers, topologies, present, census};
}

/**
The walkers that exist at `kernel`: those whose plan() gives a form (not null, "absent") on a
model of that release with no memory. Whether a walker exists depends on the release only
(docs/writing-a-walker.md: null means "does not exist at that version"), so a plan decides it
before it looks at memory; one that reads memory first (and so throws here) exists. No topology
is parsed and no model built: `list` stays light (test/cli/lazy-load.test.ts).
*/
async function presentWalkers(walkers: readonly WalkerDefinition[], kernel: string): Promise<Set<string>> {
	const {geometryFor} = await import('../../model/geometry.js');
	const k = v(kernel);
	const geometry = geometryFor('x86_64', k);
	const phase = {id: 'final', step: 'final', label: 'end of replay'} as const;
	const model: Model = {
		topology: {name: 'list-walkers', arch: 'x86_64', kernel, memory: [], config: {}} as unknown as Model['topology'],
		kernel: k,
		patches: [],
		geometry,
		phase,
		phases: [phase],
		max_pfn: 0,
		min_low_pfn: 0,
		zones: [],
		nodes: [],
		pgmaps: [],
		runs: [],
		end_pfn: 0,
		entries: [],
		runAt(pfn: number): never {
			throw new Error(`no memory at pfn ${pfn}`);
		},
	};
	return new Set(
		walkers
			.filter(walker => {
				try {
					return walker.plan(model) !== null;
				} catch {
					return true;
				}
			})
			.map(walker => walker.name),
	);
}

/**
The subsystem a walker belongs to, from the file it models: the file itself for a file directly
in mm/ (mm/compaction, mm/memory-failure), else its directory (virt/kvm, fs/proc, mm/damon).
*/
export function subsystemOf(models: string): string {
	const file = models.slice(0, models.lastIndexOf(':'));
	const parts = file.split('/');
	if (parts.length === 2 && parts[0] === 'mm') {
		return file.replace(/\.[ch]$/, '');
	}

	return parts.slice(0, -1).join('/');
}

/**
The guard a walker has in the stable trees of an LTS series: for each stable-* preset of the
series, the backports it implies that change this walker (applies_in walker:<name>) bring the
form of their mainline release.
*/
function stableGuards(walker: WalkerDefinition, kernel: string): Array<{preset: string; backport: string; commit: string; guard: string}> {
	if (!LTS_SERIES.includes(kernel)) {
		return [];
	}

	const code = v(kernel).code;
	const out: Array<{preset: string; backport: string; commit: string; guard: string}> = [];
	for (const preset of STABLE_PRESETS) {
		if (!preset.versions || v(preset.versions.from).code > code || v(preset.versions.to).code < code) {
			continue;
		}

		for (const name of preset.implies ?? []) {
			const backport = findPatch(name);
			if (!backport?.commit || !backport.applies_in.includes(`walker:${walker.name}`) || v(backport.commit.release).code <= code) {
				continue;
			}

			const guard = guardAt(walker, backport.commit.release);
			if (guard) {
				out.push({preset: preset.name, backport: name, commit: backport.commit.id, guard: guard.guard});
			}
		}
	}

	return out;
}

function listWalkers(catalog: Catalog, kernel: string | undefined) {
	return catalog.walkers.map(walker => {
		const guard = kernel ? guardAt(walker, kernel) : walker.history.at(-1);
		return {
			name: walker.name,
			models: walker.models,
			subsystem: subsystemOf(walker.models),
			reachability: walker.reachability,
			guard: guard?.guard ?? '(not present)',
			since: guard?.since ?? null,
			/** Whether the walker exists at the selected release (the newest without --kernel). */
			present: catalog.present.has(walker.name),
			/** LTS series: the guard the stable trees' backports bring (empty elsewhere). */
			stable: kernel ? stableGuards(walker, kernel) : [],
			history: walker.history.map(change => ({since: change.since, guard: change.guard, commits: change.commits ?? []})),
		};
	});
}

/** The census line of `list walkers`: how many of the census's functions a walker file models. */
function censusLine(catalog: Catalog): string {
	const {CENSUS, CENSUS_TREE, splitModels} = catalog.census!;
	const modelled = new Set(catalog.walkers.map(walker => splitModels(walker.models).function));
	let byWalker = 0;
	let byExample = 0;
	for (const entry of CENSUS) {
		if (modelled.has(entry.function) || entry.walker) {
			byWalker++;
		} else if (entry.example) {
			byExample++;
		}
	}

	const example = byExample > 0 ? `, ${byExample} by a documented example walker` : '';
	return `Census of ${CENSUS_TREE}: ${CENSUS.length} PFN walkers, ${byWalker} modelled by a built-in walker${example}, ${CENSUS.length - byWalker - byExample} not yet.`;
}

/** The built-in topologies: from the build's manifest while it matches the files (topology/manifest.ts), else parsed. */
async function listTopologies() {
	const {readTopologyManifest} = await import('../../topology/manifest.js');
	const recorded = readTopologyManifest(TOPOLOGIES_DIR);
	if (recorded) {
		return recorded.map(({name, arch, kernel, base, description}) => ({name, arch, kernel, file: path.relative(PACKAGE_ROOT, path.join(TOPOLOGIES_DIR, base)), description}));
	}

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
				.map(change => ({
					walker: walker.name,
					guard: change.guard,
					commits: change.commits ?? [],
					confidence: change.confidence,
					unconfirmed: change.confidence === 'U',
					...(change.note === undefined ? {} : {note: change.note}),
				})),
		);
		return {
			kernel: label,
			model: changesIntroducedIn(kernel).map(change => ({
				what: change.what,
				source: change.source,
				commits: change.commits,
				arches: change.arches ?? null,
				backport: change.backport ?? null,
				confidence: change.confidence,
				unconfirmed: change.confidence === 'U',
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

/** `list walkers` text: a count at the release, the LTS caveat, the census, then the walkers by subsystem. */
function renderWalkers(catalog: Catalog, kernel: string | undefined): string[] {
	const release = kernel ?? NEWEST_KERNEL;
	const walkers = listWalkers(catalog, kernel);
	const subsystems = [...new Set(walkers.map(walker => walker.subsystem))].sort();
	const present = walkers.filter(walker => walker.present).length;
	const out = [
		wrap(
			`Built-in walkers: ${present} of ${walkers.length} exist at v${release}, in ${subsystems.length} subsystems; ${kernel ? `guards in effect at v${kernel}` : 'latest guards (use --kernel X.Y for another release)'}.`,
			78,
			0,
		),
	];
	const stable = walkers.filter(walker => walker.stable.length > 0);
	if (kernel && LTS_SERIES.includes(kernel)) {
		const presets = STABLE_PRESETS.filter(p => p.versions && v(p.versions.from).code <= v(kernel).code && v(p.versions.to).code >= v(kernel).code).map(p => p.name);
		const which =
			stable.length > 0
				? ` Its stable trees guard differently: ${stable.map(walker => walker.name).join(', ')} (shown below).`
				: '';
		const how = presets.length > 0 ? ` Audit a ${kernel}.y kernel with --patch ${presets.join(' or ')}.` : ` No stable-* preset models ${kernel}.y.`;
		out.push(wrap(`Note: v${kernel} is a long-term stable series and these are mainline v${kernel}'s guards.${which}${how}`, 78, 6, 0));
	}

	out.push(wrap(censusLine(catalog), 78, 0), '');
	for (const subsystem of subsystems) {
		const group = walkers.filter(walker => walker.subsystem === subsystem);
		out.push(`${subsystem}  (${group.filter(walker => walker.present).length} of ${group.length} at v${release})`);
		for (const walker of group) {
			out.push(
				`  ${walker.name}  [${walker.reachability}]${walker.present ? '' : `  absent at v${release}`}`,
				wrap(walker.models, 78, 6),
				wrap(`guard: ${walker.guard}${walker.since ? ` (since v${walker.since})` : ''}`, 78, 8, 6),
			);
			for (const s of walker.stable) {
				out.push(wrap(`${s.preset}: ${s.guard} (${s.backport})`, 78, 8, 6));
			}
		}

		out.push('');
	}

	return out;
}

function render(catalog: Catalog, what: What, kernel: string | undefined): string {
	const out: string[] = [];
	switch (what) {
		case 'walkers': {
			out.push(...renderWalkers(catalog, kernel));
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
					const unconfirmed = change.unconfirmed ? ' [release unconfirmed]' : '';
					out.push(wrap(`- ${change.what}${commit}${change.arches ? ` [${change.arches.join(', ')}]` : ''}${backport}${unconfirmed}`, 78, 6, 4));
				}

				for (const change of entry.walkers) {
					const commit = change.commits[0]?.id ? ` (${change.commits[0].id})` : '';
					const unconfirmed = change.unconfirmed ? ` [release unconfirmed${change.note ? `: ${change.note}` : ''}]` : '';
					out.push(wrap(`- ${change.walker}: ${change.guard}${commit}${unconfirmed}`, 78, 6, 4));
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
	const catalog = await loadCatalog(what, kernel);
	io.stdout.write(args.format === 'json' ? `${JSON.stringify(collect(catalog, what, kernel), null, 2)}\n` : render(catalog, what, kernel));
	return 0;
}

/**
The engine side of the real DashboardPort (real-port.ts): loading a request's topology and
walkers, starting runAudit in worker threads, explain, and the topology list.

The model is built once in the main thread for the header and the memory strip and handed to
runAudit, which would otherwise build the same model again (the workers receive it serialized).
For the drawn dashboard, loading is done in stages (read and check, build, start) that each give
the thread back to the screen first: the frame says what is being done and `q` is read between
stages. A stage itself still holds the thread (at 10 000 entries some hundreds of milliseconds).
*/
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {CORE_SCHEMA, load} from 'js-yaml';
import {parse} from 'yaml';
import {type AuditOptions, runAudit} from '../engine/audit.js';
import {DEFAULT_FAIL_SET} from '../engine/fail-on.js';
import type {AuditWalker} from '../engine/jobs.js';
import {buildAuditReport} from '../engine/report.js';
import {buildModel} from '../model/build.js';
import {renderExplainText} from '../model/explain-text.js';
import {explainPfn} from '../model/explain.js';
import type {CategoryId} from '../model/categories.js';
import type {Model} from '../model/types.js';
import {listBuiltinTopologies} from '../topology/builtin.js';
import {captureAt, readCaptureTarballs} from '../cli/read-topology.js';
import {importCapture} from '../import/index.js';
import {loadTopologyFile, parseTopology} from '../topology/load.js';
import type {Topology} from '../topology/types.js';
import {DEFAULT_WALKER_TIME_LIMIT_MS} from '../walker/isolate.js';
import {selectWalkers} from '../walker/select.js';
import {displayPath} from './format.js';
import type {AuditMeta, AuditRequest, AuditSession, ExplainRequest, LoadStage, StartOptions, TopologyInfo} from './port.js';
import {AuditCancelled, startEngineSession} from './real-session.js';

/**
Between two stages of loading a request for the drawn dashboard (StartOptions), the thread is given
back this long after React has rendered the new stage: longer than ink's throttle (maxFps 60:
17 ms), so the frame is written and a key (`q`) read before the next stage holds the thread
(reading and checking a 10 000-entry file, building its model: some hundreds of milliseconds each).
*/
export const STAGE_YIELD_MS = 25;

/**
Topology files from this size on (some 900 entries; a capture directory or tarball always) are
loaded with the thread given back between stages; smaller ones load in milliseconds.
*/
export const STAGED_BYTES = 64 * 1024;

/** Seams for tests; everything defaults to the real thing. */
export type RealEngineOptions = {
	readonly cwd: string;
	/** Passed to runAudit (tests: a small pool, a hand-made model module). */
	readonly audit?: Partial<Pick<AuditOptions, 'failOn' | 'phases' | 'workers' | 'timeLimitMs' | 'mode' | 'progressIntervalMs' | 'modelModule' | 'buildModel' | 'walkerOutput' | 'workerNice'>>;
	/** The built-in topologies; default: source/topology/builtin.ts. */
	readonly builtins?: () => ReadonlyArray<{readonly name: string; readonly file: string; readonly description: string}>;
};

/** A request made ready to run: validated topology, selected walkers, the final-phase model. */
export type PreparedAudit = {
	readonly topology: Topology;
	readonly walkers: readonly AuditWalker[];
	readonly model: Model;
	/** The patches the topology file itself names (`patches:`), applied or turned off by the request. */
	readonly filePatches: readonly string[];
	/** The file's own `kernel:` (what a topology switch runs at unless the user pinned a kernel). */
	readonly fileKernel?: string;
};

/**
The path to hand to loadTopologyFile: relative to the working directory when the file lies
inside it (reports then show the path the way a user types it), absolute otherwise.
*/
export function topologyPath(cwd: string, file: string): string {
	return displayPath(path.resolve(cwd, file), process.cwd());
}

/** The topology text of each capture directory the dashboard imported, by absolute path. */
const imported = new Map<string, string>();

/** The text as a plain value: js-yaml first (YAML 1.2 core schema, several times faster than `yaml` on a 10 000-entry file, issue 10), `yaml` for what js-yaml refuses. */
function plainValue(text: string): unknown {
	try {
		return load(text, {schema: CORE_SCHEMA});
	} catch {
		return parse(text) as unknown;
	}
}

/** `arch:`, `kernel:` and `patches:` of a topology file, read without validating it. */
export function peekTopology(file: string): {arch?: string; kernel?: string; patches: string[]} {
	try {
		const data = plainValue(imported.get(file) ?? readFileSync(file, 'utf8')) as Record<string, unknown> | null;
		const text = (key: string): string | undefined => (typeof data?.[key] === 'string' ? (data[key] as string).trim() : undefined);
		const arch = text('arch');
		const kernel = text('kernel');
		const patches = Array.isArray(data?.patches) ? data.patches.filter((item): item is string => typeof item === 'string') : [];
		return {...(arch ? {arch} : {}), ...(kernel ? {kernel} : {}), patches};
	} catch {
		return {patches: []};
	}
}

/** The header and memory-strip facts of a run, from the final-phase model (no walker has run yet). */
export function metaOf(model: Model, settings: {readonly failOn?: readonly CategoryId[]; readonly phases?: boolean} = {}): AuditMeta {
	const {tool, topology, arch, kernel, patches, notes, warnings, phases, fail_on, geometry, map} = buildAuditReport({
		model,
		// As runAudit decides them.
		phases: settings.phases ? model.phases.map(phase => phase.id) : [model.phase.id],
		failOn: settings.failOn ?? DEFAULT_FAIL_SET,
		walkers: [],
		elapsedMs: 0,
		mode: 'runs',
	});
	return {tool, topology, arch, kernel, patches, ...(notes ? {notes} : {}), ...(warnings ? {warnings} : {}), phases, fail_on, geometry, map};
}

export type RealEngine = {
	/** Load and check everything startAudit would (InputError on bad input), without starting. */
	prepare(request: AuditRequest): Promise<PreparedAudit>;
	startAudit(request: AuditRequest, options?: StartOptions): Promise<AuditSession>;
	explain(request: ExplainRequest): Promise<readonly string[]>;
	listTopologies(): Promise<readonly TopologyInfo[]>;
};

export function createRealEngine(options: RealEngineOptions): RealEngine {
	const {cwd} = options;
	const build = options.audit?.buildModel ?? buildModel;
	/** Files the user asked for that are not built-ins: the `t` chooser offers them too. */
	const named = new Map<string, TopologyInfo>();
	let builtins: TopologyInfo[] | undefined;

	const load = async (file: string, kernel: string | undefined, patches: readonly string[], dropPatches: readonly string[] = []): Promise<Topology> => {
		const shown = topologyPath(cwd, file);
		await readCaptureTarballs([file], cwd);
		const capture = captureAt(path.resolve(cwd, file), shown);
		if (capture) {
			// A capture directory or tarball (docs/capture-format.md), imported on the fly as audit does.
			const result = importCapture(capture, {...(kernel === undefined ? {} : {kernel}), file: shown, inPlaceOfTopology: statSync(path.resolve(cwd, file), {throwIfNoEntry: false})?.isDirectory() === true});
			imported.set(path.resolve(cwd, file), result.text);
			return parseTopology(result.text, shown, {...(kernel === undefined ? {} : {kernel}), patches, dropPatches});
		}

		return loadTopologyFile(shown, {...(kernel === undefined ? {} : {kernel}), patches, dropPatches});
	};

	async function prepare(request: AuditRequest, start: StartOptions = {}): Promise<PreparedAudit> {
		// A small file (the built-in topologies are a few KiB) loads in a few milliseconds: its
		// stages are told but not waited for, which would only delay its walk.
		const size = statSync(path.resolve(cwd, request.topologyFile), {throwIfNoEntry: false});
		const drawn = (start.onStage !== undefined || start.signal !== undefined) && (size === undefined ? false : !size.isFile() || size.size >= STAGED_BYTES);
		/** Tell the screen the next stage and let it draw it and read keys before that stage's work (which holds this thread). */
		const unlessAborted = (): void => {
			if (start.signal?.aborted) {
				throw new AuditCancelled();
			}
		};

		const stage = async (next: LoadStage): Promise<void> => {
			unlessAborted();
			start.onStage?.(next);
			unlessAborted();
			if (drawn) {
				// React renders the new stage in a setImmediate of its scheduler, queued before this one;
				// ink then writes the frame at once or, within 17 ms of the previous one, from a timer
				// that expires before this one.
				await new Promise(resolve => {
					setImmediate(resolve);
				});
				await new Promise(resolve => {
					setTimeout(resolve, STAGE_YIELD_MS);
				});
				unlessAborted();
			}
		};

		await stage({step: 'reading'});
		const topology = await load(request.topologyFile, request.kernel, request.patches, request.dropPatches);
		await stage({step: 'building', entries: topology.memory.length});
		// A user walker file is loaded in a worker of its own, within the dashboard's --timeout; what
		// it prints goes where the audit sends walker output (never onto the drawn screen).
		const walkers = await selectWalkers(request.walkers, cwd, {
			timeLimitMs: options.audit?.timeLimitMs ?? DEFAULT_WALKER_TIME_LIMIT_MS,
			...(options.audit?.walkerOutput ? {output: options.audit.walkerOutput} : {}),
		});
		const model = build(topology, {});
		await stage({step: 'starting'});
		const absolute = path.resolve(cwd, request.topologyFile);
		const own = peekTopology(absolute);
		named.set(absolute, {name: topology.name, file: absolute, description: topology.description, arch: topology.arch, kernel: own.kernel ?? topology.kernel});
		return {topology, walkers, model, filePatches: own.patches.filter(name => topology.patches.includes(name) || (request.dropPatches?.includes(name) ?? false) || request.patches.includes('none')), ...(own.kernel ? {fileKernel: own.kernel} : {})};
	}

	/** The last request checked by prepare(): the dashboard's first startAudit() reuses it. */
	let checked: {key: string; prepared: PreparedAudit} | undefined;
	return {
		async prepare(request) {
			const prepared = await prepare(request);
			checked = {key: JSON.stringify(request), prepared};
			return prepared;
		},
		async startAudit(request, start) {
			const reuse = checked?.key === JSON.stringify(request) ? checked.prepared : undefined;
			checked = undefined;
			const prepared = reuse ?? (await prepare(request, start));
			const {topology, walkers, model} = prepared;
			return startEngineSession(metaOf(model, options.audit), async ({signal, pause, onEvent}) =>
				runAudit({
					topology,
					walkers,
					signal,
					pause,
					onEvent,
					...options.audit,
					// The main thread's copy of the final-phase model is the one just built.
					buildModel: (t, modelOptions) => (t === topology && modelOptions?.phase === undefined ? model : build(t, modelOptions)),
				}),
				prepared.filePatches,
				prepared.fileKernel,
			);
		},
		async explain(request) {
			const model = build(await load(request.topologyFile, request.kernel, request.patches, request.dropPatches), request.phase === undefined || request.phase === 'final' ? {} : {phase: request.phase});
			return renderExplainText(explainPfn(model, request.pfn)).replace(/\n+$/, '').split('\n');
		},
		async listTopologies() {
			builtins ??= (options.builtins ?? listBuiltinTopologies)().map(item => {
				const {arch, kernel} = peekTopology(item.file);
				return {name: item.name, file: item.file, description: item.description, ...(arch ? {arch} : {}), ...(kernel ? {kernel} : {})};
			});
			const builtinFiles = new Set(builtins.map(item => item.file));
			return [...builtins, ...[...named.values()].filter(item => !builtinFiles.has(item.file))];
		},
	};
}

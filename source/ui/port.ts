/**
The dashboard's only door to the rest of pfnaudit. The UI (source/ui/) renders what comes through
this port and never computes a domain fact itself: categories, verdicts, failing marks, forms and
explanations all arrive as data. Two implementations exist:

- source/ui/real-port.ts: the engine, topology loader, explain and report renderers;
- test/ui/fake/: a scripted audit replayed over time, a test double for component and pty tests
  (the shipped program has only the real port).
*/
import type {AuditReport, EngineEvent} from '../engine/types.js';
import type {ReportFormat} from '../report/index.js';

/** What to audit: the CLI's `pfnaudit [topology] --kernel --patch --walker`. */
export type AuditRequest = {
	/** Topology file (absolute, or relative to the port's working directory). */
	readonly topologyFile: string;
	/** Semantics version "MAJOR.MINOR"; undefined = the topology's own `kernel:`. */
	readonly kernel?: string;
	/** What-if patches added to the topology's own `patches:`. */
	readonly patches: readonly string[];
	/** Patches of the topology's own `patches:` turned off (the `p` chooser). */
	readonly dropPatches?: readonly string[];
	/** Walker names or paths; undefined = every registered walker. */
	readonly walkers?: readonly string[];
};

/**
Everything the header and the memory map need before the first walker finishes: the audit report
without its per-walker results. The engine knows all of it once the model is built.
*/
export type AuditMeta = Pick<
	AuditReport,
	'tool' | 'topology' | 'arch' | 'kernel' | 'patches' | 'notes' | 'warnings' | 'phases' | 'fail_on' | 'geometry' | 'map'
>;

export type AuditListener = (event: EngineEvent) => void;

/**
Where the loading of a request is, for the screen drawn meanwhile: reading and checking the
topology file, building the model (of `entries` topology entries), starting the walkers.
*/
export type LoadStage = {readonly step: 'reading' | 'building' | 'starting'; readonly entries?: number};

export type StartOptions = {
	/** Told each stage before it begins. */
	readonly onStage?: (stage: LoadStage) => void;
	/**
	Abandon the loading (the dashboard quit, or another run was asked for): startAudit rejects
	with AuditCancelled at the next stage instead of building and starting what nobody will see.
	*/
	readonly signal?: AbortSignal;
};

/** One running audit. Events arrive by time (every 50–100 ms), never per pfn. */
export type AuditSession = {
	readonly meta: AuditMeta;
	/**
	The patches the topology file itself names (its `patches:`), as opposed to the request's, also
	those the request turns off (dropPatches). The patch chooser shows them as the file's: on
	unless turned off (`--patch none` on the command line). Undefined = none.
	*/
	readonly filePatches?: readonly string[];
	/**
	The topology file's own `kernel:`: the version a topology switch runs at unless the user
	pinned one. Undefined = not known.
	*/
	readonly fileKernel?: string;
	/** Subscribe; returns the unsubscribe function. Events emitted before subscribing are replayed. */
	onEvent(listener: AuditListener): () => void;
	/** Stop handing out work (workers finish their current chunk); idempotent. */
	pause(): void;
	resume(): void;
	/** Stop for good and release the workers. No event is delivered afterwards; `done` settles. */
	cancel(): void;
	/** The final report; rejects when the audit fails or is cancelled. */
	readonly done: Promise<AuditReport>;
};

export type TopologyInfo = {
	readonly name: string;
	readonly file: string;
	readonly description: string;
	/** The topology's arch, so the patch chooser can offer only patches that apply. */
	readonly arch?: string;
	/** The topology's own `kernel:`. */
	readonly kernel?: string;
};

export type PatchChoice = {
	readonly name: string;
	readonly summary: string;
	/** Architectures it applies to. */
	readonly arches: readonly string[];
	/**
	Why it cannot be applied at this arch and kernel ("applies to v5.10 only, not to v6.12"), or
	undefined when it can (source/model/patches.ts patchProblem()).
	*/
	readonly problem?: (arch: string, kernel: string) => string | undefined;
};

export type ExplainRequest = {
	readonly topologyFile: string;
	readonly kernel: string;
	readonly patches: readonly string[];
	/** As AuditRequest.dropPatches. */
	readonly dropPatches?: readonly string[];
	readonly pfn: number;
	/** Replay phase to explain at (a witness's `phase` under --phases); default the final state. */
	readonly phase?: string;
};

export type DashboardPort = {
	/**
	Check a request the way startAudit would (topology, kernel, patches, walkers) without
	starting it (InputError on bad input). Optional: a port without it is checked by startAudit only.
	*/
	check?(request: AuditRequest): Promise<void>;
	/**
	Load the topology, build the model and start the walkers. Rejects with an InputError (one
	sentence naming file:line:column) when the topology, kernel or a patch is bad.
	*/
	startAudit(request: AuditRequest, options?: StartOptions): Promise<AuditSession>;
	/** `pfnaudit explain` for one pfn, as the lines of its text form. */
	explain(request: ExplainRequest): Promise<readonly string[]>;
	/** Built-in topologies (and any the user named), for the `t` chooser. */
	listTopologies(): Promise<readonly TopologyInfo[]>;
	/** Mainline releases that can be modelled, oldest first. */
	readonly kernels: readonly string[];
	readonly patches: readonly PatchChoice[];
	readonly formats: readonly ReportFormat[];
	/** Whether `file` exists (resolved like exportReport resolves it): the UI asks before replacing. */
	fileExists(file: string): boolean;
	/** The absolute path exportReport would write `file` to (relative names: the working directory). */
	resolvePath(file: string): string;
	/**
	Render `report` in `format` and write it to `file`. Without `overwrite`, an existing file is
	never replaced (rejects with an InputError). Resolves to the absolute path written.
	*/
	exportReport(report: AuditReport, format: ReportFormat, file: string, options: {readonly overwrite: boolean}): Promise<string>;
};

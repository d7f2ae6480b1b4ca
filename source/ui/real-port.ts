/**
The real DashboardPort: the dashboard's view of the engine, the topology loader, explain and
the report renderers. Everything that does not need the engine is implemented here; the engine
side arrives as three functions (EngineBindings), wired in loadRealPort() — the one place to
change when the engine's entry points move.
*/
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {parse} from 'yaml';
import {InternalError} from '../errors/internal-error.js';
import {KERNEL_VERSIONS} from '../kernel/version.js';
import {PATCHES} from '../model/patches.js';
import {TOPOLOGIES_DIR} from '../paths.js';
import {REPORT_FORMATS, renderReport} from '../report/index.js';
import {writeOutput} from '../report/output.js';
import type {AuditRequest, AuditSession, DashboardPort, ExplainRequest, TopologyInfo} from './port.js';

/** What the dashboard needs from the engine and explain. */
export type EngineBindings = {
	/** Load + validate the topology (InputError on bad input), build the model, start the workers. */
	startAudit(request: AuditRequest): Promise<AuditSession>;
	/** The text form of `pfnaudit explain <topology> <pfn>`, as lines. */
	explain(request: ExplainRequest): Promise<readonly string[]>;
	/** Defaults to reading name/description/arch/kernel of topologies/*.yaml|json. */
	listTopologies?(): Promise<readonly TopologyInfo[]>;
};

/** Name, description, arch and kernel of the built-in topologies; unreadable files are skipped. */
export function listBuiltinTopologies(directory = TOPOLOGIES_DIR): TopologyInfo[] {
	if (!existsSync(directory)) {
		return [];
	}

	const found: TopologyInfo[] = [];
	for (const entry of readdirSync(directory).sort()) {
		if (!/\.(ya?ml|json)$/.test(entry)) {
			continue;
		}

		const file = path.join(directory, entry);
		try {
			const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown> | null;
			const text = (key: string): string | undefined => (typeof data?.[key] === 'string' ? (data[key] as string).trim() : undefined);
			found.push({
				name: text('name') ?? entry,
				file,
				description: text('description') ?? '',
				...(text('arch') ? {arch: text('arch')!} : {}),
				...(text('kernel') ? {kernel: text('kernel')!} : {}),
			});
		} catch {
			// A broken built-in shows up as an InputError when chosen; the list stays usable.
		}
	}

	return found;
}

export function createDashboardPort(engine: EngineBindings, cwd: string): DashboardPort {
	const resolve = (file: string): string => path.resolve(cwd, file);
	return {
		startAudit: async request => engine.startAudit(request),
		explain: async request => engine.explain(request),
		listTopologies: async () => (engine.listTopologies ? engine.listTopologies() : listBuiltinTopologies()),
		kernels: KERNEL_VERSIONS,
		patches: PATCHES.map(patch => ({name: patch.name, summary: patch.summary, arches: patch.arches})),
		formats: REPORT_FORMATS,
		fileExists: file => existsSync(resolve(file)),
		async exportReport(report, format, file, {overwrite}) {
			const target = resolve(file);
			writeOutput(target, renderReport(report, format, {columns: 80}), {force: overwrite});
			return target;
		},
	};
}

/**
The single wiring point between the dashboard and the engine. The engine and explain are built in
parallel with the dashboard; at merge, import their entry points here and return
`createDashboardPort({startAudit, explain}, cwd)`.
*/
export async function loadRealPort(_cwd: string): Promise<DashboardPort> {
	throw new InternalError('the dashboard is not wired to the engine in this build; run with PFNAUDIT_FAKE=1 for the scripted demo, or use `pfnaudit audit`');
}

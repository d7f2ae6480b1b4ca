/**
The real DashboardPort: the dashboard's view of the engine, the topology loader, explain and
the report renderers. Everything that does not need the engine is implemented here; the engine
side arrives as EngineBindings (real-engine.ts), wired in loadRealPort().
*/
import {existsSync} from 'node:fs';
import path from 'node:path';
import {KERNEL_VERSIONS} from '../kernel/version.js';
import {patchChoices} from './patch-choices.js';
import {REPORT_FORMATS, renderReport} from '../report/index.js';
import {writeOutput} from '../report/output.js';
import type {AuditRequest, AuditSession, DashboardPort, ExplainRequest, StartOptions, TopologyInfo} from './port.js';
import type {RealEngineOptions} from './real-engine.js';

/** What the dashboard needs from the engine and explain. */
export type EngineBindings = {
	/** Load + validate the topology (InputError on bad input), build the model, start the workers. */
	startAudit(request: AuditRequest, options?: StartOptions): Promise<AuditSession>;
	/** The text form of `pfnaudit explain <topology> <pfn>`, as lines. */
	explain(request: ExplainRequest): Promise<readonly string[]>;
	/** The topologies the `t` chooser offers. */
	listTopologies(): Promise<readonly TopologyInfo[]>;
	/** Validate a request without starting it (DashboardPort.check). */
	prepare?(request: AuditRequest): Promise<unknown>;
};

export function createDashboardPort(engine: EngineBindings, cwd: string): DashboardPort {
	const resolve = (file: string): string => path.resolve(cwd, file);
	return {
		...(engine.prepare
			? {
					async check(request: AuditRequest) {
						await engine.prepare!(request);
					},
				}
			: {}),
		startAudit: async (request, options) => engine.startAudit(request, options),
		explain: async request => engine.explain(request),
		listTopologies: async () => engine.listTopologies(),
		kernels: KERNEL_VERSIONS,
		patches: patchChoices(),
		formats: REPORT_FORMATS,
		fileExists: file => existsSync(resolve(file)),
		resolvePath: resolve,
		async exportReport(report, format, file, {overwrite}) {
			const target = resolve(file);
			writeOutput(target, renderReport(report, format, {columns: 80}), {force: overwrite});
			return target;
		},
	};
}

/**
The dashboard over the real engine: audits in worker threads, explain over the model, the
built-in topologies. `options` are test seams (a small pool, a hand-made model module). The
engine is imported here, not at the top: the test double (test/ui/fake/index.ts) shares
createDashboardPort() without loading the engine.
*/
export async function loadRealPort(cwd: string, options: Omit<RealEngineOptions, 'cwd'> = {}): Promise<DashboardPort> {
	const {createRealEngine} = await import('./real-engine.js');
	return createDashboardPort(createRealEngine({cwd, ...options}), cwd);
}

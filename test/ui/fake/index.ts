/**
The fake DashboardPort: a scripted, realistic-looking audit replayed over time (x86_64 showcase
and two more topologies, 23 walkers with counts growing at 10 Hz, witnesses, one user walker that
throws, forms and counts that change with the kernel version and the arm64 what-if patch).
Used by the dashboard tests and by `PFNAUDIT_FAKE=1 pfnaudit` for manual runs. The scripted
engine is plugged into the real port's createDashboardPort(), so kernels, patches, formats and
exports (the real report renderers and writeOutput: "never overwrite silently" is the real rule)
are the real port's.
*/
import path from 'node:path';
import {InputError} from '../../../source/errors/input-error.js';
import {NEWEST_KERNEL, OLDEST_KERNEL, parseKernelVersion} from '../../../source/kernel/version.js';
import {PATCHES} from '../../../source/model/patches.js';
import {TOPOLOGIES_DIR} from '../../../source/paths.js';
import type {AuditRequest, DashboardPort} from '../../../source/ui/port.js';
import {createDashboardPort} from '../../../source/ui/real-port.js';
import {fakeExplain} from './explain.js';
import {FAKE_SCENARIOS, findScenario, scenarioMeta} from './scenarios.js';
import {planWalker} from './script.js';
import {startFakeSession} from './session.js';
import {FAKE_WALKERS} from './walkers.js';

export type FakePortOptions = {
	/** Directory relative export paths resolve against. */
	readonly cwd: string;
	/** Replay speed; 1 = a showcase audit takes about 12 s. */
	readonly speed?: number;
};

export function createFakePort(options: FakePortOptions): DashboardPort {
	const speed = options.speed ?? 1;
	const scenarioFor = (file: string) => {
		const scenario = findScenario(file);
		if (!scenario) {
			throw new InputError(`no scripted topology named ${path.basename(file)} in the fake port; use one of ${FAKE_SCENARIOS.map(item => item.file).join(', ')}`, {file});
		}

		return scenario;
	};

	const validate = (request: AuditRequest) => {
		const scenario = scenarioFor(request.topologyFile);
		const kernel = request.kernel ?? scenario.kernel;
		if (!parseKernelVersion(kernel)) {
			throw new InputError(`unknown kernel version ${JSON.stringify(kernel)}; pfnaudit models ${OLDEST_KERNEL} to ${NEWEST_KERNEL} ("pfnaudit list kernels")`);
		}

		for (const name of request.patches) {
			const patch = PATCHES.find(item => item.name === name);
			if (!patch) {
				throw new InputError(`unknown patch ${JSON.stringify(name)}; "pfnaudit list patches" shows the known ones`);
			}

			if (!(patch.arches as readonly string[]).includes(scenario.arch)) {
				throw new InputError(`patch ${name} applies to ${patch.arches.join(', ')}, not to ${scenario.arch}; drop it or choose another topology`);
			}
		}

		const wanted = request.walkers;
		const walkers = wanted === undefined ? FAKE_WALKERS : FAKE_WALKERS.filter(walker => wanted.includes(walker.name));
		const unknown = wanted?.filter(name => !FAKE_WALKERS.some(walker => walker.name === name)) ?? [];
		if (unknown.length > 0) {
			throw new InputError(`unknown walker ${JSON.stringify(unknown[0])}; "pfnaudit list walkers" shows the registered ones`);
		}

		return {scenario, kernel, walkers};
	};

	return createDashboardPort(
		{
			async prepare(request) {
				validate(request);
			},
			async startAudit(request) {
				const {scenario, kernel, walkers} = validate(request);
				const meta = scenarioMeta(scenario, request.topologyFile, kernel, request.patches);
				return startFakeSession(
					meta,
					walkers.map(walker => planWalker(walker, scenario, meta)),
					{speed},
				);
			},
			async explain(request) {
				const scenario = scenarioFor(request.topologyFile);
				return fakeExplain(scenario, scenarioMeta(scenario, request.topologyFile, request.kernel, request.patches), request.pfn);
			},
			async listTopologies() {
				return FAKE_SCENARIOS.map(scenario => ({
					name: scenario.name,
					file: path.join(TOPOLOGIES_DIR, scenario.file),
					description: scenario.description,
					arch: scenario.arch,
					kernel: scenario.kernel,
				}));
			},
		},
		options.cwd,
	);
}

import {readdirSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {isInputError} from '../../source/errors/input-error.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {Topology} from '../../source/topology/types.js';
import {builtinWalkerFile, builtinWalkers} from '../../source/walker/registry.js';

// A test that audits every shipped topology end to end (runAudit, in-process, runs mode, every
// built-in walker) at its own kernel with every phase of its replay, and at the releases where
// the walkers change most — 4.13, 5.3, 5.4, 5.11, 5.12, 6.1, 6.12 — at the final phase, wherever
// the topology loads at that release (an arm64 hotplug entry before v5.0, a section-unaligned
// namespace before v5.3, a coherent device before v6.0 do not: the loader says why).
//
// Expect no walker to end threw, malformed, timeout or cancelled, and most combinations to load.

const KERNELS = ['4.13', '5.3', '5.4', '5.11', '5.12', '6.1', '6.12'] as const;
const FILES = readdirSync(TOPOLOGIES_DIR)
	.filter(file => file.endsWith('.yaml'))
	.sort();

const walkers = builtinWalkers().map(definition => ({
	definition,
	source: {kind: 'builtin', name: definition.name} as const,
	file: builtinWalkerFile(definition.name),
	builtin: true,
}));

/** The topology at `kernel` (undefined: its own), or undefined when it does not load there. */
function load(file: string, kernel: string | undefined): Topology | undefined {
	try {
		return loadTopologyFile(path.join(TOPOLOGIES_DIR, file), kernel === undefined ? {} : {kernel});
	} catch (error) {
		if (isInputError(error)) {
			return undefined;
		}

		throw error;
	}
}

async function broken(topology: Topology, phases: boolean): Promise<string[]> {
	const report = await runAudit({topology, walkers, runner: 'in-process', phases});
	return report.walkers.filter(w => w.status !== 'ok' && w.status !== 'absent').map(w => `${w.name}: ${w.status}: ${w.error ?? ''}`);
}

describe('every shipped topology, audited end to end', () => {
	it('has topologies to audit', () => {
		expect(FILES.length).toBeGreaterThanOrEqual(15);
	});

	it.each(FILES)('%s: no walker fails at its own kernel, at any phase', async file => {
		const topology = load(file, undefined);
		expect(topology).toBeDefined();
		expect(await broken(topology!, true)).toEqual([]);
	}, 120_000);

	it.each(FILES)('%s: no walker fails at 4.13, 5.3, 5.4, 5.11, 5.12, 6.1 and 6.12 where it loads', async file => {
		const failures: string[] = [];
		let loaded = 0;
		for (const kernel of KERNELS) {
			const topology = load(file, kernel);
			if (topology === undefined) {
				continue;
			}

			loaded++;
			// eslint-disable-next-line no-await-in-loop
			failures.push(...(await broken(topology, false)).map(line => `v${kernel}: ${line}`));
		}

		// 6.12 is the newest release every shipped topology is written for.
		expect(loaded).toBeGreaterThanOrEqual(1);
		expect(failures).toEqual([]);
	}, 120_000);
});

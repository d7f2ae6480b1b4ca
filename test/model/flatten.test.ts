/**
Strings the audit keeps for the whole walk are made flat where they are made (issue 10: memory at
scale). A template literal of parts is a rope in V8 (a ConsString that keeps its parts alive); the
24 000 warnings of a 100 000-entry topology were 18.9 MiB as ropes and 10.4 MiB flat, and the
136 000 state reasons, flattened all at once when the model was laid out for the workers, took the
audit's thread 25-30 MiB more heap at its peak. flatten() (source/model/packed-strings.ts) is
watched here: whether a string is a rope is not visible to JavaScript.
*/
import {describe, expect, it, vi} from 'vitest';

const flattened: string[] = [];
vi.mock('../../source/model/packed-strings.js', async original => {
	const real = await original<typeof import('../../source/model/packed-strings.js')>();
	return {
		...real,
		flatten(text: string) {
			flattened.push(text);
			real.flatten(text);
		},
	};
});

const {parseTopology} = await import('../../source/topology/load.js');
const {buildModel} = await import('../../source/model/build.js');

// One x86_64 boot bank, [0, 0x40000), with config.dma_limit, which only arm64 reads: one warning.
const TEXT = `name: flat
arch: x86_64
kernel: "6.12"
config:
  dma_limit: 0x40000000
memory:
  - {kind: boot, start: 0x0, size: 1G}
`;

describe('strings kept through the walk are flat from the start', () => {
	// A test that reads a topology with one warning. Expect its message flattened when it is recorded
	// (source/topology/context.ts warn()), before the model is built.
	it('flattens a warning when it is recorded', () => {
		flattened.length = 0;
		const topology = parseTopology(TEXT, 'flat.yaml');
		expect(topology.warnings.map(warning => warning.message)).toEqual([expect.stringContaining('config.dma_limit')]);
		expect(flattened).toEqual(topology.warnings.map(warning => warning.message));
	});

	// The same topology built. Expect the reason of every distinct state flattened once, when the
	// state is first seen (source/model/runs.ts computeRuns()), and no other reason.
	it("flattens each distinct state's reason once", () => {
		const topology = parseTopology(TEXT, 'flat.yaml');
		flattened.length = 0;
		const model = buildModel(topology);
		const reasons = [...new Set(model.runs.map(run => run.state))].map(state => state.reason);
		expect(reasons.length).toBeGreaterThan(1);
		expect(flattened.sort()).toEqual(reasons.sort());
	});
});

import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Readable, Writable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import {runHeadlessAudit} from '../../source/cli/headless.js';
import {collectIfLarge} from '../../source/engine/collect.js';
import {parseTopology} from '../../source/topology/load.js';
import type {Topology} from '../../source/topology/types.js';

/** A terminal's stderr (the progress line is drawn) that runs `onWrite` at each write. */
class Terminal extends Writable {
	readonly isTTY = true;
	constructor(private readonly onWrite: () => void) {
		super();
	}

	override _write(_chunk: Buffer, _encoding: string, callback: () => void): void {
		this.onWrite();
		callback();
	}
}

describe('pfnaudit audit, while the walk runs', () => {
	// A test of the headless audit of a generated 1 000-entry topology with two built-in walkers in
	// one worker, its stderr a terminal: the progress line is drawn at the start event (before the
	// model is laid out) and then while the walk runs. The topology the parser returned is watched
	// through a WeakRef, and this thread's heap collected at each later write. Expect the topology
	// collected by the first of them, and exit 0 or 1 (a report): neither the command nor the
	// audit holds the topology once the workers have the model (issue 10: at 100 000 entries some
	// 50 MiB of the audit's thread).
	it('holds no reference to the topology it read', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-handover-'));
		const file = path.join(dir, 'gen-1000.yaml');
		writeFileSync(file, generateTopology(1000).yaml);
		let watch: WeakRef<Topology> | undefined;
		let writes = 0;
		let alive: boolean | undefined;
		const stderr = new Terminal(() => {
			writes++;
			if (writes === 2) {
				collectIfLarge(0);
				alive = watch!.deref() !== undefined;
			}
		});
		const stdout = new Writable({
			write(_chunk, _encoding, callback) {
				callback();
			},
		});
		const code = await runHeadlessAudit(
			{topologies: [file], walkers: ['kpageflags_read', 'memory_failure'], jobs: 1, format: 'json'},
			{stdout, stderr, stdin: Readable.from([]), env: {}, cwd: dir},
			{
				parseTopology(text, name, options) {
					const topology = parseTopology(text, name, options);
					watch = new WeakRef(topology);
					return topology;
				},
				audit: {progressIntervalMs: 5},
			},
		);
		expect([0, 1]).toContain(code);
		expect(writes).toBeGreaterThanOrEqual(2);
		expect(alive).toBe(false);
	});
});

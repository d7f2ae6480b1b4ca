import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {EngineEvent} from '../../source/engine/types.js';
import {selectWalkers} from '../../source/walker/select.js';
import {MiB, topology} from '../helpers/topology.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;

// One boot bank, [0, 0x8000): ok_walker reads page->flags of each pfn, far quicker than the
// 10 s progress interval of this test.
const t = topology({name: 'start'}).boot(0, 128 * MiB).build();

describe('the worker pool tells when a walker starts', () => {
	// A test of a walker that ends before its first progress interval. Expect a progress event
	// with nothing counted yet as soon as its worker starts it (a dashboard shows it running, not
	// queued), then its result.
	it('emits an empty progress event when a job starts', async () => {
		const walkers = await selectWalkers([path.join(here, 'fixtures', 'ok_walker.ts')], process.cwd());
		const events: EngineEvent[] = [];
		await runAudit({topology: t, walkers, modelModule, workers: 1, progressIntervalMs: 10_000, onEvent: event => events.push(event)});
		expect(events.map(event => event.type)).toEqual(['start', 'progress', 'walker-done', 'done']);
		expect(events[1]).toMatchObject({type: 'progress', walker: 'ok_walker', pfns_visited: 0, fraction: 0, witnesses: []});
	});
});

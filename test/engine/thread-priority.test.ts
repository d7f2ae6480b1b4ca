import {readdirSync, readFileSync} from 'node:fs';
import {Worker} from 'node:worker_threads';
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import {selectWalkers} from '../../source/walker/select.js';
import {MiB, topology} from '../helpers/topology.js';

/** The nice value of each thread of this process (/proc/self/task/TID/stat, field 19), by thread id. */
function threadNices(): Map<number, number> {
	const nices = new Map<number, number>();
	for (const tid of readdirSync('/proc/self/task')) {
		try {
			const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
			// Fields after the command name (which may hold spaces) start at state, field 3.
			nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
		} catch {
			// The thread ended meanwhile.
		}
	}

	return nices;
}

const linux = process.platform === 'linux';

describe.runIf(linux)('the priority of the audit\'s worker threads', () => {
	// A test of niceThisThread() in a worker thread of this process. Expect that thread at nice 7,
	// found by the id it reports, and this (the main) thread at the nice it had.
	it('lowers the calling worker thread and not the main thread', async () => {
		const before = threadNices().get(process.pid);
		const url = new URL('../../source/engine/thread-priority.ts', import.meta.url).href;
		const worker = new Worker(
			`const {register} = await import('tsx/esm/api'); register();
			const {currentThreadId, niceThisThread} = await import(${JSON.stringify(url)});
			const {parentPort} = await import('node:worker_threads');
			parentPort.postMessage({tid: currentThreadId(), set: niceThisThread(7)});
			parentPort.once('message', () => process.exit(0));`,
			{eval: true, type: 'module'} as ConstructorParameters<typeof Worker>[1],
		);
		try {
			const reply = await new Promise<{tid: number; set: boolean}>((resolve, reject) => {
				worker.once('message', resolve);
				worker.once('error', reject);
			});
			expect(reply.set).toBe(true);
			expect(reply.tid).not.toBe(process.pid);
			const nices = threadNices();
			expect(nices.get(reply.tid)).toBe(7);
			expect(nices.get(process.pid)).toBe(before);
		} finally {
			worker.postMessage('end');
			await worker.terminate();
		}
	});

	// A test of runAudit with workerNice 9 on 16 MiB of boot RAM (pfns 0x0-0x1000), two workers.
	// Expect, when the first walker is done (the pool's workers are up), some thread of this
	// process at nice 9 and the main thread at the nice it had; and the walk's results as without it.
	it('runs the pool\'s workers at AuditOptions.workerNice', async () => {
		const t = topology({name: 'nice'}).boot(0, 16 * MiB).build();
		const walkers = await selectWalkers(['read_page_owner', 'kpageflags_read'], process.cwd());
		const before = threadNices().get(process.pid);
		let seen: Map<number, number> | undefined;
		const report = await runAudit({
			topology: t,
			walkers,
			workers: 2,
			workerNice: 9,
			onEvent(event) {
				if (event.type === 'walker-done' && seen === undefined) {
					seen = threadNices();
				}
			},
		});
		expect(seen).toBeDefined();
		expect([...seen!.values()]).toContain(9);
		expect(seen!.get(process.pid)).toBe(before);
		const plain = await runAudit({topology: t, walkers, workers: 2});
		expect(report.walkers.map(walker => [walker.name, walker.verdict, walker.pfns_visited])).toEqual(plain.walkers.map(walker => [walker.name, walker.verdict, walker.pfns_visited]));
	});
});

import {describe, expect, it} from 'vitest';
import type {EngineEvent} from '../../../source/engine/types.js';
import {isInputError} from '../../../source/errors/input-error.js';
import {createFakePort} from './index.js';

const port = createFakePort({cwd: '/tmp', speed: 50});

describe('the fake port', () => {
	it('replays start, progress by time, walker-done and done, with one walker that throws', async () => {
		const session = await port.startAudit({topologyFile: 'topologies/showcase.yaml', patches: []});
		const events: EngineEvent[] = [];
		session.onEvent(event => events.push(event));
		const report = await session.done;
		expect(events[0]?.type).toBe('start');
		expect(events.at(-1)?.type).toBe('done');
		expect(events.filter(event => event.type === 'walker-done')).toHaveLength(report.walkers.length);
		expect(events.some(event => event.type === 'progress' && event.witnesses.length > 0)).toBe(true);
		const threw = report.walkers.find(walker => walker.status === 'threw');
		expect(threw).toMatchObject({name: 'my_pfn_walker', verdict: 'error', builtin: false});
		expect(report.walkers.find(walker => walker.name === 'read_page_owner')!.witnesses.length).toBeGreaterThan(10_000);
		expect(report.verdict).toBe('fail');
	});

	// A test of an audit whose only walker throws. Expect the overall verdict fail, as the engine
	// gives it (engine/aggregate.ts overallVerdict(): a walker that could not be audited fails it).
	it('fails an audit whose only walker threw', async () => {
		const report = await (await port.startAudit({topologyFile: 'showcase.yaml', patches: [], walkers: ['my_pfn_walker']})).done;
		expect(report.walkers.map(walker => walker.verdict)).toEqual(['error']);
		expect(report.verdict).toBe('fail');
	});

	it('changes forms and counts with the kernel version', async () => {
		const at = async (kernel: string) => (await (await port.startAudit({topologyFile: 'showcase.yaml', kernel, patches: []})).done).walkers.find(walker => walker.name === 'kpageflags_read')!;
		const [old, now] = await Promise.all([at('5.3'), at('6.12')]);
		expect(old.form).toBe('v4.13+: pfn_valid()');
		expect(now.form).toBe('v5.4+: pfn_to_online_page()');
		expect(old.touches.C1).toBeGreaterThan(0);
		expect(now.touches.C1).toBe(0);
	});

	it('stops on pause and on cancel', async () => {
		const session = await port.startAudit({topologyFile: 'showcase.yaml', patches: []});
		let count = 0;
		session.onEvent(() => count++);
		session.pause();
		const paused = count;
		await new Promise(resolve => setTimeout(resolve, 150));
		expect(count).toBe(paused);
		session.resume();
		await new Promise(resolve => setTimeout(resolve, 150));
		expect(count).toBeGreaterThan(paused);
		session.cancel();
		const cancelled = count;
		await expect(session.done).rejects.toThrow('cancelled');
		await new Promise(resolve => setTimeout(resolve, 150));
		expect(count).toBe(cancelled);
	});

	it('refuses bad input with InputErrors', async () => {
		for (const request of [
			{topologyFile: 'nope.yaml', patches: []},
			{topologyFile: 'showcase.yaml', kernel: '3.10', patches: []},
			{topologyFile: 'showcase.yaml', patches: ['arm64-pfn-valid-v2']},
			{topologyFile: 'showcase.yaml', patches: [], walkers: ['no_such_walker']},
		]) {
			const error = await port.startAudit(request).catch((error_: unknown) => error_);
			expect(isInputError(error), JSON.stringify(request)).toBe(true);
		}
	});
});

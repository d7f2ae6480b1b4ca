import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {Witness} from '../../../source/engine/types.js';
import App from '../../../source/ui/components/App.js';
import type {DashboardPort, ExplainRequest} from '../../../source/ui/port.js';
import {createFakePort} from '../fake/index.js';
import {KEYS, renderAt, type Rendered, stripAnsi, waitFor, waitForFrame} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const request = {topologyFile: 'topologies/showcase.yaml', patches: []};

function start(columns: number, rows: number, options: {ascii?: boolean; speed?: number} = {}): Rendered {
	const port = createFakePort({cwd: mkdtempSync(path.join(tmpdir(), 'pfnaudit-app-')), speed: options.speed ?? 20});
	view = renderAt(<App port={port} request={request} />, {columns, rows, ...(options.ascii === undefined ? {} : {ascii: options.ascii})});
	return view;
}

const line = (frame: string, name: string): string => frame.split('\n').find(text => text.includes(` ${name} `)) ?? '';
const done = (frame: string): boolean => /done \d/.test(frame.split('\n')[0] ?? '');

function expectFits(app: Rendered, columns: number, rows: number): void {
	for (const frame of app.stdout.frames) {
		const lines = stripAnsi(frame).split('\n');
		expect(lines.length, 'frame height').toBeLessThanOrEqual(rows - 1);
		for (const text of lines) {
			expect(text.length, `line "${text}"`).toBeLessThanOrEqual(columns);
		}
	}
}

describe('App over the fake port', () => {
	for (const [columns, rows] of [[80, 24], [200, 60]] as const) {
		it(`never draws past ${columns}x${rows} during a whole audit, and ends with a verdict`, async () => {
			const app = start(columns, rows);
			await waitForFrame(app, done, 'the audit to finish', 10_000);
			expectFits(app, columns, rows);
			expect(app.lines()[0]).toMatch(/FAIL$/);
			expect(app.frame()).toContain('memory_failure');
		});
	}

	it('shows counts growing while the walk runs', async () => {
		const app = start(80, 24, {speed: 4});
		// Walk order: the row stays where it is while it starts failing.
		await app.press('s');
		const seen: string[] = [];
		await waitFor(() => {
			// At 80 columns: name, bar, C1, C2, ... (no form column).
			const c2 = line(app.frame(), 'hwpoison_inject').trim().split(/\s+/)[3];
			if (c2 && c2 !== '.' && c2 !== seen.at(-1)) {
				seen.push(c2);
			}

			return seen.length >= 3;
		}, 10_000, 'three different C2 counts of hwpoison_inject');
		const values = seen.map(text => Number.parseFloat(text) * (text.endsWith('M') ? 1e6 : text.endsWith('k') ? 1e3 : 1));
		expect(values).toEqual([...values].sort((a, b) => a - b));
	});

	it('reruns at another kernel and shows the change per cell, signed with d', async () => {
		const app = start(200, 60);
		await waitForFrame(app, done, 'the first audit', 10_000);
		expect(line(app.frame(), 'soft_offline_page')).toMatch(/pass *$/);
		await app.press('v');
		await waitForFrame(app, frame => frame.includes('Kernel version'), 'Kernel version');
		await app.press('5', '.', '3', KEYS.enter);
		await waitForFrame(app, frame => frame.includes('kernel v5.3') && done(frame), 'the audit at v5.3', 10_000);
		expect(app.lines()[2]).toContain('Δ vs v6.12');
		const arrows = line(app.frame(), 'soft_offline_page');
		expect(arrows).toMatch(/1\.05M!▲/);
		expect(arrows).toMatch(/FAIL▲/);
		expect(line(app.frame(), 'hwpoison_inject')).not.toMatch(/[▲▼]/);
		await app.press('d');
		expect(line(app.frame(), 'soft_offline_page')).toMatch(/\+1\.0M!▲/);
		expect(line(app.frame(), 'hwpoison_inject')).toMatch(/ =! /);
	});

	it('filters walkers with /, keeps their order, and Esc clears the filter', async () => {
		const app = start(80, 24);
		await waitForFrame(app, frame => frame.includes('memory_failure'), 'memory_failure');
		await app.press('/');
		await waitForFrame(app, frame => frame.includes('filter walkers:'), 'filter walkers:');
		await app.press('kpage', KEYS.enter);
		await waitForFrame(app, frame => frame.includes('3/23 walkers'), '3/23 walkers');
		const frame = app.frame();
		expect(frame).not.toContain('memory_failure');
		expect(frame.indexOf('kpageflags_read')).toBeLessThan(frame.indexOf('kpagecount_read'));
		expect(frame.indexOf('kpagecount_read')).toBeLessThan(frame.indexOf('kpagecgroup_read'));
		await app.press(KEYS.escape);
		await waitForFrame(app, frame => frame.includes('memory_failure'), 'memory_failure');
	});

	it('drills from a walker to its witnesses to the explain view of a pfn, and back', async () => {
		const app = start(100, 30);
		await waitForFrame(app, done, 'the audit', 10_000);
		await app.press('s', KEYS.down, KEYS.down, KEYS.down);
		for (let column = 0; column < 5; column++) {
			await app.press(KEYS.right);
		}

		expect(app.frame()).toMatch(/^▶ hwpoison_inject/m);
		await app.press(KEYS.enter);
		await waitForFrame(app, frame => /^▶ Witnesses · hwpoison_inject · C5 1 of 2/m.test(frame), '/^▶ Witnesses · hwpoison_inject · C5 1 of 2/m');
		await app.press(KEYS.down, KEYS.enter);
		await waitForFrame(app, frame => frame.includes('explain pfn 0x300001') && frame.includes('fsdax@0x300000000 altmap reserve'), 'the explain view');
		await app.press(KEYS.escape);
		await waitForFrame(app, frame => /^▶ Witnesses · hwpoison_inject · C5 2 of 2/m.test(frame), '/^▶ Witnesses · hwpoison_inject · C5 2 of 2/m');
		await app.press(KEYS.escape);
		await waitForFrame(app, frame => /^▶ Tally/m.test(frame), '/^▶ Tally/m');
	});

	// Under --phases a witness carries the phase that first exposed it: explain must look there.
	it('explains a witness at the kernel, patches and phase it was found at', async () => {
		const fake = createFakePort({cwd: mkdtempSync(path.join(tmpdir(), 'pfnaudit-app-')), speed: 20});
		const atPhase = (witnesses: readonly Witness[]): Witness[] => witnesses.map(witness => ({...witness, phase: 'memory[3]:P4'}));
		const explained: ExplainRequest[] = [];
		const port: DashboardPort = {
			...fake,
			async startAudit(request) {
				const session = await fake.startAudit(request);
				return {
					...session,
					onEvent: listener =>
						session.onEvent(event => {
							if (event.type === 'progress') {
								listener({...event, witnesses: atPhase(event.witnesses)});
							} else if (event.type === 'walker-done') {
								listener({...event, result: {...event.result, witnesses: atPhase(event.result.witnesses)}});
							} else if (event.type === 'done') {
								const walkers = event.report.walkers.map(walker => ({...walker, witnesses: atPhase(walker.witnesses)}));
								listener({...event, report: {...event.report, walkers}});
							} else {
								listener(event);
							}
						}),
				};
			},
			async explain(request) {
				explained.push(request);
				return fake.explain(request);
			},
		};
		const app = renderAt(<App port={port} request={request} />, {columns: 100, rows: 30});
		view = app;
		await waitForFrame(app, done, 'the audit', 10_000);
		await app.press(KEYS.enter);
		await waitForFrame(app, frame => /^▶ Witnesses · memory_failure/m.test(frame), 'the witnesses');
		await app.press(KEYS.enter);
		await waitForFrame(app, frame => frame.includes('explain pfn'), 'the explain view');
		expect(explained).toHaveLength(1);
		expect(explained[0]).toMatchObject({topologyFile: 'topologies/showcase.yaml', kernel: '6.12', patches: [], phase: 'memory[3]:P4'});
	});

	it('pauses and resumes the walk with space', async () => {
		const app = start(80, 24, {speed: 2});
		await waitForFrame(app, frame => frame.includes('pfn/s'), 'pfn/s');
		await app.press(' ');
		await waitFor(() => app.lines()[0]!.includes('paused'), 5000, "app.lines()[0]!.includes('paused')");
		const paused = app.lines()[0];
		await new Promise(resolve => setTimeout(resolve, 300));
		expect(app.lines()[0]).toBe(paused);
		await app.press(' ');
		await waitFor(() => !app.lines()[0]!.includes('paused') && app.lines()[0] !== paused, 5000, "!app.lines()[0]!.includes('paused') && app.lines()[0] !== pa");
	});

	it('refuses to export before the walk has finished', async () => {
		const app = start(80, 24, {speed: 1});
		await waitForFrame(app, frame => frame.includes('memory_failure'), 'memory_failure');
		await app.press('e');
		await waitForFrame(app, frame => frame.includes('the walk is still running: export when it finishes'), 'the walk is still running: export when it finishes');
	});

	it('draws ASCII only when the terminal cannot take anything else', async () => {
		const app = start(80, 24, {ascii: true});
		await waitForFrame(app, done, 'the audit', 10_000);
		await app.press('?');
		await waitForFrame(app, frame => frame.includes('Keys'), 'Keys');
		for (const frame of app.stdout.frames) {
			expect(stripAnsi(frame)).toMatch(/^[\u0020-\u007E\n]*$/);
		}
	});

	it('lays itself out again on resize', async () => {
		// Slow enough that the walk still runs (and draws frames) after both resizes.
		const app = start(80, 24, {speed: 2});
		await waitForFrame(app, frame => frame.includes('memory_failure'), 'memory_failure');
		expect(app.lines()[1]).toMatch(/^x86_64/);
		app.stdout.resize(200, 60);
		await waitFor(() => app.lines().length === 59 && app.frame().includes('form in use'), 5000, "app.lines().length === 59 && app.frame().includes('form in u");
		expect(app.lines()[1]).toMatch(/^Every category/);
		app.stdout.frames = [];
		await waitFor(() => app.stdout.frames.length >= 3, 5000, 'app.stdout.frames.length >= 3');
		expectFits(app, 200, 60);
		app.stdout.resize(72, 20);
		await waitFor(() => app.lines().length <= 19 && !app.frame().includes('form in use'), 5000, "app.lines().length <= 19 && !app.frame().includes('form in u");
		app.stdout.frames = [];
		await waitFor(() => app.stdout.frames.length >= 3, 5000, 'app.stdout.frames.length >= 3');
		expectFits(app, 72, 20);
	});
});

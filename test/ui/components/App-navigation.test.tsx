import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import App from '../../../source/ui/components/App.js';
import {createFakePort} from '../fake/index.js';
import type {AuditRequest} from '../../../source/ui/port.js';
import {KEYS, renderAt, type Rendered, waitForFrame} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function start(request: AuditRequest, columns = 100, rows = 30): Rendered {
	const port = createFakePort({cwd: mkdtempSync(path.join(tmpdir(), 'pfnaudit-nav-')), speed: 20});
	view = renderAt(<App port={port} request={request} />, {columns, rows});
	return view;
}

const done = (frame: string): boolean => /done \d/.test(frame.split('\n')[0] ?? '');
const showcase = {topologyFile: 'topologies/showcase.yaml', patches: []};

describe('App navigation', () => {
	it('moves focus with Tab, zooms the map with + and -, and moves the map cursor', async () => {
		const app = start(showcase);
		await waitForFrame(app, frame => frame.includes('memory_failure'), 'the tally');
		await app.press(KEYS.tab);
		await waitForFrame(app, frame => /^▶ Witnesses/m.test(frame), 'the witnesses focused');
		await app.press(KEYS.tab);
		await waitForFrame(app, frame => /^▶ Map regions/m.test(frame), 'the map focused');
		expect(app.frame()).toMatch(/^q quit {2}\? help {2}←→ move {2}\+- zoom/m);
		await app.press(KEYS.right);
		await waitForFrame(app, frame => /^▶ Map regions \(log widths\) · hole hole in boot@0x0 \(BIOS\) \[0x9f, 0x100\) 97 pfns/m.test(frame), 'the cursor on the BIOS hole');
		await app.press(KEYS.right, KEYS.right, KEYS.right, KEYS.right, KEYS.right);
		await waitForFrame(app, frame => /^▶ Map regions \(log widths\) · C5 fsdax@0x300000000 altmap reserve \[0x300000, 0x300002\) 2 pfns/m.test(frame), 'the cursor on the altmap reserve');
		await app.press(KEYS.left);
		await waitForFrame(app, frame => /^▶ Map regions \(log widths\) · C1 hotplug@0x200000000 offline/m.test(frame), 'back on the offline block');
		await app.press('+');
		await waitForFrame(app, frame => /^▶ Map linear x1 · /m.test(frame), 'the linear view');
		await app.press('+', '+');
		await waitForFrame(app, frame => /^▶ Map linear x16 · /m.test(frame), 'zoomed 16x');
		await app.press('-', '-', '-');
		await waitForFrame(app, frame => /^▶ Map regions/m.test(frame), 'back to regions');
		await app.press(KEYS.shiftTab, KEYS.shiftTab);
		await waitForFrame(app, frame => /^▶ Tally/m.test(frame), 'the tally focused again');
	});

	it('switches topology with t; a different topology has nothing to compare against', async () => {
		const app = start(showcase);
		await waitForFrame(app, done, 'the showcase audit', 10_000);
		await app.press('t');
		await waitForFrame(app, frame => frame.includes('3 available'), 'the topology list');
		expect(app.frame()).toMatch(/^▶ showcase \(current\)/m);
		await app.press(KEYS.down, KEYS.enter);
		await waitForFrame(app, frame => frame.split('\n')[0]!.startsWith('x86-pmem-fsdax-altmap') && done(frame), 'the fsdax audit', 10_000);
		expect(app.frame()).not.toContain('Δ vs');
		expect(app.frame()).not.toMatch(/ 4 C4 /);
	});

	it('reruns with r and compares against the run before', async () => {
		const app = start(showcase, 200, 60);
		await waitForFrame(app, done, 'the first audit', 10_000);
		await app.press('r');
		await waitForFrame(app, frame => frame.includes('Δ vs v6.12') && done(frame), 'the rerun', 10_000);
		await app.press('d');
		await waitForFrame(app, frame => frame.includes('Δ shown'), 'the deltas');
		expect(app.frame()).not.toMatch(/[▲▼]/);
	});

	it('says what went wrong when the topology cannot be audited, and stays usable', async () => {
		const app = start({topologyFile: 'topologies/no-such.yaml', patches: []}, 80, 24);
		await waitForFrame(app, frame => frame.includes('Cannot audit: topologies/no-such.yaml: no scripted'), 'the error');
		expect(app.lines()[0]).toMatch(/stopped {2}ERROR$/);
		await app.press('t');
		await waitForFrame(app, frame => frame.includes('3 available'), 'the topology list');
		await app.press(KEYS.enter);
		await waitForFrame(app, frame => frame.split('\n')[0]!.startsWith('showcase'), 'the showcase');
	});

	it('applies a what-if patch on an arm64 topology and shows its effect', async () => {
		const app = start({topologyFile: 'topologies/arm64-nomap-thunderx2.yaml', patches: []}, 200, 60);
		await waitForFrame(app, done, 'the arm64 audit', 10_000);
		await app.press('p');
		await waitForFrame(app, frame => frame.includes('[ ] arm64-pfn-valid-v2'), 'the patch list');
		await app.press(' ', KEYS.enter);
		await waitForFrame(app, frame => frame.includes('patches: arm64-pfn-valid-v2') && frame.includes('Δ vs v5.10') && done(frame), 'the patched audit', 10_000);
		const hwpoison = app.frame().split('\n').find(text => text.includes(' hwpoison_inject ')) ?? '';
		// oob is the 11th category column: ... unbck oob hvo ok verdict.
		expect(hwpoison).toMatch(/ 1!▲ +\. +[\d.]+[kM]? +FAIL/);
	});
});

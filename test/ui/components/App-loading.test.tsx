/**
The dashboard while a request loads (issue 10): the frame is drawn before the topology is read
and the model built, says what is being done, and `q` quits meanwhile. The slow build is a port
whose startAudit() reports its stages and then waits for the test (no wall-time assertion).
*/
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {InputError} from '../../../source/errors/input-error.js';
import App from '../../../source/ui/components/App.js';
import type {AuditSession, DashboardPort, StartOptions} from '../../../source/ui/port.js';
import {AuditCancelled} from '../../../source/ui/real-session.js';
import {createFakePort} from '../fake/index.js';
import {renderAt, type Rendered, waitForFrame} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const request = {topologyFile: 'topologies/showcase.yaml', patches: []};

/** A port whose startAudit() reads, then "builds" 10 000 entries until the test calls finish() (or the dashboard aborts it). */
function slowPort(): {port: DashboardPort; started: Promise<StartOptions>; finish(): void} {
	const fake = createFakePort({cwd: mkdtempSync(path.join(tmpdir(), 'pfnaudit-loading-')), speed: 20});
	let told!: (options: StartOptions) => void;
	const started = new Promise<StartOptions>(resolve => {
		told = resolve;
	});
	let finish!: () => void;
	const built = new Promise<void>(resolve => {
		finish = resolve;
	});
	const port: DashboardPort = {
		...fake,
		async startAudit(asked, options = {}): Promise<AuditSession> {
			told(options);
			options.onStage?.({step: 'reading'});
			await Promise.resolve();
			options.onStage?.({step: 'building', entries: 10_000});
			await new Promise<void>((resolve, reject) => {
				void built.then(resolve);
				options.signal?.addEventListener('abort', () => {
					reject(new AuditCancelled());
				});
			});
			return fake.startAudit(asked);
		},
	};
	return {port, started, finish};
}

describe('App while the request loads', () => {
	// A test of a request whose model takes long to build (10 000 entries). Expect the frame drawn
	// before the build is done, saying what is built in the header and in the tally; then `q`:
	// expect the app to exit and the loading to be aborted (the build would otherwise run on).
	it('draws its frame before the model is built, and quits on q during the build', async () => {
		const slow = slowPort();
		const app = renderAt(<App exitOnLoadError port={slow.port} request={request} />, {columns: 80, rows: 24});
		view = app;
		await waitForFrame(app, frame => frame.includes('building the model of 10,000 entries…'), 'the building stage in the tally');
		expect(app.lines()[0]).toContain('building 10,000 entries…');
		const options = await slow.started;
		expect(options.signal?.aborted).toBe(false);
		await app.press('q');
		await expect(app.exited).resolves.toBe('quit');
		app.unmount();
		expect(options.signal?.aborted).toBe(true);
	});

	// A test of the same request built to the end. Expect the walk to run as usual once the build is done.
	it('goes on to the walk once the model is built', async () => {
		const slow = slowPort();
		const app = renderAt(<App exitOnLoadError port={slow.port} request={request} />, {columns: 80, rows: 24});
		view = app;
		await waitForFrame(app, frame => frame.includes('building 10,000 entries…'), 'the building stage');
		slow.finish();
		await waitForFrame(app, frame => /done \d/.test(frame.split('\n')[0] ?? ''), 'the audit', 10_000);
	});

	// A test of the command line's request failing to load (a bad topology). Expect, with
	// exitOnLoadError (the drawn dashboard), the app to exit with that InputError for the command
	// to report (exit 2); without it, the body to say "Cannot audit" and the app to stay.
	it('exits with the InputError of the first request when asked to, and shows it otherwise', async () => {
		const fake = createFakePort({cwd: mkdtempSync(path.join(tmpdir(), 'pfnaudit-loading-'))});
		const bad = new InputError('memory[0].kind: kind must be one of boot, hotplug, device', {file: 'bad.yaml', line: 5, column: 11});
		const port: DashboardPort = {
			...fake,
			async startAudit() {
				throw bad;
			},
		};
		const drawn = renderAt(<App exitOnLoadError port={port} request={request} />, {columns: 80, rows: 24});
		view = drawn;
		await expect(drawn.exited).rejects.toBe(bad);
		drawn.unmount();
		const shown = renderAt(<App port={port} request={request} />, {columns: 80, rows: 24});
		view = shown;
		await waitForFrame(shown, frame => frame.includes('Cannot audit: bad.yaml:5:11: memory[0].kind'), 'the error in the body');
	});
});

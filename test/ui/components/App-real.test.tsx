/**
The dashboard over the real engine (worker threads, real topologies, real counts): what a user
sees after switching kernel and topology.
*/
import path from 'node:path';
import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import {SHOWCASE_TOPOLOGY, TOPOLOGIES_DIR} from '../../../source/paths.js';
import App from '../../../source/ui/components/App.js';
import {createRealEngine} from '../../../source/ui/real-engine.js';
import {createDashboardPort} from '../../../source/ui/real-port.js';
import type {AuditRequest} from '../../../source/ui/port.js';
import {KEYS, renderAt, type Rendered, waitForFrame} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const cwd = path.resolve(TOPOLOGIES_DIR, '..');
const COLLISION = path.join(TOPOLOGIES_DIR, 'pmem-section-collision.yaml');
const WALKERS = ['memory_failure', 'kpageflags_read', 'read_page_owner'];

/** The showcase, with the `t` chooser offering the showcase and pmem-section-collision (v5.3). */
function start(columns: number, rows: number, request: Partial<AuditRequest> = {}): Rendered {
	const engine = createRealEngine({
		cwd,
		audit: {workers: 1},
		builtins: () => [
			{name: 'showcase', file: SHOWCASE_TOPOLOGY, description: 'The default topology.'},
			{name: 'pmem-section-collision', file: COLLISION, description: 'A pmem range that shares a section with boot RAM.'},
		],
	});
	const port = createDashboardPort(engine, cwd);
	view = renderAt(<App port={port} request={{topologyFile: SHOWCASE_TOPOLOGY, patches: [], walkers: WALKERS, ...request}} />, {columns, rows});
	return view;
}

const done = (frame: string): boolean => /done \d/.test(frame.split('\n')[0] ?? '');
const tallyRow = (frame: string, name: string): string => frame.split('\n').find(text => text.includes(` ${name} `) && /(FAIL|pass|n\/a|ERR)\s*$/.test(text)) ?? '';
/** The count cells of a tally row at 80 columns: C1..C5 and haz, each a count, "." or a delta. */
const cells = (line: string): string[] => line.replace(/^.*?[█░#.-]{6}/, '').trim().split(/\s+/).slice(0, -1);

async function audited(app: Rendered, what: string, check: (frame: string) => boolean): Promise<void> {
	await waitForFrame(app, frame => done(frame) && check(frame), what, 30_000);
}

describe('App over the real engine: switching kernel and topology', () => {
	// A test that follows the steps: v → v5.16 → Enter, d (deltas shown), t →
	// pmem-section-collision → Enter. The new topology has no previous run to compare with.
	// Expect every walker row to show its counts (not blank delta cells), and the audit to run at
	// the topology's own kernel v5.3, not at the v5.16 chosen for the showcase.
	it('shows counts after a topology switch with deltas on, at the new topology\'s own kernel', async () => {
		const app = start(80, 24);
		await audited(app, 'the showcase audit', frame => frame.includes('memory_failure'));
		await app.press('v');
		await waitForFrame(app, frame => frame.includes('Kernel version'), 'the kernel chooser');
		await app.press('5', '.', '1', '6', KEYS.enter);
		await audited(app, 'the audit at v5.16', frame => frame.includes('v5.16'));
		await app.press('d');
		await waitForFrame(app, frame => frame.includes('Δ shown'), 'deltas shown');
		await app.press('t');
		await waitForFrame(app, frame => frame.includes('pmem-section-collision'), 'the topology chooser');
		await app.press(KEYS.down, KEYS.enter);
		await audited(app, 'the pmem-section-collision audit', frame => frame.split('\n')[0]!.includes('pmem-section-collision'));
		const frame = app.frame();
		expect(frame).toContain('kernel v5.3');
		expect(frame).not.toContain('v5.16');
		expect(frame).toContain('pmem-section-collision: at its own kernel v5.3');
		for (const walker of WALKERS) {
			const row = tallyRow(frame, walker);
			expect(row, `${walker} row in\n${frame}`).not.toBe('');
			const counts = cells(row);
			expect(counts, row).toHaveLength(6);
			for (const cell of counts) {
				// A count ("524k", "1024!") or "." — never an empty cell or a lone failing mark.
				expect(cell, row).toMatch(/^(\.|[\d.,]+[kMGT]?!?)$/);
			}
		}

		// `d` has nothing to compare with on this topology: it says so, and counts stay.
		await app.press('d');
		expect(app.frame()).toContain('no previous run of this topology');
		expect(cells(tallyRow(app.frame(), 'memory_failure'))).toEqual(cells(tallyRow(frame, 'memory_failure')));
	});

	// A test that pins v5.16 with `p` in the kernel chooser, then switches topology. Expect the
	// new topology to run at the pinned v5.16, the header and key bar saying it is pinned and
	// naming the topology's own v5.3; Enter on a version in the chooser unpins.
	it('keeps a pinned kernel across a topology switch and says so', async () => {
		const app = start(120, 40);
		await audited(app, 'the showcase audit', frame => frame.includes('memory_failure'));
		await app.press('v');
		await waitForFrame(app, frame => frame.includes('Kernel version'), 'the kernel chooser');
		await app.press('5', '.', '1', '6', 'p');
		await audited(app, 'the audit at v5.16', frame => frame.includes('kernel v5.16 (pinned'));
		await app.press('t');
		await waitForFrame(app, frame => frame.includes('audit it at the pinned kernel v5.16'), 'the topology chooser');
		await app.press(KEYS.down, KEYS.enter);
		await audited(app, 'the pmem-section-collision audit', frame => frame.split('\n')[0]!.includes('pmem-section-collision'));
		expect(app.frame()).toContain("kernel v5.16 (pinned; topology's v5.3)");
		expect(app.frame()).toContain('pmem-section-collision: at the pinned kernel v5.16 (its own is v5.3)');

		// Enter on the topology's own version: unpinned, the header says whose version it is.
		await app.press('v');
		await waitForFrame(app, frame => frame.includes('Kernel version'), 'the kernel chooser');
		expect(app.frame()).toMatch(/v5\.16 \(current, pinned\)/);
		expect(app.frame()).toMatch(/v5\.3 \(topology's\)/);
		await app.press('5', '.', '3', KEYS.enter);
		await audited(app, 'the audit at v5.3', frame => frame.includes("kernel v5.3 (topology's)"));
		await app.press('t');
		await waitForFrame(app, frame => frame.includes('audit it at its own kernel'), 'the topology chooser');
		await app.press(KEYS.up, KEYS.enter);
		await audited(app, 'the showcase audit at v5.15', frame => frame.split('\n')[0]!.includes('showcase') && frame.includes("kernel v5.15 (topology's)"));
	});

	// `pfnaudit --kernel 5.16`: the user asked for that version, whatever the topology.
	it('treats --kernel as a pin', async () => {
		const app = start(120, 40, {kernel: '5.16'});
		await audited(app, 'the showcase audit', frame => frame.includes("kernel v5.16 (pinned; topology's v5.15)"));
	});
});

describe('App over the real engine: topology warnings', () => {
	// A test that opens the showcase, whose file raises two warnings (the section collision at
	// 70:5, the partial section at 88:5). Expect a header badge counting them, and `w` to list
	// both as file:line:column: message, wrapped to the terminal.
	it('counts the topology warnings in the header and lists them with w', async () => {
		const app = start(80, 24);
		await audited(app, 'the showcase audit', frame => frame.includes('memory_failure'));
		expect(app.lines()[0]).toMatch(/2 warnings \(w\) {2}done .*FAIL$/);
		await app.press('w');
		await waitForFrame(app, frame => frame.includes('Topology warnings'), 'the warnings view');
		const frame = app.frame();
		expect(frame).toMatch(/^ {2}topologies\/showcase\.yaml:70:5: memory\[5\] .*shares section$/m);
		expect(frame).toMatch(/^ {2}topologies\/showcase\.yaml:88:5: memory\[8\] .*covers only$/m);
		for (const line of app.lines()) {
			expect(line.length).toBeLessThanOrEqual(80);
		}

		await app.press(KEYS.escape);
		await waitForFrame(app, frame_ => frame_.includes('Tally'), 'the tally again');
	});

	it('shows no badge for a topology without warnings', async () => {
		const app = start(80, 24, {topologyFile: path.join(TOPOLOGIES_DIR, 'x86-qemu-holes.yaml')});
		await audited(app, 'the x86-qemu-holes audit', frame => frame.includes('memory_failure'));
		expect(app.lines()[0]).not.toContain('warning');
	});
});

describe('App over the real engine: keys', () => {
	const selected = (frame: string): string => /^▶ (\S+) /m.exec(frame.split('─ Witnesses')[0]!.split('▶ Tally')[1] ?? '')?.[1] ?? '';

	// A test that moves the walker cursor with j and k as in every vim-keyed TUI. Expect j to move
	// down, k to move up (not to open the kernel chooser), G/g to go to the last/first walker, and
	// v to open the kernel chooser.
	it('moves down and up with j and k, and opens the kernel chooser with v', async () => {
		const app = start(80, 24);
		await audited(app, 'the showcase audit', frame => frame.includes('memory_failure'));
		expect(selected(app.frame())).toBe('memory_failure');
		// Failing walkers first: memory_failure, read_page_owner, then kpageflags_read (pass).
		await app.press('j', 'j');
		expect(selected(app.frame())).toBe('kpageflags_read');
		await app.press('k');
		expect(app.frame()).not.toContain('Kernel version');
		expect(selected(app.frame())).toBe('read_page_owner');
		await app.press('G');
		expect(selected(app.frame())).toBe('kpageflags_read');
		await app.press('g');
		expect(selected(app.frame())).toBe('memory_failure');
		await app.press('v');
		await waitForFrame(app, frame => frame.includes('Kernel version'), 'the kernel chooser');
		await app.press(KEYS.escape, '?');
		await waitForFrame(app, frame => frame.includes('Keys'), 'the help');
		expect(app.frame()).toMatch(/j k +move down \/ up/);
		expect(app.frame()).toMatch(/^ {2}v +choose the kernel version/m);
	});
});

describe('App over the real engine: the topology file\'s patches', () => {
	// A test that turns off the showcase's own patch (patches: [arm64-pfn-valid-v2]) in the `p`
	// chooser. Expect the rerun without it (header "no patches"), the chooser then showing it as
	// the file's, turned off, and Space turning it back on.
	it('turns off a patch set by the topology file and reruns without it', async () => {
		const app = start(100, 30);
		await audited(app, 'the showcase audit', frame => frame.includes('patches: arm64-pfn-valid-v2'));
		await app.press('p');
		await waitForFrame(app, frame => frame.includes('What-if patches'), 'the patch chooser');
		expect(app.frame()).toMatch(/\[x\] arm64-pfn-valid-v2 +from the topology file$/m);
		const row = app.lines().findIndex(line => line.includes('arm64-pfn-valid-v2  from the topology file'));
		const cursor = app.lines().findIndex(line => line.startsWith('▶ ') && line.includes('[') && !line.includes('What-if'));
		const key = row > cursor ? KEYS.down : KEYS.up;
		await app.press(...Array.from({length: Math.abs(row - cursor)}, () => key), ' ', KEYS.enter);
		await audited(app, 'the audit without it', frame => frame.includes('no patches') && frame.includes('Δ vs v5.15 + arm64-pfn-valid-v2'));
		await app.press('p');
		await waitForFrame(app, frame => frame.includes('What-if patches'), 'the patch chooser again');
		expect(app.frame()).toMatch(/\[ \] arm64-pfn-valid-v2 +from the topology file, turned off$/m);
	});

	it('audits without the file\'s patches with --patch none', async () => {
		const app = start(100, 30, {patches: ['none']});
		await audited(app, 'the showcase audit', frame => frame.includes('no patches'));
	});
});

describe('App over the real engine: room and order of the tally', () => {
	// A test at 120x40 with every walker of the showcase: the text report lists failing walkers
	// first, and so does the tally. Expect the seven failing walkers at the top (the showcase is at
	// v5.15, before split_huge_pages_all's fix 2b7aa91ba0e8 in v6.0), s to switch
	// to walk order (kpageflags_read, which passes, before read_page_owner) and back, and the tally
	// to get more rows than the 15 it had, with no blank rows in the witnesses pane.
	it('lists failing walkers first, s toggles walk order, and the tally gets the rows', async () => {
		const app = start(120, 40, {walkers: undefined});
		await audited(app, 'the showcase audit', frame => frame.includes('memory_failure') && frame.includes('7 failing'));
		const names = (frame: string): string[] =>
			frame
				.split('─ Witnesses')[0]!
				.split('\n')
				.filter(line => /(FAIL|pass|n\/a|ERR)\s*$/.test(line))
				.map(line => line.slice(2).trim().split(/\s+/)[0]!);
		const failingFirst = names(app.frame());
		expect(failingFirst.length).toBeGreaterThanOrEqual(17);
		expect(app.frame()).toContain('failing first');
		const verdicts = app.frame().split('─ Witnesses')[0]!.split('\n').slice(1).filter(line => /(FAIL|pass|n\/a)\s*$/.test(line)).map(line => /(FAIL|pass|n\/a)\s*$/.exec(line)![1]);
		expect(verdicts.slice(0, 7)).toEqual(Array.from({length: 7}, () => 'FAIL'));
		expect(verdicts.slice(7)).not.toContain('FAIL');
		expect(failingFirst.indexOf('read_page_owner')).toBeLessThan(failingFirst.indexOf('kpageflags_read'));

		await app.press('s');
		const walk = names(app.frame());
		expect(app.frame()).not.toContain('failing first');
		expect(walk.indexOf('kpageflags_read')).toBeLessThan(walk.indexOf('read_page_owner'));
		await app.press('s');
		expect(names(app.frame())).toEqual(failingFirst);

		// The witnesses pane: no empty row between its last line and the key bar.
		const lines = app.lines();
		const keyBar = lines.findIndex(line => line.startsWith('q quit'));
		expect(lines[keyBar - 1]!.trim(), lines.join('\n')).not.toBe('');
	});
});

import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import Header from '../../../source/ui/components/Header.js';
import {renderAt, type Rendered} from '../helpers/render.js';
import {showcaseMeta} from '../helpers/fixtures.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const base = {topologyFile: 'topologies/showcase.yaml', patches: [] as string[], status: 'running' as const, elapsedMs: 4200, pfnsVisited: 42_000_000, verdict: 'fail' as const};

describe('Header', () => {
	it('fits topology, geometry, kernel, time and verdict in two lines at 80 columns', () => {
		view = renderAt(<Header {...base} width={80} height={2} meta={showcaseMeta('6.12', [])} />, {columns: 80, rows: 24});
		const lines = view.lines();
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(/^showcase ─ Every category/);
		expect(lines[0]).toMatch(/4\.2s 10\.0M pfn\/s {2}FAIL$/);
		expect(lines[1]).toContain('x86_64');
		expect(lines[1]).toContain('128M');
		expect(lines[1]).toContain('v6.12');
		for (const line of lines) {
			expect(line.length).toBeLessThanOrEqual(80);
		}
	});

	it('spells the geometry out at 200 columns and names the run the deltas compare with', () => {
		view = renderAt(
			<Header {...base} width={200} height={3} meta={showcaseMeta('5.3', ['arm64-pfn-valid-v2'])} status="paused" verdict="pass" baseline="v6.12" />,
			{columns: 200, rows: 60},
		);
		const [title, description, kernel] = view.lines();
		expect(title).toMatch(/^pfnaudit ─ showcase .*❚❚ paused 4\.2s {2}PASS$/);
		expect(description).toMatch(/^Every category on one x86_64 machine/);
		expect(kernel).toBe(
			"x86_64 4K pages · section 128M (2^27) · subsection 2M · MAX_PHYSMEM_BITS 46 · block 128M │ kernel v5.3 (topology's) │ patches: arm64-pfn-valid-v2 │ Δ vs v6.12",
		);
	});

	// A test of a run with two patches and a baseline at 80 columns, where the patch names do not
	// fit. Expect the count in words ("2 patches") instead of the list, and the baseline kept.
	it('counts the patches when their names do not fit', () => {
		view = renderAt(<Header {...base} width={80} height={2} meta={showcaseMeta('5.15', ['arm64-pfn-valid-v2', 'stable-5.15.y'])} baseline="v5.15 + arm64-pfn-valid-v2" />, {columns: 80, rows: 24});
		expect(view.lines()[1]).toMatch(/│ 2 patches │ Δ vs v5\.15 \+ arm64-pfn-valid-v2$/);
	});

	it('shows the requested kernel while the topology loads, in ASCII when asked', () => {
		view = renderAt(<Header {...base} width={80} height={2} kernel="5.4" status="loading" verdict="pending" />, {columns: 80, rows: 24, ascii: true});
		expect(view.frame()).toMatch(/^[\u0020-\u007E\n]*$/);
		expect(view.lines()[0]).toContain('loading~');
		expect(view.lines()[1]).toContain('kernel v5.4');
		// The topology file may apply patches of its own: not known yet, so not "no patches".
		expect(view.lines()[1]).not.toContain('patches');
	});

	// The real showcase's description is a YAML block scalar: several lines of text.
	it('keeps a multi-line description on its one line, and says when the workers are still starting', () => {
		const meta = showcaseMeta('6.12', []);
		const paragraph = {...meta, topology: {...meta.topology, description: 'The default topology: one arm64\nmachine that produces\n  every category.'}};
		view = renderAt(<Header {...base} width={200} height={3} meta={paragraph} starting />, {columns: 200, rows: 60});
		const lines = view.lines();
		expect(lines).toHaveLength(3);
		expect(lines[0]).toMatch(/^pfnaudit ─ showcase .*▶ starting workers… {2}FAIL$/);
		expect(lines[1]).toBe('The default topology: one arm64 machine that produces every category.');
		expect(lines[2]).toMatch(/^x86_64 4K pages/);
	});

	// A test of the model notes under the header (meta.notes: the LTS note the real model gives
	// v6.12 without a stable preset, and a second one). Expect `note:` lines in the rows the
	// layout gave them, wrapped with continuation lines indented; when they do not fit, the last
	// row says where to read them all; no note row without notes.
	it('shows the model notes in the rows it was given, and says where the rest are', () => {
		const meta = {...showcaseMeta('6.12', []), notes: ['v6.12 is a long-term stable series; this models mainline v6.12: 6.12.y trees carry backports that change answers - add --patch stable-6.12.117 (topology patches:) to model the stable tree (pfnaudit list patches)', 'a second note']};
		view = renderAt(<Header {...base} width={140} height={5} noteRows={3} meta={meta} />, {columns: 140, rows: 40});
		const lines = view.lines();
		expect(lines).toHaveLength(5);
		expect(lines[2]).toMatch(/^note: v6\.12 is a long-term stable series; this models mainline v6\.12: 6\.12\.y trees carry/);
		expect(lines[3]).toMatch(/^ {6}\S.*\(pfnaudit list patches\)$/);
		expect(lines[4]).toBe('note: a second note');
		view.unmount();

		view = renderAt(<Header {...base} width={100} height={3} noteRows={1} meta={meta} />, {columns: 100, rows: 20});
		const cut = view.lines();
		expect(cut).toHaveLength(3);
		expect(cut[2]).toMatch(/^note: v6\.12 is a long-term .*… \(\? shows all\)$/);
		expect(cut[2]!.length).toBeLessThanOrEqual(100);
		view.unmount();

		view = renderAt(<Header {...base} width={100} height={2} meta={showcaseMeta('6.12', [])} />, {columns: 100, rows: 24});
		expect(view.frame()).not.toContain('note:');
	});
});

import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import type {AuditReport} from '../../../source/engine/types.js';
import TallyTable, {type TallyTableProps} from '../../../source/ui/components/TallyTable.js';
import {baselineOf} from '../../../source/ui/state/deltas.js';
import {tallyLayout} from '../../../source/ui/state/tally-columns.js';
import {failingOf, rows, showcaseMeta, tally} from '../helpers/fixtures.js';
import {renderAt, type Rendered} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function table(width: number, props: Partial<TallyTableProps> & Pick<TallyTableProps, 'rows'>) {
	return (
		<TallyTable
			totalRows={props.rows.length}
			selected={props.rows[0]?.name}
			category={undefined}
			layout={tallyLayout(width)}
			width={width}
			height={12}
			focused
			showDeltas={false}
			filter=""
			{...props}
		/>
	);
}

const line = (frame: string, name: string): string => frame.split('\n').find(text => text.includes(name)) ?? '';

describe('TallyTable', () => {
	it('keeps the engine order while counts grow and walkers finish out of order', () => {
		const before = rows({name: 'memory_failure', fraction: 0.1}, {name: 'hwpoison_inject', fraction: 0.2}, {name: 'read_page_owner', fraction: 0.3});
		view = renderAt(table(80, {rows: before}), {columns: 80, rows: 24});
		const order = (frame: string) => ['memory_failure', 'hwpoison_inject', 'read_page_owner'].map(name => frame.indexOf(name));
		const first = order(view.frame());
		expect(first).toEqual([...first].sort((a, b) => a - b));
		const after = rows(
			{name: 'memory_failure', fraction: 0.2},
			{name: 'hwpoison_inject', done: true, touches: {C1: 1_048_576, C5: 2}},
			{name: 'read_page_owner', fraction: 0.9, touches: {C1: 9_000_000}},
		);
		view.rerender(table(80, {rows: after}));
		const second = order(view.frame());
		expect(second).toEqual([...second].sort((a, b) => a - b));
		expect(line(view.frame(), 'hwpoison_inject')).toMatch(/1\.05M!/);
	});

	it('counts the finished walkers in its title while others still run', () => {
		const data = rows({name: 'memory_failure', done: true, touches: {C4: 3}}, {name: 'read_page_owner', fraction: 0.5}, {name: 'kmemleak_scan'});
		view = renderAt(table(80, {rows: data}), {columns: 80, rows: 24});
		expect(view.lines()[0]).toMatch(/^▶ Tally 3 walkers · 1 done · 1 failing ─/);
		view.rerender(table(80, {rows: rows({name: 'memory_failure', done: true}, {name: 'read_page_owner', done: true})}));
		expect(view.lines()[0]).toMatch(/^▶ Tally 2 walkers · 0 failing ─/);
	});

	it('says timed out, broken or cancelled in words that fit the 80-column progress cell', () => {
		const data = rows(
			{name: 'shrink_zone_span', done: true, status: 'timeout', error: 'shrink_zone_span did not finish within 60 s'},
			{name: 'read_page_owner', done: true, status: 'malformed', error: 'read_page_owner looks at pfn 0x1'},
			{name: 'kmemleak_scan', done: true, status: 'cancelled'},
		);
		view = renderAt(table(80, {rows: data}), {columns: 80, rows: 24});
		expect(line(view.frame(), 'shrink_zone_span')).toMatch(/ t\/out /);
		expect(line(view.frame(), 'read_page_owner')).toMatch(/ malfrm /);
		expect(line(view.frame(), 'kmemleak_scan')).toMatch(/ cancel /);
		view.rerender(table(200, {rows: data}));
		expect(line(view.frame(), 'shrink_zone_span')).toMatch(/ timeout /);
		expect(line(view.frame(), 'read_page_owner')).toMatch(/ malformed /);
	});

	it('marks failing cells with "!" and leaves safe counts unmarked', () => {
		const data = rows({name: 'hwpoison_inject', done: true, touches: {ok: 1_572_767, C2: 4_406_782, C5: 2, teardown: 262_144, hole: 97}});
		view = renderAt(table(200, {rows: data}), {columns: 200, rows: 60});
		const text = line(view.frame(), 'hwpoison_inject');
		expect(text).toMatch(/ 4\.41M /);
		expect(text).toMatch(/ 2! /);
		expect(text).toMatch(/262k!/);
		expect(text).toMatch(/ 97  /);
		expect(text).toMatch(/FAIL/);
	});

	// A test of the grouped hazards column at 80 columns: hwpoison_inject touches 1024 nomap pfns
	// of a mapped range (not failing) and 2 oob pfns (failing); soft_offline_page only 268 holes.
	// Expect haz to show 2! (the failing part, flagged), not 1026!, and 268 unflagged.
	it('shows the failing part of the grouped haz column and flags only that', () => {
		const data = rows({name: 'hwpoison_inject', done: true, touches: {nomap: 1024, oob: 2}}, {name: 'soft_offline_page', done: true, touches: {hole: 268}});
		view = renderAt(table(80, {rows: data}), {columns: 80, rows: 24});
		expect(line(view.frame(), 'hwpoison_inject')).toMatch(/ \. +2! +FAIL$/);
		expect(line(view.frame(), 'soft_offline_page')).toMatch(/ \. +268 +pass$/);
	});

	it('groups the hazards in one column at 80 and gives each its own, plus the form, at 200', () => {
		const data = rows({name: 'hwpoison_inject', done: true, touches: {C5: 2, metadata: 65_536, teardown: 262_144}});
		view = renderAt(table(80, {rows: data}), {columns: 80, rows: 24});
		expect(view.lines()[1]).toMatch(/walker +prog\. +C1 +C2 +C3 +C4 +C5 +haz +vrdct$/);
		expect(line(view.frame(), 'hwpoison_inject')).toMatch(/ 328k! +FAIL/);
		view.unmount();
		view = renderAt(table(200, {rows: data, category: 'teardown'}), {columns: 200, rows: 60});
		expect(view.lines()[1]).toMatch(/walker +form in use +progress +C1 +C2 +C3 +C4 +C5 +meta +hole +nomap +\[tdown\] +unbck +oob +hvo +ok +verdict$/);
		expect(line(view.frame(), 'hwpoison_inject')).toContain('v5.4+: pfn_to_online_page()');
	});

	it('shows what changed against the previous run: arrows, then signed deltas with d', () => {
		const touches = tally({C5: 0, C2: 66, teardown: 4});
		const previous: AuditReport = {
			...showcaseMeta('6.12'),
			walkers: [{name: 'memunmap_pages', models: '', form: '', guard: '', file: '', builtin: true, status: 'ok', pfns_visited: 1, touches, failing: failingOf(touches), witnesses: [], verdict: 'fail'}],
			verdict: 'fail',
			elapsed_ms: 1,
			pfns_per_second: 1,
		};
		const baseline = baselineOf(previous, 'showcase.yaml');
		const now = rows({name: 'memunmap_pages', done: true, touches: {C5: 1, teardown: 4}});
		view = renderAt(table(200, {rows: now, baseline}), {columns: 200, rows: 60});
		const arrows = line(view.frame(), 'memunmap_pages');
		expect(arrows).toMatch(/ 1!▲/);
		expect(arrows).toMatch(/ \.\s▼/);
		expect(arrows).toMatch(/ 4! /);
		expect(view.lines()[0]).toContain('d: show Δ');
		view.rerender(table(200, {rows: now, baseline, showDeltas: true}));
		const deltas = line(view.frame(), 'memunmap_pages');
		expect(deltas).toMatch(/ \+1!▲/);
		expect(deltas).toMatch(/ -66 ▼/);
		expect(deltas).toMatch(/ =! /);
		expect(view.lines()[0]).toContain('Δ shown');
	});

	it('windows the rows around the selected walker', () => {
		const many = rows(...Array.from({length: 23}, (_, index) => ({name: `walker_${String(index).padStart(2, '0')}`, fraction: 0})));
		view = renderAt(table(80, {rows: many, selected: 'walker_20', height: 9}), {columns: 80, rows: 24});
		const lines = view.lines();
		expect(lines).toHaveLength(9);
		expect(lines.some(text => text.startsWith('▶ walker_20'))).toBe(true);
		expect(view.frame()).not.toContain('walker_00');
		expect(lines[0]).toContain('17-23 of 23');
	});
});

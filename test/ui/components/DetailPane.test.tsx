import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import DetailPane from '../../../source/ui/components/DetailPane.js';
import {rows, witness} from '../helpers/fixtures.js';
import {renderAt, type Rendered} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

// 5000 witnesses in the hot-added, never onlined block at 0x200000 (C1).
const many = Array.from({length: 5000}, (_, index) => witness(0x20_0000 + index * 512, 'C1', index));
const [row] = rows({name: 'read_page_owner', done: true, touches: {C1: 1_048_576, C5: 2, ok: 1_572_767}, witnesses: many, form: 'v4.13+: pfn_valid()'});

describe('DetailPane', () => {
	it('renders only the window around the cursor of thousands of witnesses', () => {
		const cursor = 2500;
		view = renderAt(<DetailPane row={row} category="C1" witnesses={many} cursor={cursor} width={80} height={12} focused />, {columns: 80, rows: 24});
		const lines = view.lines();
		expect(lines.length).toBeLessThanOrEqual(12);
		expect(lines[0]).toMatch(/^▶ Witnesses · read_page_owner · C1 2501 of 5000 ─+$/);
		expect(lines[1]).toContain('mm/x.c:read_page_owner()');
		expect(lines[2]).toBe('  ok 1.57M C1 1.05M! C5 2!');
		const shown = lines.filter(text => /^(▶ | {2})0x/.test(text));
		// 12 rows: title, models, counts, 8 witnesses, and the selected one's sentence in full.
		expect(shown).toHaveLength(8);
		expect(lines.at(-1)).toBe(`  why: witness 2500: read page_type of pfn 0x${(0x20_0000 + cursor * 512).toString(16)}`);
		const selected = lines.find(text => text.startsWith('▶ 0x'));
		expect(selected).toContain((0x20_0000 + cursor * 512).toString(16));
		expect(selected).toContain('witness 2500:');
		expect(view.frame()).not.toContain('witness 0:');
		expect(view.frame()).not.toContain('witness 4999:');
	});

	it('shows the call chain from 100 columns, and the selected witness in full when tall', () => {
		view = renderAt(<DetailPane row={row} category={undefined} witnesses={many} cursor={0} width={200} height={26} focused={false} />, {columns: 200, rows: 60});
		const lines = view.lines();
		expect(lines[0]).toMatch(/^─ Witnesses · read_page_owner · all categories 1 of 5000/);
		expect(lines.find(text => text.startsWith('▶ 0x200000'))).toMatch(/sec 0x40 +C1! +read_page_owner›page_ext_get +witness 0:/);
		expect(lines.at(-1)).toMatch(/^ {2}why: witness 0: read page_type of pfn 0x200000$/);
	});

	it('says why a walker has no witnesses, and shows the error of one that threw', () => {
		const [threw] = rows({name: 'my_pfn_walker', done: true, status: 'threw', error: 'TypeError: boom at ./my_pfn_walker.ts:41:17'});
		view = renderAt(<DetailPane row={threw} category="C5" witnesses={[]} cursor={0} width={80} height={8} focused />, {columns: 80, rows: 24});
		expect(view.frame()).toContain('threw: TypeError: boom at ./my_pfn_walker.ts:41:17');
		expect(view.frame()).toContain('no witnesses in C5');
	});
});

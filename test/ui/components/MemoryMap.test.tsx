import React from 'react';
import {afterEach, describe, expect, it} from 'vitest';
import MemoryMap from '../../../source/ui/components/MemoryMap.js';
import {renderAt, type Rendered} from '../helpers/render.js';
import {showcaseMeta} from '../helpers/fixtures.js';
import {CATEGORY_COLOR, CATEGORY_FOREGROUND} from '../../../source/ui/theme.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const meta = showcaseMeta();
const props = {map: meta.map, failOn: meta.fail_on, focused: false, touchLabel: 'read_page_owner C5', cursorPfn: 0};

describe('MemoryMap', () => {
	it('draws every category of the showcase on an 80-column strip, with a legend', () => {
		view = renderAt(<MemoryMap {...props} width={80} height={4} view={{zoom: 0, center: 0}} touches={[]} />, {columns: 80, rows: 24});
		const [title, strip, touches, legend] = view.lines();
		expect(title).toMatch(/^─ Map regions \(log widths\) · ok boot@0x0 \[0x0, /);
		expect(strip).toHaveLength(80);
		for (const glyph of ['=', 'h', '1', '2', '3', '4', '5', 'm', 't', 'u']) {
			expect(strip, glyph).toContain(glyph);
		}

		expect(touches).toContain('no witnesses of read_page_owner C5 to mark');
		expect(legend).toContain('5 C5');
		expect(legend).toContain('m meta');
		expect(legend).toContain('u unbck');
	});

	it('marks the cells holding the selected walker\'s witnesses, under the right category', () => {
		// The showcase's altmap reserve: pfns 0x300000-0x300001 (fsdax@0x300000000, reserve 8K).
		view = renderAt(<MemoryMap {...props} width={80} height={4} view={{zoom: 0, center: 0}} touches={[0x30_0000, 0x30_0001]} />, {
			columns: 80,
			rows: 24,
		});
		const [, strip, touches] = view.lines();
		const marks = [...touches!].flatMap((char, index) => (char === '▴' ? [index] : []));
		expect(marks.length).toBeGreaterThan(0);
		for (const index of marks) {
			expect(strip![index]).toBe('5');
		}
	});

	it('zooms linearly, shows the address axis at 5 rows and the cursor region in the title', () => {
		const cursor = 0x30_0000;
		view = renderAt(<MemoryMap {...props} width={200} height={5} view={{zoom: 3, center: cursor}} cursorPfn={cursor} focused touches={[]} />, {
			columns: 200,
			rows: 60,
		});
		const [title, strip, , axis] = view.lines();
		// The cursor's cell holds the 2-page reserve (C5) and the memmap storage (meta): mixed, both named.
		expect(title).toMatch(/^▶ Map linear x16 · mixed: C5 meta \[0x300000, /);
		expect(strip).toContain('*');
		expect(axis).toMatch(/^pfn 0x[\da-f]+ +pfn 0x[\da-f]+$/);
		expect(axis).toHaveLength(200);
	});

	it('names a region once when its label is its category, and counts one pfn as "1 pfn"', () => {
		const map = [
			{start_pfn: 0, end_pfn: 1, category: 'hole' as const, label: 'hole'},
			{start_pfn: 1, end_pfn: 0x100, category: 'ok' as const, label: 'boot@0x1000'},
		];
		view = renderAt(<MemoryMap {...props} map={map} width={80} height={4} view={{zoom: 0, center: 0}} touches={[]} />, {columns: 80, rows: 24});
		expect(view.lines()[0]).toMatch(/^─ Map regions \(log widths\) · hole \[0x0, 0x1\) 1 pfn ─/);
	});

	// A test of a linear cell holding boot RAM and pmem (the issue's `u` for all boot RAM and the
	// pmem): expect it drawn as *, not as the letter of one category, and the legend to say so.
	it('draws a linear cell of several categories as * and says so in the legend', () => {
		const map = [
			{start_pfn: 0, end_pfn: 0x100, category: 'ok' as const, label: 'boot@0x0'},
			{start_pfn: 0x100, end_pfn: 0x104, category: 'C4' as const, label: 'devdax@0x100000'},
			{start_pfn: 0x104, end_pfn: 0x10000, category: 'unbacked' as const, label: 'no memmap'},
		];
		view = renderAt(<MemoryMap {...props} map={map} width={80} height={4} view={{zoom: 1, center: 0}} touches={[]} />, {columns: 80, rows: 24});
		const [, strip, , legend] = view.lines();
		expect(strip![0]).toBe('*');
		expect(strip!.slice(1)).toMatch(/^u+$/);
		expect(legend).toContain('* mixed');
	});

	// Letters on dark backgrounds (hole on grey, meta on blue, C5 on red, C3 on magenta) were black.
	it('letters dark backgrounds in white', () => {
		for (const [id, background] of Object.entries(CATEGORY_COLOR)) {
			const dark = ['gray', 'blue', 'red', 'magenta'].includes(background);
			expect(CATEGORY_FOREGROUND[id as keyof typeof CATEGORY_FOREGROUND], id).toBe(dark ? 'whiteBright' : 'black');
		}
	});
});

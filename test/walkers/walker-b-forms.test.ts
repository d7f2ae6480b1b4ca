import {describe, expect, it} from 'vitest';
import {KERNEL_VERSIONS, v} from '../../source/kernel/version.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import __reset_isolation_suitable from '../../walkers/__reset_isolation_suitable.js';
import isolate_freepages_block from '../../walkers/isolate_freepages_block.js';
import isolate_migratepages_block from '../../walkers/isolate_migratepages_block.js';
import kpagecgroup_read from '../../walkers/kpagecgroup_read.js';
import kpagecount_read from '../../walkers/kpagecount_read.js';
import kpageflags_read from '../../walkers/kpageflags_read.js';
import mark_free_pages from '../../walkers/mark_free_pages.js';
import page_idle_bitmap_read from '../../walkers/page_idle_bitmap_read.js';
import pagetypeinfo_showmixedcount_print from '../../walkers/pagetypeinfo_showmixedcount_print.js';
import read_page_owner from '../../walkers/read_page_owner.js';
import set_zone_contiguous from '../../walkers/set_zone_contiguous.js';
import {fakeModel, OK} from '../helpers/fake-model.js';

const walkers: Record<string, WalkerDefinition> = {
	set_zone_contiguous,
	isolate_migratepages_block,
	isolate_freepages_block,
	__reset_isolation_suitable,
	kpageflags_read,
	kpagecount_read,
	kpagecgroup_read,
	pagetypeinfo_showmixedcount_print,
	read_page_owner,
	page_idle_bitmap_read,
	mark_free_pages,
};

// A test over every modelled release of the eleven walkers of this slice, on a one-zone model.
//
//   | boot RAM (ok), zone Normal |
//   0x0                     0x1000 = max_pfn
//
// Expect a form at every release (none of them is absent between v4.13 and v6.18), a form label
// that changes only at a release named in the walker's history, and a history in release order.
describe.each(Object.entries(walkers))('%s', (file, walker) => {
	it('is named after its file and models a kernel function of that name', () => {
		expect(walker.name).toBe(file);
		expect(walker.models.endsWith(`:${file}()`)).toBe(true);
	});

	it('keeps its guard history in release order, starting at v4.13', () => {
		const codes = walker.history.map(change => v(change.since).code);
		expect(walker.history[0]!.since).toBe('4.13');
		expect([...codes].sort((a, b) => a - b)).toEqual(codes);
		expect(new Set(codes).size).toBe(codes.length);
	});

	it('has a form at every release, changing only where its history says', () => {
		const since = new Set(walker.history.map(change => change.since));
		let previous: string | undefined;
		for (const kernel of KERNEL_VERSIONS) {
			const form = walker.plan(
				fakeModel({
					kernel,
					runs: [{start: 0, end: 0x1000, state: OK}],
					zones: [{nid: 0, name: 'Normal', zone_start_pfn: 0, zone_end_pfn: 0x1000, populated: true, contiguous: false}],
				}),
			);
			expect(form, kernel).not.toBeNull();
			if (previous !== undefined && form!.label !== previous) {
				expect(since.has(kernel), `${file}: form changes at v${kernel}`).toBe(true);
			}

			expect(form!.label.startsWith('v'), form!.label).toBe(true);
			previous = form!.label;
		}
	});
});

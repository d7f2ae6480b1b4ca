import {describe, expect, it} from 'vitest';
import type {AuditReport, WalkerResult} from '../../source/engine/types.js';
import {renderReport} from '../../source/report/index.js';
import {GITHUB_STEP_SUMMARY_LIMIT} from '../../source/report/md.js';
import {passingReport, showcaseReport} from '../fixtures/report-showcase.js';

// A test that renders the showcase report as a GitHub/GitLab comment. Expect a facts table, a
// walker × category table with all twelve categories, witnesses inside <details> as plain text
// (markup in witness text cannot render), and a hard cap at GitHub's 1 MiB step-summary limit.
describe('markdown report', () => {
	const md = renderReport(showcaseReport, 'md');

	it('opens with the verdict and the facts of the audit', () => {
		// ERROR: read_page_owner threw (the verdict is fail; the headline says the tallies are incomplete).
		expect(md.split('\n')[0]).toBe('## pfnaudit 0.1.0: ERROR on `x86-fsdax-collision`');
		const noError: AuditReport = {...showcaseReport, walkers: showcaseReport.walkers.filter(walker => walker.verdict !== 'error')};
		expect(renderReport(noError, 'md').split('\n')[0]).toBe('## pfnaudit 0.1.0: FAIL on `x86-fsdax-collision`');
		// The model notes follow the facts table as a list.
		expect(md).toContain(`| walkers | 5 fail, 1 error, 2 pass, 1 absent (of 9) |\n| reproduce | \`pfnaudit audit topologies/x86-fsdax-collision.yaml --kernel 5.10 --walker memory_failure`);
		expect(md).toContain(`--walker __reset_isolation_suitable\` |\n\n**Model notes**\n\n- ${showcaseReport.notes![0]}\n`);
		expect(renderReport({...showcaseReport, notes: []}, 'md')).not.toContain('Model notes');
		expect(md).toContain('| fail-on | `C1` `C3` `C4` `C5` `metadata` `teardown` `unbacked` `oob` `hole` `nomap` `hvo` |');
		expect(md).toContain('| walkers | 5 fail, 1 error, 2 pass, 1 absent (of 9) |');
		// The description's "&" is an entity, its underscores escaped.
		expect(md).toContain('> Boot RAM up to 0x23c000000 &amp; an fsdax namespace');
		expect(md).toContain('memremap\\_pages()');
		// Paragraphs, the list and the preformatted map keep their shape inside the quote, in ASCII.
		expect(md).toContain(
			[
				'> Boot RAM up to 0x23c000000 &amp; an fsdax namespace (ndctl create-namespace --map=dev) that shares section 0x47 with it - every category pfnaudit counts but nomap and teardown:',
				'>',
				'> - a hot-added block onlined movable then offlined, one still online (C1);',
				'> - a devdax range caught in memremap\\_pages() before memmap\\_init\\_zone\\_device() (C4 -&gt; C3 in the tail of its last section).',
				'>',
				'> ```text',
				'> 0x23c000   0x23c002    0x23d102      0x280000',
				'> | reserve  | memmap    | data    ...  |',
				'> ```',
				'>',
				'> Run with --kernel 5.12 to see pfn\\_to\\_online\\_page() learn about the collision.',
			].join('\n'),
		);
	});

	it('has a table row per walker with every category column, failing cells bold', () => {
		const header = md.split('\n').find(line => line.startsWith('| walker |'));
		expect(header).toBe('| walker | verdict | ok | C1 | C2 | C3 | C4 | C5 | metadata | hole | nomap | teardown | unbacked | oob | hvo |');
		expect(md).toContain('| `memory_failure` | **FAIL** | 2375583 | 0 | 274174 | 0 | **254464** | **2** | **4352** | 97 | 0 | 0 | 0 | 0 | 0 |');
		expect(md).toContain('| `read_page_owner` | **ERROR** (threw) |');
		expect(md).toContain('| `damon_get_folio` | absent |');
		// Rows of a GFM table must all have the same number of cells.
		const rows = md.split('\n').filter(line => line.startsWith('| `'));
		expect(rows).toHaveLength(9);
		for (const row of rows) {
			expect(row.split(' | ')).toHaveLength(15);
		}
	});

	it('puts witnesses in a collapsed details block as fenced plain text', () => {
		expect(md).toContain('<details><summary>Witnesses of <code>memory_failure</code></summary>\n\n```text\nC4: 254464 failing of 254464 touches\n  - pfn 0x400000 (section 0x80): read page->mapping\n    via memory_failure -> memory_failure_dev_pagemap -> dax_lock_page\n');
		// GitHub does not wrap code blocks: witness lines are wrapped at 100 columns; the chain is not repeated before a sentence that starts with it.
		const blocks = [...md.matchAll(/<summary>Witnesses of .*\n\n```text\n([^]*?)\n```\n/g)].map(match => match[1]!);
		expect(blocks).toHaveLength(5);
		expect(Math.max(...blocks.flatMap(block => block.split('\n')).map(line => line.length))).toBeLessThanOrEqual(100);
		expect(md).toContain('  - pfn 0x300000 (section 0x60): read page->compound_head\n    hwpoison_inject -> compound_head reads page->compound_head of pfn 0x300000:');
		expect(md).toContain('- fixed: 34dc45be4563 ("mm: fix memory\\_failure() handling of dax-namespace metadata") in v5.12');
		// Inside the fence, the hostile witness is inert text: no raw ESC, no HTML.
		expect(md.replaceAll(/\n +/g, ' ')).toContain(String.raw`NR_SECTION_ROOTS <2048> & #oob \x1b[31mno bound check\x1b[0m\x07`);
		expect(md).not.toContain('\u001B');
		expect(md).toContain('- **ERROR** `read_page_owner` threw: walkers/read\\_page\\_owner.ts threw TypeError');
		expect(md).toContain('- skip `damon_get_folio`: absent at v5.10');
	});

	it('makes code spans and fences that survive backticks and pipes', () => {
		const tricky: AuditReport = {
			...showcaseReport,
			walkers: [{...showcaseReport.walkers[0]!, name: 'a`b|c', witnesses: [{...showcaseReport.walkers[0]!.witnesses[0]!, why: 'has ``` a fence'}]}],
		};
		const out = renderReport(tricky, 'md');
		expect(out).toContain('| ``a`b\\|c`` | **FAIL** |');
		expect(out).toContain('````text\n');
		expect(out).toContain('    has ``` a fence\n');
		expect(out).toContain('metadata: 4352 failing of 4352 touches\n````\n');
	});

	it('stays under GitHub\'s 1 MiB step-summary limit, with a note on what was cut', () => {
		const huge: WalkerResult[] = Array.from({length: 400}, (_, index) => ({
			...showcaseReport.walkers[0]!,
			name: `walker_${index}`,
			witnesses: Array.from({length: 40}, () => ({...showcaseReport.walkers[0]!.witnesses[0]!, why: 'w'.repeat(400)})),
		}));
		const out = renderReport({...showcaseReport, walkers: huge}, 'md', {witnessesPerCategory: 40});
		expect(Buffer.byteLength(out)).toBeLessThanOrEqual(GITHUB_STEP_SUMMARY_LIMIT);
		// Walker sections (about 22 KB each here) are cut whole: the report ends within one section of the limit.
		expect(Buffer.byteLength(out)).toBeGreaterThan(GITHUB_STEP_SUMMARY_LIMIT - 30_000);
		expect(out).toMatch(/> \*\*Truncated:\*\* \d+ of \d+ blocks \(\d+ walker sections\) were left out to stay within 1048576 bytes/);
		// Every table row made it; sections were cut whole.
		expect(out.split('\n').filter(line => line.startsWith('| `walker_'))).toHaveLength(400);
		expect(out.match(/<details><summary>Witnesses/g)?.length).toBe(out.match(/<\/details>/g)!.length - 1);
	});

	it('honours a smaller budget and leaves a report that fits alone untouched', () => {
		const small = renderReport(showcaseReport, 'md', {maxBytes: 6000});
		expect(Buffer.byteLength(small)).toBeLessThanOrEqual(6000);
		expect(small).toContain('**Truncated:**');
		expect(md).not.toContain('Truncated');
		expect(renderReport(showcaseReport, 'md', {maxBytes: Buffer.byteLength(md)})).toBe(md);
	});

	it('renders the all-clear report', () => {
		const clear = renderReport(passingReport, 'md');
		expect(clear.split('\n')[0]).toBe('## pfnaudit 0.1.0: PASS on `x86-fsdax-collision`');
		expect(clear).not.toContain('#### FAIL');
		expect(clear).toContain('- pass `set_zone_contiguous`: 4577 pfns visited, no failing touch');
	});
});

/**
`pfnaudit search` against the walker catalog's history (issue 15, Show): for every fix a built-in
walker's forms name (WalkerForm.fixed_by, walkers/*.ts and source/walker/fixes.ts), a search at
the last release before the fix finds a counterexample in the bug's category within a small
budget, that counterexample passes at the fixed release, and a search at the fixed release finds
none in that category within its budget.

The bugs are read from the catalog, not listed here: a walker added with a fixing commit is
covered by this file without an edit. The bug's category is found, not assumed: the search at the
pre-fix release asks for the default failing set (then C2, the initialized ZONE_DEVICE memmap some
collision fixes stop reading); a counterexample that still fails at the fixed release shows a
hazard the fix does not close (a teardown, an early-section hole), so its category is set aside
and the search goes on. Where a fix shares its category with a hazard that outlives it, EXCEPTIONS
says so, and the test checks that the search after the fix does find that hazard (so an exception
that stops being true fails here too).

The search after the fix audits final states only (--no-phases): every fix here is about what a
walker reads in a settled layout; the memremap_pages() window in which get_dev_pagemap() already
finds the pgmap and the memmap is not yet initialized (C4, and the altmap pfns in it) is open at
every release, and the search shows it at intermediate phases (memory_failure at v5.12, phase P3).
*/
import {describe, expect, it} from 'vitest';
import {KERNEL_VERSIONS} from '../../source/kernel/version.js';
import {type CategoryId, DEFAULT_FAIL_SET} from '../../source/model/categories.js';
import {buildModel} from '../../source/model/build.js';
import {ARCHES} from '../../source/model/geometry.js';
import {layoutTopology} from '../../source/search/layout.js';
import {probeLayout} from '../../source/search/probe.js';
import {searchInProcess} from '../../source/search/search.js';
import type {Commit, WalkerDefinition} from '../../source/walker/contract.js';
import {builtinWalkers} from '../../source/walker/registry.js';
import {InputError} from '../../source/errors/input-error.js';

/** Layouts of the search before the fix, per category round. */
const BEFORE_BUDGET = 1500;
/** Layouts of the search after the fix. */
const AFTER_BUDGET = 500;
const SEED = 1;

type Fix = Commit & {readonly version: string};
type Bug = {readonly walker: WalkerDefinition; readonly fix: Fix; readonly before: string; readonly key: string};

/**
Fixes whose category a hazard shares that the fix leaves open: the search after the fix finds it
(checked), and the reason says which. Keyed by walker and fix (id, or subject without one).
*/
const EXCEPTIONS: Readonly<Record<string, string>> = {
	'page_idle_bitmap_read@7298e3b0a149':
		'7298e3b0a149 stops the walk at max_pfn (the hole pfns above it in the last section); pfn_valid() still admits the holes inside early sections below max_pfn, whose memmap is initialized only from v5.6 (hole)',
	'page_idle_bitmap_write@7298e3b0a149':
		'7298e3b0a149 clips page_idle_bitmap_write() at max_pfn as it does page_idle_bitmap_read(); pfn_valid() still admits the holes inside early sections below max_pfn, whose memmap is initialized only from v5.6 (hole)',
};

/** Every fix a built-in walker's forms name, with the last release that names it. */
function catalogBugs(): Bug[] {
	const plain = layoutTopology({
		arch: 'x86_64',
		kernel: '6.12',
		config: {debug_vm: true, vmemmap: true},
		patches: [],
		memory: [{kind: 'boot', start: 0, end: 2 * 2 ** 30, node: 0, nomap: []}],
		operations: [],
	});
	if (plain instanceof InputError) {
		throw plain;
	}

	const bugs: Bug[] = [];
	for (const walker of builtinWalkers()) {
		const last = new Map<string, {fix: Fix; before: string}>();
		for (const kernel of KERNEL_VERSIONS) {
			const fix = walker.plan(buildModel({...plain, kernel}))?.fixed_by;
			if (fix) {
				last.set(`${walker.name}@${fix.id ?? fix.subject}`, {fix, before: kernel});
			}
		}

		for (const [key, {fix, before}] of last) {
			bugs.push({walker, fix, before, key});
		}
	}

	return bugs;
}

const BUGS = catalogBugs();

/**
The bug's category: search before the fix in the categories left, keep the first counterexample
that passes at the fixed release (or on which the walker no longer exists there).
*/
async function bugCategory(bug: Bug): Promise<{category: CategoryId; index: number} | {tried: CategoryId[]}> {
	let left: CategoryId[] = [...DEFAULT_FAIL_SET];
	const setAside: CategoryId[] = [];
	for (const round of [0, 1, 2, 3]) {
		if (left.length === 0) {
			left = round < 3 && !setAside.includes('C2') ? ['C2'] : [];
		}

		if (left.length === 0) {
			break;
		}

		// eslint-disable-next-line no-await-in-loop
		const result = await searchInProcess({walker: bug.walker, kernel: bug.before, arches: ARCHES, patches: [], categories: left, seed: SEED, budget: BEFORE_BUDGET});
		if (!result.found) {
			setAside.push(...left);
			left = [];
			continue;
		}

		const {category} = result.found.result.witness;
		const fixed = probeLayout({...result.found.result.layout, kernel: bug.fix.version}, {walker: bug.walker, categories: [category]});
		if (fixed.verdict === 'pass' || fixed.verdict === 'absent') {
			return {category, index: result.found.index};
		}

		setAside.push(category);
		left = left.filter(id => id !== category);
	}

	return {tried: setAside};
}

describe('search finds each historical bug of the walker catalog before its fix and not after', () => {
	it('A test that reads the catalog. Expect the fixes of the /proc/kpage* readers, memunmap_pages and the v5.12 collision fix among the bugs', () => {
		const keys = BUGS.map(bug => bug.key);
		expect(keys).toContain('kpageflags_read@aad5f69bc161');
		expect(keys).toContain('memunmap_pages@77e080e7680e');
		expect(keys).toContain('set_zone_contiguous@1f90a3477df3');
		expect(BUGS.every(bug => KERNEL_VERSIONS.indexOf(bug.before) + 1 === KERNEL_VERSIONS.indexOf(bug.fix.version))).toBe(true);
		for (const key of Object.keys(EXCEPTIONS)) {
			expect(keys, `EXCEPTIONS names ${key}, which the catalog no longer has`).toContain(key);
		}
	});

	it.each(BUGS.map(bug => [bug.key, bug.before, bug.fix.version, bug] as const))(
		'A test that searches %s at v%s and at v%s. Expect a counterexample before the fix, passing after it, and none after the fix within the budget',
		async (key, before, after, bug) => {
			const found = await bugCategory(bug);
			expect('category' in found, `${key}: no counterexample at v${before} that v${after} fixes (categories tried: ${'tried' in found ? found.tried.join(', ') : ''})`).toBe(true);
			const {category} = found as {category: CategoryId};
			const result = await searchInProcess({walker: bug.walker, kernel: after, arches: ARCHES, patches: [], categories: [category], seed: SEED, budget: AFTER_BUDGET, phases: false});
			if (result.coverage.absent > 0) {
				// The fix removed the function (shrink_pgdat_span at v5.4).
				expect(result.coverage.layouts).toBe(0);
				return;
			}

			const exception = EXCEPTIONS[key];
			if (exception === undefined) {
				expect(result.found?.result.witness, `${key}: ${category} at v${after}`).toBeUndefined();
				expect(result.tried).toBe(AFTER_BUDGET);
			} else {
				expect(result.found, `${key} is an exception (${exception}): the search at v${after} should find ${category}`).toBeDefined();
			}
		},
		60_000,
	);
});

import {describe, expect, it} from 'vitest';
import {isInternalError} from '../../source/errors/internal-error.js';
import {walkerProblem} from '../../source/walker/check.js';
import type {WalkerDefinition} from '../../source/walker/contract.js';
import {builtinWalkers, checkBuiltinWalkers} from '../../source/walker/registry.js';

const good: WalkerDefinition = {
	name: 'kpageflags_read',
	models: 'fs/proc/page.c:kpageflags_read()',
	trigger: 'read /proc/kpageflags',
	reachability: 'root',
	shape: 'consecutive pfns from the file offset, stride 1',
	fields: ['flags', 'compound_head'],
	history: [
		{since: '4.13', guard: 'pfn_valid()', confidence: 'V'},
		{
			since: '5.4',
			guard: 'pfn_to_online_page()',
			confidence: 'P',
			commits: [{id: 'aad5f69bc161', subject: "fs/proc/page.c: don't access uninitialized memmaps in fs/proc/page.c"}],
		},
	],
	plan: () => null,
};

describe('walkerProblem', () => {
	it('accepts a well-formed walker', () => {
		expect(walkerProblem(good)).toBeUndefined();
	});

	it.each([
		[{...good, name: 'kpageflags-read'}, "name 'kpageflags-read' is not a C identifier"],
		[{...good, models: 'kpageflags_read'}, "models 'kpageflags_read' is not 'path/file.c:function()'"],
		[{...good, models: 'fs/proc/page.c:kpageflags_read'}, 'is not \'path/file.c:function()\''],
		[{...good, trigger: ' '}, 'trigger is'],
		[{...good, reachability: 'everyone'}, "reachability is 'everyone'; use one of unprivileged, root"],
		[{...good, shape: undefined}, 'shape is missing'],
		[{...good, fields: ['flags', 'lru_head']}, "fields has 'lru_head', not a struct page field"],
		[{...good, history: []}, 'history is empty'],
		[{...good, history: [{since: '4.12', guard: 'pfn_valid()', confidence: 'V'}]}, "history[0].since is '4.12', not a modelled mainline release; use \"MAJOR.MINOR\" between 4.13 and 6.18"],
		[{...good, history: [...good.history].reverse()}, "history[1].since '4.13' does not come after history[0].since '5.4'"],
		[{...good, history: [{since: '5.4', guard: '', confidence: 'V'}]}, 'history[0].guard is'],
		[{...good, history: [{since: '5.4', guard: 'x()', confidence: 'X'}]}, "history[0].confidence is 'X'; use one of V, P, U, A"],
		[{...good, history: [{since: '5.4', guard: 'x()', confidence: 'V', commits: [{id: 'AAD5F69', subject: 's'}]}]}, "history[0].commits[0].id is 'AAD5F69'"],
		[{...good, history: [{since: '5.4', guard: 'x()', confidence: 'V', commits: [{id: 'aad5f69bc161'}]}]}, 'history[0].commits[0] has no subject'],
		[{...good, history: [{since: '5.4', guard: 'x()', confidence: 'V', fixes: 'y'}]}, "history[0] has the unknown key 'fixes'"],
		[{...good, plan: 'later'}, "plan is 'later'; give plan(model)"],
		[{...good, guard: 'pfn_valid()'}, "the walker has the unknown key 'guard'"],
		[null, 'the walker is null'],
	])('rejects %#: %s', (walker, message) => {
		expect(walkerProblem(walker)).toContain(message);
	});
});

describe('the built-in registry', () => {
	it('checks the built-in catalog', () => {
		expect(() => builtinWalkers()).not.toThrow();
		for (const walker of builtinWalkers()) {
			expect(walkerProblem(walker)).toBeUndefined();
		}
	});

	it('reports a malformed or duplicate built-in as an internal error naming its file', () => {
		const bad = {...good, models: 'page.c'};
		let error: unknown;
		try {
			checkBuiltinWalkers([bad]);
		} catch (error_) {
			error = error_;
		}

		expect(isInternalError(error)).toBe(true);
		expect((error as Error).message).toBe(
			"built-in walker kpageflags_read (walkers/kpageflags_read.ts): models 'page.c' is not 'path/file.c:function()'; give the kernel file and function, e.g. 'fs/proc/page.c:kpageflags_read()'",
		);
		expect(() => checkBuiltinWalkers([good, {...good}])).toThrow("the name 'kpageflags_read' is registered twice in walkers/index.ts");
	});
});

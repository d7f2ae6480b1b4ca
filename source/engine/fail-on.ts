/**
The failing set (`--fail-on`, source/model/categories.ts): which touch categories make an audit fail.

`hole` and `nomap` are special (source/model/categories.ts): a touch of either fails only where the memmap behind
it is not initialized at that kernel version (`PfnState.uninitialized`, decided by the model:
e.g. a hole in an early section holds garbage before v5.6 and is initialized PageReserved from
v5.6, commit 4b094b7851bf "mm/page_alloc.c: initialize memmap of unavailable memory directly").
pfnaudit's default set therefore is DEFAULT_FAIL_ON plus `hole` and `nomap` under that
condition; an explicit `--fail-on` lists exactly what fails (still with the condition for `hole`
and `nomap`).
*/
import {
	CATEGORY_IDS,
	type CategoryId,
	DEFAULT_FAIL_SET,
	FAIL_WHEN_UNINITIALIZED,
	isCategoryId,
} from '../model/categories.js';
import type {PfnState} from '../model/types.js';
import {InputError} from '../errors/input-error.js';

export {DEFAULT_FAIL_SET} from '../model/categories.js';

/** Whether a touch of a pfn in this state fails under `failOn`. */
export function isFailingTouch(failOn: ReadonlySet<CategoryId>, state: PfnState): boolean {
	if (!failOn.has(state.category)) {
		return false;
	}

	return !FAIL_WHEN_UNINITIALIZED.includes(state.category) || state.uninitialized;
}

/**
Parse `--fail-on`: comma-separated category ids (repeatable), `default` for the default set,
`none` for an empty set. Throws an InputError naming the bad id and the valid ones.
*/
export function parseFailOn(value: string | readonly string[] | undefined): CategoryId[] {
	if (value === undefined) {
		return [...DEFAULT_FAIL_SET];
	}

	const words = (typeof value === 'string' ? [value] : value)
		.flatMap(text => text.split(','))
		.map(word => word.trim())
		.filter(word => word !== '');
	if (words.length === 0) {
		throw new InputError(
			`--fail-on is empty; give comma-separated category ids (${CATEGORY_IDS.join(',')}), 'default' or 'none'`,
		);
	}

	const chosen = new Set<CategoryId>();
	for (const word of words) {
		if (word === 'none') {
			continue;
		}

		if (word === 'default') {
			for (const id of DEFAULT_FAIL_SET) {
				chosen.add(id);
			}

			continue;
		}

		if (!isCategoryId(word)) {
			throw new InputError(
				`--fail-on: '${word}' is not a category id; use a comma-separated list of ${CATEGORY_IDS.join(', ')} (or 'default', 'none')`,
			);
		}

		chosen.add(word);
	}

	if (words.includes('none') && chosen.size > 0) {
		throw new InputError(`--fail-on: 'none' cannot be combined with category ids; give either 'none' or a list of ids`);
	}

	// Report order: the order of CATEGORY_IDS, independent of how the user typed them.
	return CATEGORY_IDS.filter(id => chosen.has(id));
}

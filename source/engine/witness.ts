/**
Witnesses: the concrete touches a report shows for a non-zero cell (walker × category), each
with one sentence a reviewer can check against the kernel source, e.g.

	kpageflags_read → stable_page_flags reads page->flags of pfn 0x240000: altmap reserve of
	fsdax@0x240000000, never initialized (v5.3 guards with pfn_valid())

The reason comes from the model (`PfnState.reason`), the guard from the walker's form.
*/
import type {CategoryId} from '../model/categories.js';
import {type Geometry, hex, pfn_to_section_nr} from '../model/geometry.js';
import type {PageField} from '../walker/contract.js';
import type {Touch} from './context.js';
import type {Witness} from './types.js';

/** What a witness sentence needs besides the touch. */
export type WitnessScope = {
	readonly walker: string;
	/** The form's guard phrase: "guards with pfn_valid()". */
	readonly guard: string;
	/** Kernel label: "5.3". */
	readonly kernel: string;
	/** Phase id ("final" unless --phases). */
	readonly phase: string;
	readonly g: Geometry;
	/** The current pass's `why` (how userspace exposes its pfns), set by the engine per pass. */
	exposure?: string | undefined;
};

/** "a", "a and b", "a, b and c" */
function list(items: readonly string[]): string {
	if (items.length <= 1) {
		return items[0] ?? '';
	}

	return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** The fields of a touch in kernel terms: "page->flags and page->_refcount". */
export function fieldsPhrase(fields: readonly PageField[], sectionNr: number): string {
	const parts = fields.map(field => {
		switch (field) {
			case 'struct page': {
				return 'the struct page';
			}

			case 'mem_section': {
				return `the mem_section entry of section ${hex(sectionNr)}`;
			}

			default: {
				return `page->${field}`;
			}
		}
	});
	return list(parts);
}

/** Kernel call chain, outermost first: the walker, then the touching function unless it is the walker itself. */
export function callChain(walker: string, via: string): string[] {
	return via === '' || via === walker ? [walker] : [walker, via];
}

export function buildWitness(scope: WitnessScope, category: CategoryId, touch: Touch, failing: boolean): Witness {
	const sectionNr = pfn_to_section_nr(scope.g, touch.pfn);
	const chain = callChain(scope.walker, touch.via);
	const onlySection = touch.fields.length === 1 && touch.fields[0] === 'mem_section';
	const verb = touch.access === 'write' ? 'writes' : 'reads';
	const where = scope.phase === 'final' ? '' : ` at phase ${scope.phase}`;
	const reason = touch.run.state.reason.trim().replace(/\.$/, '');
	const guard = scope.guard.trim() === '' ? '' : ` ${scope.guard.trim()}`;
	const exposure = scope.exposure?.trim() ? `; ${scope.exposure.trim().replace(/\.$/, '')}` : '';
	const why =
		`${chain.join(' → ')} ${verb} ${fieldsPhrase(touch.fields, sectionNr)} ${onlySection ? 'for' : 'of'} pfn ${hex(touch.pfn)}${where}: ` +
		`${reason} (v${scope.kernel}${guard})${exposure}`;
	return {
		category,
		pfn: touch.pfn,
		section_nr: sectionNr,
		chain,
		fields: [...touch.fields],
		access: touch.access,
		why,
		phase: scope.phase,
		failing,
	};
}

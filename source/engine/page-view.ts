/**
What a walker sees when it dereferences a struct page: the memmap content of the pfn's run as
page flags, zone, node and pgmap (or nothing readable for garbage, poison and no memmap).
*/
import type {PfnState} from '../model/types.js';
import type {PageView} from '../walker/contract.js';

const NO_PAGE: PageView = {
	content: 'unbacked',
	zone: undefined,
	nid: undefined,
	pgmap: undefined,
	reserved: false,
	offline: false,
	poisoned: false,
};

/** What the walker sees when it dereferences a struct page in a run. */
export function pageView(state: PfnState): PageView {
	const {memmap} = state;
	switch (memmap.content) {
		case 'unbacked':
		case 'garbage': {
			return {...NO_PAGE, content: memmap.content};
		}

		case 'poison': {
			return {...NO_PAGE, content: 'poison', poisoned: true};
		}

		case 'init':
		case 'stale': {
			return {
				content: memmap.content,
				zone: memmap.zone,
				nid: memmap.nid,
				pgmap: memmap.pgmap,
				reserved: memmap.reserved ?? false,
				offline: memmap.offline ?? false,
				poisoned: false,
				...(memmap.hugetlb ? {hugetlb: memmap.hugetlb.part} : {}),
			};
		}
	}
}


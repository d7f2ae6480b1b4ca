/**
page_zone(page) / page_to_nid(page) / page_zone_id(page): decoded from page->flags, so only
meaningful on an initialized (or stale) struct page. A poisoned page has every flag bit set
(PagePoisoned(): flags == -1) and decodes to no real zone; garbage decodes to anything.
*/
import type {MemmapState, ZoneName} from '../types.js';

export function page_zone(memmap: MemmapState): {zone: ZoneName; nid: number} | undefined {
	if ((memmap.content === 'init' || memmap.content === 'stale') && memmap.zone !== undefined && memmap.nid !== undefined) {
		return {zone: memmap.zone, nid: memmap.nid};
	}

	return undefined;
}

/** page_zone_id(): node and zone index together; undefined where page_zone() is. */
export function page_zone_id(memmap: MemmapState): string | undefined {
	const z = page_zone(memmap);
	return z ? `${z.nid}:${z.zone}` : undefined;
}

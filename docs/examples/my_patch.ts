/**
An example user what-if patch (docs/writing-a-patch.md): step 2 of David Hildenbrand's
SECTION_IS_ACTIVE idea, "Make pfn_to_online_page() also check that it's not ZONE_DEVICE. Online
pfns are limited to !ZONE_DEVICE." (David Hildenbrand, "Re: [RFC PATCH v2] mm: initialize struct
pages reserved by ZONE_DEVICE driver.", 9 Sep 2019,
<c6198acd-8ff7-c40c-cb4e-f0f12f841b38@redhat.com>; abandoned there as "too complex for my
taste").

The active_map of his steps 3-5 is set by move_pfn_range_to_zone() for System RAM only, so a
ZONE_DEVICE subsection is never active: pfn_to_online_page() returns NULL for every pfn of a
pgmap, in every release, without get_dev_pagemap() — in an online (early) section too, and in the
memunmap_pages() window where get_dev_pagemap() already fails. Modelled as: while the pgmap is in
pgmap_array (P1 to T4), pfn_to_online_page() answers NULL for its pfns.

Run it:

	pfnaudit audit topologies/pmem-section-collision.yaml --kernel 5.4 --patch docs/examples/my_patch.ts
	pfnaudit compare topologies/pmem-section-collision.yaml --kernel 5.4 --patch-set none --patch-set docs/examples/my_patch.ts
*/
import {defineWhatIf} from '../../source/model/user-patches.js';

export default defineWhatIf({
	name: 'online-excludes-zone-device',
	summary: 'pfn_to_online_page() returns NULL for every ZONE_DEVICE pfn (step 2 of the SECTION_IS_ACTIVE idea)',
	source: 'David Hildenbrand, 9 Sep 2019, <c6198acd-8ff7-c40c-cb4e-f0f12f841b38@redhat.com>',
	predicates(view, answers) {
		if (view.pgmap?.in_xarray && answers.pfn_to_online_page) {
			return {pfn_to_online_page: false};
		}

		return undefined;
	},
});

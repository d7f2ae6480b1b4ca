/**
The fake port's `explain`: text in the shape of `pfnaudit explain` for a pfn of a scripted
scenario. It restates the script (region, category) and answers no predicate it does not know:
the real answers come from source/model/ through the real port.
*/
import {CATEGORY_TITLES} from '../../../source/model/categories.js';
import {geometryFor, hex, PFN_PHYS, pfn_to_section_nr, subsection_map_index} from '../../../source/model/geometry.js';
import {parseKernelVersion} from '../../../source/kernel/version.js';
import type {AuditMeta} from '../../../source/ui/port.js';
import type {FakeScenario} from './scenarios.js';

export function fakeExplain(scenario: FakeScenario, meta: AuditMeta, pfn: number): string[] {
	const version = parseKernelVersion(meta.kernel);
	if (!version) {
		throw new Error(`internal: fake port given unknown kernel ${meta.kernel}`);
	}

	const g = geometryFor(scenario.arch, version);
	const region = meta.map.find(item => pfn >= item.start_pfn && pfn < item.end_pfn);
	const lines = [
		`pfn ${hex(pfn)}  (physical ${hex(PFN_PHYS(g, pfn))})  ${scenario.name}, ${scenario.arch}, v${meta.kernel}`,
		`section ${pfn_to_section_nr(g, pfn)}  subsection ${subsection_map_index(g, pfn)} of ${g.SUBSECTIONS_PER_SECTION}`,
		'',
	];
	if (region) {
		lines.push(
			`region    ${region.label}  [${hex(region.start_pfn)}, ${hex(region.end_pfn)})`,
			`category  ${region.category}: ${CATEGORY_TITLES[region.category]}`,
		);
	} else {
		lines.push('region    none: no section of the topology covers this pfn', 'category  unbacked: ' + CATEGORY_TITLES.unbacked);
	}

	lines.push(
		'',
		'(fake port: scripted data for the dashboard demo; run `pfnaudit explain` for the modelled',
		' section flags, memmap state and every predicate answer)',
	);
	return lines;
}

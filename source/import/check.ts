/**
The imported topology against what the kernel itself said about its zones, read back from the same
capture: a difference is a warning at the capture line, since it means the topology does not
describe the machine exactly (a firmware DMA limit, kernelcore=/movable_node, memory the capture did
not show). Pure: topology and facts in, warnings out.

- dmesg.txt "Zone ranges:" (mm/mm_init.c free_area_init(): per zone type, the arch's limits
  clamped to the first and last pfn of boot memory, `[mem start-end]` inclusive or `empty`) against
  the zones of the topology's boot memory alone (the lines are printed before any hot-add); a
  populated zone outside its printed range, or one printed `empty`, is a difference. ZONE_DEVICE
  is never populated and not compared.
- dmesg.txt "Movable zone start for each node" (find_zone_movable_pfns_for_nodes(): kernelcore=,
  movablecore=, movable_node, mirrored memory): boot memory in ZONE_MOVABLE, which the model does
  not make (source/model/zones.ts).
- /proc/zoneinfo: each populated zone's [start_pfn, start_pfn + spanned) (mm/vmstat.c
  zoneinfo_show_print(); start_pfn only for populated zones) against the model of the whole
  topology, hot-added memory included (both were read at capture time).
*/
import {buildModel} from '../model/build.js';
import type {Model} from '../model/types.js';
import type {Topology} from '../topology/types.js';
import type {ImportWarning} from './build.js';
import type {CaptureFacts} from './collect.js';
import {hexAddress} from './text.js';

type Span = {start: number; end: number};

/** The populated zones of a model by name, over all nodes: [lowest start, highest end) in pfns. */
function populatedSpans(model: Model): Map<string, Span> {
	const spans = new Map<string, Span>();
	for (const zone of model.zones) {
		if (!zone.populated || zone.name === 'Device') {
			continue;
		}

		const span = spans.get(zone.name);
		spans.set(zone.name, span ? {start: Math.min(span.start, zone.zone_start_pfn), end: Math.max(span.end, zone.zone_end_pfn)} : {start: zone.zone_start_pfn, end: zone.zone_end_pfn});
	}

	return spans;
}

const pfnRange = (span: Span): string => `pfns [${hexAddress(span.start)}, ${hexAddress(span.end)})`;

export function checkAgainstKernel(topology: Topology, facts: CaptureFacts): ImportWarning[] {
	const warnings: ImportWarning[] = [];
	const dmesg = facts.dmesg;
	const zoneRanges = dmesg?.zoneRanges.filter(z => z.zone !== 'Device') ?? [];
	const populated = zoneRanges.length > 0 || (facts.zoneinfo ?? []).some(z => z.start_pfn !== undefined && (z.spanned ?? 0) > 0);
	if (!populated && (dmesg?.movableZoneStart.length ?? 0) === 0) {
		return warnings;
	}

	if (zoneRanges.length > 0) {
		const boot = buildModel({...topology, memory: topology.memory.filter(e => e.kind === 'boot'), operations: []});
		const page = boot.geometry.PAGE_SIZE;
		const spans = populatedSpans(boot);
		for (const z of zoneRanges) {
			const mine = spans.get(z.zone);
			if (!mine) {
				continue; // a range over holes only, or a zone the arch has not at this release: nothing to compare
			}

			if (z.start === undefined || z.end === undefined) {
				warnings.push({file: z.file, line: z.line, message: `the kernel's ZONE ${z.zone} is empty at boot, the imported topology's boot memory has it at ${pfnRange(mine)}: the zones differ (on arm64 a firmware DMA limit is config.dma_limit); check the arch and kernel`});
				continue;
			}

			const kernel = {start: Math.floor(z.start / page), end: Math.floor(z.end / page) + 1};
			if (mine.start < kernel.start || mine.end > kernel.end) {
				warnings.push({
					file: z.file,
					line: z.line,
					message: `the kernel's ${z.zone} zone range is ${pfnRange(kernel)}, the imported topology's boot memory has it at ${pfnRange(mine)}: the zones differ (on arm64 a firmware DMA limit is config.dma_limit; kernelcore= is not modelled)`,
				});
			}
		}
	}

	for (const m of dmesg?.movableZoneStart ?? []) {
		warnings.push({file: m.file, line: m.line, message: `the kernel put node ${m.node}'s boot memory from ${hexAddress(m.start)} in ZONE_MOVABLE (kernelcore=, movablecore=, movable_node or mirrored memory): not modelled, the topology keeps it in the kernel zones`});
	}

	const zoneinfo = (facts.zoneinfo ?? []).filter(z => z.start_pfn !== undefined && (z.spanned ?? 0) > 0 && z.zone !== 'Device');
	if (zoneinfo.length > 0) {
		const model = buildModel(topology);
		for (const z of zoneinfo) {
			const kernel = {start: z.start_pfn!, end: z.start_pfn! + z.spanned!};
			const mine = model.zones.find(m => m.nid === z.node && m.name === z.zone && m.zone_end_pfn > m.zone_start_pfn);
			if (!mine) {
				warnings.push({file: z.file, line: z.line, message: `the kernel's node ${z.node} ${z.zone} zone spans ${pfnRange(kernel)}, the imported topology has no such zone: the zones differ`});
			} else if (mine.zone_start_pfn !== kernel.start || mine.zone_end_pfn !== kernel.end) {
				warnings.push({file: z.file, line: z.line, message: `the kernel's node ${z.node} ${z.zone} zone spans ${pfnRange(kernel)}, the imported topology's ${pfnRange({start: mine.zone_start_pfn, end: mine.zone_end_pfn})}: the zones differ`});
			}
		}
	}

	return warnings;
}

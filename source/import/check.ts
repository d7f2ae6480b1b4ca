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
- the kernel command line: what changes the layout in ways a topology cannot say (checkCmdline()).
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

/**
The kernel command line (proc/cmdline, else dmesg's "Command line:") for what changes the memory
layout in ways the capture does not show: kernelcore=/movablecore=/movable_node (boot ZONE_MOVABLE,
mm/mm_init.c find_zone_movable_pfns_for_nodes()), memory_hotplug.memmap_on_memory (hot-added
memory's memmap on the memory itself, mm/memory_hotplug.c set_memmap_mode() [V 6.12]: modelled as
the hotplug entry's memmap_on_memory, but no capture file says which add_memory() used it), and
mem=/memmap= without the `user:` map they produce in the boot log (arch/x86/kernel/e820.c
parse_memopt()/parse_memmap_one(), then e820__print_table("user")).
*/
function checkCmdline(facts: CaptureFacts, warnings: ImportWarning[]): void {
	const cmdline = facts.cmdline ?? facts.dmesg?.cmdline;
	if (!cmdline) {
		return;
	}

	const words = cmdline.value.split(/\s+/);
	const at = {file: cmdline.file, line: cmdline.line};
	const movable = words.filter(w => /^(?:kernelcore|movablecore)=/.test(w) || w === 'movable_node');
	if (movable.length > 0 && (facts.dmesg?.movableZoneStart.length ?? 0) === 0) {
		warnings.push({...at, message: `${movable.join(' ')}: the kernel may put boot memory in ZONE_MOVABLE, which is not modelled (the topology keeps it in the kernel zones); dmesg.txt's "Movable zone start for each node" would say where`});
	}

	const memmapOnMemory = words.find(w => /^memory_hotplug\.memmap_on_memory=(?:1|[yY]\w*|[oO][nN]|[tT]rue|force|FORCE)$/.test(w));
	if (memmapOnMemory) {
		warnings.push({...at, message: `${memmapOnMemory}: an ACPI DIMM (v5.13+) or a dax/kmem device with its memmap_on_memory attribute set (v6.8+) keeps each block's memmap in its first pages (MHP_MEMMAP_ON_MEMORY), and the capture does not say which did: the hotplug entries are imported without it; add memmap_on_memory: true to those it applies to`});
	}

	const rewrite = words.filter(w => /^(?:mem|memmap)=/.test(w));
	if (rewrite.length > 0 && facts.dmesg && !facts.dmesg.e820.some(e => e.table === 'user') && facts.dmesg.e820.length > 0) {
		warnings.push({...at, message: `${rewrite.join(' ')} rewrites the e820 map, but dmesg.txt has no "user:" map (the log is cut short?): boot memory was read from the firmware's map, which the kernel did not use as is`});
	}
}

export function checkAgainstKernel(topology: Topology, facts: CaptureFacts): ImportWarning[] {
	const warnings: ImportWarning[] = [];
	checkCmdline(facts, warnings);
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

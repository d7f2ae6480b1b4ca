/**
/proc/zoneinfo (mm/vmstat.c zoneinfo_show_print()): one `Node %d, zone %8s` section per node and
zone type compiled in; `spanned`, `present`, `managed` for every zone, `start_pfn` (decimal) only
for populated ones (never for ZONE_DEVICE, whose pages are never present). The `per-node stats`
block of a node's first zone belongs to the node, not the zone.
*/
import {contentLines, parseError, type Source} from './text.js';

export type ZoneInfo = Source & {
	readonly node: number;
	readonly zone: string;
	readonly spanned: number | undefined;
	readonly present: number | undefined;
	readonly managed: number | undefined;
	readonly start_pfn: number | undefined;
};

const HEADER = /^Node (\d+), zone\s+(\S+)\s*$/;

export function isZoneinfo(text: string): boolean {
	return HEADER.test(contentLines(text)[0]?.text ?? '');
}

export function parseZoneinfo(text: string, file: string): ZoneInfo[] {
	const zones: Array<{-readonly [K in keyof ZoneInfo]: ZoneInfo[K]}> = [];
	const lines = contentLines(text);
	if (lines.length === 0 || !HEADER.test(lines[0]!.text)) {
		throw parseError(file, lines[0]?.line, 'not /proc/zoneinfo: it starts with "Node 0, zone      DMA"; is the file empty or another file?');
	}

	for (const {text: lineText, line} of lines) {
		const header = HEADER.exec(lineText);
		if (header) {
			zones.push({file, line, node: Number(header[1]), zone: header[2]!, spanned: undefined, present: undefined, managed: undefined, start_pfn: undefined});
			continue;
		}

		const field = /^\s+(spanned|present|managed|start_pfn):?\s+(\S+)\s*$/.exec(lineText);
		if (field) {
			if (!/^\d+$/.test(field[2]!)) {
				throw parseError(file, line, `${field[1]} "${field[2]}" is not a decimal page count; is the line cut short?`);
			}

			zones.at(-1)![field[1] as 'spanned'] = Number(field[2]);
		}
	}

	const last = zones.at(-1)!;
	if (last.spanned === undefined) {
		throw parseError(file, last.line, `the last zone (Node ${last.node}, zone ${last.zone}) has no "spanned" line: the file is truncated; capture it again`);
	}

	return zones;
}

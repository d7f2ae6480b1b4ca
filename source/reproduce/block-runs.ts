import type {HotplugEntry, HotplugState} from '../topology/types.js';

/** The blocks of a hot-added range as runs of one state, by address. */
export function blockRuns(entry: HotplugEntry): Array<{start: number; end: number; state: HotplugState}> {
	const page = (entry.end - entry.start) / (entry.end_pfn - entry.start_pfn);
	const runs: Array<{start: number; end: number; state: HotplugState}> = [];
	let at = entry.start;
	const listed = [...(entry.blocks ?? [])].map(b => ({start: b.start_pfn * page, end: b.end_pfn * page, state: b.state})).sort((a, b) => a.start - b.start);
	for (const b of listed) {
		if (b.start > at) {
			runs.push({start: at, end: b.start, state: entry.state});
		}

		runs.push(b);
		at = b.end;
	}

	if (at < entry.end) {
		runs.push({start: at, end: entry.end, state: entry.state});
	}

	return runs;
}

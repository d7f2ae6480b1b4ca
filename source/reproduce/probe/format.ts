/**
The probe module's output (`/proc/pfnaudit_probe`, copied into a capture as `probe.runs`):
docs/probe-format.md describes it, source/reproduce/probe/module/pfnaudit_probe.c writes it.
Runs of consecutive pfns with identical answers, `start end answers zone PageReserved` in hex,
the answers one character per column of the `# columns` line: `1`, `0`, or `-` (the kernel build
cannot answer it; an `# unavailable <column> <why>` line says why).
*/
import {InputError} from '../../errors/input-error.js';

export const PROBE_HEADER = /^# pfnaudit probe v1\b/;

/** The answer columns the module writes, in its order (docs/probe-format.md). */
export const PROBE_COLUMNS = [
	'pfn_valid',
	'pfn_to_online_page',
	'present_section',
	'valid_section',
	'online_section',
	'early_section',
	'SECTION_TAINT_ZONE_DEVICE',
	'pfn_section_valid',
	'get_dev_pagemap',
] as const;
export type ProbeColumn = (typeof PROBE_COLUMNS)[number];

export type ProbeAnswer = '1' | '0' | '-';

export type ProbeRun = {
	readonly start: number;
	/** Exclusive. */
	readonly end: number;
	readonly answers: Readonly<Record<ProbeColumn, ProbeAnswer>>;
	/** page_zone()->name of the initialized page; `#<n>` for a zone index no zone has; undefined where no struct page was read. */
	readonly zone: string | undefined;
	/** PageReserved() of the initialized page; undefined where no struct page was read. */
	readonly reserved: boolean | undefined;
};

export type ProbeOutput = {
	readonly file: string;
	readonly release: string | undefined;
	readonly runs: readonly ProbeRun[];
	/** [0, end) is covered. */
	readonly end: number;
	/** Columns this kernel build cannot answer, with the module's reason. */
	readonly unavailable: ReadonlyMap<ProbeColumn, string>;
};

function isColumn(name: string): name is ProbeColumn {
	return (PROBE_COLUMNS as readonly string[]).includes(name);
}

export function parseProbeRuns(text: string, file: string): ProbeOutput {
	const runs: ProbeRun[] = [];
	const unavailable = new Map<ProbeColumn, string>();
	let release: string | undefined;
	let columns: ProbeColumn[] | undefined;
	let rangeEnd: number | undefined;
	let end: number | undefined;
	let at = 0;
	let sawHeader = false;
	for (const [i, raw] of text.split('\n').entries()) {
		const line = raw.trim();
		if (line === '') {
			continue;
		}

		const where = {file, line: i + 1, column: 1};
		if (line.startsWith('#')) {
			if (PROBE_HEADER.test(line)) {
				sawHeader = true;
				continue;
			}

			const [, key, rest = ''] = /^#\s*(\S+)\s*(.*)$/.exec(line) ?? [];
			if (key === 'release') {
				release = rest;
			} else if (key === 'columns') {
				const names = rest.split(/\s+/);
				const answerNames = names.slice(0, -2);
				if (names.slice(-2).join(' ') !== 'zone PageReserved' || !answerNames.every(n => isColumn(n))) {
					throw new InputError(`"# columns ${rest.slice(0, 80)}" names columns this pfnaudit does not know (expected ${PROBE_COLUMNS.join(' ')} zone PageReserved); rebuild the probe module from this pfnaudit`, where);
				}

				columns = answerNames as ProbeColumn[];
			} else if (key === 'unavailable') {
				const [name = '', ...why] = rest.split(/\s+/);
				if (isColumn(name)) {
					unavailable.set(name, why.join(' '));
				}
			} else if (key === 'range') {
				rangeEnd = Number.parseInt(rest.split(/\s+/)[1] ?? '', 16);
			} else if (key === 'end') {
				end = Number.parseInt(rest, 16);
			} else if (key === 'error') {
				throw new InputError(`the probe module failed in the guest (error ${rest}); the capture's probe output is incomplete`, where);
			}

			continue;
		}

		if (!columns) {
			throw new InputError('a run comes before the "# columns" line; the probe output is damaged', where);
		}

		const m = /^([0-9a-f]+) ([0-9a-f]+) ([01-]+) (\S+) ([Rr-])$/i.exec(line);
		if (!m || m[3]!.length !== columns.length) {
			throw new InputError(`"${line.slice(0, 60)}" is not a probe run (start_pfn end_pfn answers zone PageReserved, hex); the file is damaged`, where);
		}

		const start = Number.parseInt(m[1]!, 16);
		const stop = Number.parseInt(m[2]!, 16);
		if (!Number.isSafeInteger(stop) || start !== at || stop <= start) {
			throw new InputError(`run [0x${m[1]!}, 0x${m[2]!}) does not continue the previous run at 0x${at.toString(16)}; the file is damaged`, where);
		}

		const answers = Object.fromEntries(PROBE_COLUMNS.map(c => [c, '-'])) as Record<ProbeColumn, ProbeAnswer>;
		for (const [k, c] of columns.entries()) {
			answers[c] = m[3]![k] as ProbeAnswer;
		}

		runs.push({start, end: stop, answers, zone: m[4] === '-' ? undefined : m[4], reserved: m[5] === '-' ? undefined : m[5] === 'R'});
		at = stop;
	}

	if (!sawHeader) {
		throw new InputError('no "# pfnaudit probe v1" line: this is not the probe module\'s output', {file});
	}

	if (end === undefined || end !== at || (rangeEnd !== undefined && rangeEnd !== end)) {
		throw new InputError(end === undefined ? 'no "# end" line: the guest stopped before it finished reading /proc/pfnaudit_probe' : `"# end ${end.toString(16)}" is not where the runs stop (0x${at.toString(16)}); the file is damaged`, {file});
	}

	return {file, release, runs, end, unavailable};
}

/**
util-linux lsmem (sys-utils/lsmem.c), default table output: a header line naming the columns
(RANGE SIZE STATE REMOVABLE BLOCK [NODE] [ZONES] …), one line per run of blocks with equal
attributes (RANGE inclusive `0x%016lx-0x%016lx`, BLOCK `N` or `N-M`), then the summary
(`Memory block size: 128M`, totals). Sizes in the summary use lsmem's human units (K M G T, powers
of 1024, with a fraction only where it is not whole).
*/
import type {BlockState} from './memory-blocks.js';
import {contentLines, isPowerOfTwo, parseError, parseHex, type Source} from './text.js';

export type LsmemRun = Source & {
	readonly start: number;
	/** Last byte (inclusive). */
	readonly end: number;
	readonly state: BlockState | undefined;
	readonly firstBlock: number | undefined;
	readonly lastBlock: number | undefined;
	readonly node: number | undefined;
	readonly zones: readonly string[];
};

export type Lsmem = {
	readonly runs: readonly LsmemRun[];
	readonly blockSize: (Source & {readonly bytes: number}) | undefined;
};

export function isLsmem(text: string): boolean {
	const first = contentLines(text)[0]?.text ?? '';
	return /^\s*RANGE\s/.test(first) && /\bSIZE\b/.test(first);
}

const UNITS: Record<string, number> = {B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40, P: 2 ** 50};

function humanSize(text: string): number | undefined {
	const match = /^(\d+)(?:\.(\d+))?([BKMGTP])$/.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const value = Number(`${match[1]}.${match[2] ?? '0'}`) * UNITS[match[3]!]!;
	return Number.isSafeInteger(value) ? value : undefined;
}

export function parseLsmem(text: string, file: string): Lsmem {
	const lines = contentLines(text);
	const header = lines[0];
	if (!header || !isLsmem(text)) {
		throw parseError(file, header?.line, 'not lsmem output: the first line must be its column header (RANGE SIZE STATE …); run plain `lsmem` (not -J or -r)');
	}

	let columns = header.text.trim().split(/\s+/);
	const runs: LsmemRun[] = [];
	const tables: LsmemRun[][] = [];
	let blockSize: Lsmem['blockSize'];
	let inSummary = false;
	for (const {text: raw, line} of lines.slice(1)) {
		const lineText = raw.trim();
		if (lineText === '') {
			inSummary = runs.length > 0;
			continue;
		}

		const summary = /^([A-Za-z][A-Za-z ]+):\s+(\S+)$/.exec(lineText);
		if (summary) {
			inSummary = true;
			if (summary[1] === 'Memory block size') {
				const bytes = humanSize(summary[2]!);
				if (bytes === undefined || !isPowerOfTwo(bytes)) {
					throw parseError(file, line, `memory block size "${summary[2]}" is not a power of two: memory_block_size_bytes() always is; the file is damaged`);
				}

				blockSize = {file, line, bytes};
			}

			continue;
		}

		if (/^RANGE\s/.test(lineText) && /\bSIZE\b/.test(lineText)) {
			// A second listing (e.g. `lsmem -a -o +NODE,ZONES` after plain `lsmem`): the one with
			// the most lines wins, being the most detailed.
			tables.push(runs.splice(0));
			columns = lineText.split(/\s+/);
			inSummary = false;
			continue;
		}

		if (inSummary) {
			throw parseError(file, line, `unexpected line after lsmem's summary ("${lineText.slice(0, 60)}")`);
		}

		const cells = lineText.split(/\s+/);
		if (cells.length !== columns.length) {
			throw parseError(file, line, `lsmem line has ${cells.length} columns, the header ${columns.length} (${columns.join(' ')}); is the line cut short?`);
		}

		const cell = (name: string): string | undefined => {
			const at = columns.indexOf(name);
			return at < 0 ? undefined : cells[at];
		};

		const range = /^0x([\da-f]+)-0x([\da-f]+)$/.exec(cell('RANGE') ?? '');
		const start = range ? parseHex(range[1]!) : undefined;
		const end = range ? parseHex(range[2]!) : undefined;
		if (start === undefined || end === undefined || end < start) {
			throw parseError(file, line, `lsmem RANGE "${cell('RANGE') ?? ''}" is not "0x<start>-0x<end>"; is the line cut short?`);
		}

		const stateText = cell('STATE');
		if (stateText !== undefined && !['online', 'offline', 'going-offline'].includes(stateText)) {
			throw parseError(file, line, `lsmem STATE "${stateText}" is none of online, offline, going-offline`);
		}

		const blockText = cell('BLOCK');
		const blocks = blockText === undefined ? undefined : /^(\d+)(?:-(\d+))?$/.exec(blockText);
		if (blockText !== undefined && !blocks) {
			throw parseError(file, line, `lsmem BLOCK "${blockText}" is not "N" or "N-M"`);
		}

		const nodeText = cell('NODE');
		const zonesText = cell('ZONES');
		runs.push({
			file,
			line,
			start,
			end,
			state: stateText as BlockState | undefined,
			firstBlock: blocks ? Number(blocks[1]) : undefined,
			lastBlock: blocks ? Number(blocks[2] ?? blocks[1]) : undefined,
			node: nodeText !== undefined && /^\d+$/.test(nodeText) ? Number(nodeText) : undefined,
			zones: zonesText === undefined ? [] : zonesText.split(',').filter(z => z !== ''),
		});
	}

	tables.push(runs);
	if (tables.some(t => t.length === 0)) {
		throw parseError(file, header.line, 'lsmem output without a single range line; is the file truncated?');
	}

	const best = tables.reduce((a, b) => (b.length > a.length ? b : a));
	return {runs: best, blockSize};
}

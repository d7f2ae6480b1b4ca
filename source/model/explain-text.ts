/**
The text form of `pfnaudit explain`: a `crash> kmem -p` style block for one pfn, ASCII only and
at most 80 columns wide.
*/
import type {ExplainResult} from './explain.js';
import {hex} from './geometry.js';

const WIDTH = 80;
const LABEL = 13;

/** Replace the few non-ASCII characters kernel-term strings may carry. */
export function ascii(text: string): string {
	return text
		.replaceAll('→', '->')
		.replaceAll('–', '-')
		.replaceAll('—', '-')
		.replaceAll('≥', '>=')
		.replaceAll('≤', '<=')
		.replaceAll('…', '...')
		.replaceAll(/[^\u0020-\u007E]/g, '?');
}

/** Word-wrap `text` into lines of at most `width`, the first prefixed by `first`, the rest indented. */
function wrap(first: string, text: string, width = WIDTH): string[] {
	const indent = ' '.repeat(first.length);
	const room = Math.max(8, width - indent.length);
	const words = ascii(text)
		.split(/\s+/)
		.filter(Boolean)
		.flatMap(word => (word.length <= room ? [word] : (word.match(new RegExp(`.{1,${room}}`, 'g')) ?? [word])));
	const lines: string[] = [];
	let line = first;
	let empty = true;
	for (const word of words) {
		const candidate = empty ? `${line}${word}` : `${line} ${word}`;
		if (empty || candidate.length <= width) {
			line = candidate;
			empty = false;
			continue;
		}

		lines.push(line);
		line = `${indent}${word}`;
	}

	lines.push(line);
	return lines;
}

function field(label: string, text: string): string[] {
	return wrap(`  ${label.padEnd(LABEL - 2)}`, text);
}

function yes(value: boolean): string {
	return value ? '1' : '0';
}

/**
The one-line summary under its header: PFN, PHYSICAL, SECTION, ROOT, SUBSEC, CATEGORY. Section
numbers and root indexes are hex, as in every report and warning; each column is as wide as its
widest cell and the columns are two spaces apart, so a 52-bit pfn never runs into its section.
*/
function table(result: ExplainResult): string[] {
	const cells: Array<[string, string]> = [
		['PFN', result.pfn],
		['PHYSICAL', result.address ?? '-'],
		['SECTION', hex(result.section_nr)],
		['ROOT', hex(result.mem_section_root.index)],
		['SUBSEC', result.subsection_index === null ? '-' : String(result.subsection_index)],
	];
	const widths = cells.map(([head, value]) => Math.max(head.length, value.length));
	const row = (texts: readonly string[], last: string) => `${texts.map((text, index) => text.padStart(widths[index]!)).join('  ')}  ${last}`;
	return [row(cells.map(([head]) => head), 'CATEGORY'), row(cells.map(([, value]) => value), result.category)];
}

export function renderExplainText(result: ExplainResult): string {
	const lines: string[] = [];
	// One word per patch, so that a preset with its backports wraps between names.
	const patches = result.patches.length > 0 ? ` ${result.patches.map(patch => `+${patch}`).join(' ')}` : '';
	lines.push(...wrap('', `${result.topology} (${result.arch}, v${result.kernel}${patches}, phase ${result.phase})`));
	lines.push(...table(result));

	const s = result.section;
	const flags = [
		s.present ? 'PRESENT' : '',
		s.valid ? 'HAS_MEM_MAP' : '',
		s.online ? 'ONLINE' : '',
		s.early ? 'EARLY' : '',
		s.taint_zone_device ? (s.taint_from_nid ? 'TAINT_ZONE_DEVICE(nid)' : 'TAINT_ZONE_DEVICE') : '',
	].filter(Boolean);
	lines.push(...field('section', flags.length > 0 ? flags.join(' ') : result.section_nr_in_range ? '(not present)' : '(nr >= NR_MEM_SECTIONS)'));
	if (!result.mem_section_root.in_bounds) {
		lines.push(...field('', `root ${hex(result.mem_section_root.index)} >= NR_SECTION_ROOTS ${hex(result.mem_section_root.nr_section_roots)}`));
	}

	const subsection = result.subsection_index === null ? 'n/a' : `bit ${result.subsection_index} = ${yes(result.subsection_valid)}`;
	const memblock = result.memblock.memory ? (result.memblock.nomap ? 'memory NOMAP' : 'memory') : 'none';
	lines.push(...field('subsection', subsection), ...field('memblock', memblock));

	const m = result.memmap;
	const where = m.zone === null ? '' : ` zone ${m.zone} node ${m.nid ?? '?'}`;
	const flagText = [m.reserved ? 'PG_reserved' : '', m.offline ? 'PageOffline' : '', m.pgmap ? `pgmap ${m.pgmap}` : m.state === 'init' && m.zone === 'Device' ? 'pgmap NULL' : '']
		.filter(Boolean)
		.join(' ');
	lines.push(...field('memmap', `${m.state}${where}${flagText ? ` ${flagText}` : ''}`), ...field('', `by ${m.writer}`));

	if (result.pgmap) {
		const p = result.pgmap;
		lines.push(
			...field('pgmap', `${p.label} (${p.type}) [${p.range[0]}, ${p.range[1]}) ref ${p.ref}${p.phase ? ` ${p.phase}` : ''}`),
			...field('', `pfn_first ${p.pfn_first}${p.altmap_part ? `, altmap ${p.altmap_part}` : ''}`),
		);
	}

	lines.push(...field('category', `${result.category}: ${result.category_title}`), ...field('reason', result.reason));
	lines.push('  predicates');
	const p = result.predicates;
	const rows: Array<[string, string]> = [
		['pfn_valid()', `${yes(p.pfn_valid)}${result.oob.pfn_valid ? ' OOB' : ''}${result.forms ? `  ${result.forms.pfn_valid}` : ''}`],
		['pfn_to_online_page()', `${p.pfn_to_online_page ? 'page' : 'NULL'}${result.forms ? `  ${result.forms.pfn_to_online_page}` : ''}`],
		['get_dev_pagemap()', p.get_dev_pagemap ? (result.pgmap?.label ?? 'pgmap') : 'NULL'],
		['pgmap_pfn_valid()', yes(p.pgmap_pfn_valid)],
		['pfn_valid_within()', yes(p.pfn_valid_within)],
		['present_section()', yes(p.present_section)],
		['valid_section()', yes(p.valid_section)],
		['online_section()', yes(p.online_section)],
		['early_section()', yes(p.early_section)],
		['online_device_section()', yes(p.online_device_section)],
		['pfn_section_valid()', yes(p.pfn_section_valid)],
		['pfn_in_present_section()', yes(p.pfn_in_present_section)],
		['memblock_is_map_memory()', yes(p.memblock_is_map_memory)],
	];
	for (const [name, value] of rows) {
		// A helper this kernel does not have: say so, with what is answered in its place.
		const absent = result.absent[name.replace('()', '')];
		lines.push(...wrap(`    ${name.padEnd(26)}`, absent ? `${value}  (${absent})` : value));
	}

	lines.push(...field('run', `[${result.run.start}, ${result.run.end}) #${result.run.index}${result.entry ? `  ${result.entry}` : ''}`));
	for (const note of result.notes) {
		lines.push(...field('note', note));
	}

	return `${lines.map(line => ascii(line).slice(0, WIDTH).trimEnd()).join('\n')}\n`;
}

/**
The memory map of the HTML report as inline SVG, drawn from `report.map`.

Regions span many orders of magnitude (a 2-pfn altmap reserve next to 2^40 pfns beyond
NR_MEM_SECTIONS), so the axis is segmented: each region gets a width that grows with log2 of its
pfn count plus a minimum, and boundaries carry hex pfn labels. Hovering a segment shows its exact
pfn and physical ranges (`<title>`, no script). Failing witnesses are marked with a triangle above
the bar, placed linearly inside their segment. The SVG is well-formed XML by construction.
*/
import type {AuditReport, MapRegion} from '../engine/types.js';
import {CATEGORY_IDS, CATEGORY_TITLES, type CategoryId} from '../model/categories.js';
import {hex} from '../model/geometry.js';
import {categoryFails, sizeLabel} from './common.js';
import {htmlText} from './escape.js';

/** Fill colour per category (shared with the HTML legend and table). */
export const CATEGORY_COLORS: Readonly<Record<CategoryId, string>> = {
	ok: '#66bb6a',
	C1: '#e53935',
	C2: '#26a69a',
	C3: '#fb8c00',
	C4: '#8e24aa',
	C5: '#c2185b',
	metadata: '#fdd835',
	hole: '#bdbdbd',
	nomap: '#78909c',
	teardown: '#6d4c41',
	unbacked: '#eceff1',
	oob: '#263238',
	hvo: '#5c6bc0',
};

const WIDTH = 1000;
const MARGIN = 10;
/** Room on the right for the last rotated boundary label. */
const MARGIN_RIGHT = 90;
const BAR_Y = 34;
const BAR_H = 44;
const MIN_SEGMENT = 8;
/** Approximate advance of an 11px monospace glyph, for fitting labels. */
const GLYPH = 6.7;

type Segment = {region: MapRegion | undefined; start: number; end: number; x: number; w: number};

/** Regions in pfn order with the gaps between them made explicit. */
function withGaps(map: readonly MapRegion[]): Array<{region: MapRegion | undefined; start: number; end: number}> {
	const sorted = [...map].sort((a, b) => a.start_pfn - b.start_pfn);
	const out: Array<{region: MapRegion | undefined; start: number; end: number}> = [];
	let cursor = sorted[0]?.start_pfn ?? 0;
	for (const region of sorted) {
		if (region.start_pfn > cursor) {
			out.push({region: undefined, start: cursor, end: region.start_pfn});
		}

		out.push({region, start: region.start_pfn, end: region.end_pfn});
		cursor = Math.max(cursor, region.end_pfn);
	}

	return out;
}

function layout(map: readonly MapRegion[]): Segment[] {
	const parts = withGaps(map);
	const weights = parts.map(part => Math.log2(1 + Math.max(1, part.end - part.start)));
	const total = weights.reduce((sum, weight) => sum + weight, 0) || 1;
	const free = WIDTH - MARGIN - MARGIN_RIGHT - parts.length * MIN_SEGMENT;
	let x = MARGIN;
	return parts.map((part, index) => {
		const w = MIN_SEGMENT + (Math.max(0, free) * (weights[index] ?? 0)) / total;
		const segment = {...part, x, w};
		x += w;
		return segment;
	});
}

function num(n: number): string {
	return Number(n.toFixed(2)).toString();
}

function tooltip(segment: Segment, report: AuditReport): string {
	const pages = segment.end - segment.start;
	const pageSize = 2 ** report.geometry.PAGE_SHIFT;
	const phys = `phys [${hex(segment.start * pageSize)}, ${hex(segment.end * pageSize)}) = ${sizeLabel(pages * pageSize)}`;
	const what = segment.region ? `${segment.region.label}\n${segment.region.category}: ${CATEGORY_TITLES[segment.region.category]}` : 'not in the map';
	return `${what}\npfn [${hex(segment.start)}, ${hex(segment.end)}) = ${pages} ${pages === 1 ? 'pfn' : 'pfns'}\n${phys}`;
}

function segmentSvg(segment: Segment, report: AuditReport, idPrefix: string): string {
	const category = segment.region?.category;
	const fill = category ? CATEGORY_COLORS[category] : `url(#${idPrefix}gap)`;
	const failing = category !== undefined && categoryFails(report, category);
	// The region's label when it fits, else its category id, else nothing (the tooltip has both).
	const label = [segment.region?.label ?? '', category ?? ''].find(text => text !== '' && text.length * GLYPH + 8 < segment.w) ?? '';
	const fits = label !== '';
	const text = fits
		? `<text x="${num(segment.x + segment.w / 2)}" y="${BAR_Y + BAR_H / 2 + 4}" text-anchor="middle" class="seg-label${category === 'oob' || category === 'teardown' || category === 'C4' || category === 'C5' ? ' on-dark' : ''}">${htmlText(label)}</text>`
		: '';
	return `<g class="segment${failing ? ' failing' : ''}"><title>${htmlText(tooltip(segment, report))}</title><rect x="${num(segment.x)}" y="${BAR_Y}" width="${num(segment.w)}" height="${BAR_H}" fill="${fill}"/>${text}</g>`;
}

function boundaryLabels(segments: readonly Segment[]): string {
	const out: string[] = [];
	let lastX = -Infinity;
	const points = [...segments.map(segment => ({x: segment.x, pfn: segment.start})), ...segments.slice(-1).map(segment => ({x: segment.x + segment.w, pfn: segment.end}))];
	for (const point of points) {
		// Labels closer than 16 px would overlap; the end of a 1-pfn segment past the map's last
		// region gives way to its start, which the tooltip repeats anyway.
		if (point.x - lastX < 16) {
			continue;
		}

		lastX = point.x;
		out.push(
			`<line x1="${num(point.x)}" y1="${BAR_Y + BAR_H}" x2="${num(point.x)}" y2="${BAR_Y + BAR_H + 5}" class="tick"/>`,
			`<text transform="translate(${num(point.x + 3)} ${BAR_Y + BAR_H + 9}) rotate(40)" class="axis">${hex(point.pfn)}</text>`,
		);
	}

	return out.join('');
}

function witnessMarkers(segments: readonly Segment[], report: AuditReport): string {
	const out: string[] = [];
	for (const walker of report.walkers) {
		for (const witness of walker.witnesses.filter(item => item.failing)) {
			const segment = segments.find(item => witness.pfn >= item.start && witness.pfn < item.end);
			if (!segment) {
				continue;
			}

			const x = segment.x + (segment.w * (witness.pfn - segment.start)) / Math.max(1, segment.end - segment.start);
			const tip = `${walker.name}: ${witness.category} at pfn ${hex(witness.pfn)}`;
			out.push(
				`<path d="M ${num(x - 5)} ${BAR_Y - 14} L ${num(x + 5)} ${BAR_Y - 14} L ${num(x)} ${BAR_Y - 3} Z" fill="${CATEGORY_COLORS[witness.category]}" class="marker"><title>${htmlText(tip)}</title></path>`,
			);
		}
	}

	return out.join('');
}

function legend(report: AuditReport, top: number): {svg: string; height: number} {
	const perRow = 4;
	const cell = (WIDTH - 2 * MARGIN) / perRow;
	const rows = Math.ceil(CATEGORY_IDS.length / perRow);
	const items = CATEGORY_IDS.map((id, index) => {
		const x = MARGIN + (index % perRow) * cell;
		const y = top + Math.floor(index / perRow) * 20;
		const failing = categoryFails(report, id) ? ' (failing)' : '';
		return `<g><title>${htmlText(`${id}: ${CATEGORY_TITLES[id]}`)}</title><rect x="${num(x)}" y="${y}" width="14" height="14" fill="${CATEGORY_COLORS[id]}" class="swatch"/><text x="${num(x + 20)}" y="${y + 11}" class="legend">${htmlText(id + failing)}</text></g>`;
	});
	return {svg: items.join(''), height: rows * 20};
}

/** Styles live inside the SVG so the map stays readable when it is saved on its own. */
const SVG_STYLE = [
	'.map text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; fill: #263238; }',
	'.map .axis { font-size: 10px; }',
	'.map .caption, .map .legend { font-size: 12px; }',
	'.map .seg-label { font-size: 11px; }',
	'.map .seg-label.on-dark { fill: #ffffff; }',
	'.map .segment rect { stroke: #37474f; stroke-width: 0.5; }',
	'.map .segment.failing rect { stroke: #b71c1c; stroke-width: 2; }',
	'.map .frame { fill: none; stroke: #37474f; stroke-width: 1; }',
	'.map .tick { stroke: #37474f; stroke-width: 1; }',
	'.map .marker { stroke: #263238; stroke-width: 0.8; }',
	'.map .swatch { stroke: #37474f; stroke-width: 0.5; }',
].join(' ');

/**
`report.map` plus, when failing witnesses lie past its end (an `oob` read of `mem_section` at the
first section number >= NR_MEM_SECTIONS, say), one region that reaches them, so every failing
witness has a place on the bar. Its category is the witnesses' own.
*/
export function mapWithWitnesses(report: AuditReport): MapRegion[] {
	const end = Math.max(0, ...report.map.map(region => region.end_pfn));
	const beyond = report.walkers.flatMap(walker => walker.witnesses).filter(witness => witness.failing && witness.pfn >= end);
	const first = beyond[0];
	if (!first || report.map.length === 0) {
		return [...report.map];
	}

	const last = Math.max(...beyond.map(witness => witness.pfn));
	const label = first.section_nr >= report.geometry.NR_MEM_SECTIONS ? 'beyond NR_MEM_SECTIONS' : 'beyond the map';
	return [...report.map, {start_pfn: end, end_pfn: last + 1, category: first.category, label}];
}

/**
The `<svg>` element of the memory map. `idPrefix` keeps its element ids (title, description,
gap pattern) unique when several maps share one page.
*/
export function renderMapSvg(report: AuditReport, idPrefix = ''): string {
	const segments = layout(mapWithWitnesses(report));
	const legendTop = BAR_Y + BAR_H + 86;
	const {svg: legendSvg, height: legendHeight} = legend(report, legendTop);
	const height = legendTop + legendHeight + 6;
	const description = `Segmented memory map of ${report.topology.name}: ${segments.length} regions from ${hex(segments[0]?.start ?? 0)} to ${hex(segments.at(-1)?.end ?? 0)}; segment widths grow with log2 of the pfn count, so the axis is not to scale.`;
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-labelledby="${idPrefix}map-title ${idPrefix}map-desc" class="map">`,
		`<title id="${idPrefix}map-title">${htmlText(`Memory map of ${report.topology.name}`)}</title>`,
		`<desc id="${idPrefix}map-desc">${htmlText(description)}</desc>`,
		`<style>${SVG_STYLE}</style>`,
		`<defs><pattern id="${idPrefix}gap" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b0bec5" stroke-width="2"/></pattern></defs>`,
		`<text x="${MARGIN}" y="14" class="caption">witnesses</text>`,
		witnessMarkers(segments, report),
		...segments.map(segment => segmentSvg(segment, report, idPrefix)),
		`<rect x="${MARGIN}" y="${BAR_Y}" width="${num(WIDTH - MARGIN - MARGIN_RIGHT)}" height="${BAR_H}" class="frame"/>`,
		boundaryLabels(segments),
		legendSvg,
		'</svg>',
	].join('\n');
}

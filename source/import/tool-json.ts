/**
The JSON listings of ndctl, daxctl and cxl (pmem/ndctl: ndctl/json.c, daxctl/json.c, cxl/json.c;
util/json.c util_display_json_array()). Since ndctl v62 a listing is an array, unless `-u` unwraps a
single object; objects nest (`regions` → `namespaces`, `daxregion` → `devices`, `"endpoints:port1"`).
With `-u/--human` sizes are strings such as `"124.00 MiB (130.02 MB)"` and some numbers hex
strings (`"0x1f00000000"`). The objects are found wherever they nest, by their identifying key:

- ndctl namespace: `dev` = `namespaceX.Y` (mode, map, size = usable data size, align, chardev…);
- daxctl device: `chardev` = `daxX.Y` (size, mode devdax | system-ram, target_node, movable,
  online_memblocks, `mappings` with physical `start`/`end` — the only CLI printing them);
- cxl region: `region` = `regionN` (resource = host physical start, size, type ram | pmem).
*/
import {numberedLines, parseError, parseHex, type Source} from './text.js';

export type Amount = {readonly bytes: number; /** parsed from a -u human string (2 decimals) */ readonly approximate: boolean};

export type NdNamespace = Source & {
	readonly dev: string;
	readonly mode: string | undefined;
	readonly map: string | undefined;
	readonly size: Amount | undefined;
	readonly align: number | undefined;
	readonly chardev: string | undefined;
	readonly blockdev: string | undefined;
	readonly numa_node: number | undefined;
	readonly state: string | undefined;
};

export type DaxMapping = {readonly start: number; readonly end: number};
export type DaxDevice = Source & {
	readonly chardev: string;
	readonly size: Amount | undefined;
	readonly mode: string | undefined;
	readonly target_node: number | undefined;
	readonly movable: boolean | undefined;
	readonly online_memblocks: number | undefined;
	readonly total_memblocks: number | undefined;
	readonly mappings: readonly DaxMapping[];
};

export type CxlRegion = Source & {
	readonly region: string;
	readonly resource: number | undefined;
	readonly size: Amount | undefined;
	readonly type: string | undefined;
};

export type ToolListing = {
	readonly file: string;
	readonly namespaces: readonly NdNamespace[];
	readonly daxDevices: readonly DaxDevice[];
	readonly cxlRegions: readonly CxlRegion[];
	/** `memdev` objects (cxl list -M): counted, not modelled. */
	readonly cxlMemdevs: number;
};

/** Parse one JSON document (leading `#` lines skipped); unparseable JSON is an error at its line. */
export function parseJsonDocument(text: string, file: string): unknown {
	const lines = numberedLines(text);
	let skip = 0;
	while (skip < lines.length && (lines[skip]!.text.startsWith('#') || lines[skip]!.text.trim() === '')) {
		skip++;
	}

	const body = lines.slice(skip).map(l => l.text).join('\n');
	if (body.trim() === '') {
		throw parseError(file, undefined, 'the file is empty: expected the JSON of `ndctl list`, `daxctl list` or `cxl list`');
	}

	try {
		return JSON.parse(body) as unknown;
	} catch (error) {
		// A pasted session: several listings, each after its shell prompt (`[root@host ~]# cxl list …`).
		const segments = splitAtPrompts(lines.slice(skip));
		if (segments.length > 1) {
			try {
				return segments.map(segment => JSON.parse(segment) as unknown);
			} catch {
				// report the first error below
			}
		}

		const message = (error as Error).message;
		const position = /position (\d+)/.exec(message);
		const snippet = /"(.+?)"(?:\.\.\.)? is not valid JSON/.exec(message);
		const found = snippet ? body.indexOf(snippet[1]!.replace(/\\"/g, '"')) : -1;
		const at = position ? Number(position[1]) : (found >= 0 ? found : body.length);
		const line = body.slice(0, at).split('\n').length + skip;
		throw parseError(file, line, `unparseable JSON (${message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*$/, '')}); is the file truncated? Capture it again with e.g. \`ndctl list -RNDi > ndctl-list.json\``);
	}
}

const IEC: Record<string, number> = {B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50};

function amount(value: unknown): Amount | undefined {
	if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) {
		return {bytes: value, approximate: false};
	}

	if (typeof value === 'string') {
		const hex = /^0x[\da-fA-F]+$/.test(value) ? parseHex(value) : undefined;
		if (hex !== undefined) {
			return {bytes: hex, approximate: false};
		}

		const human = /^(\d+(?:\.\d+)?) (B|KiB|MiB|GiB|TiB|PiB)\b/.exec(value);
		if (human) {
			const bytes = Math.round(Number(human[1]) * IEC[human[2]!]!);
			const exact = /^\d+(?:\.0+)?$/.test(human[1]!);
			return Number.isSafeInteger(bytes) ? {bytes, approximate: !exact} : undefined;
		}
	}

	return undefined;
}

function integer(value: unknown): number | undefined {
	const a = amount(value);
	return a?.approximate === false ? a.bytes : undefined;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Line of the first occurrence of `"key":"value"` in the text, for the comments and messages. */
function lineOf(lines: readonly string[], key: string, value: string, from: number): number {
	const needle = new RegExp(`"${key}"\\s*:\\s*"${value.replaceAll('.', '\\.')}"`);
	for (let i = from; i < lines.length; i++) {
		if (needle.test(lines[i]!)) {
			return i + 1;
		}
	}

	return 1;
}

export function parseToolListing(text: string, file: string): ToolListing {
	const root = parseJsonDocument(text, file);
	const lines = text.split(/\r?\n/);
	const namespaces: NdNamespace[] = [];
	const daxDevices: DaxDevice[] = [];
	const cxlRegions: CxlRegion[] = [];
	let cxlMemdevs = 0;
	const cursor = {namespace: 0, dax: 0, region: 0};
	const visit = (value: unknown): void => {
		if (Array.isArray(value)) {
			value.forEach(visit);
			return;
		}

		if (value === null || typeof value !== 'object') {
			return;
		}

		const o = value as Record<string, unknown>;
		const dev = str(o['dev']);
		if (dev !== undefined && /^namespace\d+\.\d+$/.test(dev)) {
			const line = lineOf(lines, 'dev', dev, cursor.namespace);
			cursor.namespace = line;
			namespaces.push({
				file,
				line,
				dev,
				mode: str(o['mode']),
				map: str(o['map']),
				size: amount(o['size']),
				align: integer(o['align']),
				chardev: str(o['chardev']),
				blockdev: str(o['blockdev']),
				numa_node: integer(o['numa_node']),
				state: str(o['state']),
			});
		}

		const chardev = str(o['chardev']);
		if (chardev !== undefined && /^dax\d+\.\d+$/.test(chardev) && dev === undefined) {
			const line = lineOf(lines, 'chardev', chardev, cursor.dax);
			cursor.dax = line;
			const mappings = Array.isArray(o['mappings'])
				? (o['mappings'] as unknown[]).flatMap(m => {
					const r = m as Record<string, unknown>;
					const start = integer(r?.['start']);
					const end = integer(r?.['end']);
					return start === undefined || end === undefined ? [] : [{start, end}];
				})
				: [];
			daxDevices.push({
				file,
				line,
				chardev,
				size: amount(o['size']),
				mode: str(o['mode']),
				target_node: integer(o['target_node']),
				movable: typeof o['movable'] === 'boolean' ? o['movable'] : undefined,
				online_memblocks: integer(o['online_memblocks']),
				total_memblocks: integer(o['total_memblocks']),
				mappings,
			});
		}

		const region = str(o['region']);
		if (region !== undefined && /^region\d+$/.test(region)) {
			const line = lineOf(lines, 'region', region, cursor.region);
			cursor.region = line;
			cxlRegions.push({file, line, region, resource: integer(o['resource']), size: amount(o['size']), type: str(o['type'])});
		}

		if (str(o['memdev']) !== undefined) {
			cxlMemdevs++;
		}

		for (const [key, child] of Object.entries(o)) {
			if (key !== 'mappings' && child !== null && typeof child === 'object') {
				visit(child);
			}
		}
	};

	visit(root);
	if (root === null || typeof root !== 'object') {
		throw parseError(file, undefined, 'the JSON is not an object or a list: expected the output of `ndctl list`, `daxctl list` or `cxl list`');
	}

	return {file, namespaces, daxDevices, cxlRegions, cxlMemdevs};
}

/** Which tool printed a listing, from what it holds. */
export function listingTool(listing: ToolListing): 'ndctl' | 'daxctl' | 'cxl' | undefined {
	if (listing.namespaces.length > 0) {
		return 'ndctl';
	}

	if (listing.cxlRegions.length > 0 || listing.cxlMemdevs > 0) {
		return 'cxl';
	}

	return listing.daxDevices.length > 0 ? 'daxctl' : undefined;
}

const PROMPT = /^(?:\[[^\]]*\])?[#$] /;

function splitAtPrompts(lines: ReadonlyArray<{text: string}>): string[] {
	const segments: string[][] = [[]];
	for (const {text} of lines) {
		if (PROMPT.test(text)) {
			segments.push([]);
		} else {
			segments.at(-1)!.push(text);
		}
	}

	return segments.map(s => s.join('\n')).filter(s => s.trim() !== '');
}

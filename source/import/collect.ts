/**
A capture (docs/capture-format.md) as parsed facts: files found by their path in a capture
directory or tarball (`proc/iomem`, `sys/devices/system/memory/memory32/state`, `dmesg.txt`, …),
or single files recognised by their content whatever their name. Pure: text in, facts out.
*/
import {parseDmesg, isDmesg, type Dmesg} from './dmesg.js';
import {isIomemLine, parseIomem, type Iomem} from './iomem.js';
import {isLsmem, parseLsmem, type Lsmem} from './lsmem.js';
import {isMemblock, memblockKind, parseMemblock, type Memblock} from './memblock.js';
import {ND_DIR, ND_FILE, ndNamespacesFromSysfs} from './nd-sysfs.js';
import {isMemorySummary, parseMemorySummary, parseSysfsMemory, type MemoryBlocks} from './memory-blocks.js';
import {contentLines, parseError, type Source} from './text.js';
import {listingTool, parseToolListing, type NdNamespace, type ToolListing} from './tool-json.js';
import {isZoneinfo, parseZoneinfo, type ZoneInfo} from './zoneinfo.js';

export type CaptureFile = {readonly name: string; readonly text: string};

export type FileKind = 'iomem' | 'dmesg' | 'lsmem' | 'zoneinfo' | 'memory-summary' | 'ndctl' | 'daxctl' | 'cxl' | 'osrelease' | 'cmdline' | 'memblock-memory' | 'memblock-reserved';

export type CaptureFacts = {
	readonly iomem: Iomem | undefined;
	readonly dmesg: Dmesg | undefined;
	readonly blocks: MemoryBlocks | undefined;
	readonly lsmem: Lsmem | undefined;
	readonly zoneinfo: readonly ZoneInfo[] | undefined;
	readonly ndctl: ToolListing | undefined;
	readonly daxctl: ToolListing | undefined;
	readonly cxl: ToolListing | undefined;
	readonly osrelease: (Source & {readonly value: string}) | undefined;
	readonly cmdline: (Source & {readonly value: string}) | undefined;
	/** debugfs memblock/memory (memblock.memory as the kernel keeps it; NOMAP named from 6.12). */
	readonly memblockMemory: Memblock | undefined;
	/** debugfs memblock/reserved: read and checked, not modelled. */
	readonly memblockReserved: Memblock | undefined;
	/** Namespaces as libnvdimm's sysfs describes them (for captures without ndctl-list.json). */
	readonly ndSysfs: readonly NdNamespace[] | undefined;
	/** What was read, as "file (kind)". */
	readonly read: readonly string[];
	/** Files of a capture directory that are not part of the format. */
	readonly ignored: readonly string[];
};

const MEMORY_DIR = 'sys/devices/system/memory/';
const NODE_DIR = 'sys/devices/system/node/';
const BLOCK_FILE = new RegExp(`^${MEMORY_DIR}memory(\\d+)/(state|valid_zones|phys_index|removable|phys_device|online)$`);
const NODE_MEMBER = new RegExp(`^${NODE_DIR}node(\\d+)/memory(\\d+)$`);

/** Kinds by their place in a capture directory (docs/capture-format.md). */
const BY_PATH: Record<string, FileKind> = {
	'proc/iomem': 'iomem',
	'proc/zoneinfo': 'zoneinfo',
	'proc/cmdline': 'cmdline',
	'proc/sys/kernel/osrelease': 'osrelease',
	'dmesg.txt': 'dmesg',
	'lsmem.txt': 'lsmem',
	'ndctl-list.json': 'ndctl',
	'daxctl-list.json': 'daxctl',
	'cxl-list.json': 'cxl',
	'sys/kernel/debug/memblock/memory': 'memblock-memory',
	'sys/kernel/debug/memblock/reserved': 'memblock-reserved',
};

/** What a file holds, from its content; undefined when it is none of the capture's kinds. */
export function recogniseContent(text: string): FileKind | undefined {
	const lines = contentLines(text);
	const first = lines[0]?.text ?? '';
	if (lines.length === 0) {
		return undefined;
	}

	if (/^\s*[[{]/.test(first) || /^\[[^\]]*\][#$] /.test(first)) {
		try {
			const tool = listingTool(parseToolListing(text, '<probe>'));
			if (tool !== undefined) {
				return tool;
			}
		} catch {
			// not JSON: one of the text kinds below
		}
	}

	if (isLsmem(text)) {
		return 'lsmem';
	}

	if (isZoneinfo(text)) {
		return 'zoneinfo';
	}

	if (isIomemLine(lines.find(l => !/^\s*(?:\.{2,}|\[\.+\])\s*$/.test(l.text))?.text ?? '')) {
		return 'iomem';
	}

	if (isMemorySummary(text)) {
		return 'memory-summary';
	}

	if (isMemblock(text)) {
		return memblockKind(text);
	}

	if (isDmesg(text)) {
		return 'dmesg';
	}

	if (lines.length === 1 && /^\d+\.\d+(?:\.\d+)?\S*$/.test(first.trim())) {
		return 'osrelease';
	}

	return undefined;
}

type Mutable = {-readonly [K in keyof CaptureFacts]: CaptureFacts[K]};

function empty(): Mutable {
	return {iomem: undefined, dmesg: undefined, blocks: undefined, lsmem: undefined, zoneinfo: undefined, ndctl: undefined, daxctl: undefined, cxl: undefined, osrelease: undefined, cmdline: undefined, memblockMemory: undefined, memblockReserved: undefined, ndSysfs: undefined, read: [], ignored: []};
}

function put(facts: Mutable, kind: FileKind, file: CaptureFile): void {
	const {name, text} = file;
	const once = (key: keyof Mutable): void => {
		if (facts[key] !== undefined) {
			throw parseError(name, undefined, `a second ${kind} file: give one of each kind (the first was ${(facts.read as string[]).find(r => r.endsWith(`(${kind})`)) ?? 'another file'})`);
		}
	};

	switch (kind) {
		case 'iomem': {
			once('iomem');
			facts.iomem = parseIomem(text, name);
			break;
		}

		case 'dmesg': {
			once('dmesg');
			facts.dmesg = parseDmesg(text, name);
			break;
		}

		case 'lsmem': {
			once('lsmem');
			facts.lsmem = parseLsmem(text, name);
			break;
		}

		case 'zoneinfo': {
			once('zoneinfo');
			facts.zoneinfo = parseZoneinfo(text, name);
			break;
		}

		case 'memory-summary': {
			once('blocks');
			facts.blocks = parseMemorySummary(text, name);
			break;
		}

		case 'ndctl':
		case 'daxctl':
		case 'cxl': {
			once(kind);
			facts[kind] = parseToolListing(text, name);
			break;
		}

		case 'memblock-memory': {
			once('memblockMemory');
			facts.memblockMemory = parseMemblock(text, name);
			break;
		}

		case 'memblock-reserved': {
			once('memblockReserved');
			facts.memblockReserved = parseMemblock(text, name);
			break;
		}

		case 'osrelease':
		case 'cmdline': {
			once(kind);
			const line = contentLines(text)[0];
			if (!line || line.text.trim() === '') {
				throw parseError(name, undefined, `the file is empty: expected the ${kind === 'osrelease' ? 'kernel release (uname -r)' : 'kernel command line'}`);
			}

			facts[kind] = {file: name, line: line.line, value: line.text.trim()};
			break;
		}
	}

	(facts.read as string[]).push(`${name} (${kind})`);
}

/**
Where a file that is no capture file holds pieces of one — a pasted session or a mail: prose with
/proc/iomem lines, tool JSON or lsmem among it — as "proc/iomem lines at 3, ndctl/daxctl/cxl JSON at
7"; undefined when it holds none.
*/
function embeddedPieces(text: string): string | undefined {
	const lines = text.split(/\r?\n/);
	const found = new Map<string, number>();
	const note = (what: string, index: number): void => {
		if (!found.has(what)) {
			found.set(what, index + 1);
		}
	};

	lines.forEach((line, index) => {
		if (/^\s*[\da-f]{8,}-[\da-f]{8,} : \S/.test(line)) {
			note('/proc/iomem lines', index);
		} else if (/^\s*[[{]\s*$/.test(line) && lines.slice(index + 1, index + 4).some(l => /^\s*"(?:dev|chardev|memdev|region|bus|provider)"\s*:/.test(l))) {
			note('ndctl/daxctl/cxl JSON', index);
		} else if (/^\s*RANGE\s+SIZE\s/.test(line)) {
			note('lsmem output', index);
		}
	});
	return found.size === 0 ? undefined : [...found].map(([what, line]) => `${what} at line ${line}`).join(', ');
}

/** Single files given on the command line: each recognised by its content. */
export function collectFiles(files: readonly CaptureFile[]): CaptureFacts {
	const facts = empty();
	for (const file of files) {
		const kind = recogniseContent(file.text);
		if (kind === undefined) {
			const pieces = embeddedPieces(file.text);
			throw parseError(
				file.name,
				undefined,
				pieces === undefined
					? 'not recognised as /proc/iomem, lsmem, /proc/zoneinfo, a boot log, a memory block listing, debugfs memblock/memory, a kernel release, or the JSON of ndctl/daxctl/cxl list; give a capture directory or one of those files'
					: `not one capture file but text around pieces of some (${pieces}); put each command's output alone in a file of its own (proc/iomem, ndctl-list.json, lsmem.txt) and give those`,
			);
		}

		put(facts, kind, file);
	}

	return facts;
}

/**
A capture directory's files, by their path relative to the capture root. Unknown files are
listed in `ignored` (so a capture with extra files still imports).
*/
export function collectCapture(files: readonly CaptureFile[]): CaptureFacts {
	const facts = empty();
	const blockFiles = new Map<number, {dir: string; files: Map<string, string>}>();
	const nodeOf = new Map<number, number>();
	const nodesOf = new Map<number, number[]>();
	let blockSize: {file: string; text: string} | undefined;
	let autoOnline: {file: string; text: string} | undefined;
	const nd = new Map<string, Map<string, string>>();
	for (const file of files) {
		const kind = BY_PATH[file.name];
		if (kind !== undefined) {
			put(facts, kind, file);
			continue;
		}

		if (file.name === `${MEMORY_DIR}block_size_bytes`) {
			blockSize = {file: file.name, text: file.text};
			continue;
		}

		if (file.name === `${MEMORY_DIR}auto_online_blocks`) {
			autoOnline = {file: file.name, text: file.text};
			continue;
		}

		const block = BLOCK_FILE.exec(file.name);
		if (block) {
			const id = Number(block[1]);
			const entry = blockFiles.get(id) ?? {dir: `${MEMORY_DIR}memory${id}`, files: new Map<string, string>()};
			entry.files.set(block[2]!, file.text);
			blockFiles.set(id, entry);
			continue;
		}

		const ndFile = ND_FILE.exec(file.name);
		if (ndFile) {
			const attrs = nd.get(ndFile[1]!) ?? new Map<string, string>();
			attrs.set(ndFile[2]!, file.text);
			nd.set(ndFile[1]!, attrs);
			continue;
		}

		const member = NODE_MEMBER.exec(file.name);
		if (member) {
			nodeOf.set(Number(member[2]), Number(member[1]));
			nodesOf.set(Number(member[2]), [...(nodesOf.get(Number(member[2])) ?? []), Number(member[1])]);
			continue;
		}

		// Anything else is recognised by content (a capture made by hand: iomem.txt, lsmem.out…).
		const byContent = file.name.includes('/') ? undefined : recogniseContent(file.text);
		if (byContent !== undefined) {
			put(facts, byContent, file);
		} else {
			(facts.ignored as string[]).push(file.name);
		}
	}

	if (nd.size > 0) {
		facts.ndSysfs = ndNamespacesFromSysfs(nd);
		(facts.read as string[]).push(`${ND_DIR} (${nd.size} nvdimm devices)`);
	}

	if (blockSize || autoOnline || blockFiles.size > 0) {
		if (facts.blocks) {
			throw parseError(MEMORY_DIR, undefined, 'the capture has both a memory block listing and sys/devices/system/memory: keep one');
		}

		facts.blocks = parseSysfsMemory({
			...(blockSize ? {blockSize} : {}),
			...(autoOnline ? {autoOnline} : {}),
			blocks: blockFiles,
			nodeOf,
			nodesOf,
		});
		(facts.read as string[]).push(`${MEMORY_DIR} (${blockFiles.size} memory blocks)`);
	}

	return facts;
}

export function isEmpty(facts: CaptureFacts): boolean {
	return facts.read.length === 0;
}

/**
/proc/iomem (kernel/resource.c r_show()): `<indent><start>-<end> : <name>`, lower-case hex
without 0x, at least 8 digits, `end` inclusive, 2 spaces of indent per level (capped at
MAX_IORES_LEVEL). The tree is rebuilt by range containment with a stack, the indent only a hint,
so deep CXL trees and hand-posted excerpts whose children stick out of their parent still parse.

Without CAP_SYS_ADMIN r_show() prints every address as 0: such a file is refused with a sentence
saying so (the names alone say nothing about where memory is).
*/
import {contentLines, parseError, parseHex, type Source} from './text.js';

export type IomemResource = Source & {
	/** First byte. */
	readonly start: number;
	/** Last byte (inclusive, as printed). */
	readonly end: number;
	readonly name: string;
	/** Indent / 2 as printed. */
	readonly depth: number;
	/** Index of the parent in `resources` (by containment), or -1 at top level. */
	readonly parent: number;
};

export type Iomem = {
	readonly file: string;
	readonly resources: readonly IomemResource[];
	/** Lines skipped as elisions of a posted excerpt (`...`, `[..]`). */
	readonly elided: readonly number[];
};

const LINE = /^( *)([\da-f]+)-([\da-f]+) : (.*)$/;
const ELISION = /^\s*(?:\.{2,}|\[\.+\]|\/\/.*)\s*$/;

/** Whether a line has the r_show() shape (used to recognise a file by content). */
export function isIomemLine(text: string): boolean {
	return LINE.test(text);
}

export function parseIomem(text: string, file: string): Iomem {
	const resources: IomemResource[] = [];
	const elided: number[] = [];
	const stack: number[] = [];
	for (const {text: raw, line} of contentLines(text)) {
		const lineText = raw.replace(/\s+$/, '');
		if (lineText === '') {
			continue;
		}

		if (ELISION.test(lineText)) {
			elided.push(line);
			continue;
		}

		const match = LINE.exec(lineText.replaceAll('\t', '  '));
		if (!match) {
			throw parseError(
				file,
				line,
				`not a /proc/iomem line ("${lineText.slice(0, 60)}"): expected "<start>-<end> : <name>" with hex addresses, e.g. "100000000-63fffffff : System RAM"; is the file truncated or another file?`,
			);
		}

		const start = parseHex(match[2]!);
		const end = parseHex(match[3]!);
		if (start === undefined || end === undefined) {
			throw parseError(file, line, `address ${match[2]}-${match[3]} is larger than 2^53 - 1 and cannot be represented exactly`);
		}

		if (end < start) {
			throw parseError(file, line, `range ${match[2]}-${match[3]} ends before it starts; is the line cut short?`);
		}

		while (stack.length > 0 && resources[stack.at(-1)!]!.end < start) {
			stack.pop();
		}

		// Containment decides the parent; an excerpt whose child sticks out of its parent
		// (posted by hand) still nests by indent.
		const depth = match[1]!.length / 2;
		while (stack.length > 0 && resources[stack.at(-1)!]!.depth >= depth && !contains(resources[stack.at(-1)!]!, start, end)) {
			stack.pop();
		}

		const parent = stack.length > 0 ? stack.at(-1)! : -1;
		resources.push({file, line, start, end, name: match[4]!, depth: Math.floor(depth), parent});
		stack.push(resources.length - 1);
	}

	if (resources.length === 0) {
		throw parseError(file, undefined, 'no /proc/iomem lines in the file; is it empty or truncated?');
	}

	if (resources.every(r => r.start === 0 && r.end === 0)) {
		throw parseError(
			file,
			resources[0]!.line,
			'every address is 0: /proc/iomem shows real addresses only to root (CAP_SYS_ADMIN); capture it again as root (sudo cat /proc/iomem)',
		);
	}

	return {file, resources, elided};
}

function contains(parent: IomemResource, start: number, end: number): boolean {
	return parent.start <= start && end <= parent.end;
}

/** `System RAM`, `System RAM (kmem)`, `System RAM (virtio_mem)`: memory with struct pages. */
export function isSystemRam(name: string): boolean {
	return name === 'System RAM' || name.startsWith('System RAM (');
}

/** The chain of ancestor names, nearest first. */
export function ancestors(iomem: Iomem, index: number): IomemResource[] {
	const out: IomemResource[] = [];
	let at = iomem.resources[index]!.parent;
	while (at >= 0) {
		out.push(iomem.resources[at]!);
		at = iomem.resources[at]!.parent;
	}

	return out;
}

export function children(iomem: Iomem, index: number): IomemResource[] {
	return iomem.resources.filter(r => r.parent === index);
}

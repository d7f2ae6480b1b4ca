/**
Kernel semantics versions.

pfnaudit keys every modelled behaviour by the mainline release that introduced it
("vX.Y" = first in the vX.Y release). A topology's `kernel:` (or `--kernel`) selects
one of the mainline releases from v4.13 (SECTION_IS_ONLINE, commit 2d070eab2e82) to v6.18.

Stable backports are not modelled by version: where a backport matters it is a named patch
(`backport-<commit>`, source/model/stable-patches.ts) that applies to the releases before its
mainline one, and the stable trees the project read are presets (`stable-5.10.262`, ...) that
imply the backports they carry (topology `patches:`, --patch; never a silent special case).
*/

export type KernelVersion = {
	readonly major: number;
	readonly minor: number;
	/** major * 1000 + minor: totally ordered, so `code >= v('5.12').code` reads as "since v5.12". */
	readonly code: number;
	/** "5.12" */
	readonly label: string;
};

/** Every mainline release pfnaudit can model, oldest first. */
export const KERNEL_VERSIONS: readonly string[] = [
	...range(13, 20).map(minor => `4.${minor}`),
	...range(0, 19).map(minor => `5.${minor}`),
	...range(0, 18).map(minor => `6.${minor}`),
];

export const OLDEST_KERNEL = '4.13';
export const NEWEST_KERNEL = '6.18';

function range(from: number, to: number): number[] {
	const out: number[] = [];
	for (let i = from; i <= to; i++) {
		out.push(i);
	}

	return out;
}

const VERSION_PATTERN = /^(\d+)\.(\d+)$/;

/** Parse "MAJOR.MINOR"; returns undefined for anything that is not a modelled mainline release. */
export function parseKernelVersion(text: string): KernelVersion | undefined {
	const match = VERSION_PATTERN.exec(text.trim());
	if (!match) {
		return undefined;
	}

	const major = Number(match[1]);
	const minor = Number(match[2]);
	const label = `${major}.${minor}`;
	if (!KERNEL_VERSIONS.includes(label)) {
		return undefined;
	}

	return {major, minor, code: major * 1000 + minor, label};
}

/** Like parseKernelVersion, for version literals in the source: throws on a typo. */
export function v(text: string): KernelVersion {
	const match = VERSION_PATTERN.exec(text);
	if (!match) {
		throw new Error(`internal: bad kernel version literal ${JSON.stringify(text)}`);
	}

	const major = Number(match[1]);
	const minor = Number(match[2]);
	return {major, minor, code: major * 1000 + minor, label: `${major}.${minor}`};
}

/**
Codes of the version literals atLeast()/before() have seen. Walker steps call them per pfn, so a
literal is parsed once, not on every call.
*/
const LITERAL_CODES = new Map<string, number>();
/** The last literal looked up (a step usually asks about the same one again and again). */
let lastText = '';
let lastCode = 0;

function literalCode(text: string): number {
	if (text === lastText) {
		return lastCode;
	}

	let code = LITERAL_CODES.get(text);
	if (code === undefined) {
		code = v(text).code;
		LITERAL_CODES.set(text, code);
	}

	lastText = text;
	lastCode = code;
	return code;
}

/** True when `kernel` is `since` or newer: `atLeast(k, '5.12')` reads "from v5.12 on". */
export function atLeast(kernel: KernelVersion, since: string): boolean {
	return kernel.code >= literalCode(since);
}

/** True when `kernel` is older than `until`: `before(k, '5.18')` reads "up to v5.17". */
export function before(kernel: KernelVersion, until: string): boolean {
	return kernel.code < literalCode(until);
}

/** "v5.12" */
export function vlabel(kernel: KernelVersion): string {
	return `v${kernel.label}`;
}

/**
What every kernel rule needs while a parsed topology is validated: where values are in the file,
the kernel version and where it came from (the file or --kernel), the geometry, and the warnings
collected so far. `fail` throws the one InputError a bad topology produces.
*/
import {InputError} from '../errors/input-error.js';
import type {KernelVersion} from '../kernel/version.js';
import type {Arch, Geometry} from '../model/geometry.js';
import {flatten} from '../model/packed-strings.js';
import {formatPath, type Path, type PositionIndex} from './positions.js';
import type {SourcePosition, Warning} from './types.js';

export type RuleContext = {
	readonly file: string;
	readonly index: PositionIndex;
	readonly arch: Arch;
	readonly kernel: KernelVersion;
	/** True when the version came from --kernel rather than the file's `kernel:`. */
	readonly kernelFromCli: boolean;
	readonly geometry: Geometry;
	/** CONFIG_SPARSEMEM_VMEMMAP */
	readonly vmemmap: boolean;
	readonly warnings: Warning[];
};

/** "v5.2" or "v5.2 (from --kernel)": how messages name the selected kernel. */
export function atKernel(ctx: RuleContext): string {
	return ctx.kernelFromCli ? `v${ctx.kernel.label} (from --kernel)` : `v${ctx.kernel.label}`;
}

/** Throw the InputError for a broken rule at the value found at `path`. */
export function fail(ctx: RuleContext, path: Path, message: string): never {
	const pos = ctx.index.at(path);
	throw new InputError(message, {file: ctx.file, line: pos.line, column: pos.column});
}

/**
Record a warning at the value found at `path`. Its message made flat at once (flatten()): a
template literal of many parts is a rope, and the 24 000 warnings of a 100 000-entry generated
topology are 18.9 MiB as ropes, 10.4 MiB flat, held from the parse through the model's build and
handover to the workers (issue 10); the report's basis flattened them only then.
*/
export function warn(ctx: RuleContext, path: Path, message: string): void {
	const pos: SourcePosition = ctx.index.at(path);
	flatten(message);
	ctx.warnings.push({file: ctx.file, pos, message});
}

/** "memory[2] (fsdax@0x240000000)": how messages name an entry. */
export function entryName(index: number, label: string): string {
	return `${formatPath(['memory', index])} (${label})`;
}

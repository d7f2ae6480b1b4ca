/**
Byte ranges of topology entries: `size` or `end` resolved, then the checks every range gets —
not empty, page aligned, inside 2^MAX_PHYSMEM_BITS — and the alignment helpers that build the
"use start: …" corrections in messages.
*/
import {ALIGN, ALIGN_DOWN, IS_ALIGNED} from '../model/geometry.js';
import {atKernel, fail, type RuleContext} from './context.js';
import {formatAddressLiteral, formatSize, formatSizeLiteral} from './numbers.js';
import {formatPath, type Path} from './positions.js';

export type Span = {readonly start: number; readonly end: number};

type RawRange = {readonly start: number; readonly size?: number | undefined; readonly end?: number | undefined};

/** Which key gave the end of the range, for positions. */
export function endKey(raw: RawRange): 'size' | 'end' {
	return raw.size === undefined ? 'end' : 'size';
}

/** Resolve `start` + `size` | `end` into [start, end). Rejects empty and reversed ranges. */
export function resolveSpan(ctx: RuleContext, path: Path, raw: RawRange): Span {
	const {start} = raw;
	if (raw.size !== undefined) {
		if (raw.size === 0) {
			fail(ctx, [...path, 'size'], `${formatPath([...path, 'size'])} is 0: a range must hold at least one page`);
		}

		const end = start + raw.size;
		if (!Number.isSafeInteger(end)) {
			fail(ctx, [...path, 'size'], `${formatPath(path)} ends at ${formatAddressLiteral(start)} + ${formatSizeLiteral(raw.size)}, beyond 2^53: no modelled address space reaches that far`);
		}

		return {start, end};
	}

	const end = raw.end!;
	if (end <= start) {
		fail(ctx, [...path, 'end'], `${formatPath([...path, 'end'])} ${formatAddressLiteral(end)} is not above start ${formatAddressLiteral(start)}: end is exclusive and must be greater than start`);
	}

	return {start, end};
}

/**
The aligned neighbours of `value`, as a "X or Y" suggestion. `accept` drops a neighbour that would
make the range collide with something else (e.g. overlap the next boot range).
*/
export function alignedChoices(value: number, align: number, asAddress = true, accept: (candidate: number) => boolean = () => true): string {
	const fmt = asAddress ? formatAddressLiteral : formatSizeLiteral;
	const down = ALIGN_DOWN(value, align);
	const up = ALIGN(value, align);
	const choices = [...new Set([down, up])].filter(candidate => (asAddress || candidate > 0) && accept(candidate));
	if (choices.length === 0) {
		return `${fmt(down)} or ${fmt(up)} (both collide with another entry: move the range)`;
	}

	return choices.map(fmt).join(' or ');
}

/**
Reject a range whose start or size/end is not a multiple of `align`. `free` tells whether a
corrected range would be clear of the entries placed so far (for the suggestion only).
*/
export function requireAligned(
	ctx: RuleContext,
	path: Path,
	raw: RawRange,
	span: Span,
	align: number,
	rule: (what: string) => string,
	free: (candidate: Span) => boolean = () => true,
): void {
	if (!IS_ALIGNED(span.start, align)) {
		const choices = alignedChoices(span.start, align, true, start => free({start, end: start + span.end - span.start}));
		fail(ctx, [...path, 'start'], `${formatPath([...path, 'start'])} ${formatAddressLiteral(span.start)} is ${rule('start')}; use start: ${choices}`);
	}

	const key = endKey(raw);
	if (key === 'size' && !IS_ALIGNED(raw.size!, align)) {
		const choices = alignedChoices(raw.size!, align, false, size => free({start: span.start, end: span.start + size}));
		fail(ctx, [...path, 'size'], `${formatPath([...path, 'size'])} ${formatSizeLiteral(raw.size!)} is ${rule('size')}; use size: ${choices}`);
	}

	if (key === 'end' && !IS_ALIGNED(span.end, align)) {
		const choices = alignedChoices(span.end, align, true, end => end > span.start && free({start: span.start, end}));
		fail(ctx, [...path, 'end'], `${formatPath([...path, 'end'])} ${formatAddressLiteral(span.end)} is ${rule('end')}; use end: ${choices}`);
	}
}

/** Every range is made of whole pages: pfnaudit's model, like every pfn walker, is page granular. */
export function requirePageAligned(ctx: RuleContext, path: Path, raw: RawRange, span: Span, why: string): void {
	const page = ctx.geometry.PAGE_SIZE;
	requireAligned(ctx, path, raw, span, page, () => `not page aligned (PAGE_SIZE is ${formatSize(page)} on ${ctx.arch}): ${why}`);
}

/** 2^MAX_PHYSMEM_BITS in bytes: the first physical address the kernel cannot have memory at. */
export function physLimit(ctx: RuleContext): number {
	return 2 ** ctx.geometry.MAX_PHYSMEM_BITS;
}

/** Reject a range that reaches beyond 2^MAX_PHYSMEM_BITS, naming the kernel check that refuses it. */
export function requireAddressable(ctx: RuleContext, path: Path, raw: RawRange, span: Span, check: string): void {
	const limit = physLimit(ctx);
	if (span.end <= limit) {
		return;
	}

	const bits = ctx.geometry.MAX_PHYSMEM_BITS;
	const key = span.start >= limit ? 'start' : endKey(raw);
	fail(
		ctx,
		[...path, key],
		`${formatPath(path)} [${formatAddressLiteral(span.start)}, ${formatAddressLiteral(span.end)}) reaches beyond 2^MAX_PHYSMEM_BITS = ${formatAddressLiteral(limit)} (MAX_PHYSMEM_BITS ${bits} on ${ctx.arch} at ${atKernel(ctx)}): ${check}; move the range below ${formatAddressLiteral(limit)} or raise config.max_physmem_bits`,
	);
}
